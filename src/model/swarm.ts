/**
 * Swarm mode: `docker swarm init|join|leave`, overlay networks (swarm-allocated subnets, VNIs
 * from 4096), services (VIPs, replicas spread over the nodes, tasks as containers), and the
 * per-host HNS instance of an overlay network that appears when a task or container lands there.
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue, flagValues } from './args.js';
import { baseNetwork } from './docker-engine.js';
import { daemon, E, fail, hnsError } from './errors.js';
import { swarmId } from './ids.js';
import { formatIp, formatPrefix, inPrefix, parseCidr, parseIp, prefixesOverlap, type Prefix } from '../addr.js';
import { listWithFormat, notModelled, type ListRow, type ListView } from './docker-format.js';
import { osProfile } from './os.js';
import type { Host, Network, Service, SwarmNode, World } from './types.js';
import { createExternalSwitch, hnsKnows, switchOfNic } from './vswitch.js';

const VNI_START = 4096;

export function swarmNetworksVisible(world: World, host: Host): Network[] {
  const s = world.swarm;
  if (!s || !host.engine?.swarmRole) return [];
  if (host.engine.swarmRole === 'manager') return s.networks;
  return s.networks.filter((n) => n.ingress || host.networks.some((x) => x.id === n.id));
}

/** Next /24 of the default address pool 10.0.0.0/8 that no host NIC, LAN or other network uses. */
function nextOverlaySubnet(world: World): Prefix {
  const s = world.swarm!;
  const taken: Prefix[] = [];
  if (world.underlay.subnet) taken.push(parseCidr(world.underlay.subnet)!.prefix);
  for (const h of world.hosts) {
    for (const n of h.nics) if (n.ip) taken.push(parseCidr(n.ip)!.prefix);
    for (const n of h.networks) for (const sn of n.subnets) taken.push(parseCidr(sn.prefix)!.prefix);
  }
  for (const n of s.networks) for (const sn of n.subnets) taken.push(parseCidr(sn.prefix)!.prefix);
  const base = parseIp('10.0.0.0')!;
  for (let i = s.nextSubnet; i < 65536; i++) {
    const p: Prefix = { base: (base + i * 256) >>> 0, len: 24 };
    if (!taken.some((t) => prefixesOverlap(t, p))) {
      s.nextSubnet = i + 1;
      return p;
    }
  }
  return fail(daemon('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network'));
}

export interface OverlaySpec {
  name: string;
  hnsName: string;
  subnet: string | null;
  gateway: string | null;
  attachable: boolean;
  internal: boolean;
  vnis: number[];
  options: Record<string, string>;
  labels: Record<string, string>;
  interfaces: string[];
  dnsSuffix: string | null;
  dnsServers: string[];
  line: number;
  ingress?: boolean;
}

/** A swarm-scope overlay network (created on a manager; instantiated on a host when an endpoint lands there). */
export function createOverlayNetwork(world: World, host: Host, spec: OverlaySpec): Network {
  const s = world.swarm;
  if (!s || !host.engine?.swarmRole) fail(E.notSwarmManager());
  if (host.engine.swarmRole !== 'manager') fail(E.workerCannotCreate());
  let prefix: Prefix;
  if (spec.subnet) {
    prefix = parseCidr(spec.subnet)!.prefix;
    for (const n of s.networks)
      for (const sn of n.subnets)
        if (prefixesOverlap(parseCidr(sn.prefix)!.prefix, prefix))
          fail(daemon(`rpc error: code = Unknown desc = pool overlaps with other one on this address space`));
  } else prefix = nextOverlaySubnet(world);
  let vni: number;
  if (spec.vnis.length) {
    vni = spec.vnis[0]!;
    if (vni < 1 || vni > (1 << 24) - 1) fail(E.invalidVxlan(String(vni)));
    if (s.networks.some((n) => n.vni === vni)) fail(daemon(`rpc error: code = Unknown desc = vxlan id ${vni} is already in use`));
  } else {
    vni = s.nextVni;
    while (s.networks.some((n) => n.vni === vni)) vni++;
    s.nextVni = vni + 1;
  }
  const net = baseNetwork(world, host, { name: spec.name, driver: 'overlay', origin: 'swarm', line: spec.line, swarmScope: true });
  net.id = swarmId(world);
  net.hnsName = spec.hnsName;
  net.subnets = [{ prefix: formatPrefix(prefix), gateway: spec.gateway ?? formatIp(prefix.base + 1) }];
  net.userSubnet = true;
  net.vni = vni;
  net.vsid = vni;
  net.attachable = spec.attachable;
  net.internal = spec.internal;
  net.ingress = spec.ingress ?? false;
  net.options = { ...spec.options };
  net.labels = spec.labels;
  net.interfaces = spec.interfaces;
  net.dnsSuffix = spec.dnsSuffix;
  net.dnsServers = spec.dnsServers;
  s.networks.push(net);
  return net;
}

/**
 * The overlay's HNS network on one host: an external switch on the host's management adapter
 * (shared by every overlay network of the host), VSID = VNI, ManagementIP = the host's address.
 */
export function ensureOverlayInstance(world: World, host: Host, net: Network, line: number): Network {
  const local = host.networks.find((n) => n.id === net.id);
  if (local) return local;
  if (host.os === 'ws2016' && !host.kb4015217)
    fail(daemon(hnsError(host, 'The overlay network type requires KB4015217 on Windows Server 2016.', '0x80070032')));
  const inst: Network = { ...baseNetwork(world, host, { name: net.name, driver: 'overlay', origin: 'swarm', line, swarmScope: true }) };
  inst.id = net.id;
  inst.hnsName = net.hnsName;
  inst.subnets = net.subnets.map((s) => ({ ...s }));
  inst.userSubnet = true;
  inst.vni = net.vni;
  inst.vsid = net.vni;
  inst.attachable = net.attachable;
  inst.ingress = net.ingress;
  inst.dnsSuffix = net.dnsSuffix;
  inst.dnsServers = [...net.dnsServers];
  inst.options = { ...net.options, 'com.docker.network.windowsshim.hnsid': inst.hnsId };
  inst.dockerVisible = false; // listed through the swarm, not as a local network
  const existing = host.networks.find((n) => n.driver === 'overlay' && n.vswitch);
  if (existing) inst.vswitch = existing.vswitch;
  else {
    const wanted = net.interfaces.length ? net.interfaces : [host.nics.find((n) => n.ip)?.name ?? host.nics[0]!.name];
    const sw = switchOfNic(host, wanted[0]!);
    if (sw) {
      if (!hnsKnows(host, sw)) fail(daemon(hnsError(host, 'The parameter is incorrect.', '0x57')));
      inst.vswitch = sw.name;
    } else inst.vswitch = createExternalSwitch(world, host, net.hnsName, wanted, line, 'hns').name;
  }
  inst.interfaces = host.vswitches.find((s) => s.name === inst.vswitch)?.nics ?? [];
  host.networks.push(inst);
  return inst;
}

function tokenPart(world: World, n: number): string {
  let s = '';
  while (s.length < n) s += swarmId(world);
  return s.slice(0, n);
}

function hostAddr(host: Host): string {
  return (host.nics.find((n) => n.ip)?.ip ?? '0.0.0.0/0').replace(/\/\d+$/, '');
}

/** `docker swarm init [--advertise-addr A]`. */
export function swarmInit(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole) fail(E.alreadyInSwarm());
  if (world.swarm) fail(daemon(`Packet Path models one swarm per script: join the swarm of ${world.swarm.managerHost} with "docker swarm join --token ${world.swarm.tokens.worker} ${world.swarm.managerAddr}:2377"`));
  const adv = (flagValue(cmd.flags, 'advertise-addr') ?? hostAddr(host)).replace(/:\d+$/, '');
  if (parseIp(adv) === null && !host.nics.some((n) => n.name === adv)) fail(daemon(`advertise address must be a non-zero IP address or network interface (with optional port number)`));
  const byName = host.nics.find((n) => n.name === adv);
  const addr = parseIp(adv) !== null ? adv : (byName?.ip ?? hostAddr(host)).replace(/\/\d+$/, '');
  const common = tokenPart(world, 50);
  const nodeId = swarmId(world);
  world.swarm = {
    id: swarmId(world),
    managerHost: host.name,
    managerAddr: addr,
    createdAt: world.clock,
    line: cmd.line,
    nodes: [{ id: nodeId, host: host.name, role: 'manager', addr }],
    networks: [],
    services: [],
    nextVni: VNI_START,
    nextSubnet: 0,
    tokens: { worker: `SWMTKN-1-${common}-${tokenPart(world, 25)}`, manager: `SWMTKN-1-${common}-${tokenPart(world, 25)}` },
  };
  host.engine!.swarmRole = 'manager';
  host.engine!.nodeId = nodeId;
  createOverlayNetwork(world, host, {
    name: 'ingress', hnsName: 'ingress', subnet: null, gateway: null, attachable: false, internal: false, vnis: [],
    options: {}, labels: {}, interfaces: [], dnsSuffix: null, dnsServers: [], line: cmd.line, ingress: true,
  });
  return [
    `Swarm initialized: current node (${nodeId}) is now a manager.`,
    '',
    'To add a worker to this swarm, run the following command:',
    '',
    `    docker swarm join --token ${world.swarm.tokens.worker} ${addr}:2377`,
    '',
    "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.",
    '',
  ].join('\n');
}

/** `docker swarm join --token T ADDR:2377`. */
export function swarmJoin(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  const warnings: string[] = [];
  if (host.engine!.swarmRole) fail(E.alreadyInSwarm());
  const token = flagValue(cmd.flags, 'token');
  const target = cmd.args[0]?.value;
  if (!target) fail(`"docker swarm join" requires exactly 1 argument.\nSee 'docker swarm join --help'.`);
  if (!token) fail(daemon('rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster'));
  if (!/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/.test(token)) fail(daemon('invalid join token'));
  const s = world.swarm;
  const addr = target.replace(/:\d+$/, '');
  if (!s || s.managerAddr !== addr)
    fail(daemon(`rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp ${target.includes(':') ? target : target + ':2377'}: connectex: No connection could be made because the target machine actively refused it."`));
  let role: 'manager' | 'worker' = 'worker';
  if (token === s.tokens.manager) role = 'manager';
  else if (token !== s.tokens.worker)
    warnings.push(`the join token is not this swarm's (docker swarm join-token worker on ${s.managerHost} prints it); Packet Path accepts it so that scripts need not copy tokens`);
  const nodeId = swarmId(world);
  s.nodes.push({ id: nodeId, host: host.name, role, addr: hostAddr(host), joinedAt: world.clock });
  host.engine!.swarmRole = role;
  host.engine!.nodeId = nodeId;
  rebalance(world, cmd.line);
  return { output: role === 'manager' ? 'This node joined a swarm as a manager.' : 'This node joined a swarm as a worker.', warnings };
}

/** `docker swarm leave [--force]`. */
export function swarmLeave(world: World, host: Host, cmd: DockerCommand): string {
  const s = world.swarm;
  if (!host.engine!.swarmRole || !s) fail(E.notInSwarm());
  const force = boolFlag(cmd.flags, 'force', 'f');
  if (host.engine!.swarmRole === 'manager' && !force) fail(E.managerLeave());
  removeNodeState(host);
  s.nodes = s.nodes.filter((n) => n.host !== host.name);
  host.engine!.swarmRole = null;
  host.engine!.nodeId = null;
  if (!s.nodes.some((n) => n.role === 'manager')) {
    // The last manager left: the swarm's state is gone; the other nodes drop their swarm objects.
    for (const h of world.hosts) {
      if (h.engine?.swarmRole) {
        removeNodeState(h);
        h.engine.swarmRole = null;
        h.engine.nodeId = null;
      }
    }
    world.swarm = null;
  } else rebalance(world, cmd.line);
  return 'Node left the swarm.';
}

function removeNodeState(host: Host): void {
  const gone = new Set(host.containers.filter((c) => c.service).map((c) => c.id));
  host.containers = host.containers.filter((c) => !gone.has(c.id));
  host.endpoints = host.endpoints.filter((e) => !gone.has(e.containerId));
  for (const w of host.winnats) w.staticMappings = w.staticMappings.filter((m) => host.endpoints.some((e) => e.id === m.endpointId));
  const swarmNets = host.networks.filter((n) => n.scope === 'swarm');
  for (const n of swarmNets) {
    if (host.endpoints.some((e) => e.networkId === n.id)) continue;
    host.networks = host.networks.filter((x) => x !== n);
    if (n.vswitch && !host.networks.some((x) => x.vswitch === n.vswitch))
      host.vswitches = host.vswitches.filter((sw) => !(sw.name === n.vswitch && sw.createdBy === 'hns'));
  }
}

/** Hook set by containers.ts: (re)creates the tasks of every service so they match replicas and nodes. */
export const scheduler: { rebalance: (world: World, line: number) => void } = { rebalance: () => undefined };

function rebalance(world: World, line: number): void {
  scheduler.rebalance(world, line);
}

/** strconv.ParseUint(v, 10, 16) and its error text (Go's strconv.NumError). */
function parseUint16(v: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`strconv.ParseUint: parsing "${v}": invalid syntax`);
  const n = Number(v);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing "${v}": value out of range`);
  return n;
}

/**
 * Parses `-p 8080:80[/udp]` and `--publish published=8080,target=80,mode=host` as docker/cli v20.10.24
 * opts/port.go PortOpt.Set does (keys and values lowercased; each port a 16-bit unsigned integer; pflag
 * wraps the error with the flag's name).
 */
export function parseServicePublish(spec: string, flag = '-p, --publish'): Service['publish'][number] {
  const refuse = (why: string): never => fail(`invalid argument "${spec}" for "${flag}" flag: ${why}`);
  if (/\w+=\w+(,\w+=\w+)*/.test(spec)) {
    const port: Service['publish'][number] = { protocol: 'tcp', published: 0, target: 0, mode: 'ingress' };
    for (const field of spec.split(',')) {
      const eq = field.indexOf('=');
      if (eq < 0) refuse(`invalid field ${field}`);
      const key = field.slice(0, eq).toLowerCase();
      const value = field.slice(eq + 1).toLowerCase();
      try {
        if (key === 'protocol') {
          if (value === 'sctp') fail(`packet-path: --publish protocol=sctp: Packet Path simulates TCP and UDP ports only`);
          if (value !== 'tcp' && value !== 'udp') refuse(`invalid protocol value ${value}`);
          port.protocol = value as 'tcp' | 'udp';
        } else if (key === 'mode') {
          if (value !== 'ingress' && value !== 'host') refuse(`invalid publish mode value ${value}`);
          port.mode = value as 'ingress' | 'host';
        } else if (key === 'target') port.target = parseUint16(value);
        else if (key === 'published') port.published = parseUint16(value);
        else refuse(`invalid field key ${key}`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('strconv.')) refuse(e.message);
        throw e;
      }
    }
    if (port.target === 0) refuse('missing mandatory field "target"');
    return port;
  }
  const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(spec);
  if (!m) refuse('invalid port specification');
  // go-connections nat.ParsePortSpec (vendored by docker/cli v20.10.24): a port past 16 bits.
  if (m![1] !== undefined && Number(m![1]) > 65535) refuse(`Invalid hostPort: ${m![1]}`);
  if (Number(m![2]) > 65535 || Number(m![2]) === 0) refuse(`Invalid containerPort: ${m![2]}`);
  return { protocol: (m![3] as 'tcp' | 'udp') ?? 'tcp', published: Number(m![1] ?? 0), target: Number(m![2]), mode: 'ingress' };
}

export function findService(world: World, ref: string): Service | undefined {
  const s = world.swarm;
  if (!s) return undefined;
  return s.services.find((x) => x.name === ref) ?? s.services.find((x) => x.id === ref) ?? s.services.find((x) => x.id.startsWith(ref));
}

/** docker/cli v20.10.24 cli/command/service/formatter.go: the `service ls` context and its table. */
const SERVICE_VIEW: ListView = {
  typeName: '*service.serviceContext',
  header: { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' },
  table: 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}',
};

/** `docker service ls [-q] [--format F]`. */
export function serviceLs(world: World, host: Host, cmd: DockerCommand, running: (svc: Service) => number): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const svcs = [...world.swarm!.services].sort((a, b) => a.name.localeCompare(b.name));
  const rows = svcs.map((s): ListRow => ({
    ID: s.id.slice(0, 12),
    Name: s.name,
    Mode: s.mode,
    Replicas: s.mode === 'global' ? `${running(s)}/${world.swarm!.nodes.length}` : `${running(s)}/${s.replicas}`,
    Image: s.image,
    Ports: s.publish.map((p) => `*:${p.published}->${p.target}/${p.protocol}`).join(', '),
  }));
  return listWithFormat(SERVICE_VIEW, flagValue(cmd.flags, 'format'), boolFlag(cmd.flags, 'quiet', 'q'), rows);
}

/** docker/cli v20.10.24 cli/command/node/formatter.go: the `node ls` context and its table. */
const NODE_VIEW: ListView = {
  typeName: '*node.nodeContext',
  header: {
    ID: 'ID', Self: '', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY', ManagerStatus: 'MANAGER STATUS',
    EngineVersion: 'ENGINE VERSION', TLSStatus: 'TLS STATUS',
  },
  table: 'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}',
};

/** `docker node ls [-q] [--format F]`. */
export function nodeLs(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const s = world.swarm!;
  const rows = s.nodes.map((n): ListRow => ({
    ID: n.id,
    Self: n.host === host.name,
    Hostname: n.host,
    Status: 'Ready',
    Availability: { active: 'Active', pause: 'Pause', drain: 'Drain' }[n.availability ?? 'active'],
    ManagerStatus: n.role === 'manager' ? (n.host === s.managerHost ? 'Leader' : 'Reachable') : '',
    EngineVersion: osProfile(world.hosts.find((h) => h.name === n.host)!.os).engine.version,
    TLSStatus: notModelled('docker node ls', 'TLSStatus', 'swarm TLS certificates'),
  }));
  return listWithFormat(NODE_VIEW, flagValue(cmd.flags, 'format'), boolFlag(cmd.flags, 'quiet', 'q'), rows);
}

/** A node by ID, unique ID prefix or hostname (moby v20.10.24 daemon/cluster/helpers.go getNode). */
export function findNode(world: World, ref: string): SwarmNode {
  const nodes = world.swarm!.nodes;
  const exact = nodes.find((n) => n.id === ref) ?? nodes.find((n) => n.host === ref);
  if (exact) return exact;
  const byPrefix = nodes.filter((n) => n.id.startsWith(ref));
  if (byPrefix.length > 1) fail(daemon(`node ${ref} is ambiguous (${byPrefix.length} matches found)`));
  return byPrefix[0] ?? fail(daemon(`node ${ref} not found`));
}

/**
 * `docker node update [--availability active|pause|drain] [--label-add K=V]... [--label-rm K]... NODE`
 * (docker/cli v20.10.24 cli/command/node/update.go): prints the node as given. Draining a node moves
 * its tasks to the other nodes; a paused node keeps its tasks and takes no new ones.
 */
export function nodeUpdate(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const ref = cmd.args[0]?.value;
  if (!ref) fail(`"docker node update" requires exactly 1 argument.\nSee 'docker node update --help'.`);
  const node = findNode(world, ref);
  const role = flagValue(cmd.flags, 'role');
  if (role !== undefined) {
    if (role !== 'worker' && role !== 'manager') fail(daemon(`rpc error: code = InvalidArgument desc = invalid role: ${role}`));
    // update.go: the role already set is errNoRoleChange, which skips the node without a word.
    if (role === node.role) return '';
    if (role === 'worker' && !world.swarm!.nodes.some((n) => n !== node && n.role === 'manager'))
      fail(daemon('rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm'));
    if (role === 'worker' && node.host === world.swarm!.managerHost)
      fail(`Packet Path keeps the swarm's leader on ${node.host}, the host that ran "docker swarm init"; demote another manager`);
    node.role = role;
    const h = world.hosts.find((x) => x.name === node.host);
    if (h?.engine) h.engine.swarmRole = role;
  }
  const availability = flagValue(cmd.flags, 'availability');
  if (availability !== undefined) {
    if (availability !== 'active' && availability !== 'pause' && availability !== 'drain')
      fail(daemon(`rpc error: code = InvalidArgument desc = invalid availability: ${availability}`));
    node.availability = availability;
  }
  const labels = { ...(node.labels ?? {}) };
  for (const kv of flagValues(cmd.flags, 'label-add')) {
    const i = kv.indexOf('=');
    labels[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
  }
  for (const k of flagValues(cmd.flags, 'label-rm')) {
    if (!(k in labels)) fail(`key ${k} doesn't exist in node's labels`);
    delete labels[k];
  }
  node.labels = labels;
  rebalance(world, cmd.line);
  return ref;
}

export function ingressAvailable(host: Host): boolean {
  return osProfile(host.os).routingMesh;
}

export function inSubnet(ip: string, prefix: string): boolean {
  return inPrefix(parseIp(ip)!, parseCidr(prefix)!.prefix);
}
