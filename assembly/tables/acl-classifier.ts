// ACL classifier: the rule-set aclDirectory, the image layout (built by src/table-images/acl-image.ts, which documents
// it; tests/unit/acl-image.test.ts checks the constants agree), the per-batch scratch and the batch
// lookup the acl stage runs.
//
// Lookup is tuple-space search with tuple pruning, packet by packet: one table read per address
// prefix length in use says which tuples hold the packet's masked addresses; the packet then
// probes those tuples in order of their best rank (one hash, one slot) until the next one cannot
// improve on its best match. Measured against a tuple-major walk over the batch (every tuple
// filtering every packet still in flight, or rounds in which every active packet probes its next
// viable tuple without a branch on the outcome): with ~4-8 viable tuples a packet among 30-37, the
// per-tuple pass over the batch cost more than the mispredictions it avoided (acl bench, 1k rules:
// 119 ns a packet tuple-major, 106 in rounds, 99 packet by packet; 10k: 238 / 253 / 189).
// The prefilter runs as its own pass over the batch (no data-dependent branch, so consecutive
// packets' table reads overlap) before the probes; with 8 prefilter slots per masked address (was
// 2) the stage went from 85 to 75 ns a packet at 1k rules and 176 to 151 at 10k (medians of 7
// alternating runs on a loaded 2-vCPU machine). A C build of this same lookup on the same image
// (gcc -O2, process CPU time) takes ~64 / ~130-145 ns: the bound is the walk, not WebAssembly:
// ~18-20 ns a probe, 2.5 probes a packet at 1k and 4.9 at 10k, of which 0.7 / 2.0 are prefilter
// false positives and 0.7 / 1.8 come after the best match. Measured in C and not kept: one
// 32-byte cell per slot holding the first entry (no fingerprint, one read fewer: no faster), a
// Bloom byte per tuple in the prefilter rows (skips 0.18 of the 0.71 misses: slower), probing
// every viable tuple branch-free (7.3 a packet: slower), rounds across the batch and pairs of
// packets interleaved (slower). With an oracle for the exact set of tuples holding a match the C
// build takes 43 / 87 ns, with only the deciding tuple 36 / 52: that is what a tighter
// pre-selection (an exact pair filter, rank-split tuples) would buy. Both measured in C and not kept
// (medians of 3-5 alternating runs; the C stage split: gather + verdicts ~10 ns, prefilter pass
// ~6 / ~9, probes the rest): an exact (local, remote) pair prefilter, one table per pair of
// lengths in use (9) with bit k set when tuple k holds the masked pair, cuts probes from 2.48 to
// 2.17 a packet at 1k and 4.91 to 3.90 at 10k (false positives 0.71 -> 0.40, 2.05 -> 1.08) but
// its 9 reads cost more than the probes saved (61-64 -> 68-69 ns at 1k, 118-127 -> 136-138 at
// 10k); even for free (an oracle of the same set) it gives only 61 / 114. Splitting the largest
// tuples into 2-4 rank bands, or only their first 5-15% of ranks apart, so the best-rank bound
// stops sooner: probes after the best match fall (0.74 -> 0.29-0.47 at 1k, 1.80 -> 1.15-1.36 at
// 10k) but the halves share most addresses, so prefilter false positives rise as much (0.71 ->
// 0.95-1.40, 2.05 -> 2.2-2.7) and the 64 masked tuples fill at 10k: 64 -> 64-74 ns at 1k,
// 118 -> 126-148 at 10k. The miss is not the pre-selection's precision but the probe itself.
import { tablesChanged } from './generation';
import { alloc, Directory, dirFind, dirRecord, replaced, ringSlots } from '../memory';

export const ACL_MAX_RULE_SETS: i32 = 1 << 22;
export const ACL_MAGIC: u32 = 0x314c4341;
export const ACL_HEADER_SIZE: i32 = 48;
export const AH_MAGIC: i32 = 0;
export const AH_NRULES: i32 = 4;
export const AH_DEFAULT_IN: i32 = 8;
export const AH_DEFAULT_OUT: i32 = 12;
export const AH_HITS: i32 = 16;
export const AH_RANKS: i32 = 20;
export const AH_CLASS_IN: i32 = 24;
export const AH_CLASS_OUT: i32 = 28;
export const AH_CACHE_IN: i32 = 32;
export const AH_CACHE_OUT: i32 = 36;
export const AH_CACHE_SHIFT: i32 = 40;
export const ACL_CLS_TUPLES: i32 = 32;
export const AC_NTUPLES: i32 = 0;
export const AC_NLOCAL: i32 = 4;
export const AC_NREMOTE: i32 = 8;
export const AC_LOCAL0: i32 = 16;
export const AC_REMOTE0: i32 = 24;
export const ACL_LEN_SIZE: i32 = 32;
export const AL_MASK: i32 = 0;
export const AL_SHIFT: i32 = 4;
export const AL_TABLE: i32 = 8;
export const ACL_BLOOM_MUL: u32 = 0x9e3779b1;
export const ACL_MASKED_TUPLES: i32 = 64;
export const ACL_TUPLE_SIZE: i32 = 32;
export const AT_LMASK: i32 = 0;
export const AT_RMASK: i32 = 4;
export const AT_PMASK: i32 = 8;
export const AT_PORTMASK: i32 = 12;
export const AT_MINRANK: i32 = 16;
export const AT_SLOTS: i32 = 20;
export const AT_SHIFT: i32 = 24;
export const ACL_SLOT_SIZE: i32 = 16;
export const AS_FP: i32 = 0;
export const AS_ENTRIES: i32 = 4;
export const AS_COUNT: i32 = 8;
export const AS_SHARED: i32 = 12;
export const ACL_ENTRY_SIZE: i32 = 32;
export const AE_RANK: i32 = 0;
export const AE_LNET: i32 = 4;
export const AE_LMASK: i32 = 8;
export const AE_RNET: i32 = 12;
export const AE_RMASK: i32 = 16;
export const AE_PROTO: i32 = 20;
export const AE_LPORTS: i32 = 24;
export const AE_RPORTS: i32 = 28;
export const ACL_CACHE_ENTRY_SIZE: i32 = 16;
export const ACL_CACHE_NO_RULE: u32 = 0x3fffff;
export const ACL_NO_PORTS: u32 = 0x100;

/** Rank of "no rule matched" in the scratch: above every real rank. */
export const ACL_NO_MATCH: u32 = 0xffffffff;

// Per-packet scratch of one batch (ACL_KEY_SIZE bytes per packet still in flight), filled by the
// stage's gather pass: the packet's fields as the rules see them, its best rank so far, its index.
export const ACL_KEY_SIZE: i32 = 64;
export const K_LOCAL: i32 = 0;
export const K_REMOTE: i32 = 4;
export const K_PORTS: i32 = 8; // local port << 16 | remote port (0 when the packet has no ports)
export const K_PROTO: i32 = 12; // protocol | ACL_NO_PORTS when the packet has no ports
export const K_BEST: i32 = 16;
export const K_INDEX: i32 = 20;
export const K_FLAGS: i32 = 24;
export const K_CACHE: i32 = 28; // the verdict-cache entry this packet maps to (0: no cache)
export const K_VIABLE: i32 = 32; // u64: the tuples (of the first ACL_MASKED_TUPLES) the prefilters let through
export const ACL_KEY_NON_IP: u32 = 1; // the ACL lets the frame pass untouched
export const ACL_KEY_CACHED: u32 = 2; // the decision came from the verdict cache

/** Records by id, grown to the highest rule set loaded. */
export const aclDirectory = changetype<Directory>(memory.data(16, 16));
/** Scratch records, one per packet in flight. */
export let aclRecords: usize = 0;
/** Addresses of the records the classifier must decide (verdict-cache misses). */
export let aclMisses: usize = 0;

/** Called by the engine's loadAcl (src/engine/loaders/acl.ts) once per rule-set load, after it wrote
 *  the image at `image`. Returns 0, or -1 for an id out of range or an image without the magic. */
export function acl_load(id: u32, image: usize): i32 {
  tablesChanged();
  if (id >= <u32>ACL_MAX_RULE_SETS) return -1;
  if (image != 0 && load<u32>(image, AH_MAGIC) != ACL_MAGIC) return -1;
  if (aclRecords == 0) {
    aclRecords = alloc(<u32>(ringSlots * ACL_KEY_SIZE));
    aclMisses = alloc(<u32>(ringSlots * 4));
  }
  const slot = dirRecord(aclDirectory, id, 4);
  replaced(<usize>load<u32>(slot), image);
  store<u32>(slot, <u32>image);
  return 0;
}

/** Called by the engine when it reads hit counters (on demand): the image of rule set `id`, 0 if none. */
export function acl_image(id: u32): usize {
  return aclImage(id);
}

// @ts-ignore: decorator
@inline export function aclImage(id: u32): usize {
  const r = dirFind(aclDirectory, id, 4);
  return r == 0 ? 0 : <usize>load<u32>(r);
}

/** Hash of a masked key, and of a flow for the verdict cache (src/table-images/acl-classifier.ts aclHash computes the same):
 *  tables index with its top bits (`h >>> shift`); the whole value is the fingerprint. */
// @ts-ignore: decorator
@inline export function aclHash(l: u32, r: u32, ports: u32, proto: u32): u32 {
  return l * 0x9e3779b1 + r * 0x85ebca77 + (ports ^ (proto << 24)) * 0xc2b2ae3d;
}

/** For each of the m records listed at aclMisses, finds the lowest-ranked matching entry of classifier
 *  `cls` (K_BEST stays ACL_NO_MATCH when none matches). */
export function aclClassify(cls: usize, m: i32): void {
  const nTuples = <i32>load<u32>(cls, AC_NTUPLES);
  if (nTuples == 0) return;
  const nLocal = <i32>load<u32>(cls, AC_NLOCAL);
  const nLens = nLocal + <i32>load<u32>(cls, AC_NREMOTE);
  const tuples = cls + ACL_CLS_TUPLES;
  const lens = tuples + <usize>(nTuples * ACL_TUPLE_SIZE);
  const local0 = load<u64>(cls, AC_LOCAL0);
  const remote0 = load<u64>(cls, AC_REMOTE0);
  const unmasked = tuples + <usize>(ACL_MASKED_TUPLES * ACL_TUPLE_SIZE);
  const tuplesEnd = tuples + <usize>(nTuples * ACL_TUPLE_SIZE);
  const misses = aclMisses;
  const missesEnd = misses + (<usize>m << 2);
  // Pass 1, prefilter (tuple pruning): a tuple keyed on local length L can only match a packet whose
  // local address, masked to L, the tuple holds; likewise remote. One table read per length in use
  // gives the set of the first ACL_MASKED_TUPLES tuples worth probing. Packets are independent here
  // and the loop has no data-dependent branch, so the reads of consecutive packets overlap.
  for (let j = misses; j < missesEnd; j += 4) {
    const r = <usize>load<u32>(j);
    const local = load<u32>(r, K_LOCAL);
    const remote = load<u32>(r, K_REMOTE);
    let vl = local0;
    let lp = lens;
    for (let f = 0; f < nLocal; f++, lp += ACL_LEN_SIZE) {
      const slot = (local & load<u32>(lp, AL_MASK)) * ACL_BLOOM_MUL >>> load<u32>(lp, AL_SHIFT);
      vl |= load<u64>(<usize>load<u32>(lp, AL_TABLE) + (<usize>slot << 3));
    }
    let vr = remote0;
    for (let f = nLocal; f < nLens; f++, lp += ACL_LEN_SIZE) {
      const slot = (remote & load<u32>(lp, AL_MASK)) * ACL_BLOOM_MUL >>> load<u32>(lp, AL_SHIFT);
      vr |= load<u64>(<usize>load<u32>(lp, AL_TABLE) + (<usize>slot << 3));
    }
    store<u64>(r, vl & vr, K_VIABLE);
  }
  // Pass 2: probe the viable tuples in order of their best rank (their index order) until one can no
  // longer improve on the best match found: the cost follows the tuples this packet can match, not
  // the tuples there are.
  for (let j = misses; j < missesEnd; j += 4) {
    const r = <usize>load<u32>(j);
    const local = load<u32>(r, K_LOCAL);
    const remote = load<u32>(r, K_REMOTE);
    const ports = load<u32>(r, K_PORTS);
    const proto = load<u32>(r, K_PROTO);
    let best = ACL_NO_MATCH;
    let v = load<u64>(r, K_VIABLE);
    while (v != 0) {
      const tp = tuples + (<usize>ctz<u64>(v) << 5);
      v &= v - 1;
      if (load<u32>(tp, AT_MINRANK) >= best) break;
      best = probe(tp, local, remote, ports, proto, best);
    }
    for (let tp = unmasked; tp < tuplesEnd; tp += ACL_TUPLE_SIZE) {
      if (load<u32>(tp, AT_MINRANK) >= best) break;
      best = probe(tp, local, remote, ports, proto, best);
    }
    store<u32>(r, best, K_BEST);
  }
}

/** Whether the packet matches the entry at e (all five fields). */
// @ts-ignore: decorator
@inline function entryMatches(e: usize, local: u32, remote: u32, lport: u32, rport: u32, proto: u32): bool {
  const pw = load<u32>(e, AE_PROTO);
  const lp = load<u32>(e, AE_LPORTS);
  const rp = load<u32>(e, AE_RPORTS);
  return (
    i32((local & load<u32>(e, AE_LMASK)) == load<u32>(e, AE_LNET)) &
    i32((remote & load<u32>(e, AE_RMASK)) == load<u32>(e, AE_RNET)) &
    i32((proto & (pw >>> 16)) == (pw & 0xffff)) &
    i32(lport - (lp & 0xffff) <= (lp >>> 16) - (lp & 0xffff)) &
    i32(rport - (rp & 0xffff) <= (rp >>> 16) - (rp & 0xffff))
  ) != 0;
}

/** One tuple's probe: the rank of the first entry of the packet's slot that matches, if it ranks
 *  before `best`; otherwise `best`. */
// @ts-ignore: decorator
@inline function probe(tp: usize, local: u32, remote: u32, ports: u32, proto: u32, best: u32): u32 {
  const h = aclHash(local & load<u32>(tp, AT_LMASK), remote & load<u32>(tp, AT_RMASK), ports & load<u32>(tp, AT_PORTMASK), proto & load<u32>(tp, AT_PMASK));
  const sp = <usize>load<u32>(tp, AT_SLOTS) + (<usize>(h >>> load<u32>(tp, AT_SHIFT)) << 4);
  if (load<u32>(sp, AS_FP) != h && load<u32>(sp, AS_SHARED) == 0) return best;
  const lport = ports >>> 16;
  const rport = ports & 0xffff;
  let e = <usize>load<u32>(sp, AS_ENTRIES);
  const end = e + (<usize>load<u32>(sp, AS_COUNT) << 5);
  for (; e < end; e += ACL_ENTRY_SIZE) {
    const rank = load<u32>(e, AE_RANK);
    if (rank >= best) break;
    if (entryMatches(e, local, remote, lport, rport, proto)) return rank;
  }
  return best;
}
