/**
 * The PowerShell cmdlets of SPEC §2, printed with PowerShell's default views: Get-NetNat,
 * Get-NetNatStaticMapping, Get-VMSwitch, Get-NetAdapter, Get-NetCompartment, Get-HnsNetwork,
 * Get-HnsEndpoint, Get-Service, Get-VMSwitchExtension, New-VMSwitch, Remove-VMSwitch,
 * Restart-Service hns|docker, Restart-Computer, Get-VMNetworkAdapter | Set-VMNetworkAdapter,
 * New-NetFirewallRule, Remove-NetFirewallRule, and Test-NetConnection (a TrafficRequest).
 */
import {
  dockerdStarts, getContainerNetwork, newNetNat, removeContainerNetworks, removeHnsNetworks, removeNetNat, serviceRunning, serviceStartFailed,
  startService, stopService,
} from './repair.js';
import { getDaemonJson, setDaemonJson } from './daemon-config.js';
import { rebootDefaultSwitch } from './default-switch.js';
import type { Cmdlet, PowerShellCommand } from '../script/ast.js';
import { stopContainer } from './containers.js';
import { adoptSwitches, ensureEngine } from './docker-engine.js';
import { CommandError, fail } from './errors.js';
import { REMOVAL_PIPES, cmdletNotSimulated, notRecognizedText, pipelineStageNotSimulated } from './answers.js';
import { findCmdlet as findCmdletSpec } from '../script/powershell.js';
import { newNetFirewallRule } from './firewall.js';
import { guid, hashString } from './ids.js';
import { dhcpLease } from './ipam.js';
import { parseCidr } from '../addr.js';
import { psArray, psList, psObject, psTable } from './format.js';
import { osProfile } from './os.js';
import { overlayPeers } from './queries.js';
import { tncRequest, type TrafficRequest } from './traffic.js';
import {
  dnsClientServerTable, firewallRuleProps, getDnsClientServerAddress, getNetFirewallRule, getNetIPAddress, getNetIPConfiguration,
  getNetIPInterface, getNetTCPConnection, ipConfigurationList, managementOsAdapters, resolveDnsNameRequest, invokeWebRequestRequest, type ViewRequest,
} from './diagnostics.js';
import { psText, rec, runPipeline, type PsObject, type PsValue } from './ps-pipeline.js';
import type { Container } from './types.js';
import type { Host, Network, VSwitch, World } from './types.js';
import { createExternalSwitch, createInternalSwitch, findSwitch, hnsKnows, switchOfNic } from './vswitch.js';

export interface PsResult {
  output: string;
  warnings: string[];
  traffic?: TrafficRequest;
  view?: ViewRequest;
}

type Params = Record<string, string>;

/** `-Force`, or `-Confirm:$false`: no confirmation question. */
const forced = (p: Params): boolean => p.force === 'True' || /^(\$)?false$/i.test(p.confirm ?? '');

function params(c: Cmdlet): Params {
  const p: Params = {};
  for (const f of c.flags) p[f.name.toLowerCase()] = f.value === true ? 'True' : f.value.replace(/^\$/, '');
  return p;
}

const VFP_ID = 'E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017';
const WFP_ID = 'E7C3B2F0-F3C5-48DF-AF2B-10FED6D72E7A';
const CAPTURE_ID = 'EA24CD6C-D17A-4348-9190-09F0D5BE83DD';

function notRecognized(name: string): never {
  return fail(notRecognizedText(name));
}

function vfpEnabled(host: Host, sw: VSwitch): boolean {
  return host.networks.some((n) => n.vswitch === sw.name && (n.driver === 'l2bridge' || n.driver === 'overlay' || n.driver === 'l2tunnel'));
}

function switchDescription(host: Host, sw: VSwitch): string {
  if (sw.type !== 'External') return '';
  if (sw.embeddedTeaming) return 'Teamed-Interface';
  return host.nics.find((n) => n.name === sw.nics[0])?.description ?? '';
}

/** HNS on the Windows 10 builds after the seed NATs through ICS, which the NetNat module does not list. */
const netNatShows = (host: Host): boolean => osProfile(host.os).natImplementation === 'winnat';

type Rows = [string, string][][];
type PsRows = [string, PsValue][][];

function getNetNat(host: Host): Rows {
  if (!host.winnats.length || !netNatShows(host)) return [];
  return host.winnats.map((w) => [
    ['Name', w.name],
    ['ExternalIPInterfaceAddressPrefix', ''],
    ['InternalIPInterfaceAddressPrefix', w.internalPrefix],
    ['IcmpQueryTimeout', '30'],
    ['TcpEstablishedConnectionTimeout', '1800'],
    ['TcpTransientConnectionTimeout', '120'],
    ['TcpFilteringBehavior', 'AddressDependentFiltering'],
    ['UdpFilteringBehavior', 'AddressDependentFiltering'],
    ['UdpIdleSessionTimeout', '120'],
    ['UdpInboundRefresh', 'False'],
    ['Store', 'Local'],
    ['Active', 'True'],
  ]);
}

function getNetNatStaticMapping(host: Host): Rows {
  const rows = host.winnats.flatMap((w) => w.staticMappings.map((m) => ({ w, m })));
  if (!rows.length || !netNatShows(host)) return [];
  return rows.map(({ w, m }, i) => [
    ['StaticMappingID', String(i)],
    ['NatName', w.name],
    ['Protocol', m.protocol],
    ['RemoteExternalIPAddressPrefix', '0.0.0.0/0'],
    ['ExternalIPAddress', m.externalIp],
    ['ExternalPort', String(m.externalPort)],
    ['InternalIPAddress', m.internalIp],
    ['InternalPort', String(m.internalPort)],
    ['InternalRoutingDomainId', '{00000000-0000-0000-0000-000000000000}'],
    ['Active', 'True'],
  ]);
}

function getVMSwitch(host: Host, list: boolean, name?: string): string {
  let sws = host.vswitches;
  if (name) {
    sws = sws.filter((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sws.length) fail(`Get-VMSwitch : Hyper-V was unable to find a virtual switch with name "${name}".`);
  }
  if (!sws.length) return '';
  if (list)
    return psList(sws.map((s) => [
      ['Name', s.name],
      ['Id', s.id],
      ['Notes', ''],
      ['Extensions', '{Microsoft Windows Filtering Platform, Microsoft Azure VFP Switch Extension, Microsoft NDIS Capture}'],
      ['BandwidthReservationMode', 'Absolute'],
      ['PacketDirectEnabled', 'False'],
      ['EmbeddedTeamingEnabled', s.embeddedTeaming ? 'True' : 'False'],
      ['IovEnabled', 'False'],
      ['SwitchType', s.type],
      ['AllowManagementOS', s.allowManagementOS ? 'True' : 'False'],
      ['NetAdapterInterfaceDescription', switchDescription(host, s)],
      ['NetAdapterInterfaceDescriptions', s.type === 'External' ? psArray(s.nics.map((n) => host.nics.find((x) => x.name === n)!.description)) : ''],
    ]));
  return psTable(
    [{ label: 'Name' }, { label: 'SwitchType' }, { label: 'NetAdapterInterfaceDescription' }],
    sws.map((s) => [s.name, s.type, switchDescription(host, s)]),
  );
}

function getNetAdapter(host: Host, name?: string): string {
  const rows: { name: string; desc: string; ifIndex: number; mac: string; speed: string }[] = [];
  for (const n of host.nics) rows.push({ name: n.name, desc: n.description, ifIndex: n.ifIndex, mac: n.mac, speed: host.virtualized ? '10 Gbps' : '1 Gbps' });
  let k = 0;
  for (const s of host.vswitches) {
    if (!s.hostVnic) continue;
    rows.push({ name: s.hostVnic.name, desc: k === 0 ? 'Hyper-V Virtual Ethernet Adapter' : `Hyper-V Virtual Ethernet Adapter #${k + 1}`, ifIndex: s.hostVnic.ifIndex, mac: s.hostVnic.mac, speed: '10 Gbps' });
    k++;
  }
  let list = rows.sort((a, b) => a.name.localeCompare(b.name));
  if (name) {
    list = list.filter((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!list.length) fail(`Get-NetAdapter : No MSFT_NetAdapter objects found with property 'Name' equal to '${name}'.  Verify the value of the property and retry.`);
  }
  return psTable(
    [
      { label: 'Name', width: 25 },
      { label: 'InterfaceDescription', width: 39 },
      { label: 'ifIndex', width: 7, align: 'right' },
      { label: 'Status', width: 12 },
      { label: 'MacAddress', width: 19 },
      { label: 'LinkSpeed', width: 12, align: 'right' },
    ],
    list.map((r) => [r.name, r.desc, String(r.ifIndex), 'Up', r.mac, r.speed]),
  );
}

function compartmentGuid(world: World, host: Host, id: number): string {
  return `{${guid({ rngState: hashString(`${host.name}/compartment/${id}`, world.seed) }).toLowerCase()}}`;
}

function getNetCompartment(world: World, host: Host): string {
  const objs: [string, string][][] = [[
    // The default compartment's description and GUID as Microsoft's Find-NetCompartment example prints them.
    ['CompartmentId', '1'], ['CompartmentDescription', 'Default Compartment'], ['CompartmentGuid', '{b1062982-2b18-4b4f-b3d5-a78ddb9cdd49}'],
  ]];
  for (const c of host.containers.filter((x) => x.state === 'running').sort((a, b) => a.compartmentId - b.compartmentId))
    objs.push([
      ['CompartmentId', String(c.compartmentId)],
      ['CompartmentDescription', `\\Container_${c.id}`],
      ['CompartmentGuid', compartmentGuid(world, host, c.compartmentId)],
    ]);
  return psList(objs);
}

function hnsType(n: Network): string {
  // The Default Switch's HNS type is `ICS` (docker/for-win #2236, #4296).
  return n.driver === 'ics' ? 'ICS' : n.driver;
}

function hnsNetworkObject(world: World, host: Host, n: Network): [string, PsValue][] {
  const sw = host.vswitches.find((s) => s.name === n.vswitch);
  const vfp = n.driver === 'l2bridge' || n.driver === 'overlay' || n.driver === 'l2tunnel';
  const eps = host.endpoints.filter((e) => e.networkId === n.id);
  const mgmt = host.nics.find((x) => x.ip)?.ip?.replace(/\/\d+$/, '') ?? '';
  const fields: [string, PsValue][] = [
    ['ActivityId', guid({ rngState: hashString(n.hnsId, world.seed) })],
    ['AdditionalParams', rec([])],
    ['CurrentEndpointCount', eps.length],
  ];
  if (n.dnsServers.length) fields.push(['DNSServerList', n.dnsServers.join(',')]);
  if (n.dnsSuffix) fields.push(['DNSSuffix', n.dnsSuffix]);
  fields.push(
    ['Extensions', [
      rec([['Id', WFP_ID], ['IsEnabled', false], ['Name', 'Microsoft Windows Filtering Platform']]),
      rec([['Id', VFP_ID], ['IsEnabled', vfp], ['Name', 'Microsoft Azure VFP Switch Extension']]),
      rec([['Id', CAPTURE_ID], ['IsEnabled', true], ['Name', 'Microsoft NDIS Capture']]),
    ]],
    ['Flags', n.driver === 'nat' && !osProfile(host.os).natPersistent ? 8 : 0],
    ['Health', rec([['LastErrorCode', 0], ['LastUpdateTime', 133497936000000000 + world.clock * 10000000]])],
    ['ID', n.hnsId],
    ['IPv6', false],
    ['LayeredOn', ''],
    ['MacPools', [rec([['EndMacAddress', n.macPool.end], ['StartMacAddress', n.macPool.start]])]],
  );
  if (n.driver !== 'nat') fields.push(['ManagementIP', mgmt]);
  fields.push(['MaxConcurrentEndpoints', Math.max(eps.length, 0)], ['Name', n.hnsName]);
  if (n.winnat) fields.push(['NatName', n.winnat]);
  if (sw && sw.type === 'External') fields.push(['NetworkAdapterName', sw.nics.join(',')]);
  const pol: PsValue[] = [];
  if (n.vlan !== null) pol.push(rec([['Type', 'VLAN'], ['VLAN', n.vlan]]));
  if (n.vsid !== null && n.driver !== 'overlay') pol.push(rec([['Type', 'VSID'], ['VSID', n.vsid]]));
  fields.push(
    ['Policies', pol],
    ['State', 1],
    ['Subnets', n.subnets.map((s) => rec([
      ['AdditionalParams', rec([])], ['AddressPrefix', s.prefix], ['GatewayAddress', s.gateway],
      ['Policies', n.driver === 'overlay' && n.vni !== null ? [rec([['Type', 'VSID'], ['VSID', n.vni]])] : []],
      ['State', 0],
    ]))],
    ['SwitchGuid', sw?.id.toUpperCase() ?? ''],
    ['TotalEndpoints', eps.length],
    ['Type', hnsType(n)],
    ['Version', Number(osProfile(host.os).hnsVersion)],
  );
  return fields;
}

function getHnsNetwork(world: World, host: Host): PsRows {
  const nets = host.networks.filter((n) => n.driver !== 'null' && !n.hnsRemoved);
  return nets.map((n) => hnsNetworkObject(world, host, n));
}

/** Field order of Get-HnsEndpoint on ws2022 (HNS 15, observed); older HNS emits its JSON keys alphabetically. */
const ENDPOINT_ORDER_2022 = [
  'ID', 'Name', 'Version', 'AdditionalParams', 'Resources', 'State', 'VirtualNetwork', 'VirtualNetworkName', 'Policies',
  'MacAddress', 'EnableInternalDNS', 'IsRemoteEndpoint', 'IPAddress', 'PrefixLength', 'GatewayAddress', 'IPSubnetId',
  'DNSServerList', 'DNSSuffix', 'EncapOverhead', 'SharedContainers',
];

function orderEndpointFields(host: Host, fields: Record<string, PsValue>): [string, PsValue][] {
  const keys = Object.keys(fields);
  const order = osProfile(host.os).build >= 20348
    ? [...ENDPOINT_ORDER_2022.filter((k) => k in fields), ...keys.filter((k) => !ENDPOINT_ORDER_2022.includes(k))]
    : [...keys].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  return order.map((k) => [k, fields[k]!]);
}

function aclText(a: { action: string; direction: string; priority: number; protocol: number; ruleType: string }): PsValue {
  return rec([['Action', a.action], ['Direction', a.direction], ['Priority', a.priority], ['Protocol', a.protocol], ['RuleType', a.ruleType], ['Scope', 0], ['Type', 'ACL']]);
}

function getHnsEndpoint(world: World, host: Host): PsRows {
  const prof = osProfile(host.os);
  const idCase = (g: string) => (prof.build >= 20348 ? g.toLowerCase() : g.toUpperCase());
  const objs: [string, PsValue][][] = [];
  for (const ep of host.endpoints) {
    const n = host.networks.find((x) => x.id === ep.networkId)!;
    const pol: PsValue[] = [];
    for (const m of ep.portMappings)
      pol.push(rec([['ExternalPort', m.hostPort], ['InternalPort', m.containerPort], ['Protocol', m.protocol.toUpperCase()], ['Type', 'NAT']]));
    if (n.driver === 'overlay') pol.push(rec([['PA', (host.nics.find((x) => x.ip)?.ip ?? '').replace(/\/\d+$/, '')], ['Type', 'PA']]));
    if (ep.outboundNat) pol.push(rec([['ExceptionList', [...ep.outboundNat.exceptions]], ['Type', 'OutBoundNAT']]));
    for (const a of ep.acls) pol.push(aclText(a));
    const f: Record<string, PsValue> = {
      ID: ep.hnsId,
      // Docker names overlay endpoints after its endpoint ID; other HNS endpoints are named after the adapter.
      Name: n.driver === 'overlay' ? ep.id : 'Ethernet',
      Version: prof.hnsVersion,
      AdditionalParams: rec([]),
      Resources: rec([['AdditionalParams', rec([])], ['AllocationOrder', pol.length + 1], ['ID', guid({ rngState: hashString(ep.id, world.seed) })], ['State', 1]]),
      State: ep.state === 'Attached' ? 2 : 1,
      VirtualNetwork: n.hnsId,
      VirtualNetworkName: n.hnsName,
      MacAddress: ep.mac,
      IPAddress: ep.ip,
      PrefixLength: ep.prefixLen,
      GatewayAddress: ep.gateway ?? '',
      IPSubnetId: idCase(guid({ rngState: hashString(`${n.hnsId}/subnet`, world.seed) })),
      DNSServerList: ep.dnsServers.join(','),
      SharedContainers: [ep.containerId],
    };
    if (pol.length) f.Policies = pol;
    if ((n.driver === 'nat' || n.driver === 'overlay') && ep.gateway && ep.dnsServers[0] === ep.gateway) f.EnableInternalDNS = true;
    if (ep.dnsSuffix) f.DNSSuffix = ep.dnsSuffix;
    if (n.driver === 'overlay') f.EncapOverhead = ep.encapOverhead;
    objs.push(orderEndpointFields(host, f));
  }
  // Overlay: Docker creates a remote endpoint for every peer endpoint of a local overlay network.
  for (const p of overlayPeers(world, host.name)) {
    const n = host.networks.find((x) => x.id === p.networkId)!;
    objs.push(orderEndpointFields(host, {
      ID: idCase(p.hnsId),
      Name: p.endpointId,
      Version: prof.hnsVersion,
      AdditionalParams: rec([]),
      State: 1,
      VirtualNetwork: n.hnsId,
      VirtualNetworkName: n.hnsName,
      Policies: [rec([['PA', p.providerAddress], ['Type', 'PA']])],
      MacAddress: p.mac,
      IsRemoteEndpoint: true,
      IPAddress: p.ip,
      EncapOverhead: 50,
    }));
  }
  return objs;
}

const SERVICES: Record<string, string> = {
  vfpext: 'Microsoft Azure VFP Switch Extension',
  hns: 'Host Network Service',
  docker: 'Docker Engine',
  vmcompute: 'Hyper-V Host Compute Service',
  winnat: 'Windows NAT Driver',
  mpssvc: 'Windows Defender Firewall',
};

function getService(host: Host, names: string[]): string {
  const rows: string[][] = [];
  for (const n of names) {
    const key = n.toLowerCase();
    const display = SERVICES[key];
    const vfpMissing = key === 'vfpext' && host.os === 'ws2016' && !host.kb4015217;
    if (!display || vfpMissing) fail(`Get-Service : Cannot find any service with service name '${n}'.`);
    rows.push([serviceRunning(host, key) ? 'Running' : 'Stopped', key, display]);
  }
  return psTable([{ label: 'Status', width: 8 }, { label: 'Name', width: 18 }, { label: 'DisplayName' }], rows);
}

function getVMSwitchExtension(world: World, host: Host, p: Params): string {
  const swName = p.vmswitchname ?? p.switchname;
  if (!swName) fail("Get-VMSwitchExtension : Cannot validate argument on parameter 'VMSwitchName'. The argument is null or empty.");
  const sw = findSwitch(host, swName);
  if (!sw) fail(`Get-VMSwitchExtension : Hyper-V was unable to find a virtual switch with name "${swName}".`);
  const vfpPresent = !(host.os === 'ws2016' && !host.kb4015217);
  const exts = [
    { id: WFP_ID, name: 'Microsoft Windows Filtering Platform', type: 'Filter', enabled: true },
    ...(vfpPresent ? [{ id: VFP_ID, name: 'Microsoft Azure VFP Switch Extension', type: 'Forwarding', enabled: vfpEnabled(host, sw) }] : []),
    { id: CAPTURE_ID, name: 'Microsoft NDIS Capture', type: 'Monitoring', enabled: false },
  ].filter((e) => !p.name || e.name.toLowerCase() === p.name.toLowerCase());
  if (!exts.length) fail(`Get-VMSwitchExtension : Hyper-V was unable to find a switch extension with name "${p.name}".`);
  return psList(exts.map((e) => [
    ['Id', e.id],
    ['Name', e.name],
    ['Vendor', 'Microsoft'],
    ['Version', `10.0.${osProfile(host.os).build}.1`],
    ['ExtensionType', e.type],
    ['ParentExtensionId', ''],
    ['ParentExtensionName', ''],
    ['SwitchId', sw.id],
    ['SwitchName', sw.name],
    ['Enabled', e.enabled ? 'True' : 'False'],
    ['Running', e.enabled ? 'True' : 'False'],
    ['CimSession', 'CimSession: .'],
    ['ComputerName', host.name.toUpperCase()],
    ['IsDeleted', 'False'],
  ]));
}

function newVMSwitch(world: World, host: Host, p: Params, line: number): string {
  const name = p.name;
  if (!name) fail("New-VMSwitch : Cannot validate argument on parameter 'Name'. The argument is null or empty.");
  if (findSwitch(host, name)) fail(`New-VMSwitch : Packet Path needs unique switch names: a virtual switch named "${name}" already exists`);
  const adapterArg = p.netadaptername;
  if (!adapterArg) {
    const type = (p.switchtype ?? '').toLowerCase();
    if (type !== 'internal' && type !== 'private') fail('New-VMSwitch : Parameter set cannot be resolved using the specified named parameters.');
    const sw = createInternalSwitch(world, host, name, null, `00-15-5D-${host.macByte.toString(16).toUpperCase().padStart(2, '0')}-F${(host.vswitches.length % 16).toString(16).toUpperCase()}-01`, line, 'user');
    if (type === 'private') {
      sw.type = 'Private';
      sw.hostVnic = null;
    }
    return psTable([{ label: 'Name' }, { label: 'SwitchType' }, { label: 'NetAdapterInterfaceDescription' }], [[sw.name, sw.type, '']]);
  }
  const adapters = adapterArg.split(',').map((s) => s.trim().replace(/^["']|["']$/g, ''));
  for (const a of adapters) {
    const nic = host.nics.find((n) => n.name.toLowerCase() === a.toLowerCase());
    if (!nic) fail(`New-VMSwitch : No MSFT_NetAdapter objects found with property 'Name' equal to '${a}'.  Verify the value of the property and retry.`);
    if (switchOfNic(host, a))
      fail(`New-VMSwitch : Failed while adding virtual Ethernet switch connections.\nExternal Ethernet adapter '${nic.description}' is already bound to the Microsoft Virtual Switch protocol.`);
  }
  if (adapters.length > 1 && !/^(true|1)$/i.test(p.enableembeddedteaming ?? 'true'))
    fail('New-VMSwitch : Teaming several adapters needs -EnableEmbeddedTeaming $true.');
  const sw = createExternalSwitch(world, host, name, adapters, line, 'user');
  if (p.allowmanagementos && /^(false|0)$/i.test(p.allowmanagementos)) {
    sw.allowManagementOS = false;
  }
  return psTable([{ label: 'Name' }, { label: 'SwitchType' }, { label: 'NetAdapterInterfaceDescription' }], [[sw.name, sw.type, switchDescription(host, sw)]]);
}

function removeVMSwitch(host: Host, p: Params, positional: string[]): string {
  const name = p.name ?? positional[0];
  if (!name) fail("Remove-VMSwitch : Cannot validate argument on parameter 'Name'. The argument is null or empty.");
  const sw = findSwitch(host, name);
  if (!sw) fail(`Remove-VMSwitch : Hyper-V was unable to find a virtual switch with name "${name}".`);
  const users = host.networks.filter((n) => n.vswitch === sw.name);
  const dockerMade = users.filter((n) => n.origin !== 'adopted');
  if (sw.createdBy === 'hns' || dockerMade.length)
    fail(`Remove-VMSwitch : The virtual switch "${sw.name}" belongs to HNS network ${dockerMade[0]?.name ?? sw.name}; remove it with docker network rm (Packet Path keeps HNS and its switches consistent)`);
  for (const n of users) if (host.endpoints.some((e) => e.networkId === n.id))
    fail(`Remove-VMSwitch : The virtual switch "${sw.name}" is in use by network ${n.name}, which has active endpoints.`);
  host.networks = host.networks.filter((n) => n.vswitch !== sw.name);
  host.vswitches = host.vswitches.filter((s) => s !== sw);
  return '';
}

function restartService(world: World, host: Host, name: string, line: number): PsResult {
  const key = name.toLowerCase();
  const done = (warnings: string[] = []): PsResult => ({ output: '', warnings });
  if (key === 'hns') {
    host.hnsGeneration++;
    return done();
  }
  if (key === 'docker') {
    for (const c of host.containers) stopContainer(world, host, c);
    const started = dockerdStarts(world, host, line, true);
    if (started.failed) throw new CommandError(serviceStartFailed('Restart-Service', 'Docker Engine', 'docker'), '', started.warnings, true);
    return done(started.warnings);
  }
  if (SERVICES[key]) return done();
  return fail(`Restart-Service : Cannot find any service with service name '${name}'.`);
}

function restartComputer(world: World, host: Host, line: number): PsResult {
  if (host.ipv6PendingReboot) {
    host.ipv6 = true;
    host.ipv6PendingReboot = false;
  }
  host.hnsGeneration++;
  host.stoppedServices = [];
  for (const c of host.containers) stopContainer(world, host, c);
  rebootDefaultSwitch(world, host);
  // From 1809 HNS does not keep nat networks across the boot; dockerd creates them again when it starts.
  if (!osProfile(host.os).natPersistent) removeHnsNetworks(host, host.networks.filter((n) => n.driver === 'nat' && !n.hnsRemoved));
  return { output: '', warnings: dockerdStarts(world, host, line, false).warnings };
}

/** `Get-VMNetworkAdapter -VMName X | Set-VMNetworkAdapter -MacAddressSpoofing On` (tip 3), run on the Hyper-V parent. */
function vmNetworkAdapter(world: World, current: Host, pipeline: Cmdlet[]): PsResult {
  const p = params(pipeline[0]!);
  const vmName = p.vmname ?? pipeline[0]!.args[0]?.value;
  if (!vmName) fail("Get-VMNetworkAdapter : Parameter set cannot be resolved using the specified named parameters.");
  const warnings: string[] = [];
  if (current.dockerForWindows && vmName.toLowerCase() === 'mobylinuxvm' && pipeline.length === 1) {
    return { output: psTable(
      [{ label: 'Name' }, { label: 'IsManagementOs' }, { label: 'VMName' }, { label: 'SwitchName' }, { label: 'MacAddress' }, { label: 'Status' }, { label: 'IPAddresses' }],
      [['Network Adapter', 'False', 'MobyLinuxVM', 'DockerNAT', '00155D0A4B01', '{Ok}', '{10.0.75.2}']],
    ), warnings };
  }
  let host = world.hosts.find((h) => h.name.toLowerCase() === vmName.toLowerCase());
  if (!host && current.virtualized) {
    host = current;
    warnings.push(`no host is named ${vmName}; Packet Path applies the VM adapter setting to the current host ${current.name}, the VM it runs in`);
  }
  if (!host || !host.virtualized) fail(`Get-VMNetworkAdapter : Hyper-V was unable to find a virtual machine with name "${vmName}".`);
  if (pipeline.length === 1) {
    return { output: psTable(
      [{ label: 'Name' }, { label: 'IsManagementOs' }, { label: 'VMName' }, { label: 'SwitchName' }, { label: 'MacAddress' }, { label: 'Status' }, { label: 'IPAddresses' }],
      host.nics.map((n) => [n.name === 'Ethernet' ? 'Network Adapter' : n.name, 'False', vmName, 'External', n.mac.replace(/-/g, ''), '{Ok}', `{${(n.ip ?? '').replace(/\/\d+$/, '')}}`]),
    ), warnings };
  }
  const set = pipeline[1]!;
  if (set.name.value.toLowerCase() !== 'set-vmnetworkadapter') notRecognized(set.name.value);
  const sp = params(set);
  if (sp.macaddressspoofing === undefined) fail('Set-VMNetworkAdapter : Packet Path simulates only -MacAddressSpoofing On|Off.');
  const on = /^on$/i.test(sp.macaddressspoofing);
  if (!on && !/^off$/i.test(sp.macaddressspoofing))
    fail(`Set-VMNetworkAdapter : Cannot bind parameter 'MacAddressSpoofing'. Cannot convert value "${sp.macaddressspoofing}" to type "Microsoft.HyperV.PowerShell.OnOffState". Error: "Unable to match the identifier name ${sp.macaddressspoofing} to a valid enumerator name. Specify one of the following enumerator names and try again:\nOn, Off"`);
  host.macSpoofing = on;
  if (on) {
    // The containers' DHCP clients retry; their DISCOVERs now pass the outer switch.
    for (const ep of host.endpoints) {
      if (ep.dhcp !== 'apipa') continue;
      const c = host.containers.find((x) => x.id === ep.containerId);
      const lease = dhcpLease(world, ep.mac, `${host.name}/${c?.name ?? ep.containerId}`);
      if (!lease) continue;
      ep.ip = lease;
      ep.prefixLen = parseCidr(world.underlay.subnet!)!.prefix.len;
      ep.dockerPrefixLen = ep.prefixLen;
      ep.gateway = world.underlay.dhcp?.gateway ?? world.underlay.gateway;
      ep.dnsServers = world.underlay.dns ? [world.underlay.dns] : [];
      ep.dhcp = 'lease';
    }
  }
  // Turning spoofing off keeps existing leases (they stay valid until they expire); the data
  // plane drops the frames of foreign MACs from then on.
  return { output: '', warnings };
}

function firewallRuleList(r: { name: string; direction: string; action: string; enabled: boolean; profile: string }, id: string): string {
  return psList([firewallRuleProps(r, id).map(([k, v]) => [k, String(v)] as [string, string])]);
}

/** Get-NetNat's and Get-NetNatStaticMapping's enums, numbers and booleans, which the model keeps as their list text. */
const NETNAT_NON_STRINGS = ['IcmpQueryTimeout', 'TcpEstablishedConnectionTimeout', 'TcpTransientConnectionTimeout', 'TcpFilteringBehavior', 'UdpFilteringBehavior',
  'UdpIdleSessionTimeout', 'UdpInboundRefresh', 'Store', 'Active', 'StaticMappingID', 'Protocol', 'ExternalPort', 'InternalPort'];

/** A list-view cmdlet's rows as pipeline objects (`partial`: the CIM class of which only these properties are modelled). */
function listObjects(rows: Rows | PsRows, partial?: string, enums?: string[]): PsObject[] {
  return rows.map((r) => ({ props: r, list: r.map(([k]) => k), ...(partial ? { partial } : {}), ...(enums ? { enums } : {}) }));
}

/** A list view of structured rows (nested objects as `@{...}`, arrays as `{...}`). */
function psListOf(rows: PsRows): string {
  return psList(rows.map((r) => r.map(([k, v]) => [k, psText(v)] as [string, string])));
}

/** The parameters each object cmdlet honours; any other is refused rather than ignored. */
const HANDLED: Record<string, readonly string[]> = {
  'get-netipaddress': ['addressfamily', 'interfacealias', 'interfaceindex', 'ifindex', 'includeallcompartments', 'ipaddress'],
  'get-netipinterface': ['addressfamily', 'interfacealias', 'interfaceindex', 'ifindex', 'includeallcompartments'],
  'get-netroute': ['addressfamily', 'includeallcompartments'],
  'get-netneighbor': [],
  'get-nettcpconnection': ['localport', 'state'],
  'get-netfirewallrule': ['name', 'displayname'],
  'get-dnsclientserveraddress': ['addressfamily', 'interfacealias', 'interfaceindex'],
  'get-netipconfiguration': ['interfacealias', 'interfaceindex'],
  'get-netnat': [], 'get-netnatstaticmapping': [], 'get-hnsnetwork': [], 'get-hnsendpoint': [],
};
const COMMON = new Set(['verbose', 'debug', 'erroraction', 'warningaction', 'errorvariable', 'warningvariable', 'outvariable', 'outbuffer', 'pipelinevariable']);

function refuseUnhandled(first: Cmdlet, name: string, p: Params): void {
  const handled = HANDLED[name];
  if (!handled) return;
  const extra = Object.keys(p).find((k) => !handled.includes(k) && !COMMON.has(k));
  const positional = name === 'get-netipaddress' ? first.args.slice(1) : name === 'get-netfirewallrule' ? [] : first.args;
  if (extra === undefined && !positional.length) return;
  const shown = extra !== undefined ? `-${first.flags.find((f) => f.name.toLowerCase() === extra)?.name ?? extra}` : `the argument ${positional[0]!.value}`;
  fail(`${first.name.value} : Packet Path does not simulate ${shown} of this cmdlet${handled.length ? ` (it filters by ${handled.filter((h) => h !== 'ifindex').map((h) => `-${h}`).join(', ')})` : ''}; filter with | Where-Object instead`);
}

const canonical = (c: Cmdlet): string => (findCmdletSpec(c.name.value)?.name ?? c.name.value).toLowerCase();

/**
 * The cmdlets whose objects go through PowerShell's pipeline (ps-pipeline.ts): on the host, or in
 * a container's compartment (`docker exec C powershell -Command ...`). Undefined: not one of them.
 */
export function objectCmdlet(world: World, host: Host, pipeline: Cmdlet[], line: number, c?: Container): PsResult | undefined {
  const first = pipeline[0]!;
  const name = canonical(first);
  const p = params(first);
  const rest = pipeline.slice(1);
  const removal = REMOVAL_PIPES[findCmdletSpec(first.name.value)?.name ?? ''];
  if (removal && rest.length === 1 && canonical(rest[0]!) === removal.toLowerCase()) return undefined;
  const done = (objects: PsObject[], view?: (o: PsObject[]) => string): PsResult =>
    ({ output: !rest.length && view ? (objects.length ? view(objects) : '') : runPipeline(objects, rest), warnings: [] });
  const where = c ? { compartment: c.compartmentId, container: c.name } : {};
  refuseUnhandled(first, name, p);
  switch (name) {
    case 'get-netipaddress': return done(getNetIPAddress(world, host, { ...p, ...(first.args[0] && !p.ipaddress ? { ipaddress: first.args[0].value } : {}) }, c));
    case 'get-netipinterface': return done(getNetIPInterface(world, host, p, c));
    case 'get-dnsclientserveraddress': return done(getDnsClientServerAddress(world, host, p, c), dnsClientServerTable);
    case 'get-netipconfiguration': return done(getNetIPConfiguration(world, host, p, c), ipConfigurationList);
    case 'get-netroute':
    case 'get-netneighbor':
      if (p.includeallcompartments) fail(`${first.name.value} : Packet Path lists one compartment's ${name === 'get-netroute' ? 'routes' : 'neighbours'}; run it in the container (docker exec C powershell -Command ...) for a container's`);
      return { output: '', warnings: [], view: { kind: name === 'get-netroute' ? 'get-netroute' : 'get-netneighbor', host: host.name, ...where, params: p, stages: rest, line } };
  }
  if (c) return undefined;
  switch (name) {
    case 'get-nettcpconnection': return done(getNetTCPConnection(host, p));
    case 'get-netfirewallrule': return done(getNetFirewallRule(host, { ...p, ...(first.args[0] && !p.name ? { name: first.args[0].value } : {}) }));
    case 'get-netnat': return done(listObjects(getNetNat(host), 'MSFT_NetNat', NETNAT_NON_STRINGS));
    case 'get-netnatstaticmapping': return done(listObjects(getNetNatStaticMapping(host), 'MSFT_NetNatStaticMapping', NETNAT_NON_STRINGS));
    case 'get-hnsnetwork': return done(listObjects(getHnsNetwork(world, host)));
    case 'get-hnsendpoint': return done(listObjects(getHnsEndpoint(world, host)));
    case 'get-vmnetworkadapter':
      if (p.managementos === 'True') return done(managementOsAdapters(host));
      return undefined;
  }
  return undefined;
}

/** Runs a PowerShell pipeline on the current host. */
export function powershell(world: World, host: Host, cmd: PowerShellCommand): PsResult {
  const objects = objectCmdlet(world, host, cmd.pipeline, cmd.line);
  if (objects) return objects;
  const pipeline = cmd.pipeline.filter((c) => !/^(format-table|ft|out-default|out-host)$/i.test(c.name.value));
  const wantList = cmd.pipeline.some((c) => /^(format-list|fl)$/i.test(c.name.value));
  const stages = pipeline.filter((c) => !/^(format-list|fl)$/i.test(c.name.value));
  const first = stages[0];
  if (!first) fail('empty pipeline');
  const name = first.name.value;
  const p = params(first);
  const pos = first.args.map((a) => a.value);
  // An alias runs its cmdlet (`gsv vfpext`, `tnc db -Port 80`), as PowerShell resolves it.
  const lname = (findCmdletSpec(name)?.name ?? name).toLowerCase();
  const second = stages[1] ? (findCmdletSpec(stages[1].name.value)?.name ?? stages[1].name.value).toLowerCase() : undefined;
  // The reset guides' pipelines: every object the first cmdlet lists goes to the removal.
  if (stages.length === 2 && lname === 'get-netnat' && second === 'remove-netnat') return { output: removeNetNat(host, p.name ?? pos[0]), warnings: [] };
  if (stages.length === 2 && lname === 'get-hnsnetwork' && second === 'remove-hnsnetwork') return removeHnsNetworks(host);
  if (stages.length === 2 && lname === 'get-containernetwork' && second === 'remove-containernetwork')
    return removeContainerNetworks(host, [...(p.name ? p.name.split(',') : []), ...pos], true, forced(params(stages[1]!)));
  if (stages.length > 1 && lname !== 'get-vmnetworkadapter' && lname !== 'invoke-webrequest') {
    fail(pipelineStageNotSimulated(stages[1]!.name.value));
  }
  const ok = (output: string): PsResult => ({ output, warnings: [] });
  switch (lname) {
    case 'get-netnat':
      return ok(psList(getNetNat(host)));
    case 'get-netnatstaticmapping':
      return ok(psList(getNetNatStaticMapping(host)));
    case 'get-vmswitch':
      return ok(getVMSwitch(host, wantList, p.name ?? pos[0]));
    case 'get-netadapter':
      return ok(getNetAdapter(host, p.name ?? pos[0]));
    case 'get-netcompartment':
      return ok(getNetCompartment(world, host));
    case 'get-hnsnetwork':
      return ok(psListOf(getHnsNetwork(world, host)));
    case 'get-hnsendpoint':
      return ok(psListOf(getHnsEndpoint(world, host)));
    case 'get-service':
      return ok(getService(host, [...(p.name ? p.name.split(',') : []), ...pos]));
    case 'get-vmswitchextension':
      return ok(getVMSwitchExtension(world, host, p));
    case 'new-vmswitch':
      return ok(newVMSwitch(world, host, p, cmd.line));
    case 'remove-vmswitch':
      return ok(removeVMSwitch(host, p, pos));
    case 'restart-service': {
      const n = p.name ?? pos[0];
      if (!n) fail("Restart-Service : Cannot validate argument on parameter 'Name'. The argument is null or empty.");
      return restartService(world, host, n, cmd.line);
    }
    case 'stop-service':
    case 'start-service': {
      const n = p.name ?? pos[0];
      const cmdlet = lname === 'stop-service' ? 'Stop-Service' : 'Start-Service';
      if (!n) fail(`${cmdlet} : Cannot validate argument on parameter 'Name'. The argument is null or empty.`);
      if (!SERVICES[n.toLowerCase()]) fail(`${cmdlet} : Cannot find any service with service name '${n}'.`);
      return lname === 'stop-service' ? ok(stopService(world, host, n)) : startService(world, host, n, cmd.line);
    }
    case 'remove-netnat':
      return ok(removeNetNat(host, p.name ?? pos[0]));
    case 'set-content':
      return ok(setDaemonJson(host, p.path ?? pos[0], p.value ?? pos[p.path ? 0 : 1], p.encoding));
    case 'get-content':
      return ok(getDaemonJson(host, p.path ?? pos[0]));
    case 'get-containernetwork':
      return ok(getContainerNetwork(host, [...(p.name ? p.name.split(',') : []), ...pos]));
    case 'remove-containernetwork':
      return removeContainerNetworks(host, [...(p.name ? p.name.split(',') : []), ...pos], false, forced(p));
    case 'new-netnat':
      return ok(newNetNat(host, p, cmd.line));
    case 'restart-computer':
      return restartComputer(world, host, cmd.line);
    case 'get-vmnetworkadapter':
      return vmNetworkAdapter(world, host, stages);
    case 'set-vmnetworkadapter':
      // `Set-VMNetworkAdapter -VMName X -MacAddressSpoofing On` names the VM itself.
      return vmNetworkAdapter(world, host, [first, first]);
    case 'new-netfirewallrule': {
      const r = newNetFirewallRule(host.firewall, p, cmd.line);
      host.firewall = r.rules;
      return ok(firewallRuleList(r.rule, `{${guid(world).toLowerCase()}}`));
    }
    case 'remove-netfirewallrule': {
      // Without -Name or -DisplayName the cmdlet takes its default parameter set, GetAll: every rule.
      const property = p.displayname !== undefined ? 'DisplayName' : 'Name';
      const n = p.displayname ?? p.name ?? pos[0];
      if (n === undefined)
        fail('Remove-NetFirewallRule : Packet Path does not simulate removing every firewall rule (without -Name or -DisplayName the cmdlet removes them all, the profile\'s defaults included).');
      const before = host.firewall.length;
      host.firewall = host.firewall.filter((r) => !(r.origin === 'user' && r.name === n));
      if (host.firewall.length === before)
        fail(`Remove-NetFirewallRule : No MSFT_NetFirewallRule objects found with property '${property}' equal to '${n}'.  Verify the value of the property and retry.`);
      return ok('');
    }
    case 'test-netconnection':
      return { output: '', warnings: [], traffic: tncRequest({ kind: 'host', host: host.name }, p, pos, cmd.line) };
    case 'invoke-webrequest':
      return { output: '', warnings: [], traffic: invokeWebRequestRequest({ kind: 'host', host: host.name }, p, pos, cmd.line, cmd.pipeline.slice(1), false) };
    case 'resolve-dnsname':
      if (stages.length > 1) fail('Resolve-DnsName : Packet Path runs Resolve-DnsName alone');
      return { output: '', warnings: [], traffic: resolveDnsNameRequest({ kind: 'host', host: host.name }, p, pos, cmd.line) };
    case 'get-vmswitchteam': {
      const teams = host.vswitches.filter((s) => s.embeddedTeaming);
      if (!teams.length) return ok('');
      return ok(psList(teams.map((s) => [
        ['Name', s.name], ['Id', s.id],
        ['NetAdapterInterfaceDescription', psArray(s.nics.map((n) => host.nics.find((x) => x.name === n)!.description))],
        ['TeamingMode', 'SwitchIndependent'], ['LoadBalancingAlgorithm', 'Dynamic'],
      ])));
    }
    default:
      return fail(cmdletNotSimulated(name));
  }
}

export { hnsKnows };
