/**
 * What the knowledge base asks of a situation: the line's command and flags, the world's hosts,
 * networks, containers and who holds an address, and edits built on a line's spans.
 */
import type { Command, DockerCommand, Flag } from '../../script/ast.js';
import type { Container, Endpoint, Host, Network, World } from '../../model/types.js';
import { osProfile } from '../../model/os.js';
import { SHIM } from '../../script/drivers.js';
import { formatIp, formatPrefix, parseCidr, parseIp, prefixesOverlap, type Prefix } from '../../addr.js';
import type { ScriptEdit } from '../fixes.js';
import type { Situation } from './types.js';

export { osProfile };

export function docker(cmd: Command | undefined, ...path: string[]): DockerCommand | undefined {
  return cmd?.kind === 'docker' && path.every((p, i) => cmd.path[i] === p) && cmd.path.length === path.length ? cmd : undefined;
}

export function flagOf(cmd: { flags: Flag[] }, ...names: string[]): Flag | undefined {
  return cmd.flags.find((f) => names.includes(f.name));
}

export function flagsOf(cmd: { flags: Flag[] }, name: string): Flag[] {
  return cmd.flags.filter((f) => f.name === name);
}

/** The `-o` flag setting a Windows shim option (`interface`, `vlanid`, ...). */
export function shimOption(cmd: DockerCommand, key: string): { flag: Flag; value: string } | undefined {
  for (const f of flagsOf(cmd, 'opt')) {
    const v = String(f.value);
    if (v.startsWith(`${SHIM}${key}=`)) return { flag: f, value: v.slice(SHIM.length + key.length + 1) };
  }
  return undefined;
}

/** A `-o com.docker.network.windowsshim.KEY=VALUE` flag as written on a line. */
export function shimFlag(key: string, value: string): string {
  return /\s/.test(value) ? `-o ${SHIM}${key}="${value}"` : `-o ${SHIM}${key}=${value}`;
}

export function hostNamed(world: World, name: string): Host | undefined {
  return world.hosts.find((h) => h.name === name);
}

export function networkNamed(host: Host | undefined, world: World, name: string): Network | undefined {
  return host?.networks.find((n) => n.name === name || n.id === name || n.id.startsWith(name))
    ?? world.swarm?.networks.find((n) => n.name === name);
}

export function containerNamed(host: Host | undefined, name: string): Container | undefined {
  return host?.containers.find((c) => c.name === name || c.id.startsWith(name));
}

/** The vSwitch that holds an adapter, if any. */
export function switchOfNic(host: Host, nic: string) {
  return host.vswitches.find((v) => v.nics.includes(nic));
}

/** Adapters no vSwitch holds, those without a host address first. */
export function freeNics(host: Host): string[] {
  const free = host.nics.filter((n) => !switchOfNic(host, n.name));
  return [...free.filter((n) => !n.ip), ...free.filter((n) => n.ip)].map((n) => n.name);
}

/** The host's first address and its prefix (`10.0.0.10/24` → 10.0.0.0/24), and its gateway. */
export function hostSubnet(host: Host, world: World): { prefix: string; gateway: string } | undefined {
  const withIp = host.nics.find((n) => n.ip) ?? null;
  const ip = withIp?.ip ?? host.vswitches.find((v) => v.hostVnic?.ip)?.hostVnic?.ip ?? null;
  if (!ip) return undefined;
  const p = parseCidr(ip)!.prefix;
  const gateway = host.gateway ?? world.underlay.gateway ?? formatIp(p.base + 1);
  return { prefix: formatPrefix(p), gateway };
}

/** Who holds an IPv4 address in the world as it stands. */
export type Owner =
  | { kind: 'endpoint'; host: Host; endpoint: Endpoint; container: Container | undefined }
  | { kind: 'host'; host: Host }
  | { kind: 'client'; name: string };

export function ownerOf(world: World, ip: string): Owner | null {
  for (const host of world.hosts) {
    if (host.nics.some((n) => n.ip && n.ip.split('/')[0] === ip) || host.vswitches.some((v) => v.hostVnic?.ip?.split('/')[0] === ip))
      return { kind: 'host', host };
    for (const endpoint of host.endpoints)
      if (endpoint.ip === ip) return { kind: 'endpoint', host, endpoint, container: host.containers.find((c) => c.id === endpoint.containerId) };
  }
  const client = world.clients.find((c) => c.ip.split('/')[0] === ip);
  return client ? { kind: 'client', name: client.name } : null;
}

/** A container's endpoints (stopped containers keep theirs with their last address). */
export function endpointsOf(host: Host, c: Container): Endpoint[] {
  return host.endpoints.filter((e) => e.containerId === c.id);
}

/** The line of `host NAME` that declared a host, or null (the implicit host1). */
export function hostLine(s: Situation, name: string): number | null {
  const c = s.commands.find((x) => x.kind === 'sim' && x.verb === 'host' && x.args[0]?.value === name && x.flags.length >= 0);
  return c ? c.line : null;
}

/** Edits that run `lines` on host `on` just before the symptom's line (switching host when it is another). */
export function runOnHostBefore(s: Situation, on: string, lines: string[]): ScriptEdit {
  const current = s.current;
  return { kind: 'insert', before: s.line, lines: on === current || !current ? lines : [`host ${on}`, ...lines, `host ${current}`] };
}

/** The symptom's line as written (with its `expect` prefix). */
export function lineText(s: Situation, line = s.line): string {
  return s.lines[line - 1] ?? '';
}

export function replaceLine(s: Situation, line: number, text: string): ScriptEdit {
  return { kind: 'replace', line, text, was: lineText(s, line) };
}

/** The first /24 (or half of `outer`, when smaller) inside `outer` that overlaps none of `taken`. */
export function freeSubnetInside(outer: Prefix, taken: Prefix[]): Prefix | null {
  const len = Math.max(24, outer.len + 1);
  const size = 2 ** (32 - len);
  for (let base = outer.base; base < outer.base + 2 ** (32 - outer.len); base += size) {
    const p = { base: base >>> 0, len };
    if (!taken.some((t) => prefixesOverlap(t, p))) return p;
  }
  return null;
}

export function gatewayOf(p: Prefix): string {
  return formatIp(p.base + 1);
}

export function ipNumber(ip: string): number | null {
  return parseIp(ip.split('/')[0]);
}

/** The destination of a traffic line: `ping X`, `curl http://X:P/`, `docker exec C curl ...`, `client N ...`. */
export function trafficTarget(cmd: Command | undefined): { tool: string; target: string; port: number | null; url?: string } | null {
  const tool = cmd?.kind === 'tool' ? cmd : cmd?.kind === 'client-traffic' ? cmd.inner : cmd?.kind === 'docker' ? cmd.inner : undefined;
  if (!tool || (tool.tool !== 'ping' && tool.tool !== 'curl')) return null;
  const arg = tool.args[0]?.value;
  if (!arg) return null;
  if (tool.tool === 'ping') return { tool: 'ping', target: arg, port: null };
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?/i.exec(arg);
  if (!m) return null;
  return { tool: 'curl', target: m[2], port: m[3] ? Number(m[3]) : m[1]?.toLowerCase() === 'https' ? 443 : 80, url: arg };
}
