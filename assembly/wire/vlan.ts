// IEEE 802.1Q tag, between the source MAC and the EtherType.
// https://standards.ieee.org/ieee/802.1Q/6844/ (clause 9.6, VLAN tag format)
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |         TPID 0x8100           | PCP |D|        VID            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |       inner EtherType         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

/** Offsets from the frame start of a tagged frame. */
export const VLAN_TPID: i32 = 12;
export const VLAN_TCI: i32 = 14;
export const VLAN_INNER_TYPE: i32 = 16;
export const VLAN_TAG_LEN: i32 = 4;
export const VLAN_VID_MASK: u16 = 0x0fff;
