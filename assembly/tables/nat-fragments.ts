// The nat stage's fragment state (assembly/stages/nat.ts). Only the first fragment of an IPv4
// datagram carries the TCP / UDP / ICMP header; the stage translates it by its ports (echo
// identifier) like an unfragmented packet and remembers the session it used under the datagram's
// key — instance, direction, source, destination, protocol, IP identification (RFC 791 §3.2: the
// fields that name one datagram) — so the later fragments, which carry no L4 header, are translated
// by the same session. A later fragment with no remembered first fragment (it came first, or the
// first was dropped, or the entry expired) is dropped: NAT_FRAGMENT_UNKNOWN (nothing here holds
// fragments for later).
//
// A ring of FRAG_SLOTS entries: a new datagram takes the oldest slot (no allocation, bounded cost);
// an entry serves for FRAG_TTL seconds of the NAT clock and only while its session is live with the
// same key. Lookups scan the ring newest first. Twin: src/engine/reference/nat.ts (fragment ring).
//
// Entry (24 bytes): instance u32 (0 = empty), source u32, destination u32 (network order as
// loaded), key u32 = proto << 24 | dir << 16 | IP id (host order), session u32, expiry u32.

export const FRAG_SLOTS: u32 = 256;
/** Seconds a first fragment's entry serves its later fragments. */
export const FRAG_TTL: u32 = 60;
const ENTRY: usize = 24;
const F_INST: usize = 0;
const F_SRC: usize = 4;
const F_DST: usize = 8;
const F_KEY: usize = 12;
const F_SESSION: usize = 16;
const F_EXPIRY: usize = 20;

const ring: usize = memory.data(<i32>(FRAG_SLOTS * <u32>ENTRY), 16);
/** The slot the next entry takes (the oldest). */
let cursor: u32 = 0;

// @ts-ignore: decorator
@inline function fragKey(proto: u32, dir: u32, ipId: u32): u32 {
  return (proto << 24) | (dir << 16) | (ipId & 0xffff);
}

/** Remembers that the datagram's first fragment used session `s`. */
export function fragRemember(inst: usize, dir: u32, src: u32, dst: u32, proto: u32, ipId: u32, s: u32, now: u32): void {
  const e = ring + <usize>cursor * ENTRY;
  store<u32>(e, <u32>inst, F_INST);
  store<u32>(e, src, F_SRC);
  store<u32>(e, dst, F_DST);
  store<u32>(e, fragKey(proto, dir, ipId), F_KEY);
  store<u32>(e, s, F_SESSION);
  const exp = now + FRAG_TTL;
  store<u32>(e, exp < now ? 0xffffffff : exp, F_EXPIRY);
  cursor = (cursor + 1) % FRAG_SLOTS;
}

/** The session the datagram's first fragment used, or -1 (none remembered, or expired). */
export function fragFind(inst: usize, dir: u32, src: u32, dst: u32, proto: u32, ipId: u32, now: u32): i32 {
  const key = fragKey(proto, dir, ipId);
  for (let k: u32 = 1; k <= FRAG_SLOTS; k++) {
    const e = ring + <usize>((cursor + FRAG_SLOTS - k) % FRAG_SLOTS) * ENTRY;
    if (
      load<u32>(e, F_INST) == <u32>inst && load<u32>(e, F_KEY) == key &&
      load<u32>(e, F_SRC) == src && load<u32>(e, F_DST) == dst
    ) {
      return now < load<u32>(e, F_EXPIRY) ? <i32>load<u32>(e, F_SESSION) : -1;
    }
  }
  return -1;
}
