// VXLAN header (RFC 7348 §5), carried in UDP to port 4789. Offsets from the VXLAN header start.
// https://www.rfc-editor.org/rfc/rfc7348#section-5
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|R|R|R|I|R|R|R|            Reserved                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                VXLAN Network Identifier (VNI) |   Reserved    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The full encapsulation is outer Ethernet (14) + outer IPv4 (20) + outer UDP (8) + VXLAN (8) = 50
// bytes in front of the inner Ethernet frame.

export const VXLAN_FLAGS: i32 = 0;
export const VXLAN_VNI: i32 = 4;
export const VXLAN_HEADER_LEN: i32 = 8;
export const VXLAN_FLAG_I: u8 = 0x08;
export const VXLAN_ENCAP_LEN: i32 = 50;
