// ARP for IPv4 over Ethernet (RFC 826). Offsets from the ARP header start.
// https://www.rfc-editor.org/rfc/rfc826
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        HTYPE (1)              |        PTYPE (0x0800)         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  HLEN (6)     |  PLEN (4)     |        OPER (1 req, 2 reply)  |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Sender hardware address (6) | Sender protocol address (4)   |
// |  Target hardware address (6) | Target protocol address (4)   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const ARP_HTYPE: i32 = 0;
export const ARP_PTYPE: i32 = 2;
export const ARP_HLEN: i32 = 4;
export const ARP_PLEN: i32 = 5;
export const ARP_OPER: i32 = 6;
export const ARP_SHA: i32 = 8;
export const ARP_SPA: i32 = 14;
export const ARP_THA: i32 = 18;
export const ARP_TPA: i32 = 24;
export const ARP_LEN: i32 = 28;
export const ARP_OP_REQUEST: u16 = 1;
export const ARP_OP_REPLY: u16 = 2;
