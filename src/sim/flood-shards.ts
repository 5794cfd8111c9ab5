/**
 * A flood on every core: the flows of a `flood` are sharded over workers (worker threads in Node, Web
 * Workers in the browser), each running its flows through its own replica of the data planes the
 * flood passes. This module is what both sides share: how a flow's frame is made, which worker a
 * flow goes to, the job a worker gets, and the loop a worker runs. The coordinator is in flood.ts;
 * the Node and browser worker entries are flood-node-worker.ts and src/worker/flood.worker.ts.
 *
 * Why the answer does not depend on the number of workers:
 * - the coordinator first sends the opening packet of every flow (packets 0 .. flows-1, in order)
 *   through the session's own planes, exactly as one worker would, so everything that depends on
 *   order (NAT port allocation, a full session table or port pool, FDB learning) is decided once;
 * - a flow whose opening packet was dropped stays with the coordinator (its later packets meet the
 *   same planes in the same state: during one flood the NAT clock stands still, nothing expires);
 * - every other flow goes to the shard its symmetric flow hash names (both directions of a flow hash
 *   alike). The first shard runs on the coordinator's thread, on the session's own planes (while the
 *   other threads start); each other shard on a worker of its own. A worker's replica is re-loaded from the same derived contents the session's plane holds
 *   (with the FDB entries it learned and its NAT clock), its NAT port pools a slice of each pool sized
 *   by the worker's share of the flows, so flows on different workers never hold the same port;
 * - a replica must agree with the session's plane: a flow the plane passed and a replica drops
 *   stops the flood with an error (never a silent difference).
 * No SharedArrayBuffer: jobs and results are plain messages (a docs page needs no cross-origin
 * isolation).
 */
import * as abi from '../abi.js';
import { SpaceCore, WasmCore, type PacketCore, type ProgramStep } from '../engine/core.js';
import { setNatClock } from '../engine/loaders/nat.js';
import { aclDefaultHits, aclHitCounts } from '../engine/loaders/acl.js';
import { flowHash } from '../table-images/flow-hash.js';
import type { PlaneContents } from './derive.js';
import { loadPlaneContents } from './load.js';

/** Packets of a flood that does not say `--packets` (src/model/index.ts parses the flag). */
export const FLOOD_DEFAULT_PACKETS = 100_000;

/** Packets per batch (a ring's worth). */
export const FLOOD_BATCH = 256;

/**
 * Below this many packets a flood runs on one worker by default: starting workers and loading their
 * replicas costs more than the packets (measured on a 2-core machine, docs/behaviour.md's flood).
 */
export const FLOOD_PARALLEL_THRESHOLD = 500_000;
/** Most workers a flood starts by default (`--workers` may ask for more, up to FLOOD_MAX_WORKERS). */
export const FLOOD_DEFAULT_MAX_WORKERS = 8;
export const FLOOD_MAX_WORKERS = 64;

/** Workers for a flood of `total` packets and `flows` flows when the script does not say. */
export function defaultFloodWorkers(total: number, flows: number, cores: number): number {
  if (total < FLOOD_PARALLEL_THRESHOLD || flows < 2) return 1;
  return Math.max(1, Math.min(cores, FLOOD_DEFAULT_MAX_WORKERS, flows));
}

/**
 * What a worker thread that starts with its flood costs before its first packet, in packets the
 * coordinator sends meanwhile: its job is posted before the opening packets, so loading its replicas
 * (6 to 10 ms of CPU) is hidden, and its start (about 34 ms of CPU, the bundled module) overlaps the
 * first packet's walk (20 to 35 ms): about 15 ms are left, while a thread sends about 4 M packets per
 * CPU-second. A worker started as the script started (ShardWorker.ahead) is waiting by then and
 * costs nothing: the split is even (measured: with 50,000 packets ahead, the script's thread ran
 * 25 ms of CPU longer than the worker; docs/behaviour.md's flood).
 */
export const WORKER_START_PACKETS = 50_000;

/**
 * The shard of a flow's symmetric hash, for `workers` shards of which the first runs on the
 * coordinator's thread: that one takes a larger part of the hash space, by the packets it sends
 * while the others start, so that all finish together. `packets`: the packets after the opening ones.
 */
export function shardOf(workers: number, packets: number, startPackets = WORKER_START_PACKETS): (hash: number) => number {
  const extra = Math.min(1 - 1 / workers, (startPackets * (workers - 1)) / (workers * Math.max(1, packets)));
  const first = 1 / workers + extra;
  return (hash) => {
    const u = (hash >>> 0) / 2 ** 32;
    if (u < first || workers < 2) return 0;
    return Math.min(workers - 1, 1 + Math.floor(((u - first) / (1 - first)) * (workers - 1)));
  };
}

// ---- flows and their frames -------------------------------------------------------------------

/** The first source port of a flood's flows; flow f uses FLOW_PORT_FIRST + f, wrapping to 1024. */
export const FLOW_PORT_FIRST = 40000;
/** Ports above the well-known range a source address has: a flood has at most this many flows. */
export const MAX_FLOOD_FLOWS = 65536 - 1024;
/** ICMP echo identifiers start here (flow f: 0x100 + f). */
export const FLOW_ICMP_ID_FIRST = 0x100;

export type FloodProto = 'tcp' | 'udp' | 'icmp';

/** The 16-bit field that tells a flood's flows apart: TCP/UDP source port, ICMP echo identifier. */
export function flowField(proto: FloodProto, f: number): number {
  if (proto === 'icmp') return 1 + ((FLOW_ICMP_ID_FIRST - 1 + f) % 65535);
  return 1024 + ((FLOW_PORT_FIRST - 1024 + f) % MAX_FLOOD_FLOWS);
}

/** Where a flow's field and the checksum covering it sit in the flood's frames. */
export interface FlowPatch {
  proto: FloodProto;
  /** Offset of the flow field (source port, or ICMP identifier). */
  field: number;
  /** Offset of the transport checksum (UDP: skipped when the template carries none). */
  checksum: number;
}

/** The patch for a frame built by the flood's frame maker (Ethernet, optional 802.1Q, IPv4). */
export function flowPatch(template: Uint8Array, proto: FloodProto): FlowPatch {
  const l3 = template[12] === 0x81 && template[13] === 0x00 ? 18 : 14;
  const l4 = l3 + (template[l3]! & 0x0f) * 4;
  if (proto === 'icmp') return { proto, field: l4 + 4, checksum: l4 + 2 };
  return { proto, field: l4, checksum: l4 + (proto === 'tcp' ? 16 : 6) };
}

/** One's-complement 16-bit add. */
function csumAdd(a: number, b: number): number {
  const s = a + b;
  return (s & 0xffff) + (s >>> 16);
}

/**
 * Rewrites the frame at `at` in `mem` (a copy of the template, whose flow is 0) into flow f's frame:
 * the flow field, and the checksum updated incrementally (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
 */
export function patchFlow(mem: Uint8Array, at: number, p: FlowPatch, f: number): void {
  const fi = at + p.field;
  const ci = at + p.checksum;
  const old = (mem[fi]! << 8) | mem[fi + 1]!;
  const val = flowField(p.proto, f);
  if (old === val) return;
  mem[fi] = val >>> 8;
  mem[fi + 1] = val & 0xff;
  const hc = (mem[ci]! << 8) | mem[ci + 1]!;
  if (p.proto === 'udp' && hc === 0) return; // no UDP checksum
  let sum = csumAdd(~hc & 0xffff, ~old & 0xffff);
  sum = csumAdd(sum, val);
  let out = ~sum & 0xffff;
  if (p.proto === 'udp' && out === 0) out = 0xffff; // RFC 768: a computed zero is sent as all ones
  mem[ci] = out >>> 8;
  mem[ci + 1] = out & 0xff;
}

/**
 * The worker a flow goes to: a symmetric hash of its addresses and ports (a flow and its reply hash
 * alike, as receive-side scaling's symmetric hashing does), modulo the number of workers.
 */
export function symmetricFlowHash(srcIp: number, dstIp: number, sport: number, dport: number, proto: number): number {
  // The lower (address, port) end first. No arrays: a flood hashes every flow once, in code that
  // runs once (the interpreter's), where destructuring costs a microsecond a flow.
  if (srcIp * 65536 + sport <= dstIp * 65536 + dport) return flowHash(srcIp >>> 0, dstIp >>> 0, ((sport << 16) | dport) >>> 0, proto);
  return flowHash(dstIp >>> 0, srcIp >>> 0, ((dport << 16) | sport) >>> 0, proto);
}

/** The symmetric hash of a flood frame's flow (IPv4 with TCP/UDP ports, or ICMP with its identifier). */
export function frameFlowHash(frame: Uint8Array, p: FlowPatch): number {
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const ipAt = frame[12] === 0x81 && frame[13] === 0x00 ? 18 : 14;
  const src = dv.getUint32(ipAt + 12);
  const dst = dv.getUint32(ipAt + 16);
  const proto = frame[ipAt + 9]!;
  if (p.proto === 'icmp') return symmetricFlowHash(src, dst, dv.getUint16(p.field), 0, proto);
  return symmetricFlowHash(src, dst, dv.getUint16(p.field), dv.getUint16(p.field + 2), proto);
}

/**
 * frameFlowHash of each flow's frame without building the frames: the template's addresses, protocol
 * and other port are read once, and flow f's field is flowField(f) (what patchFlow writes).
 */
export function flowHashes(template: Uint8Array, p: FlowPatch): (f: number) => number {
  const dv = new DataView(template.buffer, template.byteOffset, template.byteLength);
  const ipAt = template[12] === 0x81 && template[13] === 0x00 ? 18 : 14;
  const src = dv.getUint32(ipAt + 12);
  const dst = dv.getUint32(ipAt + 16);
  const proto = template[ipAt + 9]!;
  const other = p.proto === 'icmp' ? 0 : dv.getUint16(p.field + 2);
  return (f) => symmetricFlowHash(src, dst, flowField(p.proto, f), other, proto);
}

// ---- the job a worker runs ------------------------------------------------------------------------

/** A plane to replicate: what the session's plane holds, and its NAT clock (null: no NAT). */
export interface ReplicaPlane {
  contents: PlaneContents;
  natClock: number | null;
}

/** One place of the flood's path on a replica: which plane, and what runs there. */
export interface ShardPlace {
  plane: number;
  inPort: number;
  ctx: number;
  program: ProgramStep[];
}

export interface ShardJob extends FloodRounds {
  planes: ReplicaPlane[];
  places: ShardPlace[];
  /** Ring slots of a replica. */
  slots: number;
}

export interface ShardResult {
  sent: number;
  delivered: number;
  /** Drop reason → count. */
  drops: [number, number][];
  /** Time spent in the data plane, ms. */
  placeMs: number;
  /** A flow the session's plane passed and this replica dropped (with the reason), or null. */
  disagreed: { flow: number; reason: number } | null;
  /** The replicas' ACL hit counters (added to the session's planes: counters merged). */
  aclHits: { plane: number; id: number; rules: number[]; in: number; out: number }[];
}

/**
 * What a worker hears once the coordinator's opening packets are sent: the flows of its job whose
 * opening packet was dropped (they stay with the coordinator), and its planes again when they
 * changed meanwhile (MAC learning, or NAT pool slices resized to the flows left), else none.
 */
export interface ShardGo {
  without: number[];
  planes?: ReplicaPlane[];
}

/** Messages between a coordinator and a worker: a job (its replicas load at once), then its go. */
export type ToWorker = { type: 'job'; job: ShardJob; module?: WebAssembly.Module } | ({ type: 'go' } & ShardGo) | { type: 'cancel' };
export type FromWorker = { type: 'progress'; sent: number } | { type: 'done'; result: ShardResult } | { type: 'error'; message: string };

/** A place of a flood as a batch runner sees it: a core (the session's plane or a replica). */
export interface BatchPlace {
  core: PacketCore;
  inPort: number;
  ctx: number;
  program: ProgramStep[];
}

/** The data plane's batch exports a flood uses (assembly/flood.ts), with its allocator. */
interface FloodExports {
  flood_feed(template: number, size: number, words: number, count: number, first: number, n: number, fieldAt: number, csumAt: number, inPort: number, ctx: number): void;
  flood_enter(n: number, inPort: number, ctx: number): void;
  flood_tally(n: number, counts: number): number;
  flood_run?(
    template: number, size: number, words: number, count: number, first: number, total: number, batch: number,
    fieldAt: number, csumAt: number, path: number, places: number, counts: number, stopAtDrop: number,
  ): number;
  alloc(size: number): number;
  free(p: number): void;
}

// flood_run's path and state, as assembly/flood.ts lays them out: per place five u32 (table space,
// in-port, context, program address, steps); after the 256 drop counters, the packets delivered and
// the own packets of the batch it stopped at.
const PLACE_SIZE = 20;
const NO_SPACE = 0xffffffff;
const S_DELIVERED = 256 * 4;
const S_LAST = 257 * 4;
const FLOOD_STATE_SIZE = 258 * 4;
/** Batches one flood_run call sends at most: 4,096 packets of 64 bytes are about a millisecond, so
 *  a slice ends within a call of its time and the calls cost nothing against the packets. */
export const FLOOD_RUN_BATCHES = 16;

/** The flood exports of a core's instance, or null (the reference core: the same work in TypeScript). */
function floodExports(core: PacketCore): FloodExports | null {
  const x = core instanceof SpaceCore ? core.shared.exports : core instanceof WasmCore ? core.exports : null;
  return x && typeof x.flood_feed === 'function' ? (x as unknown as FloodExports) : null;
}

/** The instance a core runs in (planes that are table spaces of one instance share its ring). */
function instanceOf(core: PacketCore): PacketCore {
  return core instanceof SpaceCore ? core.shared : core;
}

/**
 * A flood's packets on a path of places: packet k is flow order[k mod order.length]. Writes a batch
 * into the first place's ring, runs it through the places (handing it from instance to instance in
 * bulk where places do not share one) and counts the verdicts. On the WebAssembly core each of these
 * is one call per batch (assembly/flood.ts: the template and each flow's patched words sit in linear
 * memory); on the reference core they run here. `finish()` frees what it took and gives the counts.
 */
export class FlowBatches {
  delivered = 0;
  /** Time spent in the data plane, ms. */
  placeMs = 0;
  private readonly x: FloodExports | null;
  private templateAt = 0;
  private readonly wordsAt: number = 0;
  /** flood_run's path in the instance every place is a table space of (0: places in several instances). */
  private pathAt = 0;
  private readonly stateAt: number = 0;
  /** Drop counters (u32 per reason) in each instance a batch ended in. */
  private readonly counts = new Map<PacketCore, { x: FloodExports; at: number }>();
  private readonly drops = new Map<number, number>();

  constructor(
    readonly places: BatchPlace[],
    private readonly template: Uint8Array,
    private readonly patch: FlowPatch,
    private readonly order: ArrayLike<number>,
  ) {
    const first = places[0]!.core;
    this.x = floodExports(first);
    if (!this.x || !order.length) return;
    const m = order.length;
    const len = template.length;
    // The template padded to 8-byte words (flood_feed copies whole words), then the words.
    this.templateAt = first.alloc(((len + 7) & ~7) + 4 * m);
    this.wordsAt = this.templateAt + ((len + 7) & ~7);
    const mem = first.bytes();
    mem.set(template, this.templateAt);
    // Each flow's two patched fields, as they lie in its frame (low half: flow field; high: checksum).
    const words = new Uint32Array(mem.buffer, this.wordsAt, m);
    const scratch = new Uint8Array(len);
    const { field, checksum } = patch;
    for (let j = 0; j < m; j++) {
      scratch[field] = template[field]!;
      scratch[field + 1] = template[field + 1]!;
      scratch[checksum] = template[checksum]!;
      scratch[checksum + 1] = template[checksum + 1]!;
      patchFlow(scratch, 0, patch, order[j]!);
      words[j] = (scratch[field]! | (scratch[field + 1]! << 8) | (scratch[checksum]! << 16) | (scratch[checksum + 1]! << 24)) >>> 0;
    }
    // One instance holds every place (table spaces, as the session's planes and a worker's replicas
    // are): the path goes into its memory, and a run of batches is one call (flood_run).
    const shared = instanceOf(first);
    if (typeof this.x.flood_run !== 'function' || !places.every((p) => instanceOf(p.core) === shared)) return;
    const steps = places.reduce((a, p) => a + p.program.length, 0);
    this.pathAt = first.alloc(places.length * PLACE_SIZE + steps * 12);
    this.stateAt = first.alloc(FLOOD_STATE_SIZE);
    this.counts.set(shared, { x: this.x, at: this.stateAt });
    const dv = first.view();
    let programAt = this.pathAt + places.length * PLACE_SIZE;
    places.forEach((p, k) => {
      const at = this.pathAt + k * PLACE_SIZE;
      dv.setUint32(at, p.core instanceof SpaceCore ? p.core.space : NO_SPACE, true);
      dv.setUint32(at + 4, p.inPort, true);
      dv.setUint32(at + 8, p.ctx, true);
      dv.setUint32(at + 12, programAt, true);
      dv.setUint32(at + 16, p.program.length, true);
      for (const step of p.program) {
        dv.setUint32(programAt, step.stage, true);
        dv.setUint32(programAt + 4, step.a0 ?? 0, true);
        dv.setUint32(programAt + 8, step.a1 ?? 0, true);
        programAt += 12;
      }
    });
  }

  /** Whether a run of batches is one call into the data plane (runMany). */
  get inOneCall(): boolean {
    return this.pathAt !== 0;
  }

  /**
   * Sends packets first .. first+count-1 in batches of `batch` in one call into the data plane, when
   * every place is in one instance (else null: the caller goes batch by batch). With `stopAtDrop` it
   * stops after a batch one of whose own packets was dropped: `last` is that batch's own packets,
   * still in slots [0, last) of the last place (tally's `onDrop` hears them), else 0.
   */
  runMany(first: number, count: number, batch: number, stopAtDrop: boolean): { sent: number; last: number } | null {
    if (!this.pathAt) return null;
    const core = this.places[0]!.core;
    const p0 = performance.now();
    const { field, checksum } = this.patch;
    const sent = this.x!.flood_run!(this.templateAt, this.template.length, this.wordsAt, this.order.length, first % this.order.length, count, batch, field, checksum, this.pathAt, this.places.length, this.stateAt, stopAtDrop ? 1 : 0);
    this.placeMs += performance.now() - p0;
    const dv = core.view();
    this.delivered += dv.getUint32(this.stateAt + S_DELIVERED, true);
    return { sent, last: dv.getUint32(this.stateAt + S_LAST, true) };
  }

  /** Hears the dropped packets of slots [0, n) of the batch that ended on `core` (already counted). */
  heardDrops(core: PacketCore, n: number, onDrop: (i: number, reason: number) => void): void {
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const d = core.descBase + i * abi.DESC_SIZE;
      if (dv.getUint8(d + abi.D_NEXT) === abi.NEXT_DROP) onDrop(i, dv.getUint8(d + abi.D_DROP));
    }
  }

  /** The flow of packet k. */
  flowOf(k: number): number {
    return this.order[k % this.order.length]!;
  }

  /** Writes packets first .. first+n-1 into slots [0, n) of the first place. */
  write(first: number, n: number): void {
    const p = this.places[0]!;
    const m = this.order.length;
    if (this.x) {
      this.x.flood_feed(this.templateAt, this.template.length, this.wordsAt, m, first % m, n, this.patch.field, this.patch.checksum, p.inPort, p.ctx);
      return;
    }
    const core = p.core;
    const mem = core.bytes();
    const dv = core.view();
    const len = this.template.length;
    for (let i = 0; i < n; i++) {
      const data = core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM;
      mem.set(this.template, data);
      patchFlow(mem, data, this.patch, this.order[(first + i) % m]!);
      const d = core.descBase + i * abi.DESC_SIZE;
      mem.fill(0, d, d + abi.DESC_SIZE);
      dv.setUint32(d + abi.D_DATA, data, true);
      dv.setUint16(d + abi.D_LEN, len, true);
      dv.setUint16(d + abi.D_IN_PORT, p.inPort, true);
      dv.setUint16(d + abi.D_OUT_PORT, abi.OUT_PORT_NONE, true);
      dv.setUint32(d + abi.D_CTX, p.ctx, true);
    }
  }

  /**
   * Runs the batch written into slots [0, count) through the places; returns the core it ended on
   * and the batch size (flooding may add replicas).
   */
  run(count: number): { core: PacketCore; n: number } {
    let core = this.places[0]!.core;
    let n = count;
    for (const [k, place] of this.places.entries()) {
      const next = place.core;
      if (instanceOf(next) !== instanceOf(core) && (next.bytes().buffer !== core.bytes().buffer || next.ringBase !== core.ringBase)) {
        next.bytes().set(core.bytes().subarray(core.ringBase, core.ringBase + n * abi.SLOT_SIZE), next.ringBase);
        next.bytes().set(core.bytes().subarray(core.descBase, core.descBase + n * abi.DESC_SIZE), next.descBase);
        const dv = next.view();
        const delta = next.ringBase - core.ringBase;
        for (let i = 0; i < n; i++) {
          const d = next.descBase + i * abi.DESC_SIZE;
          dv.setUint32(d + abi.D_DATA, dv.getUint32(d + abi.D_DATA, true) + delta, true);
        }
      }
      core = next;
      if (k > 0) this.enter(core, n, place);
      const p0 = performance.now();
      n = Math.min(core.run(n, place.program), core.slots);
      this.placeMs += performance.now() - p0;
    }
    return { core, n };
  }

  /** The batch enters a place: its port, and its context when the place names one. */
  private enter(core: PacketCore, n: number, place: BatchPlace): void {
    const x = floodExports(core);
    if (x) return x.flood_enter(n, place.inPort, place.ctx);
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const d = core.descBase + i * abi.DESC_SIZE;
      dv.setUint16(d + abi.D_IN_PORT, place.inPort, true);
      if (place.ctx) dv.setUint32(d + abi.D_CTX, place.ctx, true);
    }
  }

  /**
   * Counts the verdicts of a batch that ended on `core` with `n` packets; `onDrop(i, reason)` hears
   * each dropped packet (the count is kept in the data plane; the slots are read only when a batch
   * had drops and someone listens).
   */
  tally(core: PacketCore, n: number, onDrop?: (i: number, reason: number) => void): void {
    const x = floodExports(core);
    let delivered = n;
    if (x) {
      const key = instanceOf(core);
      let c = this.counts.get(key);
      if (!c) this.counts.set(key, (c = { x, at: core.alloc(256 * 4) }));
      delivered = x.flood_tally(n, c.at);
      this.delivered += delivered;
      if (delivered === n || !onDrop) return;
    }
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const d = core.descBase + i * abi.DESC_SIZE;
      if (dv.getUint8(d + abi.D_NEXT) !== abi.NEXT_DROP) continue;
      const r = dv.getUint8(d + abi.D_DROP);
      if (!x) {
        this.drops.set(r, (this.drops.get(r) ?? 0) + 1);
        delivered--;
      }
      onDrop?.(i, r);
    }
    if (!x) this.delivered += delivered;
  }

  /** Frees what the batches took in the data plane; returns the drop counts (reason → count). Once
   *  is enough; again gives the same counts. */
  finish(): Map<number, number> {
    for (const [core, c] of this.counts) {
      const counts = new Uint32Array(core.bytes().buffer, c.at, 256);
      counts.forEach((v, r) => {
        if (v) this.drops.set(r, (this.drops.get(r) ?? 0) + v);
      });
      c.x.free(c.at);
    }
    this.counts.clear();
    if (this.templateAt) this.x!.free(this.templateAt);
    if (this.pathAt) this.x!.free(this.pathAt);
    this.templateAt = 0;
    this.pathAt = 0;
    return this.drops;
  }
}

/**
 * How long a flood's thread rests between slices in the browser, ms: the page's thread shares the
 * machine's cores with the flood's threads (two workers on two cores hold both), and a frame that
 * waits for a core is a frame late. Node has no page to draw: there the thread only hears its
 * messages, on the next task.
 */
export const FLOOD_REST_MS = 4;

/** Between slices of a flood: hears the thread's messages (a cancel), and in the browser rests. */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  return new Promise((r) => setTimeout(r, FLOOD_REST_MS));
}

/** How long a batch loop runs before it yields to the thread's messages and reports progress, ms. */
export const FLOOD_SLICE_MS = 20;
/** The same in the browser, where each slice is followed by FLOOD_REST_MS of rest. */
export const FLOOD_BROWSER_SLICE_MS = 5;

/**
 * Sends packets 0 .. count-1 of `b` in batches of `batch`. `onDrop(k, reason)` hears each dropped
 * packet k < count (an original, not a replica) and returns true to stop the loop. Yields every
 * FLOOD_SLICE_MS so a cancel is heard. Returns the packets sent.
 */
export async function sendPackets(
  b: FlowBatches,
  count: number,
  batch: number,
  io: { cancelled?(): boolean; progress?(sent: number): void; yield(): Promise<void> },
  onDrop?: (k: number, reason: number) => boolean,
): Promise<number> {
  let sent = 0;
  let stop = false;
  let slice = performance.now();
  const sliceMs = typeof setImmediate === 'function' ? FLOOD_SLICE_MS : FLOOD_BROWSER_SLICE_MS;
  while (sent < count && !stop) {
    if (io.cancelled?.()) break;
    const base = sent;
    const many = b.runMany(base, Math.min(batch * FLOOD_RUN_BATCHES, count - sent), batch, !!onDrop);
    if (many) {
      sent += many.sent;
      // The batch it stopped at: its own packets are slots [0, last), the batch's first is sent - last.
      const at = sent - many.last;
      if (many.last && onDrop) {
        b.heardDrops(b.places.at(-1)!.core, many.last, (i, reason) => {
          if (!stop) stop = onDrop(at + i, reason);
        });
      }
    } else {
      const n0 = Math.min(batch, count - sent);
      b.write(base, n0);
      const { core, n } = b.run(n0);
      b.tally(core, n, onDrop && ((i, reason) => {
        if (i < n0 && !stop) stop = onDrop(base + i, reason);
      }));
      sent += n0;
    }
    if (performance.now() - slice >= sliceMs) {
      io.progress?.(sent);
      await io.yield();
      slice = performance.now();
    }
  }
  io.progress?.(sent);
  return sent;
}

/** Slices of `range` (inclusive) in proportion to `shares`, each at least one port, in order. */
export function slicePool(range: { first: number; last: number }, shares: number[]): { first: number; last: number }[] {
  const size = range.last - range.first + 1;
  const total = shares.reduce((a, b) => a + b, 0) || 1;
  const out: { first: number; last: number }[] = [];
  let at = range.first;
  let acc = 0;
  shares.forEach((s, k) => {
    acc += s;
    const end = k === shares.length - 1 ? range.last + 1 : range.first + Math.max(at - range.first + 1, Math.floor((size * acc) / total));
    out.push({ first: at, last: Math.min(range.last, end - 1) });
    at = Math.min(range.last, end);
  });
  return out;
}

/** A replica's contents: the plane's own with each NAT pool replaced by this worker's slice. */
export function withPoolSlices(contents: PlaneContents, worker: number, shares: number[]): PlaneContents {
  if (!contents.nat.length) return contents;
  return { ...contents, nat: contents.nat.map((n) => ({ ...n, pool: slicePool(n.pool, shares)[worker]! })) };
}

/**
 * Loads a job's replicas: the table spaces of one fresh instance (as the session's planes are, so a
 * batch is not copied from plane to plane), or a fresh core each where the core has no spaces.
 */
export async function loadReplicas(job: ShardJob, createCore: () => Promise<PacketCore>): Promise<PacketCore[]> {
  const first = await createCore();
  const spaces = first instanceof WasmCore && typeof first.exports.space_select === 'function';
  const cores: PacketCore[] = [];
  for (const [k, p] of job.planes.entries()) {
    const core = spaces ? new SpaceCore(first, k) : k === 0 ? first : await createCore();
    loadPlaneContents(core, p.contents, null);
    if (p.natClock !== null) setNatClock(core, p.natClock);
    cores.push(core);
  }
  return cores;
}

/** The packets a flood sends after its opening ones: rounds r ≥ 1 of its `mine` flows (ascending). */
export interface FloodRounds {
  template: Uint8Array;
  patch: FlowPatch;
  flows: number;
  total: number;
  mine: number[];
}

/** How many packets rounds r ≥ 1 hold for `mine` (k = r·flows + f < total). */
export function roundsCount(r: FloodRounds): number {
  const m = r.mine.length;
  let count = 0;
  for (let round = 1; round * r.flows < r.total; round++) {
    const left = r.total - round * r.flows;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r.mine[mid]! < left) lo = mid + 1;
      else hi = mid;
    }
    count += lo;
    if (lo < m) break;
  }
  return count;
}

export interface FloodTally {
  sent: number;
  delivered: number;
  drops: Map<number, number>;
  placeMs: number;
  disagreed: { flow: number; reason: number } | null;
}

/**
 * Sends rounds r ≥ 1 of `mine` through `places` in the order one worker would (round by round, flows
 * ascending), in batches. With `mustPass`, a dropped original (a flow the session's plane passed)
 * stops the loop and is reported. Yields every FLOOD_SLICE_MS so a cancel is heard.
 */
export async function sendRounds(
  places: BatchPlace[],
  r: FloodRounds,
  batch: number,
  io: { cancelled?(): boolean; progress?(sent: number): void; yield(): Promise<void> },
  mustPass: boolean,
): Promise<FloodTally> {
  const count = r.mine.length ? roundsCount(r) : 0;
  let disagreed: FloodTally['disagreed'] = null;
  const b = new FlowBatches(places, r.template, r.patch, r.mine);
  try {
    const sent = await sendPackets(b, count, batch, io, mustPass ? (k, reason) => ((disagreed ??= { flow: b.flowOf(k), reason }), true) : undefined);
    return { sent, delivered: b.delivered, drops: b.finish(), placeMs: b.placeMs, disagreed };
  } finally {
    b.finish();
  }
}

/**
 * A worker's whole job: its replicas (loaded while the coordinator sends the opening packets), then,
 * once `go` says which of its flows passed them, those flows' packets after the opening ones.
 */
export async function runShardJob(
  job: ShardJob,
  createCore: () => Promise<PacketCore>,
  io: { cancelled(): boolean; progress(sent: number): void; yield(): Promise<void> },
  go: Promise<ShardGo>,
): Promise<ShardResult> {
  const cores = await loadReplicas(job, createCore);
  const { without, planes = job.planes } = await go;
  // Planes that changed meanwhile load again (only the tables that differ: loadPlaneContents diffs).
  if (planes !== job.planes) {
    planes.forEach((p, k) => {
      loadPlaneContents(cores[k]!, p.contents, job.planes[k]!.contents);
      if (p.natClock !== null) setNatClock(cores[k]!, p.natClock);
    });
  }
  const gone = new Set(without);
  const rounds = { ...job, mine: gone.size ? job.mine.filter((f) => !gone.has(f)) : job.mine };
  const places: BatchPlace[] = job.places.map((p) => ({ core: cores[p.plane]!, inPort: p.inPort, ctx: p.ctx, program: p.program }));
  const batch = Math.min(FLOOD_BATCH, job.slots, ...cores.map((c) => c.slots));
  const t = await sendRounds(places, rounds, batch, io, true);
  const aclHits = planes.flatMap((p, k) => p.contents.acl.map((a) => ({ plane: k, id: a.id, rules: aclHitCounts(cores[k]!, a.id), ...aclDefaultHits(cores[k]!, a.id) })));
  return { sent: t.sent, delivered: t.delivered, drops: [...t.drops], placeMs: t.placeMs, disagreed: t.disagreed, aclHits };
}

/** The worker side of the message protocol (both entries call it with their own port and cores). */
export function serveShards(port: { post(m: FromWorker): void; listen(cb: (m: ToWorker) => void): void }, createCore: (module?: WebAssembly.Module) => (() => Promise<PacketCore>)): void {
  let cancelled = false;
  let go: (g: ShardGo) => void = () => undefined;
  const went = new Promise<ShardGo>((resolve) => (go = resolve));
  port.listen((msg) => {
    if (msg.type === 'cancel') {
      cancelled = true;
      // A job still waiting for its go ends at once (its loop sees the cancel).
      go({ without: [] });
      return;
    }
    if (msg.type === 'go') {
      go(msg);
      return;
    }
    const make = createCore(msg.module);
    runShardJob(msg.job, make, {
      cancelled: () => cancelled,
      progress: (sent) => port.post({ type: 'progress', sent }),
      yield: nextTask,
    }, went).then(
      (result) => port.post({ type: 'done', result }),
      (e: unknown) => port.post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  });
}

// ---- the coordinator's side of a pool -------------------------------------------------------------

/** A worker as the coordinator drives it (a Node worker thread or a Web Worker). */
export interface ShardWorker {
  /** Started as the script started (warmFloodPool, src/sim/flood.ts): its thread is up by its flood. */
  ahead?: boolean;
  post(m: ToWorker): void;
  listen(cb: (m: FromWorker) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/** Starts workers for a flood; Node and the browser each supply one (flood-node.ts, src/worker/). */
export interface FloodPool {
  /** Cores the machine offers (the default worker count's cap). */
  readonly cores: number;
  spawn(): ShardWorker;
  /** The compiled data plane to hand to workers, when the platform can share it. */
  module?(): WebAssembly.Module | undefined;
  /** What starting a worker costs, in packets (default: none for workers started ahead, else
   *  WORKER_START_PACKETS; 0: an even split). */
  startPackets?: number;
}

/** Jobs running on a pool's workers (startOnPool). */
export interface PoolRun {
  /** Tells worker k its go (ShardGo): the jobs wait for it before their first packet. */
  go(k: number, g: ShardGo): void;
  /** Stops every worker (a flood that will not need them); `results` then resolves early. */
  stop(): void;
  /** Every job's result; rejects when a worker fails. The workers end once it settles. */
  results: Promise<ShardResult[]>;
}

/** How often a flood on several workers looks whether it was cancelled, ms. */
const CANCEL_POLL_MS = 20;

/**
 * Posts jobs to workers (one each; those started ahead first) at once, so they load their replicas
 * while the coordinator sends the opening packets, and gathers their results. `onProgress` hears the
 * packets sent so far by all of them; `cancelled` is polled and passed on; a worker's failure fails
 * the run.
 */
export function startOnPool(
  pool: FloodPool,
  jobs: ShardJob[],
  opts: { cancelled?(): boolean; onProgress?(sent: number): void },
  started: ShardWorker[] = [],
): PoolRun {
  const workers = jobs.map((_, k) => started[k] ?? pool.spawn());
  for (const w of started.slice(jobs.length)) w.terminate();
  const sent = jobs.map(() => 0);
  let cancelSent = false;
  let over = false;
  const cancel = () => {
    if (cancelSent || over) return;
    cancelSent = true;
    for (const w of workers) w.post({ type: 'cancel' });
  };
  const module = pool.module?.();
  const each = jobs.map(
    (job, k) =>
      new Promise<ShardResult>((resolve, reject) => {
        workers[k]!.listen(
          (m) => {
            if (m.type === 'progress') {
              sent[k] = m.sent;
              opts.onProgress?.(sent.reduce((a, b) => a + b, 0));
            } else if (m.type === 'done') resolve(m.result);
            else reject(new Error(m.message));
          },
          (message) => reject(new Error(message)),
        );
        workers[k]!.post({ type: 'job', job, module });
      }),
  );
  const all = Promise.all(each);
  const results = (async () => {
    // Polls the cancel flag while the workers run; their answer is heard as it comes (a poll that
    // waited for it kept a flood up to a poll's interval past its last packet).
    const poll = opts.cancelled ? setInterval(() => opts.cancelled!() && cancel(), CANCEL_POLL_MS) : undefined;
    try {
      return await all;
    } finally {
      clearInterval(poll);
      over = true;
      for (const w of workers) w.terminate();
    }
  })();
  return { go: (k, g) => workers[k]!.post({ type: 'go', ...g }), stop: cancel, results };
}
