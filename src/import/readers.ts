/**
 * One reader per output kind: each takes a block and adds what it says to the host's facts, and
 * returns the source kind it recognised (for `sources[]`).
 */
import type { Block } from './blocks.js';
import { parseIpconfig, parseList, parseTable, psObjects, ipconfigIp, readJson, type ListRecord, type TableRow } from './text.js';
import {
  RANK, type HostFacts, type NetworkFact, attach, container, holderOf, mac, maskLen, network, prefix, put,
} from './facts.js';
import type { OsName } from '../model/os.js';

export type SourceKind =
  | 'docker network ls' | 'docker network inspect' | 'docker inspect' | 'Get-HnsNetwork' | 'Get-HnsEndpoint'
  | 'ipconfig /all' | 'Get-NetNat' | 'Get-VMSwitch' | 'Get-NetAdapter' | 'OS version';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
};
/** A field read case-insensitively (HNS JSON and PowerShell spell some names differently across builds). */
function field(o: Obj, ...names: string[]): unknown {
  for (const n of names) {
    if (n in o) return o[n];
    const k = Object.keys(o).find((x) => x.toLowerCase() === n.toLowerCase());
    if (k) return o[k];
  }
  return undefined;
}

/** The block's place in the pasted text, for messages. */
export function where(b: Block, inputs: number): string {
  return `${inputs > 1 ? `text ${b.input + 1}, ` : ''}line ${b.line}${b.command ? ` (\`${b.command}\`)` : ''}`;
}

/** Reads one block; returns the kinds it held (empty when none was recognised). */
export function readBlock(f: HostFacts, b: Block, at: string): SourceKind[] {
  switch (b.kind) {
    case 'docker-network-ls': return readNetworkLs(f, b.text);
    case 'json': return readJsonBlock(f, b, at);
    case 'ipconfig': return readIpconfig(f, b.text);
    case 'list': return readListBlock(f, b);
    case 'table': return readTableBlock(f, b);
    case 'hnsdiag':
      f.unmapped.push(`${at}: hnsdiag output is not read (no real hnsdiag output was available to build its reader from); paste Get-HnsNetwork | ConvertTo-Json -Depth 10 and Get-HnsEndpoint | ConvertTo-Json instead`);
      return [];
    default: return [];
  }
}

function readNetworkLs(f: HostFacts, text: string): SourceKind[] {
  for (const line of text.split('\n').slice(1)) {
    const m = /^([0-9a-z]{12,64})\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line.trim());
    if (!m) continue;
    const n = network(f, { dockerId: m[1]!, name: m[2]! });
    n.docker = true;
    put(n, 'driver', m[3]!.toLowerCase(), RANK.listing);
    put(n, 'scope', m[4]!, RANK.listing);
  }
  return ['docker network ls'];
}

function readJsonBlock(f: HostFacts, b: Block, at: string): SourceKind[] {
  let text = b.text.trim();
  // A fragment pasted without its outer braces: `"Networks": { ... }`.
  if (/^"[\w.]+"\s*:/.test(text)) text = `{${text.replace(/,\s*$/, '')}}`;
  const read = readJson(text);
  if (!read) {
    f.unmapped.push(`${at}: JSON that could not be read (not valid JSON, and not a cut-off paste)`);
    return [];
  }
  if (read.mended) f.unmapped.push(`${at}: the JSON was mended before reading: ${read.mended}`);
  // HNS wraps answers in {"Output": ..., "Success": true}.
  let v = read.value;
  if (isObj(v) && 'Output' in v && 'Success' in v) v = v.Output;
  const items = Array.isArray(v) ? v : [v];
  const kinds = new Set<SourceKind>();
  for (const item of items) {
    if (!isObj(item)) continue;
    const k = readJsonObject(f, item, at);
    if (k) kinds.add(k);
    else f.unmapped.push(`${at}: a JSON object of an unknown kind (keys ${Object.keys(item).slice(0, 5).join(', ')}) was not read`);
  }
  return [...kinds];
}

function readJsonObject(f: HostFacts, o: Obj, at: string): SourceKind | null {
  if ('NetworkSettings' in o || ('State' in o && 'HostConfig' in o)) return readDockerContainer(f, o);
  if ('IPAM' in o && 'Driver' in o) return readDockerNetwork(f, o, at);
  if (isObj(o.Networks) && Object.values(o.Networks).every((x) => isObj(x) && ('IPAddress' in x || 'NetworkID' in x))) {
    // `"Networks": {...}` of a docker inspect pasted alone: no container name to rebuild it under.
    f.unmapped.push(`${at}: the NetworkSettings.Networks part of a docker inspect without the container's name is not read`);
    return 'docker inspect';
  }
  if (('VirtualNetwork' in o || 'VirtualNetworkName' in o) && ('IPAddress' in o || 'MacAddress' in o)) return readHnsEndpoint(f, o);
  if ('Type' in o && ('Subnets' in o || 'MacPools' in o || 'ManagementIP' in o)) return readHnsNetwork(f, o, RANK.hnsJson);
  return null;
}

function readDockerNetwork(f: HostFacts, o: Obj, at: string): SourceKind {
  const opts = isObj(o.Options) ? Object.fromEntries(Object.entries(o.Options).map(([k, v]) => [k, String(v)])) : {};
  const n = network(f, { name: str(o.Name), dockerId: str(o.Id), hnsId: opts['com.docker.network.windowsshim.hnsid'] });
  n.docker = true;
  n.inspected = true;
  put(n, 'driver', str(o.Driver)?.toLowerCase(), RANK.docker);
  put(n, 'scope', str(o.Scope), RANK.docker);
  const ipam = isObj(o.IPAM) ? o.IPAM : {};
  const configs = Array.isArray(ipam.Config) ? ipam.Config.filter(isObj) : [];
  if (configs.length > 1) f.unmapped.push(`${at}: network ${n.name} has ${configs.length} subnets; the first is rebuilt`);
  const c = configs[0];
  if (c && prefix(c.Subnet)) {
    put(n, 'subnet', prefix(c.Subnet), RANK.docker);
    put(n, 'gateway', str(c.Gateway), RANK.docker);
  } else if (n.driver === 'transparent') {
    // Docker says no subnet (0.0.0.0/0, or none): DHCP, whatever HNS shows of the LAN.
    n.rank.subnet = RANK.docker;
    n.rank.gateway = RANK.docker;
  }
  for (const [k, v] of Object.entries(opts)) if (k !== 'com.docker.network.windowsshim.hnsid') n.options[k] = v;
  put(n, 'hnsName', opts['com.docker.network.windowsshim.networkname'], RANK.docker);
  put(n, 'vlan', num(opts['com.docker.network.windowsshim.vlanid']), RANK.docker);
  put(n, 'vsid', num(opts['com.docker.network.windowsshim.vsid']), RANK.docker);
  put(n, 'vni', num(opts['com.docker.network.driver.overlay.vxlanid_list']), RANK.docker);
  put(n, 'adapter', opts['com.docker.network.windowsshim.interface'], RANK.docker);
  if (o.Internal === true) f.unmapped.push(`${at}: network ${n.name} is --internal, which has no effect on Windows (SPEC §3); rebuilt without it`);
  if (isObj(o.Containers)) {
    for (const [id, v] of Object.entries(o.Containers)) {
      if (!isObj(v) || /^ep-/.test(id)) continue;
      const ct = container(f, { id, name: str(v.Name) });
      const ip = str(v.IPv4Address)?.split('/')[0];
      attach(f, ct, { network: n.name ?? n.dockerId!, ip, mac: mac(v.MacAddress) }, (x) => x.network === n.name || x.network === n.dockerId);
    }
  }
  return 'docker network inspect';
}

function readDockerContainer(f: HostFacts, o: Obj): SourceKind {
  const ct = container(f, { id: str(o.Id), name: str(o.Name) });
  const config = isObj(o.Config) ? o.Config : {};
  put(ct, 'image', str(config.Image), RANK.docker);
  const state = isObj(o.State) ? o.State : {};
  put(ct, 'state', str(state.Status), RANK.docker);
  const ns = isObj(o.NetworkSettings) ? o.NetworkSettings : {};
  if (isObj(ns.Networks)) {
    for (const [name, v] of Object.entries(ns.Networks)) {
      if (!isObj(v)) continue;
      const n = network(f, { name, dockerId: str(v.NetworkID) });
      n.docker = true;
      const cfg = isObj(v.IPAMConfig) ? v.IPAMConfig : {};
      attach(f, ct, { network: name, ip: str(v.IPAddress) ?? str(cfg.IPv4Address), mac: mac(v.MacAddress) }, (x) => x.network === name || x.network === n.dockerId);
    }
  }
  const host = isObj(o.HostConfig) ? o.HostConfig : {};
  const bindings = isObj(host.PortBindings) ? host.PortBindings : isObj(ns.Ports) ? ns.Ports : {};
  for (const [key, list] of Object.entries(bindings)) {
    const m = /^(\d+)\/(tcp|udp)$/.exec(key);
    if (!m || !Array.isArray(list)) continue;
    for (const bnd of list.filter(isObj)) {
      const hostPort = num(bnd.HostPort);
      if (hostPort && !ct.ports.some((p) => p.hostPort === hostPort && p.protocol === m[2]))
        ct.ports.push({ protocol: m[2] as 'tcp' | 'udp', hostPort, containerPort: Number(m[1]) });
    }
  }
  return 'docker inspect';
}

/** The HNS network's driver as Docker names it (HNS types are capitalised differently across builds). */
function driverOfHnsType(t: string): string {
  const x = t.toLowerCase();
  return x === 'ics' ? 'ics' : x;
}

function readHnsNetwork(f: HostFacts, o: Obj, rank: number): SourceKind {
  const name = str(field(o, 'Name'));
  const n = network(f, { hnsId: str(field(o, 'ID', 'Id')), hnsName: name });
  if (!n.name && name) n.name = name;
  put(n, 'hnsName', name, rank);
  // A list view cut before its Type field still shows NatName, which only a nat network has.
  const type = str(field(o, 'Type')) ?? (str(field(o, 'NatName')) ? 'nat' : undefined);
  if (type) put(n, 'driver', driverOfHnsType(type), rank);
  const subnets = field(o, 'Subnets');
  const first = Array.isArray(subnets) ? subnets.find(isObj) : undefined;
  if (first) {
    put(n, 'subnet', prefix(field(first, 'AddressPrefix')), rank);
    put(n, 'gateway', str(field(first, 'GatewayAddress')), rank);
    readHnsPolicies(n, field(first, 'Policies'), rank);
  }
  readHnsPolicies(n, field(o, 'Policies'), rank);
  put(n, 'adapter', str(field(o, 'NetworkAdapterName')), rank);
  return 'Get-HnsNetwork';
}

function readHnsPolicies(n: NetworkFact, policies: unknown, rank: number): void {
  if (!Array.isArray(policies)) return;
  for (const p of policies.filter(isObj)) {
    const type = str(field(p, 'Type'))?.toUpperCase();
    if (type === 'VLAN') put(n, 'vlan', num(field(p, 'VLAN')), rank);
    if (type === 'VSID') put(n, 'vsid', num(field(p, 'VSID')), rank);
  }
}

function readHnsEndpoint(f: HostFacts, o: Obj): SourceKind {
  const netRef = str(field(o, 'VirtualNetwork'));
  const netName = str(field(o, 'VirtualNetworkName'));
  const n = network(f, { hnsId: netRef, hnsName: netName });
  if (!n.name && netName) n.name = netName;
  const ip = str(field(o, 'IPAddress'));
  const m = mac(field(o, 'MacAddress'));
  const id = str(field(o, 'ID', 'Id'));
  const shared = field(o, 'SharedContainers');
  const cid = Array.isArray(shared) && typeof shared[0] === 'string' ? shared[0] : undefined;
  // The endpoint's prefix length and gateway give its network's subnet when nothing better did.
  const len = num(field(o, 'PrefixLength'));
  const gw = str(field(o, 'GatewayAddress'));
  if (gw && len !== undefined) {
    put(n, 'subnet', prefix(`${gw}/${len}`), RANK.listing);
    put(n, 'gateway', gw, RANK.listing);
  }
  const ref = n.name ?? n.hnsId ?? '';
  // The container that holds this address on this network, else one named after the endpoint.
  // Its container: the one with this address on this network, else the one with this MAC there and
  // no other address (a DHCP container docker inspect showed without one).
  const nets = [ref, n.dockerId ?? ''];
  const byMac = (net: string) => {
    const c = holderOf(f, net, m);
    const had = c?.attachments.find((a) => a.network === net && a.mac === m);
    return had && (!had.ip || had.ip === ip) ? c : undefined;
  };
  const holder = nets.map((net) => holderOf(f, net, ip)).find((c) => c) ?? nets.map(byMac).find((c) => c)
    ?? container(f, cid ? { id: cid } : { name: `ep-${(id ?? ip ?? 'x').slice(0, 8).toLowerCase()}` });
  attach(f, holder, { network: ref, ip, mac: m }, (x) => x.network === ref || x.network === n.dockerId);
  const policies = field(o, 'Policies');
  if (Array.isArray(policies)) {
    for (const p of policies.filter(isObj)) {
      if (str(field(p, 'Type'))?.toUpperCase() !== 'NAT') continue;
      const proto = num(field(p, 'Protocol')) === 17 || /udp/i.test(str(field(p, 'Protocol')) ?? '') ? 'udp' : 'tcp';
      const hostPort = num(field(p, 'ExternalPort'));
      const containerPort = num(field(p, 'InternalPort'));
      if (hostPort && containerPort && !holder.ports.some((x) => x.hostPort === hostPort && x.protocol === proto))
        holder.ports.push({ protocol: proto, hostPort, containerPort });
    }
  }
  return 'Get-HnsEndpoint';
}

function readIpconfig(f: HostFacts, text: string): SourceKind[] {
  const ic = parseIpconfig(text);
  if (ic.hostName) f.hostName ??= ic.hostName;
  for (const a of ic.adapters) {
    if (!/^(Ethernet|Wireless LAN) adapter$/.test(a.kind)) continue;
    const v = (k: string) => a.fields[k]?.[0];
    const ip = ipconfigIp(v('IPv4 Address') ?? v('IP Address') ?? v('Autoconfiguration IPv4 Address'));
    const len = maskLen(v('Subnet Mask'));
    const gw = (a.fields['Default Gateway'] ?? []).map((x) => ipconfigIp(x)).find((x) => x);
    const nic = nicFact(f, a.name);
    nic.virtual = /^vEthernet \(/.test(a.name) || /Hyper-V Virtual Ethernet Adapter/.test(v('Description') ?? '');
    if (v('Description') && (!nic.description || nic.description.endsWith('...'))) nic.description = v('Description');
    nic.mac ??= mac(v('Physical Address'));
    if (ip && len !== undefined && !/^169\.254\./.test(ip)) nic.ip = `${ip}/${len}`;
    if (gw) nic.gateway = gw;
    if (/disconnected/i.test(v('Media State') ?? '')) nic.disconnected = true;
  }
  return ['ipconfig /all'];
}

function nicFact(f: HostFacts, name: string) {
  let n = f.nics.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!n) {
    n = { name, virtual: /^vEthernet \(/.test(name) };
    f.nics.push(n);
  }
  return n;
}

/** Reads a list view; returns [] (said by the caller) when no record is of a kind Packet Path reads. */
function readListBlock(f: HostFacts, b: Block): SourceKind[] {
  const records = parseList(b.text);
  const kinds = new Set<SourceKind>();
  for (const r of records) {
    const k = readListRecord(f, r);
    if (k) kinds.add(k);
  }
  return [...kinds];
}

function readListRecord(f: HostFacts, r: ListRecord): SourceKind | null {
  if ('InternalIPInterfaceAddressPrefix' in r) {
    const p = r.InternalIPInterfaceAddressPrefix!;
    if (p && !f.natPrefixes.includes(p)) f.natPrefixes.push(p);
    return 'Get-NetNat';
  }
  if ('SwitchType' in r && 'Name' in r) {
    const s = switchFact(f, r.Name!);
    s.type = r.SwitchType || s.type;
    const descs = (r.NetAdapterInterfaceDescriptions ?? '').replace(/^\{|\}$/g, '').split(',').map((x) => x.trim()).filter(Boolean);
    if (descs.length) s.adapterDescriptions = descs;
    else if (r.NetAdapterInterfaceDescription) s.adapterDescriptions = [r.NetAdapterInterfaceDescription];
    return 'Get-VMSwitch';
  }
  if ('MacPools' in r || 'NatName' in r || ('Type' in r && 'Subnets' in r)) {
    // The list view shows a subnet's own policies only as System.Object[]: they stay unread.
    const o: Obj = { ...r, Subnets: psObjects(r.Subnets ?? '').map((s) => ({ ...s, Policies: [] })), Policies: psObjects(r.Policies ?? '') };
    return readHnsNetwork(f, o, RANK.hnsList);
  }
  if (('VirtualNetwork' in r || 'VirtualNetworkName' in r) && 'IPAddress' in r) {
    return readHnsEndpoint(f, { ...r, Policies: psObjects(r.Policies ?? '') });
  }
  if ('InterfaceDescription' in r && 'MacAddress' in r && 'Name' in r) {
    readAdapterRow(f, r);
    return 'Get-NetAdapter';
  }
  return null;
}

function switchFact(f: HostFacts, name: string) {
  let s = f.switches.find((x) => x.name === name);
  if (!s) {
    s = { name, adapterDescriptions: [] };
    f.switches.push(s);
  }
  return s;
}

function readAdapterRow(f: HostFacts, r: TableRow): void {
  const nic = nicFact(f, r.Name!);
  const d = r.InterfaceDescription ?? '';
  // A table cuts a long description with `...`; a full one (ipconfig, a list view) replaces it.
  if (d && (!nic.description || (nic.description.endsWith('...') && !d.endsWith('...')))) nic.description = d;
  nic.mac ??= mac(r.MacAddress);
  nic.virtual = nic.virtual || /Hyper-V Virtual Ethernet Adapter/.test(d);
  if (/disconnected|not present|disabled/i.test(r.Status ?? '')) nic.disconnected = true;
}

/** A Get-VMSwitch row: the last type word splits the name from the adapter description. */
const SWITCH_ROW = /^(.*\S)\s+(Internal|External|Private)(?:\s+(.*))?$/;

/** Reads a table view; returns [] (said by the caller) when it is not one Packet Path reads. */
function readTableBlock(f: HostFacts, b: Block): SourceKind[] {
  const { headers, rows } = parseTable(b.text);
  if (headers.includes('SwitchType') && headers.includes('Name')) {
    // The columns of a pasted table are often no longer aligned (a proportional font): the
    // switch type is the word Internal, External or Private, the name before it.
    for (const line of b.text.split('\n').slice(2)) {
      const t = line.replace(/\s+$/, '');
      // The description follows the type; a name may itself hold a type word ("... Internal Switch").
      const m = /^(.*?\S)\s+(External)\s{2,}(\S.*)$/.exec(t) ?? SWITCH_ROW.exec(t);
      if (!m) continue;
      const s = switchFact(f, m[1]!.trim());
      s.type = m[2]!;
      if (m[3]) s.adapterDescriptions = [m[3].trim()];
    }
    return ['Get-VMSwitch'];
  }
  if (headers.includes('InterfaceDescription') && headers.includes('MacAddress')) {
    for (const r of rows) if (r.Name) readAdapterRow(f, r);
    return ['Get-NetAdapter'];
  }
  return [];
}

/**
 * Windows builds → Packet Path's OS profiles (src/model/os.ts holds each profile's build; Microsoft's
 * release information pages list the same numbers). A Windows 10 build is told from a Server one by
 * the product name next to it.
 */
const BUILDS: { build: number; server: OsName; client: OsName }[] = [
  { build: 14393, server: 'ws2016', client: 'ws2016' },
  { build: 15063, server: 'win10-1703', client: 'win10-1703' },
  { build: 16299, server: 'ws1709', client: 'ws1709' },
  { build: 17134, server: 'win10-1803', client: 'win10-1803' },
  { build: 17763, server: 'ws2019', client: 'win10-1809' },
  { build: 20348, server: 'ws2022', client: 'ws2022' },
  { build: 26100, server: 'ws2025', client: 'ws2025' },
];

/** Finds the OS build a pasted text names (`docker info`, `ver`, `systeminfo`, `winver`). */
export function readOs(f: HostFacts, text: string): SourceKind[] {
  const re = /(?:Kernel Version:\s*10\.0 |OS Build[: ]\s*|\[Version 10\.0\.|OS Version:\s*10\.0\.|Build\s)(\d{5})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const build = Number(m[1]);
    const row = BUILDS.find((x) => x.build === build);
    const around = text.slice(Math.max(0, m.index - 200), m.index + 200);
    if (!row) {
      f.unmapped.push(`Windows build ${build} has no Packet Path profile; the nearest one is not guessed`);
      continue;
    }
    const client = /Windows 10|Windows 11/.test(around) && !/Server/.test(around);
    f.os ??= { name: client ? row.client : row.server, evidence: `build ${build}${client ? ' (Windows 10)' : ''}` };
    return ['OS version'];
  }
  return [];
}
