/**
 * `flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F]`: bulk traffic through the data
 * planes. The first packet is walked like any traffic (its trace is shown); the places it passed are
 * recorded, and all packets then go through those places in batches, with tracing off, so the
 * figures are the data plane's own. Reports packets per second and the verdict counts.
 */
import * as abi from '../abi.js';
import { writeBatch, type PacketCore } from '../engine/core.js';
import { dropReason } from '../engine/drops.js';
import type { TrafficRequest } from '../model/traffic.js';
import { buildFrame } from '../wire/build.js';
import { ipNum } from '../addr.js';
import type { SimSession } from './session.js';
import type { TrafficOutcome } from './traffic.js';
import type { Station } from './station.js';
import type { RecordedPlace } from './walk-types.js';

const BATCH = 256;

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

/** The flood's frames: one per flow, the flow number in the source port (or the ICMP identifier). */
function frameMaker(req: TrafficRequest, src: { ip: number; mac: number }, dst: number, flows: number, size: number, port: number): (k: number) => Uint8Array {
  return (k) => {
    const sport = 40000 + (k % flows);
    const base = { eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst, ttl: 128 } };
    const headers = req.protocol === 'icmp' ? 42 : req.protocol === 'udp' ? 42 : 54;
    const payload = new Uint8Array(Math.max(0, size - headers));
    if (req.protocol === 'icmp') return buildFrame({ ...base, icmp: { type: 'echo-request', id: 0x100 + (k % flows), seq: 1 }, payload, minLength: size });
    if (req.protocol === 'udp') return buildFrame({ ...base, udp: { sport, dport: port }, payload, minLength: size });
    return buildFrame({ ...base, tcp: { sport, dport: port, flags: 'S', seq: 1 }, payload, minLength: size });
  };
}

/**
 * Runs one batch through the recorded places, handing it from plane to plane in bulk (slots and
 * descriptors copied, frame addresses rebased). Returns the core it ended on and the batch size, and
 * adds the time spent in the data plane to `timing.place`.
 */
function replayBatch(places: RecordedPlace[], batch: Uint8Array[], timing: { place: number }): { core: PacketCore; n: number } {
  let core = places[0]!.plane.core;
  let n = batch.length;
  writeBatch(core, batch, places[0]!.inPort, places[0]!.ctx);
  for (const place of places) {
    const next = place.plane.core;
    if (next !== core) {
      next.bytes().set(core.bytes().subarray(core.ringBase, core.ringBase + n * abi.SLOT_SIZE), next.ringBase);
      next.bytes().set(core.bytes().subarray(core.descBase, core.descBase + n * abi.DESC_SIZE), next.descBase);
      const dv = next.view();
      const delta = next.ringBase - core.ringBase;
      for (let i = 0; i < n; i++) {
        const d = next.descBase + i * abi.DESC_SIZE;
        dv.setUint32(d + abi.D_DATA, dv.getUint32(d + abi.D_DATA, true) + delta, true);
      }
      core = next;
    }
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const d = core.descBase + i * abi.DESC_SIZE;
      dv.setUint16(d + abi.D_IN_PORT, place.inPort, true);
      if (place.ctx) dv.setUint32(d + abi.D_CTX, place.ctx, true);
    }
    const p0 = performance.now();
    n = Math.min(core.run(n, place.program), core.slots);
    timing.place += performance.now() - p0;
  }
  return { core, n };
}

/** What the flood prints: the rate, the verdict counts, and how far a cancelled flood got. */
function floodReport(head: string, r: { sent: number; total: number; seconds: number; placeSeconds: number; places: number; delivered: number; drops: Map<number, number> }): string {
  const pps = r.sent / Math.max(r.seconds, 1e-9);
  const dpPps = (r.sent * Math.max(1, r.places)) / Math.max(r.placeSeconds, 1e-9);
  const lines = [
    head,
    `  ${Math.round(pps).toLocaleString('en-US')} packets/s end to end (${r.seconds.toFixed(3)} s); the data plane alone ${(dpPps / 1e6).toFixed(2)} M packet-stages/s`,
    `  delivered  ${r.delivered.toLocaleString('en-US')}`,
  ];
  for (const [code, count] of [...r.drops.entries()].sort((a, b) => b[1] - a[1])) {
    lines.push(`  dropped    ${count.toLocaleString('en-US')}  ${dropReason(code).name} (${dropReason(code).text})`);
  }
  if (r.sent < r.total) lines.push(`  cancelled after ${r.sent.toLocaleString('en-US')} of ${r.total.toLocaleString('en-US')} packets`);
  return lines.join('\n');
}

export async function runFlood(
  sim: SimSession,
  req: TrafficRequest,
  opts: { cancelled?(): boolean; onProgress?(fraction: number): void } = {},
): Promise<TrafficOutcome> {
  const st = stationOf(sim, req);
  const dst = destination(sim, req);
  if (!st || dst === null) return { ok: false, output: '', error: `flood: cannot resolve ${req.target}`, traces: [] };
  const src = sim.stations.sourceFor(st, dst);
  if (!src) return { ok: false, output: '', error: 'flood: the source has no route', traces: [] };
  const total = req.flood?.packets ?? 100_000;
  const flows = Math.max(1, req.flood?.flows ?? 1);
  const size = Math.max(60, req.flood?.size ?? 64);
  const port = req.port ?? (req.protocol === 'udp' ? 53 : 80);
  const make = frameMaker(req, src, dst, flows, size, port);
  // The first packet shows the path and fixes the places (ARP is resolved on the way).
  const { result, places } = sim.walker.record(st, make(0));
  const traces = [{ from: req.source.kind === 'container' ? req.source.container : req.source.kind === 'host' ? req.source.host : req.source.client, to: req.target, packets: result.packets }];
  // One frame per flow, as it is when it enters the first place (after the walker filled in L2).
  const templates: Uint8Array[] = [];
  for (let f = 0; f < Math.min(flows, BATCH); f++) templates.push(sim.stations.fixL2(st, make(f)));
  const drops = new Map<number, number>();
  let delivered = 0;
  let sent = 0;
  const t0 = performance.now();
  const timing = { place: 0 };
  const batchSize = Math.min(BATCH, ...places.map((p) => p.plane.core.slots));
  while (sent < total && places.length) {
    if (opts.cancelled?.()) break;
    const count = Math.min(batchSize, total - sent);
    const batch: Uint8Array[] = [];
    for (let i = 0; i < count; i++) batch.push(templates[(sent + i) % templates.length]!);
    const { core, n } = replayBatch(places, batch, timing);
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const d = core.descBase + i * abi.DESC_SIZE;
      if (dv.getUint8(d + abi.D_NEXT) === abi.NEXT_DROP) {
        const r = dv.getUint8(d + abi.D_DROP);
        drops.set(r, (drops.get(r) ?? 0) + 1);
      } else delivered++;
    }
    sent += count;
    if ((sent / BATCH) % 64 === 0) {
      opts.onProgress?.(sent / total);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  opts.onProgress?.(1);
  const head = `flood ${traces[0]!.from} -> ${req.target} ${req.protocol}${req.protocol === 'icmp' ? '' : `/${port}`}: ${sent.toLocaleString('en-US')} packets of ${size} bytes, ${flows} flow${flows === 1 ? '' : 's'}, through ${places.length} place${places.length === 1 ? '' : 's'}`;
  const output = floodReport(head, { sent, total, seconds: (performance.now() - t0) / 1000, placeSeconds: timing.place / 1000, places: places.length, delivered, drops });
  // A flood succeeds when every packet arrived (an expect-fail line states the drops a design expects).
  return { ok: delivered > 0 && drops.size === 0 && sent === total, output, error: null, traces };
}
