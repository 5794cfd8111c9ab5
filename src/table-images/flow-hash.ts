/**
 * The flow hash the parse stage stores in D_HASH (twin of assembly/tables/flow-hash.ts):
 * MurmurHash3_x86_32, seed 0, over four little-endian u32 words, each a host-order value —
 * IPv4 source, IPv4 destination, ports ((sport << 16) | dport for TCP/UDP, (identifier << 16) for
 * ICMP echo, 0 otherwise and for fragments), protocol. Direction-sensitive: a reply hashes apart
 * from its request. ARP and other non-IP frames get 0.
 */

function round(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** D_HASH of a flow (unsigned 32-bit). */
export function flowHash(src: number, dst: number, ports: number, proto: number): number {
  let h = round(0, src);
  h = round(h, dst);
  h = round(h, ports);
  h = round(h, proto);
  return fmix32(h ^ 16);
}
