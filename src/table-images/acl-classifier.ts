/**
 * The ACL classifier: the decision order of a rule set (rank), its expansion into classifier entries,
 * the tuple-space classifier built from them, the verdict cache's parameters, and a TypeScript lookup
 * that decides as the WebAssembly stage does. The image the stage searches is laid out by
 * src/table-images/acl-image.ts; the rule model lives in src/table-images/acl-rules.ts.
 */
import { maskOf } from '../addr.js';
import {type AclAction, type AclPrefix, type AclRuleSet, type PortRange, ACL_MAX_ENTRIES, defaultActionFor, ruleProtocols, validateRuleSet } from './acl-rules.js';

/**
 * The rule indices in decision order (rank 0 first): vfp by priority then rule order; firewall all
 * blocks (in rule order) then all allows (in rule order).
 */
export function rankOrder(set: AclRuleSet): number[] {
  const idx = set.rules.map((_, i) => i);
  if (set.semantics === 'vfp') return idx.sort((a, b) => set.rules[a].priority - set.rules[b].priority || a - b);
  return idx.sort((a, b) => (set.rules[a].action === 'block' ? 0 : 1) - (set.rules[b].action === 'block' ? 0 : 1) || a - b);
}

// ---- the classifier ----------------------------------------------------------------------------
//
// Tuple-space search with tuple merging and tuple pruning (after Srinivasan, Suri and Varghese,
// "Packet Classification using Tuple Space Search", SIGCOMM 1999, and Daly and Torng's TupleMerge).
// Each rule expands into entries (one per member of the cross product of its lists). A tuple is a key
// shape: how many leading bits of the local and remote address, and whether the protocol, the local
// port and the remote port take part in the hash key. An entry goes into a tuple whose shape it
// covers (its prefixes at least that long, its protocol/port exact when the tuple keys on them); the
// tuple's hash table maps the masked key to the entries sharing it, sorted by rank, where the full
// fields are checked. Merged tuples (prefix lengths rounded down to 0/8/16/24, ports not keyed) keep
// the tuple count low; a bucket past `maxBucket` entries sends the next entry one refinement further
// (key the local port, the protocol, longer prefixes on 8/16/24/32, the remote port). Lookup visits
// tuples in order of their best rank and stops once the best match found ranks before every entry a
// tuple holds; a table per prefix length in use (the image's prefilters) says which tuples hold the
// packet's masked address of that length, and the packet probes only tuples that hold both of its
// masked addresses.

/** One classifier entry: one member of a rule's cross product. */
export interface AclEntry {
  rank: number;
  lnet: number;
  llen: number;
  rnet: number;
  rlen: number;
  /** -1 = any protocol. */
  proto: number;
  lports: PortRange | null;
  rports: PortRange | null;
}

export interface TupleShape {
  llen: number;
  rlen: number;
  proto: boolean;
  lport: boolean;
  rport: boolean;
}

export interface AclTuple extends TupleShape {
  minRank: number;
  buckets: Map<string, AclEntry[]>;
}

export interface AclClassifier {
  /** In order of their best rank. */
  tuples: AclTuple[];
  entries: number;
  /** Distinct non-zero local / remote prefix lengths of the tuples: each gets a prefilter table. */
  localLens: number[];
  remoteLens: number[];
}

/** Lengths a tuple's prefixes may have: the prefilter keeps one bitmap per length in use. */
const LADDER = [0, 8, 16, 24, 32];
/** Tuples the per-packet viability masks (u64) describe; tuples after them are probed for every packet. */
export const ACL_MASKED_TUPLES = 64;

export interface AclTupleParams {
  /** Entries past this count in one bucket send later entries to a tuple of their exact shape. */
  maxBucket: number;
  /** Prefix lengths merged tuples start from (a prefix of length l goes to the longest step <= l);
   *  overflowing buckets refine towards 8/16/24/32. */
  steps: readonly number[];
  /** Whether merged tuples key on an exact protocol. */
  protoKey: boolean;
}

export const ACL_TUPLE_DEFAULTS: AclTupleParams = { maxBucket: 8, steps: [0, 8, 16, 24], protoKey: true };

function relaxLen(len: number, steps: readonly number[]): number {
  let out = 0;
  for (const s of steps) if (s <= len && s > out) out = s;
  return out;
}

/** One step from `s` towards `exact`: key on the local port, then the protocol, then longer address
 *  prefixes (the next length of LADDER), then the remote port. */
function refine(s: TupleShape, exact: TupleShape): TupleShape | undefined {
  if (exact.lport && !s.lport) return { ...s, lport: true };
  if (exact.proto && !s.proto) return { ...s, proto: true };
  const up = (len: number, max: number) => {
    for (const st of LADDER) if (st > len && st <= max) return st;
    return max;
  };
  if (s.llen < exact.llen) return { ...s, llen: up(s.llen, exact.llen) };
  if (s.rlen < exact.rlen) return { ...s, rlen: up(s.rlen, exact.rlen) };
  if (exact.rport && !s.rport) return { ...s, rport: true };
  return undefined;
}

function shapeKey(s: TupleShape): string {
  return `${s.llen}/${s.rlen}/${+s.proto}${+s.lport}${+s.rport}`;
}

function fits(e: AclEntry, s: TupleShape): boolean {
  return (
    e.llen >= s.llen &&
    e.rlen >= s.rlen &&
    (!s.proto || e.proto >= 0) &&
    (!s.lport || (e.lports !== null && e.lports.lo === e.lports.hi)) &&
    (!s.rport || (e.rports !== null && e.rports.lo === e.rports.hi))
  );
}

/** Masks of a tuple as the image stores them. */
export function tupleMasks(s: TupleShape): { lmask: number; rmask: number; pmask: number; portmask: number } {
  return {
    lmask: maskOf(s.llen),
    rmask: maskOf(s.rlen),
    pmask: s.proto ? 0xff : 0,
    portmask: ((s.lport ? 0xffff0000 : 0) | (s.rport ? 0xffff : 0)) >>> 0,
  };
}

export function entryKeyParts(e: AclEntry, s: TupleShape): [number, number, number, number] {
  const m = tupleMasks(s);
  const ports = (((e.lports?.lo ?? 0) << 16) | (e.rports?.lo ?? 0)) >>> 0;
  return [(e.lnet & m.lmask) >>> 0, (e.rnet & m.rmask) >>> 0, (ports & m.portmask) >>> 0, e.proto < 0 ? 0 : e.proto & m.pmask];
}

/** The entries of a rule set for one direction, in rank order. */
export function expandEntries(set: AclRuleSet, outbound: boolean, order = rankOrder(set)): AclEntry[] {
  const out: AclEntry[] = [];
  const anyPrefix: AclPrefix[] = [{ base: 0, len: 0 }];
  order.forEach((ruleIndex, rank) => {
    const r = set.rules[ruleIndex];
    if (r.direction !== 'both' && r.direction !== (outbound ? 'out' : 'in')) return;
    const locals = r.local.length ? r.local : anyPrefix;
    const remotes = r.remote.length ? r.remote : anyPrefix;
    const protos = ruleProtocols(r).length ? ruleProtocols(r) : [-1];
    const lps: (PortRange | null)[] = r.localPorts.length ? [...r.localPorts] : [null];
    const rps: (PortRange | null)[] = r.remotePorts.length ? [...r.remotePorts] : [null];
    const count = locals.length * remotes.length * protos.length * lps.length * rps.length;
    if (out.length + count > ACL_MAX_ENTRIES) {
      throw new RangeError(`ACL rule set expands to more than ${ACL_MAX_ENTRIES} classifier entries (rule ${ruleIndex}, ${r.id})`);
    }
    for (const l of locals) for (const m of remotes) for (const p of protos) for (const lp of lps) for (const rp of rps) {
      out.push({ rank, lnet: l.base, llen: l.len, rnet: m.base, rlen: m.len, proto: p, lports: lp, rports: rp });
    }
  });
  return out;
}

/** Groups entries (in rank order) into tuples. */
export function buildClassifier(entries: readonly AclEntry[], params: AclTupleParams = ACL_TUPLE_DEFAULTS): AclClassifier {
  const tuples: AclTuple[] = [];
  const byShape = new Map<string, AclTuple>();
  const specificity = (s: TupleShape) => s.llen + s.rlen + (s.proto ? 8 : 0) + (s.lport ? 16 : 0) + (s.rport ? 16 : 0);
  const insert = (t: AclTuple, e: AclEntry) => {
    const key = entryKeyParts(e, t).join(',');
    let b = t.buckets.get(key);
    if (!b) t.buckets.set(key, (b = []));
    b.push(e); // entries arrive in rank order, so buckets stay sorted
    if (e.rank < t.minRank) t.minRank = e.rank;
  };
  const newTuple = (s: TupleShape): AclTuple => {
    const t: AclTuple = { ...s, minRank: Infinity, buckets: new Map() };
    tuples.push(t);
    byShape.set(shapeKey(s), t);
    return t;
  };
  for (const e of entries) {
    let best: AclTuple | undefined;
    let bestSpec = -1;
    let fallback: AclTuple | undefined;
    let fallbackSize = Infinity;
    for (const t of tuples) {
      if (!fits(e, t)) continue;
      const size = t.buckets.get(entryKeyParts(e, t).join(','))?.length ?? 0;
      if (size < params.maxBucket) {
        const sp = specificity(t);
        if (sp > bestSpec) {
          best = t;
          bestSpec = sp;
        }
      } else if (size < fallbackSize) {
        fallback = t;
        fallbackSize = size;
      }
    }
    if (!best) {
      const relaxed: TupleShape = { llen: relaxLen(e.llen, params.steps), rlen: relaxLen(e.rlen, params.steps), proto: params.protoKey && e.proto >= 0, lport: false, rport: false };
      const exact: TupleShape = {
        llen: relaxLen(e.llen, LADDER),
        rlen: relaxLen(e.rlen, LADDER),
        proto: e.proto >= 0,
        lport: e.lports !== null && e.lports.lo === e.lports.hi,
        rport: e.rports !== null && e.rports.lo === e.rports.hi,
      };
      // Walk from the relaxed shape towards the exact one, one refinement at a time, and take the
      // first shape with no tuple yet or with room in the entry's bucket.
      let shape = relaxed;
      for (;;) {
        const t = byShape.get(shapeKey(shape));
        if (!t) {
          best = newTuple(shape);
          break;
        }
        if ((t.buckets.get(entryKeyParts(e, t).join(','))?.length ?? 0) < params.maxBucket) {
          best = t;
          break;
        }
        const next = refine(shape, exact);
        if (!next) {
          best = fallback ?? t;
          break;
        }
        shape = next;
      }
    }
    insert(best, e);
  }
  tuples.sort((a, b) => a.minRank - b.minRank);
  const lens = (f: (t: AclTuple) => number) => [...new Set(tuples.map(f))].filter((l) => l > 0).sort((a, b) => a - b);
  return { tuples, entries: entries.length, localLens: lens((t) => t.llen), remoteLens: lens((t) => t.rlen) };
}

// ---- the verdict cache and the compiled rule set ---------------------------------------------------

/** Rank stored in a verdict-cache entry for "no rule matched". */
export const ACL_CACHE_NO_RULE = 0x3fffff;
/** Rules a rule set may hold (ranks must fit the verdict cache's 22 bits). */
export const ACL_MAX_RULES = ACL_CACHE_NO_RULE;

/** Options of a compiled rule set. */
export interface AclCompileOptions {
  /** Verdict-cache slots per direction (a power of two; 0 = no cache). Default ACL_VERDICT_CACHE_DEFAULT. */
  verdictCache?: number;
  /** Classifier tuning (tests and the bench). */
  tuples?: Partial<AclTupleParams>;
}

/** Default verdict-cache size per direction (the rule set's own cache of recent flows' decisions; VFP's
 *  unified flow table, which caches all the layers' work for a flow, is assembly/stages/uft.ts). */
export const ACL_VERDICT_CACHE_DEFAULT = 1024;

/** A rule set compiled for the WebAssembly core: both directions' classifiers and the rank table. */
export interface CompiledAcl {
  nRules: number;
  defaultIn: AclAction;
  defaultOut: AclAction;
  /** rank → rule index */
  order: number[];
  actions: AclAction[];
  inbound: AclClassifier;
  outbound: AclClassifier;
  verdictCache: number;
}

export function compileAcl(set: AclRuleSet, opts: AclCompileOptions = {}): CompiledAcl {
  validateRuleSet(set);
  if (set.rules.length > ACL_MAX_RULES) throw new RangeError(`ACL rule set has ${set.rules.length} rules; at most ${ACL_MAX_RULES}`);
  const verdictCache = opts.verdictCache ?? ACL_VERDICT_CACHE_DEFAULT;
  if (verdictCache !== 0 && (!Number.isInteger(verdictCache) || verdictCache < 2 || (verdictCache & (verdictCache - 1)) !== 0 || verdictCache > 1 << 22)) {
    throw new RangeError(`verdict cache size ${verdictCache} is not 0 or a power of two in 2..2^22`);
  }
  const params = { ...ACL_TUPLE_DEFAULTS, ...opts.tuples };
  const order = rankOrder(set);
  return {
    nRules: set.rules.length,
    defaultIn: defaultActionFor(set, false),
    defaultOut: defaultActionFor(set, true),
    order,
    actions: set.rules.map((r) => r.action),
    inbound: buildClassifier(expandEntries(set, false, order), params),
    outbound: buildClassifier(expandEntries(set, true, order), params),
    verdictCache,
  };
}

/** Statistics of a compiled classifier (for tests and the bench report). */
export function classifierStats(c: AclClassifier): { tuples: number; entries: number; buckets: number; maxBucket: number } {
  let buckets = 0;
  let maxBucket = 0;
  for (const t of c.tuples) {
    buckets += t.buckets.size;
    for (const b of t.buckets.values()) maxBucket = Math.max(maxBucket, b.length);
  }
  return { tuples: c.tuples.length, entries: c.entries, buckets, maxBucket };
}

/** A flow as the ACL sees it (null ports: the packet carries none). */
export interface AclFlow {
  local: number;
  remote: number;
  proto: number;
  localPort: number | null;
  remotePort: number | null;
}

/**
 * The rule index a compiled rule set decides for a flow (-1: the default action), by the same
 * tuple-space search the WebAssembly stage runs, in TypeScript: for setup work that must know a
 * verdict in advance for many flows (the bench draws allowed flows; a linear scan of 10k rules per
 * flow would take minutes).
 */
export function aclLookup(c: CompiledAcl, outbound: boolean, f: AclFlow): number {
  const cls = outbound ? c.outbound : c.inbound;
  const hasPorts = f.localPort !== null && f.remotePort !== null;
  const ports = hasPorts ? ((f.localPort! << 16) | f.remotePort!) >>> 0 : 0;
  const lp = f.localPort ?? 0;
  const rp = f.remotePort ?? 0;
  let best = Infinity;
  for (const t of cls.tuples) {
    if (best <= t.minRank) break;
    const m = tupleMasks(t);
    const key = [(f.local & m.lmask) >>> 0, (f.remote & m.rmask) >>> 0, (ports & m.portmask) >>> 0, f.proto & m.pmask].join(',');
    for (const e of t.buckets.get(key) ?? []) {
      if (e.rank >= best) break;
      const ok =
        ((f.local & maskOf(e.llen)) >>> 0) === e.lnet &&
        ((f.remote & maskOf(e.rlen)) >>> 0) === e.rnet &&
        (e.proto < 0 || e.proto === f.proto) &&
        (e.lports === null || (hasPorts && lp >= e.lports.lo && lp <= e.lports.hi)) &&
        (e.rports === null || (hasPorts && rp >= e.rports.lo && rp <= e.rports.hi));
      if (ok) {
        best = e.rank;
        break;
      }
    }
  }
  return best === Infinity ? -1 : c.order[best];
}
