// Ethernet II (IEEE 802.3 clause 3.1.1, Ethernet II framing; RFC 894 for IPv4 over Ethernet).
// https://www.rfc-editor.org/rfc/rfc894
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Destination MAC (6 bytes)                  |
// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                               |                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+     Source MAC (6 bytes)      +
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           EtherType           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const ETH_DST: i32 = 0;
export const ETH_SRC: i32 = 6;
export const ETH_TYPE: i32 = 12;
export const ETH_HEADER_LEN: i32 = 14;

export const ETHERTYPE_IPV4: u16 = 0x0800;
export const ETHERTYPE_ARP: u16 = 0x0806;
export const ETHERTYPE_VLAN: u16 = 0x8100;

/** A 6-byte MAC at `p` as a 48-bit integer, first byte most significant (host order). */
// @ts-ignore: decorator
@inline export function loadMac(p: usize): u64 {
  const hi = <u64>bswap<u16>(load<u16>(p));
  const lo = <u64>bswap<u32>(load<u32>(p, 2));
  return (hi << 32) | lo;
}

/** Stores a 48-bit MAC (host-order integer) at `p`. */
// @ts-ignore: decorator
@inline export function storeMac(p: usize, mac: u64): void {
  store<u16>(p, bswap<u16>(<u16>(mac >> 32)));
  store<u32>(p, bswap<u32>(<u32>mac), 2);
}

/** EtherType at `p + off` in host order. */
// @ts-ignore: decorator
@inline export function loadBe16(p: usize): u16 {
  return bswap<u16>(load<u16>(p));
}

// @ts-ignore: decorator
@inline export function storeBe16(p: usize, v: u16): void {
  store<u16>(p, bswap<u16>(v));
}

// @ts-ignore: decorator
@inline export function loadBe32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

// @ts-ignore: decorator
@inline export function storeBe32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

/** True for broadcast and multicast destinations (I/G bit of the first octet). */
// @ts-ignore: decorator
@inline export function isGroupMac(p: usize): bool {
  return (load<u8>(p, ETH_DST) & 1) != 0;
}
