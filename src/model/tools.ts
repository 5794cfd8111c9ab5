/**
 * Windows tools answered by the model: `ipconfig [/all]` (host and containers), `hostname`,
 * `netsh advfirewall firewall ...`, `reg delete ...\Tcpip6\Parameters /v DisabledComponents`
 * (tip 1), and the dispatch of `docker exec C <tool>` (traffic tools become TrafficRequests).
 */
import type { DockerCommand, ToolCommand } from '../script/ast.js';
import { containerCommandNotSimulated, hostCommandNotRecognized, toolArgumentError } from './answers.js';
import { findContainer } from './containers.js';
import { ensureEngine } from './docker-engine.js';
import { E, fail } from './errors.js';
import { netshFirewall } from './firewall.js';
import { osProfile } from './os.js';
import { hashString } from './ids.js';
import { maskString, parseCidr } from '../addr.js';
import { EPOCH_MS, isoTime } from './format.js';
import {
  containerSource, curlRequest, nslookupRequest, pingRequest, tracertRequest, tncRequest, type TrafficRequest, type TrafficSource,
} from './traffic.js';
import type { Container, Endpoint, Host, World } from './types.js';
import { invokeWebRequestRequest, netshInterface, netstat, resolveDnsNameRequest, routeOrArpRequest, vfpctrlRequest, type ViewRequest } from './diagnostics.js';
import { containerAdapters, hostAdapters, type AdapterView } from './adapters.js';
import { objectCmdlet } from './powershell.js';
import { parseScript } from '../script/parser.js';
import { cmdletNotSimulatedInContainer } from './answers.js';

export interface ToolResult {
  output: string;
  warnings: string[];
  traffic?: TrafficRequest;
  view?: ViewRequest;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** ipconfig's long date: `Monday, January 15, 2024 9:00:05 AM` (en-US). */
function windowsDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hh}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

const dots = (label: string): string => {
  // ipconfig pads labels with " . " to a fixed column (the colon at column 39).
  let s = `   ${label}`;
  while (s.length < 37) s += s.length % 2 === 1 ? '.' : ' ';
  return s;
};

function adapterBlock(a: AdapterView, all: boolean, clock: number): string[] {
  const out = [`Ethernet adapter ${a.title}:`, ''];
  const row = (label: string, value: string) => out.push(`${dots(label)}: ${value}`.replace(/\s+$/, ''));
  row('Connection-specific DNS Suffix ', a.suffix);
  if (all) {
    row('Description', a.description);
    row('Physical Address', a.mac);
    row('DHCP Enabled', a.dhcp ? 'Yes' : 'No');
    row('Autoconfiguration Enabled', 'Yes');
  }
  row('Link-local IPv6 Address', `${a.linkLocal}%${a.ifIndex}${all ? '(Preferred)' : ''}`);
  if (a.ip) {
    row(a.apipa ? 'Autoconfiguration IPv4 Address' : 'IPv4 Address', `${a.ip}${all ? '(Preferred)' : ''}`);
    row('Subnet Mask', maskString(a.prefixLen));
  }
  if (all && a.dhcp && !a.apipa) {
    row('Lease Obtained', windowsDate(EPOCH_MS + clock * 1000));
    row('Lease Expires', windowsDate(EPOCH_MS + clock * 1000 + 8 * 86400_000));
  }
  row('Default Gateway', a.gateway ?? '');
  if (all) {
    if (a.dhcp && !a.apipa && a.leaseServer) row('DHCP Server', a.leaseServer);
    if (a.dnsServers.length) {
      row('DNS Servers', a.dnsServers[0]!);
      for (const d of a.dnsServers.slice(1)) out.push(`${' '.repeat(39)}${d}`);
    } else row('DNS Servers', '');
    row('NetBIOS over Tcpip', 'Disabled');
    if (a.suffix) out.push('   Connection-specific DNS Suffix Search List :', `${' '.repeat(39)}${a.suffix}`);
  }
  out.push('');
  return out;
}

function ipconfigText(world: World, hostName: string, adapters: AdapterView[], all: boolean, searchList: string[], dns: string | null): string {
  const out = ['', 'Windows IP Configuration', ''];
  if (all) {
    const row = (label: string, value: string) => out.push(`${dots(label)}: ${value}`.replace(/\s+$/, ''));
    row('Host Name', hostName);
    row('Primary Dns Suffix ', '');
    row('Node Type', 'Hybrid');
    row('IP Routing Enabled', 'No');
    row('WINS Proxy Enabled', 'No');
    if (searchList.length) {
      row('DNS Suffix Search List', searchList[0]!);
      for (const s of searchList.slice(1)) out.push(`${' '.repeat(39)}${s}`);
    }
    out.push('');
  } else out.push('');
  for (const a of adapters) {
    if (all && dns && !a.dnsServers.length && a.gateway) a.dnsServers = [dns];
    out.push(...adapterBlock(a, all, world.clock));
  }
  return out.join('\n');
}

export function containerIpconfig(world: World, host: Host, c: Container, all: boolean): string {
  const adapters = containerAdapters(world, host, c);
  const search = [...new Set(host.endpoints.filter((e) => e.containerId === c.id).flatMap((e) => e.dnsSearch))];
  return ipconfigText(world, c.hostname, adapters, all, search, null);
}

export function hostIpconfig(world: World, host: Host, all: boolean): string {
  return ipconfigText(world, host.name.toUpperCase(), hostAdapters(host), all, [], world.underlay.dns);
}

function isAll(cmd: ToolCommand): boolean {
  return cmd.words.some((w) => w.value.toLowerCase() === '/all') || cmd.flags.some((f) => f.name.toLowerCase() === 'all');
}

/** `reg delete HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters /v DisabledComponents /f`. */
export function regCommand(host: Host, cmd: ToolCommand): ToolResult {
  const ws = cmd.words.map((w) => w.value);
  const op = ws[0]?.toLowerCase();
  const key = (ws[1] ?? '').replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').toLowerCase();
  const vi = ws.findIndex((w) => w.toLowerCase() === '/v');
  const value = vi >= 0 ? ws[vi + 1] : undefined;
  if (op !== 'delete' && op !== 'add' && op !== 'query') fail(`ERROR: Invalid syntax.\nType "REG /?" for usage.`);
  const tcpip6 = key === 'hkey_local_machine\\system\\currentcontrolset\\services\\tcpip6\\parameters';
  if (!tcpip6 || value?.toLowerCase() !== 'disabledcomponents')
    fail('ERROR: Packet Path simulates only HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents');
  if (op === 'query') {
    if (host.ipv6 && !host.ipv6PendingReboot) fail('ERROR: The system was unable to find the specified registry key or value.');
    return { output: `\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters\n    DisabledComponents    REG_DWORD    0xff\n`, warnings: [] };
  }
  if (op === 'add') {
    host.ipv6PendingReboot = false;
    return { output: 'The operation completed successfully.', warnings: host.ipv6 ? ['IPv6 stays enabled until Restart-Computer (DisabledComponents is read at boot)'] : [] };
  }
  if (host.ipv6 && !host.ipv6PendingReboot) fail('ERROR: The system was unable to find the specified registry key or value.');
  if (!host.ipv6) host.ipv6PendingReboot = true;
  if (!ws.some((w) => w.toLowerCase() === '/f'))
    return { output: 'Delete the registry value DisabledComponents (Yes/No)? Yes\nThe operation completed successfully.', warnings: ['IPv6 is re-enabled at the next Restart-Computer (DisabledComponents is read at boot)'] };
  return { output: 'The operation completed successfully.', warnings: ['IPv6 is re-enabled at the next Restart-Computer (DisabledComponents is read at boot)'] };
}

/** What `hnsdiag` answers: its tables are not printed (no public copy of their layout was found). */
export const HNSDIAG_NOT_MODELLED = 'hnsdiag: Packet Path does not print hnsdiag\'s tables: no public copy of their layout was found to reproduce. Get-HnsNetwork and Get-HnsEndpoint (| ConvertTo-Json after | Select-Object, or | Format-List) show the same HNS objects.';

/** hnsdiag's usage, as the tool prints it to stderr (strontic xcyclopedia's capture of hnsdiag.exe). */
const HNSDIAG_USAGE = [
  'Copyright (c) Microsoft Corporation. All rights reserved.',
  '',
  '   hnsdiag <command> <object> [options ...]',
  '',
  '   list <object> [id_1 id_2 ... id_n]',
  '     Lists the specified object(s). If ids are given will list the ids.',
  '',
  '   delete <object> <id_1> [id_2 ... id_n]',
  '     Delete the specified object(s).',
  '',
  '   Objects',
  '     All  (only valid when used with list)',
  '     Endpoints',
  '     Loadbalancers',
  '     Namespaces',
  '     Networks',
  '',
  '   Flags',
  '     -d[f][l]',
  '          Detailed option, when used with list, dumps the primitive json of the object.',
  '        f ',
  "          Specifying 'f' will additionally give the full json of the object.",
  '        l',
  "\t  Specifting 'l' will additionally give the object in the latest schema version.",
].join('\n');

/** `hnsdiag`: its usage for a command or object it does not know; its tables are not reproduced. */
function hnsdiag(cmd: ToolCommand): string {
  const [verb, object] = cmd.args.map((a) => a.value.toLowerCase());
  const objects = ['all', 'endpoints', 'loadbalancers', 'namespaces', 'networks'];
  if ((verb !== 'list' && verb !== 'delete') || !object || !objects.includes(object) || (verb === 'delete' && object === 'all')) return HNSDIAG_USAGE;
  if (verb === 'delete') return 'hnsdiag delete: Packet Path does not simulate deleting HNS objects with hnsdiag; Get-HnsNetwork | Remove-HnsNetwork removes networks.';
  return HNSDIAG_NOT_MODELLED;
}

/** A tool typed on the host itself. */
export function hostTool(world: World, host: Host, cmd: ToolCommand): ToolResult {
  const src: TrafficSource = { kind: 'host', host: host.name };
  const stray = toolArgumentError(cmd);
  if (stray) fail(stray.message);
  switch (cmd.tool) {
    case 'ipconfig':
      return { output: hostIpconfig(world, host, isAll(cmd)), warnings: [] };
    case 'hostname':
      return { output: host.name.toUpperCase(), warnings: [] };
    case 'netsh': {
      if (/^int(erface)?$/i.test(cmd.args[0]?.value ?? '')) return { output: netshInterface(host, cmd), warnings: [] };
      const r = netshFirewall(host.firewall, cmd);
      host.firewall = r.rules;
      return { output: r.output, warnings: [] };
    }
    case 'reg':
      return regCommand(host, cmd);
    case 'route':
    case 'arp':
      return { output: '', warnings: [], view: routeOrArpRequest(host, cmd, undefined) };
    case 'netstat':
      return { output: netstat(host, cmd), warnings: [] };
    case 'vfpctrl':
      return { output: '', warnings: [], view: vfpctrlRequest(host, cmd) };
    case 'hnsdiag':
      return fail(hnsdiag(cmd));
    case 'ping':
      return { output: '', warnings: [], traffic: pingRequest(src, cmd) };
    case 'tracert':
      return { output: '', warnings: [], traffic: tracertRequest(src, cmd) };
    case 'curl':
      return { output: '', warnings: [], traffic: curlRequest(src, cmd) };
    case 'nslookup':
      return { output: '', warnings: [], traffic: nslookupRequest(src, cmd) };
    default:
      return fail(hostCommandNotRecognized(cmd.text.split(/\s+/)[0]!));
  }
}

/**
 * `docker exec C powershell [-NoProfile] -Command "<pipeline>"`: the pipeline runs in the
 * container's compartment, read by the script's own parser (the words after -Command, joined).
 */
function containerPowershell(world: World, host: Host, c: Container, cmd: DockerCommand): ToolResult {
  const words = cmd.command.slice(1).map((w) => w.value);
  let i = 0;
  while (i < words.length && /^-(command|c|noprofile|nop|nologo|noninteractive|executionpolicy|ep)$/i.test(words[i]!)) {
    if (/^-(executionpolicy|ep)$/i.test(words[i]!)) i++;
    i++;
  }
  const text = words.slice(i).join(' ').trim();
  if (!text) fail('powershell: Packet Path runs `powershell -Command "<pipeline>"` inside a container (there is no interactive shell)');
  const script = parseScript(text);
  const err = script.diagnostics.find((d) => d.severity === 'error');
  if (err) fail(err.message);
  if (script.commands.length !== 1) fail('powershell: Packet Path runs one pipeline per `powershell -Command`');
  const inner = script.commands[0]!;
  if (inner.kind === 'tool' && inner.tool === 'other') {
    // `(Invoke-WebRequest ...).StatusCode`, `$x = ...`: PowerShell expressions, not a command the script language runs.
    if (/^[($]/.test(text)) fail(`powershell: Packet Path runs a pipeline of cmdlets (Cmdlet ... | Select-Object -ExpandProperty Name), not PowerShell expressions like ${text.split(/\s+/)[0]}`);
    return fail(containerCommandNotSimulated(text.split(/\s+/)[0]!));
  }
  if (inner.kind === 'tool') return dockerExec(world, host, { ...cmd, inner: { ...inner, line: cmd.line } });
  if (inner.kind !== 'powershell') return fail(containerCommandNotSimulated(text.split(/\s+/)[0]!));
  const first = inner.pipeline[0]!;
  if (/^(test-netconnection|tnc)$/i.test(first.name.value)) {
    if (inner.pipeline.length > 1) fail('Test-NetConnection : Packet Path runs Test-NetConnection alone');
    const params: Record<string, string> = {};
    for (const f of first.flags) params[f.name.toLowerCase()] = f.value === true ? 'True' : f.value;
    return { output: '', warnings: [], traffic: tncRequest(containerSource(host, c), params, first.args.map((a) => a.value), cmd.line) };
  }
  if (/^resolve-dnsname$/i.test(first.name.value)) {
    if (inner.pipeline.length > 1) fail('Resolve-DnsName : Packet Path runs Resolve-DnsName alone');
    const params: Record<string, string> = {};
    for (const f of first.flags) params[f.name.toLowerCase()] = f.value === true ? 'True' : f.value;
    return { output: '', warnings: [], traffic: resolveDnsNameRequest(containerSource(host, c), params, first.args.map((a) => a.value), cmd.line) };
  }
  if (/^(invoke-webrequest|iwr)$/i.test(first.name.value)) {
    const params: Record<string, string> = {};
    for (const f of first.flags) params[f.name.toLowerCase()] = f.value === true ? 'True' : f.value;
    return { output: '', warnings: [], traffic: invokeWebRequestRequest(containerSource(host, c), params, first.args.map((a) => a.value), cmd.line, inner.pipeline.slice(1), true) };
  }
  const r = objectCmdlet(world, host, inner.pipeline, cmd.line, c);
  if (!r) return fail(cmdletNotSimulatedInContainer(first.name.value));
  return r;
}

/** `docker exec [-it] C <tool ...>`. */
export function dockerExec(world: World, host: Host, cmd: DockerCommand): ToolResult {
  ensureEngine(world, host, cmd.line);
  const ref = cmd.args[0]?.value;
  if (!ref) fail(`"docker exec" requires at least 2 arguments.\nSee 'docker exec --help'.`);
  const c = findContainer(host, ref);
  if (!c) fail(E.noSuchContainer(ref));
  if (c.state !== 'running') fail(E.notRunning(c.id));
  const inner = cmd.inner;
  const toolName = (cmd.command[0]?.value ?? '').toLowerCase().replace(/\.exe$/, '');
  const src = containerSource(host, c);
  if (!inner || inner.tool === 'other') {
    if (toolName === 'powershell' || toolName === 'pwsh') return containerPowershell(world, host, c, cmd);
    if (toolName === 'test-netconnection') {
      const ws = cmd.command.map((w) => w.value);
      const i = ws.findIndex((w) => /^test-netconnection$/i.test(w));
      if (i >= 0) {
        const params: Record<string, string> = {};
        const pos: string[] = [];
        for (let k = i + 1; k < ws.length; k++) {
          const w = ws[k]!;
          if (w.startsWith('-')) params[w.slice(1).toLowerCase()] = ws[++k] ?? '';
          else pos.push(w);
        }
        return { output: '', warnings: [], traffic: tncRequest(src, params, pos, cmd.line) };
      }
    }
    return fail(containerCommandNotSimulated(toolName));
  }
  const stray = toolArgumentError(inner);
  if (stray) fail(stray.message);
  switch (inner.tool) {
    case 'ipconfig':
      return { output: containerIpconfig(world, host, c, isAll(inner)), warnings: [] };
    case 'hostname':
      return { output: c.hostname, warnings: [] };
    case 'netsh': {
      const r = netshFirewall(c.firewall, inner);
      c.firewall = r.rules;
      return { output: r.output, warnings: [] };
    }
    case 'ping':
      return { output: '', warnings: [], traffic: pingRequest(src, inner) };
    case 'tracert':
      return { output: '', warnings: [], traffic: tracertRequest(src, inner) };
    case 'curl':
      return { output: '', warnings: [], traffic: curlRequest(src, inner) };
    case 'nslookup':
      return { output: '', warnings: [], traffic: nslookupRequest(src, inner) };
    case 'reg':
      return fail('ERROR: Access is denied.');
    case 'route':
    case 'arp':
      return { output: '', warnings: [], view: routeOrArpRequest(host, inner, { compartment: c.compartmentId, container: c.name }) };
    case 'netstat':
      return { output: '', warnings: [], view: { kind: 'netstat', host: host.name, compartment: c.compartmentId, container: c.name, tool: inner, line: cmd.line } };
    default:
      return fail(`Packet Path does not simulate ${inner.tool} inside a container`);
  }
}

export { isoTime };
