// IPv4 address → MAC hash table image, shared by the l2bridge endpoint map (mac-rewrite) and the
// route stage's neighbour table. Built by src/table-images/ip-mac-map.ts (same hash, same probing):
//
//   0 u32 log2(slot count)   4 u32 entry count   8..15 reserved
//   16 slots of 16 bytes: u32 IPv4 as load<u32> reads it from a packet (wire order), u32 entry
//      index + 1 (0 = empty slot), u16 MAC bytes 0-1 and u16 0, u32 MAC bytes 2-5 (both as stored
//      in a frame, ready to copy)
//
// Open addressing, linear probing, at most half full, so a miss ends at an empty slot. Addresses
// are kept and hashed in wire order: mac-rewrite looks up the word it loads from the packet, with no
// byte swap (wasm has no bswap instruction; a swap is ten).

/** Fibonacci hashing of an IPv4 address (wire-order word) to `bits` bits (Knuth's multiplicative
 *  method). */
// @ts-ignore: decorator
@inline export function ipSlot(ip: u32, bits: u32): u32 {
  return ipHash(ip) >> (32 - bits);
}

/** The product whose top bits are the home slot. */
// @ts-ignore: decorator
@inline function ipHash(ip: u32): u32 {
  return ip * 0x9e3779b1;
}

/** Slot address of `ip` (wire-order word) in the map image `m`, or 0 when absent (or `m` is 0). */
// @ts-ignore: decorator
@inline export function ipMacFind(m: usize, ip: u32): usize {
  if (m == 0) return 0;
  return ipMacProbe(m, load<u32>(m), ip);
}

/** ipMacFind with the map's log2(slot count) `bits` read once by the caller (m is not 0). */
// @ts-ignore: decorator
@inline export function ipMacProbe(m: usize, bits: u32, ip: u32): usize {
  return ipMacProbeMasked(m, (<u32>1 << bits) - 1, 32 - bits, ip);
}

/** ipMacProbe with the slot mask and the hash shift (32 - bits) computed once by the caller. */
// @ts-ignore: decorator
@inline export function ipMacProbeMasked(m: usize, mask: u32, shift: u32, ip: u32): usize {
  let k = (ipHash(ip) >> shift) & mask;
  while (true) {
    const s = m + 16 + <usize>(k << 4);
    if (load<u32>(s, 4) == 0) return 0;
    if (load<u32>(s) == ip) return s;
    k = (k + 1) & mask;
  }
  return 0;
}

/** The input index of the entry in slot `s`. */
// @ts-ignore: decorator
@inline export function slotIndex(s: usize): i32 {
  return <i32>load<u32>(s, 4) - 1;
}

// @ts-ignore: decorator
@inline export function slotMacHi(s: usize): u16 {
  return load<u16>(s, 8);
}

// @ts-ignore: decorator
@inline export function slotMacLo(s: usize): u32 {
  return load<u32>(s, 12);
}
