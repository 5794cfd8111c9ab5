/**
 * A scripted run of the pipeline world (src/bench/workloads/pipeline.ts: ACL → WinNAT → VXLAN encap
 * → vSwitch on the host vNIC's port) for the unified-flow-table tests: batches of flows drawn among
 * few sessions (so flows repeat and entries get hit), a small UFT (so ways get replaced), and, at
 * chosen batches, a rule-set change, the NAT sessions' expiry, or a UFT flush. Each batch's outcome
 * (frames, descriptors, counters, ACL hit counters, NAT sessions) is kept for comparison.
 */
import * as abi from '../../src/abi.js';
import { writeBatch, type PacketCore, type ProgramStep } from '../../src/engine/core.js';
import { aclHitCounts, aclDefaultHits, loadAcl } from '../../src/engine/loaders/acl.js';
import { natClock, readNatSessions, setNatClock } from '../../src/engine/loaders/nat.js';
import { configureUft, flushUft, readUftStats, type UftStats } from '../../src/engine/loaders/uft.js';
import { classbenchRules } from '../../src/bench/classbench.js';
import type { AclRuleSet } from '../../src/table-images/acl-rules.js';
import { below, rng } from '../../src/bench/frames.js';
import {
  PIPE_ACL, PIPE_HOST_PORT, PIPE_UFT, PIPELINE_PROGRAM, pipelineFlow, setupPipeline,
} from '../../src/bench/workloads/pipeline.js';
import { outcome, type BatchOutcome } from './diff-harness.js';
import { loadGuard } from '../../src/engine/loaders/guard.js';
import type { Guard } from '../../src/table-images/guard.js';

/** rules: a new rule set; expire: the NAT clock moves past every session's timeout; tick: it moves
 *  one second (sessions stay, a hit refreshes its session again); fin: every fifth packet of the
 *  batch carries FIN (its session starts closing); flush: the UFT forgets every flow; wrap: the NAT
 *  clock changes 65,536 times and ends where it was (the stamp a UFT entry keeps wraps). */
export type UftEvent = 'rules' | 'expire' | 'tick' | 'fin' | 'flush' | 'wrap';

export interface UftScenario {
  seed: number;
  batches: number;
  batch: number;
  /** Sessions the flows are drawn among (few: flows repeat). */
  sessions: number;
  /** UFT capacity (small: ways are replaced). */
  capacity: number;
  /** Before which batch what happens. */
  events: [number, UftEvent][];
  /** The ACL's default action at the start (the world's rule set allows by default). */
  aclDefault?: 'allow' | 'block';
  /** Guard steps in the layer program: on the flow key only (nested; decided once per flow), or
   *  one that reads the source MAC (every packet it judges walks the layers, no entry is left). */
  guards?: 'key' | 'mac';
}

/** Guards of the layer programs (ids from 0): flows to half the remote networks or UDP, flows not
 *  from the first 16 containers, and "not this source MAC". */
const GUARDS: Guard[] = [
  { terms: [{ dstIp: { base: 0x0a000000, len: 14 } }, { proto: 17 }] },
  { terms: [{ srcIp: { base: 0xac100000, len: 28 } }], negate: true },
  { terms: [{ srcMac: 0x02_00_00_00_00_01 }], negate: true },
];

/** The pipeline's layers, with the scenario's guard steps. */
function layerProgram(core: PacketCore, sc: UftScenario): ProgramStep[] {
  const [acl, nat, encap, sw] = PIPELINE_PROGRAM.slice(1);
  if (!sc.guards) return [acl, nat, encap, sw];
  GUARDS.forEach((g, id) => loadGuard(core, id, g));
  const guard = (id: number, k: number): ProgramStep => ({ stage: abi.STAGE_GUARD, a0: id, a1: k });
  // [to 10.0.0.0/14 or UDP: [not from 172.16.0.0/28: acl] nat] encap switch
  if (sc.guards === 'key') return [guard(0, 3), guard(1, 1), acl, nat, encap, sw];
  return [guard(2, 1), acl, nat, encap, sw];
}

export interface ScenarioBatch extends BatchOutcome {
  aclHits: number[];
  nat: string;
}

const WORLD = { rules: 100, tunnels: 16 };

/** Outbound HTTPS from the first 30 containers (172.16.0.0/27) only, the rest blocked by default. */
const WEB_ONLY: AclRuleSet = {
  semantics: 'vfp',
  defaultAction: 'block',
  rules: [{
    id: 'web-from-front', priority: 100, direction: 'out', protocol: 6, local: [{ base: 0xac100000, len: 27 }], remote: [],
    localPorts: [], remotePorts: [{ lo: 443, hi: 443 }], action: 'allow',
  }],
};

/** Runs the scenario on `core`, behind a UFT or through the layers alone. */
export function runUftScenario(core: PacketCore, sc: UftScenario, uft: boolean): { batches: ScenarioBatch[]; stats?: UftStats } {
  setupPipeline(core, { batch: sc.batch, sessions: sc.sessions, ...WORLD });
  if (sc.aclDefault === 'block') loadAcl(core, PIPE_ACL, WEB_ONLY);
  const layers = layerProgram(core, sc);
  let program: ProgramStep[] = [PIPELINE_PROGRAM[0], ...layers];
  if (uft) {
    configureUft(core, PIPE_UFT, { capacity: sc.capacity, layers });
    program = [PIPELINE_PROGRAM[0], { stage: abi.STAGE_UFT, a0: PIPE_UFT }];
  }
  const r = rng(sc.seed);
  const batches: ScenarioBatch[] = [];
  for (let b = 0; b < sc.batches; b++) {
    let fin = false;
    for (const [at, ev] of sc.events) {
      if (at !== b) continue;
      if (ev === 'rules') loadAcl(core, PIPE_ACL, classbenchRules({ rules: WORLD.rules, seed: sc.seed + b, direction: 'out', defaultAction: 'allow' }));
      if (ev === 'expire') setNatClock(core, natClock(core) + 100_000);
      if (ev === 'tick') setNatClock(core, natClock(core) + 1);
      if (ev === 'wrap') {
        const now = natClock(core);
        for (let k = 1; k <= 65536; k++) setNatClock(core, now + (k & 1));
      }
      if (ev === 'fin') fin = true;
      if (ev === 'flush' && uft) flushUft(core, PIPE_UFT);
    }
    const flows = Array.from({ length: sc.batch }, (_, i) =>
      pipelineFlow({ sessions: sc.sessions, ...WORLD }, below(r, sc.sessions), fin && i % 5 === 0 ? 'FA' : 'PA'));
    writeBatch(core, flows.map((f) => f.frame), PIPE_HOST_PORT, flows.map((f) => f.ctx));
    const n = core.run(sc.batch, program);
    const o = outcome(core, n, false);
    const d = aclDefaultHits(core, PIPE_ACL);
    batches.push({
      ...o,
      aclHits: [...aclHitCounts(core, PIPE_ACL), d.in, d.out],
      nat: JSON.stringify(readNatSessions(core, 1)),
    });
  }
  return { batches, stats: uft ? readUftStats(core, PIPE_UFT) : undefined };
}

/** The counters without the UFT's own row (what a run without the UFT has too). */
export function layerCounters(b: ScenarioBatch): number[][] {
  return b.counters.stages.filter((_, s) => s !== abi.STAGE_UFT);
}
