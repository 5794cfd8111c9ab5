/**
 * A simulation session: the data planes of every host and of the LAN, kept in step with the model,
 * and everything the packet walker asks of the world (programs per place, stations' answers, the
 * neighbour caches, the VM host's switch). One session per script run.
 */
import * as abi from '../abi.js';
import type { PacketCore, ProgramStep } from '../engine/core.js';
import type { Endpoint, Host, Network, World } from '../model/types.js';
import { osProfile } from '../model/os.js';
import { parseAclRule, type AclRule, type AclRuleSet } from '../tables/acl.js';
import { buildFrame } from '../wire/build.js';
import { writeMac } from '../wire/ethernet.js';
import { CorePlane, type Plane } from './planes.js';
import { HOST_DOMAIN, cidrNum, containerName, hostFabric, ipNum, macNum, sameSubnet, type HostFabric, type PortDesc } from './fabric.js';
import { DEFAULT_VLAN, type DomainTables, type NatInstance, type PlaneTables, type VxlanTables } from './tables.js';
import type { VlanPort } from '../tables/vlan-ports.js';
import { loadPlaneTables, describeEntry } from './load.js';
import { setNatClock } from '../engine/tables/nat.js';
import { Walker, type LanLayout, type ProgramBuilder, type Station, type WalkWorld } from './walker.js';
import { peek } from './peek.js';
import { ipText as ipTextOf } from './hops.js';
import { encodeDns, decodeDns, DNS_PORT } from './dns.js';

/** The ACL rule-set ids of a host: one per endpoint port (VFP), one per compartment firewall, the host firewall. */
const ACL_HOST_FIREWALL = 1;
const aclEndpoint = (port: number) => 100 + port;
const aclCompartment = (domain: number) => 2000 + domain;
/** NAT instances: WinNAT, and VFP outbound NAT (overlay / l2bridge). */
export const NAT_WINNAT = 0;
export const NAT_VFP = 1;
/** NAT instances 2.. : the VFP load balancer of each service VIP. */
export const NAT_VIP_FIRST = 2;

const ROUTER_MAC = 0x00_1d_d8_b7_1c_01;
const ALL_VLANS = Array.from({ length: 4094 }, (_, k) => k + 1);
const INTERNET_GW_MAC = 0x00_1d_d8_b7_1c_fe;
const INTERNET_GW_IP = 0xcb_00_71_01; // 203.0.113.1, the ISP side of the router

/**
 * The first packet of a flow, which a stateful firewall judges: a TCP SYN, an ICMP echo request, a
 * UDP datagram to a service port (below the dynamic range). Replies belong to flows already allowed.
 */
export function opensFlow(frame: Uint8Array): boolean {
  const p = peek(frame);
  if (p.tcp) return (p.tcp.flags & 0x12) === 0x02;
  if (p.icmp) return p.icmp.type === 8;
  if (p.udp) return p.udp.dport < 49152;
  return !!p.ip;
}

export interface CoreFactory {
  (): Promise<PacketCore>;
}

/** What a station is: its interfaces, what it listens on, how it answers DNS. */
interface StationInfo {
  ifs: { ip: number; mac: number }[];
  ttl: number;
  listens(proto: 'tcp' | 'udp', port: number): boolean;
  dns?(name: string, from: number): string[] | null;
  server?: string;
}

const WINDOWS_PING_PAYLOAD = 'abcdefghijklmnopqrstuvwabcdefghi';

export class SimSession implements WalkWorld {
  private planes = new Map<string, Plane>();
  private lanPlaneInst: Plane | null = null;
  private fabrics = new Map<string, HostFabric>();
  private tables = new Map<string, PlaneTables>();
  private neighbors = new Map<string, Map<number, number>>();
  private loaded = new Map<string, string>();
  lan!: LanLayout & { ports: { id: number; name: string; owner: ReturnType<LanLayout['portOwner']> }[] };
  readonly programs: ProgramBuilder;
  readonly walker: Walker;
  /** Frames seen on simulated wires, in order, for pcap export. */
  readonly captured: { at: string; frame: Uint8Array }[] = [];
  capturing = false;

  constructor(
    public world: World,
    private readonly createCore: CoreFactory,
    /** Resolves a name as Docker's embedded DNS does for the endpoint that asked (service discovery per driver). */
    private readonly resolver: (world: World, fromEndpoint: string, name: string) => { found: true; ips: string[] } | { found: false; forwardTo: string[] },
  ) {
    this.programs = this.makePrograms();
    this.walker = new Walker(this);
  }

  // ---- keeping the planes in step with the model ----------------------------------------------

  /** Rebuilds the forwarding view and reloads every plane whose tables changed. */
  async sync(world: World): Promise<void> {
    this.world = world;
    this.fabrics.clear();
    for (const h of world.hosts) this.fabrics.set(h.name, hostFabric(world, h));
    this.lan = this.buildLan();
    for (const h of world.hosts) {
      if (!this.planes.has(h.name)) this.planes.set(h.name, new CorePlane(await this.createCore()));
      this.prepopulate(h);
      const t = this.hostTables(h);
      this.tables.set(h.name, t);
      const key = JSON.stringify(t, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      if (this.loaded.get(h.name) !== key) {
        loadPlaneTables(this.planes.get(h.name)!.core, t, this.tables.get(`prev:${h.name}`) ?? null);
        this.tables.set(`prev:${h.name}`, t);
        this.loaded.set(h.name, key);
      }
    }
    // WinNAT's session timeouts follow the script's simulated clock (one second per command).
    for (const h of world.hosts) if (this.tables.get(h.name)?.nat.length) setNatClock(this.planes.get(h.name)!.core, world.clock);
    if (!this.lanPlaneInst) this.lanPlaneInst = new CorePlane(await this.createCore());
    const lt = this.lanTables();
    this.tables.set('lan', lt);
    const lkey = JSON.stringify(lt);
    if (this.loaded.get('lan') !== lkey) {
      loadPlaneTables(this.lanPlaneInst.core, lt, this.tables.get('prev:lan') ?? null);
      this.tables.set('prev:lan', lt);
      this.loaded.set('lan', lkey);
    }
  }

  hasPlane(host: string): boolean {
    return this.planes.has(host);
  }

  hasFabric(host: string): boolean {
    return this.fabrics.has(host);
  }

  hostPlane(host: string): Plane {
    const p = this.planes.get(host);
    if (!p) throw new Error(`no data plane for host ${host}`);
    return p;
  }

  lanPlane(): Plane {
    return this.lanPlaneInst!;
  }

  fabric(host: string): HostFabric {
    const f = this.fabrics.get(host);
    if (!f) throw new Error(`no fabric for host ${host}`);
    return f;
  }

  planeTables(name: string): PlaneTables | undefined {
    return this.tables.get(name);
  }

  private host(name: string): Host {
    return this.world.hosts.find((h) => h.name === name)!;
  }

  // ---- the LAN, the router, the internet ---------------------------------------------------------

  private buildLan(): SimSession['lan'] {
    const ports: { id: number; name: string; owner: ReturnType<LanLayout['portOwner']> }[] = [];
    let id = 1;
    const routerPort = id++;
    ports.push({ id: routerPort, name: 'router', owner: { kind: 'router' } });
    const internetPort = 0x7fff;
    const nicPorts = new Map<string, number>();
    for (const h of this.world.hosts) {
      for (const n of h.nics) {
        const p = id++;
        nicPorts.set(`${h.name}\u0000${n.name}`, p);
        ports.push({ id: p, name: `${h.name} ${n.name}`, owner: { kind: 'host', host: h.name, nic: n.name } });
      }
    }
    const clientPorts = new Map<string, number>();
    for (const c of this.world.clients) {
      if (c.where !== 'lan') continue;
      const p = id++;
      clientPorts.set(c.name, p);
      ports.push({ id: p, name: c.name, owner: { kind: 'client', name: c.name } });
    }
    const gw = this.world.underlay.gateway ?? '10.0.0.1';
    const subnet = cidrNum(this.world.underlay.subnet ?? '10.0.0.0/24');
    return {
      ports,
      routerPort,
      internetPort,
      routerMac: ROUTER_MAC,
      routerIp: ipNum(gw),
      routerLen: subnet.len,
      hostNicPort: (host, nic) => nicPorts.get(`${host}\u0000${nic}`),
      portOwner: (port) => ports.find((p) => p.id === port)?.owner,
      clientPort: (name) => clientPorts.get(name),
      portName: (port) => (port === internetPort ? 'internet' : ports.find((p) => p.id === port)?.name ?? `port ${port}`),
    };
  }

  private lanTables(): PlaneTables {
    const lan = this.lan;
    const ports: VlanPort[] = lan.ports.map((p): VlanPort => {
      // A host NIC in trunk mode carries every VLAN; one that is not takes untagged frames only.
      if (p.owner?.kind === 'host' && this.host(p.owner.host).trunk) return { port: p.id, mode: 'trunk', native: DEFAULT_VLAN, allowed: ALL_VLANS };
      return { port: p.id, mode: 'access', vid: DEFAULT_VLAN };
    });
    const subnet = cidrNum(this.world.underlay.subnet ?? '10.0.0.0/24');
    const routerNeighbors = this.neighborList('router', 1);
    routerNeighbors.push({ ip: INTERNET_GW_IP, mac: INTERNET_GW_MAC });
    return {
      // The LAN switch has long since learned its stations (host NICs, clients, the router); container
      // MACs on transparent networks are learned as they speak.
      fdb: [
        { vswitch: 1, mac: ROUTER_MAC, vlan: DEFAULT_VLAN, port: lan.routerPort },
        ...lan.ports.flatMap((p) => {
          if (p.owner?.kind === 'host') {
            const owner = p.owner;
            const nic = this.host(owner.host).nics.find((x) => x.name === owner.nic);
            return nic ? [{ vswitch: 1, mac: macNum(nic.mac), vlan: DEFAULT_VLAN, port: p.id }] : [];
          }
          if (p.owner?.kind === 'client') {
            const owner = p.owner;
            const c = this.world.clients.find((x) => x.name === owner.name);
            return c ? [{ vswitch: 1, mac: macNum(c.mac), vlan: DEFAULT_VLAN, port: p.id }] : [];
          }
          return [];
        }),
      ],
      vlans: [{ vswitch: 1, ports }],
      domains: [
        {
          id: 1,
          routes: [
            { prefix: subnet.base, len: subnet.len, nextHop: 0, port: lan.routerPort, srcMac: ROUTER_MAC, metric: 0 },
            { prefix: 0, len: 0, nextHop: INTERNET_GW_IP, port: lan.internetPort, srcMac: ROUTER_MAC, metric: 0 },
          ],
          local: [lan.routerIp],
          neighbors: routerNeighbors,
        },
      ],
      acl: [],
      nat: [],
      macRewrite: [],
      vxlan: null,
    };
  }

  internetStation(ip: number): Station {
    return { kind: 'internet', ip };
  }

  // ---- neighbour caches ----------------------------------------------------------------------------

  private neighborList(host: string, domain: number): { ip: number; mac: number }[] {
    const m = this.neighbors.get(`${host}:${domain}`);
    return m ? [...m.entries()].map(([ip, mac]) => ({ ip, mac })) : [];
  }

  learnNeighbor(host: string, domain: number, ip: number, mac: number): void {
    const key = `${host}:${domain}`;
    let m = this.neighbors.get(key);
    if (!m) this.neighbors.set(key, (m = new Map()));
    if (m.get(ip) === mac) return;
    m.set(ip, mac);
    // Reload the plane's tables so the route stage sees the new neighbour.
    if (host === 'router') {
      const lt = this.lanTables();
      loadPlaneTables(this.lanPlaneInst!.core, lt, this.tables.get('prev:lan') ?? null);
      this.tables.set('prev:lan', lt);
      this.tables.set('lan', lt);
      this.loaded.set('lan', JSON.stringify(lt));
    } else {
      const h = this.host(host);
      const t = this.hostTables(h);
      loadPlaneTables(this.hostPlane(host).core, t, this.tables.get(`prev:${host}`) ?? null);
      this.tables.set(`prev:${host}`, t);
      this.tables.set(host, t);
      this.loaded.set(host, JSON.stringify(t));
    }
  }

  /** HNS programs what it knows: the host stack knows its own endpoints (no ARP needed from the host). */
  private prepopulate(h: Host): void {
    const key = `${h.name}:${HOST_DOMAIN}`;
    let m = this.neighbors.get(key);
    if (!m) this.neighbors.set(key, (m = new Map()));
    for (const ep of h.endpoints) if (ep.state !== 'Detached') m.set(ipNum(ep.ip), macNum(ep.mac));
  }

  // ---- host tables ------------------------------------------------------------------------------------

  private networkOf(h: Host, ep: Endpoint): Network | undefined {
    return h.networks.find((n) => n.id === ep.networkId) ?? this.world.swarm?.networks.find((n) => n.id === ep.networkId);
  }

  private hostTables(h: Host): PlaneTables {
    const fab = this.fabric(h.name);
    const fdb: PlaneTables['fdb'] = [];
    const vlans: PlaneTables['vlans'] = fab.vswitches.map((vs) => ({ vswitch: vs.id, ports: [] as VlanPort[] }));
    const acl: PlaneTables['acl'] = [];
    const macRewrite: PlaneTables['macRewrite'] = [];
    for (const p of fab.ports) {
      if (p.kind === 'nic') continue;
      const vlan = p.vlan || DEFAULT_VLAN;
      fdb.push({ vswitch: p.vswitch, mac: p.mac, vlan, port: p.id });
      const table = vlans[p.vswitch - 1].ports;
      if (p.kind === 'external') table.push({ port: p.id, mode: 'trunk', native: DEFAULT_VLAN, allowed: ALL_VLANS });
      else table.push({ port: p.id, mode: 'access', vid: vlan });
      if (p.kind === 'endpoint') {
        const ep = p.endpoint!;
        acl.push({ id: aclEndpoint(p.id), name: `VFP ACLs of ${p.name}`, ...this.endpointAcl(h, ep) });
      }
    }
    // Remote overlay endpoints are reached through the external port (HNS remote endpoints).
    const vx = this.vxlanTables(h, fab);
    if (vx) {
      for (const t of vx.tunnels) {
        const vs = fab.vswitches.find((v) => v.networks.some((n) => n.vni === t.vni));
        const ext = vs && fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'external');
        if (vs && ext) fdb.push({ vswitch: vs.id, mac: t.mac, vlan: DEFAULT_VLAN, port: ext.id });
      }
    }
    for (const vs of fab.vswitches) {
      for (const n of vs.networks) {
        if (n.driver !== 'l2bridge') continue;
        const nic = h.nics.find((x) => x.name === vs.model.nics[0]);
        macRewrite.push({
          id: vs.id,
          hostMac: nic ? macNum(nic.mac) : 0,
          endpoints: h.endpoints.filter((e) => e.networkId === n.id && e.state !== 'Detached').map((e) => ({ ip: ipNum(e.ip), mac: macNum(e.mac) })),
        });
      }
    }
    acl.push({ id: ACL_HOST_FIREWALL, name: 'Windows Firewall (host)', ...this.firewallSet(h, h.firewall) });
    const domains: DomainTables[] = fab.domains.map((d) => {
      const routes = d.routes.slice();
      if (d.id === HOST_DOMAIN) {
        // The host reaches its overlay endpoints through the overlay vSwitch's host vNIC.
        for (const vs of fab.vswitches) {
          const vnic = fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'vnic');
          if (!vnic) continue;
          for (const n of vs.networks) {
            if (n.driver !== 'overlay') continue;
            for (const s of n.subnets) {
              const c = cidrNum(s.prefix);
              routes.push({ prefix: c.base, len: c.len, nextHop: 0, port: vnic.id, srcMac: vnic.mac, metric: 10 });
            }
          }
        }
      }
      const local = d.interfaces.map((i) => i.ip);
      // Docker's embedded DNS listens on each overlay network's gateway address (VFP answers ARP for it).
      if (d.id === HOST_DOMAIN) for (const vs of fab.vswitches) for (const n of vs.networks) if (n.driver === 'overlay') for (const sn of n.subnets) local.push(ipNum(sn.gateway));
      return { id: d.id, routes, local, neighbors: this.neighborList(h.name, d.id) };
    });
    for (const c of h.containers) {
      const dom = fab.domains.find((d) => d.id === c.compartmentId);
      if (dom) acl.push({ id: aclCompartment(dom.id), name: `Windows Firewall (${c.name})`, ...this.firewallSet(h, c.firewall) });
    }
    return { fdb, vlans, domains, acl, nat: this.natTables(h, fab), macRewrite, vxlan: vx };
  }

  /** VFP ACLs of an endpoint: its HNS ACL policies over the default allow-all (priority 65500). */
  private endpointAcl(h: Host, ep: Endpoint): { set: AclRuleSet; lines: number[] } {
    const rules: AclRule[] = [];
    const lines: number[] = [];
    for (const a of ep.acls) {
      try {
        rules.push(parseAclRule({ id: a.id, action: a.action, direction: a.direction, protocol: a.protocol === 256 ? 'any' : a.protocol, localAddresses: a.localAddresses || 'any', remoteAddresses: a.remoteAddresses || 'any', localPorts: a.localPorts || 'any', remotePorts: a.remotePorts || 'any', priority: a.priority }));
        lines.push(a.line);
      } catch {
        // A policy the model accepted but the classifier cannot express is skipped (never silently allowed: the default stays).
      }
    }
    void h;
    return { set: { semantics: 'vfp', defaultAction: 'allow', rules }, lines };
  }

  /** A Windows Firewall rule set: profile defaults (in the model's rules) and the rules added by commands. */
  private firewallSet(h: Host, rulesIn: Host['firewall']): { set: AclRuleSet; lines: number[] } {
    const rules: AclRule[] = [];
    const lines: number[] = [];
    for (const r of rulesIn) {
      if (!r.enabled) continue;
      try {
        rules.push(parseAclRule({ name: r.name, action: r.action, direction: r.direction, protocol: r.protocol === 'ICMPv4' ? 1 : r.protocol, localAddresses: r.localAddresses, remoteAddresses: r.remoteAddresses, localPorts: r.localPorts, remotePorts: r.remotePorts }));
        lines.push(r.line);
      } catch {
        // See endpointAcl.
      }
    }
    const inbound = h.os === 'ws2016' || h.os === 'win10-1703' ? 'block' : 'allow';
    return { set: { semantics: 'firewall', defaultAction: { in: inbound, out: 'allow' }, rules }, lines };
  }

  private natTables(h: Host, fab: HostFabric): NatInstance[] {
    const out: NatInstance[] = [];
    const hostIp = this.hostIp(h);
    if (h.winnats.length) {
      const nat = h.winnats[0];
      out.push({
        id: NAT_WINNAT,
        internal: h.winnats.map((w) => {
          const c = cidrNum(w.internalPrefix);
          return { base: c.base, len: c.len };
        }),
        externalIp: hostIp,
        pool: nat.portPool,
        staticMappings: h.winnats.flatMap((w) =>
          w.staticMappings.map((m) => ({ proto: (m.protocol === 'TCP' ? 6 : 17) as 6 | 17, externalPort: m.externalPort, internalIp: ipNum(m.internalIp), internalPort: m.internalPort, line: m.line })),
        ),
        translateIcmp: true,
        exceptions: [],
      });
    }
    // VFP outbound NAT: overlay endpoints on ws2019+, l2bridge with enable_outboundnat.
    const internal: { base: number; len: number }[] = [];
    const exceptions: { base: number; len: number }[] = [];
    let icmp = true;
    for (const ep of h.endpoints) {
      if (!ep.outboundNat || ep.state === 'Detached') continue;
      const net = this.networkOf(h, ep);
      internal.push({ base: ipNum(ep.ip), len: 32 });
      for (const e of ep.outboundNat.exceptions) {
        const c = cidrNum(e.includes('/') ? e : `${e}/32`);
        exceptions.push({ base: c.base, len: c.len });
      }
      for (const s of net?.subnets ?? []) {
        const c = cidrNum(s.prefix);
        exceptions.push({ base: c.base, len: c.len });
      }
      if (net?.driver === 'overlay') icmp = false;
    }
    if (internal.length) {
      out.push({ id: NAT_VFP, internal, externalIp: hostIp, pool: { first: 49152, last: 65535 }, staticMappings: [], translateIcmp: icmp, exceptions });
    }
    // VFP load balancer: each service VIP maps its ports to a running task (one NAT instance per VIP).
    this.vipBackends(h).forEach((b, k) => {
      out.push({
        id: NAT_VIP_FIRST + k,
        internal: [{ base: b.task, len: 32 }],
        externalIp: b.vip,
        pool: { first: 49152, last: 65535 },
        staticMappings: b.ports.map((port) => ({ proto: 6 as const, externalPort: port, internalIp: b.task, internalPort: port, line: b.line })),
        translateIcmp: false,
        exceptions: [],
      });
    });
    void fab;
    return out;
  }

  /**
   * The service VIPs this host's containers can reach (overlay networks it has endpoints on), each
   * with the task VFP sends new connections to (the first running task) and the ports it serves.
   */
  vipBackends(h: Host): { vip: number; task: number; taskMac: number; ports: number[]; line: number; service: string; vni: number }[] {
    const sw = this.world.swarm;
    if (!sw) return [];
    const out: { vip: number; task: number; taskMac: number; ports: number[]; line: number; service: string; vni: number }[] = [];
    for (const svc of sw.services) {
      for (const [netId, vip] of Object.entries(svc.vips)) {
        if (!vip || !h.endpoints.some((e) => e.networkId === netId && e.state !== 'Detached')) continue;
        const net = this.networkOf(h, h.endpoints.find((e) => e.networkId === netId)!);
        for (const other of this.world.hosts) {
          const c = other.containers.find((x) => x.service?.serviceId === svc.id && x.state === 'running' && other.endpoints.some((e) => e.containerId === x.id && e.networkId === netId));
          if (!c) continue;
          const ep = other.endpoints.find((e) => e.containerId === c.id && e.networkId === netId)!;
          const ports = [...new Set([80, ...svc.publish.map((p) => p.target)])];
          out.push({ vip: ipNum(vip.split('/')[0]), task: ipNum(ep.ip), taskMac: macNum(ep.mac), ports, line: svc.line, service: svc.name, vni: net?.vni ?? 0 });
          break;
        }
        if (out.length >= 14) return out;
      }
    }
    return out;
  }

  private hostIp(h: Host): number {
    for (const n of h.nics) if (n.ip) return cidrNum(n.ip).ip;
    for (const vs of h.vswitches) if (vs.type === 'External' && vs.hostVnic?.ip) return cidrNum(vs.hostVnic.ip).ip;
    return 0;
  }

  private vxlanTables(h: Host, fab: HostFabric): VxlanTables | null {
    const overlays = fab.vswitches.flatMap((vs) => vs.networks.filter((n) => n.driver === 'overlay' && n.vni).map((n) => ({ vs, n })));
    if (!overlays.length) return null;
    const localPa = this.hostIp(h);
    const tunnels: VxlanTables['tunnels'] = [];
    for (const { vs, n } of overlays) {
      const ext = fab.ports.find((p) => p.vswitch === vs.id && p.kind === 'external');
      for (const other of this.world.hosts) {
        if (other === h) continue;
        const remotePa = this.hostIp(other);
        const remoteNic = other.nics.find((x) => x.ip && cidrNum(x.ip).ip === remotePa) ?? other.nics[0];
        for (const ep of other.endpoints) {
          if (ep.state === 'Detached') continue;
          const net = this.networkOf(other, ep);
          if (!net || net.vni !== n.vni) continue;
          tunnels.push({ vni: n.vni!, mac: macNum(ep.mac), remotePa, localPa, outerSrcMac: ext?.mac ?? 0, outerDstMac: remoteNic ? macNum(remoteNic.mac) : 0 });
        }
      }
    }
    // D_CTX of an overlay packet is its network's VNI (unique per network, several networks may share a vSwitch).
    return { localVteps: [localPa], vnis: overlays.map(({ n }) => ({ vni: n.vni!, ctx: n.vni! })), tunnels };
  }

  // ---- programs per place -------------------------------------------------------------------------------

  private makePrograms(): ProgramBuilder {
    const P = (stage: number, a0 = 0, a1 = 0): ProgramStep => ({ stage, a0, a1 });
    return {
      vswitchIngress: (host, port, frame) => {
        const h = this.host(host);
        const fab = this.fabric(host);
        const vs = fab.vswitches[port.vswitch - 1];
        const steps: ProgramStep[] = [P(abi.STAGE_PARSE), P(abi.STAGE_VLAN_IN, vs.id)];
        if (port.kind === 'endpoint') {
          const ep = port.endpoint!;
          steps.push(P(abi.STAGE_ACL, aclEndpoint(port.id), 1));
          const dst = peek(frame).ip?.dst;
          const vip = dst === undefined ? -1 : this.vipBackends(h).findIndex((b) => b.vip === dst);
          if (vip >= 0) steps.push(P(abi.STAGE_NAT, NAT_VIP_FIRST + vip, 1));
          if (ep.outboundNat && this.needsOutboundNat(h, ep, frame)) steps.push(P(abi.STAGE_NAT, NAT_VFP, 0));
        } else if (port.kind === 'external') {
          const p = peek(frame);
          if (p.udp?.dport === 4789 && vs.networks.some((n) => n.driver === 'overlay')) {
            // The inner frame is parsed again and enters the overlay network's (untagged) VLAN.
            steps.push(P(abi.STAGE_VXLAN_DECAP, 0), P(abi.STAGE_PARSE), P(abi.STAGE_VLAN_IN, vs.id));
          }
          if (vs.networks.some((n) => n.driver === 'l2bridge')) {
            if (this.tables.get(host)?.nat.some((n) => n.id === NAT_VFP)) steps.push(P(abi.STAGE_NAT, NAT_VFP, 1));
            if (this.isEndpointDestination(h, frame)) steps.push(P(abi.STAGE_MAC_REWRITE, vs.id, 1));
          }
        }
        if (port.kind === 'endpoint' && this.networkOf(h, port.endpoint!)?.driver === 'l2tunnel') return steps;
        steps.push(P(abi.STAGE_SWITCH, vs.id));
        return steps;
      },
      vswitchEgress: (host, port, frame, inPort) => {
        const fab = this.fabric(host);
        const vs = fab.vswitches[port.vswitch - 1];
        const from = fab.ports.find((p) => p.id === inPort);
        const fromOverlay = from?.kind === 'endpoint' && this.networkOf(this.host(host), from.endpoint!)?.driver === 'overlay';
        if (port.kind === 'endpoint') {
          const p = peek(frame);
          const l4 = p.tcp ?? p.udp;
          const k = p.ip && l4 ? this.vipBackends(this.host(host)).findIndex((b) => b.task === p.ip!.src && b.ports.includes(l4.sport)) : -1;
          const lb = k >= 0 ? [P(abi.STAGE_NAT, NAT_VIP_FIRST + k, 0)] : [];
          return [...lb, P(abi.STAGE_ACL, aclEndpoint(port.id), 0), P(abi.STAGE_VLAN_OUT, vs.id)];
        }
        if (port.kind === 'external') {
          const steps: ProgramStep[] = [];
          const p = peek(frame);
          if (vs.networks.some((n) => n.driver === 'l2bridge') && p.srcMac !== port.mac) steps.push(P(abi.STAGE_MAC_REWRITE, vs.id, 0));
          const vx = this.tables.get(host)?.vxlan;
          // Overlay frames never leave unencapsulated: encap finds the remote endpoint's tunnel or drops.
          if (vx && (fromOverlay || vx.tunnels.some((t) => t.mac === p.dstMac))) steps.push(P(abi.STAGE_VXLAN_ENCAP, 0));
          steps.push(P(abi.STAGE_VLAN_OUT, vs.id));
          return steps;
        }
        return [P(abi.STAGE_VLAN_OUT, vs.id)];
      },
      hostIngress: (host, port, frame) => {
        const steps: ProgramStep[] = [P(abi.STAGE_PARSE)];
        const nat = this.tables.get(host)?.nat ?? [];
        if (!this.isUplink(host, port) && this.isPublishedReply(host, frame)) {
          // A published service answering the host itself (NAT loopback): WinNAT reverses the mapping.
          steps.push(P(abi.STAGE_NAT, NAT_WINNAT, 0));
        }
        if (this.isUplink(host, port)) {
          // The Windows Firewall is stateful: it judges the first packet of an inbound flow, before
          // WinNAT maps a published port; replies of flows it allowed are not judged again.
          if (opensFlow(frame)) steps.push(P(abi.STAGE_ACL, ACL_HOST_FIREWALL, 0));
          // WinNAT: replies of outbound sessions and static mappings (a miss is traffic for the host).
          if (nat.some((n) => n.id === NAT_WINNAT)) steps.push(P(abi.STAGE_NAT, NAT_WINNAT, 1));
          if (nat.some((n) => n.id === NAT_VFP)) steps.push(P(abi.STAGE_NAT, NAT_VFP, 1));
        }
        steps.push(P(abi.STAGE_ROUTE, HOST_DOMAIN));
        return steps;
      },
      hostEgressNic: (host) => {
        const nat = this.tables.get(host)?.nat ?? [];
        return nat.some((n) => n.id === NAT_WINNAT) ? [P(abi.STAGE_NAT, NAT_WINNAT, 0)] : [];
      },
      compartmentIngress: (host, domain, frame) => {
        const t = this.tables.get(host);
        if (!opensFlow(frame)) return [];
        return t?.acl.some((a) => a.id === aclCompartment(domain)) ? [P(abi.STAGE_ACL, aclCompartment(domain), 0)] : [];
      },
      isUplink: (host, port) => port.kind === 'vnic' && this.isUplink(host, port),
      contextOf: (host, port) => {
        const net = port.endpoint ? this.networkOf(this.host(host), port.endpoint) : undefined;
        return net?.driver === 'overlay' && net.vni ? net.vni : port.vswitch;
      },
      loopback: (host, frame) => {
        const h = this.host(host);
        const nat = this.tables.get(host)?.nat.find((n) => n.id === NAT_WINNAT);
        if (!nat || !osProfile(h.os).natLoopback) return [];
        const p = peek(frame);
        const l4 = p.tcp ?? p.udp;
        if (!p.ip || !l4 || p.ip.dst !== nat.externalIp) return [];
        const proto = p.tcp ? 6 : 17;
        if (!nat.staticMappings.some((m) => m.proto === proto && m.externalPort === l4.dport)) return [];
        return [P(abi.STAGE_NAT, NAT_WINNAT, 1), P(abi.STAGE_ROUTE, HOST_DOMAIN, 1)];
      },
      hairpinPort: (host, port) => {
        const ep = port.endpoint;
        if (!ep || this.networkOf(this.host(host), ep)?.driver !== 'l2tunnel') return null;
        return this.fabric(host).ports.find((p) => p.vswitch === port.vswitch && p.kind === 'external')?.id ?? null;
      },
      describe: (host, stage, entry, action, a0) =>
        describeEntry(this.tables.get(host === 'lan' ? 'lan' : host), stage, entry, action, a0 ?? 0, (p) => (host === 'lan' ? (p === this.lan.routerPort ? 'LAN' : this.lan.portName(p)) : this.fabrics.get(host)?.ports.find((x) => x.id === p)?.name ?? `port ${p}`)),
    };
  }

  /** The uplink of a host: a NIC of the host stack, or the host vNIC of an external vSwitch. */
  private isUplink(host: string, port: PortDesc): boolean {
    if (port.kind === 'nic') return true;
    const vs = this.fabric(host).vswitches[port.vswitch - 1];
    return vs?.model.type === 'External';
  }

  /** A TCP/UDP packet from a published container port to the host's own address (a loopback reply). */
  private isPublishedReply(host: string, frame: Uint8Array): boolean {
    const nat = this.tables.get(host)?.nat.find((n) => n.id === NAT_WINNAT);
    const p = peek(frame);
    const l4 = p.tcp ?? p.udp;
    if (!nat || !p.ip || !l4 || p.ip.dst !== nat.externalIp) return false;
    return nat.staticMappings.some((m) => m.internalIp === p.ip!.src && m.internalPort === l4.sport);
  }

  private needsOutboundNat(h: Host, ep: Endpoint, frame: Uint8Array): boolean {
    const ip = peek(frame).ip;
    if (!ip) return false;
    const net = this.networkOf(h, ep);
    for (const s of net?.subnets ?? []) {
      const c = cidrNum(s.prefix);
      if (sameSubnet(c.base, ip.dst, c.len)) return false;
    }
    for (const e of ep.outboundNat?.exceptions ?? []) {
      const c = cidrNum(e.includes('/') ? e : `${e}/32`);
      if (sameSubnet(c.base, ip.dst, c.len)) return false;
    }
    return true;
  }

  private isEndpointDestination(h: Host, frame: Uint8Array): boolean {
    const p = peek(frame);
    const dst = p.ip?.dst ?? p.arp?.tpa;
    if (dst === undefined) return false;
    return h.endpoints.some((e) => e.state !== 'Detached' && ipNum(e.ip) === dst && this.networkOf(h, e)?.driver === 'l2bridge');
  }

  // ---- the VM host's switch (MAC address spoofing) -----------------------------------------------------

  outerSwitchDrop(host: string, frame: Uint8Array): string | null {
    const h = this.host(host);
    if (!h.virtualized || h.macSpoofing) return null;
    const src = peek(frame).srcMac;
    const own = new Set<number>();
    for (const n of h.nics) own.add(macNum(n.mac));
    for (const vs of h.vswitches) if (vs.hostVnic) own.add(macNum(vs.hostVnic.mac));
    if (own.has(src)) return null;
    return 'MAC address spoofing is off on this VM\'s network adapter: the Hyper-V host drops frames with a container\'s source MAC';
  }

  /** A LAN client has no routing plane: its frames go to the owner of an on-link address, else the router. */
  fixL2(st: Station, frame: Uint8Array): Uint8Array {
    if (st.kind !== 'client') return frame;
    const c = this.world.clients.find((x) => x.name === st.name);
    const p = peek(frame);
    if (!c || c.where !== 'lan' || !p.ip) return frame;
    const lan = cidrNum(this.world.underlay.subnet ?? '10.0.0.0/24');
    let dst = ROUTER_MAC;
    if (sameSubnet(lan.base, p.ip.dst, lan.len)) dst = this.lanOwnerMac(p.ip.dst) ?? ROUTER_MAC;
    const out = frame.slice();
    writeMac(out, 0, dst);
    writeMac(out, 6, macNum(c.mac));
    return out;
  }

  /** The MAC that answers for an address on the LAN (a host NIC, a transparent or l2bridge container). */
  private lanOwnerMac(ip: number): number | undefined {
    for (const h of this.world.hosts) {
      for (const n of h.nics) if (n.ip && cidrNum(n.ip).ip === ip) return macNum(n.mac);
      for (const vs of h.vswitches) if (vs.hostVnic?.ip && cidrNum(vs.hostVnic.ip).ip === ip) return macNum(vs.hostVnic.mac);
      for (const ep of h.endpoints) {
        if (ep.state === 'Detached' || ipNum(ep.ip) !== ip) continue;
        const net = this.networkOf(h, ep);
        if (net?.driver === 'transparent') return macNum(ep.mac);
        if (net?.driver === 'l2bridge') {
          const vs = h.vswitches.find((v) => v.id === net.vswitch || v.name === net.vswitch);
          const nic = h.nics.find((x) => x.name === vs?.nics[0]);
          if (nic) return macNum(nic.mac);
        }
      }
    }
    for (const c of this.world.clients) if (ipNum(c.ip) === ip) return macNum(c.mac);
    return undefined;
  }

  capture(at: string, frame: Uint8Array): void {
    if (this.capturing) this.captured.push({ at, frame });
  }

  // ---- stations: who owns an address, and what it answers ------------------------------------------------

  private stationInfo(st: Station): StationInfo {
    switch (st.kind) {
      case 'compartment': {
        const h = this.host(st.host);
        const dom = this.fabric(st.host).domains.find((d) => d.id === st.domain);
        const ctr = h.containers.find((c) => c.compartmentId === st.domain);
        const ports = new Set<string>();
        for (const p of ctr?.publish ?? []) ports.add(`${p.protocol}/${p.containerPort}`);
        for (const e of ctr?.expose ?? []) ports.add(e.includes('/') ? e : `tcp/${e}`);
        const image = (ctr?.image ?? '').toLowerCase();
        const web = /iis|nginx|httpd|apache|aspnet|web|whoami|http/.test(image) || /iis|nginx|web|http/.test((ctr?.command ?? '').toLowerCase());
        return {
          ifs: dom?.interfaces.map((i) => ({ ip: i.ip, mac: i.mac })) ?? [],
          ttl: 128,
          listens: (proto, port) => ports.has(`${proto}/${port}`) || ports.has(`${port}/${proto}`) || (web && proto === 'tcp' && port === 80),
        };
      }
      case 'host': {
        const h = this.host(st.host);
        const dom = this.fabric(st.host).domains.find((d) => d.id === HOST_DOMAIN);
        const gateways = new Set<number>();
        for (const n of h.networks) if (n.driver === 'nat' || n.driver === 'overlay') for (const s of n.subnets) gateways.add(ipNum(s.gateway));
        const ifs = dom?.interfaces.map((i) => ({ ip: i.ip, mac: i.mac })) ?? [];
        return {
          ifs,
          ttl: 128,
          listens: () => false,
          // Docker's embedded DNS answers at each nat/overlay gateway address, for the endpoint that asked.
          dns: (name, from) => this.embeddedDns(h, name, from),
          server: [...gateways].length ? 'docker' : undefined,
        };
      }
      case 'router':
        return { ifs: [{ ip: this.lan.routerIp, mac: ROUTER_MAC }], ttl: 64, listens: (proto, port) => proto === 'udp' && port === DNS_PORT, dns: (name) => this.lanDns(name) };
      case 'client': {
        const c = this.world.clients.find((x) => x.name === st.name)!;
        return { ifs: [{ ip: ipNum(c.ip), mac: macNum(c.mac) }], ttl: 64, listens: (proto, port) => proto === 'tcp' && (port === 80 || port === 443) && c.where === 'internet' };
      }
      case 'internet':
        return { ifs: [{ ip: st.ip, mac: INTERNET_GW_MAC }], ttl: 54, listens: (proto, port) => (proto === 'tcp' && (port === 80 || port === 443)) || (proto === 'udp' && port === DNS_PORT), dns: (name) => this.lanDns(name) };
    }
  }

  arpProxy(host: string, port: PortDesc, frame: Uint8Array): { reply: Uint8Array; why: string } | null {
    const p = peek(frame);
    if (!p.arp || p.arp.op !== 1) return null;
    const h = this.host(host);
    const net = this.networkOf(h, port.endpoint!);
    if (net?.driver !== 'overlay') return null;
    const fab = this.fabric(host);
    const tpa = p.arp.tpa;
    let mac: number | undefined;
    let why = '';
    const vipb = this.vipBackends(h).find((b) => b.vip === tpa && b.vni === net.vni);
    if (vipb) {
      mac = vipb.taskMac;
      why = `VFP answers ARP for the VIP of service ${vipb.service} (${ipTextOf(tpa)}) with its task's MAC`;
    } else if (net.subnets.some((sn) => ipNum(sn.gateway) === tpa)) {
      const vnic = fab.ports.find((x) => x.vswitch === port.vswitch && x.kind === 'vnic');
      mac = vnic?.mac;
      why = `VFP answers ARP for the overlay gateway ${ipTextOf(tpa)} (HNS)`;
    } else {
      for (const other of this.world.hosts) {
        if (other === h) continue;
        const ep = other.endpoints.find((e) => e.state !== 'Detached' && ipNum(e.ip) === tpa && this.networkOf(other, e)?.vni === net.vni);
        if (ep) {
          mac = macNum(ep.mac);
          why = `VFP answers ARP for remote endpoint ${ipTextOf(tpa)} on ${other.name} (HNS remote endpoint, VNI ${net.vni})`;
        }
      }
    }
    if (mac === undefined) return null;
    return { reply: buildFrame({ eth: { src: mac, dst: p.arp.sha }, arp: { op: 'reply', senderMac: mac, senderIp: tpa, targetMac: p.arp.sha, targetIp: p.arp.spa }, minLength: 60 }), why };
  }

  addressedTo(st: Station, frame: Uint8Array): boolean {
    if (st.kind === 'internet') return true;
    const info = this.stationInfo(st);
    const p = peek(frame);
    const dst = p.arp ? p.arp.tpa : p.ip?.dst;
    if (dst === undefined) return false;
    if (info.ifs.some((i) => i.ip === dst)) return true;
    // The host's embedded DNS listens on the nat / overlay gateways it serves.
    return st.kind === 'host' && info.server === 'docker' && !p.arp;
  }

  /** A frame reached a station: ARP requests for its addresses and IP packets to them are answered. */
  receive(st: Station, frame: Uint8Array): Uint8Array[] {
    const info = this.stationInfo(st);
    const p = peek(frame);
    if (p.arp) {
      if (p.arp.op !== 1) return [];
      const own = info.ifs.find((i) => i.ip === p.arp!.tpa);
      if (!own) return [];
      return [buildFrame({ eth: { src: own.mac, dst: p.arp.sha }, arp: { op: 'reply', senderMac: own.mac, senderIp: own.ip, targetMac: p.arp.sha, targetIp: p.arp.spa }, minLength: 60 })];
    }
    const ip = p.ip;
    if (!ip) return [];
    const own = info.ifs.find((i) => i.ip === ip.dst) ?? (st.kind === 'internet' ? { ip: ip.dst, mac: INTERNET_GW_MAC } : undefined);
    // The host stack also owns the nat gateways it serves DNS on.
    const isHostGateway = st.kind === 'host' && info.server === 'docker';
    if (!own && !isHostGateway) return [];
    const me = own ?? { ip: ip.dst, mac: p.dstMac };
    const eth = { src: me.mac, dst: p.srcMac };
    if (p.icmp && p.icmp.type === 8) {
      const payload = frame.slice(ip.l4 + 8, ip.l4 + 8 + 32);
      return [buildFrame({ eth, ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl }, icmp: { type: 'echo-reply', id: p.icmp.id, seq: p.icmp.seq }, payload })];
    }
    if (p.tcp) {
      const t = p.tcp;
      if ((t.flags & 0x02) && !(t.flags & 0x10)) {
        const ok = info.listens('tcp', t.dport);
        return [
          buildFrame({
            eth,
            ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl },
            tcp: ok ? { sport: t.dport, dport: t.sport, seq: 0x10000000, ack: (t.seq + 1) >>> 0, flags: 'SA', window: 65535 } : { sport: t.dport, dport: t.sport, seq: 0, ack: (t.seq + 1) >>> 0, flags: 'RA', window: 0 },
          }),
        ];
      }
      return [];
    }
    if (p.udp && p.udp.dport === DNS_PORT && info.dns) {
      const q = decodeDns(p.udp.payload);
      if (!q || q.response) return [];
      const answers = info.dns(q.name, ip.src);
      const msg = encodeDns({ id: q.id, response: true, rcode: answers ? 0 : 3, name: q.name, answers: answers ?? [] });
      return [buildFrame({ eth, ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl }, udp: { sport: DNS_PORT, dport: p.udp.sport }, payload: msg })];
    }
    return [];
  }

  /**
   * Docker's embedded DNS on a host: the endpoint that asked (by source address) decides what it may
   * see; names it does not know are forwarded to the endpoint's other DNS servers (the LAN's DNS here).
   */
  private embeddedDns(h: Host, name: string, from: number): string[] | null {
    const ep = h.endpoints.find((e) => e.state !== 'Detached' && ipNum(e.ip) === from);
    if (!ep) return this.lanDns(name);
    const r = this.resolver(this.world, ep.id, name);
    if (r.found) return r.ips;
    return r.forwardTo.length ? this.lanDns(name) : null;
  }

  /** The LAN's / internet's DNS: knows the hosts and the declared clients, never containers. */
  private lanDns(name: string): string[] | null {
    const q = name.toLowerCase().replace(/\.$/, '');
    const h = this.world.hosts.find((x) => x.name.toLowerCase() === q);
    const ip = h && this.hostIp(h);
    if (ip) return [ipTextOf(ip)];
    const c = this.world.clients.find((x) => x.name.toLowerCase() === q);
    return c ? [c.ip] : null;
  }

  /** Names used by hops for a station. */
  stationName(st: Station): string {
    switch (st.kind) {
      case 'compartment': {
        const h = this.host(st.host);
        const c = h.containers.find((x) => x.compartmentId === st.domain);
        return c?.name ?? `compartment ${st.domain}`;
      }
      case 'host':
        return st.host;
      case 'router':
        return 'router';
      case 'client':
        return st.name;
      case 'internet':
        return 'internet';
    }
  }

  /** The source interface (IP, MAC) a station uses toward a destination. */
  sourceFor(st: Station, dst: number): { ip: number; mac: number } | null {
    const info = this.stationInfo(st);
    if (st.kind === 'compartment' || st.kind === 'host') {
      const dom = this.fabric(st.host).domains.find((d) => d.id === (st.kind === 'host' ? HOST_DOMAIN : st.domain));
      if (!dom) return null;
      let best: (typeof dom.routes)[number] | undefined;
      for (const r of dom.routes) if (sameSubnet(r.prefix, dst, r.len) && (!best || r.len > best.len)) best = r;
      const i = (best && dom.interfaces.find((x) => x.port === best!.port)) ?? dom.interfaces[0];
      return i ? { ip: i.ip, mac: i.mac } : null;
    }
    return info.ifs[0] ?? null;
  }

  static pingPayload(): string {
    return WINDOWS_PING_PAYLOAD;
  }

  /** Container name of an endpoint (for hop texts). */
  endpointName(h: Host, ep: Endpoint): string {
    return containerName(h, ep);
  }
}
