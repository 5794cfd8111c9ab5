/**
 * The world as the playground shows it after a step (RunResult.snapshots): hosts with their NICs,
 * vSwitches, networks, endpoints and compartments from the model, and each host's live data-plane
 * tables read back from its core (WinNAT mappings and sessions, FDBs, ACL hit counters, VTEPs).
 */
import type { Host, World } from '../model/types.js';
import type {
  AclRow, CompartmentSnapshot, EndpointSnapshot, FdbRow, HostSnapshot, HostTables, NatMappingRow, NatSessionRow,
  NetworkSnapshot, VSwitchSnapshot, VtepRow, WorldSnapshot,
} from '../result.js';
import { readNatSessions, natClock } from '../engine/loaders/nat.js';
import { readFdb } from '../engine/loaders/fdb.js';
import { aclHitCounts } from '../engine/loaders/acl.js';
import { formatIp as ipText, formatMac as macText, macNum } from '../addr.js';
import { HOST_DOMAIN } from './fabric.js';
import type { SimSession } from './session.js';

function networksOf(world: World, h: Host) {
  return [...h.networks, ...(world.swarm?.networks ?? []).filter((n) => !h.networks.some((x) => x.id === n.id))];
}

function hostTables(sim: SimSession, h: Host): HostTables {
  const tables: HostTables = { natMappings: [], natSessions: [], fdb: [], acl: [], vtep: [] };
  const plane = sim.hasPlane(h.name) ? sim.hostPlane(h.name) : null;
  const t = sim.planeContents(h.name);
  const fab = sim.hasPlane(h.name) ? sim.fabric(h.name) : null;
  // Static mappings as the model knows them (Get-NetNatStaticMapping).
  for (const w of h.winnats) {
    for (const m of w.staticMappings) {
      tables.natMappings.push({ natName: w.name, protocol: m.protocol, externalIp: m.externalIp, externalPort: m.externalPort, internalIp: m.internalIp, internalPort: m.internalPort, sourceLine: m.line } satisfies NatMappingRow);
    }
  }
  if (!plane || !t || !fab) return tables;
  const core = plane.core;
  const now = t.nat.length ? natClock(core) : 0;
  for (const n of t.nat) {
    for (const s of readNatSessions(core, n.id)) {
      if (s.expired) continue;
      tables.natSessions.push({
        protocol: s.protocol.toUpperCase() as NatSessionRow['protocol'],
        internal: `${s.internalAddress}:${s.internalPort}`,
        external: `${s.externalAddress}:${s.externalPort}`,
        remote: `${s.remoteAddress}:${s.remotePort}`,
        direction: s.published ? 'inbound' : 'outbound',
        expiresIn: Math.max(0, s.expiresAt - now),
        packets: 0,
      });
    }
  }
  for (const vs of fab.vswitches) {
    for (const r of readFdb(core, vs.id) ?? []) {
      const port = fab.ports.find((p) => p.id === r.port);
      tables.fdb.push({ vSwitch: vs.model.name, mac: macText(r.mac), port: port?.name ?? `port ${r.port}`, vlan: r.vlan || null, kind: r.static ? 'static' : 'learned' } satisfies FdbRow);
    }
  }
  for (const a of t.acl) {
    const hits = aclHitCounts(core, a.id);
    const port = a.name.replace(/^VFP ACLs of /, '').replace(/^Windows Firewall \((.*)\)$/, '$1');
    a.set.rules.forEach((r, k) => {
      const dirs = r.direction === 'both' ? ['In', 'Out'] : [r.direction === 'in' ? 'In' : 'Out'];
      for (const d of dirs.slice(0, 1)) {
        tables.acl.push({
          port,
          id: r.id,
          direction: (r.direction === 'both' ? 'In' : d) as AclRow['direction'],
          action: r.action === 'allow' ? 'Allow' : 'Block',
          protocol: r.protocol === 'any' ? 'Any' : Array.isArray(r.protocol) ? r.protocol.join(',') : String(r.protocol),
          localAddresses: r.local.length ? r.local.map((p) => `${ipText(p.base)}/${p.len}`).join(',') : 'Any',
          remoteAddresses: r.remote.length ? r.remote.map((p) => `${ipText(p.base)}/${p.len}`).join(',') : 'Any',
          localPorts: r.localPorts.length ? r.localPorts.map((p) => (p.lo === p.hi ? `${p.lo}` : `${p.lo}-${p.hi}`)).join(',') : 'Any',
          remotePorts: r.remotePorts.length ? r.remotePorts.map((p) => (p.lo === p.hi ? `${p.lo}` : `${p.lo}-${p.hi}`)).join(',') : 'Any',
          priority: r.priority,
          ruleType: a.set.semantics === 'vfp' ? 'Switch' : 'Host',
          hits: hits[k] ?? 0,
          sourceLine: a.lines[k],
        });
      }
    });
  }
  for (const tu of t.vxlan?.tunnels ?? []) {
    const owner = sim.world.hosts.find((o) => o.endpoints.some((e) => e.mac && macNum(e.mac) === tu.mac));
    const ep = owner?.endpoints.find((e) => e.mac && macNum(e.mac) === tu.mac);
    const net = networksOf(sim.world, owner ?? h).find((n) => n.vni === tu.vni);
    tables.vtep.push({ network: net?.name ?? String(tu.vni), vni: tu.vni, ip: ep?.ip ?? '', mac: macText(tu.mac), providerAddress: ipText(tu.remotePa), host: owner?.name ?? '' } satisfies VtepRow);
  }
  return tables;
}

/** One host as the playground draws it: the model's objects and the plane's live tables. */
function hostSnapshot(sim: SimSession, world: World, h: Host): HostSnapshot {
  const nets = networksOf(world, h);
  const bound = new Map<string, string>();
  for (const vs of h.vswitches) for (const n of vs.nics) bound.set(n, vs.name);
  const vSwitches: VSwitchSnapshot[] = h.vswitches.map((vs) => ({
    name: vs.name,
    type: vs.type,
    nics: vs.nics,
    embeddedTeaming: vs.embeddedTeaming,
    vfp: nets.some((n) => (n.vswitch === vs.id || n.vswitch === vs.name) && ['l2bridge', 'overlay', 'l2tunnel'].includes(n.driver)),
    hostVnic: vs.hostVnic ? { name: vs.hostVnic.name, ip: vs.hostVnic.ip, mac: vs.hostVnic.mac } : undefined,
    outOfBand: vs.createdBy === 'user' && vs.hnsGeneration > h.hnsGeneration ? true : undefined,
  }));
  const networks: NetworkSnapshot[] = nets
    .filter((n) => n.driver !== 'null')
    .map((n) => ({
      id: n.id,
      name: n.name,
      driver: n.driver,
      hnsName: n.hnsName,
      subnet: n.subnets[0]?.prefix ?? null,
      gateway: n.subnets[0]?.gateway ?? null,
      vSwitch: h.vswitches.find((v) => v.id === n.vswitch || v.name === n.vswitch)?.name ?? null,
      vlan: n.vlan ?? undefined,
      vni: n.vni ?? undefined,
      scope: n.scope,
      options: n.options,
      sourceLine: n.line,
    }));
  const endpoints: EndpointSnapshot[] = h.endpoints
    .filter((e) => e.containerId && e.state !== 'Detached')
    .map((e) => {
      const c = h.containers.find((x) => x.id === e.containerId);
      const net = nets.find((n) => n.id === e.networkId);
      return {
        id: e.id,
        container: c?.name ?? '',
        containerId: e.containerId,
        network: net?.name ?? e.networkId,
        ip: e.ip || null,
        mac: e.mac,
        compartment: e.compartmentId,
        state: c?.state === 'running' ? 'running' : 'stopped',
        vlan: e.vlan ?? undefined,
        ports: e.portMappings.map((p) => ({ protocol: p.protocol, hostPort: p.hostPort, containerPort: p.containerPort })),
        service: c?.service ? world.swarm?.services.find((s) => s.id === c.service!.serviceId)?.name : undefined,
        sourceLine: e.line,
      };
    });
  const fab = sim.hasPlane(h.name) ? sim.fabric(h.name) : null;
  const compartments: CompartmentSnapshot[] = (fab?.domains ?? []).map((d) => {
    const c = d.id === HOST_DOMAIN ? null : h.containers.find((x) => x.compartmentId === d.id) ?? null;
    return {
      id: d.id,
      description: d.id === HOST_DOMAIN ? 'Default Compartment' : `\\Container_${c?.id ?? d.id}`,
      container: c?.name ?? null,
      interfaces: d.interfaces.map((i) => ({ name: i.name, ip: `${ipText(i.ip)}/${i.len}`, mac: macText(i.mac) })),
      routes: d.routes.map((r) => ({ prefix: `${ipText(r.prefix)}/${r.len}`, nextHop: r.nextHop ? ipText(r.nextHop) : 'On-link', iface: fab!.ports.find((p) => p.id === r.port)?.name ?? `port ${r.port}` })),
      dns: c ? h.endpoints.filter((e) => e.containerId === c.id).flatMap((e) => e.dnsServers) : [],
    };
  });
  return {
    name: h.name,
    os: h.os,
    virtualized: h.virtualized,
    macSpoofing: h.macSpoofing,
    ipv6: h.ipv6,
    trunk: h.trunk,
    dockerRunning: !!h.engine,
    nics: h.nics.map((n) => ({ name: n.name, mac: n.mac, ip: bound.has(n.name) ? null : n.ip, vSwitch: bound.get(n.name) })),
    vSwitches,
    networks,
    endpoints,
    compartments,
    tables: hostTables(sim, h),
    sourceLine: h.line,
  } satisfies HostSnapshot;
}

export function worldSnapshot(sim: SimSession, world: World, step: number): WorldSnapshot {
  const hosts = world.hosts.map((h) => hostSnapshot(sim, world, h));
  const vlans = new Set<number>();
  for (const h of world.hosts) for (const n of h.networks) if (n.vlan) vlans.add(n.vlan);
  const swarm = world.swarm
    ? { managers: world.swarm.nodes.filter((n) => n.role === 'manager').map((n) => n.host), workers: world.swarm.nodes.filter((n) => n.role === 'worker').map((n) => n.host) }
    : undefined;
  return {
    step,
    hosts,
    lan: {
      subnet: world.underlay.subnet ?? '10.0.0.0/24',
      gateway: world.underlay.gateway ?? '10.0.0.1',
      dhcp: world.underlay.dhcp ? `${world.underlay.dhcp.first}-${world.underlay.dhcp.last}` : undefined,
      vlans: [...vlans].sort((a, b) => a - b),
    },
    clients: world.clients.map((c) => ({ name: c.name, ip: c.ip, where: c.where, mac: c.mac, sourceLine: c.line })),
    swarm,
  };
}
