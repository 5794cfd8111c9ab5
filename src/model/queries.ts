/**
 * Read-only views of the control plane for src/sim/ and src/table-images/: plain data, computed from
 * the world on each call. Every rule, mapping and object carries the script line that made it
 * (`line`, 0 for a profile default) so a drop can name the line responsible.
 */
import { defaultFirewallRules } from './firewall.js';
import { findHost } from './hosts.js';
import { guid, hashString } from './ids.js';
import { formatPrefix, parseCidr } from '../addr.js';
import { osProfile, type OsName } from './os.js';
import type {
  AclPolicy, Container, Driver, Endpoint, FirewallRule, Host, Network, Service, StaticMapping, World,
} from './types.js';

export interface RouteView {
  destination: string;
  nextHop: string | null;
  /** Endpoint (container adapter) or host interface name the route leaves through. */
  via: string;
  metric: number;
}

export interface HostView {
  name: string;
  os: OsName;
  line: number;
  nics: { name: string; ip: string | null; mac: string; boundTo: string | null; line: number }[];
  gateway: string | null;
  virtualized: boolean;
  macSpoofing: boolean;
  ipv6: boolean;
  trunk: boolean;
  dockerForWindows: boolean;
  dockerRunning: boolean;
  swarmRole: 'manager' | 'worker' | null;
  /** The host's own address (provider address for VXLAN, WinNAT external address). */
  managementIp: string | null;
  managementMac: string | null;
  /** WinNAT loopback: the host reaches a published port through its own IP (not on ws2016). */
  natLoopback: boolean;
  inboundDefault: 'deny-all' | 'allow-common';
}

export function hostViews(world: World): HostView[] {
  return world.hosts.map((h) => hostView(world, h));
}

/**
 * A host's provider address: the address of its first NIC that has one, else the host vNIC of an
 * external vSwitch that took the NIC's address. It is the outer source of the host's VXLAN packets
 * (the PA policy of HNS remote endpoints) and WinNAT's external address. Null for a host with none.
 */
export function providerAddress(h: Host): string | null {
  const nic = h.nics.find((n) => n.ip)?.ip ?? h.vswitches.find((s) => s.type === 'External' && s.hostVnic?.ip)?.hostVnic?.ip;
  return nic ? nic.replace(/\/\d+$/, '') : null;
}

export function hostView(_world: World, h: Host): HostView {
  const mgmt = h.nics.find((n) => n.ip);
  const prof = osProfile(h.os);
  return {
    name: h.name,
    os: h.os,
    line: h.line,
    nics: h.nics.map((n) => ({
      name: n.name, ip: n.ip, mac: n.mac,
      boundTo: h.vswitches.find((s) => s.nics.includes(n.name))?.name ?? null, line: n.line,
    })),
    gateway: h.gateway,
    virtualized: h.virtualized,
    macSpoofing: h.macSpoofing,
    ipv6: h.ipv6,
    trunk: h.trunk,
    dockerForWindows: h.dockerForWindows,
    dockerRunning: !!h.engine,
    swarmRole: h.engine?.swarmRole ?? null,
    managementIp: providerAddress(h),
    managementMac: mgmt?.mac ?? null,
    natLoopback: prof.natLoopback,
    inboundDefault: prof.inboundDefault,
  };
}

export interface UnderlayView {
  subnet: string | null;
  router: string | null;
  dns: string | null;
  dhcp: { first: string; last: string; gateway: string | null; line: number; leases: { mac: string; ip: string; owner: string }[] } | null;
  clients: { name: string; ip: string; mac: string; where: 'lan' | 'internet'; line: number }[];
}

export function underlay(world: World): UnderlayView {
  return {
    subnet: world.underlay.subnet,
    router: world.underlay.gateway,
    dns: world.underlay.dns,
    dhcp: world.underlay.dhcp ? { ...world.underlay.dhcp, leases: world.underlay.dhcp.leases.map((l) => ({ ...l })) } : null,
    clients: world.clients.map((c) => ({ ...c })),
  };
}

function hostOf(world: World, name: string): Host {
  const h = findHost(world, name);
  if (!h) throw new Error(`no host named ${name}`);
  return h;
}

export type SwitchPort =
  | { kind: 'endpoint'; endpointId: string; container: string; mac: string; ip: string; vlan: number | null; networkId: string }
  | { kind: 'host-vnic'; name: string; mac: string; ip: string | null }
  | { kind: 'external'; nic: string; mac: string; teamMember: number };

export interface VSwitchView {
  name: string;
  id: string;
  type: 'Internal' | 'External' | 'Private';
  nics: string[];
  team: boolean;
  vfp: boolean;
  createdBy: string;
  knownToHns: boolean;
  networks: string[];
  ports: SwitchPort[];
  line: number;
}

export function vswitches(world: World, hostName: string): VSwitchView[] {
  const h = hostOf(world, hostName);
  return h.vswitches.map((s) => {
    const nets = h.networks.filter((n) => n.vswitch === s.name);
    const ports: SwitchPort[] = [];
    for (const ep of h.endpoints) {
      if (!nets.some((n) => n.id === ep.networkId)) continue;
      const c = h.containers.find((x) => x.id === ep.containerId);
      ports.push({ kind: 'endpoint', endpointId: ep.id, container: c?.name ?? '', mac: ep.mac, ip: ep.ip, vlan: ep.vlan, networkId: ep.networkId });
    }
    if (s.hostVnic) ports.push({ kind: 'host-vnic', name: s.hostVnic.name, mac: s.hostVnic.mac, ip: s.hostVnic.ip });
    s.nics.forEach((n, i) => ports.push({ kind: 'external', nic: n, mac: h.nics.find((x) => x.name === n)!.mac, teamMember: i }));
    return {
      name: s.name,
      id: s.id,
      type: s.type,
      nics: [...s.nics],
      team: s.embeddedTeaming,
      vfp: nets.some((n) => n.driver === 'l2bridge' || n.driver === 'overlay' || n.driver === 'l2tunnel'),
      createdBy: s.createdBy,
      knownToHns: s.createdBy === 'hns' || s.hnsGeneration < h.hnsGeneration,
      networks: nets.map((n) => n.id),
      ports,
      line: s.line,
    };
  });
}

export interface NetworkView {
  id: string;
  hnsId: string;
  name: string;
  hnsName: string;
  driver: Driver;
  scope: 'local' | 'swarm';
  subnets: { prefix: string; gateway: string }[];
  dhcp: boolean;
  vswitch: string | null;
  interfaces: string[];
  vlan: number | null;
  vni: number | null;
  vsid: number | null;
  dnsSuffix: string | null;
  dnsServers: string[];
  enableOutboundNat: boolean;
  outboundNatExceptions: string[];
  disableGatewayDns: boolean;
  macPool: { start: string; end: string };
  winnat: string | null;
  options: Record<string, string>;
  /** Docker lists it (false: an HNS network Docker has not adopted, or a swarm network's local instance). */
  dockerVisible: boolean;
  line: number;
}

function networkView(n: Network): NetworkView {
  return {
    id: n.id, hnsId: n.hnsId, name: n.name, hnsName: n.hnsName, driver: n.driver, scope: n.scope,
    subnets: n.subnets.map((s) => ({ ...s })), dhcp: n.dhcp, vswitch: n.vswitch, interfaces: [...n.interfaces],
    vlan: n.vlan, vni: n.vni, vsid: n.vsid, dnsSuffix: n.dnsSuffix, dnsServers: [...n.dnsServers],
    enableOutboundNat: n.enableOutboundNat, outboundNatExceptions: [...n.outboundNatExceptions],
    disableGatewayDns: n.disableGatewayDns, macPool: { ...n.macPool }, winnat: n.winnat, options: { ...n.options },
    dockerVisible: n.dockerVisible, line: n.line,
  };
}

/** The HNS networks of a host (including local instances of swarm overlays). */
export function networks(world: World, hostName: string): NetworkView[] {
  return hostOf(world, hostName).networks.map(networkView);
}

export interface EndpointView {
  id: string;
  hnsId: string;
  host: string;
  containerId: string;
  container: string;
  networkId: string;
  network: string;
  driver: Driver;
  ip: string;
  prefixLen: number;
  mac: string;
  gateway: string | null;
  compartmentId: number;
  routes: RouteView[];
  dnsServers: string[];
  dnsSuffix: string | null;
  dnsSearch: string[];
  vlan: number | null;
  vni: number | null;
  state: 'Created' | 'Attached' | 'Detached';
  role: 'primary' | 'overlay-gateway';
  dhcp: 'lease' | 'apipa' | null;
  mtu: number;
  portMappings: { protocol: 'tcp' | 'udp'; hostPort: number; containerPort: number; line: number }[];
  outboundNat: { exceptions: string[] } | null;
  aliases: string[];
  /** The container's service, for VIP load balancing. */
  service: string | null;
  line: number;
}

/** Routes of a container compartment: a connected route per adapter, a default route per gateway (first adapter wins by metric). */
function compartmentRoutes(h: Host, compartmentId: number): RouteView[] {
  const eps = h.endpoints
    .filter((e) => e.compartmentId === compartmentId)
    .sort((a, b) => (a.role === b.role ? a.ifIndex - b.ifIndex : a.role === 'overlay-gateway' ? -1 : 1));
  const out: RouteView[] = [];
  eps.forEach((e, i) => {
    const p = parseCidr(`${e.ip}/${e.prefixLen}`)!.prefix;
    out.push({ destination: formatPrefix(p), nextHop: null, via: e.id, metric: 256 + i });
  });
  eps.forEach((e, i) => {
    if (e.gateway) out.push({ destination: '0.0.0.0/0', nextHop: e.gateway, via: e.id, metric: 256 + i * 10 });
  });
  return out;
}

function endpointView(world: World, h: Host, e: Endpoint): EndpointView {
  const n = h.networks.find((x) => x.id === e.networkId)!;
  const c = h.containers.find((x) => x.id === e.containerId);
  const svc = c?.service ? world.swarm?.services.find((s) => s.id === c.service!.serviceId)?.name ?? null : null;
  return {
    id: e.id, hnsId: e.hnsId, host: h.name, containerId: e.containerId, container: c?.name ?? '',
    networkId: e.networkId, network: n.name, driver: n.driver, ip: e.ip, prefixLen: e.prefixLen, mac: e.mac,
    gateway: e.gateway, compartmentId: e.compartmentId, routes: compartmentRoutes(h, e.compartmentId),
    dnsServers: [...e.dnsServers], dnsSuffix: e.dnsSuffix, dnsSearch: [...e.dnsSearch], vlan: e.vlan, vni: n.vni,
    state: e.state, role: e.role, dhcp: e.dhcp, mtu: 1500 - e.encapOverhead,
    portMappings: e.portMappings.map((m) => ({ ...m })), outboundNat: e.outboundNat ? { exceptions: [...e.outboundNat.exceptions] } : null,
    aliases: [...e.aliases], service: svc, line: e.line,
  };
}

export function endpoints(world: World, hostName: string): EndpointView[] {
  const h = hostOf(world, hostName);
  return h.endpoints.map((e) => endpointView(world, h, e));
}



export interface WinNatView {
  name: string;
  internalPrefix: string;
  externalIp: string | null;
  networks: string[];
  portPool: { first: number; last: number };
  staticMappings: StaticMapping[];
  line: number;
}

export function winNats(world: World, hostName: string): WinNatView[] {
  return hostOf(world, hostName).winnats.map((w) => ({
    name: w.name, internalPrefix: w.internalPrefix, externalIp: w.externalIp, networks: [...w.networkIds],
    portPool: { ...w.portPool }, staticMappings: w.staticMappings.map((m) => ({ ...m })), line: w.line,
  }));
}

export interface PublishedPort {
  protocol: 'tcp' | 'udp';
  hostPort: number;
  targetIp: string;
  targetPort: number;
  endpointId: string;
  /** winnat (nat network), vfp (l2bridge/overlay NAT policy), ingress (swarm routing mesh, any task). */
  via: 'winnat' | 'vfp' | 'ingress';
  line: number;
}

/** What answers on the host's own address: WinNAT static mappings, VFP NAT policies, and swarm ingress ports. */
export function publishedPorts(world: World, hostName: string): PublishedPort[] {
  const h = hostOf(world, hostName);
  const out: PublishedPort[] = [];
  for (const w of h.winnats)
    for (const m of w.staticMappings)
      out.push({ protocol: m.protocol.toLowerCase() as 'tcp' | 'udp', hostPort: m.externalPort, targetIp: m.internalIp, targetPort: m.internalPort, endpointId: m.endpointId, via: 'winnat', line: m.line });
  for (const e of h.endpoints) {
    const n = h.networks.find((x) => x.id === e.networkId)!;
    if (n.driver === 'nat') continue;
    for (const m of e.portMappings)
      out.push({ protocol: m.protocol, hostPort: m.hostPort, targetIp: e.ip, targetPort: m.containerPort, endpointId: e.id, via: 'vfp', line: m.line });
  }
  const s = world.swarm;
  if (s && h.engine?.swarmRole && osProfile(h.os).routingMesh) {
    for (const svc of s.services)
      for (const p of svc.publish.filter((x) => x.mode === 'ingress'))
        for (const t of serviceTasks(world, svc).filter((x) => s.networks.some((n) => n.ingress && n.id === x.networkId)))
          out.push({ protocol: p.protocol, hostPort: p.published, targetIp: t.ip, targetPort: p.target, endpointId: t.endpointId, via: 'ingress', line: svc.line });
  }
  return out;
}

export interface FirewallView {
  /** Rules of the host's default compartment: profile defaults first, then published ports and user rules. */
  host: FirewallRule[];
  compartments: { compartmentId: number; container: string; containerId: string; rules: FirewallRule[] }[];
}

export function firewallRules(world: World, hostName: string): FirewallView {
  const h = hostOf(world, hostName);
  return {
    host: [...defaultFirewallRules(h), ...h.firewall.map((r) => ({ ...r }))],
    compartments: h.containers
      .filter((c: Container) => c.state === 'running')
      .map((c) => ({ compartmentId: c.compartmentId, container: c.name, containerId: c.id, rules: [...defaultFirewallRules(h), ...c.firewall.map((r) => ({ ...r }))] })),
  };
}

export interface AclView {
  endpointId: string;
  container: string;
  network: string;
  policies: AclPolicy[];
}

/** HNS ACL policies per endpoint (VFP networks: default allow-all at priority 65500; overlay "allow all"). */
export function aclPolicies(world: World, hostName: string): AclView[] {
  const h = hostOf(world, hostName);
  return h.endpoints.filter((e) => e.acls.length).map((e) => ({
    endpointId: e.id,
    container: h.containers.find((c) => c.id === e.containerId)?.name ?? '',
    network: h.networks.find((n) => n.id === e.networkId)?.name ?? '',
    policies: e.acls.map((a) => ({ ...a })),
  }));
}

export interface OverlayPeer {
  networkId: string;
  vni: number;
  endpointId: string;
  hnsId: string;
  ip: string;
  mac: string;
  /** The host the endpoint lives on, and its provider address (outer IP of the VXLAN packet). */
  host: string;
  providerAddress: string;
  line: number;
}

/** The swarm KVS: every overlay endpoint on every host (IP, MAC, host, provider address, VNI). */
export function overlayKvs(world: World): OverlayPeer[] {
  const out: OverlayPeer[] = [];
  for (const h of world.hosts) {
    const pa = providerAddress(h) ?? '';
    for (const e of h.endpoints) {
      const n = h.networks.find((x) => x.id === e.networkId);
      if (!n || n.driver !== 'overlay') continue;
      out.push({ networkId: n.id, vni: n.vni!, endpointId: e.id, hnsId: e.hnsId, ip: e.ip, mac: e.mac, host: h.name, providerAddress: pa, line: e.line });
    }
  }
  return out;
}

/** Remote endpoints a host programs: overlay endpoints of other hosts on the overlay networks it has locally. */
export function overlayPeers(world: World, hostName: string): OverlayPeer[] {
  const h = hostOf(world, hostName);
  const local = new Set(h.networks.filter((n) => n.driver === 'overlay').map((n) => n.id));
  return overlayKvs(world)
    .filter((p) => p.host !== h.name && local.has(p.networkId))
    .map((p) => ({ ...p, hnsId: guid({ rngState: hashString(`${h.name}/${p.endpointId}`, world.seed) }) }));
}



export interface ServiceView {
  id: string;
  name: string;
  mode: 'replicated' | 'global';
  replicas: number;
  endpointMode: 'vip' | 'dnsrr';
  vips: { networkId: string; ip: string }[];
  publish: Service['publish'];
  tasks: { host: string; container: string; endpointId: string; ip: string; networkId: string }[];
  line: number;
}

function serviceTasks(world: World, svc: Service): { host: string; container: string; endpointId: string; ip: string; networkId: string }[] {
  const out: { host: string; container: string; endpointId: string; ip: string; networkId: string }[] = [];
  for (const h of world.hosts)
    for (const c of h.containers) {
      if (c.service?.serviceId !== svc.id || c.state !== 'running') continue;
      for (const e of h.endpoints.filter((x) => x.containerId === c.id && x.role === 'primary'))
        out.push({ host: h.name, container: c.name, endpointId: e.id, ip: e.ip, networkId: e.networkId });
    }
  return out;
}

export function services(world: World): ServiceView[] {
  const s = world.swarm;
  if (!s) return [];
  return s.services.map((svc) => ({
    id: svc.id, name: svc.name, mode: svc.mode, replicas: svc.replicas, endpointMode: svc.endpointMode,
    vips: Object.entries(svc.vips).map(([networkId, ip]) => ({ networkId, ip })),
    publish: svc.publish.map((p) => ({ ...p })), tasks: serviceTasks(world, svc), line: svc.line,
  }));
}

export interface ContainerView {
  id: string;
  name: string;
  host: string;
  state: 'created' | 'running' | 'exited';
  compartmentId: number;
  endpointIds: string[];
  line: number;
}

export function containers(world: World, hostName: string): ContainerView[] {
  const h = hostOf(world, hostName);
  return h.containers.map((c) => ({
    id: c.id, name: c.name, host: h.name, state: c.state, compartmentId: c.compartmentId,
    endpointIds: h.endpoints.filter((e) => e.containerId === c.id).map((e) => e.id), line: c.line,
  }));
}
