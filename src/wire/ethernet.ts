/**
 * Ethernet II frame header (DIX), as captured: no preamble, no FCS.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 Destination MAC address (6 octets)            |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                   Source MAC address (6 octets)               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           EtherType           |   payload (46..1500 octets) ...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * [RFC 894](https://www.rfc-editor.org/rfc/rfc894) (IP over Ethernet), EtherType values from
 * [IEEE 802 numbers](https://www.iana.org/assignments/ieee-802-numbers). An EtherType of
 * 0x8100 means an 802.1Q tag follows (vlan.ts).
 *
 * MAC addresses are 48-bit integers in JS numbers (exact: 2^48 < 2^53), the same form the data
 * plane's trace events use; `formatMac` prints them the Linux way (`00:15:5d:00:00:0a`) or the
 * Windows way (`00-15-5D-00-00-0A`, as `Get-NetAdapter` and `docker inspect` on Windows show).
 */
import { formatMac as formatMacText, parseMac } from '../addr.js';
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, wr16 } from './bytes.js';

/** Field offsets from the start of the frame. */
export const ETH_FIELD = { DST: 0, SRC: 6, ETHERTYPE: 12 } as const;
export const ETH_HEADER_LEN = 14;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;

export const MAC_BROADCAST = 0xffff_ffff_ffff;
export const MAC_ZERO = 0;

export interface EthernetRepr {
  /** Destination MAC (48-bit integer). */
  dst: number;
  /** Source MAC (48-bit integer). */
  src: number;
  /** EtherType (0x0800 IPv4, 0x0806 ARP, 0x8100 802.1Q tag follows). */
  ethertype: number;
}

/** Return the 48-bit MAC at `off`. */
export function readMac(b: Uint8Array, off: number): number {
  const lo = ((b[off + 2] << 24) | (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) >>> 0;
  return (b[off] * 0x100 + b[off + 1]) * 0x1_0000_0000 + lo;
}

/** Write a 48-bit MAC at `off`. */
export function writeMac(b: Uint8Array, off: number, mac: number): void {
  const hi = Math.floor(mac / 0x1_0000_0000);
  const lo = mac >>> 0;
  b[off] = (hi >>> 8) & 0xff;
  b[off + 1] = hi & 0xff;
  b[off + 2] = lo >>> 24;
  b[off + 3] = (lo >>> 16) & 0xff;
  b[off + 4] = (lo >>> 8) & 0xff;
  b[off + 5] = lo & 0xff;
}

/** Parse `00:15:5d:00:00:0a` or `00-15-5D-00-00-0A` (any case, one separator kind); undefined otherwise. */
export { parseMac, isMulticastMac } from '../addr.js';

/** Return the MAC of a literal, throwing RangeError on a malformed one (for code and tests, not user input). */
export function macToInt(text: string): number {
  const v = parseMac(text);
  if (v === undefined) throw new RangeError(`not a MAC address: ${JSON.stringify(text)}`);
  return v;
}

/** Format a MAC: 'colon' → `00:15:5d:00:00:0a` (the default here, as packet tools print it), 'windows' → `00-15-5D-00-00-0A`. */
export function formatMac(mac: number, style: 'colon' | 'windows' = 'colon'): string {
  return formatMacText(mac, style);
}

/** Return the header length of a repr (always 14). */
export function ethernetHeaderLen(_repr?: EthernetRepr): number {
  return ETH_HEADER_LEN;
}

/** Parse the Ethernet header at `off`. */
export function parseEthernet(bytes: Uint8Array, off = 0): EthernetRepr | WireError {
  const short = needBytes('ethernet', bytes, off, ETH_HEADER_LEN);
  if (short) return short;
  return {
    dst: readMac(bytes, off + ETH_FIELD.DST),
    src: readMac(bytes, off + ETH_FIELD.SRC),
    ethertype: rd16(bytes, off + ETH_FIELD.ETHERTYPE),
  };
}

/** Write the Ethernet header at `off`; returns the header length. */
export function emitEthernet(repr: EthernetRepr, buf: Uint8Array, off = 0): number {
  checkRoom('ethernet', buf, off, ETH_HEADER_LEN);
  checkUint('ethernet', 'dst', repr.dst, MAC_BROADCAST);
  checkUint('ethernet', 'src', repr.src, MAC_BROADCAST);
  checkUint('ethernet', 'ethertype', repr.ethertype, 0xffff);
  writeMac(buf, off + ETH_FIELD.DST, repr.dst);
  writeMac(buf, off + ETH_FIELD.SRC, repr.src);
  wr16(buf, off + ETH_FIELD.ETHERTYPE, repr.ethertype);
  return ETH_HEADER_LEN;
}
