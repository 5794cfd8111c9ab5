/**
 * Traffic commands are not answered by the model: it validates them (the container exists and
 * runs, the client exists, the URL parses) and hands src/sim/ a TrafficRequest, which the sim
 * executes against the data plane to produce the tool's output.
 */
import type { Flag, ToolCommand, Word } from '../script/ast.js';
import { boolFlag, flagValue } from './args.js';
import { fail } from './errors.js';
import { parseIp } from '../addr.js';
import type { Container, Host, World } from './types.js';

export type TrafficSource =
  | {
      kind: 'container';
      host: string;
      container: string;
      containerId: string;
      compartmentId: number;
      /** Endpoints of the container (primary first), IDs as in `endpoints()`. */
      endpointIds: string[];
    }
  | { kind: 'host'; host: string }
  | { kind: 'client'; client: string; ip: string; where: 'lan' | 'internet' };

export type TrafficTool = 'ping' | 'tracert' | 'curl' | 'nslookup' | 'test-netconnection' | 'resolve-dnsname' | 'flood';

export interface TrafficRequest {
  tool: TrafficTool;
  source: TrafficSource;
  /** The target as written (a name or an address; for curl the URL's host). */
  target: string;
  /** curl: the URL as written. */
  url?: string;
  protocol: 'icmp' | 'tcp' | 'udp';
  /** Destination port (curl from the URL, Test-NetConnection -Port, nslookup 53, flood PROTO/PORT). */
  port?: number;
  /** ping -n (default 4; Test-NetConnection sends 1 echo). */
  count?: number;
  /** ping -l payload bytes (default 32); flood frame size. */
  size?: number;
  /** ping -i: the echo requests' TTL (default: the station's own, 128 on Windows). */
  ttl?: number;
  /** tracert -h: the most hops searched (default 30). */
  maxHops?: number;
  /** Test-NetConnection -InformationLevel Quiet: only the test's Boolean. */
  quiet?: boolean;
  /** tracert -d: hop addresses are not resolved to names. */
  noResolve?: boolean;
  /** ping -f: Don't Fragment set on the echo requests. */
  dontFragment?: boolean;
  /** ping -w timeout in milliseconds (default 4000). */
  timeoutMs?: number;
  /** nslookup NAME SERVER: the server as written. */
  server?: string;
  /** HTTP method and path for curl. */
  /** `show`: what curl prints of a response: the body (default), the headers (`-I`), or both (`-i`). */
  http?: { method: string; path: string; scheme: 'http' | 'https'; show: 'body' | 'head' | 'include' };
  /** workers: `--workers W` as written (undefined: the default for the machine and the flood's size). */
  flood?: { packets: number; size: number; flows: number; workers?: number; destination: TrafficSource | null };
  /** Invoke-WebRequest instead of curl.exe: its response object goes through the pipeline stages after it. */
  iwr?: { basicParsing: boolean; inContainer: boolean; stages: import('../script/ast.js').Cmdlet[] };
  /** Script line of the command. */
  line: number;
}

export function containerSource(host: Host, c: Container): TrafficSource {
  return {
    kind: 'container',
    host: host.name,
    container: c.name,
    containerId: c.id,
    compartmentId: c.compartmentId,
    endpointIds: host.endpoints
      .filter((e) => e.containerId === c.id)
      .sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1))
      .map((e) => e.id),
  };
}

function num(v: string | undefined, what: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) fail(`Bad value for option ${what}, valid range is from ${min} to ${max}.`);
  return Number(v);
}

/** Arguments of a tool: positional words, ignoring switches and their values. */
function positional(args: Word[], words: Word[], flags: Flag[]): string[] {
  if (args.length) return args.map((a) => a.value);
  const takesValue = new Set(flags.filter((f) => f.value !== true).map((f) => f.value as string));
  return words.map((w) => w.value).filter((w) => !/^[-/]/.test(w) && !takesValue.has(w));
}

/** Echo requests (or IPv4 fragments of them) one `ping` simulates: each is walked and traced hop by hop (docs/behaviour.md, Limits). */
export const MAX_PING_COUNT = 10_000;

/**
 * Dotted numbers that are not an IPv4 address (`999.1.1.1`, `10.0.0.105000`): the tools pass such
 * a target to the resolver as a name, which finds nothing.
 */
export function notAnAddress(target: string): boolean {
  return /^\d+(\.\d+)+$/.test(target) && parseIp(target) === null;
}

/** `ping [-n K] [-l B] [-f] [-w MS] [-t] TARGET` (Windows ping). */
export function pingRequest(source: TrafficSource, cmd: ToolCommand): TrafficRequest {
  const pos = positional(cmd.args, cmd.words, cmd.flags);
  const target = pos[pos.length - 1];
  if (!target) fail('IP address must be specified.');
  const continuous = cmd.flags.some((f) => f.name === 't');
  const count = continuous ? 4 : num(flagValue(cmd.flags, 'n'), '-n', 1, 4294967295) ?? 4;
  const size = num(flagValue(cmd.flags, 'l'), '-l', 0, 65500) ?? 32;
  const timeoutMs = num(flagValue(cmd.flags, 'w'), '-w', 1, 4294967295) ?? 4000;
  const ttl = num(flagValue(cmd.flags, 'i'), '-i', 1, 255);
  if (notAnAddress(target)) fail(`Ping request could not find host ${target}. Please check the name and try again.`);
  if (count > MAX_PING_COUNT) fail(`packet-path: ping -n ${count}: Packet Path simulates up to ${MAX_PING_COUNT} echo requests per ping (each is traced hop by hop); use flood for volume`);
  // ping -l takes 0..65500 ("Bad value for option -l, valid range is from 0 to 65500.": MicrosoftDocs/
  // windowsserverdocs #4608, #5434); a payload above the MTU is sent in IPv4 fragments (src/sim/fragments.ts).
  const dontFragment = cmd.flags.some((f) => f.name === 'f');
  // Each fragment is walked and traced like an echo: the bound counts packets (fragments at MTU 1500).
  const perEcho = dontFragment ? 1 : Math.max(1, Math.ceil((size + 8) / 1480));
  if (perEcho > 1 && count * perEcho > MAX_PING_COUNT) {
    fail(`packet-path: ping -n ${count} -l ${size}: Packet Path simulates up to ${MAX_PING_COUNT} packets per ping (each traced hop by hop); -l ${size} is ${perEcho} IPv4 fragments per echo request, so -n up to ${Math.floor(MAX_PING_COUNT / perEcho)}; use flood for volume`);
  }
  return { tool: 'ping', source, target, protocol: 'icmp', count, size, timeoutMs, line: cmd.line, ...(dontFragment ? { dontFragment } : {}), ...(ttl !== undefined ? { ttl } : {}) };
}

/** tracert's usage, which it prints for no target or an unknown option (the text of a pasted `tracert` run). */
export const TRACERT_USAGE = [
  '',
  'Usage: tracert [-d] [-h maximum_hops] [-j host-list] [-w timeout]',
  '               [-R] [-S srcaddr] [-4] [-6] target_name',
  '',
  'Options:',
  '    -d                 Do not resolve addresses to hostnames.',
  '    -h maximum_hops    Maximum number of hops to search for target.',
  '    -j host-list       Loose source route along host-list (IPv4-only).',
  '    -w timeout         Wait timeout milliseconds for each reply.',
  '    -R                 Trace round-trip path (IPv6-only).',
  '    -S srcaddr         Source address to use (IPv6-only).',
  '    -4                 Force using IPv4.',
  '    -6                 Force using IPv6.',
].join('\n');

/** Most hops `tracert -h` may search: the TTL field is 8 bits. */
export const MAX_TRACERT_HOPS = 255;

/** `tracert [-d] [-h N] [-w MS] TARGET` (Windows tracert). */
export function tracertRequest(source: TrafficSource, cmd: ToolCommand): TrafficRequest {
  const pos = positional(cmd.args, cmd.words, cmd.flags);
  const target = pos[pos.length - 1];
  const known = new Set(['d', 'h', 'w', '4', '6']);
  const unknown = cmd.flags.find((f) => !known.has(f.name));
  if (unknown) {
    if (['j', 'R', 'S'].includes(unknown.name)) fail(`packet-path: tracert -${unknown.name} is not simulated (loose source routing and IPv6 are not modelled)`);
    fail(`${unknown.written} is not a valid command option.\n${TRACERT_USAGE}`);
  }
  if (!target) fail(TRACERT_USAGE);
  if (cmd.flags.some((f) => f.name === '6')) fail('packet-path: tracert -6: Packet Path simulates IPv4 only');
  const h = flagValue(cmd.flags, 'h');
  if (h !== undefined && (!/^\d+$/.test(h) || Number(h) < 1 || Number(h) > MAX_TRACERT_HOPS)) fail(`packet-path: tracert -h ${h}: the hop count is a TTL, from 1 to ${MAX_TRACERT_HOPS}`);
  const w = flagValue(cmd.flags, 'w');
  if (w !== undefined && !/^\d+$/.test(w)) fail(`packet-path: tracert -w ${w}: the timeout is a number of milliseconds`);
  if (notAnAddress(target)) fail(`Unable to resolve target system name ${target}.`);
  return { tool: 'tracert', source, target, protocol: 'icmp', maxHops: h === undefined ? 30 : Number(h), ...(cmd.flags.some((f) => f.name === 'd') ? { noResolve: true } : {}), ...(w !== undefined ? { timeoutMs: Number(w) } : {}), line: cmd.line };
}

/** `curl [-s] [-I|-i] [-X M] URL` (curl.exe on Windows). */
export function curlRequest(source: TrafficSource, cmd: ToolCommand): TrafficRequest {
  const pos = positional(cmd.args, cmd.words, cmd.flags);
  const url = pos[pos.length - 1];
  if (!url) fail('curl: no URL specified!\ncurl: try \'curl --help\' for more information');
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)?/i.exec(url);
  if (!m || !m[2]) fail(`curl: (3) URL using bad/illegal format or missing URL`);
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) fail(`curl: (3) URL using bad/illegal format or missing URL`);
  if (notAnAddress(m[2])) fail(`curl: (6) Could not resolve host: ${m[2]}`);
  return {
    tool: 'curl',
    source,
    target: m[2],
    url,
    protocol: 'tcp',
    port,
    http: {
      method: flagValue(cmd.flags, 'X', 'request') ?? (boolFlag(cmd.flags, 'head', 'I') ? 'HEAD' : 'GET'), path: m[4] || '/', scheme,
      show: boolFlag(cmd.flags, 'head', 'I') ? 'head' : boolFlag(cmd.flags, 'include', 'i') ? 'include' : 'body',
    },
    line: cmd.line,
  };
}

/** `nslookup NAME [SERVER]`. */
export function nslookupRequest(source: TrafficSource, cmd: ToolCommand): TrafficRequest {
  const pos = positional(cmd.args, cmd.words, cmd.flags);
  const name = pos[0];
  if (!name) fail('nslookup: interactive mode is not simulated; give a name: nslookup NAME [SERVER]');
  // A server given by name is not looked up first (Windows' nslookup prints this line for a name it cannot resolve).
  if (pos[1] !== undefined && parseIp(pos[1]) === null) fail(`*** Can't find server address for '${pos[1]}':`);
  return { tool: 'nslookup', source, target: name, protocol: 'udp', port: 53, server: pos[1], line: cmd.line };
}

/** `Test-NetConnection [-ComputerName] X [-Port N]` (from its flags/args as a cmdlet or as words). */
export function tncRequest(source: TrafficSource, params: Record<string, string>, positionals: string[], line: number): TrafficRequest {
  const target = params.computername ?? params.remoteaddress ?? positionals[0];
  if (!target) fail('Test-NetConnection : Cannot validate argument on parameter \'ComputerName\'. The argument is null or empty.');
  // -TraceRoute lists each hop in the result object; no real output of that row was found to copy its layout.
  if (params.traceroute !== undefined || params.hops !== undefined)
    fail(`Test-NetConnection : Packet Path does not simulate -TraceRoute/-Hops (the layout of its TraceRoute row is not established); tracert ${target} traces the same path`);
  const portText = params.port ?? (params.commontcpport ? ({ http: '80', rdp: '3389', smb: '445', winrm: '5985' } as Record<string, string>)[params.commontcpport.toLowerCase()] : undefined);
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535))
    fail(`Test-NetConnection : Cannot process argument transformation on parameter 'Port'. Cannot convert value "${portText}" to type "System.Int32".`);
  if (notAnAddress(target)) fail(`WARNING: Name resolution of ${target} failed`);
  // -InformationLevel Quiet returns the test's Boolean (MicrosoftDocs Test-NetConnection); Detailed's extra rows are not simulated.
  const level = params.informationlevel?.toLowerCase();
  if (level !== undefined && level !== 'quiet' && level !== 'detailed')
    fail(`Test-NetConnection : Cannot validate argument on parameter 'InformationLevel'. The argument "${params.informationlevel}" does not belong to the set "Quiet,Detailed" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`);
  if (level === 'detailed')
    fail('Test-NetConnection : Packet Path does not simulate -InformationLevel Detailed (its NameResolutionResults, NetRoute and IPsec rows); without it the cmdlet prints its standard list');
  const quiet = level === 'quiet' ? { quiet: true } : {};
  return portText !== undefined
    ? { tool: 'test-netconnection', source, target, protocol: 'tcp', port: Number(portText), line, ...quiet }
    : { tool: 'test-netconnection', source, target, protocol: 'icmp', count: 1, size: 32, line, ...quiet };
}

/** Resolves a `flood` endpoint name: a container on the current host, `host/container`, a client, or a host. */
export function resolveSourceName(world: World, current: Host, name: string): TrafficSource | null {
  const slash = name.indexOf('/');
  const hostName = slash > 0 ? name.slice(0, slash) : null;
  const cname = slash > 0 ? name.slice(slash + 1) : name;
  const hosts = hostName ? world.hosts.filter((h) => h.name === hostName) : [current];
  for (const h of hosts) {
    const c = h.containers.find((x) => x.name === cname || x.id.startsWith(cname));
    if (c && c.state === 'running') return containerSource(h, c);
  }
  const cl = world.clients.find((x) => x.name === name);
  if (cl) return { kind: 'client', client: cl.name, ip: cl.ip, where: cl.where };
  const h = world.hosts.find((x) => x.name === name);
  if (h) return { kind: 'host', host: h.name };
  return null;
}
