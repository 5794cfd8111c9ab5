/**
 * IPv4 header, and IPv4 address / CIDR helpers.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   (IHL in 32-bit words, 5..15; Flags: reserved, DF, MF; Fragment Offset in 8-octet units;
 *    the checksum covers the header only)
 *
 * [RFC 791 § 3.1](https://www.rfc-editor.org/rfc/rfc791#section-3.1); DSCP/ECN per
 * [RFC 2474 § 3](https://www.rfc-editor.org/rfc/rfc2474#section-3) and
 * [RFC 3168 § 5](https://www.rfc-editor.org/rfc/rfc3168#section-5).
 *
 * The repr leaves out what is derived from other fields (version, IHL, total length, checksum):
 * emit computes them, parse checks the first three and leaves the checksum to
 * `ipv4ChecksumValid`, so that a frame with a bad checksum can still be shown and dropped with a
 * reason. Options are kept as raw bytes (padded to a multiple of 4 by whoever builds them).
 */
import { maskOf } from '../addr.js';
import { internetChecksum, checksumValid } from './checksum.js';
import { checkRoom, checkUint, badRepr, needBytes, WireError } from './error.js';
import { rd16, rd32, wr16, wr32 } from './bytes.js';

/** Field offsets from the start of the IPv4 header. */
export const IPV4_FIELD = {
  VER_IHL: 0, DSCP_ECN: 1, TOTAL_LEN: 2, IDENT: 4, FLAGS_FRAG: 6, TTL: 8, PROTOCOL: 9,
  CHECKSUM: 10, SRC: 12, DST: 16, OPTIONS: 20,
} as const;
export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;
/** Flag bits within the 16-bit flags/fragment-offset word. */
export const IPV4_FLAG_RESERVED = 0x8000;
export const IPV4_FLAG_DF = 0x4000;
export const IPV4_FLAG_MF = 0x2000;
export const IPV4_FRAG_OFFSET_MASK = 0x1fff;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export interface Ipv4Repr {
  /** Differentiated services code point, 0..63. */
  dscp: number;
  /** Explicit congestion notification, 0..3. */
  ecn: number;
  /** Identification. */
  ident: number;
  /** The DF flag. */
  dontFragment: boolean;
  /** The MF flag. */
  moreFragments: boolean;
  /** Fragment offset in bytes (a multiple of 8; the header stores it divided by 8). */
  fragOffset: number;
  /** Time to live. */
  ttl: number;
  /** Protocol of the payload (1 ICMP, 6 TCP, 17 UDP). */
  protocol: number;
  /** Source address, host-order u32. */
  src: number;
  /** Destination address, host-order u32. */
  dst: number;
  /** Options bytes as on the wire, length a multiple of 4 and at most 40. */
  options: Uint8Array;
  /** Bytes after the header (total length minus header length). */
  payloadLen: number;
}

/** Return the header length of a repr (20 + options). */
export function ipv4HeaderLen(repr: Pick<Ipv4Repr, 'options'>): number {
  return IPV4_MIN_HEADER_LEN + repr.options.length;
}

/**
 * Parse the IPv4 header at `off`. Checks the version, the header length and that the total
 * length fits in the bytes given (trailing bytes, such as Ethernet padding, are allowed).
 */
export function parseIpv4(bytes: Uint8Array, off = 0): Ipv4Repr | WireError {
  const short = needBytes('ipv4', bytes, off, IPV4_MIN_HEADER_LEN);
  if (short) return short;
  const verIhl = bytes[off + IPV4_FIELD.VER_IHL];
  const version = verIhl >>> 4;
  if (version !== 4) return new WireError('ipv4', 'malformed', `version ${version}, expected 4`, off);
  const headerLen = (verIhl & 0x0f) * 4;
  if (headerLen < IPV4_MIN_HEADER_LEN) return new WireError('ipv4', 'malformed', `header length ${headerLen} below 20`, off);
  const optShort = needBytes('ipv4', bytes, off, headerLen, 'header with options');
  if (optShort) return optShort;
  const totalLen = rd16(bytes, off + IPV4_FIELD.TOTAL_LEN);
  if (totalLen < headerLen) return new WireError('ipv4', 'malformed', `total length ${totalLen} below header length ${headerLen}`, off);
  const bodyShort = needBytes('ipv4', bytes, off, totalLen, 'packet (total length)');
  if (bodyShort) return bodyShort;
  const ff = rd16(bytes, off + IPV4_FIELD.FLAGS_FRAG);
  const ds = bytes[off + IPV4_FIELD.DSCP_ECN];
  return {
    dscp: ds >>> 2,
    ecn: ds & 3,
    ident: rd16(bytes, off + IPV4_FIELD.IDENT),
    dontFragment: (ff & IPV4_FLAG_DF) !== 0,
    moreFragments: (ff & IPV4_FLAG_MF) !== 0,
    fragOffset: (ff & IPV4_FRAG_OFFSET_MASK) * 8,
    ttl: bytes[off + IPV4_FIELD.TTL],
    protocol: bytes[off + IPV4_FIELD.PROTOCOL],
    src: rd32(bytes, off + IPV4_FIELD.SRC),
    dst: rd32(bytes, off + IPV4_FIELD.DST),
    options: bytes.slice(off + IPV4_FIELD.OPTIONS, off + headerLen),
    payloadLen: totalLen - headerLen,
  };
}

/** Write the IPv4 header at `off`, with its checksum; returns the header length. */
export function emitIpv4(repr: Ipv4Repr, buf: Uint8Array, off = 0): number {
  const hl = ipv4HeaderLen(repr);
  if (repr.options.length % 4 !== 0 || hl > IPV4_MAX_HEADER_LEN) {
    badRepr('ipv4', `options length ${repr.options.length} is not a multiple of 4 up to 40`);
  }
  checkRoom('ipv4', buf, off, hl);
  checkUint('ipv4', 'dscp', repr.dscp, 63);
  checkUint('ipv4', 'ecn', repr.ecn, 3);
  checkUint('ipv4', 'ident', repr.ident, 0xffff);
  checkUint('ipv4', 'ttl', repr.ttl, 255);
  checkUint('ipv4', 'protocol', repr.protocol, 255);
  checkUint('ipv4', 'src', repr.src, 0xffff_ffff);
  checkUint('ipv4', 'dst', repr.dst, 0xffff_ffff);
  checkUint('ipv4', 'total length', hl + repr.payloadLen, 0xffff);
  checkUint('ipv4', 'payloadLen', repr.payloadLen, 0xffff);
  if (repr.fragOffset % 8 !== 0) badRepr('ipv4', `fragment offset ${repr.fragOffset} is not a multiple of 8`);
  checkUint('ipv4', 'fragOffset', repr.fragOffset, IPV4_FRAG_OFFSET_MASK * 8);
  buf[off + IPV4_FIELD.VER_IHL] = 0x40 | (hl / 4);
  buf[off + IPV4_FIELD.DSCP_ECN] = (repr.dscp << 2) | repr.ecn;
  wr16(buf, off + IPV4_FIELD.TOTAL_LEN, hl + repr.payloadLen);
  wr16(buf, off + IPV4_FIELD.IDENT, repr.ident);
  wr16(
    buf,
    off + IPV4_FIELD.FLAGS_FRAG,
    (repr.dontFragment ? IPV4_FLAG_DF : 0) | (repr.moreFragments ? IPV4_FLAG_MF : 0) | (repr.fragOffset / 8),
  );
  buf[off + IPV4_FIELD.TTL] = repr.ttl;
  buf[off + IPV4_FIELD.PROTOCOL] = repr.protocol;
  wr16(buf, off + IPV4_FIELD.CHECKSUM, 0);
  wr32(buf, off + IPV4_FIELD.SRC, repr.src);
  wr32(buf, off + IPV4_FIELD.DST, repr.dst);
  buf.set(repr.options, off + IPV4_FIELD.OPTIONS);
  wr16(buf, off + IPV4_FIELD.CHECKSUM, internetChecksum(buf, off, hl));
  return hl;
}

/** Return the stored header checksum of the IPv4 header at `off`. */
export function ipv4Checksum(bytes: Uint8Array, off = 0): number {
  return rd16(bytes, off + IPV4_FIELD.CHECKSUM);
}

/** Return true when the IPv4 header at `off` (already parsed) carries a correct checksum. */
export function ipv4ChecksumValid(bytes: Uint8Array, off = 0): boolean {
  const hl = (bytes[off] & 0x0f) * 4;
  return checksumValid(bytes, off, hl);
}

/** Return true when the packet is a fragment (MF set or a non-zero offset). */
export function isFragment(repr: Pick<Ipv4Repr, 'moreFragments' | 'fragOffset'>): boolean {
  return repr.moreFragments || repr.fragOffset !== 0;
}

// ---- addresses ---------------------------------------------------------------------------------

/** Parse dotted-quad text (`172.16.0.2`; no leading zeros, as Go's net.ParseIP in Docker); undefined otherwise. */
export function parseIpv4Addr(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

/** Return the address of a literal, throwing RangeError when malformed (for code and tests, not user input). */
export function ipToInt(text: string): number {
  const v = parseIpv4Addr(text);
  if (v === undefined) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`);
  return v;
}

/** Format a host-order u32 as dotted quad. */
export function intToIp(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** An address with a prefix length: `10.0.0.10/24` keeps the host part (`ip`); see cidrNetwork. */
export interface Cidr {
  ip: number;
  prefixLen: number;
}

/** Parse `a.b.c.d/n` (n 0..32); undefined otherwise. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(0|[1-9][0-9]?)$/.exec(text.trim());
  if (!m) return undefined;
  const ip = parseIpv4Addr(m[1]);
  const prefixLen = Number(m[2]);
  if (ip === undefined || prefixLen > 32) return undefined;
  return { ip, prefixLen };
}

/** Format a CIDR as `a.b.c.d/n`. */
export function formatCidr(c: Cidr): string {
  return `${intToIp(c.ip)}/${c.prefixLen}`;
}

/** Return the network address (host bits cleared). */
export function cidrNetwork(c: Cidr): number {
  return (c.ip & maskOf(c.prefixLen)) >>> 0;
}

/** Return the broadcast address (host bits set). */
export function cidrBroadcast(c: Cidr): number {
  return (c.ip | ~maskOf(c.prefixLen)) >>> 0;
}

/** Return true when `ip` lies in the network of `c`. */
export function cidrContains(c: Cidr, ip: number): boolean {
  const m = maskOf(c.prefixLen);
  return ((ip & m) >>> 0) === ((c.ip & m) >>> 0);
}

/** Return true when network `inner` lies wholly inside network `outer`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return inner.prefixLen >= outer.prefixLen && cidrContains(outer, inner.ip);
}
