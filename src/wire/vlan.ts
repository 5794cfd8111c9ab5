/**
 * IEEE 802.1Q VLAN tag. On the wire the tag is TPID 0x8100 + TCI, inserted between the source MAC
 * and the EtherType; here, as in Wireshark's layering, the TPID is the Ethernet header's EtherType
 * and this "header" is the 4 octets that follow it: the TCI and the encapsulated EtherType.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  PCP  |D|        VID            |     encapsulated EtherType    |
 *   |       |E|                       |                               |
 *   |       |I|                       |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   (PCP: 3 bits priority code point, DEI: drop eligible, VID: 12-bit VLAN id;
 *    VID 0 = priority tag only, 4095 reserved)
 *
 * IEEE Std 802.1Q-2018 § 9.6 "VLAN Tag Control Information"; no RFC defines the tag, the nearest
 * is [RFC 5517](https://www.rfc-editor.org/rfc/rfc5517) which relies on it. Hyper-V vSwitch ports
 * set in access mode (`com.docker.network.windowsshim.vlanid`) push and pop this tag.
 */
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, wr16 } from './bytes.js';

/** Field offsets from the start of the tag (the byte after the 0x8100 TPID). */
export const VLAN_FIELD = { TCI: 0, ETHERTYPE: 2 } as const;
export const VLAN_HEADER_LEN = 4;
export const VLAN_VID_MAX = 4095;

export interface VlanRepr {
  /** Priority code point, 0..7. */
  pcp: number;
  /** Drop eligible indicator. */
  dei: boolean;
  /** VLAN identifier, 0..4095. */
  vid: number;
  /** EtherType of what follows the tag. */
  ethertype: number;
}

/** Parse the tag at `off` (the byte after the TPID). */
export function parseVlan(bytes: Uint8Array, off = 0): VlanRepr | WireError {
  const short = needBytes('vlan', bytes, off, VLAN_HEADER_LEN);
  if (short) return short;
  const tci = rd16(bytes, off + VLAN_FIELD.TCI);
  return {
    pcp: tci >>> 13,
    dei: (tci & 0x1000) !== 0,
    vid: tci & 0x0fff,
    ethertype: rd16(bytes, off + VLAN_FIELD.ETHERTYPE),
  };
}

/** Write the tag at `off`; returns its length (4). */
export function emitVlan(repr: VlanRepr, buf: Uint8Array, off = 0): number {
  checkRoom('vlan', buf, off, VLAN_HEADER_LEN);
  checkUint('vlan', 'pcp', repr.pcp, 7);
  checkUint('vlan', 'vid', repr.vid, VLAN_VID_MAX);
  checkUint('vlan', 'ethertype', repr.ethertype, 0xffff);
  wr16(buf, off + VLAN_FIELD.TCI, (repr.pcp << 13) | (repr.dei ? 0x1000 : 0) | repr.vid);
  wr16(buf, off + VLAN_FIELD.ETHERTYPE, repr.ethertype);
  return VLAN_HEADER_LEN;
}
