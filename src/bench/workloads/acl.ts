/**
 * Bench workloads of the acl stage alone: a ClassBench-like rule set (src/bench/classbench.ts: mixed
 * prefix lengths, port classes and protocols, VFP order, inbound) of N rules, batches of 256
 * 64-byte frames (TCP, UDP, ICMP and GRE in the generator's mix) towards the endpoint:
 *
 *   acl flows=16384  every timed batch carries 256 headers drawn afresh from a pool of 16384 distinct
 *                    flows, each generated inside a random rule (ClassBench's trace method), so the
 *                    flow cache (1024 entries a direction) almost never hits: this measures the
 *                    classifier.
 *   acl flows=64     64 flows, four times each per batch: after the first batch every decision comes
 *                    from the flow cache (VFP's unified flow table does the same for established
 *                    flows): this measures the cache path.
 *
 * Every packet of a batch is allowed (the pool keeps only flows the rule set allows, judged by
 * aclLookup, so that the bench's check "every packet passes every stage" holds); blocked and allowed
 * packets take the same lookup. `prepare` runs parse once; the timed program is acl alone, and what is
 * timed besides the stage is the runner's descriptor restore and, for the fresh draws, `beforeBatch`
 * writing each packet's addresses, ports and checksums into its frame from precomputed words (6 to 8
 * 16-bit stores a packet). Each slot keeps one protocol class across batches, so the descriptors parse
 * filled (D_PROTO, D_L4) stay true; D_HASH is left as parse set it, which acl does not read.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { loadAcl } from '../../engine/tables/acl.js';
import { aclLookup, compileAcl, ACL_FLOW_CACHE_DEFAULT, type AclRuleSet } from '../../tables/acl.js';
import { classbenchRules, classbenchTrace, headerFrame, type FlowHeader } from '../classbench.js';
import { parseOnce } from '../frames.js';
import type { Prepared, Workload } from '../types.js';

/** Rule-set id the workloads load (the stage's a0). */
export const ACL_BENCH_SET = 1;
const BATCH = 256;
const FRAME_SIZE = 64;
/** Distinct flows of the fresh-draw variant (far more than the flow cache holds). */
export const ACL_BENCH_POOL = 16384;

export interface AclWorkloadOptions {
  rules: number;
  /** Distinct flows: ACL_BENCH_POOL (fresh draws each batch) or a small number repeated. */
  flows: number;
  seed?: number;
  /** Flow-cache slots per direction (default ACL_FLOW_CACHE_DEFAULT). */
  flowCache?: number;
}

interface AclWorld {
  set: AclRuleSet;
  /** Distinct allowed flows, in draw order. */
  pool: FlowHeader[];
}

const worlds = new Map<string, AclWorld>();

function world(rules: number, flows: number, seed: number): AclWorld {
  const key = `${rules}/${flows}/${seed}`;
  const cached = worlds.get(key);
  if (cached) return cached;
  const set = classbenchRules({ rules, seed, direction: 'in', defaultAction: 'allow' });
  const compiled = compileAcl(set, { flowCache: 0 });
  const allowed = (h: FlowHeader): boolean => {
    const ported = h.proto === 6 || h.proto === 17;
    const rule = aclLookup(compiled, false, {
      local: h.dst, remote: h.src, proto: h.proto, localPort: ported ? h.dport : null, remotePort: ported ? h.sport : null,
    });
    return rule < 0 || set.rules[rule].action === 'allow';
  };
  const pool: FlowHeader[] = [];
  const seen = new Set<string>();
  for (let round = 0; pool.length < flows; round++) {
    if (round > 16) throw new Error(`acl bench setup: the rule set blocks almost every flow (${pool.length} of ${flows})`);
    const draw = classbenchTrace(set, { count: flows, seed: seed * 31 + round, direction: 'in' });
    for (const h of draw) {
      const key = `${h.src}/${h.dst}/${h.proto}/${h.sport}/${h.dport}`;
      if (pool.length < flows && !seen.has(key) && allowed(h)) {
        seen.add(key);
        pool.push(h);
      }
    }
  }
  const w = { set, pool };
  worlds.set(key, w);
  return w;
}

/** Header layout of a protocol: TCP, UDP, or IPv4 only (ICMP and GRE: no ports to write). */
function layout(proto: number): number {
  return proto === 6 ? 0 : proto === 17 ? 1 : 2;
}

// Offsets in an untagged Ethernet/IPv4 frame (IHL 5).
const IP_CSUM = 24;
const IP_SRC = 26;
const L4 = 34;
const L4_CSUM = [L4 + 16, L4 + 6, -1];
const WORDS = 8;

/** The 16-bit words (as a little-endian Uint16Array store writes them) beforeBatch copies for `h`. */
function flowWords(h: FlowHeader, out: Uint16Array, at: number): void {
  const f = headerFrame(h, FRAME_SIZE, 1);
  const w = (off: number) => f[off] | (f[off + 1] << 8);
  const cls = layout(h.proto);
  out[at] = w(IP_SRC);
  out[at + 1] = w(IP_SRC + 2);
  out[at + 2] = w(IP_SRC + 4);
  out[at + 3] = w(IP_SRC + 6);
  out[at + 4] = w(IP_CSUM);
  out[at + 5] = cls < 2 ? w(L4) : 0;
  out[at + 6] = cls < 2 ? w(L4 + 2) : 0;
  out[at + 7] = cls < 2 ? w(L4_CSUM[cls]) : 0;
}

/** Loads the rule set on `core` and returns the workload's batch (see the file header). */
export function setupAclWorkload(core: PacketCore, o: AclWorkloadOptions): Prepared {
  const seed = o.seed ?? 0xac1b;
  const w = world(o.rules, o.flows, seed);
  loadAcl(core, ACL_BENCH_SET, w.set, { flowCache: o.flowCache ?? ACL_FLOW_CACHE_DEFAULT });
  const program: ProgramStep[] = [{ stage: abi.STAGE_ACL, a0: ACL_BENCH_SET, a1: 0 }];
  const first = Array.from({ length: BATCH }, (_, i) => w.pool[i % w.pool.length]);
  const frames = first.map((h) => headerFrame(h, FRAME_SIZE, 1));
  const prepared: Prepared = { program, frames, restoreBytes: 0, prepare: (c) => parseOnce(c, BATCH) };
  if (o.flows <= BATCH) return prepared;

  // Fresh draws: slot i keeps its first flow's protocol and walks that protocol's share of the pool
  // (the protocol byte, D_PROTO and D_L4 never change).
  const protos = [...new Set(w.pool.map((h) => h.proto))];
  const byClass: number[][] = protos.map(() => []);
  w.pool.forEach((h, k) => byClass[protos.indexOf(h.proto)].push(k));
  const words = new Uint16Array(w.pool.length * WORDS);
  w.pool.forEach((h, k) => flowWords(h, words, k * WORDS));
  const slotClass = first.map((h) => protos.indexOf(h.proto));
  const slotLayout = first.map((h) => layout(h.proto));
  const slotsOf = protos.map(() => 0);
  const slotRank = slotClass.map((c) => slotsOf[c]++);
  let buf: ArrayBufferLike | undefined;
  let u16: Uint16Array = new Uint16Array(0);
  const frame0 = (core.ringBase + abi.HEADROOM) >>> 1;
  const slotWords = abi.SLOT_SIZE >>> 1;
  prepared.beforeBatch = (iteration: number) => {
    const b = core.bytes().buffer;
    if (b !== buf) {
      buf = b;
      u16 = new Uint16Array(b);
    }
    for (let i = 0; i < BATCH; i++) {
      const c = slotClass[i];
      const list = byClass[c];
      const k = list[(iteration * slotsOf[c] + slotRank[i]) % list.length] * WORDS;
      const f = frame0 + i * slotWords;
      u16[f + (IP_SRC >>> 1)] = words[k];
      u16[f + (IP_SRC >>> 1) + 1] = words[k + 1];
      u16[f + (IP_SRC >>> 1) + 2] = words[k + 2];
      u16[f + (IP_SRC >>> 1) + 3] = words[k + 3];
      u16[f + (IP_CSUM >>> 1)] = words[k + 4];
      const l = slotLayout[i];
      if (l < 2) {
        u16[f + (L4 >>> 1)] = words[k + 5];
        u16[f + (L4 >>> 1) + 1] = words[k + 6];
        u16[f + (L4_CSUM[l] >>> 1)] = words[k + 7];
      }
    }
  };
  return prepared;
}

/** The acl workloads of `packet-path bench` (quick: 1000 rules, fresh draws only). */
export function aclWorkloads(opts: { quick: boolean }): Workload[] {
  const rules = opts.quick ? [1000] : [10, 100, 1000, 10000];
  const flows = opts.quick ? [ACL_BENCH_POOL] : [ACL_BENCH_POOL, 64];
  return rules.flatMap((r) =>
    flows.map((f): Workload => ({
      name: 'acl',
      stage: 'acl',
      params: { rules: r, flows: f, cache: ACL_FLOW_CACHE_DEFAULT, batch: BATCH, size: FRAME_SIZE },
      setup: (core: PacketCore) => setupAclWorkload(core, { rules: r, flows: f }),
    })),
  );
}
