// Linear-memory management for the data plane: the allocator of table images and tables (TLSF, the
// "minimal" runtime's heap: a table reload frees the image it replaces), the packet ring and its
// descriptors. Nothing here runs per packet.
import { SLOT_SIZE, DESC_SIZE, HEADROOM } from './abi';

/** Called by the TS engine when it loads a table image or sizes a table: once per table load. Returns
 *  a 16-byte-aligned, zero-filled region (TLSF aligns every block to 16 bytes; a large region is
 *  whole pages), to be given back with `free`. Growth of memory detaches JS views: the engine
 *  re-creates them. */
export function alloc(size: u32): usize {
  if (size >= LARGE) return largeAlloc(size);
  const p = heap.alloc(<usize>size);
  memory.fill(p, 0, size);
  return p;
}

/** Called by the TS engine for a staging image a table copied (FDB entries, a UFT program), and by
 *  the tables for the image a reload replaces. `p` is an address `alloc` returned, or 0 (nothing). */
export function free(p: usize): void {
  if (p == 0) return;
  if ((p & 0xffff) == 0 && load<u16>(largePages + (p >> 15)) != 0) largeFree(p);
  else heap.free(p);
}

/** A table slot that held `old` now holds `fresh`: frees `old` unless it is the same image. */
// @ts-ignore: decorator
@inline export function replaced(old: usize, fresh: usize): void {
  if (old != 0 && old != fresh) free(old);
}

// Large regions (a NAT instance's session table and index, an FDB, a big directory) are whole pages
// of their own, outside the TLSF heap: pages fresh from memory.grow are zero already, so such a
// table costs resident memory only for the pages its entries reach — a host's WinNAT sized for
// 16,384 sessions costs what its sessions use. A freed region is kept for the next large region
// that fits in it (zero-filled then); its pages are not returned to TLSF.
const LARGE: u32 = 64 << 10;
const PREFAULT: u32 = 2 << 20;
/** Page index → page count (u16) of the large region starting at that page (live or free), 0 none. */
const largePages: usize = memory.data(65536 * 2, 16);
/** Page indices (u32) of the free large regions, `largeFreeCount` of them. */
const largeFreeList: usize = memory.data(65536 * 4, 16);
/**
 * The large-region allocator's counters live in linear memory, not in globals: a copy of the
 * memory (a reachability probe's saved and restored planes) then carries the allocator whole.
 * [0] free large regions, [1] the arena's next page, [2] the arena's end.
 */
const largeState: usize = memory.data(16, 16);
// @ts-ignore: decorator
@inline function largeFreeCountGet(): u32 { return load<u32>(largeState); }
// @ts-ignore: decorator
@inline function largeFreeCountSet(v: u32): void { store<u32>(largeState, v); }

function largeAlloc(size: u32): usize {
  const pages = (size + 0xffff) >>> 16;
  // The smallest free region that holds it.
  let best: i32 = -1;
  let bestPages: u32 = 0x10000;
  const count = largeFreeCountGet();
  for (let i: u32 = 0; i < count; i++) {
    const n = <u32>load<u16>(largePages + (<usize>load<u32>(largeFreeList + (<usize>i << 2)) << 1));
    if (n >= pages && n < bestPages) {
      best = <i32>i;
      bestPages = n;
    }
  }
  if (best >= 0) {
    const at = largeFreeList + (<usize>best << 2);
    const page = load<u32>(at);
    const last = largeFreeCountGet() - 1;
    largeFreeCountSet(last);
    store<u32>(at, load<u32>(largeFreeList + (<usize>last << 2)));
    const p = <usize>page << 16;
    memory.fill(p, 0, size);
    return p;
  }
  const page = freshPages(pages);
  store<u16>(largePages + (<usize>page << 1), <u16>pages);
  const p = <usize>page << 16;
  // A table of megabytes (a NAT table sized for hundreds of thousands of sessions) is written through
  // at once, so that its pages are faulted in together (large pages where the system gives them)
  // rather than one by one under the packets that reach them.
  if (size >= PREFAULT) memory.fill(p, 0, size);
  return p;
}

/** Pages never used, [arenaPage, arenaEnd): memory grows by ARENA_PAGES at least, since each grow
 *  detaches the engine's views and costs the JS heap a collection. */
const ARENA_PAGES: u32 = 256;
// @ts-ignore: decorator
@inline function arenaPageGet(): u32 { return load<u32>(largeState, 4); }
// @ts-ignore: decorator
@inline function arenaPageSet(v: u32): void { store<u32>(largeState, v, 4); }
// @ts-ignore: decorator
@inline function arenaEndGet(): u32 { return load<u32>(largeState, 8); }
// @ts-ignore: decorator
@inline function arenaEndSet(v: u32): void { store<u32>(largeState, v, 8); }

function freshPages(pages: u32): u32 {
  const arenaPage = arenaPageGet();
  const arenaEnd = arenaEndGet();
  if (arenaEnd - arenaPage < pages) {
    if (arenaEnd > arenaPage) {
      // The rest of the old arena becomes a free region.
      store<u16>(largePages + (<usize>arenaPage << 1), <u16>(arenaEnd - arenaPage));
      largeFree(<usize>arenaPage << 16);
    }
    // A quarter of the memory at least, so a data plane that grows to N pages grows O(log N) times
    // (each a collection of the JS heap), not N / ARENA_PAGES times; fresh pages cost nothing
    // resident until a table touches them.
    const size = <u32>memory.size();
    let n = pages > ARENA_PAGES ? pages : ARENA_PAGES;
    if (size >>> 2 > n) n = size >>> 2;
    if (size + n > <u32>65536) n = <u32>65536 - size > pages ? <u32>65536 - size : pages;
    const page = memory.grow(<i32>n);
    if (page < 0) unreachable();
    arenaPageSet(<u32>page + pages);
    arenaEndSet(<u32>page + n);
    return <u32>page;
  }
  arenaPageSet(arenaPage + pages);
  const p = arenaPage;
  return p;
}

function largeFree(p: usize): void {
  const count = largeFreeCountGet();
  store<u32>(largeFreeList + (<usize>count << 2), <u32>(p >> 16));
  largeFreeCountSet(count + 1);
}

/** A table directory: `width`-byte records by table id (zero = nothing loaded), grown on demand to
 *  the highest id loaded. Declare one with `changetype<Directory>(memory.data(16, 16))`. */
@unmanaged export class Directory {
  base: usize;
  cap: u32;
}

/** The record of `id`, growing the directory (a power of two of ids, at least `min`, itself a power
 *  of two; the old records copied, the old region freed) when `id` is beyond it. Called by table
 *  loads only. */
export function dirRecord(d: Directory, id: u32, width: u32, min: u32 = 64): usize {
  if (id >= d.cap) {
    const next: u32 = id < min ? min : <u32>1 << (32 - clz<u32>(id));
    const base = alloc(next * width);
    if (d.base != 0) {
      memory.copy(base, d.base, <usize>d.cap * width);
      free(d.base);
    }
    d.base = base;
    d.cap = next;
  }
  return d.base + <usize>id * width;
}

/** The record of `id`, 0 when the directory does not reach it (nothing loaded). */
// @ts-ignore: decorator
@inline export function dirFind(d: Directory, id: u32, width: u32): usize {
  return id < d.cap ? d.base + <usize>id * width : 0;
}

/** Address of slot 0 of the packet ring. */
export let ringBase: usize = 0;
/** Address of descriptor 0. */
export let descBase: usize = 0;
/** Number of slots in the ring (MAX_BATCH by default). */
export let ringSlots: i32 = 0;

/** Called once by the engine at start: sizes the ring. */
export function ring_init(slots: i32): void {
  ringSlots = slots;
  // On a cache-line boundary, so that a 64-byte frame at slot + HEADROOM is one line, not two. Not
  // zero-filled: a slot is written before it is read, and its pages are touched only when a batch
  // (or a flood's copies) first reaches them.
  ringBase = (heap.alloc(<usize>(slots * SLOT_SIZE + 64)) + 63) & ~(<usize>63);
  descBase = (alloc(<u32>(slots * DESC_SIZE + 48)) + 63) & ~(<usize>63);
}

export function ring_base(): usize {
  return ringBase;
}

export function desc_base(): usize {
  return descBase;
}

/** Address of descriptor i. */
// @ts-ignore: decorator
@inline export function desc(i: i32): usize {
  return descBase + <usize>(i * DESC_SIZE);
}

/** Default frame address of slot i (after the headroom). */
// @ts-ignore: decorator
@inline export function slotFrame(i: i32): usize {
  return ringBase + <usize>(i * SLOT_SIZE + HEADROOM);
}

/** Address of the start of slot i (headroom included): the lowest address a frame may start at. */
// @ts-ignore: decorator
@inline export function slotStart(i: i32): usize {
  return ringBase + <usize>(i * SLOT_SIZE);
}

// Snapshot and restore of a batch, for repeated runs of the same batch (the bench): stages rewrite
// frames and descriptors in place, so each timed iteration starts from the snapshot.
let shadowDesc: usize = 0;
let shadowRing: usize = 0;

/** Called by the bench once per workload, after the batch is written: copies descriptors and slots [0, n). */
export function ring_snapshot(n: i32): void {
  if (shadowDesc == 0) {
    shadowDesc = alloc(<u32>(ringSlots * DESC_SIZE));
    shadowRing = alloc(<u32>(ringSlots * SLOT_SIZE));
  }
  memory.copy(shadowDesc, descBase, <usize>(n * DESC_SIZE));
  memory.copy(shadowRing, ringBase, <usize>(n * SLOT_SIZE));
}

/** Called by the bench before every timed batch: restores the n descriptors, and when `frameBytes` > 0
 *  also that many bytes of each slot from its start (headroom included). */
export function ring_restore(n: i32, frameBytes: i32): void {
  memory.copy(descBase, shadowDesc, <usize>(n * DESC_SIZE));
  if (frameBytes > 0) {
    for (let i = 0; i < n; i++) {
      const off = <usize>(i * SLOT_SIZE);
      memory.copy(ringBase + off, shadowRing + off, <usize>frameBytes);
    }
  }
}

/**
 * Called by bench workloads before every timed batch (src/bench/workloads/pipeline.ts, nat.ts):
 * copies frames first, first+1, ... (cyclically among `count`) of a pool in linear memory (`size`
 * bytes each, at `pool`) into slots [0, n) at the default offset, and each frame's u32 from `words`
 * into its descriptor at `field` (D_CTX, D_HASH). What a NIC's receive ring would have done; a JS
 * loop doing it costs more than some of the stages it feeds.
 */
export function ring_feed(pool: usize, words: usize, first: u32, count: u32, n: i32, size: u32, field: u32): void {
  let e = first % count;
  // Frames of a few cache lines are copied 8 bytes at a time here: memory.copy is a call out of the
  // module per frame (the pipeline-uft harness: 11-13 -> 9.4 ns per packet).
  const words8 = (size & 7) == 0 && size <= 256 ? size >> 3 : 0;
  for (let i = 0; i < n; i++) {
    const to = slotFrame(i);
    const from = pool + <usize>(e * size);
    if (words8 != 0) {
      for (let k: u32 = 0; k < words8; k++) store<u64>(to + (<usize>k << 3), load<u64>(from + (<usize>k << 3)));
    } else {
      memory.copy(to, from, <usize>size);
    }
    store<u32>(desc(i) + <usize>field, load<u32>(words + (<usize>e << 2)));
    if (++e == count) e = 0;
  }
}
