// VFP's unified flow table (UFT; Firestone et al., "VFP: A Virtual Switch Platform for Host SDN in
// the Public Cloud", NSDI 2017, §5): per vSwitch port, an exact-match table of flows, each entry the
// composition of what the port's layers (ACL, NAT, VXLAN encap, MAC rewrite, switch) did to the
// flow's first packet. The stage (assembly/stages/uft.ts) looks every packet up once; a hit applies
// the entry, a miss walks the layers and leaves an entry. This file holds the tables, the layer
// programs they stand for, and the per-packet notes the layers write while a miss walks them.
// The reference twin is src/engine/reference/uft.ts: same placement, same validity rules.
//
// Table (one per UFT id, sized at configure): buckets of one cache line, UFT_WAYS signatures (u32,
// 0 = empty) then the ways' entry numbers (u32: entry index + 1, 0 = none yet); entries in their own
// array, dense: a way takes the next entry the first time it holds a flow and keeps it (a replaced
// flow's entry is overwritten, a moved flow takes its entry along), so a table's entries fill as many
// pages as it has flows, not as it has ways (fewer TLB misses; the way layout is what the twin
// follows, entry numbers only name entries in traces). Each flow has two buckets (uftBucket, uftBucket2): a new
// flow takes the first empty way of its first bucket, else of its second; when both are full, the
// first flow of either (first bucket first, ways in order) whose other bucket has an empty way moves
// there (a cuckoo move of one step) and the new flow takes its way; else the new flow takes the way
// its hash names (hash >>> 29) in its first bucket. All deterministic, so the twin places entries
// identically. A lookup reads the second bucket only when no way of the first has the flow's
// signature. At half load, established flows stay (8-way buckets alone overflowed for about 1 % of
// 64k flows, two buckets without moves for 0.7 %: each such packet a walk through the layers).
//
// Entry (UFT_ENTRY_SIZE = 64 bytes, one cache line; a hit of a NAT-ed flow reads no other line of
// its own but the bucket's):
//    0 u32 IPv4 source   4 u32 destination   8 u32 L4 ports word (all three as loaded from the packet)
//   12 u32 protocol | in-port << 16 (byte 13: the stage that dropped, outside the key)   16 u32 D_CTX
//   20 u32 the UFT's epoch when built (moved by uft_flush and by any change of the tables
//          generation: every entry dies at once)
//   24 u32 NAT: the address the flow's session writes (source outbound, destination inbound)
//   28 u16 NAT: the port it writes   30 u16 NAT: the low 16 bits of the NAT clock stamp (natClock,
//          assembly/tables/nat-table.ts) when the flow last refreshed its session through this entry
//          (0: not since it was built); while it is the current stamp, the session is live and a packet
//          without FIN or RST would change nothing in it, so the hit skips the session's line
//   32 u32 ACL hit counter address (0: no ACL layer)   36 u32 tunnel record address (0: not encapsulated)
//   40 u32 D_AUX after the layers
//   44 u32 NAT session (bits 0..23; UFT_NO_SESSION: NAT passed it untranslated or is not a layer)
//          | drop reason << 24 (0 forwarded)
//   48 u16 stages that counted the packet in and passed (bit per id)   50 u16 D_OUT_PORT after
//   52 12 bytes: Ethernet destination + source of the inner frame after the layers (the outer
//   frame's are the tunnel template's)
// The underlay MTU of an encapsulated flow is the VTEP table's, read once per batch (a table load
// moves the generation, so a live entry was built under the same MTU).
//
// Layer program (per UFT): the steps the port's layers run, as pipeline_run takes them, at most
// UFT_MAX_STEPS, each stage at most once, ACL, NAT and MAC rewrite before VXLAN encap, and only
// stages whose effect on a flow the entry can hold: acl, nat, vxlan-encap, mac-rewrite, switch; and
// guard steps (a1 = k steps governed, within the program). A guard whose terms read only what the
// entry's key holds (addresses, ports, protocol; the flags F_FRAGMENT and F_ARP, which no flow the
// UFT keeps has) decides the same for every packet of the flow, so the walk's result is the
// flow's; a guard reading anything else (MACs, other flags, "opens a flow") leaves the packets it
// judged without an entry (stages/guard.ts marks their notes).
//
// Memory: configure records the program and the capacity; the buckets and entries are allocated
// when the first packet reaches the table (a host's ports no traffic reaches cost 80 bytes each).
import { alloc, Directory, dirRecord, free, ringSlots } from '../memory';
import { tablesGeneration } from './generation';
import { MAX_BATCH, STAGE_ACL, STAGE_NAT, STAGE_VXLAN_ENCAP, STAGE_MAC_REWRITE, STAGE_SWITCH, STAGE_GUARD } from '../abi';

/** UFT ids per table space: a directory grown on demand to the highest id configured, as the other
 *  tables' (a simulated host has a table for each direction of each vSwitch port). */
export const UFT_MAX_TABLES: u32 = 1 << 18;
export const UFT_MAX_STEPS: i32 = 8;
export const UFT_WAYS: i32 = 8;
export const UFT_ENTRY_SIZE: i32 = 64;
/** Bytes of a bucket: UFT_WAYS signatures, then UFT_WAYS entry numbers. */
export const UFT_BUCKET_SIZE: i32 = 64;
export const UFT_BUCKET_ENTRIES: i32 = 32;

/** Bytes of the buckets of a table of `cap` ways. */
// @ts-ignore: decorator
@inline export function uftBucketBytes(cap: u32): u32 {
  return cap / <u32>UFT_WAYS * <u32>UFT_BUCKET_SIZE;
}
export const UFT_NONE: u32 = 0xffffffff;

export const E_SRC: i32 = 0;
export const E_DST: i32 = 4;
export const E_PORTS: i32 = 8;
export const E_PROTO_PORT: i32 = 12;
/** The key's part of the word at E_PROTO_PORT (byte 13 is E_DROP_STAGE). */
export const E_PROTO_PORT_KEY: u32 = 0xffff00ff;
export const E_DROP_STAGE: i32 = 13;
export const E_CTX: i32 = 16;
export const E_EPOCH: i32 = 20;
export const E_NAT_ADDR: i32 = 24;
export const E_NAT_PORT: i32 = 28;
export const E_NAT_CLOCK: i32 = 30;
export const E_ACL_HITS: i32 = 32;
export const E_TUNNEL: i32 = 36;
export const E_AUX: i32 = 40;
export const E_NAT_SESSION: i32 = 44;
export const E_DROP: i32 = 47;
export const E_PASS_STAGES: i32 = 48;
export const E_OUT_PORT: i32 = 50;
export const E_INNER_ETH: i32 = 52;
/** E_NAT_SESSION's session bits, and their value for no session (NAT_MAX_CAPACITY is 2^22). */
export const UFT_SESSION_MASK: u32 = 0xffffff;
export const UFT_NO_SESSION: u32 = 0xffffff;

// uft_configure results (src/engine/tables/uft.ts names them).
export const UFT_OK: i32 = 0;
export const UFT_ERR_ID: i32 = 1;
export const UFT_ERR_CAPACITY: i32 = 2;
export const UFT_ERR_PROGRAM: i32 = 3;

/** One UFT; laid out in linear memory. */
@unmanaged export class Uft {
  capacity: u32;
  bucketMask: u32;
  buckets: usize;
  entries: usize;
  steps: i32;
  /** The NAT step's instance and direction (natInstance UFT_NONE: no NAT layer). */
  natInstance: u32;
  natDir: u32;
  /** The ACL step's rule set (UFT_NONE: no ACL layer): traces name the rule from the hit counter. */
  aclSet: u32;
  /** Moved by uft_flush and when the tables generation moved (uftEpoch); an entry of another epoch is
   *  dead. */
  epoch: u32;
  /** The tables generation the epoch stands for. */
  gen: u32;
  /** Entries taken by ways so far (the next way to hold its first flow takes entry entryNext). */
  entryNext: u32;
  /** Statistics (uft_stats): lookups, hits, entries built, ways replaced, dead entries met. */
  lookups: u64;
  hits: u64;
  inserts: u64;
  evictions: u64;
  stale: u64;
}

/** Tables by id: each table's record (its Uft, then its layer program) in the directory itself,
 *  grown to the highest id configured. The directory is one large region (at least UFT_DIR_MIN
 *  records: pages of its own, resident only where records are written): a host configures a table
 *  per direction of each port, and as many small allocations from the heap made the memory grow a
 *  page at a time once it was past 2 GiB (each grow a collection of the JS heap). */
export const uftDirectory = changetype<Directory>(memory.data(16, 16));
const UFT_RECORD: u32 = 192;
/** The layer program's offset in a record: u32 triples (stage, a0, a1), as pipeline_run reads them. */
const UFT_PROGRAM_AT: usize = 96;
const UFT_DIR_MIN: u32 = 512;

/** The record of UFT `id`, growing the directory (called by uft_configure only). */
// @ts-ignore: decorator
@inline function uftRecord(id: u32): usize {
  return dirRecord(uftDirectory, id, UFT_RECORD, UFT_DIR_MIN);
}

/** The layer program of table `t`. */
// @ts-ignore: decorator
@inline export function uftProgram(t: Uft): usize {
  return changetype<usize>(t) + UFT_PROGRAM_AT;
}

// Per-packet notes of a walk (UFT_NOTE_SIZE bytes per ring slot), written by the layers while
// `uftRecording` is set and read when the walk's entries are built:
//    0 u32 ACL hit counter address   4 u16 stages that counted the packet in (bit per stage id;
//    bits PASS_GUARD_SHIFT up: guard evaluations)   8 u32 NAT session   12 u32 tunnel record
//   16 u8 1 when the flow must not be cached (flooded, FDB refused to learn)   17 u8 dropping stage
//   18 u8 the packet's protocol before the walk   20..31 its addresses and ports word before the walk
export const UFT_NOTE_SIZE: i32 = 32;
export const N_ACL_HITS: i32 = 0;
export const N_PASS: i32 = 4;
/** E_PASS_STAGES / N_PASS: stage ids are bits 1..12; the guard evaluations of the walk are a count
 *  in the bits from here (a flow judged by more guards than that is not cached). */
export const PASS_GUARD_SHIFT: i32 = 13;
export const PASS_GUARD_MAX: i32 = 7;
export const N_NAT_SESSION: i32 = 8;
export const N_TUNNEL: i32 = 12;
export const N_NO_CACHE: i32 = 16;
export const N_DROP_STAGE: i32 = 17;
export const N_PROTO: i32 = 18;

export let uftRecording: bool = false;
export let uftNotes: usize = 0;
/** Per-packet scratch of the stage's passes: u32 hash, i32 state / candidate entry. */
export let uftScratch: usize = 0;

export function setUftRecording(on: bool): void {
  uftRecording = on;
}

/** The bucket of hash `h`. */
// @ts-ignore: decorator
@inline export function uftBucket(h: u32, mask: u32): u32 {
  return (h >> 3) & mask;
}

/** The second bucket of hash `h`, whose first is `b`: where the flow goes when its first bucket is
 *  full (b itself only in a table of one bucket). */
// @ts-ignore: decorator
@inline export function uftBucket2(h: u32, b: u32, mask: u32): u32 {
  return (b ^ ((h >> 17) | 1)) & mask;
}

/** The signature's address of way `slot` (bucket × UFT_WAYS + way); its entry number's is
 *  UFT_BUCKET_ENTRIES further. */
// @ts-ignore: decorator
@inline export function uftSlot(buckets: usize, slot: u32): usize {
  return buckets + (<usize>(slot >> 3) << 6) + (<usize>(slot & 7) << 2);
}

/** Address of packet i's note. */
// @ts-ignore: decorator
@inline export function uftNote(i: i32): usize {
  return uftNotes + (<usize>i << 5);
}

function isLayerStage(stage: u32): bool {
  return stage == <u32>STAGE_ACL || stage == <u32>STAGE_NAT || stage == <u32>STAGE_VXLAN_ENCAP ||
    stage == <u32>STAGE_MAC_REWRITE || stage == <u32>STAGE_SWITCH;
}

/**
 * Called by the engine's configureUft (src/engine/tables/uft.ts) when a port's UFT is created or its
 * layer program changes: sizes the table for `capacity` flows (rounded up to a power of two, at least
 * UFT_WAYS) and copies the program (`steps` u32 triples at `program`). Empties the table.
 */
export function uft_configure(id: u32, capacity: u32, program: usize, steps: i32): i32 {
  if (id >= UFT_MAX_TABLES) return UFT_ERR_ID;
  if (capacity == 0 || capacity > (1 << 22)) return UFT_ERR_CAPACITY;
  if (steps < 1 || steps > UFT_MAX_STEPS) return UFT_ERR_PROGRAM;
  let seen: u32 = 0;
  let natInst = UFT_NONE;
  let natDir: u32 = 0;
  let aclSet = UFT_NONE;
  for (let s = 0; s < steps; s++) {
    const stage = load<u32>(program + <usize>(s * 12));
    if (stage == <u32>STAGE_GUARD) {
      // The steps a guard governs lie within the program.
      if (<u64>load<u32>(program + <usize>(s * 12), 8) + <u64>s + 1 > <u64>steps) return UFT_ERR_PROGRAM;
      continue;
    }
    if (!isLayerStage(stage) || (seen & (<u32>1 << stage)) != 0) return UFT_ERR_PROGRAM;
    if (stage != <u32>STAGE_SWITCH && (seen & (<u32>1 << STAGE_VXLAN_ENCAP)) != 0) return UFT_ERR_PROGRAM;
    if (stage == <u32>STAGE_NAT) {
      natInst = load<u32>(program + <usize>(s * 12), 4);
      natDir = load<u32>(program + <usize>(s * 12), 8);
    }
    if (stage == <u32>STAGE_ACL) aclSet = load<u32>(program + <usize>(s * 12), 4);
    seen |= <u32>1 << stage;
  }
  if (seen == 0) return UFT_ERR_PROGRAM;
  if (uftNotes == 0) {
    const slots = ringSlots > MAX_BATCH ? ringSlots : MAX_BATCH;
    uftNotes = alloc(<u32>(slots * UFT_NOTE_SIZE));
    uftScratch = alloc(<u32>(slots * 8));
  }
  let cap: u32 = <u32>UFT_WAYS;
  while (cap < capacity) cap <<= 1;
  if (<usize>offsetof<Uft>() > UFT_PROGRAM_AT || UFT_PROGRAM_AT + <usize>(UFT_MAX_STEPS * 12) > <usize>UFT_RECORD) abort('uft: record layout');
  const t = changetype<Uft>(uftRecord(id));
  if (t.capacity != cap) {
    // A new capacity: the regions of the old one are returned.
    free(t.buckets);
    free(t.entries);
    t.capacity = cap;
    t.bucketMask = cap / <u32>UFT_WAYS - 1;
    // Allocated by the stage when the first packet arrives.
    t.buckets = 0;
    t.entries = 0;
  }
  if (t.buckets != 0) memory.fill(t.buckets, 0, <usize>uftBucketBytes(cap));
  t.entryNext = 0;
  memory.copy(uftProgram(t), program, <usize>(steps * 12));
  t.steps = steps;
  t.natInstance = natInst;
  t.natDir = natDir;
  t.aclSet = aclSet;
  t.lookups = 0;
  t.hits = 0;
  t.inserts = 0;
  t.evictions = 0;
  t.stale = 0;
  return UFT_OK;
}

/** Where the engine writes a layer program for uft_configure (UFT_MAX_STEPS triples): a host
 *  configures a table per port direction, and an allocation per call cost the engine a refresh of
 *  its memory views each time. */
const programBuffer = memory.data(96, 16);

export function uft_program_buffer(): usize {
  return programBuffer;
}

/** Called by the engine's flushUft: forgets every flow of UFT `id` (its program stays) in O(1): the
 *  entries of the old epoch are dead and their ways are taken again by their flows. */
export function uft_flush(id: u32): void {
  const p = uftTable(id);
  if (p != 0) changetype<Uft>(p).epoch++;
}

/** The UFT's epoch, moved first when the tables generation moved since it was last asked: what a
 *  live entry holds at E_EPOCH. */
export function uftEpoch(t: Uft): u32 {
  if (t.gen != tablesGeneration) {
    t.gen = tablesGeneration;
    t.epoch++;
  }
  return t.epoch;
}

/** The UFT `id`, 0 when never configured. */
export function uftTable(id: u32): usize {
  const d = uftDirectory;
  if (id >= d.cap) return 0;
  const r = d.base + <usize>id * UFT_RECORD;
  return changetype<Uft>(r).capacity == 0 ? 0 : r;
}

/** Called by the engine's readUftStats (UI tables, tests, bench): the address of UFT `id`'s
 *  statistics (u64 lookups, hits, inserts, evictions, stale) and, before them, u32 capacity. */
export function uft_stats(id: u32): usize {
  const p = uftTable(id);
  return p == 0 ? 0 : p + offsetof<Uft>('lookups');
}

/** Called by the engine's readUftStats: the table's capacity in flows. */
export function uft_capacity(id: u32): u32 {
  const p = uftTable(id);
  return p == 0 ? 0 : changetype<Uft>(p).capacity;
}

/** The lookup hash of a flow: parse's flow hash (D_HASH) mixed with the in-port and D_CTX, so the
 *  same 5-tuple on two ports or overlays is two flows. It is the way's signature (never 0: 0 marks
 *  an empty way); its bits from 3 up choose the bucket, its top 3 bits the way a full bucket gives. */
// @ts-ignore: decorator
@inline export function uftHash(flowHash: u32, inPort: u32, ctx: u32): u32 {
  let h = flowHash ^ (inPort * 0x9e3779b1) ^ (ctx * 0x85ebca6b);
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  return h | 1;
}
