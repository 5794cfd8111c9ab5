/**
 * The control plane's world (src/model/types.ts) as a playground WorldSnapshot (src/result.ts):
 * hosts, NICs, vSwitches, networks, endpoints, compartments, WinNAT static mappings, static MAC
 * table entries, ACL rules and VXLAN peers — everything the model knows. What only the data plane
 * knows (NAT sessions, learned MACs, ACL hit counters) is left empty/zero here; the simulation adds
 * it when it records snapshots itself.
 */
import type { World, Host, Network, Endpoint } from '../model/types.js';
import type { AclRow, CompartmentSnapshot, EndpointSnapshot, FdbRow, HostSnapshot, VtepRow, WorldSnapshot } from '../result.js';

const VFP_DRIVERS = new Set(['l2bridge', 'overlay', 'l2tunnel']);

function protocolName(p: number): string {
  return p === 256 ? 'Any' : p === 6 ? 'TCP' : p === 17 ? 'UDP' : p === 1 ? 'ICMP' : String(p);
}

function containerOf(h: Host, ep: Endpoint): string {
  const c = h.containers.find((x) => x.id === ep.containerId);
  return c ? c.name.replace(/^\//, '') : ep.containerId ? ep.containerId.slice(0, 12) : 'host';
}

function networkOf(h: Host, ep: Endpoint): Network | undefined {
  return h.networks.find((n) => n.id === ep.networkId);
}

function endpointSnapshot(h: Host, ep: Endpoint): EndpointSnapshot {
  const c = h.containers.find((x) => x.id === ep.containerId);
  const net = networkOf(h, ep);
  return {
    id: ep.hnsId || ep.id,
    container: containerOf(h, ep),
    containerId: ep.containerId,
    network: net?.name ?? ep.networkId.slice(0, 12),
    ip: ep.ip || null,
    mac: ep.mac,
    compartment: ep.compartmentId,
    state: c?.state === 'running' ? 'running' : 'stopped',
    vlan: ep.vlan ?? net?.vlan ?? undefined,
    ports: ep.portMappings.map((p) => ({ protocol: p.protocol, hostPort: p.hostPort, containerPort: p.containerPort })),
    service: c?.service ? c.service.serviceId : undefined,
    sourceLine: c?.line ?? ep.line,
  };
}

function hostSnapshot(world: World, h: Host): HostSnapshot {
  // Host endpoints (no container) are HNS plumbing, not container endpoints: leave them out of the drawing.
  const eps = h.endpoints.filter((e) => e.containerId);
  const fdb: FdbRow[] = [];
  for (const sw of h.vswitches) {
    if (sw.hostVnic) fdb.push({ vSwitch: sw.name, mac: sw.hostVnic.mac, port: sw.hostVnic.name, vlan: null, kind: 'static' });
  }
  for (const ep of eps) {
    const net = networkOf(h, ep);
    if (net?.vswitch) fdb.push({ vSwitch: net.vswitch, mac: ep.mac, port: containerOf(h, ep), vlan: ep.vlan ?? net.vlan ?? null, kind: 'static' });
  }
  const acl: AclRow[] = [];
  for (const ep of eps) {
    for (const a of ep.acls) {
      acl.push({
        port: containerOf(h, ep), id: a.id, direction: a.direction, action: a.action, protocol: protocolName(a.protocol),
        localAddresses: a.localAddresses || '*', remoteAddresses: a.remoteAddresses || '*', localPorts: a.localPorts || '*', remotePorts: a.remotePorts || '*',
        priority: a.priority, ruleType: a.ruleType, hits: 0, sourceLine: a.line || undefined,
      });
    }
  }
  for (const c of h.containers) {
    for (const r of c.firewall) {
      acl.push({
        port: c.name.replace(/^\//, ''), id: r.name, direction: r.direction, action: r.action, protocol: r.protocol,
        localAddresses: r.localAddresses || '*', remoteAddresses: r.remoteAddresses || '*', localPorts: r.localPorts || '*', remotePorts: r.remotePorts || '*',
        priority: 0, ruleType: 'Host', hits: 0, sourceLine: r.line || undefined,
      });
    }
  }
  for (const r of h.firewall) {
    acl.push({
      port: 'host', id: r.name, direction: r.direction, action: r.action, protocol: r.protocol,
      localAddresses: r.localAddresses || '*', remoteAddresses: r.remoteAddresses || '*', localPorts: r.localPorts || '*', remotePorts: r.remotePorts || '*',
      priority: 0, ruleType: 'Host', hits: 0, sourceLine: r.line || undefined,
    });
  }
  // VXLAN peers: the endpoints of this host's overlay networks that live on other hosts.
  const vtep: VtepRow[] = [];
  for (const net of h.networks.filter((n) => n.driver === 'overlay')) {
    for (const other of world.hosts) {
      if (other === h) continue;
      const pa = other.nics.find((n) => n.ip)?.ip?.split('/')[0] ?? other.vswitches.find((s) => s.hostVnic?.ip)?.hostVnic?.ip?.split('/')[0] ?? '';
      for (const ep of other.endpoints) {
        const onet = networkOf(other, ep);
        if (!onet || onet.driver !== 'overlay' || onet.name !== net.name || !ep.containerId) continue;
        vtep.push({ network: net.name, vni: net.vni ?? onet.vni ?? 0, ip: ep.ip, mac: ep.mac, providerAddress: pa, host: other.name });
      }
    }
  }
  const compartments: CompartmentSnapshot[] = [
    {
      id: 1,
      description: 'Default Compartment',
      container: null,
      interfaces: [
        ...h.nics.filter((n) => n.ip).map((n) => ({ name: n.name, ip: n.ip, mac: n.mac })),
        ...h.vswitches.filter((s) => s.hostVnic).map((s) => ({ name: s.hostVnic!.name, ip: s.hostVnic!.ip, mac: s.hostVnic!.mac })),
      ],
      routes: h.gateway ? [{ prefix: '0.0.0.0/0', nextHop: h.gateway, iface: h.nics.find((n) => n.ip)?.name ?? 'Ethernet' }] : [],
      dns: world.underlay.dns ? [world.underlay.dns] : [],
    },
    ...eps.map((ep) => {
      const net = networkOf(h, ep);
      const subnet = net?.subnets[0]?.prefix;
      return {
        id: ep.compartmentId,
        description: `Compartment for container ${ep.containerId.slice(0, 12)}`,
        container: containerOf(h, ep),
        interfaces: [{ name: `vEthernet (${(ep.hnsId || ep.id).slice(0, 8)})`, ip: ep.ip ? `${ep.ip}/${ep.prefixLen}` : null, mac: ep.mac }],
        routes: [
          ...(ep.gateway ? [{ prefix: '0.0.0.0/0', nextHop: ep.gateway, iface: 'Ethernet' }] : []),
          ...(subnet ? [{ prefix: subnet, nextHop: 'on-link', iface: 'Ethernet' }] : []),
        ],
        dns: [...ep.dnsServers],
      };
    }).sort((a, b) => a.id - b.id),
  ];
  return {
    name: h.name,
    os: h.os,
    virtualized: h.virtualized,
    macSpoofing: h.macSpoofing,
    ipv6: h.ipv6,
    trunk: h.trunk,
    dockerRunning: !!h.engine,
    nics: h.nics.map((n) => {
      const sw = h.vswitches.find((s) => s.type === 'External' && s.nics.includes(n.name));
      return { name: n.name, mac: n.mac, ip: n.ip, vSwitch: sw?.name };
    }),
    vSwitches: h.vswitches.map((s) => ({
      name: s.name,
      type: s.type,
      nics: [...s.nics],
      embeddedTeaming: s.embeddedTeaming,
      vfp: h.networks.some((n) => n.vswitch === s.name && VFP_DRIVERS.has(n.driver)),
      hostVnic: s.hostVnic ? { name: s.hostVnic.name, ip: s.hostVnic.ip, mac: s.hostVnic.mac } : undefined,
      outOfBand: s.createdBy === 'user' || undefined,
    })),
    networks: h.networks
      .filter((n) => n.driver !== 'null')
      .map((n) => ({
        id: n.id, name: n.name, driver: n.driver, hnsName: n.hnsName, subnet: n.subnets[0]?.prefix ?? null, gateway: n.subnets[0]?.gateway ?? null,
        vSwitch: n.vswitch, vlan: n.vlan ?? undefined, vni: n.vni ?? undefined, scope: n.scope, options: { ...n.options }, sourceLine: n.line || undefined,
      })),
    endpoints: eps.map((ep) => endpointSnapshot(h, ep)),
    compartments,
    tables: {
      natMappings: h.winnats.flatMap((w) => w.staticMappings.map((m) => ({
        natName: w.name, protocol: m.protocol, externalIp: m.externalIp, externalPort: m.externalPort, internalIp: m.internalIp, internalPort: m.internalPort, sourceLine: m.line || undefined,
      }))),
      natSessions: [],
      fdb,
      acl,
      vtep,
    },
    sourceLine: h.line || undefined,
  };
}

/** The world after step `step`, from the model alone. */
export function modelSnapshot(world: World, step: number): WorldSnapshot {
  const vlans = [...new Set(world.hosts.flatMap((h) => h.networks.map((n) => n.vlan).filter((v): v is number => typeof v === 'number' && v > 0)))].sort((a, b) => a - b);
  const firstNic = world.hosts[0]?.nics.find((n) => n.ip)?.ip ?? '10.0.0.10/24';
  const [addr, len] = firstNic.split('/');
  const o = addr.split('.');
  const d = world.underlay.dhcp;
  return {
    step,
    hosts: world.hosts.map((h) => hostSnapshot(world, h)),
    lan: {
      subnet: world.underlay.subnet ?? `${o[0]}.${o[1]}.${o[2]}.0/${len ?? 24}`,
      gateway: world.underlay.gateway ?? `${o[0]}.${o[1]}.${o[2]}.1`,
      dhcp: d ? `${d.first}-${d.last}` : undefined,
      vlans,
    },
    clients: world.clients.map((c) => ({ name: c.name, ip: c.ip, where: c.where, mac: c.mac, sourceLine: c.line || undefined })),
    swarm: world.swarm
      ? { managers: world.swarm.nodes.filter((n) => n.role === 'manager').map((n) => n.host), workers: world.swarm.nodes.filter((n) => n.role === 'worker').map((n) => n.host) }
      : undefined,
  };
}

/**
 * Snapshots for a run whose result has none: replays the script through the model alone (the same
 * pure `execute()` runScript uses, so the worlds are the same) and converts the world after each
 * command. Returns undefined when the replay does not line up with the run's steps.
 */
export function replaySnapshots(
  text: string,
  steps: { line: number }[],
  opts: { seed: number; files: Record<string, string> },
  deps: {
    parseScript: (text: string) => { commands: import('../script/ast.js').Command[] };
    createWorld: (o: { seed?: number }) => World;
    /** Mutates the world in place (or returns a new one as `world`). */
    execute: (w: World, c: import('../script/ast.js').Command, files: Record<string, string>) => object;
  },
): WorldSnapshot[] | undefined {
  const script = deps.parseScript(text);
  let world = deps.createWorld({ seed: opts.seed });
  const out: WorldSnapshot[] = [];
  for (const cmd of script.commands) {
    if (out.length >= steps.length) break;
    if (steps[out.length].line !== cmd.line) return undefined;
    const outcome = deps.execute(world, cmd, opts.files) as { world?: World | null };
    world = outcome.world ?? world;
    // A deep copy: the model changes its objects in place on later commands.
    out.push(structuredClone(modelSnapshot(world, out.length)));
  }
  return out.length === steps.length ? out : undefined;
}
