/**
 * `flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F] [--workers W]`: bulk traffic
 * through the data planes. The first packet is walked like any traffic (its trace is shown); the
 * places it passed are recorded, and all packets then go through those places in batches, with
 * tracing off, so the figures are the data plane's own. With several workers the flows are sharded
 * over threads after their opening packets (flood-shards.ts says how, and why the answer is the same
 * for any number of workers). Reports packets per second and the verdict counts.
 */
import { dropReason } from '../engine/drops.js';
import { aclAddHits } from '../engine/loaders/acl.js';
import { readFdb } from '../engine/loaders/fdb.js';
import { natClock } from '../engine/loaders/nat.js';
import type { TrafficRequest } from '../model/traffic.js';
import { flagValue } from '../model/args.js';
import type { Command, Flag } from '../script/ast.js';
import { buildFrame } from '../wire/build.js';
import { ipNum } from '../addr.js';
import type { SimSession } from './session.js';
import type { TrafficOutcome } from './traffic.js';
import type { Station } from './station.js';
import type { Plane } from './planes.js';
import type { PlaneContents } from './derive.js';
import {
  type BatchPlace, type FloodPool, type FloodProto, type ReplicaPlane, type ShardJob, type ShardWorker, FLOOD_BATCH, FLOOD_DEFAULT_PACKETS, FLOOD_MAX_WORKERS, WORKER_START_PACKETS, defaultFloodWorkers,
  FlowBatches, flowField, flowHashes, shardOf, flowPatch, nextTask, startOnPool, sendPackets, sendRounds, withPoolSlices,
  type FlowPatch, type PoolRun, type ShardPlace,
} from './flood-shards.js';

function stationOf(sim: SimSession, req: TrafficRequest): Station | null {
  const s = req.source;
  if (s.kind === 'client') return { kind: 'client', name: s.client };
  if (s.kind === 'host') return { kind: 'host', host: s.host };
  return { kind: 'compartment', host: s.host, domain: s.compartmentId };
}

/** The destination address of a flood: an IP as written, a container's or a client's address. */
function destination(sim: SimSession, req: TrafficRequest): number | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(req.target)) return ipNum(req.target);
  const d = req.flood?.destination;
  if (d?.kind === 'client') return ipNum(d.ip);
  for (const h of sim.world.hosts) {
    const c = h.containers.find((x) => x.name === req.target);
    const ep = c && h.endpoints.find((e) => e.containerId === c.id && e.state !== 'Detached');
    if (ep) return ipNum(ep.ip);
  }
  const cl = sim.world.clients.find((c) => c.name === req.target);
  if (cl) return ipNum(cl.ip);
  const h = sim.world.hosts.find((x) => x.name === req.target);
  const nic = h?.nics.find((n) => n.ip);
  if (nic) return ipNum(nic.ip!.split('/')[0]);
  return null;
}

/** The flood's frames: flow f's source port (or ICMP identifier) is flowField(f). */
function frameMaker(req: TrafficRequest, src: { ip: number; mac: number }, dst: number, flows: number, size: number, port: number): (k: number) => Uint8Array {
  return (k) => {
    const f = flowField(req.protocol as FloodProto, k % flows);
    const base = { eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst, ttl: 128 } };
    const headers = req.protocol === 'icmp' ? 42 : req.protocol === 'udp' ? 42 : 54;
    const payload = new Uint8Array(Math.max(0, size - headers));
    if (req.protocol === 'icmp') return buildFrame({ ...base, icmp: { type: 'echo-request', id: f, seq: 1 }, payload, minLength: size });
    if (req.protocol === 'udp') return buildFrame({ ...base, udp: { sport: f, dport: port }, payload, minLength: size });
    return buildFrame({ ...base, tcp: { sport: f, dport: port, flags: 'S', seq: 1 }, payload, minLength: size });
  };
}

/** What the flood prints: the rate, the verdict counts, and how far a cancelled flood got. */
function floodReport(head: string, r: { sent: number; total: number; seconds: number; placeSeconds: number; places: number; delivered: number; drops: Map<number, number>; workers: number }): string {
  const pps = r.sent / Math.max(r.seconds, 1e-9);
  const dpPps = (r.sent * Math.max(1, r.places)) / Math.max(r.placeSeconds, 1e-9);
  const lines = [
    head,
    `  ${Math.round(pps).toLocaleString('en-US')} packets/s end to end (${r.seconds.toFixed(3)} s${r.workers > 1 ? `, ${r.workers} workers` : ''}); the data plane alone ${(dpPps / 1e6).toFixed(2)} M packet-stages/s${r.workers > 1 ? ' per worker' : ''}`,
    `  delivered  ${r.delivered.toLocaleString('en-US')}`,
  ];
  for (const [code, count] of [...r.drops.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    lines.push(`  dropped    ${count.toLocaleString('en-US')}  ${dropReason(code).name} (${dropReason(code).text})`);
  }
  if (r.sent < r.total) lines.push(`  cancelled after ${r.sent.toLocaleString('en-US')} of ${r.total.toLocaleString('en-US')} packets`);
  return lines.join('\n');
}

/** The session's contents of a plane (by host, or the LAN's), with the FDB entries it learned. */
function replicaPlane(sim: SimSession, plane: Plane): ReplicaPlane {
  const host = sim.world.hosts.find((h) => sim.hasPlane(h.name) && sim.hostPlane(h.name) === plane);
  const contents = sim.planeContents(host ? host.name : 'lan');
  if (!contents) throw new Error('flood: a plane on the path has no contents');
  return { contents: { ...contents, fdb: learned(plane, contents) }, natClock: contents.nat.length ? natClock(plane.core) : null };
}

/** The FDB entries a plane holds now (those it was loaded with and those it learned). */
function learned(plane: Plane, contents: PlaneContents): PlaneContents['fdb'] {
  const vswitches = [...new Set([...contents.fdb.map((e) => e.vswitch), ...contents.vlans.map((v) => v.vswitch)])];
  return vswitches.flatMap((vs) => (readFdb(plane.core, vs) ?? []).map((r) => ({ vswitch: vs, mac: r.mac, vlan: r.vlan, port: r.port })));
}

function sameFdb(a: PlaneContents['fdb'], b: PlaneContents['fdb']): boolean {
  return a.length === b.length && a.every((e, k) => e.vswitch === b[k]!.vswitch && e.mac === b[k]!.mac && e.vlan === b[k]!.vlan && e.port === b[k]!.port);
}

/**
 * Starts, as a script begins, the threads its first flood on several workers will take, so that they
 * start while the commands before it run (a thread costs tens of milliseconds before its first
 * packet). The flood finds them in the pool it is given (`pool`); `release()` ends those no flood
 * took (a script that stopped or failed before its flood). Floods after `untilLine` do not run.
 */
export function warmFloodPool(pool: FloodPool | null, commands: readonly Command[], opts: { workers?: number; untilLine?: number } = {}): { pool: FloodPool | null; release(): void } {
  if (!pool) return { pool, release() {} };
  const count = (flags: Flag[], name: string, def: number): number => {
    const v = flagValue(flags, name);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : def;
  };
  let threads = 0;
  for (const c of commands) {
    if (c.kind !== 'sim' || c.verb !== 'flood' || (opts.untilLine !== undefined && c.line > opts.untilLine)) continue;
    // As runFlood will plan it (a flood whose flags are wrong fails, and its threads are released).
    const total = count(c.flags, 'packets', FLOOD_DEFAULT_PACKETS);
    const flows = Math.max(1, count(c.flags, 'flows', 1));
    const planned = Math.min(count(c.flags, 'workers', opts.workers ?? defaultFloodWorkers(total, flows, pool.cores)), FLOOD_MAX_WORKERS);
    if (planned > 1 && total > flows) {
      threads = planned - 1;
      break;
    }
  }
  const warm = Array.from({ length: threads }, () => pool.spawn());
  return {
    pool: {
      cores: pool.cores,
      startPackets: pool.startPackets,
      module: pool.module?.bind(pool),
      spawn: () => {
        const w = warm.shift();
        return w ? { ...w, ahead: true } : pool.spawn();
      },
    },
    release: () => {
      for (const w of warm.splice(0)) w.terminate();
    },
  };
}

export interface FloodOptions {
  cancelled?(): boolean;
  onProgress?(fraction: number): void;
  /** Starts flood workers (Node worker threads, Web Workers); none: every flood runs on one. */
  pool?: FloodPool | null;
  /** Workers for a flood that does not say (`--workers`); default: defaultFloodWorkers. */
  workers?: number;
}

/** Runs a flood: on this thread, or its flows sharded over the pool's workers (flood-shards.ts). */
export async function runFlood(sim: SimSession, req: TrafficRequest, opts: FloodOptions = {}): Promise<TrafficOutcome> {
  const st = stationOf(sim, req);
  const dst = destination(sim, req);
  if (!st || dst === null) return { ok: false, output: '', error: `flood: cannot resolve ${req.target}`, traces: [] };
  const src = sim.stations.sourceFor(st, dst);
  if (!src) return { ok: false, output: '', error: 'flood: the source has no route', traces: [] };
  const total = req.flood?.packets ?? FLOOD_DEFAULT_PACKETS;
  const flows = Math.max(1, req.flood?.flows ?? 1);
  const size = Math.max(60, req.flood?.size ?? 64);
  const port = req.port ?? (req.protocol === 'udp' ? 53 : 80);
  const make = frameMaker(req, src, dst, flows, size, port);
  const pool = opts.pool ?? null;
  const asked = req.flood?.workers ?? opts.workers;
  const planned = pool ? (asked ?? defaultFloodWorkers(total, flows, pool.cores)) : 1;
  // Threads start now, so their start-up overlaps the first packet's walk and the opening packets.
  const started = planned > 1 && total > flows ? Array.from({ length: planned - 1 }, () => pool!.spawn()) : [];
  try {
    return await floodOn(sim, req, opts, { st, make, total, flows, size, port, workers: planned, started });
  } finally {
    // Workers no job took (a flood that ran here, failed or was cancelled) end here.
    for (const w of started) w.terminate();
  }
}

/**
 * Shards a flood's flows by their symmetric hash (shardOf) and posts the jobs of the shards after the
 * first to the pool's workers (null when every flow falls in the first shard). A job's replicas are
 * the planes as they are now, its NAT pool slices sized by the shards' flows; its go comes after the
 * opening packets.
 */
function startShards(
  sim: SimSession,
  places: readonly { plane: Plane; inPort: number; ctx: number; program: ShardPlace['program'] }[],
  pool: FloodPool,
  started: ShardWorker[],
  f: { template: Uint8Array; patch: FlowPatch; flows: number; total: number; workers: number; batchSize: number; opening: number; run: Parameters<typeof startOnPool>[2] },
): { used: number[][]; distinct: Plane[]; replicas: ReplicaPlane[]; run: PoolRun } | null {
  // Workers started with the script are waiting: an even split; others are still starting.
  const ahead = started.length > 0 && started.every((w) => w.ahead);
  const pick = shardOf(f.workers, f.total - f.opening, pool.startPackets ?? (ahead ? 0 : WORKER_START_PACKETS));
  const hashOf = flowHashes(f.template, f.patch);
  const shards: number[][] = Array.from({ length: f.workers }, () => []);
  for (let k = 0; k < f.flows; k++) shards[pick(hashOf(k))]!.push(k);
  const used = shards.filter((s) => s.length);
  if (used.length < 2) return null;
  const distinct = [...new Set(places.map((p) => p.plane))];
  const replicas = distinct.map((pl) => replicaPlane(sim, pl));
  const remote = used.slice(1);
  const shares = remote.map((s) => s.length);
  const jobs: ShardJob[] = remote.map((mine, k) => ({
    planes: replicas.map((r) => ({ ...r, contents: withPoolSlices(r.contents, k, shares) })),
    places: places.map((p) => ({ plane: distinct.indexOf(p.plane), inPort: p.inPort, ctx: p.ctx, program: p.program })),
    template: f.template, patch: f.patch, flows: f.flows, total: f.total, mine, slots: f.batchSize,
  }));
  const run = startOnPool(pool, jobs, f.run, started.splice(0));
  // A failing worker must not leave an unhandled rejection while the opening packets are sent.
  run.results.catch(() => undefined);
  return { used, distinct, replicas, run };
}

/** The flood itself, once its workers (if any) are starting. */
async function floodOn(
  sim: SimSession,
  req: TrafficRequest,
  opts: FloodOptions,
  f: { st: Station; make: (k: number) => Uint8Array; total: number; flows: number; size: number; port: number; workers: number; started: ShardWorker[] },
): Promise<TrafficOutcome> {
  const { st, make, total, flows, size, port, started } = f;
  const pool = opts.pool ?? null;
  // The first packet shows the path and fixes the places (ARP is resolved on the way).
  const { result, places } = sim.walker.record(st, make(0));
  const traces = [{ from: req.source.kind === 'container' ? req.source.container : req.source.kind === 'host' ? req.source.host : req.source.client, to: req.target, packets: result.packets }];
  // Flow 0's frame as it enters the first place (after the walker filled in L2); the others are patched from it.
  const template = sim.stations.fixL2(st, make(0));
  const patch = flowPatch(template, req.protocol as FloodProto);
  const here: BatchPlace[] = places.map((p) => ({ core: p.plane.core, inPort: p.inPort, ctx: p.ctx, program: p.program }));
  let workers = !places.length || !pool ? 1 : f.workers;
  const drops = new Map<number, number>();
  const addDrops = (more: Iterable<[number, number]>) => {
    for (const [r, c] of more) drops.set(r, (drops.get(r) ?? 0) + c);
  };
  let delivered = 0;
  let sent = 0;
  const t0 = performance.now();
  const timing = { place: 0 };
  const batchSize = Math.min(FLOOD_BATCH, ...places.map((p) => p.plane.core.slots));
  // One worker sends every packet here; several: the opening packet of every flow (packets 0 .. flows-1).
  const opening = workers > 1 ? Math.min(flows, total) : total;
  const passed = new Uint8Array(places.length ? flows : 0).fill(1);
  let remote = 0;
  let local = 0;
  const progress = () => opts.onProgress?.((opening + local + remote) / total);
  // Several workers: each flow's shard is its symmetric hash's, and the jobs of the shards after the
  // first go to their workers now, so they load their replicas while the opening packets are sent.
  const shards = places.length && pool && workers > 1 && opening < total ? startShards(sim, places, pool, started, {
    template, patch, flows, total, workers, batchSize, opening,
    run: { cancelled: opts.cancelled, onProgress: (n) => ((remote = n), progress()) },
  }) : null;
  try {
    if (places.length) {
      const b = new FlowBatches(here, template, patch, Int32Array.from({ length: flows }, (_, k) => k));
      try {
        // Which flows' opening packets were dropped matters only to a flood that shards its flows.
        const heard = workers > 1 ? (k: number) => ((passed[k] = 0), false) : undefined;
        sent = await sendPackets(b, opening, batchSize, { cancelled: opts.cancelled, progress: (n) => opts.onProgress?.(n / total), yield: nextTask }, heard);
        delivered = b.delivered;
        timing.place += b.placeMs;
      } finally {
        addDrops(b.finish());
      }
    }
    if (sent === opening && opening < total && pool && workers > 1 && !opts.cancelled?.()) {
      // The first shard runs here, on the session's own planes, with every flow whose opening packet
      // was dropped (its later packets meet the same planes); each worker hears which of its flows
      // those are, and its planes again when they changed (its go).
      const kept = [...(shards?.used[0] ?? Array.from({ length: flows }, (_, k) => k))];
      let running = 1;
      if (shards) {
        const remoteShards = shards.used.slice(1);
        const without = remoteShards.map((mine) => mine.filter((f) => !passed[f]));
        for (const w of without) kept.push(...w);
        const shares = remoteShards.map((mine, k) => mine.length - without[k]!.length);
        // What the opening packets may have changed in a plane: the MACs it learned (the NAT clock
        // stands still during a flood).
        const now = shards.distinct.map((pl, k) => {
          const r = shards.replicas[k]!;
          const fdb = learned(pl, r.contents);
          return sameFdb(fdb, r.contents.fdb) ? r : { ...r, contents: { ...r.contents, fdb } };
        });
        const changed = without.some((w) => w.length) || now.some((r, k) => r !== shards.replicas[k]);
        remoteShards.forEach((_, k) => {
          shards.run.go(k, { without: without[k]!, planes: changed ? now.map((r) => ({ ...r, contents: withPoolSlices(r.contents, k, shares) })) : undefined });
        });
        running += shares.filter((n) => n > 0).length;
      }
      kept.sort((a, b) => a - b);
      workers = running;
      const near = await sendRounds(here, { template, patch, flows, total, mine: kept }, batchSize, { cancelled: opts.cancelled, progress: (n) => ((local = n), progress()), yield: nextTask }, false);
      const results = shards ? await shards.run.results : [];
      for (const t of [{ ...near, drops: [...near.drops], aclHits: [] }, ...results]) {
        if (t.disagreed) {
          throw new Error(`flood: a worker's copy of the data planes dropped flow ${t.disagreed.flow} (${dropReason(t.disagreed.reason).name}), which the host's own planes passed; run the flood with --workers 1`);
        }
        sent += t.sent;
        delivered += t.delivered;
        addDrops(t.drops);
        timing.place += t.placeMs;
        // Counters merged: the replicas' ACL hits join the session's planes (the playground shows them).
        for (const h of t.aclHits) aclAddHits(shards!.distinct[h.plane]!.core, h.id, h.rules, h);
      }
    } else workers = 1;
  } finally {
    // Workers whose flood stopped early (cancelled, or failed) end now.
    if (shards) {
      shards.run.stop();
      await shards.run.results.catch(() => undefined);
    }
  }
  // Timed before the report is written: the first number formatted in a process loads the locale data.
  const seconds = (performance.now() - t0) / 1000;
  opts.onProgress?.(1);
  const head = `flood ${traces[0]!.from} -> ${req.target} ${req.protocol}${req.protocol === 'icmp' ? '' : `/${port}`}: ${sent.toLocaleString('en-US')} packets of ${size} bytes, ${flows} flow${flows === 1 ? '' : 's'}, through ${places.length} place${places.length === 1 ? '' : 's'}`;
  const output = floodReport(head, { sent, total, seconds, placeSeconds: timing.place / 1000, places: places.length, delivered, drops, workers });
  // A flood succeeds when every packet arrived (an expect-fail line states the drops a design expects).
  return { ok: delivered > 0 && drops.size === 0 && sent === total, output, error: null, traces };
}
