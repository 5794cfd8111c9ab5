// ICMP echo request/reply (RFC 792). Offsets from the ICMP header start.
// https://www.rfc-editor.org/rfc/rfc792 (Echo or Echo Reply Message)
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      |     Code      |          Checksum             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Identifier          |        Sequence Number        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const ICMP_TYPE: i32 = 0;
export const ICMP_CODE: i32 = 1;
export const ICMP_CHECKSUM: i32 = 2;
export const ICMP_ID: i32 = 4;
export const ICMP_SEQ: i32 = 6;
export const ICMP_HEADER_LEN: i32 = 8;
export const ICMP_ECHO_REPLY: u8 = 0;
export const ICMP_DEST_UNREACH: u8 = 3;
export const ICMP_ECHO_REQUEST: u8 = 8;
export const ICMP_TIME_EXCEEDED: u8 = 11;
