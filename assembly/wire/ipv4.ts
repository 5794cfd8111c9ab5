// IPv4 header (RFC 791 §3.1). Offsets from the IPv4 header start.
// https://www.rfc-editor.org/rfc/rfc791#section-3.1
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version|  IHL  |Type of Service|          Total Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |         Identification        |Flags|      Fragment Offset    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Time to Live |    Protocol   |         Header Checksum       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       Source Address                          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Destination Address                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options                    |    Padding    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const IP_VER_IHL: i32 = 0;
export const IP_TOS: i32 = 1;
export const IP_TOTAL_LEN: i32 = 2;
export const IP_ID: i32 = 4;
export const IP_FLAGS_FRAG: i32 = 6;
export const IP_TTL: i32 = 8;
export const IP_PROTO: i32 = 9;
export const IP_CHECKSUM: i32 = 10;
export const IP_SRC: i32 = 12;
export const IP_DST: i32 = 16;
export const IP_MIN_HEADER_LEN: i32 = 20;

export const IP_FLAG_MF: u16 = 0x2000;
export const IP_FRAG_OFFSET_MASK: u16 = 0x1fff;

export const PROTO_ICMP: u8 = 1;
export const PROTO_TCP: u8 = 6;
export const PROTO_UDP: u8 = 17;
