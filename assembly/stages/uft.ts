// Stage uft (STAGE_UFT): VFP's unified flow table on a vSwitch port (NSDI 2017 §5). a0 = UFT id
// (uft_configure gave it the port's layer program); a1 unused.
//
// What it does, per batch:
//   1. every packet in flight that is an unfragmented IPv4 TCP or UDP packet is looked up by its
//      exact flow (addresses, ports, protocol, in-port, D_CTX) in passes as the nat stage does (hash
//      and touch the bucket; find the way and touch the entry; verify and apply in packet order),
//      so the independent cache misses of the batch overlap instead of following one another.
//   2. a hit whose entry is alive (built under the current tables generation; its NAT session still
//      the flow's live session; not flushed since; the frame fits the underlay MTU and headroom) takes the entry's
//      composed transposition: ACL hit counter, NAT translation and session refresh (the nat stage's
//      own code; the session's line is read only when the NAT clock moved since the flow's last
//      refresh or the packet carries FIN/RST: E_NAT_CLOCK in assembly/tables/uft.ts), inner Ethernet addresses, VXLAN outer header (the encap stage's own code), D_AUX
//      and D_OUT_PORT, or the cached ACL drop; and the per-stage counters
//      of every layer the slow path would have counted. Hits are set aside (NEXT_UFT_HELD) while 3 runs.
//   3. every other packet walks the layer program as pipeline_run would run it, while the layers
//      note what they decided (assembly/tables/uft.ts); then each walked flow that may be cached
//      (forwarded to one port, or dropped by the ACL; not flooded, not refused by the FDB) leaves
//      an entry, replacing the flow's old one or the way its hash names.
// The result, bytes, descriptors and counters, is the layers' own for every packet (the property
// tests/property/uft.test.ts checks, against the same program without the UFT), as long as the
// tables do not change in the middle of a batch (VFP has the same window).
// Preconditions: parse ran (D_HASH, D_L3, D_L4, D_PROTO, D_FLAGS).
// Next stages: the port's egress, as after the layers; the batch may have grown (switch floods).
// Drops: those of the layers (counted under the layer's stage); none of its own.
// Counters (stage uft): in = pass = packets in flight; hits, entries built, replaced and stale ones
//   are the table's statistics (uft_stats).
// Trace: a hit gets one decision event (A_FAST_PATH, entry = UFT entry index, before = the ACL rule
//   that built it or 0xFFFFFFFF, after = the NAT session or 0xFFFFFFFF), then the NAT events, the
//   encapsulation's (A_ENCAP, entry = tunnel, under the encap stage) and the cached drop as the
//   layers would trace them, and the fields the entry writes (output port, inner Ethernet
//   addresses, outer headers) under STAGE_UFT; all at the UFT's step. A walk traces as the layers
//   do, each event at step (the UFT's step + its step in the layer program).
// Allocation: none.
import {
  DESC_SIZE, D_DATA, D_L3, D_L4, D_PROTO, D_IN_PORT, D_OUT_PORT, D_NEXT, D_ETHERTYPE, D_AUX, D_CTX, D_HASH, NEXT_CONTINUE,
  NEXT_DROP, NEXT_UFT_HELD, F_FRAGMENT, STAGE_UFT, STAGE_ACL, STAGE_VXLAN_ENCAP, C_IN, C_PASS, C_DROP,
  A_FAST_PATH, A_ENCAP, FIELD_NONE, SLOT_SIZE, STAGE_GUARD, FIELD_OUT_PORT, FIELD_ETH_DST, FIELD_ETH_SRC, FIELD_OUTER_ETH_DST, FIELD_OUTER_ETH_SRC,
  FIELD_OUTER_IP_SRC, FIELD_OUTER_IP_DST, FIELD_OUTER_SPORT, FIELD_VXLAN_VNI, FIELD_LEN,
} from '../abi';
import { stage_guard, unparkDue, parkWake, NO_WAKE } from './guard';
import { desc, descBase, ringBase, alloc } from '../memory';
import { countBatch, countStage } from '../counters';
import { tracing, traceEvent, setTraceStep, traceStepNow } from '../trace';
import { dropPacket } from '../verdict';
import { runLayer } from '../layers';
import { NatInstance, natInstance, natClock } from '../tables/nat-table';
import { vtep_table_image, H_MTU } from '../tables/vtep-table';
import { aclImage, AH_HITS, AH_NRULES } from '../tables/acl-classifier';
import { VXLAN_ENCAP_LEN } from '../wire/vxlan';
import { loadMac } from '../wire/ethernet';
import { IP_SRC, PROTO_TCP, PROTO_UDP } from '../wire/ipv4';
import { natSessionHolds, natApplySession, natApplyKept, natClosing, natKeptTranslation, natKeptStamp } from './nat';
import { encapWrite } from './vxlan-encap';
import {
  Uft, uftTable, uftProgram, uftHash, uftBucket, uftBucket2, uftBucketBytes, uftNote, uftScratch, setUftRecording, UFT_WAYS,
  UFT_NONE, UFT_NOTE_SIZE, UFT_ENTRY_SIZE, uftEpoch, E_SRC, E_PORTS, E_PROTO_PORT, E_PROTO_PORT_KEY, E_CTX, E_EPOCH,
  E_NAT_ADDR, E_NAT_PORT, E_NAT_CLOCK, E_NAT_SESSION, E_ACL_HITS, E_TUNNEL, E_AUX, E_OUT_PORT, E_DROP, E_DROP_STAGE,
  E_PASS_STAGES, E_INNER_ETH, UFT_SESSION_MASK, UFT_NO_SESSION, N_ACL_HITS, N_NAT_SESSION, N_TUNNEL, N_NO_CACHE,
  N_DROP_STAGE, N_PROTO, N_PASS, PASS_GUARD_SHIFT, PASS_GUARD_MAX, UFT_BUCKET_ENTRIES, uftSlot,
} from '../tables/uft';

const ETHERTYPE_IPV4: u32 = 0x0800;
// Scratch states (i32 at uftScratch + 8i + 4); >= 0 is a candidate entry between passes 2 and 3.
const SKIP: i32 = -1; // not in flight
const WALK: i32 = -2; // walks the layers, never cached (not an unfragmented IPv4 TCP/UDP packet)
const MISS: i32 = -3; // walks the layers, then leaves an entry
const PENDING: i32 = -4; // between passes 1 and 2
const HIT: i32 = -5; // took the fast path

/** Packets per chunk of the lookup passes (64 measured faster than 32 and 128 on pipeline-uft). */
const UFT_CHUNK: i32 = 64;

/** Keeps the touch loads of passes 1 and 2 observable so the optimizer cannot drop them. */
let uftSink: u32 = 0;

/** Pipeline stage (assembly/pipeline.ts), once per batch. a0 = UFT id. */
export function stage_uft(n: i32, a0: u32, a1: u32): i32 {
  const p = uftTable(a0);
  if (p == 0) abort('uft: table not configured');
  const t = changetype<Uft>(p);
  // Outer guards parking packets across this step would be woken by the walk's own guard steps.
  if (parkWake != NO_WAKE) abort('uft: a UFT step inside a guarded block');
  // A port's table takes its memory when the first packet that can be a flow of it arrives: ports
  // no TCP or UDP traffic reaches cost none.
  if (t.buckets == 0 && anyEligible(n)) {
    t.buckets = alloc(uftBucketBytes(t.capacity));
    t.entries = alloc(t.capacity * <u32>UFT_ENTRY_SIZE);
    memory.fill(t.buckets, 0, <usize>uftBucketBytes(t.capacity));
  }
  const scratch = uftScratch;
  const buckets = t.buckets;
  const entries = t.entries;
  const bmask = t.bucketMask;
  // The descriptor base in a local: a global is reloaded every iteration of a loop that stores.
  const base = descBase;
  const nat: usize = t.natInstance == UFT_NONE ? 0 : natInstance(t.natInstance);
  const epoch = uftEpoch(t);
  const natDir = t.natDir;
  // The NAT clock stamp under which an entry's session needs no refresh (E_NAT_CLOCK; never 0);
  // while tracing one no entry holds, so that every traced hit refreshes and traces as nat does.
  const clock: u32 = tracing ? 0x10000 : natClock & 0xffff;
  const mtu = programMtu(t);
  let sink: u32 = 0;
  let inN = 0;
  let flows = 0;
  let hits = 0;
  let walks = 0;
  let stale: u64 = 0;
  // The passes run over chunks of UFT_CHUNK packets: enough loads in flight to overlap the misses,
  // few enough that the lines a pass brought in are still in L1 when the next pass reads them.
  for (let c0 = 0; c0 < n; c0 += UFT_CHUNK) {
    const c1 = min(n, c0 + UFT_CHUNK);
    // Pass 1: which packets may take the fast path; their hash (the bucket loads follow).
    for (let i = c0; i < c1; i++) {
      const d = base + <usize>(i * DESC_SIZE);
      const sp = scratch + (<usize>i << 3);
      if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) {
        store<i32>(sp, SKIP, 4);
        continue;
      }
      inN++;
      if (!eligible(d)) {
        store<i32>(sp, WALK, 4);
        continue;
      }
      flows++;
      const h = uftHash(load<u32>(d, D_HASH), <u32>load<u16>(d, D_IN_PORT), load<u32>(d, D_CTX));
      store<u32>(sp, h, 0);
      store<i32>(sp, PENDING, 4);
    }
    // The bucket loads in a loop of their own: a few instructions per packet, so that the
    // out-of-order window holds many of these misses at once (inside pass 1, its thirty-odd
    // instructions per packet let only a handful overlap).
    for (let i = c0; i < c1; i++) {
      const sp = scratch + (<usize>i << 3);
      if (load<i32>(sp, 4) == PENDING) sink += load<u32>(buckets + (<usize>uftBucket(load<u32>(sp), bmask) << 6));
    }
    // Pass 2: the way whose signature is the hash names the candidate; load its entry.
    for (let i = c0; i < c1; i++) {
      const sp = scratch + (<usize>i << 3);
      if (load<i32>(sp, 4) != PENDING) continue;
      const h = load<u32>(sp, 0);
      const b = uftBucket(h, bmask);
      const bp = buckets + (<usize>b << 6);
      // A bit per way whose signature matches, without a branch per way (which way holds a flow is
      // random: a branch on it mispredicts); the first matching way (lowest bit) is the candidate.
      // (v128 compares would do it in two, but the build does not enable SIMD.)
      let ways = matchWays(bp, h);
      let at = b;
      if (ways == 0) {
        // Not in its first bucket: its second, when it has one.
        at = uftBucket2(h, b, bmask);
        if (at != b) ways = matchWays(buckets + (<usize>at << 6), h);
      }
      // The candidate: the matching way's entry (a way with a signature has one).
      const way = ways != 0 ? ctz<u32>(ways) : 0;
      const number = load<u32>(buckets + (<usize>at << 6) + (<usize>way << 2), UFT_BUCKET_ENTRIES);
      store<i32>(sp, ways != 0 ? <i32>(number - 1) : MISS, 4);
    }
    // The candidates' entry loads, in a loop of their own likewise.
    for (let i = c0; i < c1; i++) {
      const cand = load<i32>(scratch + (<usize>i << 3), 4);
      if (cand >= 0) sink += load<u32>(entries + (<usize>cand << 6), E_EPOCH);
    }
    // Pass 3: in packet order, verify and apply. (A pass touching what the entry names, as the
    // nat stage touches sessions, measured slower: the tunnel records are few, and the NAT session
    // is read only when the entry's stamp is not the current one.)
    for (let i = c0; i < c1; i++) {
      const sp = scratch + (<usize>i << 3);
      const cand = load<i32>(sp, 4);
      if (cand == SKIP) continue;
      if (cand < 0) {
        walks++;
        continue;
      }
      const d = base + <usize>(i * DESC_SIZE);
      const e = entries + (<usize>cand << 6);
      if (!sameFlow(e, d)) {
        store<i32>(sp, MISS, 4);
        walks++;
        continue;
      }
      // The entry's session needs no refresh: its stamp is the current one and the packet does not
      // close it (natKeptStamp); else the hit checks the session and refreshes it.
      const kept = <u32>load<u16>(e, E_NAT_CLOCK) == clock && !natClosing(d);
      if (!alive(e, d, i, epoch, nat, natDir, kept, mtu)) {
        stale++;
        store<i32>(sp, MISS, 4);
        walks++;
        continue;
      }
      store<i32>(sp, HIT, 4);
      hits++;
      applyEntry(t, e, d, i, nat, natDir, kept);
    }
  }
  flushTally();
  t.lookups += <u64>flows;
  t.hits += <u64>hits;
  t.stale += stale;
  uftSink = sink;
  let m = n;
  if (walks > 0) {
    // The hits in flight are held while the misses walk the layers, then continue after the stage.
    holdHits(n, NEXT_CONTINUE, NEXT_UFT_HELD);
    m = walk(t, n);
    holdHits(n, NEXT_UFT_HELD, NEXT_CONTINUE);
  }
  // Every packet in flight passes the UFT, by the fast path or through the layers (uft_stats tells
  // which); the layers count their own drops.
  countBatch(STAGE_UFT, inN, inN, 0, 0);
  return m;
}

/** D_NEXT of each hit that is `from` becomes `to`. */
function holdHits(n: i32, from: i32, to: i32): void {
  for (let i = 0; i < n; i++) {
    if (load<i32>(uftScratch + (<usize>i << 3), 4) != HIT) continue;
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) == from) store<u8>(d, <u8>to, D_NEXT);
  }
}

/** May the packet at descriptor d take the fast path: an unfragmented, parsed IPv4 TCP or UDP packet. */
// @ts-ignore: decorator
@inline function eligible(d: usize): bool {
  const tpf = load<u32>(d, D_ETHERTYPE); // ethertype u16, proto u8, flags u8
  const proto = (tpf >> 16) & 0xff;
  return (tpf & 0xffff) == ETHERTYPE_IPV4 && ((tpf >> 24) & F_FRAGMENT) == 0 && load<u8>(d, D_L3) != 0 &&
    load<u8>(d, D_L4) != 0 && (proto == PROTO_TCP || proto == PROTO_UDP);
}

function anyEligible(n: i32): bool {
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) == NEXT_CONTINUE && eligible(d)) return true;
  }
  return false;
}

/** Bit w set when way w of the bucket at `bp` holds signature `h` (UFT_WAYS = 8). */
// @ts-ignore: decorator
@inline function matchWays(bp: usize, h: u32): u32 {
  return <u32>(load<u32>(bp) == h) | (<u32>(load<u32>(bp, 4) == h) << 1) |
    (<u32>(load<u32>(bp, 8) == h) << 2) | (<u32>(load<u32>(bp, 12) == h) << 3) |
    (<u32>(load<u32>(bp, 16) == h) << 4) | (<u32>(load<u32>(bp, 20) == h) << 5) |
    (<u32>(load<u32>(bp, 24) == h) << 6) | (<u32>(load<u32>(bp, 28) == h) << 7);
}

/** Is the entry the packet's flow (the key compared whole)? */
// @ts-ignore: decorator
@inline function sameFlow(e: usize, d: usize): bool {
  const data = <usize>load<u32>(d, D_DATA);
  const ip = data + <usize>load<u8>(d, D_L3);
  const l4 = data + <usize>load<u8>(d, D_L4);
  const protoPort = <u32>load<u8>(ip, 9) | (<u32>load<u16>(d, D_IN_PORT) << 16);
  // One test of all the differences (a hit compares every word anyway).
  const diff = (load<u32>(e, E_PORTS) ^ load<u32>(l4)) | ((load<u32>(e, E_PROTO_PORT) & E_PROTO_PORT_KEY) ^ protoPort) |
    (load<u32>(e, E_CTX) ^ load<u32>(d, D_CTX));
  return ((load<u64>(e, E_SRC) ^ load<u64>(ip, IP_SRC)) | <u64>diff) == 0;
}

/** Is the entry still what the layers would do: same tables, the NAT session still the flow's (known
 *  without reading it when `kept`), and the encapsulated frame within headroom and MTU? */
// @ts-ignore: decorator
@inline function alive(e: usize, d: usize, i: i32, epoch: u32, nat: usize, natDir: u32, kept: bool, mtu: u32): bool {
  if (load<u32>(e, E_EPOCH) != epoch) return false;
  const s = load<u32>(e, E_NAT_SESSION) & UFT_SESSION_MASK;
  if (s != UFT_NO_SESSION) {
    if (nat == 0) return false;
    if (!kept && !natSessionHolds(changetype<NatInstance>(nat), d, natDir, s)) return false;
  }
  if (load<u32>(e, E_TUNNEL) != 0) {
    const data = <usize>load<u32>(d, D_DATA);
    const headroom = <i32>(data - (ringBase + <usize>(i * SLOT_SIZE)));
    const len = <u32>load<u16>(d, 4);
    if (headroom < VXLAN_ENCAP_LEN || len + 36 > mtu) return false;
  }
  return true;
}

/** The underlay MTU of the layer program's VXLAN encap step (0: none, or its table not loaded). */
function programMtu(t: Uft): u32 {
  for (let s = 0; s < t.steps; s++) {
    const p = uftProgram(t) + <usize>(s * 12);
    if (load<u32>(p) != <u32>STAGE_VXLAN_ENCAP) continue;
    const v = vtep_table_image(load<u32>(p, 4));
    return v == 0 ? 0 : load<u32>(v, H_MTU);
  }
  return 0;
}

/** The composed transposition of entry `e` on packet i (descriptor d); a forwarded packet stays in
 *  flight (NEXT_CONTINUE; the walk holds it meanwhile). */
// @ts-ignore: decorator
@inline function applyEntry(t: Uft, e: usize, d: usize, i: i32, nat: usize, natDir: u32, kept: bool): void {
  const stages = <u32>load<u16>(e, E_PASS_STAGES);
  if (stages != tallyStages) {
    flushTally();
    tallyStages = stages;
  }
  tallyCount++;
  const hitsAt = <usize>load<u32>(e, E_ACL_HITS);
  if (hitsAt != 0) store<u64>(hitsAt, load<u64>(hitsAt) + 1);
  const s = load<u32>(e, E_NAT_SESSION) & UFT_SESSION_MASK;
  if (tracing) {
    const traced = s == UFT_NO_SESSION ? UFT_NONE : s;
    traceEvent(i, STAGE_UFT, A_FAST_PATH, <i32>((e - t.entries) >> 6), FIELD_NONE, <u64><u32>aclRule(t, hitsAt), <u64>traced);
  }
  if (s != UFT_NO_SESSION) {
    if (kept) {
      natApplyKept(d, natDir, s, load<u32>(e, E_NAT_ADDR), load<u16>(e, E_NAT_PORT));
    } else {
      const inst = changetype<NatInstance>(nat);
      natApplySession(inst, i, d, natDir, s);
      store<u16>(e, <u16>natKeptStamp(inst, s), E_NAT_CLOCK);
    }
  }
  const data = <usize>load<u32>(d, D_DATA);
  if (tracing) traceEthFields(i, data, e);
  store<u64>(data, load<u64>(e, E_INNER_ETH));
  store<u32>(data, load<u32>(e, E_INNER_ETH + 8), 8);
  const rec = <usize>load<u32>(e, E_TUNNEL);
  if (rec != 0) {
    const len = <u64>load<u16>(d, 4);
    const o = encapWrite(d, load<u64>(d, D_DATA), load<u64>(d, D_CTX), rec);
    if (tracing) traceOuter(i, o, len, load<u32>(d, D_AUX));
  }
  store<u32>(d, load<u32>(e, E_AUX), D_AUX);
  if (tracing) traceHitFields(i, d, e);
  store<u16>(d, load<u16>(e, E_OUT_PORT), D_OUT_PORT);
  const reason = load<u8>(e, E_DROP);
  if (reason != 0) {
    const stage = <i32>load<u8>(e, E_DROP_STAGE);
    countStage(stage, C_IN, 1);
    countStage(stage, C_DROP, 1);
    dropPacket(d, i, stage, reason, aclRule(t, hitsAt));
  }
}

/** A traced hit: the inner Ethernet addresses the entry writes, as the layers would trace them. */
function traceEthFields(i: i32, data: usize, e: usize): void {
  const dst0 = loadMac(data);
  const src0 = loadMac(data + 6);
  const dst1 = loadMac(e + <usize>E_INNER_ETH);
  const src1 = loadMac(e + <usize>E_INNER_ETH + 6);
  if (dst0 != dst1) traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_ETH_DST, dst0, dst1);
  if (src0 != src1) traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_ETH_SRC, src0, src1);
}

/** A traced hit that the entry encapsulated: the outer headers, as vxlan-encap traces them. */
function traceOuter(i: i32, o: usize, len: u64, tunnel: u32): void {
  const udp = o + 34;
  const vni = (<u64>load<u8>(udp, 12) << 16) | (<u64>load<u8>(udp, 13) << 8) | <u64>load<u8>(udp, 14);
  // The tunnel the entry encapsulates to, as the encap stage names it (the hop names its endpoint).
  traceEvent(i, STAGE_VXLAN_ENCAP, A_ENCAP, <i32>tunnel, FIELD_NONE, 0, vni);
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUTER_ETH_DST, 0, loadMac(o));
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUTER_ETH_SRC, 0, loadMac(o + 6));
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUTER_IP_SRC, 0, <u64>bswap<u32>(load<u32>(o, 14 + IP_SRC)));
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUTER_IP_DST, 0, <u64>bswap<u32>(load<u32>(o, 14 + IP_SRC + 4)));
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUTER_SPORT, 0, <u64>bswap<u16>(load<u16>(udp)));
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_VXLAN_VNI, 0, vni);
  traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_LEN, len, len + <u64>VXLAN_ENCAP_LEN);
}

/** A traced hit: the output port the entry gives the packet. */
function traceHitFields(i: i32, d: usize, e: usize): void {
  const before = <u64>load<u16>(d, D_OUT_PORT);
  const after = <u64>load<u16>(e, E_OUT_PORT);
  if (before != after) traceEvent(i, STAGE_UFT, A_FAST_PATH, -1, FIELD_OUT_PORT, before, after);
}

// Hits of a batch count in and passed for the stages their entries name: runs of entries naming the
// same stages (nearly all of a port's) are added to the counters once per run.
let tallyStages: u32 = 0;
let tallyCount: u64 = 0;

function flushTally(): void {
  let bits = tallyStages & ((<u32>1 << PASS_GUARD_SHIFT) - 1);
  const guards = <u64>(tallyStages >> PASS_GUARD_SHIFT);
  if (guards != 0 && tallyCount != 0) {
    countStage(STAGE_GUARD, C_IN, tallyCount * guards);
    countStage(STAGE_GUARD, C_PASS, tallyCount * guards);
  }
  while (bits != 0) {
    const s = <i32>ctz<u32>(bits);
    countStage(s, C_IN, tallyCount);
    countStage(s, C_PASS, tallyCount);
    bits &= bits - 1;
  }
  tallyCount = 0;
}

/** The ACL rule whose hit counter is at `hitsAt` (-1: a default action, or no ACL layer). */
function aclRule(t: Uft, hitsAt: usize): i32 {
  if (hitsAt == 0 || t.aclSet == UFT_NONE) return -1;
  const image = aclImage(t.aclSet);
  if (image == 0) return -1;
  const rule = <i32>((hitsAt - <usize>load<u32>(image, AH_HITS)) >> 3);
  return rule < <i32>load<u32>(image, AH_NRULES) ? rule : -1;
}

/** Step 3: the misses walk the layers, noting what each decided; then their flows become entries. */
function walk(t: Uft, n: i32): i32 {
  const scratch = uftScratch;
  // The flow key of each miss before the layers rewrite it: protocol, addresses and ports (N_PROTO,
  // bytes 20..31 of the note).
  for (let i = 0; i < n; i++) {
    const st = load<i32>(scratch + (<usize>i << 3), 4);
    if (st != MISS && st != WALK) continue;
    const note = uftNote(i);
    memory.fill(note, 0, <usize>UFT_NOTE_SIZE);
    store<u32>(note, UFT_NONE, N_NAT_SESSION);
    if (st == MISS) {
      const d = desc(i);
      const data = <usize>load<u32>(d, D_DATA);
      store<u64>(note, load<u64>(data + <usize>load<u8>(d, D_L3), IP_SRC), 20);
      store<u32>(note, load<u32>(data + <usize>load<u8>(d, D_L4)), 28);
      store<u8>(note, load<u8>(d, D_PROTO), N_PROTO);
    }
  }
  setUftRecording(true);
  // The layer program runs as pipeline_run would run it, guards included; its events carry the
  // step numbers of the program the port would run without the UFT (this step's number + s).
  const step0 = traceStepNow();
  let m = n;
  for (let s = 0; s < t.steps; s++) {
    if (<u32>s >= parkWake) unparkDue(m, <u32>s);
    const p = uftProgram(t) + <usize>(s * 12);
    const stage = load<u32>(p);
    setTraceStep(step0 + s);
    notePass(n, stage);
    if (stage == <u32>STAGE_GUARD) m = stage_guard(m, load<u32>(p, 4), load<u32>(p, 8), s);
    else m = runLayer(m, stage, load<u32>(p, 4), load<u32>(p, 8));
  }
  if (parkWake != NO_WAKE) unparkDue(m, NO_WAKE);
  setTraceStep(step0);
  setUftRecording(false);
  // A table the walk changed (the switch learned a moved MAC) ends the entries built before it.
  const epoch = uftEpoch(t);
  for (let i = 0; i < n; i++) {
    if (load<i32>(scratch + (<usize>i << 3), 4) != MISS) continue;
    build(t, i, load<u32>(scratch + (<usize>i << 3)), epoch);
  }
  return m;
}

/** Before a step of the walk: each walked packet in flight is counted by the step's stage (a guard:
 *  one more guard evaluation), which the entry's hits count again. */
function notePass(n: i32, stage: u32): void {
  const scratch = uftScratch;
  for (let i = 0; i < n; i++) {
    if (load<i32>(scratch + (<usize>i << 3), 4) != MISS || <i32>load<u8>(desc(i), D_NEXT) != NEXT_CONTINUE) continue;
    const note = uftNote(i);
    let pass = <u32>load<u16>(note, N_PASS);
    if (stage == <u32>STAGE_GUARD) {
      // More guard evaluations than the entry counts: the flow stays on the layers.
      if ((pass >> <u32>PASS_GUARD_SHIFT) >= <u32>PASS_GUARD_MAX) store<u8>(note, 1, N_NO_CACHE);
      else pass += <u32>1 << <u32>PASS_GUARD_SHIFT;
    } else {
      pass |= <u32>1 << stage;
    }
    store<u16>(note, <u16>pass, N_PASS);
  }
}

/** Makes the entry of packet i's flow from its notes and its state after the layers. */
function build(t: Uft, i: i32, h: u32, epoch: u32): void {
  const note = uftNote(i);
  if (load<u8>(note, N_NO_CACHE) != 0) return;
  const d = desc(i);
  const next = <i32>load<u8>(d, D_NEXT);
  const dropStage = <u32>load<u8>(note, N_DROP_STAGE);
  if (next == NEXT_DROP) {
    if (dropStage != <u32>STAGE_ACL) return;
  } else if (next != NEXT_CONTINUE) {
    return;
  }
  // Stages counted in and passed (notePass), less the one that dropped.
  let passStages = <u32>load<u16>(note, N_PASS);
  if (next == NEXT_DROP) passStages &= ~(<u32>1 << dropStage);
  // Placement: the flow's own way (in either bucket), else the first empty way of its first bucket,
  // then of its second, else the way the hash names in the first.
  const b1 = uftBucket(h, t.bucketMask);
  const b2 = uftBucket2(h, b1, t.bucketMask);
  let slot = findWay(t, b1, h, note, d);
  if (slot < 0 && b2 != b1) slot = findWay(t, b2, h, note, d);
  if (slot < 0) {
    slot = emptyWay(t, b1);
    if (slot < 0 && b2 != b1) slot = emptyWay(t, b2);
    // Both full: a flow of either moves to its other bucket when that has an empty way.
    if (slot < 0) slot = makeRoom(t, b1);
    if (slot < 0 && b2 != b1) slot = makeRoom(t, b2);
    if (slot < 0) {
      slot = <i32>(b1 * <u32>UFT_WAYS + (h >>> 29));
      t.evictions++;
    }
  }
  // The way's entry, or the next one when the way holds its first flow.
  const numberAt = uftSlot(t.buckets, <u32>slot) + <usize>UFT_BUCKET_ENTRIES;
  let number = load<u32>(numberAt);
  if (number == 0) {
    number = ++t.entryNext;
    store<u32>(numberAt, number);
  }
  const e = t.entries + (<usize>(number - 1) << 6);
  const data = <usize>load<u32>(d, D_DATA);
  const tunnel = load<u32>(note, N_TUNNEL);
  store<u64>(e, load<u64>(note, 20), E_SRC);
  store<u32>(e, load<u32>(note, 28), E_PORTS);
  store<u32>(e, notedProtoPort(note, d), E_PROTO_PORT);
  store<u8>(e, next == NEXT_DROP ? <u8>dropStage : 0, E_DROP_STAGE);
  store<u32>(e, load<u32>(d, D_CTX), E_CTX);
  store<u32>(e, epoch, E_EPOCH);
  // NAT: the session, and what the hits that need not refresh it write (the walk just refreshed it).
  const s = load<u32>(note, N_NAT_SESSION);
  const nat = s == UFT_NONE ? 0 : natInstance(t.natInstance);
  if (nat != 0) {
    const kept = natKeptTranslation(changetype<NatInstance>(nat), s, t.natDir);
    store<u32>(e, <u32>kept, E_NAT_ADDR);
    store<u16>(e, <u16>(kept >> 32), E_NAT_PORT);
    store<u16>(e, <u16>natKeptStamp(changetype<NatInstance>(nat), s), E_NAT_CLOCK);
    store<u32>(e, s, E_NAT_SESSION);
  } else {
    store<u64>(e, 0, E_NAT_ADDR);
    store<u32>(e, UFT_NO_SESSION, E_NAT_SESSION);
  }
  store<u8>(e, next == NEXT_DROP ? load<u8>(d, 15) : 0, E_DROP);
  store<u32>(e, load<u32>(note, N_ACL_HITS), E_ACL_HITS);
  store<u32>(e, tunnel, E_TUNNEL);
  store<u32>(e, load<u32>(d, D_AUX), E_AUX);
  store<u16>(e, load<u16>(d, D_OUT_PORT), E_OUT_PORT);
  store<u16>(e, <u16>passStages, E_PASS_STAGES);
  const inner = tunnel != 0 ? data + <usize>VXLAN_ENCAP_LEN : data;
  store<u64>(e, load<u64>(inner), E_INNER_ETH);
  store<u32>(e, load<u32>(inner, 8), E_INNER_ETH + 8);
  store<u32>(uftSlot(t.buckets, <u32>slot), h);
  t.inserts++;
}

/** The way (bucket × UFT_WAYS + way) of bucket b that holds the flow of the walked packet (note,
 *  d), or -1. */
function findWay(t: Uft, b: u32, h: u32, note: usize, d: usize): i32 {
  for (let slot = b * <u32>UFT_WAYS; slot < (b + 1) * <u32>UFT_WAYS; slot++) {
    const at = uftSlot(t.buckets, slot);
    if (load<u32>(at) != h) continue;
    if (sameKeyAsNote(t.entries + (<usize>(load<u32>(at, UFT_BUCKET_ENTRIES) - 1) << 6), note, d)) return <i32>slot;
  }
  return -1;
}

/** Frees a way of the full bucket b by moving the first of its flows whose other bucket has an
 *  empty way there (signature and entry number); returns the freed way, or -1. */
function makeRoom(t: Uft, b: u32): i32 {
  for (let slot = b * <u32>UFT_WAYS; slot < (b + 1) * <u32>UFT_WAYS; slot++) {
    const from = uftSlot(t.buckets, slot);
    const sig = load<u32>(from);
    const first = uftBucket(sig, t.bucketMask);
    const other = first == b ? uftBucket2(sig, first, t.bucketMask) : first;
    if (other == b) continue;
    const to = emptyWay(t, other);
    if (to < 0) continue;
    // The flow moves with its entry; the freed way takes the empty way's entry number (none yet).
    const toAt = uftSlot(t.buckets, <u32>to);
    const number = load<u32>(toAt, UFT_BUCKET_ENTRIES);
    store<u32>(toAt, sig);
    store<u32>(toAt, load<u32>(from, UFT_BUCKET_ENTRIES), UFT_BUCKET_ENTRIES);
    store<u32>(from, number, UFT_BUCKET_ENTRIES);
    return <i32>slot;
  }
  return -1;
}

/** The first empty way of bucket b, or -1. */
function emptyWay(t: Uft, b: u32): i32 {
  for (let slot = b * <u32>UFT_WAYS; slot < (b + 1) * <u32>UFT_WAYS; slot++) {
    if (load<u32>(uftSlot(t.buckets, slot)) == 0) return <i32>slot;
  }
  return -1;
}

/** Protocol | in-port << 16 of the walked packet whose note kept its protocol. */
// @ts-ignore: decorator
@inline function notedProtoPort(note: usize, d: usize): u32 {
  return <u32>load<u8>(note, N_PROTO) | (<u32>load<u16>(d, D_IN_PORT) << 16);
}

/** Does entry e hold the flow whose pre-layer key the note kept (with d's protocol, port, D_CTX)? */
// @ts-ignore: decorator
@inline function sameKeyAsNote(e: usize, note: usize, d: usize): bool {
  return load<u64>(e, E_SRC) == load<u64>(note, 20) && load<u32>(e, E_PORTS) == load<u32>(note, 28) &&
    (load<u32>(e, E_PROTO_PORT) & E_PROTO_PORT_KEY) == notedProtoPort(note, d) && load<u32>(e, E_CTX) == load<u32>(d, D_CTX);
}
