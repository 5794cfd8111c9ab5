/**
 * Traffic commands: `ping`, `curl`, `nslookup`, `Test-NetConnection` from a container, the host or an
 * external client. Each resolves its target the way the source would (DNS packets when it asks a
 * server), walks real frames through the data planes and answers with the tool's own output.
 */
import type { Endpoint, Host } from '../model/types.js';
import type { PacketTrace, Trace } from '../result.js';
import { buildFrame } from '../wire/build.js';
import { HOST_DOMAIN } from './fabric.js';
import { ipNum } from '../addr.js';
import { formatIp as ipText } from '../addr.js';
import { frameView as peek } from './frame-view.js';
import { encodeDns, decodeDns, DNS_PORT } from './dns.js';
import type { SimSession } from './session.js';
import { formatResolveDnsName, invokeWebRequestOutput } from './diagnostics.js';
import { containerAdapters, hostAdapters } from '../model/adapters.js';
import type { Station } from './station.js';
import { WINDOWS_PING_PAYLOAD } from './stations.js';
import { ICMP_TIME_EXCEEDED } from '../wire/icmp.js';
import { Reassembler } from './fragments.js';
import {
  formatPing, formatPingUnresolved, formatCurlOk, curlErrorRefused, curlErrorTimeout, curlErrorUnresolved,
  formatNslookup, formatNslookupTimeout, formatTnc, type EchoResult,
} from './outputs.js';

import type { TrafficRequest, TrafficSource } from '../model/traffic.js';

export interface TrafficOutcome {
  ok: boolean;
  output: string;
  error: string | null;
  traces: Trace[];
}

/** Simulated latency: each hop of a walk costs this many ms (for ping's "time=" and curl's "after N ms"). */
const MS_PER_HOP = 0.05;

interface Ctx {
  sim: SimSession;
  station: Station;
  name: string;
  /** The endpoint of a container source (its primary one), for DNS servers and name resolution. */
  endpoint: Endpoint | null;
  host: Host | null;
  traces: Trace[];
}

/** Windows takes source ports from its dynamic range: 49152-65535 by default (netsh int ipv4 show dynamicport). */
const DYNAMIC_FIRST = 49152;
const DYNAMIC_LAST = 65535;
let nextPort = DYNAMIC_FIRST;
let nextIcmpId = 1;

/** The next source port, wrapping to the start of the dynamic range after its last port. */
function takePort(): number {
  const p = nextPort;
  nextPort = p >= DYNAMIC_LAST ? DYNAMIC_FIRST : p + 1;
  return p;
}

/** The next ICMP identifier (16 bits; 0 is skipped on wrapping). */
function takeIcmpId(): number {
  const id = nextIcmpId;
  nextIcmpId = id >= 0xffff ? 1 : id + 1;
  return id;
}

/** Resets per-run counters (ephemeral ports, ICMP identifiers) so runs are reproducible. */
export function resetTrafficCounters(): void {
  nextPort = DYNAMIC_FIRST;
  nextIcmpId = 1;
}

function sourceCtx(sim: SimSession, from: TrafficSource): Ctx | string {
  const world = sim.world;
  if (from.kind === 'client') {
    const c = world.clients.find((x) => x.name === from.client);
    if (!c) return `client ${from.client} is not declared`;
    return { sim, station: { kind: 'client', name: c.name }, name: c.name, endpoint: null, host: null, traces: [] };
  }
  const h = world.hosts.find((x) => x.name === from.host);
  if (!h) return `host ${from.host} is not declared`;
  if (from.kind === 'host') return { sim, station: { kind: 'host', host: h.name }, name: h.name, endpoint: null, host: h, traces: [] };
  const c = h.containers.find((x) => x.name === from.container || x.id.startsWith(from.container));
  if (!c) return `Error response from daemon: No such container: ${from.container}`;
  const eps = h.endpoints.filter((e) => e.containerId === c.id && e.state !== 'Detached');
  const ep = eps.find((e) => e.role === 'primary') ?? eps[0] ?? null;
  return { sim, station: { kind: 'compartment', host: h.name, domain: c.compartmentId }, name: c.name, endpoint: ep, host: h, traces: [] };
}

function isIp(s: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(s);
}

/** The DNS server a source asks: the container's first DNS server, the host's LAN DNS. */
function dnsServerOf(ctx: Ctx): string | null {
  if (ctx.endpoint) return ctx.endpoint.dnsServers[0] ?? ctx.endpoint.gateway ?? null;
  return ctx.sim.world.underlay.dns ?? ctx.sim.world.underlay.gateway ?? null;
}

function record(ctx: Ctx, to: string, packets: PacketTrace[]): void {
  if (packets.length) ctx.traces.push({ from: ctx.name, to, packets });
}

/**
 * Resolves a name by sending a DNS query to the source's server and walking it; returns the
 * addresses, null for NXDOMAIN, or 'timeout'.
 */
function resolve(ctx: Ctx, name: string, serverOverride?: string): { server: string; answers: string[] | null } | 'timeout' | 'no-server' {
  if (isIp(name)) return { server: '', answers: [name] };
  // Windows' DNS client answers `localhost` itself (the hosts file says so since Windows 7); no query leaves.
  if (isLocalhost(name) && serverOverride === undefined) return { server: '', answers: ['127.0.0.1'] };
  const server = serverOverride ?? dnsServerOf(ctx);
  if (!server) return 'no-server';
  const src = ctx.sim.stations.sourceFor(ctx.station, ipNum(server));
  if (!src) return 'no-server';
  const id = 0x1000 + (takeIcmpId() & 0xfff);
  const sport = takePort();
  const query = buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst: ipNum(server), ttl: 128 }, udp: { sport, dport: DNS_PORT }, payload: encodeDns({ id, response: false, rcode: 0, name, answers: [] }) });
  const walk = ctx.sim.walker.send(ctx.station, query);
  record(ctx, `${server} (DNS)`, walk.packets);
  for (const d of walk.deliveries) {
    if (stationKeyEq(d.station, ctx.station)) {
      const p = peek(d.frame);
      if (p.udp?.sport === DNS_PORT) {
        const m = decodeDns(p.udp.payload);
        if (m && m.id === id) return { server, answers: m.rcode === 0 && m.answers.length ? m.answers : null };
      }
    }
  }
  return 'timeout';
}

function stationKeyEq(a: Station, b: Station): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function hopsCount(packets: PacketTrace[]): number {
  return packets.reduce((n, p) => n + p.hops.length, 0);
}

/** Runs one traffic request of the model (everything but `flood`, see src/sim/flood.ts). */
export function runTraffic(sim: SimSession, req: TrafficRequest): TrafficOutcome {
  const c = sourceCtx(sim, req.source);
  if (typeof c === 'string') return { ok: false, output: '', error: c, traces: [] };
  switch (req.tool) {
    case 'ping':
      return ping(c, req.target, req.count ?? 4, req.size ?? 32, req.dontFragment ?? false, req.ttl);
    case 'tracert':
      return tracert(c, req.target, req.maxHops ?? 30, !req.noResolve);
    case 'curl':
      if (req.iwr) return invokeWebRequest(c, req);
      return curl(c, req.url ?? req.target, req.http?.show ?? 'body');
    case 'nslookup':
      return nslookup(c, req.target, req.server);
    case 'test-netconnection':
      return tnc(c, req.target, req.port, req.quiet ?? false);
    case 'resolve-dnsname':
      return resolveDnsName(c, req.target, req.server);
    case 'flood':
      return { ok: false, output: '', error: 'flood is run by the flood runner', traces: [] };
  }
}

function isLocalhost(name: string): boolean {
  return name.toLowerCase() === 'localhost';
}

/** The name ping prints for `localhost`: the computer's own name (a container's is its hostname). */
function computerName(ctx: Ctx): string {
  if (ctx.station.kind === 'compartment') return ctx.host?.containers.find((c) => c.name === ctx.name)?.hostname ?? ctx.name;
  return ctx.name.toUpperCase();
}

function ping(ctx: Ctx, target: string, count: number, size: number, df: boolean, ttl?: number): TrafficOutcome {
  // ping prefers IPv6 for `localhost`: ::1 answers inside the stack, no frame is sent.
  if (isLocalhost(target) && ctx.station.kind !== 'client') {
    const results: EchoResult[] = Array.from({ length: count }, () => ({ kind: 'reply', from: '::1', timeMs: 0 }));
    return { ok: true, output: formatPing(`${computerName(ctx)}`, '::1', size, results, true), error: null, traces: ctx.traces };
  }
  const r = resolve(ctx, target);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) {
    return { ok: false, output: formatPingUnresolved(target), error: null, traces: ctx.traces };
  }
  const addr = r.answers[0];
  const dst = ipNum(addr);
  const src = ctx.sim.stations.sourceFor(ctx.station, dst);
  if (!src) return { ok: false, output: 'PING: transmit failed. General failure. ', error: null, traces: ctx.traces };
  const id = takeIcmpId();
  const results: EchoResult[] = [];
  const payload = new TextEncoder().encode((WINDOWS_PING_PAYLOAD.repeat(Math.ceil(size / 32) + 1)).slice(0, size));
  // With -f, a datagram above the MTU of the interface it would leave by is never sent.
  const tooBig = df && 20 + 8 + size > ctx.sim.stations.mtu(ctx.station, dst);
  for (let seq = 1; seq <= count; seq++) results.push(tooBig ? { kind: 'needs-fragment' } : echo(ctx, src, dst, id, seq, payload, target, df, ttl));
  const ok = results.some((x) => x.kind === 'reply');
  return { ok, output: formatPing(target, addr, size, results), error: null, traces: ctx.traces };
}

/**
 * One echo request (with the station's own TTL, or ping -i's / tracert's) and what comes back for it:
 * the echo reply, an ICMP Time Exceeded quoting it (a router or forwarding host on the way), or nothing.
 */
function echo(ctx: Ctx, src: { ip: number; mac: number }, dst: number, id: number, seq: number, payload: Uint8Array, to: string, df: boolean, ttl?: number): EchoResult {
  const req = buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst, ttl: ttl ?? (ctx.station.kind === 'client' ? 64 : 128), dontFragment: df }, icmp: { type: 'echo-request', id, seq }, payload });
  const walk = ctx.sim.walker.send(ctx.station, req);
  record(ctx, to, walk.packets);
  const timeMs = hopsCount(walk.packets) * MS_PER_HOP;
  // A fragmented reply counts once all of it arrived (a lost fragment: no reply, ping times out).
  const whole = new Reassembler();
  for (const d of walk.deliveries) {
    if (!stationKeyEq(d.station, ctx.station)) continue;
    const f = whole.add(d.frame);
    if (!f) continue;
    const p = peek(f);
    if (p.icmp?.type === 0 && p.icmp.seq === seq) return { kind: 'reply', from: ipText(p.ip!.src), ttl: p.ip!.ttl, timeMs };
    if (p.icmp?.type === ICMP_TIME_EXCEEDED && quotesEcho(f, p.ip!.l4, id, seq)) return { kind: 'ttl-expired', from: ipText(p.ip!.src), timeMs };
  }
  return { kind: 'timeout' };
}

/** Whether an ICMP error (at l4) quotes our echo request (RFC 792: the IP header and 8 bytes of data). */
function quotesEcho(frame: Uint8Array, l4: number, id: number, seq: number): boolean {
  const inner = l4 + 8;
  if (frame.length < inner + 20) return false;
  const icmp = inner + (frame[inner] & 15) * 4;
  if (frame[inner + 9] !== 1 || frame.length < icmp + 8 || frame[icmp] !== 8) return false;
  return ((frame[icmp + 4] << 8) | frame[icmp + 5]) === id && ((frame[icmp + 6] << 8) | frame[icmp + 7]) === seq;
}

/** tracert's echo data: 32 bytes (ReactOS tracert.cpp PACKET_SIZE, its reimplementation of Windows'). */
const TRACERT_PAYLOAD = new Uint8Array(32);

/**
 * Windows tracert: three echo requests with TTL 1, 2, 3, … (up to -h, default 30) until the target
 * answers; each hop's line has the three round-trip times (`<1 ms`, `N ms`, `*`) and the address that
 * answered the third (or `Request timed out.`). The layout is tracert.exe's (docs/behaviour.md).
 * Hop addresses print as addresses: the simulated DNS has no reverse (PTR) records, so -d changes only
 * `localhost`'s line.
 */
function tracert(ctx: Ctx, target: string, maxHops: number, resolveNames: boolean): TrafficOutcome {
  if (isLocalhost(target) && ctx.station.kind !== 'client') {
    // As ping: the resolver prefers ::1 for localhost, answered inside the stack; tracert prints the
    // canonical name (the computer's, as ping does) and, without -d, the name ::1 resolves back to.
    const name = computerName(ctx);
    const hop = resolveNames ? `${name} [::1]` : '::1';
    return { ok: true, output: ['', `Tracing route to ${name} [::1]`, `over a maximum of ${maxHops} hops:`, '', `  1    <1 ms    <1 ms    <1 ms  ${hop}`, '', 'Trace complete.'].join('\n'), error: null, traces: ctx.traces };
  }
  const r = resolve(ctx, target);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) {
    return { ok: false, output: `Unable to resolve target system name ${target}.`, error: null, traces: ctx.traces };
  }
  const addr = r.answers[0];
  const dst = ipNum(addr);
  const src = ctx.sim.stations.sourceFor(ctx.station, dst);
  if (!src) return { ok: false, output: '', error: `tracert: ${ctx.name} has no route toward ${addr} (Packet Path does not reproduce tracert's text for this case)`, traces: ctx.traces };
  const head = isIp(target) ? `Tracing route to ${addr} over a maximum of ${maxHops} hops` : `Tracing route to ${target} [${addr}]\nover a maximum of ${maxHops} hops:`;
  const lines = ['', head, ''];
  const id = takeIcmpId();
  let seq = 0;
  let found = false;
  for (let hop = 1; hop <= maxHops && !found; hop++) {
    const probes = [1, 2, 3].map(() => echo(ctx, src, dst, id, ++seq, TRACERT_PAYLOAD, target, false, hop));
    const cells = probes.map((p) => (p.kind === 'timeout' ? '   *     ' : (p.timeMs ?? 0) < 1 ? '  <1 ms  ' : `${String(Math.round(p.timeMs!)).padStart(4)} ms  `));
    const last = probes[2];
    found = last.kind === 'reply';
    lines.push(`${String(hop).padStart(3)}  ${cells.join('')}${last.kind === 'timeout' ? 'Request timed out.' : last.from}`);
  }
  lines.push('', 'Trace complete.');
  return { ok: found, output: lines.join('\n'), error: null, traces: ctx.traces };
}

function parseUrl(url: string): { host: string; port: number; scheme: string } | null {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?/i.exec(url);
  if (!m) return null;
  const scheme = (m[1] ?? 'http').toLowerCase();
  return { scheme, host: m[2], port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80 };
}

/** One TCP handshake: SYN → SYN-ACK (then ACK) or RST, or nothing. */
function connect(ctx: Ctx, dst: number, port: number, to: string): 'open' | 'refused' | 'timeout' {
  const src = ctx.sim.stations.sourceFor(ctx.station, dst);
  if (!src) return 'timeout';
  const sport = takePort();
  const syn = buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst, ttl: 128, dontFragment: true }, tcp: { sport, dport: port, seq: 0x2000_0000, flags: 'S', window: 64240 } });
  const walk = ctx.sim.walker.send(ctx.station, syn);
  record(ctx, to, walk.packets);
  // The answer comes from the port we called, to the port we called from (not our own SYN looping back).
  const back = walk.deliveries.find((d) => {
    const t = peek(d.frame).tcp;
    return stationKeyEq(d.station, ctx.station) && !!t && t.sport === port && t.dport === sport && (t.flags & 0x14) !== 0;
  });
  if (!back) return 'timeout';
  const t = peek(back.frame).tcp!;
  if (t.flags & 0x04) return 'refused';
  // Complete the handshake so the connection (and the NAT session) is established.
  const ip = peek(back.frame).ip!;
  const ack = buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst: ip.src === dst ? dst : dst, ttl: 128, dontFragment: true }, tcp: { sport, dport: port, seq: 0x2000_0001, ack: (t.seq + 1) >>> 0, flags: 'A', window: 64240 } });
  const w2 = ctx.sim.walker.send(ctx.station, ack, { answers: 0 });
  record(ctx, to, w2.packets);
  return 'open';
}

function curl(ctx: Ctx, url: string, show: 'body' | 'head' | 'include'): TrafficOutcome {
  const u = parseUrl(url);
  if (!u) return { ok: false, output: '', error: `curl: (3) URL rejected: Malformed input to a URL function`, traces: [] };
  const r = resolve(ctx, u.host);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) return { ok: false, output: '', error: curlErrorUnresolved(u.host), traces: ctx.traces };
  const dst = ipNum(r.answers[0]);
  const res = connect(ctx, dst, u.port, u.host);
  const ms = hopsCount(ctx.traces.flatMap((t) => t.packets)) * MS_PER_HOP;
  if (res === 'open') return { ok: true, output: formatCurlOk(serverBanner(ctx, dst), show), error: null, traces: ctx.traces };
  if (res === 'refused') return { ok: false, output: '', error: curlErrorRefused(u.host, u.port, ms), traces: ctx.traces };
  return { ok: false, output: '', error: curlErrorTimeout(u.host, u.port), traces: ctx.traces };
}

/**
 * Invoke-WebRequest: the connection curl makes, .NET's WebException texts when it fails, the
 * response object through the pipeline when it answers (src/sim/diagnostics.ts).
 */
function invokeWebRequest(ctx: Ctx, req: TrafficRequest): TrafficOutcome {
  const url = req.url ?? req.target;
  const u = parseUrl(url);
  const fail = (error: string): TrafficOutcome => ({ ok: false, output: '', error, traces: ctx.traces });
  if (!u) return fail('Invoke-WebRequest : Invalid URI: The hostname could not be parsed.');
  const r = resolve(ctx, u.host);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) return fail(`Invoke-WebRequest : The remote name could not be resolved: '${u.host}'`);
  const dst = ipNum(r.answers[0]);
  const res = connect(ctx, dst, u.port, u.host);
  if (res === 'refused') return fail('Invoke-WebRequest : Unable to connect to the remote server');
  if (res !== 'open') return fail('Invoke-WebRequest : The operation has timed out.');
  try {
    return { ok: true, output: invokeWebRequestOutput(serverBanner(ctx, dst), req.iwr!), error: null, traces: ctx.traces };
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** The Server header the answering image would send. */
function serverBanner(ctx: Ctx, dst: number): string {
  for (const h of ctx.sim.world.hosts) {
    for (const ep of h.endpoints) {
      if (ipNum(ep.ip) !== dst) continue;
      const c = h.containers.find((x) => x.id === ep.containerId);
      const image = (c?.image ?? '').toLowerCase();
      if (image.includes('nginx')) return 'nginx';
      if (image.includes('httpd') || image.includes('apache')) return 'Apache';
      return 'Microsoft-IIS/10.0';
    }
  }
  return 'Microsoft-IIS/10.0';
}

function nslookup(ctx: Ctx, name: string, server?: string): TrafficOutcome {
  const r = resolve(ctx, name, server);
  const srv = server ?? dnsServerOf(ctx) ?? '';
  if (r === 'no-server') return { ok: false, output: `*** Default servers are not available`, error: null, traces: ctx.traces };
  if (r === 'timeout') return { ok: false, output: formatNslookupTimeout(srv), error: null, traces: ctx.traces };
  // An address is printed back as given: the reverse (PTR) query is not simulated.
  if (isIp(name)) return { ok: true, output: formatNslookup(srv, name, [name], 'UnKnown', true), error: null, traces: ctx.traces };
  return { ok: r.answers !== null, output: formatNslookup(r.server, name, r.answers), error: null, traces: ctx.traces };
}

/**
 * The interface Test-NetConnection names: the adapter holding the source address, as ipconfig and
 * Get-NetIPAddress name it (`vEthernet (Ethernet)` in a container from 1809, `vEthernet (nat)`...).
 */
function sourceAlias(ctx: Ctx, srcIp: number | undefined): string {
  const host = ctx.host;
  if (!host || srcIp === undefined) return 'Ethernet';
  const c = ctx.station.kind === 'compartment' ? host.containers.find((x) => x.id === ctx.endpoint?.containerId) : undefined;
  const adapters = c ? containerAdapters(ctx.sim.world, host, c) : ctx.station.kind === 'host' ? hostAdapters(host) : [];
  return adapters.find((a) => a.ip === ipText(srcIp))?.title ?? adapters[0]?.title ?? 'Ethernet';
}

/** Resolve-DnsName NAME [-Server S]: the same query as nslookup, in the cmdlet's table (src/sim/diagnostics.ts). */
function resolveDnsName(ctx: Ctx, name: string, server?: string): TrafficOutcome {
  const r = resolve(ctx, name, server);
  if (r === 'timeout' || r === 'no-server') return { ok: false, output: '', error: `Resolve-DnsName : ${name} : This operation returned because the timeout period expired`, traces: ctx.traces };
  if (r.answers === null) return { ok: false, output: '', error: `Resolve-DnsName : ${name} : DNS name does not exist`, traces: ctx.traces };
  return { ok: true, output: formatResolveDnsName(name, r.answers), error: null, traces: ctx.traces };
}

/**
 * Test-NetConnection. With -InformationLevel Quiet the function returns the test's Boolean as soon as
 * it has it (no ping after a failed TCP test), after the same warnings (a public copy of the NetTCPIP
 * function: `return $Return.TcpTestSucceeded` / `return $Return.PingSucceeded`, `return $False` when
 * the name does not resolve).
 */
function tnc(ctx: Ctx, target: string, port: number | undefined, quiet: boolean): TrafficOutcome {
  const r = resolve(ctx, target);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) {
    return { ok: false, output: `WARNING: Name resolution of ${target} failed\n${quiet ? 'False' : ''}`, error: null, traces: ctx.traces };
  }
  const dst = ipNum(r.answers[0]);
  const src = ctx.sim.stations.sourceFor(ctx.station, dst);
  const alias = sourceAlias(ctx, src?.ip);
  if (quiet) {
    const ok = port !== undefined ? connect(ctx, dst, port, target) === 'open' : pingOnce(ctx, r.answers[0]);
    const warn = ok ? '' : port !== undefined ? `WARNING: TCP connect to (${r.answers[0]} : ${port}) failed\n` : `WARNING: Ping to ${r.answers[0]} failed with status: TimedOut\n`;
    return { ok, output: `${warn}${ok ? 'True' : 'False'}`, error: null, traces: ctx.traces };
  }
  if (port !== undefined) {
    const res = connect(ctx, dst, port, target);
    // A failed TCP test is followed by a ping (formatTnc: PowerShell/PowerShell #25818 and pasted outputs).
    const ping = res === 'open' ? undefined : { succeeded: pingOnce(ctx, r.answers[0]), rttMs: 0 };
    return { ok: res === 'open', output: formatTnc({ computerName: target, remoteAddress: r.answers[0], remotePort: port, interfaceAlias: alias, sourceAddress: src ? ipText(src.ip) : '', succeeded: res === 'open', ...(ping ? { ping } : {}) }), error: null, traces: ctx.traces };
  }
  const p = { ok: pingOnce(ctx, r.answers[0]) };
  return { ok: p.ok, output: formatTnc({ computerName: target, remoteAddress: r.answers[0], interfaceAlias: alias, sourceAddress: src ? ipText(src.ip) : '', succeeded: p.ok, rttMs: 0 }), error: null, traces: ctx.traces };
}

/** Test-NetConnection's ping: one echo request (.NET's Ping.Send), true when the reply came. */
function pingOnce(ctx: Ctx, address: string): boolean {
  return ping(ctx, address, 1, 32, false).ok;
}

export { HOST_DOMAIN };

/**
 * What one probe of the reachability matrix (src/analysis/reach.ts) got back: `echo` (ICMP echo reply),
 * `open` (SYN-ACK), `refused` (RST), `dns` (a DNS answer, NXDOMAIN included), `delivered` (a UDP
 * datagram reached the owner of the address; UDP has no answer to wait for), `none` (nothing came
 * back), `unresolved` (the name did not resolve), `no-source` (the source has no address toward it).
 */
export type ProbeAnswer = 'echo' | 'open' | 'refused' | 'dns' | 'delivered' | 'none' | 'unresolved' | 'no-source';

export interface ProbeOutcome {
  /** The address the target resolved to (null when it did not). */
  address: string | null;
  answer: ProbeAnswer;
  traces: Trace[];
}

/** A probe's source: a traffic command's source, or the internet (a station beyond the router). */
export type ProbeSource = TrafficSource | { kind: 'internet'; ip: string };

/**
 * One probe the way the tools send it: the target resolved as the source would (DNS packets), then one
 * ICMP echo (ping's), one TCP handshake (curl's and Test-NetConnection's), or one UDP datagram (a DNS
 * query on port 53, as nslookup sends it). Probes change the planes' state like any traffic: the caller
 * saves and restores it (SimSession.saveDynamic).
 */
export function probeTraffic(sim: SimSession, from: ProbeSource, target: string, proto: 'icmp' | 'tcp' | 'udp', port = 0): ProbeOutcome {
  const c = from.kind === 'internet'
    ? { sim, station: { kind: 'internet', ip: ipNum(from.ip) } as Station, name: 'internet', endpoint: null, host: null, traces: [] }
    : sourceCtx(sim, from);
  if (typeof c === 'string') return { address: null, answer: 'no-source', traces: [] };
  if (proto === 'icmp' && isLocalhost(target) && c.station.kind !== 'client' && c.station.kind !== 'internet') {
    // As ping does: `localhost` is ::1, answered inside the stack.
    return { address: '::1', answer: 'echo', traces: [] };
  }
  const r = resolve(c, target);
  if (r === 'timeout' || r === 'no-server' || r.answers === null) return { address: null, answer: 'unresolved', traces: c.traces };
  const address = r.answers[0];
  const dst = ipNum(address);
  const src = sim.stations.sourceFor(c.station, dst);
  if (!src) return { address, answer: 'no-source', traces: c.traces };
  if (proto === 'icmp') {
    const payload = new TextEncoder().encode(WINDOWS_PING_PAYLOAD);
    const e = echo(c, src, dst, takeIcmpId(), 1, payload, target, false);
    return { address, answer: e.kind === 'reply' ? 'echo' : 'none', traces: c.traces };
  }
  if (proto === 'tcp') {
    const res = connect(c, dst, port, target);
    return { address, answer: res === 'open' ? 'open' : res === 'refused' ? 'refused' : 'none', traces: c.traces };
  }
  if (port === DNS_PORT) {
    const d = resolve(c, isIp(target) ? 'localhost' : target, address);
    return { address, answer: d === 'timeout' || d === 'no-server' ? 'none' : 'dns', traces: c.traces };
  }
  const sport = takePort();
  const dgram = buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst, ttl: 128 }, udp: { sport, dport: port }, payload: new Uint8Array(8) });
  const walk = sim.walker.send(c.station, dgram);
  record(c, target, walk.packets);
  const got = walk.deliveries.some((d) => !stationKeyEq(d.station, c.station) && sim.stations.addressedTo(d.station, d.frame) && peek(d.frame).udp?.dport === port);
  return { address, answer: got ? 'delivered' : 'none', traces: c.traces };
}

/** The ephemeral port and ICMP identifier the next traffic takes (saved and restored around a probe). */
export function trafficCounters(): { port: number; icmpId: number } {
  return { port: nextPort, icmpId: nextIcmpId };
}

export function setTrafficCounters(c: { port: number; icmpId: number }): void {
  nextPort = c.port;
  nextIcmpId = c.icmpId;
}
