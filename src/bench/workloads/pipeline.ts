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
 * Each timed batch carries the pool's next flows (about 14.5k distinct, more than the ACL's flow
 * cache and spread over the NAT table), so no stage sees the same small set of flows again and
 * again. `beforeBatch` copies those flows' 64-byte frames over the slots and sets their D_CTX (16 +
 * 1 word stores a packet, timed); since it rewrites every byte NAT rewrote, restoreBytes is 0 (encap
 * writes only headroom, which it fills again). parse runs in the timed program.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { loadAcl } from '../../engine/loaders/acl.js';
import { loadFdb } from '../../engine/loaders/fdb.js';
import { loadNat } from '../../engine/loaders/nat.js';
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
 *  than the ACL's flow cache holds, so the classifier does the deciding). */
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
function flowPool(w: PipelineWorld, key: string, sessions: number, size: number, seed: number): FlowPool {
  const cached = pools.get(key);
  if (cached) return cached;
  const compiled = compileAcl(w.acl, { flowCache: 0 });
  const allowed = (f: FlowFrame): boolean => {
    const rule = aclLookup(compiled, true, { local: f.src, remote: f.dst, proto: 6, localPort: f.sport, remotePort: f.dport });
    return rule < 0 || w.acl.rules[rule].action === 'allow';
  };
  const words = size >>> 2;
  const frames = new Uint32Array(POOL_DRAWS * words);
  const ctx = new Uint32Array(POOL_DRAWS);
  const r = rng(seed);
  let count = 0;
  for (let d = 0; d < POOL_DRAWS; d++) {
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
  const pool = flowPool(w, `${rules}/${sessions}/${o.tunnels ?? 64}/${size}/${seed}`, sessions, size, seed);
  if (pool.count < n) throw new Error(`pipeline setup: the ACL allows ${pool.count} of ${POOL_DRAWS} flows, fewer than a batch`);
  const { words, frames: poolFrames, ctx: poolCtx } = pool;
  const frames = Array.from({ length: n }, (_, i) => new Uint8Array(poolFrames.buffer, i * words * 4, size).slice());
  const ctx = Array.from(poolCtx.subarray(0, n));
  // Batch `iteration` carries pool entries iteration·n … iteration·n + n − 1 (cyclically): its frames
  // are copied over the slots whole, so nothing the program rewrote needs restoring, and D_CTX
  // follows the flow's tunnel.
  let buf: ArrayBufferLike | undefined;
  let u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  const slot0 = (core.ringBase + abi.HEADROOM) >>> 2;
  const slotWords = abi.SLOT_SIZE >>> 2;
  const ctx0 = (core.descBase + abi.D_CTX) >>> 2;
  const descWords = abi.DESC_SIZE >>> 2;
  const beforeBatch = (iteration: number): void => {
    const b = core.bytes().buffer;
    if (b !== buf) {
      buf = b;
      u32 = new Uint32Array(b);
    }
    let e = (iteration * n) % pool.count;
    for (let i = 0; i < n; i++) {
      const dst = slot0 + i * slotWords;
      const src = e * words;
      for (let j = 0; j < words; j++) u32[dst + j] = poolFrames[src + j];
      u32[ctx0 + i * descWords] = poolCtx[e];
      if (++e === pool.count) e = 0;
    }
  };
  return {
    program: [...PIPELINE_PROGRAM],
    frames,
    inPorts: PIPE_HOST_PORT,
    ctx,
    restoreBytes: 0,
    beforeBatch,
  };
}

export function pipelineWorkloads(opts: { quick: boolean }): Workload[] {
  return (opts.quick ? [256] : [32, 256, 1024]).map((batch) => ({
    name: 'pipeline',
    stage: 'pipeline',
    params: { rules: 1000, sessions: 65536, tunnels: 64, batch, size: 64 },
    setup: (core: PacketCore) => setupPipeline(core, { batch }),
  }));
}
