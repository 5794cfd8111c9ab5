/**
 * ICMP for IPv4, echo request/reply shape.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Identifier          |        Sequence Number        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Data ...
 *   +-+-+-+-+-
 *   (type 8 echo request, 0 echo reply; the checksum covers the whole ICMP message)
 *
 * [RFC 792](https://www.rfc-editor.org/rfc/rfc792) "Echo or Echo Reply Message". Other types
 * (3 destination unreachable, 11 time exceeded) share the first word; their second word is kept
 * in `ident`/`seq` as its upper/lower half so that any message round-trips.
 */
import { internetChecksum, checksumValid } from './checksum.js';
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, wr16 } from './bytes.js';

/** Field offsets from the start of the ICMP message. */
export const ICMP_FIELD = { TYPE: 0, CODE: 1, CHECKSUM: 2, IDENT: 4, SEQ: 6, DATA: 8 } as const;
export const ICMP_HEADER_LEN = 8;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

export interface IcmpRepr {
  type: number;
  code: number;
  /** Echo identifier (other types: upper half of the second word). */
  ident: number;
  /** Echo sequence number (other types: lower half of the second word). */
  seq: number;
  /** Everything after the 8-byte header. */
  data: Uint8Array;
}

/** Return the message length of a repr (8 + data). */
export function icmpLen(repr: Pick<IcmpRepr, 'data'>): number {
  return ICMP_HEADER_LEN + repr.data.length;
}

/** Parse the ICMP message at `off`; its data runs to the end of `bytes` (bound it to the IPv4 payload first). */
export function parseIcmp(bytes: Uint8Array, off = 0): IcmpRepr | WireError {
  const short = needBytes('icmp', bytes, off, ICMP_HEADER_LEN);
  if (short) return short;
  return {
    type: bytes[off + ICMP_FIELD.TYPE],
    code: bytes[off + ICMP_FIELD.CODE],
    ident: rd16(bytes, off + ICMP_FIELD.IDENT),
    seq: rd16(bytes, off + ICMP_FIELD.SEQ),
    data: bytes.slice(off + ICMP_FIELD.DATA),
  };
}

/** Write the ICMP message (header and data) at `off`, with its checksum; returns its length. */
export function emitIcmp(repr: IcmpRepr, buf: Uint8Array, off = 0): number {
  const len = icmpLen(repr);
  checkRoom('icmp', buf, off, len);
  checkUint('icmp', 'type', repr.type, 255);
  checkUint('icmp', 'code', repr.code, 255);
  checkUint('icmp', 'ident', repr.ident, 0xffff);
  checkUint('icmp', 'seq', repr.seq, 0xffff);
  buf[off + ICMP_FIELD.TYPE] = repr.type;
  buf[off + ICMP_FIELD.CODE] = repr.code;
  wr16(buf, off + ICMP_FIELD.CHECKSUM, 0);
  wr16(buf, off + ICMP_FIELD.IDENT, repr.ident);
  wr16(buf, off + ICMP_FIELD.SEQ, repr.seq);
  buf.set(repr.data, off + ICMP_FIELD.DATA);
  wr16(buf, off + ICMP_FIELD.CHECKSUM, internetChecksum(buf, off, len));
  return len;
}

/** Return the stored checksum of the ICMP message at `off`. */
export function icmpChecksum(bytes: Uint8Array, off = 0): number {
  return rd16(bytes, off + ICMP_FIELD.CHECKSUM);
}

/** Return true when the ICMP message of `len` bytes at `off` carries a correct checksum. */
export function icmpChecksumValid(bytes: Uint8Array, off: number, len: number): boolean {
  return checksumValid(bytes, off, len);
}

/** Return a short name for a type/code ("echo request", "port unreachable"). */
export function icmpTypeName(type: number, code: number): string {
  switch (type) {
    case ICMP_ECHO_REPLY: return 'echo reply';
    case ICMP_ECHO_REQUEST: return 'echo request';
    case ICMP_DEST_UNREACHABLE:
      return ['net unreachable', 'host unreachable', 'protocol unreachable', 'port unreachable',
        'fragmentation needed', 'source route failed'][code] ?? `destination unreachable code ${code}`;
    case ICMP_TIME_EXCEEDED: return code === 1 ? 'fragment reassembly time exceeded' : 'time exceeded in transit';
    default: return `type ${type} code ${code}`;
  }
}
