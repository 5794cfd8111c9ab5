// Guard table: the guards of the guard stage (assembly/stages/guard.ts), GUARD_MAX_GUARDS ids per
// core. A guard is a header (term count, negate) and its terms, written by loadGuard
// (src/engine/loaders/guard.ts, which mirrors the layout constants below; tests/unit/guard.test.ts
// checks they agree).
//
// Memory: images come in power-of-two term capacities. Reloading an id whose image holds the new
// guard rewrites it in place (a smaller guard keeps the larger image); a guard too large for it takes
// an image of its capacity from that capacity's free list, or from the allocator when the list is
// empty, and the outgrown image goes on its own free list for other ids. So once every id has held its
// largest guard, reloads allocate nothing however often the simulation recompiles them, and memory
// stays below twice the largest guards' images.
import { alloc, Directory, dirFind, dirRecord } from '../memory';
import { tablesChanged } from './generation';

export const GUARD_MAX_GUARDS: i32 = 1048576;
export const GUARD_MAX_TERMS: i32 = 131072;

export const GUARD_HEADER_SIZE: i32 = 16;
export const GH_TERMS: i32 = 0; // u32 term count
export const GH_NEGATE: i32 = 4; // u32 0 / 1
export const GH_CLASS: i32 = 8; // u32 log2 of the term capacity
export const GH_NEXT_FREE: i32 = 12; // u32 next image on the same free list (while free)

export const GUARD_TERM_SIZE: i32 = 64;
export const GT_FIELDS: i32 = 0; // u32 G_* bits: the fields this term sets
export const GT_SRC_NET: i32 = 4; // u32 source prefix base (host order, masked)
export const GT_SRC_MASK: i32 = 8; // u32
export const GT_DST_NET: i32 = 12; // u32
export const GT_DST_MASK: i32 = 16; // u32
export const GT_SPORT: i32 = 20; // u32 lo | hi << 16
export const GT_DPORT: i32 = 24; // u32 lo | hi << 16
export const GT_PROTO: i32 = 28; // u8
export const GT_FLAGS: i32 = 29; // u8 D_FLAGS bits that must all be set
export const GT_OPENS: i32 = 30; // u8 1: must open a flow, 0: must not
export const GT_SRC_MAC: i32 = 32; // u64 48-bit
export const GT_DST_MAC: i32 = 40; // u64 48-bit

export const G_SRC_IP: u32 = 1;
export const G_DST_IP: u32 = 2;
export const G_PROTO: u32 = 4;
export const G_SPORT: u32 = 8;
export const G_DPORT: u32 = 16;
export const G_SRC_MAC: u32 = 32;
export const G_DST_MAC: u32 = 64;
export const G_FLAGS: u32 = 128;
export const G_OPENS_FLOW: u32 = 256;

/** Term bits only an IPv4 packet can match. */
export const G_IPV4_ONLY: u32 = G_SRC_IP | G_DST_IP | G_PROTO | G_SPORT | G_DPORT;

const CLASSES: i32 = 18; // capacities 1 .. GUARD_MAX_TERMS

/** Records by id, grown to the highest guard loaded. */
export const guardDirectory = changetype<Directory>(memory.data(16, 16));
let freeLists: usize = 0;

function capacityClass(terms: u32): u32 {
  return terms <= 1 ? 0 : 32 - clz<u32>(terms - 1);
}

/** Called by the engine's loadGuard once per guard load: makes guard `id` an image of `terms` terms
 *  with `negate`, and returns the address of its first term for the engine to write every term's
 *  GUARD_TERM_SIZE bytes; 0 for an id or a term count out of range. */
export function guard_load(id: u32, terms: u32, negate: u32): usize {
  if (id >= <u32>GUARD_MAX_GUARDS || terms > <u32>GUARD_MAX_TERMS) return 0;
  if (freeLists == 0) freeLists = alloc(<u32>(CLASSES * 4));
  const slot = dirRecord(guardDirectory, id, 4);
  const cls = capacityClass(terms);
  let image = <usize>load<u32>(slot);
  if (image != 0 && load<u32>(image, GH_CLASS) < cls) {
    const outgrown = freeLists + (<usize>load<u32>(image, GH_CLASS) << 2);
    store<u32>(image, load<u32>(outgrown), GH_NEXT_FREE);
    store<u32>(outgrown, <u32>image);
    image = 0;
  }
  if (image == 0) {
    const head = freeLists + (<usize>cls << 2);
    image = <usize>load<u32>(head);
    if (image != 0) store<u32>(head, load<u32>(image, GH_NEXT_FREE));
    else image = alloc(<u32>GUARD_HEADER_SIZE + (<u32>GUARD_TERM_SIZE << cls));
    store<u32>(image, cls, GH_CLASS);
    store<u32>(slot, <u32>image);
  }
  store<u32>(image, terms, GH_TERMS);
  store<u32>(image, negate != 0 ? 1 : 0, GH_NEGATE);
  store<u32>(image, 0, GH_NEXT_FREE);
  // A unified flow table's layer program may hold the guard: its entries were decided by the old one.
  tablesChanged();
  return image + <usize>GUARD_HEADER_SIZE;
}

/** The image of guard `id`, 0 when none was loaded (the stage treats that as the empty guard). */
// @ts-ignore: decorator
@inline export function guardImage(id: u32): usize {
  const r = dirFind(guardDirectory, id, 4);
  return r == 0 ? 0 : <usize>load<u32>(r);
}
