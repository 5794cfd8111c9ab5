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
 * Every packet of the batch really passes every stage:
 *   - ACL: the batch only holds flows the rule set allows (drawn at random, then checked through
 *     parse + acl on the reference core; a blocked draw is replaced).
 *   - NAT: the 65536 sessions are opened in setup by pushing one SYN per flow through parse + nat
 *     (checked: none may drop), so the timed batch is all established-session fast path; frames
 *     come from inside the internal prefix and go outside it.
 *   - encap: every destination MAC is a tunnel of the packet's network; switch: every outer
 *     destination is a known MAC on another port than the ingress one.
 * tests/unit/bench-workloads.test.ts runs one batch on both cores and checks the counters.
 *
 * NAT rewrites addresses, ports and checksums in place, so restoreBytes covers the headroom (where
 * encap writes) and the whole 64-byte frame; parse runs in the timed program on the restored bytes.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { RefCore } from '../../engine/reference/index.js';
import { loadAcl } from '../../engine/tables/acl.js';
import { loadFdb } from '../../engine/tables/fdb.js';
import { loadNat } from '../../engine/tables/nat.js';
import { loadVlanPorts } from '../../engine/tables/vlan-ports.js';
import { loadVtepTable } from '../../engine/tables/vxlan.js';
import type { AclRuleSet } from '../../tables/acl.js';
import type { FdbEntry } from '../../tables/fdb.js';
import type { VtepTable } from '../../tables/vxlan.js';
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

/** Draws `batch` flows uniformly among the sessions, keeping only those the ACL allows. */
function allowedBatch(w: PipelineWorld, sessions: number, batch: number, size: number, seed: number): number[] {
  const judge = new RefCore({ traceCapacity: 0 });
  loadAcl(judge, PIPE_ACL, w.acl);
  const r = rng(seed);
  const picked: number[] = [];
  for (let round = 0; picked.length < batch; round++) {
    if (round > 64) throw new Error('pipeline setup: the ACL blocks almost every flow');
    const draw = Array.from({ length: batch - picked.length + 16 }, () => below(r, sessions));
    const next = pushFrames(judge, draw.map((k) => tcpFrame(w.flow(k).f, size)), [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ACL, a0: PIPE_ACL, a1: 1 }]);
    draw.forEach((k, i) => {
      if (next[i] === abi.NEXT_CONTINUE && picked.length < batch) picked.push(k);
    });
  }
  return picked;
}

const batches = new Map<string, number[]>();

/** Loads the pipeline world on `core` and returns a batch that passes every stage. */
export function setupPipeline(core: PacketCore, o: PipelineOptions): Prepared {
  const rules = o.rules ?? 1000;
  const sessions = o.sessions ?? 65536;
  const size = o.size ?? 64;
  const seed = o.seed ?? 0x919e;
  const w = world(rules, sessions, o.tunnels ?? 64, size);
  loadWorld(core, w, sessions);
  const key = `${rules}/${sessions}/${o.tunnels ?? 64}/${size}/${o.batch}/${seed}`;
  let ks = batches.get(key);
  if (!ks) {
    ks = allowedBatch(w, sessions, o.batch, size, seed);
    batches.set(key, ks);
  }
  const frames: Uint8Array[] = [];
  const ctx: number[] = [];
  for (const k of ks) {
    const { f, t } = w.flow(k);
    frames.push(tcpFrame(f, size));
    ctx.push(t.network);
  }
  return {
    program: [...PIPELINE_PROGRAM],
    frames,
    inPorts: PIPE_HOST_PORT,
    ctx,
    restoreBytes: abi.HEADROOM + size,
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
