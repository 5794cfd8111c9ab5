/**
 * Diagnostics answered from what the data planes hold (src/model/diagnostics.ts `ViewRequest`):
 * `route print` and Get-NetRoute from a routing domain's routes, `arp -a` and Get-NetNeighbor from
 * its neighbours (those HNS programs and those ARP taught the plane), and vfpctrl from the ports and
 * VFP rule sets the plane was loaded with. Nothing here derives a second view of the model: the
 * plane's loaded contents (session.planeContents) and the fabric that numbered its ports are read.
 * Formats and their sources: docs/behaviour.md, "Diagnostics".
 */
import { broadcastOf, formatIp, formatMac, ipNum, maskOf } from '../addr.js';
import { CommandError } from '../model/errors.js';
import { interfaceMetric, netstatText, stackAdapters, type ViewRequest } from '../model/diagnostics.js';
import { containerServes } from './stations.js';
import { col, rec, runPipeline, type PsObject, type PsValue } from '../model/ps-pipeline.js';
import { formatCurlOk } from './outputs.js';
import type { Host, World } from '../model/types.js';
import type { AclRule } from '../table-images/acl-rules.js';
import { HOST_DOMAIN, type DomainDesc, type PortDesc } from './fabric.js';
import { NAT_VFP, aclEndpoint } from './numbering.js';
import type { PlaneNat } from './derive.js';
import type { SimSession } from './session.js';

function fail(message: string): never {
  throw new CommandError(message);
}

interface Iface {
  ifIndex: number;
  ip: number;
  len: number;
  mac: number;
  description: string;
  metric: number;
}

/** The domain's interfaces with the ifIndex, description and metric the stack gives them. */
function interfaces(sim: SimSession, world: World, host: Host, dom: DomainDesc, container: boolean): Iface[] {
  const c = container ? host.containers.find((x) => x.compartmentId === dom.id) : undefined;
  const adapters = stackAdapters(world, host, c);
  const ports = sim.fabric(host.name).ports;
  return dom.interfaces.map((i) => {
    const p = ports.find((x) => x.id === i.port);
    const a = adapters.find((x) => x.ip === formatIp(i.ip) && (!p?.endpoint || x.ifIndex === p.endpoint.ifIndex)) ?? adapters.find((x) => x.ip === formatIp(i.ip));
    return { ifIndex: a?.ifIndex ?? i.port, ip: i.ip, len: i.len, mac: i.mac, description: a?.description ?? i.name, metric: a ? interfaceMetric(host, a) : 5000 };
  });
}

function domainOf(sim: SimSession, v: ViewRequest): DomainDesc {
  const id = v.compartment ?? HOST_DOMAIN;
  const dom = sim.fabric(v.host).domains.find((d) => d.id === id);
  if (!dom) fail(v.container ? `${v.container}: the container has no network endpoint (its compartment has no routes)` : `${v.host}: the host stack has no addresses`);
  return dom;
}

interface RouteRow {
  dest: number;
  len: number;
  gateway: number;
  iface: Iface;
  routeMetric: number;
}

/** Active IPv4 routes as Windows lists them: the plane's routes plus the host, broadcast, loopback and multicast routes every stack adds. */
function routeRows(sim: SimSession, world: World, host: Host, v: ViewRequest): { rows: RouteRow[]; ifs: Iface[]; loopback: Iface } {
  const dom = domainOf(sim, v);
  const contents = sim.planeContents(v.host);
  const planeDom = contents?.domains.find((d) => d.id === dom.id);
  const ifs = interfaces(sim, world, host, dom, v.compartment !== undefined);
  const loopback: Iface = { ifIndex: 1, ip: 0x7f000001, len: 8, mac: 0, description: 'Software Loopback Interface 1', metric: interfaceMetric(host, 'loopback') };
  const byPort = new Map(dom.interfaces.map((i, k) => [i.port, ifs[k]!]));
  const rows: RouteRow[] = [];
  for (const r of planeDom?.routes ?? dom.routes) {
    const iface = byPort.get(r.port);
    if (!iface) continue;
    rows.push({ dest: r.prefix >>> 0, len: r.len, gateway: r.nextHop, iface, routeMetric: r.len === 0 ? r.metric : 256 });
  }
  for (const i of ifs) {
    if (i.len < 32) rows.push({ dest: i.ip >>> 0, len: 32, gateway: 0, iface: i, routeMetric: 256 });
    if (i.len < 31) rows.push({ dest: broadcastOf({ base: (i.ip & maskOf(i.len)) >>> 0, len: i.len }) >>> 0, len: 32, gateway: 0, iface: i, routeMetric: 256 });
  }
  rows.push({ dest: 0x7f000000, len: 8, gateway: 0, iface: loopback, routeMetric: 256 });
  rows.push({ dest: 0x7f000001, len: 32, gateway: 0, iface: loopback, routeMetric: 256 });
  rows.push({ dest: 0x7fffffff, len: 32, gateway: 0, iface: loopback, routeMetric: 256 });
  for (const i of [loopback, ...ifs]) rows.push({ dest: 0xe0000000, len: 4, gateway: 0, iface: i, routeMetric: 256 });
  for (const i of [loopback, ...ifs]) rows.push({ dest: 0xffffffff, len: 32, gateway: 0, iface: i, routeMetric: 256 });
  rows.sort((a, b) => a.dest - b.dest || b.len - a.len || a.iface.metric + a.routeMetric - (b.iface.metric + b.routeMetric));
  return { rows, ifs, loopback };
}

const macBytes = (mac: number): string => formatMac(mac).toLowerCase().replace(/-/g, ' ');

/** `route print`: the interface list, the IPv4 route table, the persistent routes. */
function routePrint(sim: SimSession, world: World, host: Host, v: ViewRequest): string {
  const { rows, ifs, loopback } = routeRows(sim, world, host, v);
  const bar = '='.repeat(75);
  const out = [bar, 'Interface List'];
  for (const i of [...ifs].sort((a, b) => b.ifIndex - a.ifIndex)) out.push(`${String(i.ifIndex).padStart(3)}...${macBytes(i.mac)} ......${i.description}`);
  out.push(`${String(loopback.ifIndex).padStart(3)}...........................${loopback.description}`);
  out.push(bar, '', 'IPv4 Route Table', bar, 'Active Routes:', 'Network Destination        Netmask          Gateway       Interface  Metric');
  for (const r of rows) {
    const gw = r.gateway ? formatIp(r.gateway).padStart(17) : 'On-link '.padStart(17);
    out.push(`${formatIp(r.dest).padStart(17)}${formatIp(maskOf(r.len) >>> 0).padStart(17)}${gw}${formatIp(r.iface.ip).padStart(17)}${String(r.routeMetric + r.iface.metric).padStart(7)}`);
  }
  out.push(bar, 'Persistent Routes:');
  const gw = v.compartment === undefined ? host.gateway : null;
  if (gw) out.push('  Network Address          Netmask  Gateway Address  Metric', `${'0.0.0.0'.padStart(17)}${'0.0.0.0'.padStart(17)}${gw.padStart(17)}  Default`);
  else out.push('  None');
  out.push('');
  return out.join('\n');
}

function getNetRoute(sim: SimSession, world: World, host: Host, v: ViewRequest): PsObject[] {
  const { rows } = routeRows(sim, world, host, v);
  const table = [col('ifIndex', 7), col('DestinationPrefix', 46), col('NextHop', 40), col('RouteMetric', 11, 'right'), col('ifMetric', 8), col('PolicyStore')];
  const p = v.params ?? {};
  if (p.addressfamily && !/^ipv4$/i.test(p.addressfamily)) return [];
  // Get-NetRoute lists the most specific routes first (sig-windows-tools #214).
  const sorted = [...rows].sort((a, b) => b.dest - a.dest || b.len - a.len);
  return sorted.map((r) => ({
    props: [['ifIndex', r.iface.ifIndex], ['DestinationPrefix', `${formatIp(r.dest)}/${r.len}`], ['NextHop', formatIp(r.gateway)], ['RouteMetric', r.routeMetric], ['ifMetric', r.iface.metric], ['PolicyStore', 'ActiveStore']],
    table,
    partial: 'MSFT_NetRoute',
    enums: ['PolicyStore'],
  }));
}

interface NeighborRow {
  iface: Iface;
  ip: number;
  mac: number;
  state: 'dynamic' | 'static';
}

/** The neighbours a domain holds: what HNS programmed (static) and what ARP taught the plane (dynamic), with the broadcast and multicast entries every stack keeps. */
function neighborRows(sim: SimSession, world: World, host: Host, v: ViewRequest): NeighborRow[] {
  const dom = domainOf(sim, v);
  const ifs = interfaces(sim, world, host, dom, v.compartment !== undefined);
  const loaded = sim.planeContents(v.host)?.domains.find((d) => d.id === dom.id)?.neighbors ?? [];
  const programmed = new Set((sim.plan(v.host).contents.domains.find((d) => d.id === dom.id)?.neighbors ?? []).map((n) => `${n.ip}/${n.mac}`));
  const rows: NeighborRow[] = [];
  for (const i of ifs) {
    const net = (i.ip & maskOf(i.len)) >>> 0;
    for (const n of loaded) {
      if (((n.ip & maskOf(i.len)) >>> 0) !== net || n.ip === i.ip) continue;
      rows.push({ iface: i, ip: n.ip >>> 0, mac: n.mac, state: programmed.has(`${n.ip}/${n.mac}`) ? 'static' : 'dynamic' });
    }
    rows.push({ iface: i, ip: broadcastOf({ base: net, len: i.len }) >>> 0, mac: 0xffffffffffff, state: 'static' });
    rows.push({ iface: i, ip: 0xe0000016, mac: 0x01005e000016, state: 'static' });
  }
  return rows;
}

/** `arp -a`: one block per interface, `Interface: IP --- 0xN`. */
function arp(sim: SimSession, world: World, host: Host, v: ViewRequest): string {
  const rows = neighborRows(sim, world, host, v);
  const out: string[] = [];
  const seen = new Set<Iface>();
  for (const r of rows) {
    if (!seen.has(r.iface)) {
      seen.add(r.iface);
      out.push('', `Interface: ${formatIp(r.iface.ip)} --- 0x${r.iface.ifIndex.toString(16)}`, '  Internet Address      Physical Address      Type');
    }
    out.push(`  ${formatIp(r.ip).padEnd(22)}${formatMac(r.mac).toLowerCase().padEnd(22)}${r.state}`.replace(/\s+$/, ''));
  }
  if (!out.length) return 'No ARP Entries Found.';
  out.push('');
  return out.join('\n');
}

// ---- vfpctrl ---------------------------------------------------------------------------------------

/** A stable GUID for a VFP port (its `Port name`). */
function portGuid(host: Host, p: PortDesc): string {
  let h = 0x811c9dc5;
  const s = `${host.name}/vfp/${p.name}/${p.mac}`;
  const hex: string[] = [];
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ k, 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const a = hex.join('').toUpperCase();
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-${a.slice(12, 16)}-${a.slice(16, 20)}-${a.slice(20, 32)}`;
}

/** The ports of the vSwitches whose VFP extension is enabled (l2bridge, overlay, l2tunnel networks). */
function vfpPorts(sim: SimSession, host: Host): PortDesc[] {
  const fab = sim.fabric(host.name);
  const vfpSwitches = new Set(fab.vswitches.filter((vs) => vs.networks.some((n) => n.driver === 'l2bridge' || n.driver === 'overlay' || n.driver === 'l2tunnel')).map((vs) => vs.id));
  return fab.ports.filter((p) => vfpSwitches.has(p.vswitch));
}

function friendlyName(host: Host, p: PortDesc): string {
  if (p.kind === 'external') return 'ExternalPort';
  if (p.kind === 'vnic') return `Container NIC ${portGuid(host, p).slice(0, 8).toLowerCase()}`;
  return p.endpoint!.hnsId.toUpperCase();
}

function listPorts(sim: SimSession, host: Host): string {
  const fab = sim.fabric(host.name);
  const out = ['', 'ITEM LIST', '==========='];
  for (const p of vfpPorts(sim, host)) {
    const vs = fab.vswitches.find((x) => x.id === p.vswitch)!;
    const row = (k: string, v: string | number) => out.push(`  ${k.padEnd(22)}: ${v}`);
    out.push('');
    row('Port name', portGuid(host, p));
    row('Port Friendly name', friendlyName(host, p));
    row('Switch name', vs.model.id.toUpperCase());
    row('Switch Friendly name', vs.model.name);
    row('PortId', p.id);
    row('VMQ Weight', 100);
    row('VMQ Usage', 0);
    row('SR-IOV Weight', 0);
    row('SR-IOV Usage', 0);
    row('Port type', p.kind === 'external' ? 'External' : p.kind === 'vnic' ? 'Internal' : 'Synthetic');
    out.push('  Port is Enabled', '  MAC Learning is Disabled');
    row('NIC name', p.kind === 'endpoint' ? p.endpoint!.hnsId.toUpperCase() : p.kind === 'external' ? (p.nic ?? '') : portGuid(host, p));
    row('MTU', 1500);
    row('MAC address', formatMac(p.mac).replace(/-/g, ''));
    out.push('  NIC is Connected');
  }
  out.push('', 'Command list-vmswitch-port succeeded!', '');
  return out.join('\n');
}

function findPort(sim: SimSession, host: Host, name: string): PortDesc {
  const p = vfpPorts(sim, host).find((x) => portGuid(host, x).toLowerCase() === name.replace(/[{}]/g, '').toLowerCase());
  if (!p) fail(`ERROR: failed to execute command: Element not found.\n(port ${name} is not a VFP port of ${host.name}: vfpctrl /list-vmswitch-port lists them)`);
  return p;
}

const ACL_LAYER = 'ACL_ENDPOINT_LAYER';
const NAT_LAYER = 'SLB_NAT_LAYER';

function aclRules(sim: SimSession, host: Host, p: PortDesc): AclRule[] {
  const acl = sim.planeContents(host.name)?.acl.find((a) => a.id === aclEndpoint(p.id));
  return [...(acl?.set.rules ?? [])];
}

/** The VFP outbound NAT the plane runs for an endpoint port's address, if any. */
function outboundNat(sim: SimSession, host: Host, p: PortDesc): PlaneNat | undefined {
  if (p.kind !== 'endpoint') return undefined;
  const nat = sim.planeContents(host.name)?.nat.find((n) => n.id === NAT_VFP);
  const ip = ipNum(p.endpoint!.ip);
  return nat && nat.internal.some((i) => i.len === 32 && i.base >>> 0 === ip >>> 0) ? nat : undefined;
}

interface VfpLayerDesc {
  layer: string;
  priority: number;
  groups: string[];
}

/** The layers Packet Path programs on a port: the endpoint ACLs, and the outbound NAT where the endpoint has it. */
function layersOf(sim: SimSession, host: Host, p: PortDesc): VfpLayerDesc[] {
  if (p.kind !== 'endpoint') return [];
  const out: VfpLayerDesc[] = [{ layer: ACL_LAYER, priority: 14, groups: ['ACL_ENDPOINT_GROUP_IPV4_IN', 'ACL_ENDPOINT_GROUP_IPV4_OUT'] }];
  if (outboundNat(sim, host, p)) out.push({ layer: NAT_LAYER, priority: 10, groups: ['SLB_GROUP_NAT_IPv4_IN', 'SLB_GROUP_NAT_IPv4_OUT'] });
  return out.sort((x, y) => x.priority - y.priority);
}

function layerOf(sim: SimSession, host: Host, p: PortDesc, layer: string): VfpLayerDesc {
  const l = layersOf(sim, host, p).find((x) => x.layer.toLowerCase() === layer.toLowerCase());
  if (!l) fail(`ERROR: failed to execute command: Element not found.\n(layer ${layer}: vfpctrl /port ... /list-layer lists the layers Packet Path programs on this port)`);
  return l;
}

function listLayers(sim: SimSession, host: Host, p: PortDesc): string {
  const out = ['', 'ITEM LIST', '==========='];
  for (const l of layersOf(sim, host, p)) out.push('', `  Layer : ${l.layer}`, `    Friendly name : ${l.layer}`, '    Flags : 0x1 - Stateful', `    Priority : ${l.priority}`);
  out.push('', 'Command list-layer succeeded!', '');
  return out.join('\n');
}

function listGroups(sim: SimSession, host: Host, p: PortDesc, layer: string): string {
  const l = layerOf(sim, host, p, layer);
  const out = ['', 'ITEM LIST', '==========='];
  l.groups.forEach((g, k) => {
    out.push('', `  Group : ${g}`, `    Friendly name : ${g}`, `    Direction : ${/_IN$/i.test(g) ? 'IN' : 'OUT'}`, `    Priority : ${k}`, '    Type : IPv4', '    Conditions:', '      <none>', '    Match type : Priority-based match');
  });
  out.push('', 'Command list-group succeeded!', '');
  return out.join('\n');
}

function ports(r: readonly { lo: number; hi: number }[]): string {
  return r.map((x) => (x.lo === x.hi ? String(x.lo) : `${x.lo}-${x.hi}`)).join(',');
}

const prefixes = (list: readonly { base: number; len: number }[]) => list.map((x) => (x.len === 32 ? formatIp(x.base >>> 0) : `${formatIp(x.base >>> 0)}/${x.len}`)).join(',');

function ruleBlock(out: string[], name: string, priority: number, type: string, conds: string[], data: string[] = []): void {
  out.push('', `  Rule : ${name}`, `    Friendly name : ${name}`, `    Priority : ${priority}`, '    Flags : 1 terminating', `    Type : ${type}`, '    Conditions:');
  out.push(...(conds.length ? conds.map((c) => `      ${c}`) : ['      <none>']));
  out.push('    Flow TTL: 240');
  if (data.length) out.push('    Rule Data:', ...data.map((d) => `      ${d}`));
  out.push('    FlagsEx : 0');
}

function listRules(sim: SimSession, host: Host, p: PortDesc, layer: string, group: string): string {
  const l = layerOf(sim, host, p, layer);
  const g = l.groups.find((x) => x.toLowerCase() === group.toLowerCase()) ?? '';
  if (!g) fail(`ERROR: failed to execute command: Element not found.\n(group ${group} of layer ${l.layer}: vfpctrl /port ... /layer ${l.layer} /list-group lists them)`);
  const dir = /_IN$/i.test(g) ? 'in' : 'out';
  const out = ['', 'ITEM LIST', '==========='];
  if (l.layer === ACL_LAYER) {
    const rules = aclRules(sim, host, p).filter((r) => r.direction === dir || r.direction === 'both').sort((a, b) => a.priority - b.priority);
    for (const r of rules) {
      const conds: string[] = [];
      if (r.protocol !== 'any') conds.push(`Protocols : ${Array.isArray(r.protocol) ? r.protocol.join(',') : r.protocol}`);
      // The endpoint is the destination of inbound packets and the source of outbound ones.
      const [srcIp, dstIp, srcPorts, dstPorts] = dir === 'in' ? [r.remote, r.local, r.remotePorts, r.localPorts] : [r.local, r.remote, r.localPorts, r.remotePorts];
      if (srcIp.length) conds.push(`Source IP : ${prefixes(srcIp)}`);
      if (dstIp.length) conds.push(`Destination IP : ${prefixes(dstIp)}`);
      if (srcPorts.length) conds.push(`Source ports : ${ports(srcPorts)}`);
      if (dstPorts.length) conds.push(`Destination ports : ${ports(dstPorts)}`);
      ruleBlock(out, r.id, r.priority, r.action === 'allow' ? 'allow' : 'block', conds);
    }
  } else {
    // SLB_NAT_LAYER: outbound, destinations in the exceptions pass untranslated, the rest leave from
    // the host's address; inbound, the replies of translated flows come back (the flow state).
    const nat = outboundNat(sim, host, p)!;
    if (dir === 'out') {
      nat.exceptions.forEach((e, k) => ruleBlock(out, `OUTBOUND_NAT_EXCEPTION_${k}`, 100 + k, 'allow', [`Destination IP : ${prefixes([e])}`]));
      ruleBlock(out, 'OUTBOUND_NAT', 1000, 'nat', [`Source IP : ${p.endpoint!.ip}`, ...(nat.translateIcmp ? [] : ['Protocols : 6,17'])], [`Source NAT to ${formatIp(nat.externalIp >>> 0)} ports ${nat.pool.first}-${nat.pool.last}`]);
    }
  }
  out.push('', 'Command list-rule succeeded!', '');
  return out.join('\n');
}

/** Answers a diagnostic from the planes; a CommandError carries the tool's own failure. */
export function renderView(sim: SimSession, world: World, v: ViewRequest): string {
  const host = world.hosts.find((h) => h.name === v.host);
  if (!host) fail(`no host ${v.host}`);
  switch (v.kind) {
    case 'route-print':
      return routePrint(sim, world, host, v);
    case 'get-netroute':
      return runPipeline(getNetRoute(sim, world, host, v), v.stages ?? []);
    case 'arp':
      return arp(sim, world, host, v);
    case 'get-netneighbor': {
      const table = [col('ifIndex', 7), col('IPAddress', 39), col('LinkLayerAddress', 19), col('State', 11), col('PolicyStore')];
      const objs: PsObject[] = neighborRows(sim, world, host, v).map((r) => ({
        props: [['ifIndex', r.iface.ifIndex], ['IPAddress', formatIp(r.ip)], ['LinkLayerAddress', formatMac(r.mac).toUpperCase()], ['State', r.state === 'dynamic' ? 'Reachable' : 'Permanent'], ['PolicyStore', 'ActiveStore']],
        table,
        partial: 'MSFT_NetNeighbor',
        enums: ['State', 'PolicyStore'],
      }));
      return runPipeline(objs, v.stages ?? []);
    }
    case 'netstat': {
      // What the container's process listens on, as its station answers: IIS through http.sys (PID 4, System).
      const c = host.containers.find((x) => x.compartmentId === v.compartment);
      const { ports, web } = containerServes(c);
      const sockets = new Map<string, { protocol: 'tcp' | 'udp'; port: number; pid: number }>();
      const server = (c?.image ?? '').toLowerCase();
      const pid = /iis|aspnet/.test(server) ? 4 : 1000 + ((c?.compartmentId ?? 0) % 1000) * 4;
      if (web) sockets.set('tcp/80', { protocol: 'tcp', port: 80, pid });
      for (const k of ports) {
        const m = /^(tcp|udp)\/(\d+)$|^(\d+)\/(tcp|udp)$/i.exec(k);
        if (!m) continue;
        const protocol = (m[1] ?? m[4])!.toLowerCase() as 'tcp' | 'udp';
        const port = Number(m[2] ?? m[3]);
        sockets.set(`${protocol}/${port}`, { protocol, port, pid });
      }
      return netstatText(v.tool!, [...sockets.values()]);
    }
    case 'vfp-ports':
      return listPorts(sim, host);
    case 'vfp-layers':
      return listLayers(sim, host, findPort(sim, host, v.port!));
    case 'vfp-groups':
      return listGroups(sim, host, findPort(sim, host, v.port!), v.layer!);
    case 'vfp-rules':
      return listRules(sim, host, findPort(sim, host, v.port!), v.layer!, v.group!);
  }
}


/**
 * Resolve-DnsName's table for A records: `Name` (46), `Type` (6), `TTL` (5), `Section` (10),
 * `IPAddress`. The TTL is libnetwork's `respTTL` (600), what Docker's embedded DNS answers with;
 * the simulation's LAN and internet resolvers answer with the same.
 */
export function formatResolveDnsName(name: string, answers: string[]): string {
  const rows = answers.map((a) => `${name.padEnd(46)} ${'A'.padEnd(6)} ${'600'.padEnd(5)} ${'Answer'.padEnd(10)} ${a}`);
  return ['', `${'Name'.padEnd(46)} ${'Type'.padEnd(6)} ${'TTL'.padEnd(5)} ${'Section'.padEnd(10)} IPAddress`, `${'----'.padEnd(46)} ${'----'.padEnd(6)} ${'---'.padEnd(5)} ${'-------'.padEnd(10)} ---------`, ...rows, ''].join('\n');
}

/**
 * Invoke-WebRequest's answer. Without -UseBasicParsing Windows PowerShell parses the page with
 * Internet Explorer's engine, which container images do not have: the request fails with its
 * NotSupportedException (microsoft/Windows-Containers #344, artisticcheese #4). The response
 * object's list view truncates Content and RawContent after 200 characters and Headers after four
 * entries, with `...` (pasted outputs); its properties go through the pipeline stages after it.
 */
export function invokeWebRequestOutput(server: string, iwr: NonNullable<import('../model/traffic.js').TrafficRequest['iwr']>): string {
  if (!iwr.basicParsing && iwr.inContainer)
    throw new CommandError("Invoke-WebRequest : The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer's first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.");
  const head = formatCurlOk(server, 'head').split('\n').filter(Boolean);
  const body = formatCurlOk(server, 'body').replace(/\n/g, '\r\n');
  const headers = head.slice(1).map((h) => { const i = h.indexOf(': '); return [h.slice(0, i), h.slice(i + 2)] as [string, string]; });
  const raw = `${head.join('\r\n')}\r\n\r\n${body}`;
  const cut = (t: string) => (t.length > 200 ? `${t.slice(0, 200)}...` : t);
  const headerText = `{${headers.slice(0, 4).map(([k, v]) => `[${k}, ${v}]`).join(', ')}${headers.length > 4 ? '...' : ''}}`;
  const props: [string, PsValue][] = [
    ['StatusCode', 200], ['StatusDescription', 'OK'], ['Content', body], ['RawContent', raw], ['Forms', null],
    ['Headers', headers.map(([k, v]) => rec([['Key', k], ['Value', v]]))], ['Images', []], ['InputFields', []], ['Links', []], ['ParsedHtml', null],
    ['RawContentLength', new TextEncoder().encode(body).length],
  ];
  if (!iwr.stages.length) {
    // The list view, multi-line values continued under their column (PowerShell's list formatting).
    const shown: [string, string][] = props.map(([k, v]) => [k, k === 'Content' || k === 'RawContent' ? cut(v as string) : k === 'Headers' ? headerText : v === null ? '' : Array.isArray(v) ? '{}' : String(v)]);
    const out = [''];
    for (const [k, v] of shown) {
      const lines = v.replace(/\r\n/g, '\n').split('\n');
      out.push(`${k.padEnd(17)} : ${lines[0]}`.replace(/\s+$/, ''));
      for (const l of lines.slice(1)) out.push(`${' '.repeat(20)}${l}`.replace(/\s+$/, ''));
    }
    out.push('');
    return out.join('\n');
  }
  return runPipeline([{ props, partial: 'BasicHtmlWebResponseObject' }], iwr.stages);
}
