/**
 * Containers and their endpoints: `docker run|start|stop|restart|rm|ps|inspect`,
 * `docker network connect|disconnect` (hot add per profile), static IP rules (tips 5, 6, 8),
 * published ports (WinNAT static mappings on nat, Docker-allocated ports on VFP drivers),
 * DNS settings, and the tip-1 IPv6 failure.
 */
import { excludedRangeOf } from './diagnostics.js';
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue, flagValues } from './args.js';
import { checkHostPorts } from './capacity.js';
import { ensureEngine } from './docker-engine.js';
import { CommandError, daemon, E, fail, failStart, hnsError, hnsNetworkGone, runError, StartError } from './errors.js';
import { publishRule } from './firewall.js';
import { dockerId, hnsGuid, nextRandom, parseMac } from './ids.js';
import { asInList, changeEpoch, findUnrecorded, transaction, unrecorded } from './transaction.js';
import { addressFree, allocateAddress, allocateMac, apipaAddress, dhcpLease, subnetFor } from './ipam.js';
import { classfulLen, parseCidr, parseIp } from '../addr.js';
import { displayablePorts, listWithFormat, type ListPort, type ListRow, type ListView } from './docker-format.js';
import { FilterArgs } from './docker-filters.js';
import { containerLabels, containerMounts } from './container-inspect.js';
import { goTimeString, humanDuration } from './format.js';
import type { GoValue } from './go-template.js';
import { dockerNetworks, findNetwork } from './networks.js';
import { osProfile } from './os.js';
import { HNS_PROTOCOL_ANY, RuleTextError, hnsAclMatch } from './rule-match.js';
import { ensureOverlayInstance } from './swarm.js';
import { refuseIcsPublish } from './default-switch.js';
import { unsupportedMessage } from './unsupported.js';
import type { AclPolicy, Attachment, Container, Endpoint, Host, Network, PortMapping, RestartPolicy, RunSettings, World } from './types.js';

const LEFT = ['admiring', 'brave', 'clever', 'dazzling', 'eager', 'festive', 'gallant', 'happy', 'jolly', 'keen', 'loving', 'modest', 'nifty', 'optimistic', 'pensive', 'quirky', 'relaxed', 'serene', 'trusting', 'vibrant', 'wizardly', 'zealous'];
const RIGHT = ['albattani', 'babbage', 'curie', 'darwin', 'euclid', 'feynman', 'galileo', 'hopper', 'jennings', 'kepler', 'lovelace', 'mccarthy', 'newton', 'pasteur', 'ritchie', 'shannon', 'tesla', 'turing', 'volhard', 'wozniak', 'yalow'];

export const DEFAULT_CMD = 'c:\\windows\\system32\\cmd.exe';

/** Containers by name, per containers list: kept up on appends, rebuilt when a name changes or a list shrinks. */
const byName = new WeakMap<Container[], { epoch: number; seen: number; names: Map<string, Container> }>();

/** The container of this host named `name` (names are unique on a host). */
export function containerNamed(host: Host, name: string): Container | undefined {
  const list = unrecorded(host.containers);
  let ix = byName.get(list);
  if (!ix || ix.epoch !== changeEpoch() || ix.seen > list.length) byName.set(list, (ix = { epoch: changeEpoch(), seen: 0, names: new Map() }));
  for (; ix.seen < list.length; ix.seen++) if (!ix.names.has(list[ix.seen]!.name)) ix.names.set(list[ix.seen]!.name, list[ix.seen]!);
  return asInList(host.containers, ix.names.get(name));
}

export function findContainer(host: Host, ref: string): Container | undefined {
  const r = ref.replace(/^\//, '');
  return (
    containerNamed(host, r) ??
    findUnrecorded(host.containers, (c) => c.id === r) ??
    (() => {
      const m = unrecorded(host.containers).filter((c) => c.id.startsWith(r));
      return m.length === 1 ? findUnrecorded(host.containers, (c) => c === m[0]) : undefined;
    })()
  );
}

/**
 * A name for a container run without --name, as the daemon makes one (daemon/names.go
 * generateNewName, moby v20.10): six tries of namesgenerator.GetRandomName(i), which appends a random
 * digit from the second try on, then the container's truncated ID. Never more draws than that, so a
 * host holding every name of the lists still gets its container.
 */
function randomName(world: World, host: Host, id: string): string {
  for (let i = 0; i < 6; i++) {
    let n = `${LEFT[nextRandom(world) % LEFT.length]}_${RIGHT[nextRandom(world) % RIGHT.length]}`;
    if (i > 0) n += String(nextRandom(world) % 10);
    if (!containerNamed(host, n)) return n;
  }
  return id.slice(0, 12);
}

function linkLocal(world: World): string {
  const g = () => (nextRandom(world) & 0xffff).toString(16);
  return `fe80::${g()}:${g()}:${g()}:${g()}`;
}

/** Parses one `-p` value the way the Docker CLI and the Windows shim do (ConvertPortBindings). */
export function parsePublish(spec: string, line: number): PortMapping[] {
  const [body, proto = 'tcp'] = spec.split('/') as [string, string?];
  if (proto !== 'tcp' && proto !== 'udp') {
    if (proto === 'sctp') fail(runError(E.invalidProto(proto)));
    fail(`invalid argument "${spec}" for "-p, --publish" flag: Invalid proto: ${proto}`);
  }
  const parts = body.split(':');
  let hostIp = '';
  let hostPart = '';
  let contPart = '';
  if (parts.length === 1) contPart = parts[0]!;
  else if (parts.length === 2) [hostPart, contPart] = parts as [string, string];
  else if (parts.length === 3) [hostIp, hostPart, contPart] = parts as [string, string, string];
  else fail(`invalid argument "${spec}" for "-p, --publish" flag: Invalid hostPort: ${spec}`);
  if (hostIp && parseIp(hostIp) === null) fail(`invalid argument "${spec}" for "-p, --publish" flag: Invalid ip address: ${hostIp}`);
  const range = (s: string): [number, number] | null => {
    if (s === '') return null;
    const m = /^(\d+)(?:-(\d+))?$/.exec(s);
    if (!m) fail(`invalid argument "${spec}" for "-p, --publish" flag: Invalid ${s === contPart ? 'containerPort' : 'hostPort'}: ${s}`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1 || b > 65535 || b < a) fail(`invalid argument "${spec}" for "-p, --publish" flag: Invalid ${s === contPart ? 'containerPort' : 'hostPort'}: ${s}`);
    return [a, b];
  };
  const c = range(contPart)!;
  const h = range(hostPart);
  const count = c[1] - c[0] + 1;
  // A host range for one container port is a binding Docker accepts; Windows' driver refuses it
  // when it creates the endpoint (ConvertPortBindings: HostPort != HostPortEnd), and a host IP
  // that is not 0.0.0.0 after that: both at the start, so the container stays Created.
  const hostRange = !!h && count === 1 && h[1] !== h[0];
  if (h && !hostRange && h[1] - h[0] + 1 !== count)
    fail(`invalid argument "${spec}" for "-p, --publish" flag: invalid ranges specified for container and host Ports: ${contPart} and ${hostPart}`);
  const refusal = hostRange ? E.natMultiPort() : hostIp && parseIp(hostIp) !== 0 ? E.natHostIp() : undefined;
  const out: PortMapping[] = [];
  for (let i = 0; i < count; i++) {
    const m: PortMapping = { protocol: proto as 'tcp' | 'udp', hostPort: h ? h[0] + i : 0, containerPort: c[0] + i, line };
    if (hostRange) m.hostPortEnd = h[1];
    if (refusal) m.refusal = refusal;
    out.push(m);
  }
  return out;
}

export function primaryEndpoints(host: Host, c: Container): Endpoint[] {
  return c.attachments
    .map((a) => host.endpoints.find((e) => e.id === a.endpointId))
    .filter((e): e is Endpoint => !!e);
}

/**
 * An HNS ACL policy as HNS stores it, validated where it is made: HNS refuses a policy it cannot
 * parse (E_INVALIDARG), so a policy on an endpoint always has a typed match for VFP.
 */
function hnsAclPolicy(host: Host, fields: Omit<AclPolicy, 'match'>): AclPolicy {
  try {
    return { ...fields, match: hnsAclMatch(fields) };
  } catch (e) {
    if (e instanceof RuleTextError) fail(daemon(hnsError(host, 'The parameter is incorrect.', '0x57')));
    throw e;
  }
}

function defaultAcls(host: Host, net: Network): AclPolicy[] {
  if (net.driver === 'nat' || net.driver === 'null') return [];
  const base = { protocol: HNS_PROTOCOL_ANY, localAddresses: '', remoteAddresses: '', localPorts: '', remotePorts: '', priority: 65500, ruleType: 'Switch' as const, line: net.line };
  return [
    hnsAclPolicy(host, { ...base, id: 'default-allow-in', action: 'Allow', direction: 'In' }),
    hnsAclPolicy(host, { ...base, id: 'default-allow-out', action: 'Allow', direction: 'Out' }),
  ];
}

/** Validates a requested static address against the network (tips 5, 6; windowsipam/validateNetworkingConfig). */
function checkStaticIp(world: World, host: Host, net: Network, ip: string): void {
  if (parseIp(ip) === null) failStart(daemon(`invalid IPv4 address: ${ip}`));
  const configured = net.driver === 'nat' || net.driver === 'overlay' ? net.subnets.length > 0 : net.userSubnet;
  if (!configured) failStart(E.staticIpNoSubnet());
  if (!subnetFor(net, ip)) failStart(E.ipNotInSubnet(ip));
  if (!addressFree(world, host, net, ip)) failStart(daemon('Address already in use'));
}

/**
 * Creates the HNS endpoint(s) of a container on a network: address (HNS, static, DHCP or APIPA),
 * MAC from the network's pool, gateway, DNS, ACLs, OutBoundNAT, and on ws2016-style overlay the
 * extra endpoint on the host's nat network that carries external traffic.
 */
export function createEndpoints(
  world: World, host: Host, c: Container, netRef: Network, at: Attachment, line: number,
): Endpoint[] {
  const prof = osProfile(host.os);
  const net = netRef.scope === 'swarm' ? ensureOverlayInstance(world, host, netRef, line) : netRef;
  if (net.hnsRemoved) failStart(daemon(hnsNetworkGone(c.name, net)));
  const mac = c.macAddress && at === c.attachments[0] ? c.macAddress : allocateMac(world, host, net);
  let ip: string;
  let prefixLen: number;
  let dockerPrefixLen: number;
  let gateway: string | null;
  let dhcp: Endpoint['dhcp'] = null;
  if (at.ip) {
    const s = subnetFor(net, at.ip)!;
    ip = at.ip;
    prefixLen = s.prefix.len;
    dockerPrefixLen = s.prefix.len;
    gateway = s.gateway || null;
  } else if (net.dhcp) {
    const spoofBlocked = host.virtualized && !host.macSpoofing;
    const lease = spoofBlocked ? null : dhcpLease(world, mac, `${host.name}/${c.name}`);
    if (lease) {
      ip = lease;
      prefixLen = parseCidr(world.underlay.subnet!)!.prefix.len;
      gateway = world.underlay.dhcp?.gateway ?? world.underlay.gateway;
      dhcp = 'lease';
    } else {
      ip = apipaAddress(world.seed + host.index * 131 + c.compartmentId * 7 + net.nextMac);
      prefixLen = 16;
      gateway = null;
      dhcp = 'apipa';
    }
    dockerPrefixLen = prefixLen;
  } else {
    if (net.subnets.length === 0)
      failStart(daemon(`failed to create endpoint ${c.name} on network ${net.name}: ${hnsError(host, 'The network does not have a subnet for this endpoint.', '0x803b0020')}`));
    const a = allocateAddress(world, host, net);
    ip = a.ip;
    prefixLen = a.prefixLen;
    // windows.go: HNS returns no mask; Docker reports IP.DefaultMask() (overlay uses the swarm subnet).
    dockerPrefixLen = net.driver === 'overlay' ? a.prefixLen : classfulLen(parseIp(ip)!);
    gateway = subnetFor(net, ip)!.gateway || null;
  }
  const internalDns = (net.driver === 'nat' || net.driver === 'overlay') && !net.disableGatewayDns && gateway !== null;
  // ICS's DHCP names its gateway as the DNS server (its DNS proxy).
  const dnsServers: string[] = internalDns || net.driver === 'ics' ? [gateway!] : [];
  // A container's --dns, else daemon.json's "dns" (moby daemon/network.go buildCreateEndpointOptions), else the network's.
  const daemonDns = host.daemonConfig?.dns ?? [];
  const external = c.dns.length ? c.dns : daemonDns.length ? daemonDns : net.dnsServers.length ? net.dnsServers : null;
  if (external) dnsServers.push(...external);
  else if (net.driver === 'nat' || net.driver === 'overlay' || dhcp === 'lease') {
    if (world.underlay.dns) dnsServers.push(world.underlay.dns);
  }
  const ep: Endpoint = {
    id: dockerId(world),
    hnsId: hnsGuid(world, prof.build),
    networkId: net.id,
    containerId: c.id,
    ip,
    prefixLen,
    dockerPrefixLen,
    mac,
    gateway,
    compartmentId: c.compartmentId,
    dnsServers: [...new Set(dnsServers)],
    dnsSuffix: net.dnsSuffix,
    dnsSearch: c.dnsSearch.length ? [c.dnsSearch[0]!] : host.daemonConfig?.dnsSearch.length ? [host.daemonConfig.dnsSearch[0]!] : net.dnsSuffix ? [net.dnsSuffix] : [],
    vlan: net.vlan,
    state: 'Attached',
    portMappings: [],
    acls: defaultAcls(host, net),
    outboundNat: null,
    aliases: at.aliases,
    role: 'primary',
    dhcp,
    encapOverhead: net.driver === 'overlay' ? 50 : 0,
    linkLocal: linkLocal(world),
    ifIndex: host.nextIfIndex++,
    line,
  };
  if (net.driver === 'overlay' && prof.overlayExternal === 'outbound-nat')
    ep.outboundNat = { exceptions: net.subnets.map((s) => s.prefix) };
  if ((net.driver === 'l2bridge' || net.driver === 'l2tunnel') && net.enableOutboundNat)
    ep.outboundNat = { exceptions: [...net.outboundNatExceptions] };
  at.endpointId = ep.id;
  host.endpoints.push(ep);
  const out = [ep];
  if (net.driver === 'overlay' && prof.overlayExternal === 'nat-endpoint' && !net.ingress) {
    // ws2016/1709: external traffic of an overlay container leaves through a second endpoint on nat.
    const nat = host.networks.find((n) => n.name === 'nat' && n.origin === 'default');
    if (nat && !primaryEndpoints(host, c).some((e) => e.networkId === nat.id) &&
        !host.endpoints.some((e) => e.containerId === c.id && e.role === 'overlay-gateway')) {
      const a = allocateAddress(world, host, nat);
      const gw = nat.subnets[0]!.gateway;
      const gep: Endpoint = {
        ...ep,
        id: dockerId(world),
        hnsId: hnsGuid(world, prof.build),
        networkId: nat.id,
        ip: a.ip,
        prefixLen: a.prefixLen,
        dockerPrefixLen: classfulLen(parseIp(a.ip)!),
        mac: allocateMac(world, host, nat),
        gateway: gw,
        dnsServers: [gw, ...(world.underlay.dns ? [world.underlay.dns] : [])],
        dnsSuffix: null,
        dnsSearch: [],
        vlan: null,
        portMappings: [],
        acls: [],
        outboundNat: null,
        aliases: [],
        role: 'overlay-gateway',
        dhcp: null,
        encapOverhead: 0,
        linkLocal: linkLocal(world),
        ifIndex: host.nextIfIndex++,
      };
      host.endpoints.push(gep);
      out.push(gep);
    }
  }
  checkHostPorts(host);
  return out;
}

/** Publishes a container's ports on its endpoints (nat: WinNAT static mappings + firewall allow rules). */
function publishPorts(world: World, host: Host, c: Container, warnings: string[]): void {
  if (!c.publish.length) return;
  const eps = primaryEndpoints(host, c);
  const ep = eps[0];
  if (!ep) return;
  const net = host.networks.find((n) => n.id === ep.networkId)!;
  // Ports already held, as `tcp/80`, read once: `-p 1-65535:1-65535` is one command of 65,535 mappings.
  const natTaken = new Set<string>();
  for (const w of unrecorded(host.winnats)) for (const m of w.staticMappings) natTaken.add(`${m.protocol.toLowerCase()}/${m.externalPort}`);
  const netTaken = new Set<string>();
  for (const e of unrecorded(host.endpoints)) for (const m of e.portMappings) if (e.networkId === net.id) netTaken.add(`${m.protocol}/${m.hostPort}`);
  const opened = new Set(unrecorded(c.firewall).filter((r) => r.origin === 'publish').map((r) => `${r.protocol.toLowerCase()}/${r.localPorts}`));
  const held = { tcp: hostPortsHeld(host, 'tcp'), udp: hostPortsHeld(host, 'udp') };
  const free = (proto: 'tcp' | 'udp') => nextFreeHostPort(host, held[proto], c.name, ep.id);
  // The Windows drivers (nat, transparent, l2bridge, l2tunnel, overlay) convert every binding first.
  const refused = c.publish.find((p) => p.refusal);
  if (refused) failStart(daemon(`failed to create endpoint ${c.name} on network ${net.name}: ${refused.refusal}`));
  for (const pm of c.publish) {
    const mapping = { ...pm };
    if (net.driver === 'transparent') {
      warnings.push(`-p ${pm.hostPort || ''}${pm.hostPort ? ':' : ''}${pm.containerPort} has no effect on a transparent network: the container is reached on its own address ${ep.ip}`);
      continue;
    }
    if (net.driver === 'nat') {
      const winnat = host.winnats.find((w) => w.name === net.winnat);
      // Its WinNAT removed (Get-NetNat | Remove-NetNat), HNS cannot add the port mapping (docker/for-win #123).
      if (!winnat) failStart(daemon(`failed to create endpoint ${c.name} on network ${net.name}: ${hnsError(host, 'Unspecified error', '0x80004005')}`));
      if (!mapping.hostPort) mapping.hostPort = free(mapping.protocol);
      const key = `${mapping.protocol}/${mapping.hostPort}`;
      if (natTaken.has(key))
        failStart(daemon(`failed to create endpoint ${c.name} on network ${net.name}: ${hnsError(host, 'The object already exists.', '0x1392')}`));
      // A host process bound the port: HNS cannot take it for the mapping (Azure IoT Edge troubleshooting docs).
      // ... and so does a port in an excluded range (docker/for-win #12251: an administered exclusion, 0x20).
      if (host.listeners.some((l) => l.protocol === mapping.protocol && l.port === mapping.hostPort) || excludedRangeOf(host, mapping.protocol, mapping.hostPort))
        failStart(daemon(`failed to create endpoint ${c.name} on network ${net.name}: ${hnsError(host, 'The process cannot access the file because it is being used by another process.', '0x20')}`));
      natTaken.add(key);
      winnat.staticMappings.push({
        id: winnat.staticMappings.length,
        protocol: mapping.protocol.toUpperCase() as 'TCP' | 'UDP',
        externalIp: '0.0.0.0',
        externalPort: mapping.hostPort,
        internalIp: ep.ip,
        internalPort: mapping.containerPort,
        endpointId: ep.id,
        line: pm.line,
      });
      host.firewall.push(publishRule(mapping.protocol, mapping.hostPort, c.name, pm.line));
    } else {
      // l2bridge / l2tunnel / overlay: Docker's own port allocator, then a VFP NAT policy.
      if (!mapping.hostPort) mapping.hostPort = free(mapping.protocol);
      const key = `${mapping.protocol}/${mapping.hostPort}`;
      if (netTaken.has(key)) failStart(daemon(`driver failed programming external connectivity on endpoint ${c.name} (${ep.id}): Bind for 0.0.0.0:${mapping.hostPort} failed: port is already allocated`));
      netTaken.add(key);
    }
    ep.portMappings.push(mapping);
    // Inside the container the published port is opened too (before 1709 the default inbound is deny all).
    const inside = `${mapping.protocol}/${mapping.containerPort}`;
    if (!opened.has(inside)) {
      opened.add(inside);
      c.firewall.push(publishRule(mapping.protocol, mapping.containerPort, c.name, pm.line));
    }
  }
}

/** Host ports of a protocol already held: WinNAT static mappings and Docker-published ports. */
function hostPortsHeld(host: Host, proto: 'tcp' | 'udp'): Set<number> {
  const used = new Set<number>();
  for (const w of unrecorded(host.winnats)) for (const m of w.staticMappings) if (m.protocol === proto.toUpperCase()) used.add(m.externalPort);
  for (const e of unrecorded(host.endpoints)) for (const m of e.portMappings) if (m.protocol === proto) used.add(m.hostPort);
  return used;
}

/**
 * A host port for `-p CONTAINERPORT`: Docker's port allocator hands out 49153-65535 in turn,
 * wrapping to the start (libnetwork portallocator); when none is free it fails with "all ports are
 * allocated".
 */
function nextFreeHostPort(host: Host, used: Set<number>, name: string, endpointId: string): number {
  for (let k = 0; k <= 65535 - 49153; k++) {
    if (host.nextEphemeralPort > 65535) host.nextEphemeralPort = 49153;
    const p = host.nextEphemeralPort++;
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
  return failStart(daemon(`driver failed programming external connectivity on endpoint ${name} (${endpointId}): all ports are allocated`));
}

/** Deletes a container's endpoints (stop/rm): HNS releases the address, WinNAT its static mappings. */
export function releaseEndpoints(host: Host, c: Container): void {
  const ids = new Set(host.endpoints.filter((e) => e.containerId === c.id).map((e) => e.id));
  host.endpoints = host.endpoints.filter((e) => !ids.has(e.id));
  for (const w of host.winnats) w.staticMappings = w.staticMappings.filter((m) => !ids.has(m.endpointId));
  host.firewall = host.firewall.filter((r) => !(r.origin === 'publish' && r.name.endsWith(`(${c.name})`)));
  c.firewall = c.firewall.filter((r) => r.origin !== 'publish');
  for (const a of c.attachments) a.endpointId = '';
}

/** Starts a container: a fresh compartment and endpoints for every attachment, then its published ports. */
export function startContainer(world: World, host: Host, c: Container, line: number, warnings: string[]): void {
  if (!host.ipv6 && host.kb4015217) failStart(E.elementNotFound(c.id));
  c.compartmentId = host.nextCompartment++;
  for (const at of c.attachments) {
    // A container created before its network was (docker run on an unknown network) names it.
    const net = networkById(world, host, at.networkId) ?? findNetwork(world, host, at.networkId, true);
    if (!net) failStart(daemon(`network ${at.networkId} not found`));
    at.networkId = net.id;
    createEndpoints(world, host, c, net, at, line);
  }
  publishPorts(world, host, c, warnings);
  c.state = 'running';
  c.startedAt = world.clock;
}

export function networkById(world: World, host: Host, id: string): Network | undefined {
  return host.networks.find((n) => n.id === id) ?? world.swarm?.networks.find((n) => n.id === id);
}

export interface RunOptions {
  name: string | null;
  image: string;
  command: string;
  network: string;
  ip: string | null;
  publish: PortMapping[];
  expose: string[];
  dns: string[];
  dnsSearch: string[];
  aliases: string[];
  hostname: string | null;
  isolation: 'process' | 'hyperv';
  service: Container['service'];
  /** Further network IDs to attach before the start (service tasks: more overlays, ingress). */
  extraNetworks?: string[];
  /** `--mac-address`: the endpoint's MAC instead of one from the pool (windows.go honours it). */
  mac?: string | null;
  /** What the `docker run` command line said, for `docker inspect` (absent for service tasks). */
  run?: RunSettings;
  restartPolicy?: RestartPolicy;
}

/**
 * `--restart P[:N]`: docker/cli v20.10 opts/parse.go `ParseRestartPolicy` (its errors print with
 * `docker:` and the help hint), the `--rm` conflict of cli/command/container/opts.go, then the
 * daemon's `validateRestartPolicy` (moby v20.10 daemon/container.go).
 */
export function parseRestartPolicy(value: string | undefined, autoRemove: boolean): RestartPolicy {
  const spec = value ?? 'no';
  const parts = spec === '' ? [] : spec.split(':');
  if (parts.length > 2) fail(runError('invalid restart policy format'));
  const count = parts.length === 2 ? (/^[+-]?\d+$/.test(parts[1]!) ? Number(parts[1]) : fail(runError('maximum retry count must be an integer'))) : 0;
  const name = parts[0] ?? '';
  if (autoRemove && name !== '' && name !== 'no') fail(runError('Conflicting options: --restart and --rm'));
  switch (name) {
    case 'always':
    case 'unless-stopped':
    case 'no':
      if (count !== 0) fail(runError(daemon(`maximum retry count cannot be used with restart policy '${name}'`)));
      return { name, maximumRetryCount: 0 };
    case 'on-failure':
      if (count < 0) fail(runError(daemon('maximum retry count cannot be negative')));
      return { name, maximumRetryCount: count };
    case '':
      return { name: 'no', maximumRetryCount: 0 };
    default:
      return fail(runError(daemon(`invalid restart policy '${name}'`)));
  }
}

/**
 * What the daemon refuses before the create (moby v20.10.24 daemon/create.go containerCreate):
 * the network mode, a malformed static IPv4 address (verifyNetworkingConfig), the name.
 */
function checkCreate(host: Host, o: RunOptions): void {
  const netRef = o.network;
  if (netRef === 'host') fail(runError(daemon('network host not found')));
  if (netRef.startsWith('container:')) {
    const other = findContainer(host, netRef.slice(10));
    if (!other) fail(runError(daemon(`No such container: ${netRef.slice(10)}`)));
    if (o.isolation === 'hyperv') fail(runError(daemon('invalid network-mode: using the network stack of another container is not supported while using Hyper-V Containers')));
    fail(runError(daemon('Packet Path does not simulate --network container:<name> (shared network stacks)')));
  }
  if (o.ip !== null && parseIp(o.ip) === null) fail(runError(daemon(`invalid IPv4 address: ${o.ip}`)));
  if (o.name !== null) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(o.name))
      fail(runError(daemon(`Invalid container name (${o.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`)));
    const clash = containerNamed(host, o.name);
    if (clash) fail(runError(E.nameInUse(o.name, clash.id)));
  }
}

/**
 * The network a container attaches to at its start, as connectToNetwork finds and checks it
 * (findAndAttachNetwork: the network by name or ID, a swarm network only if attachable;
 * validateNetworkingConfig and IPAM: a static IP needs a configured subnet and a free address).
 */
function networkToStart(world: World, host: Host, o: RunOptions): Network {
  const netRef = o.network;
  const net = (o.service ? networkById(world, host, netRef) : undefined) ?? findNetwork(world, host, netRef, true);
  if (!net) failStart(daemon(`network ${netRef} not found`));
  if (net.scope === 'swarm' && !o.service) {
    if (!host.engine?.swarmRole) failStart(daemon(`network ${netRef} not found`));
    if (!net.attachable) failStart(E.notAttachable(netRef));
  }
  if (o.ip !== null && net.driver !== 'null') checkStaticIp(world, host, net, o.ip);
  refuseIcsPublish(net, o.publish.length);
  return net;
}

/** The container `docker create` leaves (state created, no endpoint), attached to `net` at its start. */
function createContainer(world: World, host: Host, o: RunOptions, net: Network | undefined, line: number): Container {
  const id = dockerId(world);
  const c: Container = {
    id,
    name: o.name ?? randomName(world, host, id),
    image: o.image,
    command: o.command || DEFAULT_CMD,
    state: 'created',
    exitCode: 0,
    createdAt: world.clock,
    startedAt: 0,
    finishedAt: 0,
    attachments: net?.driver === 'null' || (!net && o.network === 'none') ? [] : [
      // A network not found yet is kept as named: the start looks it up again.
      { networkId: net?.id ?? o.network, endpointId: '', ip: o.ip, aliases: o.aliases },
      ...(o.extraNetworks ?? []).map((id) => ({ networkId: id, endpointId: '', ip: null, aliases: o.aliases })),
    ],
    publish: o.publish,
    expose: o.expose,
    dns: o.dns,
    dnsSearch: o.dnsSearch,
    hostname: o.hostname ?? id.slice(0, 12),
    compartmentId: 0,
    firewall: [],
    isolation: o.isolation,
    service: o.service,
    macAddress: o.mac ?? null,
    ...(o.run ? { run: o.run } : {}),
    restartPolicy: o.restartPolicy ?? { name: 'no', maximumRetryCount: 0 },
    line,
  };
  host.containers.push(c);
  return c;
}

/** Creates and starts a container as one step (service tasks: a task that fails to start leaves nothing). */
export function runContainer(world: World, host: Host, o: RunOptions, line: number, warnings: string[]): Container {
  checkCreate(host, o);
  const c = createContainer(world, host, o, networkToStart(world, host, o), line);
  startContainer(world, host, c, line, warnings);
  return c;
}

/**
 * `docker run`'s two steps (docker/cli v20.10.24 cli/command/container/run.go: createContainer,
 * then ContainerStart). A start that fails keeps the create: moby daemon/start.go containerStart
 * cleans the networking up, sets exit code 128 and removes the container only with `--rm`.
 */
function createAndStart(world: World, host: Host, o: RunOptions, autoRemove: boolean, detach: boolean, line: number, warnings: string[]): Container {
  checkCreate(host, o);
  // The created container, seen through the recording view so that the start's writes to it are undone.
  const c = asInList(host.containers, createContainer(world, host, o, findNetwork(world, host, o.network, true), line))!;
  try {
    transaction(unrecorded(world), () => {
      const net = networkToStart(world, host, o);
      if (c.attachments[0]) c.attachments[0].networkId = net.id;
      startContainer(world, host, c, line, warnings);
    });
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    // A StartError's message is run.go's reportError(stderr, "run", err, false): no help hint. A
    // detached run has printed the container's ID by then (the goroutine after createContainer), as
    // pasted in MicrosoftDocs/Virtualization-Documentation #356.
    const output = detach ? [c.id, e.output].filter(Boolean).join('\n') : e.output;
    if (autoRemove) throw new CommandError(e.message, output, e.warnings);
    c.exitCode = 128;
    throw new CommandError(e.message, output, e.warnings, true);
  }
  return c;
}

function networks0(cmd: DockerCommand): string | undefined {
  return flagValues(cmd.flags, 'network', 'net')[0];
}

/**
 * The `docker run` options the container's inspect object shows back, parsed as docker/cli v20.10.24
 * cli/command/container/opts.go and run.go do (the restart policy is parseRestartPolicy's).
 */
function runSettings(cmd: DockerCommand, publishSpecs: string[], network: string | undefined): RunSettings {
  const labels: Record<string, string> = {};
  for (const l of flagValues(cmd.flags, 'label', 'l')) {
    const i = l.indexOf('=');
    labels[i < 0 ? l : l.slice(0, i)] = i < 0 ? '' : l.slice(i + 1);
  }
  const portBindings: RunSettings['portBindings'] = [];
  for (const spec of publishSpecs) {
    const fields = spec.split('/')[0]!.split(':');
    const hostIp = fields.length === 3 ? fields[0]! : '';
    for (const m of parsePublish(spec, cmd.line))
      portBindings.push({ key: `${m.containerPort}/${m.protocol}`, hostIp, hostPort: m.hostPort ? `${m.hostPort}${m.hostPortEnd ? `-${m.hostPortEnd}` : ''}` : '' });
  }
  const words = cmd.command.map((w) => w.value);
  return {
    networkMode: network ?? 'default',
    cmd: words.length ? words : null,
    entrypoint: flagValue(cmd.flags, 'entrypoint') ?? null,
    env: flagValues(cmd.flags, 'env', 'e'),
    labels,
    user: flagValue(cmd.flags, 'user', 'u') ?? null,
    workdir: flagValue(cmd.flags, 'workdir', 'w') ?? '',
    domainname: flagValue(cmd.flags, 'domainname') ?? '',
    tty: boolFlag(cmd.flags, 'tty', 't'),
    interactive: boolFlag(cmd.flags, 'interactive', 'i'),
    detach: boolFlag(cmd.flags, 'detach', 'd'),
    autoRemove: boolFlag(cmd.flags, 'rm'),
    publishAll: boolFlag(cmd.flags, 'publish-all', 'P'),
    portBindings,
    volumes: flagValues(cmd.flags, 'volume', 'v'),
  };
}

/** `docker run`. */
export function dockerRun(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const image = cmd.args[0]?.value;
  if (!image) fail(`"docker run" requires at least 1 argument.\nSee 'docker run --help'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container`);
  if (flagValues(cmd.flags, 'link').length) warnings.push(unsupportedMessage('run --link'));
  if (flagValue(cmd.flags, 'ip6') !== undefined) fail(unsupportedMessage('run --ip6'));
  if (flagValues(cmd.flags, 'dns-option', 'dns-opt').length) warnings.push(unsupportedMessage('run --dns-option'));
  const dnsSearch = flagValues(cmd.flags, 'dns-search');
  if (dnsSearch.length > 1) warnings.push(unsupportedMessage('run --dns-search', { values: dnsSearch }));
  const dns = flagValues(cmd.flags, 'dns');
  for (const d of dns) if (parseIp(d) === null) fail(`invalid argument "${d}" for "--dns" flag: ${d} is not an ip address`);
  const publishSpecs = flagValues(cmd.flags, 'publish', 'p');
  const publish = publishSpecs.flatMap((p) => parsePublish(p, cmd.line));
  const settings = runSettings(cmd, publishSpecs, networks0(cmd));
  if (boolFlag(cmd.flags, 'publish-all', 'P')) {
    for (const e of flagValues(cmd.flags, 'expose')) {
      const [port, proto = 'tcp'] = e.split('/');
      publish.push({ protocol: proto as 'tcp' | 'udp', hostPort: 0, containerPort: Number(port), line: cmd.line });
    }
  }
  const isolationFlag = flagValue(cmd.flags, 'isolation');
  const isolation = isolationFlag === 'hyperv' || (isolationFlag === undefined && osProfile(host.os).client) ? 'hyperv' : 'process';
  const networks = flagValues(cmd.flags, 'network', 'net');
  if (networks.length > 1) fail(runError(daemon('Container cannot be connected to network endpoints: ' + networks.join(', '))));
  const ip = flagValue(cmd.flags, 'ip') ?? null;
  const macFlag = flagValue(cmd.flags, 'mac-address');
  const mac = macFlag === undefined ? null : parseMac(macFlag);
  if (macFlag !== undefined && !mac) fail(`invalid argument "${macFlag}" for "--mac-address" flag: ${macFlag} is not a valid mac address`);
  const restartPolicy = parseRestartPolicy(flagValue(cmd.flags, 'restart'), boolFlag(cmd.flags, 'rm'));
  const c = createAndStart(world, host, {
    name: flagValue(cmd.flags, 'name') ?? null,
    image,
    command: cmd.command.map((w) => (/\s/.test(w.value) ? `"${w.value}"` : w.value)).join(' '),
    // With daemon.json's "bridge": "none" a container on `nat` runs with networking disabled (moby daemon/container_operations.go connectToNetwork).
    network: host.daemonConfig?.bridgeNone && (networks[0] ?? 'nat') === 'nat' ? 'none' : networks[0] ?? 'nat',
    ip,
    publish,
    expose: flagValues(cmd.flags, 'expose'),
    dns,
    dnsSearch,
    aliases: flagValues(cmd.flags, 'network-alias', 'alias'),
    hostname: flagValue(cmd.flags, 'hostname', 'h') ?? null,
    isolation,
    service: null,
    mac,
    run: settings,
    restartPolicy,
  }, settings.autoRemove, settings.detach, cmd.line, warnings);
  return { output: settings.detach ? c.id : '', warnings };
}

function requireContainer(host: Host, ref: string, daemonForm = true): Container {
  const c = findContainer(host, ref);
  if (!c) fail(daemonForm ? E.noSuchContainerDaemon(ref) : E.noSuchContainer(ref));
  return c;
}

/** `docker start C...`. */
export function dockerStart(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const out: string[] = [];
  for (const a of cmd.args) {
    const c = findContainer(host, a.value);
    if (!c) fail(`${E.noSuchContainerDaemon(a.value)}\nError: failed to start containers: ${a.value}`);
    // start.go prints the daemon's error, then `Error: failed to start containers: NAME`.
    try {
      if (c.state !== 'running') startContainer(world, host, c, cmd.line, warnings);
    } catch (e) {
      if (e instanceof StartError) fail(`${e.daemonText}\nError: failed to start containers: ${a.value}`);
      throw e;
    }
    c.manuallyStopped = false;
    out.push(a.value);
  }
  return { output: out.join('\n'), warnings };
}

/** Windows containers stopped by `docker stop` report ERROR_PROCESS_ABORTED. */
const STOP_EXIT = 1067;

export function stopContainer(world: World, host: Host, c: Container): void {
  if (c.state !== 'running') return;
  releaseEndpoints(host, c);
  c.state = 'exited';
  c.exitCode = STOP_EXIT;
  c.finishedAt = world.clock;
}

/** `docker stop C...`. */
export function dockerStop(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const out: string[] = [];
  for (const a of cmd.args) {
    const c = requireContainer(host, a.value);
    stopContainer(world, host, c);
    c.manuallyStopped = true;
    out.push(a.value);
  }
  return out.join('\n');
}

/** `docker restart C...`. */
export function dockerRestart(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const out: string[] = [];
  for (const a of cmd.args) {
    const c = requireContainer(host, a.value);
    stopContainer(world, host, c);
    startContainer(world, host, c, cmd.line, warnings);
    out.push(a.value);
  }
  return { output: out.join('\n'), warnings };
}

/** `docker rm [-f] C...`. */
export function dockerRm(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const force = boolFlag(cmd.flags, 'force', 'f');
  const out: string[] = [];
  for (const a of cmd.args) {
    const c = requireContainer(host, a.value);
    if (c.state === 'running' && !force) fail(E.removeRunning(c.id));
    stopContainer(world, host, c);
    if (world.underlay.dhcp) world.underlay.dhcp.leases = world.underlay.dhcp.leases.filter((l) => l.owner !== `${host.name}/${c.name}`);
    host.containers = host.containers.filter((x) => x !== c);
    out.push(a.value);
  }
  return out.join('\n');
}

/** The container's ports as the list API gives them: none unless running (releaseNetwork empties them). */
function listPorts(host: Host, c: Container): ListPort[] {
  if (c.state !== 'running') return [];
  const out: ListPort[] = [];
  const bound = new Set<string>();
  for (const ep of primaryEndpoints(host, c))
    for (const m of ep.portMappings) {
      bound.add(`${m.containerPort}/${m.protocol}`);
      out.push({ ip: '0.0.0.0', privatePort: m.containerPort, publicPort: m.hostPort, type: m.protocol });
    }
  for (const e of c.expose) {
    const [p, proto = 'tcp'] = e.split('/');
    if (!bound.has(`${p}/${proto}`)) out.push({ ip: '', privatePort: Number(p), publicPort: 0, type: proto! });
  }
  return out;
}

function statusColumn(world: World, c: Container): string {
  if (c.state === 'running') return `Up ${humanDuration(world.clock - c.startedAt)}`;
  if (c.state === 'created') return 'Created';
  return `Exited (${c.exitCode}) ${humanDuration(world.clock - c.finishedAt)} ago`;
}

/** Go's strconv.Quote of the command after Docker's 20-character ellipsis. */
function quoteCommand(cmd: string, trunc: boolean): string {
  const s = trunc && [...cmd].length > 20 ? [...cmd].slice(0, 19).join('') + '…' : cmd;
  return JSON.stringify(s);
}

/** docker/cli v20.10.24 cli/command/formatter/container.go: the `ps` context and its table. */
const PS_VIEW: ListView = {
  typeName: '*formatter.ContainerContext',
  header: {
    ID: 'CONTAINER ID', Names: 'NAMES', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
    Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES',
    Networks: 'NETWORKS',
  },
  table: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
};

/**
 * `docker ps --filter`: moby v20.10.24 daemon/list.go (acceptedPsFilterTags, foldFilter,
 * includeContainerInList) over the newest-first list; returns the containers kept.
 */
function filterContainers(world: World, host: Host, list: Container[], f: FilterArgs, all: boolean, limit: number): Container[] {
  f.validate(['ancestor', 'before', 'exited', 'id', 'isolation', 'label', 'name', 'status', 'health', 'since', 'volume', 'network', 'is-task', 'publish', 'expose']);
  const exited = f.get('exited').map((v) => {
    if (!/^[+-]?\d+$/.test(v)) fail(daemon(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`));
    return Number(v);
  });
  for (const v of f.get('status')) {
    if (!['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'].includes(v)) fail(daemon(`Invalid filter 'status=${v}'`));
    all = true;
  }
  let isTask: boolean | null = null;
  if (f.has('is-task')) {
    if (f.exactMatch('is-task', 'true')) isTask = true;
    else if (f.exactMatch('is-task', 'false')) isTask = false;
    else fail(daemon(`Invalid filter 'is-task=[${f.get('is-task').join(' ')}]'`));
  }
  for (const v of f.get('health'))
    if (!['starting', 'healthy', 'unhealthy', 'none'].includes(v)) fail(daemon(`Unrecognised filter value for health: ${v}`));
  const pick = (key: string): Container | null => {
    let found: Container | null = null;
    for (const v of f.get(key)) {
      found = findContainer(host, v) ?? null;
      if (!found) fail(daemon(`No such container: ${v}`));
    }
    return found;
  };
  let before = pick('before');
  const since = pick('since');
  const publish = portFilter(f, 'publish');
  const expose = portFilter(f, 'expose');
  const out: Container[] = [];
  for (const c of list) {
    if (before) {
      if (c === before) before = null;
      continue;
    }
    if (since && c === since) break;
    if (c.state !== 'running' && !all && limit <= 0) continue;
    if (!f.match('name', `/${c.name}`) && !f.match('name', c.name)) continue;
    if (!f.match('id', c.id)) continue;
    if (isTask !== null && isTask !== (c.service !== null)) continue;
    if (!f.matchKVList('label', containerLabels(world, c))) continue;
    if (f.has('isolation') && !f.get('isolation').some((v) => v.toLowerCase() === c.isolation)) continue;
    if (limit > 0 && out.length === limit) break;
    if (exited.length && !(c.state === 'exited' && exited.includes(c.exitCode))) continue;
    if (!f.match('status', c.state)) continue;
    // No container has a health check: its health is "none".
    if (!f.exactMatch('health', 'none')) continue;
    if (f.has('volume') && !f.get('volume').some((v) => containerMounts(c).some((m) => m.Destination === v || (m.Name ?? m.Source) === v))) continue;
    if (f.has('ancestor') && !f.get('ancestor').some((v) => sameImage(v, c.image))) continue;
    if (f.has('network') && !f.get('network').some((v) => c.attachments.some((at) => {
      const net = networkById(world, host, at.networkId);
      return net !== undefined && (net.name === v || net.id.startsWith(v));
    }))) continue;
    if (publish.size || expose.size) {
      const ports = listPorts(host, c);
      if (!ports.some((p) => publish.has(`${p.publicPort}/${p.type}`) || expose.has(`${p.privatePort}/${p.type}`))) continue;
    }
    out.push(c);
  }
  return out;
}

/** `publish=`/`expose=` values: `port[-port][/proto]` (daemon/list.go portOp). */
function portFilter(f: FilterArgs, key: string): Set<string> {
  const set = new Set<string>();
  for (const v of f.get(key)) {
    if (v.includes(':')) fail(daemon(`filter for '${key}' should not contain ':': ${v}`));
    const [port = '', proto = 'tcp'] = v.split('/');
    const m = /^(\d+)(?:-(\d+))?$/.exec(port);
    const first = m ? Number(m[1]) : NaN;
    const last = m?.[2] ? Number(m[2]) : first;
    if (!m || first > 65535 || last > 65535 || last < first) fail(daemon(`error while looking up for ${key} ${v}: Invalid range specified for the Port: ${port}`));
    for (let i = first; i <= last; i++) set.add(`${i}/${proto.toLowerCase()}`);
  }
  return set;
}

/** `ancestor=`: the image reference the container was run from, `:latest` implied. */
function sameImage(ref: string, image: string): boolean {
  const norm = (s: string): string => (/:[^/\\]+$/.test(s) ? s : `${s}:latest`).toLowerCase();
  return norm(ref) === norm(image);
}

/** `docker ps [-a] [-q] [-s] [-n N] [-l] [--no-trunc] [--format F] [-f K=V]`. */
export function dockerPs(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const noTrunc = boolFlag(cmd.flags, 'no-trunc');
  const lastText = flagValue(cmd.flags, 'last', 'n');
  if (lastText !== undefined && !/^[+-]?\d+$/.test(lastText)) fail(`invalid argument "${lastText}" for "-n, --last" flag: strconv.ParseInt: parsing ${JSON.stringify(lastText)}: invalid syntax`);
  let limit = lastText === undefined ? -1 : Number(lastText);
  if (boolFlag(cmd.flags, 'latest', 'l') && limit === -1) limit = 1;
  const newestFirst = host.containers.slice().reverse();
  const list = filterContainers(world, host, newestFirst, FilterArgs.of(cmd), boolFlag(cmd.flags, 'all', 'a'), limit);
  const rows = list.map((c): ListRow => {
    const labels = containerLabels(world, c);
    const mounts = containerMounts(c);
    return {
      ID: noTrunc ? c.id : c.id.slice(0, 12),
      Names: c.name,
      Image: c.image,
      Command: quoteCommand(c.command, !noTrunc),
      CreatedAt: goTimeString(c.createdAt),
      RunningFor: `${humanDuration(world.clock - c.createdAt)} ago`,
      Ports: displayablePorts(listPorts(host, c)),
      State: c.state,
      Status: statusColumn(world, c),
      // Windows reports no layer sizes (moby #28702); go-units prints 0 as "0B".
      Size: '0B',
      Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
      Label: (name: GoValue) => labels[String(name)] ?? '',
      Mounts: mounts.map((m) => {
        const name = m.Name ?? m.Source;
        return !noTrunc && [...name].length > 15 ? [...name].slice(0, 14).join('') + '…' : name;
      }).join(','),
      LocalVolumes: String(mounts.filter((m) => m.Driver === 'local').length),
      Networks: c.attachments.map((at) => networkById(world, host, at.networkId)?.name).filter((n) => n !== undefined).join(','),
    };
  });
  const view = boolFlag(cmd.flags, 'size', 's') ? { ...PS_VIEW, table: `${PS_VIEW.table}\t{{.Size}}` } : PS_VIEW;
  return listWithFormat(view, flagValue(cmd.flags, 'format'), boolFlag(cmd.flags, 'quiet', 'q'), rows);
}

/** `docker network connect [--ip IP] [--alias A] NET C`: hot add needs win10-1703 or later (tip 8). */
export function networkConnect(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const [netArg, cArg] = cmd.args.map((a) => a.value);
  if (!netArg || !cArg) fail(`"docker network connect" requires exactly 2 arguments.\nSee 'docker network connect --help'.`);
  const net = findNetwork(world, host, netArg, true);
  if (!net) fail(daemon(`network ${netArg} not found`));
  const c = findContainer(host, cArg);
  if (!c) fail(daemon(`No such container: ${cArg}`));
  if (net.scope === 'swarm' && !net.attachable) fail(E.notAttachable(netArg));
  if (c.attachments.some((a) => a.networkId === net.id)) fail(E.alreadyConnected(c.name, net.name));
  const ip = flagValue(cmd.flags, 'ip') ?? null;
  if (flagValue(cmd.flags, 'ip6') !== undefined) fail(unsupportedMessage('network connect --ip6'));
  // The CLI prints the daemon's error as it is (cli/command/network/connect.go).
  try {
    if (ip) checkStaticIp(world, host, net, ip);
    const at: Attachment = { networkId: net.id, endpointId: '', ip, aliases: flagValues(cmd.flags, 'alias') };
    if (c.state === 'running') {
      if (!osProfile(host.os).hotAdd) fail(E.hotAdd());
      c.attachments.push(at);
      createEndpoints(world, host, c, net, at, cmd.line);
    } else c.attachments.push(at);
  } catch (e) {
    if (e instanceof StartError) fail(e.daemonText);
    throw e;
  }
  return { output: '', warnings };
}

/** `docker network disconnect [-f] NET C`. */
export function networkDisconnect(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const [netArg, cArg] = cmd.args.map((a) => a.value);
  if (!netArg || !cArg) fail(`"docker network disconnect" requires exactly 2 arguments.\nSee 'docker network disconnect --help'.`);
  const net = findNetwork(world, host, netArg);
  if (!net) fail(daemon(`network ${netArg} not found`));
  const c = findContainer(host, cArg);
  if (!c) fail(daemon(`No such container: ${cArg}`));
  const at = c.attachments.find((a) => a.networkId === net.id);
  if (!at) fail(E.notConnected(c.name, net.name));
  if (c.state === 'running') {
    if (!osProfile(host.os).hotAdd) fail(E.hotAdd());
    const ids = new Set([at.endpointId]);
    host.endpoints = host.endpoints.filter((e) => !ids.has(e.id));
    for (const w of host.winnats) w.staticMappings = w.staticMappings.filter((m) => !ids.has(m.endpointId));
  }
  c.attachments = c.attachments.filter((a) => a !== at);
  return '';
}

export function containerEndpoints(host: Host, c: Container): Endpoint[] {
  return host.endpoints.filter((e) => e.containerId === c.id);
}

export { dockerNetworks };
