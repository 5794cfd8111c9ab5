// UDP header (RFC 768). Offsets from the UDP header start.
// https://www.rfc-editor.org/rfc/rfc768
//
//  0      7 8     15 16    23 24    31
// +--------+--------+--------+--------+
// |     Source      |   Destination   |
// |      Port       |      Port       |
// +--------+--------+--------+--------+
// |     Length      |    Checksum     |
// +--------+--------+--------+--------+

export const UDP_SPORT: i32 = 0;
export const UDP_DPORT: i32 = 2;
export const UDP_LEN: i32 = 4;
export const UDP_CHECKSUM: i32 = 6;
export const UDP_HEADER_LEN: i32 = 8;
export const UDP_PORT_VXLAN: u16 = 4789;
