/**
 * The forwarding view of the simulated world: for each host, the numbered ports of its vSwitches and
 * host stack, its routing domains (compartments and the host stack), and the table contents the data
 * plane needs (FDB, VLAN ports, routes, ACL rule sets, WinNAT, MAC rewrite, VXLAN). Computed from the
 * model (plain data in, plain data out); src/sim/planes.ts loads it into each host's data plane.
 */
import type { Endpoint, Host, Network, VSwitch, World } from '../model/types.js';
import { cidrNum, ipNum, macNum, maskOf, sameSubnet } from '../addr.js';

export const HOST_DOMAIN = 1;

export type PortKind = 'endpoint' | 'vnic' | 'external' | 'nic';

export interface PortDesc {
  id: number;
  /** How a hop names the place: `port web`, `vEthernet (nat)`, `ExternalPort (Ethernet)`, `Ethernet`. */
  name: string;
  kind: PortKind;
  /** Numeric vSwitch id, or -1 for a host-stack NIC. */
  vswitch: number;
  endpoint?: Endpoint;
  /** The NIC this port leads to the LAN through (external ports and host-stack NICs). */
  nic?: string;
  mac: number;
  /** VLAN of an endpoint port (access), 0 for none. */
  vlan: number;
}

export interface RouteDesc {
  prefix: number;
  len: number;
  /** 0 = on-link (the destination itself is the next hop). */
  nextHop: number;
  port: number;
  srcMac: number;
  metric: number;
  /** The script line that made the route (its interface's, or the one that gave the gateway). */
  line?: number;
}

export interface InterfaceDesc {
  port: number;
  ip: number;
  len: number;
  mac: number;
  name: string;
  /** The script line that made the interface (the NIC's host, the network's vSwitch, the container's endpoint). */
  line?: number;
}

export interface DomainDesc {
  id: number;
  /** `compartment 3 (web)` or `host stack`. */
  name: string;
  interfaces: InterfaceDesc[];
  routes: RouteDesc[];
}

export interface VSwitchDesc {
  id: number;
  model: VSwitch;
  ports: number[];
  /** The networks on this vSwitch. */
  networks: Network[];
}

export interface HostFabric {
  host: Host;
  ports: PortDesc[];
  vswitches: VSwitchDesc[];
  domains: DomainDesc[];
  /** Endpoint id → port id. */
  endpointPort: Map<string, number>;
  /** Model vSwitch id → numeric id. */
  vswitchId: Map<string, number>;
}

function networkOf(host: Host, ep: Endpoint): Network | undefined {
  return host.networks.find((n) => n.id === ep.networkId) ?? undefined;
}

function containerName(host: Host, ep: Endpoint, names?: Map<string | null, string>): string {
  return (names ? names.get(ep.containerId) : host.containers.find((c) => c.id === ep.containerId)?.name) ?? ep.id.slice(0, 8);
}

/** Container names by ID (one pass, for views that name every endpoint of a host). */
function containerNames(host: Host): Map<string | null, string> {
  return new Map(host.containers.map((c) => [c.id, c.name]));
}

/** Builds the forwarding view of one host. Port and domain numbering is stable for a given model. */
export function hostFabric(world: World, host: Host): HostFabric {
  const ports: PortDesc[] = [];
  const vswitches: VSwitchDesc[] = [];
  const endpointPort = new Map<string, number>();
  const vswitchId = new Map<string, number>();
  let nextPort = 1;
  const boundNics = new Set<string>();

  host.vswitches.forEach((vs, k) => {
    const id = k + 1;
    vswitchId.set(vs.id, id);
    const desc: VSwitchDesc = { id, model: vs, ports: [], networks: host.networks.filter((n) => n.vswitch === vs.id || n.vswitch === vs.name) };
    if (vs.type === 'External' && vs.nics.length) {
      for (const n of vs.nics) boundNics.add(n);
      const nic = host.nics.find((x) => x.name === vs.nics[0]);
      const p: PortDesc = { id: nextPort++, name: `ExternalPort (${vs.nics.join(', ')})`, kind: 'external', vswitch: id, nic: vs.nics[0], mac: nic ? macNum(nic.mac) : 0, vlan: 0 };
      ports.push(p);
      desc.ports.push(p.id);
    }
    if (vs.hostVnic) {
      const p: PortDesc = { id: nextPort++, name: vs.hostVnic.name, kind: 'vnic', vswitch: id, mac: macNum(vs.hostVnic.mac), vlan: 0 };
      ports.push(p);
      desc.ports.push(p.id);
    }
    vswitches.push(desc);
  });

  const names = containerNames(host);
  for (const ep of host.endpoints) {
    const net = networkOf(host, ep);
    if (!net || ep.state === 'Detached') continue;
    const vsid = net.vswitch ? vswitchId.get(net.vswitch) ?? [...host.vswitches].findIndex((v) => v.name === net.vswitch) + 1 : 0;
    if (!vsid) continue;
    const p: PortDesc = {
      id: nextPort++,
      name: `port ${containerName(host, ep, names)}${ep.role === 'overlay-gateway' ? ' (nat)' : ''}`,
      kind: 'endpoint',
      vswitch: vsid,
      endpoint: ep,
      mac: macNum(ep.mac),
      vlan: ep.vlan ?? net.vlan ?? 0,
    };
    ports.push(p);
    endpointPort.set(ep.id, p.id);
    vswitches[vsid - 1]?.ports.push(p.id);
  }

  for (const nic of host.nics) {
    if (boundNics.has(nic.name) || !nic.ip) continue;
    ports.push({ id: nextPort++, name: nic.name, kind: 'nic', vswitch: -1, nic: nic.name, mac: macNum(nic.mac), vlan: 0 });
  }

  const domains = [hostStackDomain(host, ports, vswitches), ...compartmentDomains(host, endpointPort, names)];
  return { host, ports, vswitches, domains, endpointPort, vswitchId };
}

/** The host stack's routing domain: NICs not bound to a vSwitch, and the host vNICs. */
function hostStackDomain(host: Host, ports: PortDesc[], vswitches: VSwitchDesc[]): DomainDesc {
  const hostIfs: InterfaceDesc[] = [];
  for (const p of ports) {
    if (p.kind === 'nic') {
      const nic = host.nics.find((x) => x.name === p.nic)!;
      const c = cidrNum(nic.ip!);
      hostIfs.push({ port: p.id, ip: c.ip, len: c.len, mac: p.mac, name: nic.name, line: nic.line });
    } else if (p.kind === 'vnic') {
      const vs = vswitches[p.vswitch - 1].model;
      if (vs.hostVnic?.ip) {
        const c = cidrNum(vs.hostVnic.ip);
        hostIfs.push({ port: p.id, ip: c.ip, len: c.len, mac: p.mac, name: vs.hostVnic.name, line: vs.line });
      }
    }
  }
  const hostRoutes = connectedRoutes(hostIfs);
  if (host.gateway) {
    const gw = ipNum(host.gateway);
    const via = hostIfs.find((i) => sameSubnet(i.ip, gw, i.len));
    if (via) hostRoutes.push({ prefix: 0, len: 0, nextHop: gw, port: via.port, srcMac: via.mac, metric: 256, line: host.line });
  }
  return { id: HOST_DOMAIN, name: 'host stack', interfaces: hostIfs, routes: hostRoutes };
}

/** One routing domain per container compartment: its endpoints are its interfaces. */
function compartmentDomains(host: Host, endpointPort: Map<string, number>, names: Map<string | null, string>): DomainDesc[] {
  const domains: DomainDesc[] = [];
  const byCompartment = new Map<number, Endpoint[]>();
  for (const ep of host.endpoints) {
    if (!endpointPort.has(ep.id) || !ep.containerId) continue;
    const list = byCompartment.get(ep.compartmentId) ?? [];
    list.push(ep);
    byCompartment.set(ep.compartmentId, list);
  }
  for (const [cid, eps] of byCompartment) {
    const ifs: InterfaceDesc[] = eps.map((ep) => ({
      port: endpointPort.get(ep.id)!,
      ip: ipNum(ep.ip),
      len: ep.prefixLen,
      mac: macNum(ep.mac),
      name: `vEthernet (${ep.id.slice(0, 8)})`,
      line: ep.line,
    }));
    const routes = connectedRoutes(ifs);
    // Default route through the first endpoint with a gateway (the primary network).
    const primary = eps.find((e) => e.gateway && e.role === 'primary') ?? eps.find((e) => e.gateway);
    if (primary?.gateway) {
      const i = ifs[eps.indexOf(primary)];
      routes.push({ prefix: 0, len: 0, nextHop: ipNum(primary.gateway), port: i.port, srcMac: i.mac, metric: 256, line: primary.line });
    }
    // ws2016 overlay: external traffic leaves through the extra nat endpoint.
    const gwEp = eps.find((e) => e.role === 'overlay-gateway' && e.gateway);
    if (gwEp) {
      const i = ifs[eps.indexOf(gwEp)];
      for (const r of routes) if (r.len === 0) { r.nextHop = ipNum(gwEp.gateway!); r.port = i.port; r.srcMac = i.mac; r.line = gwEp.line; }
    }
    const name = names.get(eps[0]!.containerId) ?? `compartment ${cid}`;
    domains.push({ id: cid, name: `compartment ${cid} (${name})`, interfaces: ifs, routes });
  }
  return domains;
}

function connectedRoutes(ifs: InterfaceDesc[]): RouteDesc[] {
  return ifs.map((i) => {
    return { prefix: (i.ip & maskOf(i.len)) >>> 0, len: i.len, nextHop: 0, port: i.port, srcMac: i.mac, metric: 0, ...(i.line !== undefined ? { line: i.line } : {}) };
  });
}

export { containerName };
