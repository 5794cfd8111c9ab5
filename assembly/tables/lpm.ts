// Longest-prefix match over IPv4: a 4-level multibit trie of stride 8 with controlled prefix
// expansion (Srinivasan & Varghese, "Fast address lookups using controlled prefix expansion", 1999).
// A lookup reads at most 4 entries, one per address byte; memory grows with the number of routes
// (a /n route adds at most ⌈n/8⌉-1 nodes of 1 KiB), not with the address space as DIR-24-8 does,
// which matters with one routing domain per container compartment.
//
// Node: 256 u32 entries, indexed by one address byte. Entry: bits 16-31 child node index (0 = none;
// node 0 is the root, never a child), bits 0-15 route index + 1 of the longest prefix ending at
// this level that covers the entry (0 = none). The image is built by src/table-images/routes.ts.

/** The index of the longest matching route for `ip` (host order) in the trie at `nodes`, or -1. */
// @ts-ignore: decorator
@inline export function lpmLookup(nodes: usize, ip: u32): i32 {
  let e = load<u32>(nodes + <usize>((ip >> 24) << 2));
  let best = e & 0xffff;
  let c = e >> 16;
  if (c != 0) {
    e = load<u32>(nodes + (<usize>c << 10) + <usize>(((ip >> 16) & 0xff) << 2));
    if ((e & 0xffff) != 0) best = e & 0xffff;
    c = e >> 16;
    if (c != 0) {
      e = load<u32>(nodes + (<usize>c << 10) + <usize>(((ip >> 8) & 0xff) << 2));
      if ((e & 0xffff) != 0) best = e & 0xffff;
      c = e >> 16;
      if (c != 0) {
        e = load<u32>(nodes + (<usize>c << 10) + <usize>((ip & 0xff) << 2));
        if ((e & 0xffff) != 0) best = e & 0xffff;
      }
    }
  }
  return <i32>best - 1;
}
