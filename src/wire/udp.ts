/**
 * UDP header.
 *
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |     Source      |   Destination   |
 *   |      Port       |      Port       |
 *   +--------+--------+--------+--------+
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 *   |          data octets ...
 *   +---------------- ...
 *   (Length counts header + data; the checksum covers the IPv4 pseudo-header, the header and the
 *    data; 0 means "no checksum", so a computed 0 is sent as 0xFFFF)
 *
 * [RFC 768](https://www.rfc-editor.org/rfc/rfc768). VXLAN's outer UDP header usually carries a
 * zero checksum ([RFC 7348 § 5](https://www.rfc-editor.org/rfc/rfc7348#section-5)).
 *
 * The repr holds the ports and the payload length. The checksum depends on the payload and the
 * IPv4 addresses, so emit writes 0 and `fillUdpChecksum` computes it once the payload is in place.
 */
import { csumFinish, csumFold, csumPartial, pseudoHeaderSum } from './checksum.js';
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, wr16 } from './bytes.js';
import { IPPROTO_UDP } from './ipv4.js';

/** Field offsets from the start of the UDP header. */
export const UDP_FIELD = { SRC_PORT: 0, DST_PORT: 2, LENGTH: 4, CHECKSUM: 6 } as const;
export const UDP_HEADER_LEN = 8;
export const UDP_PORT_DNS = 53;
export const UDP_PORT_VXLAN = 4789;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  /** Bytes after the 8-byte header (the length field minus 8). */
  payloadLen: number;
}

/** Parse the UDP header at `off`; checks that the length field covers the header and fits in `bytes`. */
export function parseUdp(bytes: Uint8Array, off = 0): UdpRepr | WireError {
  const short = needBytes('udp', bytes, off, UDP_HEADER_LEN);
  if (short) return short;
  const length = rd16(bytes, off + UDP_FIELD.LENGTH);
  if (length < UDP_HEADER_LEN) return new WireError('udp', 'malformed', `length ${length} below 8`, off);
  const bodyShort = needBytes('udp', bytes, off, length, 'datagram (length field)');
  if (bodyShort) return bodyShort;
  return {
    srcPort: rd16(bytes, off + UDP_FIELD.SRC_PORT),
    dstPort: rd16(bytes, off + UDP_FIELD.DST_PORT),
    payloadLen: length - UDP_HEADER_LEN,
  };
}

/** Write the UDP header at `off` with a zero checksum; returns the header length (8). */
export function emitUdp(repr: UdpRepr, buf: Uint8Array, off = 0): number {
  checkRoom('udp', buf, off, UDP_HEADER_LEN);
  checkUint('udp', 'srcPort', repr.srcPort, 0xffff);
  checkUint('udp', 'dstPort', repr.dstPort, 0xffff);
  checkUint('udp', 'length', repr.payloadLen + UDP_HEADER_LEN, 0xffff);
  wr16(buf, off + UDP_FIELD.SRC_PORT, repr.srcPort);
  wr16(buf, off + UDP_FIELD.DST_PORT, repr.dstPort);
  wr16(buf, off + UDP_FIELD.LENGTH, repr.payloadLen + UDP_HEADER_LEN);
  wr16(buf, off + UDP_FIELD.CHECKSUM, 0);
  return UDP_HEADER_LEN;
}

/** Return the checksum the datagram at `off` should carry (never 0: a computed 0 becomes 0xFFFF). */
export function computeUdpChecksum(bytes: Uint8Array, off: number, src: number, dst: number): number {
  const length = rd16(bytes, off + UDP_FIELD.LENGTH);
  let sum = pseudoHeaderSum(src, dst, IPPROTO_UDP, length);
  sum = csumPartial(bytes, off, UDP_FIELD.CHECKSUM, sum);
  sum = csumPartial(bytes, off + UDP_HEADER_LEN, length - UDP_HEADER_LEN, sum);
  const c = csumFinish(sum);
  return c === 0 ? 0xffff : c;
}

/** Compute and store the checksum of the datagram at `off` (header and payload already written). */
export function fillUdpChecksum(buf: Uint8Array, off: number, src: number, dst: number): void {
  wr16(buf, off + UDP_FIELD.CHECKSUM, computeUdpChecksum(buf, off, src, dst));
}

/** Return the stored checksum of the datagram at `off`. */
export function udpChecksum(bytes: Uint8Array, off = 0): number {
  return rd16(bytes, off + UDP_FIELD.CHECKSUM);
}

/** Return 'none' for a zero checksum, else whether the stored one is correct. */
export function udpChecksumStatus(bytes: Uint8Array, off: number, src: number, dst: number): 'good' | 'bad' | 'none' {
  if (udpChecksum(bytes, off) === 0) return 'none';
  const length = rd16(bytes, off + UDP_FIELD.LENGTH);
  const sum = csumPartial(bytes, off, length, pseudoHeaderSum(src, dst, IPPROTO_UDP, length));
  return csumFold(sum) === 0xffff ? 'good' : 'bad';
}
