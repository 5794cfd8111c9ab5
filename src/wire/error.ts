/**
 * The one error value of the wire parsers (smoltcp's `wire::Error`, with a reason for people).
 * Parsers return it instead of throwing: malformed bytes are data, not exceptions. It is a plain
 * class (not an `Error`) so that building one costs no stack capture and `instanceof` narrows.
 */

export type WireErrorCode =
  /** Fewer bytes than the header (or a length field) needs. */
  | 'truncated'
  /** A version, header length or fixed field has a value the format forbids. */
  | 'malformed'
  /** Well-formed but outside what Packet Path models (e.g. ARP for a non-IPv4 protocol). */
  | 'unsupported';

export class WireError {
  constructor(
    /** The layer that failed: 'ethernet', 'vlan', 'arp', 'ipv4', 'icmp', 'udp', 'tcp', 'vxlan'. */
    readonly layer: string,
    readonly code: WireErrorCode,
    /** What was wrong, for people: "IPv4 header length 16 below 20". */
    readonly message: string,
    /** Byte offset of the header that failed within the parsed buffer. */
    readonly offset: number,
  ) {}

  toString(): string {
    return `${this.layer}: ${this.message}`;
  }
}

/** Return true when a parser result is an error. */
export function isWireError(x: unknown): x is WireError {
  return x instanceof WireError;
}

/** Return a `truncated` error unless `need` bytes are available at `off`. */
export function needBytes(layer: string, bytes: Uint8Array, off: number, need: number, what = 'header'): WireError | undefined {
  if (off < 0 || off + need > bytes.length) {
    const have = Math.max(0, bytes.length - off);
    return new WireError(layer, 'truncated', `${what} needs ${need} bytes, ${have} left`, off);
  }
  return undefined;
}

/** Throw for a repr that cannot be emitted: a caller's bug (smoltcp panics here too), never input data. */
export function badRepr(layer: string, message: string): never {
  throw new RangeError(`${layer} repr: ${message}`);
}

/** Check that `n` is an integer in [0, max]. */
export function checkUint(layer: string, field: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 0 || n > max) badRepr(layer, `${field} ${n} outside 0..${max}`);
}

/** Check that an emit has `len` bytes of room at `off` in `buf`. */
export function checkRoom(layer: string, buf: Uint8Array, off: number, len: number): void {
  if (!Number.isInteger(off) || off < 0 || off + len > buf.length) {
    badRepr(layer, `needs ${len} bytes at offset ${off}, buffer holds ${buf.length}`);
  }
}
