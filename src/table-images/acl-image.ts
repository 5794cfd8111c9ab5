/**
 * The ACL image: the byte layout the WebAssembly stage (assembly/tables/acl-classifier.ts) searches,
 * and the encoder that writes a compiled rule set (src/table-images/acl-classifier.ts) into it.
 */

import { maskOf } from '../addr.js';
import {
  type AclClassifier, type AclEntry, type CompiledAcl, ACL_MASKED_TUPLES, entryKeyParts, tupleMasks,
} from './acl-classifier.js';

// ---- the image ---------------------------------------------------------------------------------
//
// Layout (little-endian; all pointers absolute addresses in the core's memory). Mirrored by
// assembly/tables/acl-classifier.ts; tests/unit/acl-image.test.ts checks the two agree.
//
// Header (ACL_HEADER_SIZE):
//   0 magic ACL_MAGIC   4 nRules   8 default action inbound (A_ALLOW/A_BLOCK)   12 default outbound
//  16 hits: u64[nRules + 2] (per rule, then default inbound, default outbound)
//  20 ranks: u32[nRules], rank → (rule index << 2) | action
//  24 classifier inbound   28 classifier outbound
//  32 verdict cache inbound   36 verdict cache outbound (0 when off)   40 verdict cache shift (32 - log2 slots)
// Classifier: 0 tuple count  4 local lengths  8 remote lengths (each with a prefilter)
//  16 u64: tuples (of the first ACL_MASKED_TUPLES) with local length 0   24 u64: remote length 0
//  then at +ACL_CLS_TUPLES the tuples (ACL_TUPLE_SIZE each):
//   0 local mask  4 remote mask  8 protocol mask  12 ports mask (local << 16 | remote)
//  16 min rank   20 slots   24 shift: the slot is aclHash(masked key) >>> shift (32 - log2 slots)
//  then the prefilters (ACL_LEN_SIZE each; local lengths, then remote lengths):
//   0 mask  4 shift  8 table: one u64 per slot, slot (masked address * ACL_BLOOM_MUL) >>> shift;
//   bit k set when tuple k (of the first ACL_MASKED_TUPLES, of that length) holds a masked address
//   that lands in the slot. A packet may match tuple k only if bit k is set in its slots of the
//   tuple's local and remote lengths (or the tuple's length on that side is 0).
// Slot (ACL_SLOT_SIZE; the masked key's aclHash picks it; no probing):
//   0 fingerprint (the key's full hash)  4 entries  8 count (0 = empty)
//  12 shared: 1 when keys of several buckets landed here (their entries merged; no fingerprint test)
// Entry (ACL_ENTRY_SIZE each, sorted by rank within a slot):
//   0 rank  4 local net  8 local mask  12 remote net  16 remote mask
//  20 protocol word: value (bits 0-8) | mask << 16, bit 8 = "packet has no ports"
//  24 local ports lo | hi << 16   28 remote ports lo | hi << 16
// Verdict cache (per direction, ACL_CACHE_ENTRY_SIZE each, direct-mapped by aclHash of the packet's
// local, remote, ports and protocol word, >>> the cache shift; zero = empty):
//   0 local  4 remote  8 ports  12 valid << 31 | protocol word << 22 | rank (ACL_CACHE_NO_RULE: default)

export const ACL_MAGIC = 0x314c4341; // 'ACL1'
export const ACL_HEADER_SIZE = 48;
export const AH_MAGIC = 0;
export const AH_NRULES = 4;
export const AH_DEFAULT_IN = 8;
export const AH_DEFAULT_OUT = 12;
export const AH_HITS = 16;
export const AH_RANKS = 20;
export const AH_CLASS_IN = 24;
export const AH_CLASS_OUT = 28;
export const AH_CACHE_IN = 32;
export const AH_CACHE_OUT = 36;
export const AH_CACHE_SHIFT = 40;
export const ACL_CLS_TUPLES = 32;
export const AC_NTUPLES = 0;
export const AC_NLOCAL = 4;
export const AC_NREMOTE = 8;
export const AC_LOCAL0 = 16;
export const AC_REMOTE0 = 24;
export const ACL_LEN_SIZE = 32;
export const AL_MASK = 0;
export const AL_SHIFT = 4;
export const AL_TABLE = 8;
export const ACL_BLOOM_MUL = 0x9e3779b1;
export const ACL_TUPLE_SIZE = 32;
export const AT_LMASK = 0;
export const AT_RMASK = 4;
export const AT_PMASK = 8;
export const AT_PORTMASK = 12;
export const AT_MINRANK = 16;
export const AT_SLOTS = 20;
export const AT_SHIFT = 24;
export const ACL_SLOT_SIZE = 16;
export const AS_FP = 0;
export const AS_ENTRIES = 4;
export const AS_COUNT = 8;
export const AS_SHARED = 12;
export const ACL_ENTRY_SIZE = 32;
export const AE_RANK = 0;
export const AE_LNET = 4;
export const AE_LMASK = 8;
export const AE_RNET = 12;
export const AE_RMASK = 16;
export const AE_PROTO = 20;
export const AE_LPORTS = 24;
export const AE_RPORTS = 28;
export const ACL_CACHE_ENTRY_SIZE = 16;
/** Bit of the packet's protocol word set when it carries no ports. */
export const ACL_NO_PORTS = 0x100;
/** Slots per bucket a tuple's table gets (a power of two): few collisions, so few shared slots. */
const SLOTS_PER_BUCKET = 4;

const A_ALLOW = 1;
const A_BLOCK = 2;

/**
 * The hash of a masked key (and of a flow, for the verdict cache); assembly/tables/acl-classifier.ts
 * computes the same. A sum of products: its top bits depend on every key bit, so tables index with
 * `h >>> shift`; the whole value is the slot's fingerprint.
 */
export function aclHash(l: number, r: number, ports: number, proto: number): number {
  return (Math.imul(l, 0x9e3779b1) + Math.imul(r, 0x85ebca77) + Math.imul(ports ^ (proto << 24), 0xc2b2ae3d)) >>> 0;
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

function slotCount(buckets: number): number {
  let n = 2;
  while (n < buckets * SLOTS_PER_BUCKET) n *= 2;
  return n;
}

function classifierSize(c: AclClassifier): number {
  let size = ACL_CLS_TUPLES + c.tuples.length * ACL_TUPLE_SIZE + (c.localLens.length + c.remoteLens.length) * ACL_LEN_SIZE;
  for (const t of c.tuples) size += slotCount(t.buckets.size) * ACL_SLOT_SIZE;
  for (const f of prefilters(c)) size += f.slots * 8;
  return size + c.entries * ACL_ENTRY_SIZE;
}

interface Prefilter {
  mask: number;
  /** Slots of the table (a power of two, at least PREFILTER_SLOTS_PER_KEY a key). */
  slots: number;
  /** Masked address → the tuples (indices below ACL_MASKED_TUPLES) of this length holding it. */
  keys: Map<number, number[]>;
}

/** Table slots per masked address a prefilter holds: few collisions (a collision only lets a tuple
 *  through that the probe then misses). acl bench, fresh flows: 8 instead of 2 cut the probes that
 *  miss from 1.05 to 0.71 a packet at 1k ClassBench-like rules (2.61 to 2.05 at 10k) and the stage
 *  time by 5-12 %, for a quarter more image (1k rules 171 → 215 KB, 10k 1.33 → 1.64 MB). */
const PREFILTER_SLOTS_PER_KEY = 8;

/** One table per distinct non-zero length of each address: which tuples hold each masked address. */
function prefilters(c: AclClassifier): Prefilter[] {
  const out: Prefilter[] = [];
  for (const [lens, local] of [[c.localLens, true], [c.remoteLens, false]] as const) {
    for (const len of lens) {
      const mask = maskOf(len);
      const keys = new Map<number, number[]>();
      c.tuples.forEach((t, k) => {
        if ((local ? t.llen : t.rlen) !== len || k >= ACL_MASKED_TUPLES) return;
        for (const b of t.buckets.values()) {
          for (const e of b) {
            const key = ((local ? e.lnet : e.rnet) & mask) >>> 0;
            const ts = keys.get(key);
            if (!ts) keys.set(key, [k]);
            else if (ts[ts.length - 1] !== k) ts.push(k);
          }
        }
      });
      let slots = 32;
      while (slots < keys.size * PREFILTER_SLOTS_PER_KEY) slots *= 2;
      out.push({ mask, slots, keys });
    }
  }
  return out;
}

/** Low and high words of the u64 set of tuple indices. */
function tupleSet(ks: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const k of ks) {
    if (k < 32) lo |= 1 << k;
    else if (k < 64) hi |= 1 << (k - 32);
  }
  return [lo >>> 0, hi >>> 0];
}

/** Bytes the image of a compiled rule set needs. */
export function aclImageSize(c: CompiledAcl): number {
  const hits = (c.nRules + 2) * 8;
  const ranks = (c.nRules * 4 + 15) & ~15;
  return ACL_HEADER_SIZE + hits + ranks + 2 * c.verdictCache * ACL_CACHE_ENTRY_SIZE + classifierSize(c.inbound) + classifierSize(c.outbound);
}

/** Writes the image of `c` at address `base` (16-byte aligned, aclImageSize(c) bytes, zero-filled). */
export function encodeAclImage(c: CompiledAcl, dv: DataView, base: number): void {
  let p = base + ACL_HEADER_SIZE;
  const hits = p;
  p += (c.nRules + 2) * 8;
  const ranks = p;
  p += (c.nRules * 4 + 15) & ~15;
  dv.setUint32(base + AH_MAGIC, ACL_MAGIC, true);
  dv.setUint32(base + AH_NRULES, c.nRules, true);
  dv.setUint32(base + AH_DEFAULT_IN, c.defaultIn === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_DEFAULT_OUT, c.defaultOut === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_HITS, hits, true);
  dv.setUint32(base + AH_RANKS, ranks, true);
  c.order.forEach((ruleIndex, rank) => {
    dv.setUint32(ranks + rank * 4, ((ruleIndex << 2) | (c.actions[ruleIndex] === 'allow' ? A_ALLOW : A_BLOCK)) >>> 0, true);
  });
  if (c.verdictCache > 0) {
    dv.setUint32(base + AH_CACHE_IN, p, true);
    p += c.verdictCache * ACL_CACHE_ENTRY_SIZE;
    dv.setUint32(base + AH_CACHE_OUT, p, true);
    p += c.verdictCache * ACL_CACHE_ENTRY_SIZE;
    dv.setUint32(base + AH_CACHE_SHIFT, 32 - log2(c.verdictCache), true);
  }
  dv.setUint32(base + AH_CLASS_IN, p, true);
  p = encodeClassifier(c.inbound, dv, p);
  dv.setUint32(base + AH_CLASS_OUT, p, true);
  encodeClassifier(c.outbound, dv, p);
}

function encodeClassifier(c: AclClassifier, dv: DataView, base: number): number {
  const filters = prefilters(c);
  dv.setUint32(base + AC_NTUPLES, c.tuples.length, true);
  dv.setUint32(base + AC_NLOCAL, c.localLens.length, true);
  dv.setUint32(base + AC_NREMOTE, c.remoteLens.length, true);
  const zero = (local: boolean) => tupleSet(c.tuples.map((t, k) => ((local ? t.llen : t.rlen) === 0 ? k : -1)).filter((k) => k >= 0 && k < ACL_MASKED_TUPLES));
  const [l0lo, l0hi] = zero(true);
  const [r0lo, r0hi] = zero(false);
  dv.setUint32(base + AC_LOCAL0, l0lo, true);
  dv.setUint32(base + AC_LOCAL0 + 4, l0hi, true);
  dv.setUint32(base + AC_REMOTE0, r0lo, true);
  dv.setUint32(base + AC_REMOTE0 + 4, r0hi, true);
  const lensBase = base + ACL_CLS_TUPLES + c.tuples.length * ACL_TUPLE_SIZE;
  let p = lensBase + filters.length * ACL_LEN_SIZE;
  filters.forEach((f, j) => {
    const lp = lensBase + j * ACL_LEN_SIZE;
    const shift = 32 - log2(f.slots);
    dv.setUint32(lp + AL_MASK, f.mask, true);
    dv.setUint32(lp + AL_SHIFT, shift, true);
    dv.setUint32(lp + AL_TABLE, p, true);
    for (const [key, ts] of f.keys) {
      const w = p + (Math.imul(key, ACL_BLOOM_MUL) >>> shift) * 8;
      const [lo, hi] = tupleSet(ts);
      dv.setUint32(w, (dv.getUint32(w, true) | lo) >>> 0, true);
      dv.setUint32(w + 4, (dv.getUint32(w + 4, true) | hi) >>> 0, true);
    }
    p += f.slots * 8;
  });
  let e = p;
  for (const t of c.tuples) e += slotCount(t.buckets.size) * ACL_SLOT_SIZE;
  c.tuples.forEach((t, k) => {
    const tp = base + ACL_CLS_TUPLES + k * ACL_TUPLE_SIZE;
    const m = tupleMasks(t);
    const nSlots = slotCount(t.buckets.size);
    dv.setUint32(tp + AT_LMASK, m.lmask, true);
    dv.setUint32(tp + AT_RMASK, m.rmask, true);
    dv.setUint32(tp + AT_PMASK, m.pmask, true);
    dv.setUint32(tp + AT_PORTMASK, m.portmask, true);
    dv.setUint32(tp + AT_MINRANK, t.minRank, true);
    dv.setUint32(tp + AT_SLOTS, p, true);
    dv.setUint32(tp + AT_SHIFT, 32 - log2(nSlots), true);
    // Group buckets by slot; buckets that collide share the slot and their entries merge.
    const bySlot = new Map<number, { fp: number; entries: AclEntry[]; shared: boolean }>();
    for (const bucket of t.buckets.values()) {
      const h = aclHash(...entryKeyParts(bucket[0], t));
      const s = h >>> (32 - log2(nSlots));
      const cur = bySlot.get(s);
      if (!cur) bySlot.set(s, { fp: h, entries: bucket.slice(), shared: false });
      else {
        cur.entries.push(...bucket);
        cur.shared = true;
      }
    }
    for (const [s, slot] of bySlot) {
      if (slot.shared) slot.entries.sort((a, b) => a.rank - b.rank);
      const sp = p + s * ACL_SLOT_SIZE;
      dv.setUint32(sp + AS_FP, slot.fp, true);
      dv.setUint32(sp + AS_ENTRIES, e, true);
      dv.setUint32(sp + AS_COUNT, slot.entries.length, true);
      dv.setUint32(sp + AS_SHARED, slot.shared ? 1 : 0, true);
      for (const en of slot.entries) {
        writeEntry(en, dv, e);
        e += ACL_ENTRY_SIZE;
      }
    }
    p += nSlots * ACL_SLOT_SIZE;
  });
  return e;
}

function writeEntry(en: AclEntry, dv: DataView, p: number): void {
  const lmask = maskOf(en.llen);
  const rmask = maskOf(en.rlen);
  const needPorts = en.lports !== null || en.rports !== null;
  const pval = en.proto < 0 ? 0 : en.proto;
  const pmask = (en.proto < 0 ? 0 : 0xff) | (needPorts ? ACL_NO_PORTS : 0);
  const lp = en.lports ?? { lo: 0, hi: 0xffff };
  const rp = en.rports ?? { lo: 0, hi: 0xffff };
  dv.setUint32(p + AE_RANK, en.rank, true);
  dv.setUint32(p + AE_LNET, (en.lnet & lmask) >>> 0, true);
  dv.setUint32(p + AE_LMASK, lmask, true);
  dv.setUint32(p + AE_RNET, (en.rnet & rmask) >>> 0, true);
  dv.setUint32(p + AE_RMASK, rmask, true);
  dv.setUint32(p + AE_PROTO, (pval | (pmask << 16)) >>> 0, true);
  dv.setUint32(p + AE_LPORTS, (lp.lo | (lp.hi << 16)) >>> 0, true);
  dv.setUint32(p + AE_RPORTS, (rp.lo | (rp.hi << 16)) >>> 0, true);
}
