/**
 * VXLAN header, carried in UDP (destination port 4789) in front of an inner Ethernet frame.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|R|R|R|I|R|R|R|            Reserved                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   (I flag: MUST be 1 for a valid VNI; R bits: sent as 0, ignored on receipt)
 *
 * [RFC 7348 § 5](https://www.rfc-editor.org/rfc/rfc7348#section-5). The full encapsulation is
 * outer Ethernet (14) + outer IPv4 (20) + outer UDP (8) + VXLAN (8) = 50 bytes in front of the
 * inner frame. Windows overlay networks (HNS, VFP) use VNIs from 4096 up by default.
 *
 * The repr keeps the whole flags octet, so that a frame with the I bit clear round-trips and
 * the decap stage's "bad flags" drop can be tested; reserved fields are not kept.
 */
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd32, wr32 } from './bytes.js';

/** Field offsets from the start of the VXLAN header. */
export const VXLAN_FIELD = { FLAGS: 0, VNI: 4 } as const;
export const VXLAN_HEADER_LEN = 8;
/** The I flag: the VNI is valid. */
export const VXLAN_FLAG_I = 0x08;
export const VXLAN_VNI_MAX = 0xff_ffff;
/** Outer Ethernet + IPv4 + UDP + VXLAN. */
export const VXLAN_ENCAP_LEN = 50;

export interface VxlanRepr {
  /** The flags octet: VXLAN_FLAG_I for every valid packet. */
  flags: number;
  /** VXLAN network identifier, 24 bits. */
  vni: number;
}

/** Parse the VXLAN header at `off` (the I flag is not checked here; see `vxlanVniValid`). */
export function parseVxlan(bytes: Uint8Array, off = 0): VxlanRepr | WireError {
  const short = needBytes('vxlan', bytes, off, VXLAN_HEADER_LEN);
  if (short) return short;
  return {
    flags: bytes[off + VXLAN_FIELD.FLAGS],
    vni: rd32(bytes, off + VXLAN_FIELD.VNI) >>> 8,
  };
}

/** Write the VXLAN header at `off` (reserved fields zero); returns its length (8). */
export function emitVxlan(repr: VxlanRepr, buf: Uint8Array, off = 0): number {
  checkRoom('vxlan', buf, off, VXLAN_HEADER_LEN);
  checkUint('vxlan', 'flags', repr.flags, 0xff);
  checkUint('vxlan', 'vni', repr.vni, VXLAN_VNI_MAX);
  wr32(buf, off, (repr.flags << 24) >>> 0);
  wr32(buf, off + VXLAN_FIELD.VNI, (repr.vni << 8) >>> 0);
  return VXLAN_HEADER_LEN;
}

/** Return true when the I flag is set, i.e. the VNI may be used. */
export function vxlanVniValid(repr: VxlanRepr): boolean {
  return (repr.flags & VXLAN_FLAG_I) !== 0;
}
