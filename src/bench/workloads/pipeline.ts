/**
 * Bench workload `pipeline`: one engine with every table loaded and a batch whose packets pass every
 * stage of parse → acl (1000 rules) → nat (65536 sessions) → vxlan-encap (64 tunnels) → switch, in
 * batches of 32, 256 and 1024.
 *
 * The world: a host (provider address 10.0.0.10, the VTEP and WinNAT's external address) runs 256
 * containers in 172.16.0.0/16. Their outbound TCP flows (1000-rule ClassBench-like outbound ACL on
 * the port, VFP order, default allow) are source-NATed by WinNAT to the host address, then sent to
 * remote overlay endpoints (64 tunnels on 16 remote hosts, vxlan.ts's bench table): the inner
 * destination MAC names the tunnel, D_CTX the overlay network. The host's vNIC (port 1) hands the
 * encapsulated frame to the vSwitch, whose FDB knows the remote hosts' MACs on the uplink (port 0).
 *
 * Every packet of a batch really passes every stage:
 *   - ACL: batches draw from a pool of 16384 uniform draws among the sessions that keeps only the
 *     flows the rule set allows (judged by aclLookup, the stage's own search in TypeScript).
 *   - NAT: the 65536 sessions are opened in setup by pushing one SYN per flow through parse + nat
 *     (checked: none may drop), so the timed batches are all established-session fast path; frames
 *     come from inside the internal prefix and go outside it.
 *   - encap: every destination MAC is a tunnel of the packet's network; switch: every outer
 *     destination is a known MAC on another port than the ingress one.
 * tests/unit/bench-workloads.test.ts runs batches on both cores and checks the counters.
 *
 * Each timed batch carries the pool's next flows (about 14.5k distinct, more than the ACL's verdict
 * cache and spread over the NAT table), so no stage sees the same small set of flows again and
 * again. `beforeBatch` copies those flows' 64-byte frames over the slots and sets their D_CTX (on the
 * wasm core in linear memory, ring_feed: a NIC's receive ring, not work of the stages; timed, and
 * reported as harnessNsPerPacket); since it rewrites every byte NAT rewrote, restoreBytes is 0
 * (encap writes only headroom, which it fills again). parse runs in the timed program.
 *
 * The same world behind VFP's unified flow table (assembly/stages/uft.ts; program parse → uft, the
 * layers above as the UFT's layer program):
 *   pipeline-uft  a pool of 2^18 draws (about 64k distinct allowed flows of the 65536 sessions),
 *                 established in the UFT by the warm-up: nearly every packet takes the fast path.
 *   pipeline-new  the UFT is flushed before every batch, so every packet is its flow's first since:
 *                 the lookup, the walk through the layers and the entry's insertion (NAT sessions
 *                 stay open: the flows are new to the UFT, not to WinNAT).
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { poolFeeder } from '../feed.js';
import { loadAcl } from '../../engine/loaders/acl.js';
import { loadFdb } from '../../engine/loaders/fdb.js';
import { loadNat } from '../../engine/loaders/nat.js';
import { configureUft, flushUft } from '../../engine/loaders/uft.js';
import { loadVlanPorts } from '../../engine/loaders/vlan-ports.js';
import { loadVtepTable } from '../../engine/loaders/vxlan.js';
import type { AclRuleSet } from '../../table-images/acl-rules.js';
import { aclLookup, compileAcl } from '../../table-images/acl-classifier.js';
import type { FdbEntry } from '../../table-images/fdb.js';
import type { VtepTable } from '../../table-images/vxlan.js';
import { classbenchRules } from '../classbench.js';
import { below, ip4, pushFrames, rng, tcpFrame, type FlowFrame } from '../frames.js';
import type { Prepared, Workload } from '../types.js';
import { benchVtepTable, LOCAL_MAC, LOCAL_PA, type BenchTunnel } from './vxlan.js';

/** Table ids the pipeline loads (the stages' a0). */
export const PIPE_ACL = 1;
export const PIPE_NAT = 1;
export const PIPE_VTEP = 1;
export const PIPE_VSWITCH = 1;
/** vSwitch ports: the uplink to the underlay, the host vNIC, then container ports. */
export const PIPE_UPLINK = 0;
export const PIPE_HOST_PORT = 1;
const CONTAINER_PORTS = 32;

/** Containers and source ports per container: 256 × 64 = 16384 internal endpoints (NAT mappings). */
const CONTAINERS = 256;
const SOURCE_PORTS = 64;
/** Destination ports: a mapping's sessions differ by destination port (and tunnel). */
const DEST_PORTS = [443, 80, 8080, 5432, 1433, 3306, 6379, 9200];
export const PIPE_MAX_SESSIONS = CONTAINERS * SOURCE_PORTS * DEST_PORTS.length;

export interface PipelineOptions {
  batch: number;
  rules?: number;
  sessions?: number;
  tunnels?: number;
  size?: number;
  seed?: number;
  /** Uniform draws among the sessions the flow pool keeps the allowed ones of (default 16384). */
  draws?: number;
  /** Run the layers behind VFP's unified flow table: 'established' (entries stay), or 'new' (the
   *  table is flushed before every batch, so every packet is its flow's first since). */
  uft?: 'established' | 'new';
}

/** The program every pipeline batch runs. */
export const PIPELINE_PROGRAM: readonly ProgramStep[] = [
  { stage: abi.STAGE_PARSE },
  { stage: abi.STAGE_ACL, a0: PIPE_ACL, a1: 1 },
  { stage: abi.STAGE_NAT, a0: PIPE_NAT, a1: 0 },
  { stage: abi.STAGE_VXLAN_ENCAP, a0: PIPE_VTEP },
  { stage: abi.STAGE_SWITCH, a0: PIPE_VSWITCH },
];

interface PipelineWorld {
  acl: AclRuleSet;
  vtep: VtepTable;
  tunnels: BenchTunnel[];
  fdb: FdbEntry[];
  /** One flow per NAT session, and its tunnel. */
  flow(k: number): { f: FlowFrame; t: BenchTunnel };
  /** The SYNs that open every session (built once, shared by both cores). */
  syns: Uint8Array[];
}

const worlds = new Map<string, PipelineWorld>();

function containerIp(c: number): number {
  return (ip4(172, 16, 0, 2) + c) >>> 0;
}

function containerMac(c: number): number {
  return 0x00155d500000 + c;
}

function world(rules: number, sessions: number, tunnelCount: number, size: number): PipelineWorld {
  const key = `${rules}/${sessions}/${tunnelCount}/${size}`;
  const cached = worlds.get(key);
  if (cached) return cached;
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > PIPE_MAX_SESSIONS) {
    throw new RangeError(`pipeline sessions ${sessions} not in 1..${PIPE_MAX_SESSIONS}`);
  }
  const acl = classbenchRules({ rules, seed: 0xac1 + rules, direction: 'out', defaultAction: 'allow' });
  const { table: vtep, tunnels } = benchVtepTable(tunnelCount, 1500);
  const flow = (k: number): { f: FlowFrame; t: BenchTunnel } => {
    const c = k % CONTAINERS;
    const s = Math.floor(k / CONTAINERS) % SOURCE_PORTS;
    const j = Math.floor(k / (CONTAINERS * SOURCE_PORTS));
    const t = tunnels[(c * 5 + s * 3 + j * 7) % tunnels.length];
    return {
      f: { srcMac: containerMac(c), dstMac: t.mac, src: containerIp(c), dst: t.ip, sport: 49152 + s * 97, dport: DEST_PORTS[j] },
      t,
    };
  };
  const syns: Uint8Array[] = [];
  for (let k = 0; k < sessions; k++) syns.push(tcpFrame(flow(k).f, size, 'S', 0));
  const fdb: FdbEntry[] = [{ mac: LOCAL_MAC, vlan: 0, port: PIPE_HOST_PORT }];
  for (const mac of new Set(tunnels.map((t) => t.remoteMac))) fdb.push({ mac, vlan: 0, port: PIPE_UPLINK });
  for (let c = 0; c < CONTAINERS; c++) fdb.push({ mac: containerMac(c), vlan: 0, port: 2 + (c % CONTAINER_PORTS) });
  const w: PipelineWorld = { acl, vtep, tunnels, fdb, flow, syns };
  worlds.set(key, w);
  return w;
}

/** Loads every table of the pipeline world on `core` and opens the NAT sessions. */
function loadWorld(core: PacketCore, w: PipelineWorld, sessions: number): void {
  loadAcl(core, PIPE_ACL, w.acl);
  loadNat(core, PIPE_NAT, {
    externalAddress: LOCAL_PA,
    internalPrefixes: ['172.16.0.0/16'],
    capacity: sessions,
    portRange: { first: 1024, last: 65535 },
  });
  loadVtepTable(core, PIPE_VTEP, w.vtep);
  loadVlanPorts(core, PIPE_VSWITCH, Array.from({ length: 2 + CONTAINER_PORTS }, (_, port) => ({ port, mode: 'untagged' as const })));
  loadFdb(core, PIPE_VSWITCH, { capacity: 4096, entries: w.fdb });
  const next = pushFrames(core, w.syns, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_NAT, a0: PIPE_NAT, a1: 0 }]);
  const lost = next.findIndex((x) => x !== abi.NEXT_CONTINUE);
  if (lost >= 0) throw new Error(`pipeline setup: session ${lost} was not opened (disposition ${next[lost]})`);
  core.resetCounters();
}

/** Draws of the flow pool, uniform among the sessions (about 14.5k distinct of 65536: far more
 *  than the ACL's verdict cache holds, so the classifier does the deciding). */
const POOL_DRAWS = 16384;

/** Allowed flows in draw order: their frames (as u32 words, `words` per frame) and D_CTX. */
interface FlowPool {
  count: number;
  words: number;
  frames: Uint32Array;
  ctx: Uint32Array;
}

const pools = new Map<string, FlowPool>();

/**
 * The flows batches draw from: POOL_DRAWS uniform draws among the sessions, keeping those the rule
 * set allows (judged by aclLookup, the stage's tuple-space search in TypeScript).
 */
function flowPool(w: PipelineWorld, key: string, sessions: number, size: number, seed: number, draws: number): FlowPool {
  const cached = pools.get(key);
  if (cached) return cached;
  const compiled = compileAcl(w.acl, { verdictCache: 0 });
  const allowed = (f: FlowFrame): boolean => {
    const rule = aclLookup(compiled, true, { local: f.src, remote: f.dst, proto: 6, localPort: f.sport, remotePort: f.dport });
    return rule < 0 || w.acl.rules[rule].action === 'allow';
  };
  const words = size >>> 2;
  const frames = new Uint32Array(draws * words);
  const ctx = new Uint32Array(draws);
  const r = rng(seed);
  let count = 0;
  for (let d = 0; d < draws; d++) {
    const { f, t } = w.flow(below(r, sessions));
    if (!allowed(f)) continue;
    const bytes = tcpFrame(f, size);
    frames.set(new Uint32Array(bytes.buffer, bytes.byteOffset, words), count * words);
    ctx[count] = t.network;
    count++;
  }
  const pool = { count, words, frames, ctx };
  pools.set(key, pool);
  return pool;
}

/** Session k's flow in the pipeline world of `o` as a data packet (the ACL may block it) and its
 *  D_CTX: for tests that need flows the pool would leave out (TCP flags `flags`, default PSH ACK). */
export function pipelineFlow(o: Omit<PipelineOptions, 'batch'>, k: number, flags = 'PA'): { frame: Uint8Array; ctx: number } {
  const size = o.size ?? 64;
  const { f, t } = world(o.rules ?? 1000, o.sessions ?? 65536, o.tunnels ?? 64, size).flow(k);
  return { frame: tcpFrame(f, size, flags), ctx: t.network };
}

/** UFT id the pipeline-uft and pipeline-new workloads configure (the host vNIC's port). */
export const PIPE_UFT = 1;

/** Loads the pipeline world on `core` and returns a batch that passes every stage. */
export function setupPipeline(core: PacketCore, o: PipelineOptions): Prepared {
  const rules = o.rules ?? 1000;
  const sessions = o.sessions ?? 65536;
  const size = o.size ?? 64;
  const seed = o.seed ?? 0x919e;
  const n = o.batch;
  if (size % 4 !== 0 || size < 64) throw new RangeError(`pipeline frame size ${size} is not a multiple of 4 from 64 on`);
  const w = world(rules, sessions, o.tunnels ?? 64, size);
  loadWorld(core, w, sessions);
  const draws = o.draws ?? POOL_DRAWS;
  const pool = flowPool(w, `${rules}/${sessions}/${o.tunnels ?? 64}/${size}/${seed}/${draws}`, sessions, size, seed, draws);
  if (pool.count < n) throw new Error(`pipeline setup: the ACL allows ${pool.count} of ${draws} flows, fewer than a batch`);
  const { words, frames: poolFrames, ctx: poolCtx } = pool;
  const frames = Array.from({ length: n }, (_, i) => new Uint8Array(poolFrames.buffer, i * words * 4, size).slice());
  const ctx = Array.from(poolCtx.subarray(0, n));
  let program: ProgramStep[] = [...PIPELINE_PROGRAM];
  if (o.uft) {
    configureUft(core, PIPE_UFT, { capacity: 2 * sessions, layers: PIPELINE_PROGRAM.slice(1) });
    program = [PIPELINE_PROGRAM[0], { stage: abi.STAGE_UFT, a0: PIPE_UFT }];
  }
  const flush = o.uft === 'new' ? () => flushUft(core, PIPE_UFT) : undefined;
  // Batch `iteration` carries pool entries iteration·n … iteration·n + n − 1 (cyclically): its frames
  // are copied over the slots whole, so nothing the program rewrote needs restoring, and D_CTX
  // follows the flow's tunnel.
  const feed = poolFeeder(core, {
    count: pool.count, size, frames: new Uint8Array(poolFrames.buffer, 0, pool.count * words * 4), words: poolCtx, field: abi.D_CTX,
  }, n);
  const beforeBatch = (iteration: number): void => {
    feed((iteration * n) % pool.count);
    flush?.();
  };
  return {
    program,
    frames,
    inPorts: PIPE_HOST_PORT,
    ctx,
    restoreBytes: 0,
    beforeBatch,
  };
}

/** Draws of pipeline-uft's pool: about 64k distinct allowed flows of the 65536 sessions. */
const UFT_DRAWS = 1 << 18;

export function pipelineWorkloads(opts: { quick: boolean }): Workload[] {
  return [
    ...(opts.quick ? [256] : [32, 256, 1024]).map((batch) => ({
      name: 'pipeline',
      stage: 'pipeline',
      params: { rules: 1000, sessions: 65536, tunnels: 64, batch, size: 64 },
      setup: (core: PacketCore) => setupPipeline(core, { batch }),
    })),
    {
      name: 'pipeline-uft',
      stage: 'uft',
      params: { rules: 1000, sessions: 65536, tunnels: 64, batch: 256, size: 64 },
      setup: (core: PacketCore) => setupPipeline(core, { batch: 256, uft: 'established', draws: UFT_DRAWS }),
    },
    {
      name: 'pipeline-new',
      stage: 'uft',
      params: { rules: 1000, sessions: 65536, tunnels: 64, batch: 256, size: 64 },
      setup: (core: PacketCore) => setupPipeline(core, { batch: 256, uft: 'new' }),
    },
  ];
}
