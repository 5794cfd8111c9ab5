/**
 * What every data plane holds, derived from the model: the one place these views are computed.
 *
 *   deriveHost(world, host) → HostPlan: the host's forwarding view (numbered ports, vSwitches and
 *     routing domains, from fabric.ts) and the contents of its plane's tables — FDB, VLAN port tables,
 *     routes and the neighbours HNS programs, ACL rule sets (VFP and Windows Firewall), WinNAT and VFP
 *     NAT instances, the VFP load balancer of each service VIP, l2bridge MAC rewrite, VXLAN tunnels.
 *   deriveLan(world) → LanPlan: the LAN switch's ports (host NICs, clients, the router) and the
 *     router's tables.
 *
 * Pure functions: plain model data in, plain data out; nothing here touches a data plane or a frame.
 * The session (session.ts) loads these contents, programs.ts compiles the stage programs from them,
 * stations.ts answers for the addresses they name, and the playground's world snapshots read them.
 * Neighbours a station learns at run time (ARP) are not derived: the session keeps them beside.
 */
import type { ProgramStep } from '../engine/core.js';
import type { Endpoint, Host, Network, World } from '../model/types.js';
import { providerAddress } from '../model/queries.js';
import { firewallRuleSet, vfpRuleSet, type AclRuleSet } from '../table-images/acl-rules.js';
import { osProfile } from '../model/os.js';
import { HOST_DOMAIN, containerName, hostFabric, type HostFabric, type RouteDesc } from './fabric.js';
import { cidrNum, ipNum, macNum } from '../addr.js';
import type { VlanPort } from '../table-images/vlan-ports.js';
import type { Guard } from '../table-images/guard.js';
import {
  ACL_HOST_FIREWALL, DEFAULT_VLAN, NAT_ELB, NAT_ELB_SOURCE, NAT_LOCALHOST, NAT_LOCALHOST_SOURCE, NAT_VFP, NAT_VIP_FIRST, NAT_VIP_MAX, NAT_WINNAT, VIP_MAC_REWRITE_BASE, aclCompartment, aclEndpoint,
} from './numbering.js';

/** 127.0.0.1: every stack (host and compartment) answers it itself; `localhost` resolves to it. */
export const LOOPBACK_IP = 0x7f000001;

// ---- the contents of a plane ----------------------------------------------------------------------

/** A static MAC table entry of one vSwitch (learned entries live in the data plane only). */
export interface PlaneFdbEntry {
  vswitch: number;
  mac: number;
  vlan: number;
  port: number;
}

/** The port table of one vSwitch (also its flood domain). */
export interface PlaneVlanTable {
  vswitch: number;
  ports: VlanPort[];
}

export interface PlaneDomain {
  id: number;
  routes: RouteDesc[];
  /** Addresses of the domain itself: packets to them are consumed (NEXT_LOCAL). */
  local: number[];
  /** Neighbours the control plane programs (HNS: the host stack knows its endpoints); ARP adds more. */
  neighbors: { ip: number; mac: number }[];
}

/** One NAT instance of a plane: WinNAT, VFP outbound NAT, or the VFP load balancer of a VIP. */
export interface PlaneNat {
  id: number;
  /** Internal prefixes whose sources are translated outbound. */
  internal: { base: number; len: number }[];
  externalIp: number;
  pool: { first: number; last: number };
  staticMappings: { proto: 6 | 17; externalPort: number; internalIp: number; internalPort: number; line: number }[];
  /** VFP outbound NAT (overlay on ws2019+) does not translate ICMP. */
  translateIcmp: boolean;
  /** A VFP load balancer: consecutive mappings of one port are its backends, chosen per new flow by
   *  a hash of the 5-tuple and the run's seed (src/table-images/nat.ts). */
  loadBalance?: { seed: number };
  /** Destinations never translated (outboundnat_exceptions, the network's own subnets). */
  exceptions: { base: number; len: number }[];
}

export interface PlaneMacRewrite {
  id: number;
  hostMac: number;
  endpoints: { ip: number; mac: number }[];
}

export interface PlaneVxlan {
  /** This host's provider addresses (VTEPs). */
  localVteps: number[];
  /** VNI → network context (D_CTX of an overlay packet is its network's VNI). */
  vnis: { vni: number; ctx: number }[];
  /** Remote endpoints: (VNI, inner MAC) → remote provider address and the outer MACs. */
  /** `line`: the script line that made the remote endpoint (its container's). */
  tunnels: { vni: number; mac: number; remotePa: number; localPa: number; outerSrcMac: number; outerDstMac: number; line?: number }[];
}

export interface PlaneAcl {
  id: number;
  set: AclRuleSet;
  name: string;
  /** Script line of each rule, by rule index. */
  lines: number[];
}

/** Everything one data plane's tables hold, as structured data (load.ts writes it into a core). */
export interface PlaneContents {
  fdb: PlaneFdbEntry[];
  vlans: PlaneVlanTable[];
  domains: PlaneDomain[];
  acl: PlaneAcl[];
  nat: PlaneNat[];
  macRewrite: PlaneMacRewrite[];
  vxlan: PlaneVxlan | null;
  /** The guards of the plane's compiled programs, by id (programs.ts adds them). */
  guards?: Guard[];
  /** The unified flow tables of the plane's vSwitch ports (programs.ts adds them). */
  ufts?: PlaneUft[];
}

/** A vSwitch port's unified flow table (VFP's UFT): its id in the plane and the port's layers. */
export interface PlaneUft {
  id: number;
  /** Flows the table holds at first, and the most it grows to (src/sim/programs.ts). */
  capacity: number;
  maxCapacity: number;
  layers: ProgramStep[];
}

/** The VFP load balancer of one service VIP, as a host whose containers reach the VIP programs it. */
export interface VipBackend {
  vip: number;
  /** The running tasks new connections are spread over (address and MAC on the VIP's network);
   *  VFP answers ARP for the VIP with the first one's MAC. */
  tasks: { ip: number; mac: number }[];
  ports: number[];
  line: number;
  service: string;
  vni: number;
  /** The NAT instance that implements it, and the MAC rewrite table that gives a translated
   *  packet its task's MAC (VIP_MAC_REWRITE_BASE + nat). */
  nat: number;
}

/** The routing mesh on one node: its ingress-endpoint and the ingress ports it spreads over the tasks. */
export interface IngressPlan {
  /** The node's ingress-endpoint address and MAC (02-42 and the address, as libnetwork makes MACs). */
  sourceIp: number;
  sourceMac: number;
  vni: number;
  /** The ingress network's subnet. */
  subnet: { base: number; len: number };
  ports: { proto: 6 | 17; published: number; target: number; tasks: number[]; line: number; service: string }[];
}

export interface HostPlan {
  host: Host;
  fabric: HostFabric;
  contents: PlaneContents;
  vips: VipBackend[];
  ingress: IngressPlan | null;
  /** The host's provider address (its first NIC address; VXLAN's outer source; WinNAT's external address). */
  providerAddress: number;
}

// ---- hosts -------------------------------------------------------------------------------------------

/** Every trunk carries every VLAN. */
const ALL_VLANS = Array.from({ length: 4094 }, (_, k) => k + 1);

/** The Windows Firewall's default for inbound traffic that no rule matches, by OS profile. */
function defaultInbound(h: Host): 'allow' | 'block' {
  return osProfile(h.os).inboundDefault === 'deny-all' ? 'block' : 'allow';
}

/** A network by id: the host's own, or a swarm-scoped overlay network. */
export function networkOf(world: World, h: Host, ep: Endpoint): Network | undefined {
  return h.networks.find((n) => n.id === ep.networkId) ?? world.swarm?.networks.find((n) => n.id === ep.networkId);
}

/** The provider address of a host as a number (0 when it has none). */
export function providerAddressNum(h: Host): number {
  const pa = providerAddress(h);
  return pa ? ipNum(pa) : 0;
}

export function deriveHost(world: World, h: Host): HostPlan {
  const fab = hostFabric(world, h);
  const pa = providerAddressNum(h);
  const vips = vipBackends(world, h);
  const ingress = ingressPlan(world, h);
  const fdb: PlaneFdbEntry[] = [];
  const vlans: PlaneVlanTable[] = fab.vswitches.map((vs) => ({ vswitch: vs.id, ports: [] as VlanPort[] }));
  const acl: PlaneAcl[] = [];
  for (const p of fab.ports) {
    if (p.kind === 'nic') continue;
    const vlan = p.vlan || DEFAULT_VLAN;
    fdb.push({ vswitch: p.vswitch, mac: p.mac, vlan, port: p.id });
    const table = vlans[p.vswitch - 1].ports;
    if (p.kind === 'external') table.push({ port: p.id, mode: 'trunk', native: DEFAULT_VLAN, allowed: ALL_VLANS });
    else table.push({ port: p.id, mode: 'access', vid: vlan });
    if (p.kind === 'endpoint') acl.push({ id: aclEndpoint(p.id), name: `VFP ACLs of ${p.name}`, ...vfpRuleSet(p.endpoint!.acls) });
  }
  const vxlan = vxlanContents(world, h, fab, pa);
  // Remote overlay endpoints are reached through the external port (HNS remote endpoints).
  for (const t of vxlan?.tunnels ?? []) {
    const vs = fab.vswitches.find((v) => v.networks.some((n) => n.vni === t.vni));
    const ext = vs && fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'external');
    if (vs && ext) fdb.push({ vswitch: vs.id, mac: t.mac, vlan: DEFAULT_VLAN, port: ext.id });
  }
  if (ingress) {
    // The node's ingress-endpoint answers on its overlay vSwitch through the host vNIC.
    const vs = fab.vswitches.find((v) => v.networks.some((n) => n.vni === ingress.vni));
    const vnic = vs && fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'vnic');
    if (vs && vnic) fdb.push({ vswitch: vs.id, mac: ingress.sourceMac, vlan: DEFAULT_VLAN, port: vnic.id });
  }
  acl.push({ id: ACL_HOST_FIREWALL, name: 'Windows Firewall (host)', ...firewallRuleSet(h.firewall, defaultInbound(h)) });
  const domains = fab.domains.map((d): PlaneDomain => {
    const routes = d.routes.slice();
    // The loopback address is local to every stack: what is sent to it never leaves the station.
    const local = [...d.interfaces.map((i) => i.ip), LOOPBACK_IP];
    if (d.id === HOST_DOMAIN) {
      for (const vs of fab.vswitches) {
        const vnic = fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'vnic');
        for (const n of vs.networks) {
          if (n.driver !== 'overlay') continue;
          for (const s of n.subnets) {
            // The host reaches its overlay endpoints through the overlay vSwitch's host vNIC.
            if (vnic) {
              const c = cidrNum(s.prefix);
              routes.push({ prefix: c.base, len: c.len, nextHop: 0, port: vnic.id, srcMac: vnic.mac, metric: 10, line: n.line });
            }
          }
        }
      }
      // Docker's embedded DNS listens on each overlay network's gateway address (VFP answers ARP for it).
      for (const vs of fab.vswitches) for (const n of vs.networks) if (n.driver === 'overlay') for (const sn of n.subnets) local.push(ipNum(sn.gateway));
    }
    // HNS programs what it knows: the host stack knows its own endpoints (no ARP needed from the host).
    const neighbors = d.id === HOST_DOMAIN ? h.endpoints.filter((ep) => ep.state !== 'Detached').map((ep) => ({ ip: ipNum(ep.ip), mac: macNum(ep.mac) })) : [];
    // The routing mesh: the host stack sends to tasks on other nodes; HNS knows their remote endpoints.
    if (d.id === HOST_DOMAIN && ingress)
      for (const other of world.hosts)
        if (other !== h)
          for (const ep of other.endpoints)
            if (ep.state !== 'Detached' && networkOf(world, other, ep)?.vni === ingress.vni) neighbors.push({ ip: ipNum(ep.ip), mac: macNum(ep.mac) });
    return { id: d.id, routes, local, neighbors };
  });
  const domainIds = new Set(fab.domains.map((d) => d.id));
  for (const c of h.containers) {
    if (domainIds.has(c.compartmentId)) acl.push({ id: aclCompartment(c.compartmentId), name: `Windows Firewall (${c.name})`, ...firewallRuleSet(c.firewall, defaultInbound(h)) });
  }
  const macRewrite = [...macRewriteContents(h, fab), ...vips.map((b) => ({ id: VIP_MAC_REWRITE_BASE + b.nat, hostMac: 0, endpoints: b.tasks }))];
  const contents: PlaneContents = { fdb, vlans, domains, acl, nat: [...natContents(world, h, pa, vips), ...ingressNat(world, ingress, pa)], macRewrite, vxlan };
  return { host: h, fabric: fab, contents, vips, ingress, providerAddress: pa };
}

/**
 * l2bridge MAC rewrite: egress source container MAC → the host's MAC, ingress destination host MAC →
 * the container's, by IP. Only l2bridge: an l2tunnel endpoint keeps its own MAC, because its frames go
 * to the physical host's switch, which knows it (docs/behaviour.md).
 */
function macRewriteContents(h: Host, fab: HostFabric): PlaneMacRewrite[] {
  const out: PlaneMacRewrite[] = [];
  for (const vs of fab.vswitches) {
    for (const n of vs.networks) {
      if (n.driver !== 'l2bridge') continue;
      const nic = h.nics.find((x) => x.name === vs.model.nics[0]);
      out.push({
        id: vs.id,
        hostMac: nic ? macNum(nic.mac) : 0,
        endpoints: h.endpoints.filter((e) => e.networkId === n.id && e.state !== 'Detached').map((e) => ({ ip: ipNum(e.ip), mac: macNum(e.mac) })),
      });
    }
  }
  return out;
}

function natContents(world: World, h: Host, hostIp: number, vips: VipBackend[]): PlaneNat[] {
  const out: PlaneNat[] = [];
  if (h.winnats.length) {
    const winnat: PlaneNat = {
      id: NAT_WINNAT,
      internal: h.winnats.map((w) => {
        const c = cidrNum(w.internalPrefix);
        return { base: c.base, len: c.len };
      }),
      externalIp: hostIp,
      pool: h.winnats[0].portPool,
      staticMappings: h.winnats.flatMap((w) =>
        w.staticMappings.map((m) => ({ proto: (m.protocol === 'TCP' ? 6 : 17) as 6 | 17, externalPort: m.externalPort, internalIp: ipNum(m.internalIp), internalPort: m.internalPort, line: m.line })),
      ),
      translateIcmp: true,
      exceptions: [],
    };
    out.push(winnat);
    if (osProfile(h.os).localhostLoopback && winnat.staticMappings.length) {
      // localhost forwarding (1803+): 127.0.0.1:<published port> maps like the host's address, and
      // the loopback source becomes the host's address so the container's answer comes back.
      out.push({ ...winnat, id: NAT_LOCALHOST, externalIp: LOOPBACK_IP, translateIcmp: false });
      out.push({ ...winnat, id: NAT_LOCALHOST_SOURCE, internal: [{ base: LOOPBACK_IP & 0xff000000, len: 8 }], staticMappings: [], translateIcmp: false });
    }
  }
  // VFP outbound NAT: overlay endpoints on ws2019+, l2bridge with enable_outboundnat.
  const internal: { base: number; len: number }[] = [];
  const exceptions: { base: number; len: number }[] = [];
  const staticMappings: PlaneNat['staticMappings'] = [];
  let icmp = true;
  for (const ep of h.endpoints) {
    if (!ep.outboundNat || ep.state === 'Detached') continue;
    const net = networkOf(world, h, ep);
    internal.push({ base: ipNum(ep.ip), len: 32 });
    // Host-mode published ports of an overlay endpoint: HNS port mapping policies on the endpoint,
    // on the host's address (moby v20.10.24 vendor/github.com/docker/libnetwork/drivers/windows/
    // overlay/ov_endpoint_windows.go: ConvertPortBindings on builds above 16236).
    if (net?.driver === 'overlay')
      for (const m of ep.portMappings)
        staticMappings.push({ proto: m.protocol === 'udp' ? 17 : 6, externalPort: m.hostPort, internalIp: ipNum(ep.ip), internalPort: m.containerPort, line: m.line });
    for (const e of outboundNatExceptions(net, ep)) exceptions.push(e);
    if (net?.driver === 'overlay') icmp = false;
  }
  if (internal.length) {
    out.push({ id: NAT_VFP, internal, externalIp: hostIp, pool: { first: 49152, last: 65535 }, staticMappings, translateIcmp: icmp, exceptions });
  }
  // VFP load balancer: each service VIP spreads its ports over the running tasks (one NAT instance per VIP).
  for (const b of vips) {
    out.push({
      id: b.nat,
      internal: b.tasks.map((t) => ({ base: t.ip, len: 32 })),
      externalIp: b.vip,
      pool: { first: 49152, last: 65535 },
      staticMappings: b.ports.flatMap((port) => b.tasks.map((t) => ({ proto: 6 as const, externalPort: port, internalIp: t.ip, internalPort: port, line: b.line }))),
      translateIcmp: false,
      exceptions: [],
      loadBalance: { seed: world.seed >>> 0 },
    });
  }
  return out;
}

/** Destinations an endpoint's VFP outbound NAT leaves alone: its network's subnets and the configured exceptions. */
export function outboundNatExceptions(net: Network | undefined, ep: Endpoint): { base: number; len: number }[] {
  const out: { base: number; len: number }[] = [];
  for (const e of ep.outboundNat?.exceptions ?? []) {
    const c = cidrNum(e.includes('/') ? e : `${e}/32`);
    out.push({ base: c.base, len: c.len });
  }
  for (const s of net?.subnets ?? []) {
    const c = cidrNum(s.prefix);
    out.push({ base: c.base, len: c.len });
  }
  return out;
}

/**
 * The service VIPs a host's containers can reach (overlay networks it has endpoints on), each with the
 * running tasks VFP spreads new connections over and the ports it serves. moby v20.10.24
 * (vendor/github.com/docker/libnetwork/service_windows.go, addLBBackend) programs every enabled
 * backend into the VIP's ILB policy list on builds above 16236.
 */
export function vipBackends(world: World, h: Host): VipBackend[] {
  const sw = world.swarm;
  if (!sw) return [];
  const out: VipBackend[] = [];
  for (const svc of sw.services) {
    for (const [netId, vip] of Object.entries(svc.vips)) {
      const local = vip ? h.endpoints.find((e) => e.networkId === netId && e.state !== 'Detached') : undefined;
      if (!vip || !local) continue;
      const net = networkOf(world, h, local);
      const tasks = serviceTaskEndpoints(world, svc.id, netId).map((ep) => ({ ip: ipNum(ep.ip), mac: macNum(ep.mac) }));
      if (!tasks.length) continue;
      const ports = [...new Set([80, ...svc.publish.map((p) => p.target)])];
      out.push({ vip: ipNum(vip.split('/')[0]), tasks, ports, line: svc.line, service: svc.name, vni: net?.vni ?? 0, nat: NAT_VIP_FIRST + out.length });
      if (out.length >= NAT_VIP_MAX) return out;
    }
  }
  return out;
}

/** 02-42 and the IPv4 address: the MAC libnetwork generates for an address (netutils.GenerateMACFromIP). */
export function macFromIp(ip: number): number {
  return 0x02_42_00_00_00_00 + (ip >>> 0);
}

/**
 * The routing mesh of a node (its OS has it, it holds the ingress network and an ingress-endpoint
 * address): each published ingress port of a service, with the service's running tasks on ingress.
 * moby v20.10.24 vendor/github.com/docker/libnetwork/service_windows.go: on builds above 16236 every
 * node programs an ELB policy list per ingress port (ExternalPort = published, InternalPort =
 * target, SourceVIP = the node's load-balancer endpoint on ingress) over every enabled backend.
 */
export function ingressPlan(world: World, h: Host): IngressPlan | null {
  const s = world.swarm;
  const node = s?.nodes.find((n) => n.host === h.name);
  const net = s?.networks.find((n) => n.ingress);
  if (!s || !node?.ingressIp || !net || !osProfile(h.os).routingMesh || !h.networks.some((n) => n.id === net.id)) return null;
  const ports: IngressPlan['ports'] = [];
  for (const svc of s.services) {
    const tasks = serviceTaskEndpoints(world, svc.id, net.id).map((ep) => ipNum(ep.ip));
    for (const p of svc.publish)
      if (p.mode === 'ingress' && !ports.some((q) => q.published === p.published && q.proto === (p.protocol === 'udp' ? 17 : 6)))
        ports.push({ proto: p.protocol === 'udp' ? 17 : 6, published: p.published, target: p.target, tasks, line: svc.line, service: svc.name });
  }
  const ip = ipNum(node.ingressIp);
  const c = cidrNum(net.subnets[0]!.prefix);
  return { sourceIp: ip, sourceMac: macFromIp(ip), vni: net.vni ?? 0, subnet: { base: c.base, len: c.len }, ports };
}

/** The complement of a prefix: the prefixes that cover every other IPv4 address (one per prefix bit). */
function complement(p: { base: number; len: number }): { base: number; len: number }[] {
  const out: { base: number; len: number }[] = [];
  for (let len = 1; len <= p.len; len++) {
    const bit = 2 ** (32 - len);
    const keep = len === 1 ? 0 : (p.base >>> (33 - len)) * 2 ** (33 - len);
    out.push({ base: (keep + ((p.base & bit) ? 0 : bit)) >>> 0, len });
  }
  return out;
}

/**
 * The routing mesh's two NAT instances: NAT_ELB (the node's address and each published port, spread
 * over the tasks' ingress addresses) and NAT_ELB_SOURCE (the client's address → the node's
 * ingress-endpoint, so the task answers through this node).
 */
function ingressNat(world: World, ig: IngressPlan | null, pa: number): PlaneNat[] {
  if (!ig || !pa) return [];
  const mappings = ig.ports.flatMap((p) => p.tasks.map((t) => ({ proto: p.proto, externalPort: p.published, internalIp: t, internalPort: p.target, line: p.line })));
  return [
    { id: NAT_ELB, internal: [ig.subnet], externalIp: pa, pool: { first: 49152, last: 65535 }, staticMappings: mappings, translateIcmp: false, exceptions: [], loadBalance: { seed: world.seed >>> 0 } },
    { id: NAT_ELB_SOURCE, internal: complement(ig.subnet), externalIp: ig.sourceIp, pool: { first: 49152, last: 65535 }, staticMappings: [], translateIcmp: false, exceptions: [] },
  ];
}

/** The endpoints of a service's running tasks on one network, on every host, in host then container order. */
export function serviceTaskEndpoints(world: World, serviceId: string, netId: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const other of world.hosts)
    for (const c of other.containers) {
      if (c.service?.serviceId !== serviceId || c.state !== 'running') continue;
      const ep = other.endpoints.find((e) => e.containerId === c.id && e.networkId === netId && e.state !== 'Detached');
      if (ep) out.push(ep);
    }
  return out;
}

function vxlanContents(world: World, h: Host, fab: HostFabric, localPa: number): PlaneVxlan | null {
  const overlays = fab.vswitches.flatMap((vs) => vs.networks.filter((n) => n.driver === 'overlay' && n.vni).map((n) => ({ vs, n })));
  if (!overlays.length) return null;
  const tunnels: PlaneVxlan['tunnels'] = [];
  for (const { vs, n } of overlays) {
    const ext = fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'external');
    for (const other of world.hosts) {
      if (other === h) continue;
      const remotePa = providerAddressNum(other);
      const remoteNic = other.nics.find((x) => x.ip && cidrNum(x.ip).ip === remotePa) ?? other.nics[0];
      for (const ep of other.endpoints) {
        if (ep.state === 'Detached') continue;
        const net = networkOf(world, other, ep);
        if (!net || net.vni !== n.vni) continue;
        tunnels.push({ vni: n.vni!, mac: macNum(ep.mac), remotePa, localPa, outerSrcMac: ext?.mac ?? 0, outerDstMac: remoteNic ? macNum(remoteNic.mac) : 0, line: ep.line });
      }
      // The other node's ingress-endpoint (the routing mesh's answers go back through it).
      const ig = n.ingress ? ingressPlan(world, other) : null;
      if (ig) tunnels.push({ vni: n.vni!, mac: ig.sourceMac, remotePa, localPa, outerSrcMac: ext?.mac ?? 0, outerDstMac: remoteNic ? macNum(remoteNic.mac) : 0 });
    }
  }
  return { localVteps: [localPa], vnis: overlays.map(({ n }) => ({ vni: n.vni!, ctx: n.vni! })), tunnels };
}

// ---- the LAN, the router, the internet ---------------------------------------------------------------

export type LanPortOwner = { kind: 'host'; host: string; nic: string } | { kind: 'router' } | { kind: 'client'; name: string };

export interface LanPort {
  id: number;
  name: string;
  owner: LanPortOwner;
}

export interface LanPlan {
  ports: LanPort[];
  routerPort: number;
  internetPort: number;
  routerMac: number;
  routerIp: number;
  routerLen: number;
  contents: PlaneContents;
}

/** The router's MAC on the LAN, and the ISP side beyond it. */
export const ROUTER_MAC = 0x00_1d_d8_b7_1c_01;
export const INTERNET_GW_MAC = 0x00_1d_d8_b7_1c_fe;
export const INTERNET_GW_IP = 0xcb_00_71_01; // 203.0.113.1, the ISP side of the router
/** The router's port toward the internet. */
export const INTERNET_PORT = 0x7fff;

export function deriveLan(world: World): LanPlan {
  const ports: LanPort[] = [];
  let id = 1;
  const routerPort = id++;
  ports.push({ id: routerPort, name: 'router', owner: { kind: 'router' } });
  for (const h of world.hosts) for (const n of h.nics) ports.push({ id: id++, name: `${h.name} ${n.name}`, owner: { kind: 'host', host: h.name, nic: n.name } });
  for (const c of world.clients) if (c.where === 'lan') ports.push({ id: id++, name: c.name, owner: { kind: 'client', name: c.name } });
  const subnet = cidrNum(world.underlay.subnet ?? '10.0.0.0/24');
  const routerIp = ipNum(world.underlay.gateway ?? '10.0.0.1');
  const hostOf = (name: string) => world.hosts.find((h) => h.name === name)!;
  const vlanPorts = ports.map((p): VlanPort => {
    // A host NIC in trunk mode carries every VLAN; one that is not takes untagged frames only.
    if (p.owner.kind === 'host' && hostOf(p.owner.host).trunk) return { port: p.id, mode: 'trunk', native: DEFAULT_VLAN, allowed: ALL_VLANS };
    return { port: p.id, mode: 'access', vid: DEFAULT_VLAN };
  });
  // The LAN switch has long since learned its stations (host NICs, clients, the router); container
  // MACs on transparent networks are learned as they speak.
  const fdb: PlaneFdbEntry[] = [{ vswitch: 1, mac: ROUTER_MAC, vlan: DEFAULT_VLAN, port: routerPort }];
  for (const p of ports) {
    const o = p.owner;
    const mac = o.kind === 'host' ? hostOf(o.host).nics.find((x) => x.name === o.nic)?.mac : o.kind === 'client' ? world.clients.find((x) => x.name === o.name)?.mac : undefined;
    if (mac) fdb.push({ vswitch: 1, mac: macNum(mac), vlan: DEFAULT_VLAN, port: p.id });
  }
  const contents: PlaneContents = {
    fdb,
    vlans: [{ vswitch: 1, ports: vlanPorts }],
    domains: [
      {
        id: 1,
        routes: [
          { prefix: subnet.base, len: subnet.len, nextHop: 0, port: routerPort, srcMac: ROUTER_MAC, metric: 0 },
          { prefix: 0, len: 0, nextHop: INTERNET_GW_IP, port: INTERNET_PORT, srcMac: ROUTER_MAC, metric: 0 },
        ],
        local: [routerIp],
        neighbors: [{ ip: INTERNET_GW_IP, mac: INTERNET_GW_MAC }],
      },
    ],
    acl: [],
    nat: [],
    macRewrite: [],
    vxlan: null,
  };
  return { ports, routerPort, internetPort: INTERNET_PORT, routerMac: ROUTER_MAC, routerIp, routerLen: subnet.len, contents };
}

export { containerName };
