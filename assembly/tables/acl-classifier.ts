// ACL classifier: the rule-set aclDirectory, the image layout (built by src/table-images/acl-image.ts, which documents
// it; tests/unit/acl-image.test.ts checks the constants agree), the per-batch scratch and the batch
// lookup the acl stage runs.
//
// Lookup is tuple-space search over a batch with tuple pruning: per packet, one bitmap test per
// address prefix length in use says which tuples can hold its masked addresses; then tuple-major, for
// each tuple (in order of its best rank) every packet it may still improve hashes its key under the
// tuple's masks and reads one slot. That probe has no data-dependent branch (the hit is an integer
// added to a candidate count), so random traffic costs no mispredictions there, and consecutive
// probes belong to different packets, so their cache misses overlap. Only the candidates
// (fingerprint match) scan their slot's entries.
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
export const AL_BITMAP: i32 = 8;
export const AL_TUPLES: i32 = 16;
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
export const K_VIABLE: i32 = 32; // u64: tuples the prefilters let through
export const ACL_KEY_NON_IP: u32 = 1; // the ACL lets the frame pass untouched
export const ACL_KEY_CACHED: u32 = 2; // the decision came from the verdict cache

/** Records by id, grown to the highest rule set loaded. */
export const aclDirectory = changetype<Directory>(memory.data(16, 16));
/** Scratch records, one per packet in flight. */
export let aclRecords: usize = 0;
/** Addresses of the records the classifier must decide (verdict-cache misses). */
export let aclMisses: usize = 0;
/** Per tuple: (record, slot) pairs whose slot may hold a better match. */
let aclCandidates: usize = 0;
/** The records of one tuple's list that can still improve. */
let aclSurvivors: usize = 0;

/** Called by the engine's loadAcl (src/engine/loaders/acl.ts) once per rule-set load, after it wrote
 *  the image at `image`. Returns 0, or -1 for an id out of range or an image without the magic. */
export function acl_load(id: u32, image: usize): i32 {
  tablesChanged();
  if (id >= <u32>ACL_MAX_RULE_SETS) return -1;
  if (image != 0 && load<u32>(image, AH_MAGIC) != ACL_MAGIC) return -1;
  if (aclRecords == 0) {
    aclRecords = alloc(<u32>(ringSlots * ACL_KEY_SIZE));
    aclMisses = alloc(<u32>(ringSlots * 4));
    aclCandidates = alloc(<u32>(ringSlots * 8));
    aclSurvivors = alloc(<u32>(ringSlots * 4));
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
  const nLocal = <i32>load<u32>(cls, AC_NLOCAL);
  const nLens = nLocal + <i32>load<u32>(cls, AC_NREMOTE);
  const tuples = cls + ACL_CLS_TUPLES;
  const lens = tuples + <usize>(nTuples * ACL_TUPLE_SIZE);
  const local0 = load<u64>(cls, AC_LOCAL0);
  const remote0 = load<u64>(cls, AC_REMOTE0);
  const misses = aclMisses;
  const missesEnd = misses + (<usize>m << 2);

  // Prefilter (tuple pruning): a tuple keyed on local length L can only match a packet whose local
  // address, masked to L, is held by some tuple of length L; likewise remote. One bitmap test per
  // length in use gives each packet the set of the first ACL_MASKED_TUPLES tuples worth probing.
  for (let j = misses; j < missesEnd; j += 4) {
    const r = <usize>load<u32>(j);
    const local = load<u32>(r, K_LOCAL);
    const remote = load<u32>(r, K_REMOTE);
    let vl = local0;
    let lp = lens;
    for (let f = 0; f < nLocal; f++, lp += ACL_LEN_SIZE) {
      const bit = (local & load<u32>(lp, AL_MASK)) * ACL_BLOOM_MUL >>> load<u32>(lp, AL_SHIFT);
      const set = (load<u32>(<usize>load<u32>(lp, AL_BITMAP) + (<usize>(bit >>> 5) << 2)) >>> (bit & 31)) & 1;
      vl |= load<u64>(lp, AL_TUPLES) & (0 - <u64>set);
    }
    let vr = remote0;
    for (let f = nLocal; f < nLens; f++, lp += ACL_LEN_SIZE) {
      const bit = (remote & load<u32>(lp, AL_MASK)) * ACL_BLOOM_MUL >>> load<u32>(lp, AL_SHIFT);
      const set = (load<u32>(<usize>load<u32>(lp, AL_BITMAP) + (<usize>(bit >>> 5) << 2)) >>> (bit & 31)) & 1;
      vr |= load<u64>(lp, AL_TUPLES) & (0 - <u64>set);
    }
    store<u64>(r, vl & vr, K_VIABLE);
  }

  const cands = aclCandidates;
  for (let t = 0; t < nTuples; t++) {
    const tp = tuples + <usize>(t * ACL_TUPLE_SIZE);
    const minRank = load<u32>(tp, AT_MINRANK);
    // Keep the records this tuple may improve: its prefilters let them through, and their best match
    // so far ranks after its best entry (tuples come in that order: a packet matched early skips the
    // later tuples). Tuples past ACL_MASKED_TUPLES have no prefilter bit.
    const bit: u64 = t < ACL_MASKED_TUPLES ? <u64>1 << <u64>t : 0;
    const any: u64 = t < ACL_MASKED_TUPLES ? 0 : 1;
    const list = aclSurvivors;
    let listEnd = list;
    for (let j = misses; j < missesEnd; j += 4) {
      const r = load<u32>(j);
      store<u32>(listEnd, r);
      listEnd += select<usize>(4, 0, (((load<u64>(<usize>r, K_VIABLE) & bit) | any) != 0) & (load<u32>(<usize>r, K_BEST) > minRank));
    }
    if (list == listEnd) continue;
    const lmask = load<u32>(tp, AT_LMASK);
    const rmask = load<u32>(tp, AT_RMASK);
    const pmask = load<u32>(tp, AT_PMASK);
    const portmask = load<u32>(tp, AT_PORTMASK);
    const slots = <usize>load<u32>(tp, AT_SLOTS);
    const shift = load<u32>(tp, AT_SHIFT);
    // Probe: no branch on the outcome; a candidate is written every time and kept when the
    // fingerprint matches (or the slot is shared). An empty slot has fingerprint 0 and no entries.
    let c = cands;
    for (let j = list; j < listEnd; j += 4) {
      const r = <usize>load<u32>(j);
      const h = aclHash(load<u32>(r, K_LOCAL) & lmask, load<u32>(r, K_REMOTE) & rmask, load<u32>(r, K_PORTS) & portmask, load<u32>(r, K_PROTO) & pmask);
      const sp = slots + (<usize>(h >>> shift) << 4);
      store<u32>(c, <u32>r, 0);
      store<u32>(c, <u32>sp, 4);
      c += select<usize>(8, 0, (load<u32>(sp, AS_FP) == h) | (load<u32>(sp, AS_SHARED) != 0));
    }
    // Verify: the slot's entries in rank order; the first that matches is this tuple's best.
    for (let q = cands; q < c; q += 8) {
      const r = <usize>load<u32>(q, 0);
      const sp = <usize>load<u32>(q, 4);
      const best = load<u32>(r, K_BEST);
      const local = load<u32>(r, K_LOCAL);
      const remote = load<u32>(r, K_REMOTE);
      const ports = load<u32>(r, K_PORTS);
      const proto = load<u32>(r, K_PROTO);
      const lport = ports >>> 16;
      const rport = ports & 0xffff;
      let e = <usize>load<u32>(sp, AS_ENTRIES);
      const end = e + (<usize>load<u32>(sp, AS_COUNT) << 5);
      for (; e < end; e += ACL_ENTRY_SIZE) {
        const rank = load<u32>(e, AE_RANK);
        if (rank >= best) break;
        const pw = load<u32>(e, AE_PROTO);
        const lp = load<u32>(e, AE_LPORTS);
        const rp = load<u32>(e, AE_RPORTS);
        const ok =
          i32((local & load<u32>(e, AE_LMASK)) == load<u32>(e, AE_LNET)) &
          i32((remote & load<u32>(e, AE_RMASK)) == load<u32>(e, AE_RNET)) &
          i32((proto & (pw >>> 16)) == (pw & 0xffff)) &
          i32(lport - (lp & 0xffff) <= (lp >>> 16) - (lp & 0xffff)) &
          i32(rport - (rp & 0xffff) <= (rp >>> 16) - (rp & 0xffff));
        if (ok) {
          store<u32>(r, rank, K_BEST);
          break;
        }
      }
    }
  }
}
