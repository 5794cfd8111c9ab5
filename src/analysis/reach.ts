/**
 * The reachability matrix: every source (containers, hosts, clients, the internet) × every target
 * (their addresses, their names as DNS resolves them, `localhost`) × ports, each cell one probe of
 * real packets through the data planes (src/sim/traffic.ts: ping's echo, curl's handshake, nslookup's
 * query), both ways, so a missing return path counts.
 *
 * Each probe runs on the world as the script left it at the chosen line: the planes' dynamic state
 * (NAT sessions, learned MACs and neighbours, hit counters, flow caches) is saved once and put back
 * after every probe (SimSession.saveDynamic / restoreDynamic: the memory of the planes the probe
 * reached), so state the world had stays and nothing one probe leaves behind reaches another.
 */
import { runScriptSession, type RunScriptOptions, type ScriptSession } from '../run.js';
import type { Trace } from '../result.js';
import type { DynamicState } from '../sim/session.js';
import { containerSource } from '../model/traffic.js';
import { probeTraffic, trafficCounters, setTrafficCounters, type ProbeSource, type ProbeOutcome } from '../sim/traffic.js';
import { frameView } from '../sim/frame-view.js';
import { cidrNum, formatIp } from '../addr.js';
import type { PortText, ReachCell, ReachHop, ReachResult, ReachSource, ReachTarget } from './types.js';

/** The address the matrix uses for "the internet" when the script declares no client there (TEST-NET-3, RFC 5737). */
export const INTERNET_ADDRESS = '203.0.113.1';

/** Ports probed when none are asked for: these plus every published host port (issue 11). */
export const DEFAULT_PORTS: readonly PortText[] = ['icmp', 'tcp/80', 'tcp/443', 'udp/53'];

/** A script run up to a line, ready to be probed. */
export interface ReachWorld extends ScriptSession {
  /** The last line that ran. */
  at: number;
  /** The planes' state at that line, put back after every probe. */
  readonly saved: DynamicState;
  readonly counters: { port: number; icmpId: number };
}

export interface ReachWorldOptions extends Pick<RunScriptOptions, 'seed' | 'files' | 'readFile' | 'createCore' | 'cancelled' | 'onStep'> {
  /** Run the script up to and including this line (default: all of it). */
  at?: number;
  /** Keep the steps' traces in `result` (default false: the matrix does not need them). */
  trace?: boolean;
}

/** Runs a script up to a line (`at`) and keeps its world and planes for probing. */
export async function openWorld(text: string, opts: ReachWorldOptions = {}): Promise<ReachWorld> {
  const s = await runScriptSession(text, { seed: opts.seed, files: opts.files, readFile: opts.readFile, createCore: opts.createCore, cancelled: opts.cancelled, onStep: opts.onStep, untilLine: opts.at, trace: !!opts.trace });
  const lastLine = s.result.steps.at(-1)?.line ?? 0;
  return { ...s, at: opts.at ?? lastLine, saved: s.sim.saveDynamic(), counters: trafficCounters() };
}

/** What a probe asks: from a source (by its matrix name), to a target, on a port (`icmp`, `tcp/80`). */
export interface ProbeRequest {
  from: string;
  to: string;
  port: PortText;
}

/** The matrix's sources, targets and default ports for a world. */
export function reachEndpoints(w: ReachWorld): { sources: ReachSource[]; destinations: ReachTarget[]; ports: PortText[] } {
  const world = w.world;
  const sources: ReachSource[] = [];
  const destinations: ReachTarget[] = [];
  const seen = new Set<string>();
  const target = (t: ReachTarget): void => {
    if (seen.has(t.name.toLowerCase())) return;
    seen.add(t.name.toLowerCase());
    destinations.push(t);
  };
  const nameCount = new Map<string, number>();
  for (const h of world.hosts) for (const c of h.containers) if (c.state === 'running') nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1);
  for (const h of world.hosts) {
    for (const c of h.containers) {
      if (c.state !== 'running') continue;
      const addresses = h.endpoints.filter((e) => e.containerId === c.id && e.state !== 'Detached' && e.ip).map((e) => e.ip);
      const name = (nameCount.get(c.name) ?? 0) > 1 ? `${h.name}/${c.name}` : c.name;
      sources.push({ name, kind: 'container', host: h.name, addresses });
      target({ name: c.name, kind: 'container', of: name, by: 'name' });
      for (const a of addresses) target({ name: a, kind: 'container', of: name, by: 'address' });
    }
  }
  for (const h of world.hosts) {
    const addresses = [
      ...h.nics.filter((n) => n.ip).map((n) => cidrNum(n.ip!).ip),
      ...h.vswitches.filter((v) => v.hostVnic?.ip).map((v) => cidrNum(v.hostVnic!.ip!).ip),
    ].map(formatIp);
    sources.push({ name: h.name, kind: 'host', host: h.name, addresses });
    target({ name: h.name, kind: 'host', of: h.name, by: 'name' });
    for (const a of addresses) target({ name: a, kind: 'host', of: h.name, by: 'address' });
  }
  for (const c of world.clients) {
    sources.push({ name: c.name, kind: 'client', addresses: [c.ip] });
    target({ name: c.name, kind: 'client', of: c.name, by: 'name' });
    target({ name: c.ip, kind: 'client', of: c.name, by: 'address' });
  }
  if (!world.clients.some((c) => c.where === 'internet')) {
    sources.push({ name: 'internet', kind: 'internet', addresses: [INTERNET_ADDRESS] });
    target({ name: INTERNET_ADDRESS, kind: 'internet', of: 'internet', by: 'address' });
  }
  target({ name: 'localhost', kind: 'localhost', of: 'localhost', by: 'name' });
  const published = new Set<PortText>();
  for (const h of world.hosts) for (const c of h.containers) if (c.state === 'running') for (const p of c.publish) published.add(`${p.protocol}/${p.hostPort}`);
  const ports = [...DEFAULT_PORTS, ...[...published].filter((p) => !DEFAULT_PORTS.includes(p)).sort(byPort)];
  return { sources, destinations, ports };
}

function byPort(a: string, b: string): number {
  const [pa, na] = a.split('/');
  const [pb, nb] = b.split('/');
  return pa.localeCompare(pb) || Number(na) - Number(nb);
}

/** Parses `icmp`, `tcp/80`, `udp/53` (also `80/tcp`); null when it is none of these. */
export function parsePort(p: string): { proto: 'icmp' | 'tcp' | 'udp'; port: number } | null {
  const s = p.trim().toLowerCase();
  if (s === 'icmp') return { proto: 'icmp', port: 0 };
  const a = /^(tcp|udp)\/(\d{1,5})$/.exec(s);
  const b = /^(\d{1,5})\/(tcp|udp)$/.exec(s);
  const proto = (a?.[1] ?? b?.[2]) as 'tcp' | 'udp' | undefined;
  const port = Number(a?.[2] ?? b?.[1]);
  if (!proto) return null;
  return port >= 1 && port <= 65535 ? { proto, port } : null;
}

/** The probe source of a matrix source name (`web`, `host1/web`, `host1`, `laptop`, `internet`). */
function sourceOf(w: ReachWorld, name: string): ProbeSource | null {
  const world = w.world;
  const slash = name.indexOf('/');
  const hostName = slash > 0 ? name.slice(0, slash) : null;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  for (const h of world.hosts) {
    if (hostName && h.name !== hostName) continue;
    const c = h.containers.find((x) => x.state === 'running' && x.name === bare);
    if (c) return containerSource(h, c);
  }
  if (!hostName) {
    const h = world.hosts.find((x) => x.name === name);
    if (h) return { kind: 'host', host: h.name };
    const c = world.clients.find((x) => x.name === name);
    if (c) return { kind: 'client', client: c.name, ip: c.ip, where: c.where };
    if (name === 'internet') return { kind: 'internet', ip: INTERNET_ADDRESS };
  }
  return null;
}

/**
 * One probe on the world as it stands at the chosen line, with its packets hop by hop: the planes are
 * put back afterwards. Throws on a port it cannot parse; an unknown source is a `no-answer` cell.
 */
export function probe(w: ReachWorld, req: ProbeRequest): ReachCell {
  const port = parsePort(req.port);
  if (!port) throw new RangeError(`port "${req.port}": expected icmp, tcp/N or udp/N (N in 1..65535)`);
  const portText = port.proto === 'icmp' ? 'icmp' : `${port.proto}/${port.port}`;
  const src = sourceOf(w, req.from);
  if (!src) return { from: req.from, to: req.to, address: null, port: portText, result: 'no-answer', answer: 'no-source', detail: `no running container, host, client or internet source is named ${req.from}` };
  setTrafficCounters(w.counters);
  let out: ProbeOutcome;
  try {
    out = probeTraffic(w.sim, src, req.to, port.proto, port.port);
  } finally {
    w.sim.restoreDynamic(w.saved);
  }
  return { ...judge(req.from, req.to, portText, out), traces: out.traces };
}

/** Turns what a probe got back into a cell: the verdict, the first blocking hop and its script line. */
function judge(from: string, to: string, port: PortText, out: ProbeOutcome): ReachCell {
  const base = { from, to, address: out.address, port, answer: out.answer };
  const positive = out.answer === 'echo' || out.answer === 'open' || out.answer === 'dns' || out.answer === 'delivered';
  if (positive) return { ...base, result: 'reachable', detail: ANSWER_WORDS[out.answer] };
  const drop = firstDrop(out.traces, out.address);
  if (drop) {
    const hop: ReachHop = drop.hop.sourceLine !== undefined ? { ...drop.hop, line: drop.hop.sourceLine } : { ...drop.hop };
    const where = `${hop.host}, ${hop.at} (${hop.stage})`;
    const cell: ReachCell = { ...base, result: 'blocked', hop, direction: drop.direction, dropReason: drop.reason ?? hop.rule ?? undefined, detail: `${drop.direction === 'request' ? 'request' : drop.direction === 'reply' ? 'reply' : drop.direction === 'arp' ? 'ARP' : 'DNS query'} dropped at ${where}: ${hop.rule ?? drop.reason ?? 'dropped'}` };
    if (hop.line !== undefined) cell.line = hop.line;
    return cell;
  }
  return { ...base, result: 'no-answer', detail: ANSWER_WORDS[out.answer] };
}

const ANSWER_WORDS: Record<ProbeOutcome['answer'], string> = {
  echo: 'echo reply',
  open: 'connection open (SYN-ACK)',
  dns: 'DNS answer',
  delivered: 'datagram delivered (UDP: no answer to wait for)',
  refused: 'connection refused (RST): nothing listens on that port',
  none: 'no answer: nothing came back and no hop dropped a packet',
  unresolved: 'the name did not resolve',
  'no-source': 'the source has no address toward the target',
};

/** The first packet dropped in a probe's exchange (not a flooded copy when another drop exists). */
function firstDrop(traces: Trace[], address: string | null): { hop: ReachHop; reason: string | null; direction: NonNullable<ReachCell['direction']> } | null {
  let fallback: ReturnType<typeof firstDrop> = null;
  for (const t of traces) {
    const dns = t.to.endsWith('(DNS)');
    for (const p of t.packets) {
      if (p.verdict !== 'dropped') continue;
      const hop = [...p.hops].reverse().find((h) => h.action === 'drop') ?? p.hops.at(-1);
      if (!hop) continue;
      const first = p.frames?.[0]?.hex;
      const view = first ? frameView(hexBytes(first)) : null;
      const direction = view?.arp ? 'arp' : dns ? 'dns' : view?.ip && address && formatIp(view.ip.src) === address ? 'reply' : 'request';
      const found = { hop, reason: p.dropReason, direction } as const;
      if (!/\(flooded copy \d+\)$/.test(p.summary)) return found;
      fallback ??= found;
    }
  }
  return fallback;
}

function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

export interface ReachOptions extends ReachWorldOptions {
  /** Sources by matrix name (default: all). */
  from?: string[];
  /** Targets by name or address (default: all). */
  to?: string[];
  /** Ports (default: DEFAULT_PORTS plus the published ones). */
  ports?: PortText[];
  /** Ports probed besides the defaults when `ports` is not given (the page: the last matrix's, to compare). */
  morePorts?: PortText[];
  /** Keep each cell's packets (`cells[i].traces`); off by default (a large matrix). */
  traces?: boolean;
}

/** The plan of a matrix: which cells, in order. */
export interface ReachPlan {
  sources: ReachSource[];
  destinations: ReachTarget[];
  ports: PortText[];
  warnings: string[];
  requests: ProbeRequest[];
}

/** Chooses the cells of a matrix (sources × targets × ports, `--from/--to/--ports` applied). */
export function planReach(w: ReachWorld, opts: Pick<ReachOptions, 'from' | 'to' | 'ports' | 'morePorts'> = {}): ReachPlan {
  const all = reachEndpoints(w);
  const warnings: string[] = [];
  let sources = all.sources;
  if (opts.from?.length) {
    sources = [];
    for (const f of opts.from) {
      const s = all.sources.find((x) => x.name === f || (x.kind === 'container' && x.name.endsWith(`/${f}`)));
      if (s) sources.push(s);
      else if (sourceOf(w, f)) sources.push({ name: f, kind: 'container', addresses: [] });
      else warnings.push(`--from ${f}: no running container, host, client or internet source has that name`);
    }
  }
  let destinations = all.destinations;
  if (opts.to?.length) {
    destinations = opts.to.map((t) => all.destinations.find((d) => d.name.toLowerCase() === t.toLowerCase()) ?? { name: t, kind: 'internet', of: t, by: /^\d+\.\d+\.\d+\.\d+$/.test(t) ? 'address' : 'name' });
  }
  let ports = all.ports;
  const asked = opts.ports?.length ? opts.ports : opts.morePorts?.length ? [...all.ports, ...opts.morePorts] : null;
  if (asked) {
    ports = [];
    for (const p of asked) {
      const q = parsePort(p);
      if (!q) throw new RangeError(`--ports ${p}: expected icmp, tcp/N or udp/N (N in 1..65535)`);
      const text = q.proto === 'icmp' ? 'icmp' : `${q.proto}/${q.port}`;
      if (!ports.includes(text)) ports.push(text);
    }
  }
  const requests: ProbeRequest[] = [];
  for (const s of sources) {
    for (const d of destinations) {
      // `localhost` is the source's own stack: a client or the internet is not modelled with one;
      // nor does the matrix ask a client or the internet to reach itself.
      if ((s.kind === 'client' || s.kind === 'internet') && (d.kind === 'localhost' || d.of === s.name)) continue;
      for (const port of ports) requests.push({ from: s.name, to: d.name, port });
    }
  }
  return { sources, destinations, ports, warnings, requests };
}

/** Runs the cells of a plan one by one (a caller can stop between cells: the worker streams them). */
export function* reachCells(w: ReachWorld, plan: ReachPlan, opts: { traces?: boolean } = {}): Generator<ReachCell> {
  for (const r of plan.requests) {
    const cell = probe(w, r);
    if (!opts.traces) delete cell.traces;
    yield cell;
  }
}

/** The reachability matrix of a script at a line (`packet-path reach --json`). */
export async function reach(text: string, opts: ReachOptions = {}): Promise<ReachResult> {
  const w = await openWorld(text, opts);
  const plan = planReach(w, opts);
  const t0 = performance.now();
  const cells = [...reachCells(w, plan, { traces: opts.traces })];
  const ms = performance.now() - t0;
  return { version: 1, at: w.at, sources: plan.sources, destinations: plan.destinations, ports: plan.ports, cells, stats: { probes: cells.length, ms: Math.round(ms) }, warnings: plan.warnings };
}
