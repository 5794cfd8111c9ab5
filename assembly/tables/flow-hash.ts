// The flow hash parse stores in D_HASH: MurmurHash3_x86_32 (seed 0) over a 16-byte key of four
// little-endian u32 words, each a host-order value:
//
//   word 0  IPv4 source address        (10.0.0.1 = 0x0a000001)
//   word 1  IPv4 destination address
//   word 2  ports: TCP/UDP (source << 16) | destination; ICMP echo (identifier << 16); else 0
//   word 3  IPv4 protocol number
//
// Direction-sensitive (not symmetric): a flow and its reply hash differently, which keeps the full
// 96 bits of entropy for NAT buckets and the VXLAN outer source port (RFC 7348 §5: "a hash of the
// inner packet's headers"). Fragments hash with ports 0. Twin: src/table-images/flow-hash.ts.

// @ts-ignore: decorator
@inline function murmurRound(h: u32, k: u32): u32 {
  k *= 0xcc9e2d51;
  k = rotl<u32>(k, 15);
  k *= 0x1b873593;
  h ^= k;
  h = rotl<u32>(h, 13);
  return h * 5 + 0xe6546b64;
}

/** MurmurHash3 finaliser: every input bit affects every output bit. */
// @ts-ignore: decorator
@inline export function fmix32(h: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

/** D_HASH of a flow; the NAT and VXLAN stages call it to hash keys they build themselves. */
// @ts-ignore: decorator
@inline export function flowHash(src: u32, dst: u32, ports: u32, proto: u32): u32 {
  let h = murmurRound(0, src);
  h = murmurRound(h, dst);
  h = murmurRound(h, ports);
  h = murmurRound(h, proto);
  return fmix32(h ^ 16);
}
