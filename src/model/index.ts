/**
 * The control plane of Packet Path: simulated Windows container hosts (HNS, WinNAT, Hyper-V
 * vSwitches, Docker engines, swarm). `execute()` runs one parsed command on the current host and
 * answers as the real tool would; traffic commands are validated here and handed to src/sim/ as a
 * TrafficRequest. The world changes only when a command succeeds.
 */
import type { ClientTrafficCommand, Command, SimCommand } from '../script/ast.js';
import { flagValue } from './args.js';
import { docker } from './docker.js';
import { ensureEngine } from './docker-engine.js';
import { CommandError, fail } from './errors.js';
import type { FileSource } from './files.js';
import { checkHostPorts } from './capacity.js';
import { clientCommand, createWorldState, currentHost, findClient, findHost, hostCommand, lanCommand } from './hosts.js';
import { powershell } from './powershell.js';
import { hostTool } from './tools.js';
import { toolArgumentError } from './answers.js';
import { curlRequest, notAnAddress, nslookupRequest, pingRequest, tracertRequest, resolveSourceName, type TrafficRequest, type TrafficSource } from './traffic.js';
import type { World } from './types.js';
import type { ViewRequest } from './diagnostics.js';
import { createInternalSwitch } from './vswitch.js';
import { regionList, transaction } from './transaction.js';
import './services.js';

export type { World } from './types.js';
export { worldChanges, changeCursor, type WorldChanges, type ChangeCursor } from './changes.js';
export type { TrafficRequest, TrafficSource, TrafficTool } from './traffic.js';
export type { ViewRequest } from './diagnostics.js';
export type { Resolution } from './dns.js';
export type { FileAnswer, FileSource } from './files.js';
export { resolveName } from './dns.js';
export * from './queries.js';
export type { OsName, OsProfile } from './os.js';
export { osProfile } from './os.js';

export interface Outcome {
  ok: boolean;
  output: string;
  error: string | null;
  warnings: string[];
  traffic?: TrafficRequest;
  /** A diagnostic the data planes answer (route print, arp -a, vfpctrl): src/sim/diagnostics.ts. */
  view?: ViewRequest;
}

export function createWorld(opts: { seed?: number } = {}): World {
  const world = createWorldState(opts.seed ?? 1);
  // Each host is a region of its own: a change tells which hosts it touched (changes.ts).
  regionList(world.hosts);
  return world;
}

/** Name of the host commands currently run on (the default `host1` once a command created it). */
export function currentHostName(world: World): string {
  return world.current;
}

function simCommand(world: World, cmd: SimCommand): { output: string; warnings: string[]; traffic?: TrafficRequest } {
  switch (cmd.verb) {
    case 'host': {
      const before = world.hosts.length;
      const out = hostCommand(world, cmd);
      const h = world.hosts[world.hosts.length - 1]!;
      if (world.hosts.length > before && h.dockerForWindows) {
        // Docker for Windows (Moby Linux VM) brings its own internal switch (seed, tip 2).
        createInternalSwitch(world, h, 'DockerNAT', '10.0.75.1/24', '00-15-5D-0A-4B-00', cmd.line, 'docker-for-windows');
      }
      return { output: out, warnings: [] };
    }
    case 'lan':
      return { output: lanCommand(world, cmd), warnings: [] };
    case 'client':
      return { output: clientCommand(world, cmd), warnings: [] };
    case 'flood':
      return { output: '', warnings: [], traffic: floodRequest(world, cmd) };
    case 'listen':
      return { output: listenCommand(world, cmd), warnings: [] };
  }
}

/** `listen NAME tcp/PORT`: a host process holds a port on the current host (one owner per port, as a socket bind). */
function listenCommand(world: World, cmd: SimCommand): string {
  const host = currentHost(world, cmd.line);
  const [name, spec] = cmd.args.map((a) => a.value);
  const m = /^(tcp|udp)\/(\d+)$/i.exec(spec ?? '');
  if (!name || !m) fail('listen: usage: listen NAME tcp/PORT|udp/PORT');
  const protocol = m[1]!.toLowerCase() as 'tcp' | 'udp';
  const port = Number(m[2]);
  const held = host.listeners.find((l) => l.protocol === protocol && l.port === port);
  if (held) fail(`listen: ${protocol}/${port} on ${host.name} is already held by ${held.name} (line ${held.line})`);
  host.listeners.push({ name, protocol, port, line: cmd.line });
  return '';
}

/** Flows a flood may have: the source ports above 1023 of one address (src/sim/flood-shards.ts). */
const MAX_FLOOD_FLOWS = 64_512;
/** Workers a flood may ask for (`--workers`); the default is the machine's cores, capped. */
const MAX_FLOOD_WORKERS = 64;

/** A flood frame is at most a full Ethernet frame at the 1500-byte MTU (no jumbo frames on the vSwitch by default). */
const MAX_FLOOD_FRAME = 1514;

/** `flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F] [--workers W]`. */
function floodRequest(world: World, cmd: SimCommand): TrafficRequest {
  const host = currentHost(world, cmd.line);
  const [from, to, proto] = cmd.args.map((a) => a.value);
  if (!from || !to || !proto) fail('flood: usage: flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F] [--workers W]');
  const source = resolveSourceName(world, host, from);
  if (!source) fail(`flood: no running container, client or host named ${from}`);
  const m = /^(tcp|udp|icmp)(?:\/(\d+))?$/i.exec(proto);
  if (!m) fail(`flood: protocol must be tcp/PORT, udp/PORT or icmp (got ${proto})`);
  const protocol = m[1]!.toLowerCase() as 'tcp' | 'udp' | 'icmp';
  if (protocol !== 'icmp' && !m[2]) fail(`flood: ${protocol} needs a port, e.g. ${protocol}/80`);
  if (m[2] && !(Number(m[2]) >= 1 && Number(m[2]) <= 65535)) fail(`flood: the port must be from 1 to 65535 (got ${m[2]})`);
  if (notAnAddress(to)) fail(`flood: ${to} is neither an IPv4 address nor a container, client or host`);
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = flagValue(cmd.flags, name);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) fail(`flood: --${name} must be an integer from ${min} to ${max}`);
    return Number(v);
  };
  return {
    tool: 'flood',
    source,
    target: to,
    protocol,
    port: m[2] ? Number(m[2]) : undefined,
    flood: {
      packets: int('packets', 100000, 1, 100_000_000),
      size: int('size', 64, 60, MAX_FLOOD_FRAME),
      // A flow is a source port above 1023 (or an ICMP identifier) of one source address.
      flows: int('flows', 1, 1, MAX_FLOOD_FLOWS),
      workers: flagValue(cmd.flags, 'workers') === undefined ? undefined : int('workers', 1, 1, MAX_FLOOD_WORKERS),
      destination: resolveSourceName(world, host, to),
    },
    size: int('size', 64, 60, MAX_FLOOD_FRAME),
    line: cmd.line,
  };
}

function clientTraffic(world: World, cmd: ClientTrafficCommand): TrafficRequest {
  const c = findClient(world, cmd.client.value);
  if (!c) fail(`client ${cmd.client.value} is not declared (declare it with: client ${cmd.client.value} --ip IP [--internet])`);
  const src: TrafficSource = { kind: 'client', client: c.name, ip: c.ip, where: c.where };
  const stray = toolArgumentError(cmd.inner);
  if (stray) fail(stray.message);
  switch (cmd.inner.tool) {
    case 'ping':
      return pingRequest(src, cmd.inner);
    case 'tracert':
      return tracertRequest(src, cmd.inner);
    case 'curl':
      return curlRequest(src, cmd.inner);
    case 'nslookup':
      return nslookupRequest(src, cmd.inner);
    default:
      return fail(`client ${c.name}: only ping, tracert, curl and nslookup are simulated on an external client`);
  }
}

function dispatch(world: World, cmd: Command, files: FileSource): { output: string; warnings: string[]; traffic?: TrafficRequest; view?: ViewRequest } {
  switch (cmd.kind) {
    case 'sim':
      return simCommand(world, cmd);
    case 'client-traffic':
      return { output: '', warnings: [], traffic: clientTraffic(world, cmd) };
    case 'docker': {
      const host = currentHost(world, cmd.line);
      return docker(world, host, cmd, files);
    }
    case 'powershell':
      return powershell(world, currentHost(world, cmd.line), cmd);
    case 'tool':
      return hostTool(world, currentHost(world, cmd.line), cmd);
  }
}

/**
 * Runs one command on the world's current host. On success the world is updated in place (and the
 * simulated clock advances one second); on failure it is left exactly as it was (an undo log, see
 * transaction.ts).
 */
export function execute(world: World, cmd: Command, files: FileSource = {}): Outcome {
  try {
    // The machine and its Docker daemon exist whether or not the command succeeds (recorded, so
    // that consumers of the world's changes see them, and kept even when they fail part way).
    const starts = !world.current || (cmd.kind === 'docker' && !findHost(world, world.current)?.engine);
    if (cmd.kind !== 'sim' && cmd.kind !== 'client-traffic' && starts) {
      transaction(world, (draft) => {
        const host = currentHost(draft, cmd.line);
        if (cmd.kind === 'docker') ensureEngine(draft, host, cmd.line);
      }, { keepOnError: true });
    }
  } catch (e) {
    if (e instanceof CommandError) return { ok: false, output: e.output, error: e.message, warnings: e.warnings };
    throw e;
  }
  try {
    const r = transaction(world, (draft) => {
      const done = dispatch(draft, cmd, files);
      // A new vSwitch or NIC can reach the plane's port numbering too (an endpoint checks at its creation).
      const here = draft.current ? findHost(draft, draft.current) : undefined;
      if (here) checkHostPorts(here);
      draft.clock += 1;
      return done;
    }, { keepOnError: (e) => e instanceof CommandError && e.keepsChanges });
    const out: Outcome = { ok: true, output: r.output, error: null, warnings: r.warnings };
    if (r.traffic) out.traffic = r.traffic;
    if (r.view) out.view = r.view;
    return out;
  } catch (e) {
    if (e instanceof CommandError) return { ok: false, output: e.output, error: e.message, warnings: e.warnings };
    return { ok: false, output: '', error: `Packet Path internal error: ${(e as Error).message}`, warnings: [] };
  }
}

export { CommandError };
