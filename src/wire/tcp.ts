/**
 * TCP header.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           [Options]                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   (Data Offset in 32-bit words, 5..15; the checksum covers the IPv4 pseudo-header, the header
 *    and the data)
 *
 * [RFC 9293 § 3.1](https://www.rfc-editor.org/rfc/rfc9293#section-3.1). Options are kept as raw
 * bytes (MSS, SACK-permitted, window scale ... are not interpreted). The reserved bits are sent
 * as zero and ignored on receipt. As for UDP, emit writes a zero checksum and `fillTcpChecksum`
 * computes it once the payload is in place.
 */
import { csumFinish, csumFold, csumPartial, pseudoHeaderSum } from './checksum.js';
import { badRepr, checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, rd32, wr16, wr32 } from './bytes.js';
import { IPPROTO_TCP } from './ipv4.js';

/** Field offsets from the start of the TCP header. */
export const TCP_FIELD = {
  SRC_PORT: 0, DST_PORT: 2, SEQ: 4, ACK: 8, DATA_OFFSET: 12, FLAGS: 13, WINDOW: 14, CHECKSUM: 16,
  URGENT: 18, OPTIONS: 20,
} as const;
export const TCP_MIN_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  /** Sequence number, u32. */
  seq: number;
  /** Acknowledgment number, u32 (meaningful with ACK). */
  ack: number;
  /** Control bits, TCP_FIN | TCP_SYN | ... (8 bits). */
  flags: number;
  window: number;
  urgent: number;
  /** Options as on the wire, length a multiple of 4 and at most 40. */
  options: Uint8Array;
}

/** Return the header length of a repr (20 + options). */
export function tcpHeaderLen(repr: Pick<TcpRepr, 'options'>): number {
  return TCP_MIN_HEADER_LEN + repr.options.length;
}

/** Parse the TCP header at `off`; the segment's data is what follows, up to the end of the IPv4 payload. */
export function parseTcp(bytes: Uint8Array, off = 0): TcpRepr | WireError {
  const short = needBytes('tcp', bytes, off, TCP_MIN_HEADER_LEN);
  if (short) return short;
  const hl = (bytes[off + TCP_FIELD.DATA_OFFSET] >>> 4) * 4;
  if (hl < TCP_MIN_HEADER_LEN) return new WireError('tcp', 'malformed', `data offset ${hl} below 20`, off);
  const optShort = needBytes('tcp', bytes, off, hl, 'header with options');
  if (optShort) return optShort;
  return {
    srcPort: rd16(bytes, off + TCP_FIELD.SRC_PORT),
    dstPort: rd16(bytes, off + TCP_FIELD.DST_PORT),
    seq: rd32(bytes, off + TCP_FIELD.SEQ),
    ack: rd32(bytes, off + TCP_FIELD.ACK),
    flags: bytes[off + TCP_FIELD.FLAGS],
    window: rd16(bytes, off + TCP_FIELD.WINDOW),
    urgent: rd16(bytes, off + TCP_FIELD.URGENT),
    options: bytes.slice(off + TCP_FIELD.OPTIONS, off + hl),
  };
}

/** Write the TCP header at `off` with a zero checksum; returns the header length. */
export function emitTcp(repr: TcpRepr, buf: Uint8Array, off = 0): number {
  const hl = tcpHeaderLen(repr);
  if (repr.options.length % 4 !== 0 || hl > TCP_MAX_HEADER_LEN) {
    badRepr('tcp', `options length ${repr.options.length} is not a multiple of 4 up to 40`);
  }
  checkRoom('tcp', buf, off, hl);
  checkUint('tcp', 'srcPort', repr.srcPort, 0xffff);
  checkUint('tcp', 'dstPort', repr.dstPort, 0xffff);
  checkUint('tcp', 'seq', repr.seq, 0xffff_ffff);
  checkUint('tcp', 'ack', repr.ack, 0xffff_ffff);
  checkUint('tcp', 'flags', repr.flags, 0xff);
  checkUint('tcp', 'window', repr.window, 0xffff);
  checkUint('tcp', 'urgent', repr.urgent, 0xffff);
  wr16(buf, off + TCP_FIELD.SRC_PORT, repr.srcPort);
  wr16(buf, off + TCP_FIELD.DST_PORT, repr.dstPort);
  wr32(buf, off + TCP_FIELD.SEQ, repr.seq);
  wr32(buf, off + TCP_FIELD.ACK, repr.ack);
  buf[off + TCP_FIELD.DATA_OFFSET] = (hl / 4) << 4;
  buf[off + TCP_FIELD.FLAGS] = repr.flags;
  wr16(buf, off + TCP_FIELD.WINDOW, repr.window);
  wr16(buf, off + TCP_FIELD.CHECKSUM, 0);
  wr16(buf, off + TCP_FIELD.URGENT, repr.urgent);
  buf.set(repr.options, off + TCP_FIELD.OPTIONS);
  return hl;
}

/** Return the checksum the segment of `segLen` bytes (header + data) at `off` should carry. */
export function computeTcpChecksum(bytes: Uint8Array, off: number, segLen: number, src: number, dst: number): number {
  let sum = pseudoHeaderSum(src, dst, IPPROTO_TCP, segLen);
  sum = csumPartial(bytes, off, TCP_FIELD.CHECKSUM, sum);
  sum = csumPartial(bytes, off + TCP_FIELD.CHECKSUM + 2, segLen - TCP_FIELD.CHECKSUM - 2, sum);
  return csumFinish(sum);
}

/** Compute and store the checksum of the segment at `off` (header and data already written). */
export function fillTcpChecksum(buf: Uint8Array, off: number, segLen: number, src: number, dst: number): void {
  wr16(buf, off + TCP_FIELD.CHECKSUM, computeTcpChecksum(buf, off, segLen, src, dst));
}

/** Return the stored checksum of the segment at `off`. */
export function tcpChecksum(bytes: Uint8Array, off = 0): number {
  return rd16(bytes, off + TCP_FIELD.CHECKSUM);
}

/** Return true when the segment of `segLen` bytes at `off` carries a correct checksum. */
export function tcpChecksumValid(bytes: Uint8Array, off: number, segLen: number, src: number, dst: number): boolean {
  const sum = csumPartial(bytes, off, segLen, pseudoHeaderSum(src, dst, IPPROTO_TCP, segLen));
  return csumFold(sum) === 0xffff;
}

const FLAG_LETTERS: ReadonlyArray<[number, string]> = [
  [TCP_FIN, 'F'], [TCP_SYN, 'S'], [TCP_RST, 'R'], [TCP_PSH, 'P'], [TCP_ACK, '.'], [TCP_URG, 'U'], [TCP_ECE, 'E'], [TCP_CWR, 'W'],
];

/** Format control bits the tcpdump way: SYN → `S`, SYN+ACK → `S.`, RST → `R`, PSH+ACK → `P.`, none → `none`. */
export function formatTcpFlags(flags: number): string {
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) s += letter;
  return s === '' ? 'none' : s;
}

/**
 * Parse control bits from letters: F S R P U E W, and `A` or `.` for ACK (`S`, `SA`, `S.`, `PA`,
 * `R.`); undefined on any other character.
 */
export function parseTcpFlags(text: string): number | undefined {
  let flags = 0;
  for (const ch of text.toUpperCase()) {
    const letter = ch === 'A' ? '.' : ch;
    const hit = FLAG_LETTERS.find(([, l]) => l === letter);
    if (!hit) return undefined;
    flags |= hit[0];
  }
  return flags;
}
