/**
 * The diagnostics users type when something breaks, answered from the simulated world as objects
 * PowerShell's pipeline formats (ps-pipeline.ts): on a host Get-NetIPAddress, Get-NetIPInterface,
 * Get-NetTCPConnection, Get-NetFirewallRule, Get-VMNetworkAdapter -ManagementOS; inside a container
 * (`docker exec C powershell -Command "..."`) Get-NetIPAddress, Get-NetIPInterface,
 * Get-DnsClientServerAddress, Get-NetIPConfiguration. Also `netstat -ano` and netsh's excluded
 * port ranges and dynamic port range. Formats and sources: docs/behaviour.md, "Diagnostics".
 */
import type { ToolCommand } from '../script/ast.js';
import { fail } from './errors.js';
import { defaultFirewallRules } from './firewall.js';
import { hashString } from './ids.js';
import { osProfile } from './os.js';
import { col, rec, type PsObject, type PsValue } from './ps-pipeline.js';
import { containerAdapters, hostAdapters, type AdapterView } from './adapters.js';
import type { Container, Endpoint, FirewallRule, Host, World } from './types.js';

type Params = Record<string, string>;

export const LOOPBACK_ALIAS = 'Loopback Pseudo-Interface 1';
const INFINITE = 'Infinite ([TimeSpan]::MaxValue)';

/**
 * An interface's metric as Windows' automatic metric gives it: a 1 Gbps NIC 25, a 10 Gbps
 * (virtual) one 15, the loopback 75 (nav-docker #19 `netsh interface ipv4 show interfaces`, 2017);
 * Hyper-V's internal vNICs and container adapters 15 before 1809 and 5000 from 1809 (docker/for-win
 * #2760 `Get-NetIPInterface` on 17763, sig-windows-tools #214 `Get-NetRoute` on ws2019).
 */
export function interfaceMetric(host: Host, a: AdapterView | 'loopback'): number {
  if (a === 'loopback') return 75;
  const nicMetric = host.virtualized ? 15 : 25;
  if (a.kind === 'nic' || (a.kind === 'vnic' && a.external)) return nicMetric;
  return osProfile(host.os).build >= 17763 ? 5000 : 15;
}

/** The adapters whose addresses a stack holds: the host's, or a container's. */
export function stackAdapters(world: World, host: Host, c?: Container): AdapterView[] {
  return c ? containerAdapters(world, host, c) : hostAdapters(host);
}

function addressObjects(host: Host, adapters: AdapterView[], container: boolean): PsObject[] {
  const list = ['IPAddress', 'InterfaceIndex', 'InterfaceAlias', 'AddressFamily', 'Type', 'PrefixLength', 'PrefixOrigin', 'SuffixOrigin', 'AddressState', 'ValidLifetime', 'PreferredLifetime', 'SkipAsSource', 'PolicyStore'];
  const obj = (ip: string, ifIndex: number, alias: string, family: 'IPv4' | 'IPv6', len: number, origin: [string, string], lifetime: string): PsObject => ({
    props: [
      ['IPAddress', ip], ['InterfaceIndex', ifIndex], ['InterfaceAlias', alias], ['AddressFamily', family], ['Type', 'Unicast'],
      ['PrefixLength', len], ['PrefixOrigin', origin[0]], ['SuffixOrigin', origin[1]], ['AddressState', 'Preferred'],
      ['ValidLifetime', lifetime], ['PreferredLifetime', lifetime], ['SkipAsSource', false], ['PolicyStore', 'ActiveStore'],
    ],
    list,
    partial: 'MSFT_NetIPAddress',
    enums: ['AddressFamily', 'Type', 'PrefixOrigin', 'SuffixOrigin', 'AddressState', 'PolicyStore'],
  });
  const out: PsObject[] = [];
  for (const a of adapters) {
    if (host.ipv6) out.push(obj(`${a.linkLocal}%${a.ifIndex}`, a.ifIndex, a.title, 'IPv6', 64, ['WellKnown', 'Link'], INFINITE));
    if (a.ip) out.push(obj(a.ip, a.ifIndex, a.title, 'IPv4', a.prefixLen, a.dhcp && !a.apipa ? ['Dhcp', 'Dhcp'] : a.apipa ? ['WellKnown', 'Link'] : ['Manual', 'Manual'], a.dhcp && !a.apipa ? '7.23:59:59' : INFINITE));
  }
  if (!container) {
    if (host.ipv6) out.push(obj('::1', 1, LOOPBACK_ALIAS, 'IPv6', 128, ['WellKnown', 'WellKnown'], INFINITE));
    out.push(obj('127.0.0.1', 1, LOOPBACK_ALIAS, 'IPv4', 8, ['WellKnown', 'WellKnown'], INFINITE));
  }
  return out;
}

function interfaceObjects(host: Host, adapters: AdapterView[], container: boolean): PsObject[] {
  const table = [col('ifIndex', 7), col('InterfaceAlias', 31), col('AddressFamily', 13), col('NlMtu(Bytes)', 12, 'right'), col('InterfaceMetric', 15, 'right'), col('Dhcp', 8), col('ConnectionState', 15), col('PolicyStore')];
  const obj = (ifIndex: number, alias: string, family: string, mtu: number, metric: number, dhcp: boolean): PsObject => ({
    props: [['ifIndex', ifIndex], ['InterfaceAlias', alias], ['AddressFamily', family], ['NlMtu(Bytes)', mtu], ['InterfaceMetric', metric], ['Dhcp', dhcp ? 'Enabled' : 'Disabled'], ['ConnectionState', 'Connected'], ['PolicyStore', 'ActiveStore']],
    table,
    partial: 'MSFT_NetIPInterface',
    enums: ['AddressFamily', 'Dhcp', 'ConnectionState', 'PolicyStore'],
  });
  const out: PsObject[] = [];
  const families: ('IPv6' | 'IPv4')[] = host.ipv6 ? ['IPv6', 'IPv4'] : ['IPv4'];
  for (const family of families) {
    for (const a of adapters) out.push(obj(a.ifIndex, a.title, family, 1500, interfaceMetric(host, a), a.dhcp));
    if (!container) out.push(obj(1, LOOPBACK_ALIAS, family, 4294967295, interfaceMetric(host, 'loopback'), false));
  }
  return out;
}

/** `-AddressFamily`, `-InterfaceAlias` (wildcards), `-InterfaceIndex` as the NetTCPIP cmdlets filter. */
function filterByInterface(cmdlet: string, cls: string, objects: PsObject[], p: Params): PsObject[] {
  let out = objects;
  const val = (o: PsObject, k: string) => o.props.find(([x]) => x === k)?.[1];
  const aliasKey = objects[0]?.props.some(([k]) => k === 'InterfaceAlias') ? 'InterfaceAlias' : 'InterfaceAlias';
  const idxKey = objects[0]?.props.some(([k]) => k === 'ifIndex') ? 'ifIndex' : 'InterfaceIndex';
  const conds: string[] = [];
  if (p.addressfamily) {
    if (!/^ipv[46]$/i.test(p.addressfamily))
      fail(`${cmdlet} : Cannot process argument transformation on parameter 'AddressFamily'. Cannot convert value "${p.addressfamily}" to type "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily". Error: "Unable to match the identifier name ${p.addressfamily} to a valid enumerator name. Specify one of the following enumerator names and try again:\nIPv4, IPv6"`);
    out = out.filter((o) => String(val(o, 'AddressFamily')).toLowerCase() === p.addressfamily!.toLowerCase());
    conds.push(`(AddressFamily = ${p.addressfamily.toLowerCase() === 'ipv4' ? 2 : 23})`);
  }
  if (p.interfacealias) {
    const re = new RegExp(`^${p.interfacealias.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    out = out.filter((o) => re.test(String(val(o, aliasKey))));
    conds.push(`(InterfaceAlias LIKE '${p.interfacealias.replace(/\*/g, '%')}')`);
  }
  if (p.ipaddress) {
    out = out.filter((o) => String(val(o, 'IPAddress')) === p.ipaddress);
    conds.push(`(IPAddress LIKE '${p.ipaddress}')`);
  }
  const idx = p.interfaceindex ?? p.ifindex;
  if (idx) {
    out = out.filter((o) => String(val(o, idxKey)) === idx);
    conds.push(`(InterfaceIndex = ${idx})`);
  }
  if (!out.length && conds.length)
    fail(`${cmdlet} : No matching ${cls} objects found by CIM query for instances of the ROOT/StandardCimv2/${cls} class on the  CIM server: SELECT * FROM ${cls}  WHERE ${conds.join(' AND ')}. Verify query parameters and retry.`);
  return out;
}

/** `-IncludeAllCompartments` on the host: every running container's adapters after the host's own. */
function withCompartments(world: World, host: Host, p: Params, c: Container | undefined, of: (adapters: AdapterView[], container: boolean) => PsObject[]): PsObject[] {
  const out = of(stackAdapters(world, host, c), !!c);
  if (c || p.includeallcompartments !== 'True') return out;
  // One pass over the endpoints: the cost stays linear in the containers.
  const byContainer = new Map<string, Endpoint[]>();
  for (const e of host.endpoints) if (e.containerId) byContainer.set(e.containerId, [...(byContainer.get(e.containerId) ?? []), e]);
  for (const x of host.containers.filter((k) => k.state === 'running').sort((a, b) => a.compartmentId - b.compartmentId))
    out.push(...of(containerAdapters(world, host, x, byContainer.get(x.id) ?? []), true));
  return out;
}

export function getNetIPAddress(world: World, host: Host, p: Params, c?: Container): PsObject[] {
  return filterByInterface('Get-NetIPAddress', 'MSFT_NetIPAddress', withCompartments(world, host, p, c, (a, inC) => addressObjects(host, a, inC)), p);
}

export function getNetIPInterface(world: World, host: Host, p: Params, c?: Container): PsObject[] {
  return filterByInterface('Get-NetIPInterface', 'MSFT_NetIPInterface', withCompartments(world, host, p, c, (a, inC) => interfaceObjects(host, a, inC)), p);
}

/** Get-DnsClientServerAddress: one object per adapter and family; a container's servers are its endpoint's DNS servers. */
export function getDnsClientServerAddress(world: World, host: Host, p: Params, c?: Container): PsObject[] {
  const adapters = stackAdapters(world, host, c);
  const out: PsObject[] = [];
  for (const a of adapters) {
    const servers = c ? a.dnsServers : a.gateway && world.underlay.dns ? [world.underlay.dns] : [];
    out.push(dnsObject(a.title, a.ifIndex, 'IPv4', servers));
    if (host.ipv6) out.push(dnsObject(a.title, a.ifIndex, 'IPv6', []));
  }
  if (!c) {
    out.push(dnsObject(LOOPBACK_ALIAS, 1, 'IPv4', []));
    if (host.ipv6) out.push(dnsObject(LOOPBACK_ALIAS, 1, 'IPv6', []));
  }
  return filterByInterface('Get-DnsClientServerAddress', 'MSFT_DNSClientServerAddress', out, p);
}

function dnsObject(alias: string, ifIndex: number, family: 'IPv4' | 'IPv6', servers: string[]): PsObject {
  return { props: [['InterfaceAlias', alias], ['InterfaceIndex', ifIndex], ['AddressFamily', family], ['ServerAddresses', servers]], partial: 'MSFT_DNSClientServerAddress', enums: ['AddressFamily'] };
}

/**
 * Get-DnsClientServerAddress's table: its format file splits two column headers over two lines
 * (`Interface` / `Index`, `Address` / `Family`).
 */
export function dnsClientServerTable(objects: PsObject[]): string {
  const v = (o: PsObject, k: string) => o.props.find(([x]) => x === k)?.[1];
  const servers = (o: PsObject) => `{${((v(o, 'ServerAddresses') as string[]) ?? []).join(', ')}}`;
  const lines = ['', 'InterfaceAlias               Interface Address ServerAddresses', '                             Index     Family', '--------------               --------- ------- ---------------'];
  for (const o of objects) {
    const alias = String(v(o, 'InterfaceAlias'));
    const shown = alias.length > 28 ? alias.slice(0, 25) + '...' : alias;
    lines.push(`${shown.padEnd(28)} ${String(v(o, 'InterfaceIndex')).padStart(9)} ${String(v(o, 'AddressFamily')).padEnd(7)} ${servers(o)}`.replace(/\s+$/, ''));
  }
  lines.push('');
  return lines.join('\n');
}

/** Get-NetIPConfiguration: one object per connected adapter with an address. */
export function getNetIPConfiguration(world: World, host: Host, p: Params, c?: Container): PsObject[] {
  const adapters = stackAdapters(world, host, c).filter((a) => a.ip);
  const out: PsObject[] = adapters.map((a) => {
    const dns = c ? a.dnsServers : a.gateway && world.underlay.dns ? [world.underlay.dns] : [];
    return {
      props: [
        ['InterfaceAlias', a.title], ['InterfaceIndex', a.ifIndex], ['InterfaceDescription', a.description],
        ['IPv4Address', a.ip], ['IPv6DefaultGateway', null], ['IPv4DefaultGateway', a.gateway], ['DNSServer', dns],
      ] as [string, PsValue][],
      list: ['InterfaceAlias', 'InterfaceIndex', 'InterfaceDescription', 'IPv4Address', 'IPv6DefaultGateway', 'IPv4DefaultGateway', 'DNSServer'],
      partial: 'NetIPConfiguration',
    };
  });
  return filterByInterface('Get-NetIPConfiguration', 'MSFT_NetIPInterface', out, p);
}

/** Get-NetIPConfiguration's list: DNSServer one address per line under its label, as its format file lays it out. */
export function ipConfigurationList(objects: PsObject[]): string {
  const out: string[] = [''];
  for (const o of objects) {
    for (const [k, v] of o.props) {
      if (k === 'DNSServer') {
        const list = (v as string[]) ?? [];
        out.push(`${k.padEnd(20)} : ${list[0] ?? ''}`.replace(/\s+$/, ''));
        for (const s of list.slice(1)) out.push(`${' '.repeat(23)}${s}`);
      } else out.push(`${k.padEnd(20)} : ${v === null ? '' : String(v)}`.replace(/\s+$/, ''));
    }
    out.push('');
  }
  return out.join('\n');
}

/** A stable process id for a host process (the `listen` line's name). */
export function listenerPid(host: Host, name: string): number {
  return 1000 + (hashString(`${host.name}/${name}`) % 8000) * 4;
}

/** Get-NetTCPConnection: the host processes' listening sockets (WinNAT's published ports are no sockets). */
export function getNetTCPConnection(host: Host, p: Params): PsObject[] {
  const table = [col('LocalAddress', 35), col('LocalPort', 9), col('RemoteAddress', 35), col('RemotePort', 10), col('State', 11), col('AppliedSetting', 14), col('OwningProcess')];
  let list = host.listeners.filter((l) => l.protocol === 'tcp').sort((a, b) => a.port - b.port);
  if (p.localport) list = list.filter((l) => String(l.port) === p.localport);
  if (p.state && !/^listen$/i.test(p.state)) list = [];
  if (!list.length && (p.localport || p.state))
    fail(`Get-NetTCPConnection : No matching MSFT_NetTCPConnection objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetTCPConnection class on the  CIM server: SELECT * FROM MSFT_NetTCPConnection  WHERE ${[p.localport ? `(LocalPort = ${p.localport})` : '', p.state ? `(State = ${p.state})` : ''].filter(Boolean).join(' AND ')}. Verify query parameters and retry.`);
  return list.map((l) => ({
    props: [['LocalAddress', '0.0.0.0'], ['LocalPort', l.port], ['RemoteAddress', '0.0.0.0'], ['RemotePort', 0], ['State', 'Listen'], ['AppliedSetting', null], ['OwningProcess', listenerPid(host, l.name)]],
    table,
    partial: 'MSFT_NetTCPConnection',
    enums: ['State', 'AppliedSetting'],
  }));
}

/** `netstat -a[n][o]` on the host: its processes' listening sockets. */
export function netstat(host: Host, cmd: ToolCommand): string {
  return netstatText(cmd, host.listeners.map((l) => ({ protocol: l.protocol, port: l.port, pid: listenerPid(host, l.name) })));
}

/** netstat's layout over listening sockets (`-a` lists them, `-o` adds the PID column). */
export function netstatText(cmd: ToolCommand, sockets: { protocol: 'tcp' | 'udp'; port: number; pid: number }[]): string {
  const sw = cmd.words.map((w) => w.value.replace(/^[-/]/, '').toLowerCase()).join('');
  const pid = sw.includes('o');
  const all = sw.includes('a');
  const lines = ['', 'Active Connections', '', `  Proto  Local Address          Foreign Address        State${pid ? '           PID' : ''}`];
  if (all) {
    for (const l of [...sockets].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol === 'tcp' ? -1 : 1))) {
      const row = l.protocol === 'tcp'
        ? `  TCP    ${`0.0.0.0:${l.port}`.padEnd(23)}${'0.0.0.0:0'.padEnd(23)}${pid ? 'LISTENING'.padEnd(16) + l.pid : 'LISTENING'}`
        : `  UDP    ${`0.0.0.0:${l.port}`.padEnd(23)}${'*:*'.padEnd(23)}${pid ? ' '.repeat(16) + l.pid : ''}`;
      lines.push(row.replace(/\s+$/, ''));
    }
  }
  return lines.join('\n');
}

/** Get-NetFirewallRule: the profile's rules and the ones added since, in the list view New-NetFirewallRule prints. */
export function getNetFirewallRule(host: Host, p: Params): PsObject[] {
  let rules: FirewallRule[] = [...defaultFirewallRules(host), ...host.firewall];
  const by = p.displayname !== undefined ? 'DisplayName' : p.name !== undefined ? 'Name' : undefined;
  if (by) {
    const n = (p.displayname ?? p.name)!;
    const re = new RegExp(`^${n.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    rules = rules.filter((r) => re.test(r.name));
    if (!rules.length) fail(`Get-NetFirewallRule : No MSFT_NetFirewallRule objects found with property '${by}' equal to '${n}'.  Verify the value of the property and retry.`);
  }
  return rules.map((r) => ({ props: firewallRuleProps(r, r.origin === 'user' ? `{${ruleGuid(host, r)}}` : r.name), partial: 'MSFT_NetFirewallRule', enums: ['Enabled', 'Profile', 'Direction', 'Action', 'EdgeTraversalPolicy', 'PrimaryStatus', 'EnforcementStatus', 'PolicyStoreSourceType'] }));
}

function ruleGuid(host: Host, r: FirewallRule): string {
  const h = (k: number) => (hashString(`${host.name}/${r.name}/${r.line}/${k}`) >>> 0).toString(16).padStart(8, '0');
  const a = h(1) + h(2) + h(3) + h(4);
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-${a.slice(12, 16)}-${a.slice(16, 20)}-${a.slice(20, 32)}`;
}

/** The properties of MSFT_NetFirewallRule's list view (New-NetFirewallRule and Get-NetFirewallRule print it). */
export function firewallRuleProps(r: { name: string; direction: string; action: string; enabled: boolean; profile: string }, id: string): [string, PsValue][] {
  return [
    ['Name', id], ['DisplayName', r.name], ['Description', ''], ['DisplayGroup', ''], ['Group', ''],
    ['Enabled', r.enabled ? 'True' : 'False'], ['Profile', r.profile], ['Platform', '{}'],
    ['Direction', r.direction === 'In' ? 'Inbound' : 'Outbound'], ['Action', r.action], ['EdgeTraversalPolicy', 'Block'],
    ['LooseSourceMapping', 'False'], ['LocalOnlyMapping', 'False'], ['Owner', ''], ['PrimaryStatus', 'OK'],
    ['Status', 'The rule was parsed successfully from the store. (65536)'], ['EnforcementStatus', 'NotApplicable'],
    ['PolicyStoreSource', 'PersistentStore'], ['PolicyStoreSourceType', 'Local'],
  ];
}

/** `Get-VMNetworkAdapter -ManagementOS`: the host's vNICs, one per vSwitch that gives the host one. */
export function managementOsAdapters(host: Host): PsObject[] {
  const table = [col('Name'), col('IsManagementOs'), col('VMName'), col('SwitchName'), col('MacAddress'), col('Status'), col('IPAddresses')];
  return host.vswitches.filter((s) => s.hostVnic).map((s) => ({
    props: [['Name', s.name], ['IsManagementOs', true], ['VMName', ''], ['SwitchName', s.name], ['MacAddress', s.hostVnic!.mac.replace(/-/g, '')], ['Status', ['Ok']], ['IPAddresses', []]] as [string, PsValue][],
    table,
    partial: 'VMNetworkAdapter',
    enums: ['Status'],
  }));
}

// ---- netsh int ipv4: excluded port ranges, dynamic port range ------------------------------------

/** Windows' default dynamic port range since Vista/2008 (KB929851; a clean host's `show dynamicport`). */
const DEFAULT_DYNAMIC = { start: 49152, num: 16384 };

function excluded(host: Host): NonNullable<Host['excludedPorts']> {
  host.excludedPorts ??= [];
  return host.excludedPorts;
}

/** The excluded range holding a port, if any. */
export function excludedRangeOf(host: Host, protocol: 'tcp' | 'udp', port: number): { start: number; end: number } | undefined {
  return (host.excludedPorts ?? []).find((r) => r.protocol === protocol && port >= r.start && port <= r.end);
}

const NETSH_IN_USE = 'The process cannot access the file because it is being used by another process.';

/** `netsh int[erface] ipv4 show|add|delete excludedportrange ...`, `show|set dynamicport ...`. */
export function netshInterface(host: Host, cmd: ToolCommand): string {
  const a = cmd.args.map((w) => w.value.toLowerCase());
  const flag = (n: string) => {
    const f = cmd.flags.find((x) => x.name === n);
    return f && f.value !== true ? f.value : undefined;
  };
  if (a[1] !== 'ipv4' && a[1] !== 'ip') fail(`netsh interface ${a[1] ?? ''}: Packet Path simulates netsh interface ipv4 excludedportrange and dynamicport only.`);
  const verb = a[2];
  const what = a[3] ?? '';
  const protocolOf = (pos: number): 'tcp' | 'udp' => {
    const p = (flag('protocol') ?? a[pos] ?? '').toLowerCase();
    if (p !== 'tcp' && p !== 'udp') fail(`The syntax supplied for this command is not valid. Check help for the correct syntax.\n\nUsage: ${verb} ${what} [protocol=]tcp|udp`);
    return p;
  };
  const num = (v: string | undefined, name: string, min: number, max: number): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) fail(`The parameter is incorrect.\n(${name}=${v ?? ''}: ${min}-${max})`);
    return Number(v);
  };
  if (/^excludedportrange$/.test(what)) {
    if (verb === 'show') {
      const protocol = protocolOf(4);
      const rows = excluded(host).filter((r) => r.protocol === protocol).sort((x, y) => x.start - y.start);
      return ['', `Protocol ${protocol} Port Exclusion Ranges`, '', 'Start Port    End Port', '----------    --------',
        ...rows.map((r) => `${String(r.start).padStart(10)}  ${String(r.end).padStart(10)}${r.administered ? '     *' : ''}`),
        '', '* - Administered port exclusions.', ''].join('\n');
    }
    if (verb === 'add' || verb === 'delete') {
      const protocol = protocolOf(4);
      const start = num(flag('startport') ?? a[5], 'startport', 1, 65535);
      const count = num(flag('numberofports') ?? a[6], 'numberofports', 1, 65536 - start);
      const end = start + count - 1;
      const list = excluded(host);
      if (verb === 'add') {
        // A port a process holds, or one already excluded, cannot be excluded (BigFix forum, netsh's own text).
        if (host.listeners.some((l) => l.protocol === protocol && l.port >= start && l.port <= end) || list.some((r) => r.protocol === protocol && r.start <= end && start <= r.end))
          fail(NETSH_IN_USE);
        list.push({ protocol, start, end, administered: true });
        return 'Ok.';
      }
      const i = list.findIndex((r) => r.protocol === protocol && r.start === start && r.end === end);
      if (i < 0) fail('Element not found.');
      list.splice(i, 1);
      return 'Ok.';
    }
  }
  if (/^dynamic(port)?$/.test(what)) {
    const protocol = protocolOf(4);
    host.dynamicPorts ??= { tcp: { ...DEFAULT_DYNAMIC }, udp: { ...DEFAULT_DYNAMIC } };
    if (verb === 'show') {
      const d = host.dynamicPorts[protocol];
      return ['', `Protocol ${protocol} Dynamic Port Range`, '---------------------------------', `Start Port      : ${d.start}`, `Number of Ports : ${d.num}`, ''].join('\n');
    }
    if (verb === 'set') {
      const start = num(flag('start') ?? flag('startport'), 'start', 1025, 65535);
      const n = num(flag('num') ?? flag('numberofports'), 'num', 255, 65536 - start);
      host.dynamicPorts[protocol] = { start, num: n };
      return 'Ok.';
    }
  }
  return fail(`netsh interface ipv4 ${verb ?? ''} ${what}: Packet Path simulates show|add|delete excludedportrange and show|set dynamicport only.`);
}

export { rec };

// ---- what only the data planes know ---------------------------------------------------------------

/**
 * A diagnostic whose values are what a data plane holds (its routes, the neighbours it learned,
 * the VFP rules it runs): the model validates the command and src/sim/diagnostics.ts answers it from
 * the plane contents, the same data the data plane was loaded with.
 */
export interface ViewRequest {
  kind: 'route-print' | 'get-netroute' | 'arp' | 'get-netneighbor' | 'netstat' | 'vfp-ports' | 'vfp-layers' | 'vfp-groups' | 'vfp-rules';
  host: string;
  /** A container's compartment (its routing domain); absent = the host stack. */
  compartment?: number;
  /** The container's name, for messages. */
  container?: string;
  /** netstat's switches (`-ano`). */
  tool?: ToolCommand;
  /** vfpctrl's `/port`, `/layer`, `/group`. */
  port?: string;
  layer?: string;
  group?: string;
  /** Cmdlet parameters (Get-NetRoute -AddressFamily ...) and the pipeline stages after it. */
  params?: Record<string, string>;
  stages?: import('../script/ast.js').Cmdlet[];
  line: number;
}

/** `vfpctrl /list-vmswitch-port`, `/port P /list-layer`, `/port P /layer L /list-group`, `/port P /layer L /group G /list-rule`. */
export function vfpctrlRequest(host: Host, cmd: ToolCommand): ViewRequest {
  const ws = cmd.words.map((w) => w.value);
  const opt = (name: string): string | undefined => {
    const i = ws.findIndex((w) => w.toLowerCase() === `/${name}`);
    return i >= 0 ? ws[i + 1] : undefined;
  };
  const has = (name: string) => ws.some((w) => w.toLowerCase() === `/${name}`);
  const base = { host: host.name, line: cmd.line };
  if (has('list-vmswitch-port')) return { kind: 'vfp-ports', ...base };
  const port = opt('port');
  if (!port) fail('ERROR: Packet Path simulates vfpctrl /list-vmswitch-port, /port P /list-layer, /port P /layer L /list-group and /port P /layer L /group G /list-rule.');
  if (has('list-layer')) return { kind: 'vfp-layers', ...base, port };
  const layer = opt('layer');
  if (has('list-group') && layer) return { kind: 'vfp-groups', ...base, port, layer };
  const group = opt('group');
  if (has('list-rule') && layer && group) return { kind: 'vfp-rules', ...base, port, layer, group };
  return fail('ERROR: Packet Path simulates vfpctrl /list-vmswitch-port, /port P /list-layer, /port P /layer L /list-group and /port P /layer L /group G /list-rule.');
}

/** `route print [-4]` and `arp -a` on the host or in a container. */
export function routeOrArpRequest(host: Host, cmd: ToolCommand, where: { compartment: number; container: string } | undefined): ViewRequest {
  const words = cmd.words.map((w) => w.value.toLowerCase());
  const base = { host: host.name, line: cmd.line, ...(where ?? {}) };
  if (cmd.tool === 'route') {
    if (words[0] !== 'print' && !words.includes('print'))
      fail(words.length ? `route ${words[0]}: Packet Path simulates route print only (routes come from HNS and the host's addresses).` : 'route: Packet Path simulates route print only.');
    return { kind: 'route-print', ...base };
  }
  if (!words.some((w) => w === '-a' || w === '/a' || w === '-g' || w === '/g'))
    fail('arp: Packet Path simulates arp -a only.');
  return { kind: 'arp', ...base };
}

/** `Resolve-DnsName [-Name] NAME [-Server S] [-Type A]`: the query nslookup makes, answered in the cmdlet's table. */
export function resolveDnsNameRequest(source: import('./traffic.js').TrafficSource, p: Params, pos: string[], line: number): import('./traffic.js').TrafficRequest {
  const name = p.name ?? pos[0];
  if (!name) fail("Resolve-DnsName : Cannot validate argument on parameter 'Name'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.");
  const type = p.type ?? pos[1];
  if (type && !/^a$/i.test(type)) fail(`Resolve-DnsName : Packet Path resolves A records only (the simulated DNS servers hold no ${type.toUpperCase()} records)`);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) fail('Resolve-DnsName : Packet Path does not simulate reverse (PTR) lookups');
  const server = p.server;
  return { tool: 'resolve-dnsname', source, target: name, protocol: 'udp', port: 53, ...(server ? { server } : {}), line };
}

/**
 * `Invoke-WebRequest [-Uri] URL [-UseBasicParsing]`: the request curl makes; Windows PowerShell
 * prepends `http://` to a URL without a scheme. Its response object goes through the stages after it.
 */
export function invokeWebRequestRequest(
  source: import('./traffic.js').TrafficSource, p: Params, pos: string[], line: number, stages: import('../script/ast.js').Cmdlet[], inContainer: boolean,
): import('./traffic.js').TrafficRequest {
  const uri = p.uri ?? pos[0];
  if (!uri) fail("Invoke-WebRequest : Cannot validate argument on parameter 'Uri'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.");
  const url = /^[a-z]+:\/\//i.test(uri) ? uri : `http://${uri}`;
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)?/i.exec(url);
  if (!m || !m[2]) fail(`Invoke-WebRequest : The URI prefix is not recognized.`);
  const scheme = m[1]!.toLowerCase() as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) fail('Invoke-WebRequest : Invalid URI: Invalid port specified.');
  const method = (p.method ?? 'GET').toUpperCase();
  return {
    tool: 'curl', source, target: m[2], url, protocol: 'tcp', port,
    http: { method, path: m[4] || '/', scheme, show: 'body' },
    iwr: { basicParsing: p.usebasicparsing === 'True', inContainer, stages },
    line,
  };
}
