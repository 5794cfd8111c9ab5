/**
 * Bench workloads of the acl stage alone: a ClassBench-like rule set (src/bench/classbench.ts: mixed
 * prefix lengths, port classes and protocols, VFP order, inbound) of N rules, batches of 256
 * 64-byte frames (TCP, UDP, ICMP and GRE in the generator's mix) towards the endpoint:
 *
 *   acl flows=4096   every timed batch carries 256 headers drawn afresh from a pool of 4096 distinct
 *                    flows, each generated inside a random rule (ClassBench's trace method); between
 *                    two visits of a flow 4096 others pass through the direct-mapped verdict cache (1024
 *                    entries a direction), so it almost never hits: this measures the classifier. The
 *                    pool (256 KiB of frames) stays in cache, as headers parse just read would.
 *   acl flows=64     64 flows, four times each per batch: after the first batch every decision comes
 *                    from the rule set's verdict cache: this measures the cache path (the whole
 *                    pipeline's fast path for established flows is the UFT: pipeline-uft).
 *
 * Every packet of a batch is allowed (the pool keeps only flows the rule set allows, judged by
 * aclLookup, so that the bench's check "every packet passes every stage" holds); blocked and allowed
 * packets take the same lookup. `prepare` runs parse once; the timed program is acl alone, and what is
 * timed besides the stage is the runner's descriptor restore and, for the fresh draws, `beforeBatch`
 * pointing each packet's D_DATA at its next pool frame (one store a packet). The pool's frames
 * (valid checksums, parsed shape identical to the slot's first frame: same protocol, so D_PROTO and
 * D_L4 stay true) live in the ring's spare slots after the batch; D_HASH is left as parse set it for
 * the first frame, which acl does not read.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { loadAcl } from '../../engine/loaders/acl.js';
import type { AclRuleSet } from '../../table-images/acl-rules.js';
import { aclLookup, compileAcl, ACL_VERDICT_CACHE_DEFAULT } from '../../table-images/acl-classifier.js';
import { classbenchRules, classbenchTrace, headerFrame, type FlowHeader } from '../classbench.js';
import { parseOnce } from '../frames.js';
import type { Prepared, Workload } from '../types.js';

/** Rule-set id the workloads load (the stage's a0). */
export const ACL_BENCH_SET = 1;
const BATCH = 256;
const FRAME_SIZE = 64;
/** Distinct flows of the fresh-draw variant (four times what the verdict cache holds). */
export const ACL_BENCH_POOL = 4096;

export interface AclWorkloadOptions {
  rules: number;
  /** Distinct flows: ACL_BENCH_POOL (fresh draws each batch) or a small number repeated. */
  flows: number;
  seed?: number;
  /** Verdict-cache slots per direction (default ACL_VERDICT_CACHE_DEFAULT). */
  verdictCache?: number;
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
  const compiled = compileAcl(set, { verdictCache: 0 });
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

/** Loads the rule set on `core` and returns the workload's batch (see the file header). */
export function setupAclWorkload(core: PacketCore, o: AclWorkloadOptions): Prepared {
  const seed = o.seed ?? 0xac1b;
  const w = world(o.rules, o.flows, seed);
  loadAcl(core, ACL_BENCH_SET, w.set, { verdictCache: o.verdictCache ?? ACL_VERDICT_CACHE_DEFAULT });
  const program: ProgramStep[] = [{ stage: abi.STAGE_ACL, a0: ACL_BENCH_SET, a1: 0 }];
  const first = Array.from({ length: BATCH }, (_, i) => w.pool[i % w.pool.length]);
  const frames = first.map((h) => headerFrame(h, FRAME_SIZE, 1));
  const prepared: Prepared = { program, frames, restoreBytes: 0, prepare: (c) => parseOnce(c, BATCH) };
  if (o.flows <= BATCH) return prepared;

  // Fresh draws: the pool's frames sit in the ring's spare slots, after the batch's, at the same
  // offset on every core; slot i keeps its first flow's protocol (so D_PROTO, D_L4 and the header
  // layout parse saw stay true) and walks that protocol's share of the pool.
  const region = core.ringBase + BATCH * abi.SLOT_SIZE;
  if ((core.slots - BATCH) * abi.SLOT_SIZE < w.pool.length * FRAME_SIZE) {
    throw new RangeError(`acl bench: ${w.pool.length} pool frames need ${BATCH + Math.ceil((w.pool.length * FRAME_SIZE) / abi.SLOT_SIZE)} ring slots, the core has ${core.slots}`);
  }
  const mem = core.bytes();
  w.pool.forEach((h, k) => mem.set(headerFrame(h, FRAME_SIZE, 1), region + k * FRAME_SIZE));
  const protos = [...new Set(w.pool.map((h) => h.proto))];
  const byProto = protos.map((p) => Uint32Array.from(w.pool.flatMap((h, k) => (h.proto === p ? [region + k * FRAME_SIZE] : []))));
  const slotList = first.map((h) => byProto[protos.indexOf(h.proto)]);
  const slotsOf = protos.map((p) => first.filter((h) => h.proto === p).length);
  const slotStep = first.map((h) => slotsOf[protos.indexOf(h.proto)]);
  const slotRank = first.map((h, i) => first.slice(0, i).filter((x) => x.proto === h.proto).length);
  let buf: ArrayBufferLike | undefined;
  let u32: Uint32Array = new Uint32Array(0);
  const desc0 = (core.descBase + abi.D_DATA) >>> 2;
  const descWords = abi.DESC_SIZE >>> 2;
  prepared.beforeBatch = (iteration: number) => {
    const b = core.bytes().buffer;
    if (b !== buf) {
      buf = b;
      u32 = new Uint32Array(b);
    }
    for (let i = 0; i < BATCH; i++) {
      const list = slotList[i];
      u32[desc0 + i * descWords] = list[(iteration * slotStep[i] + slotRank[i]) % list.length];
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
      params: { rules: r, flows: f, cache: ACL_VERDICT_CACHE_DEFAULT, batch: BATCH, size: FRAME_SIZE },
      setup: (core: PacketCore) => setupAclWorkload(core, { rules: r, flows: f }),
    })),
  );
}
