/**
 * `docker network create|ls|inspect|rm|prune` with the rules of each Windows driver (SPEC §3,
 * windows-facts §1–3): nat (HNS IPAM, WinNAT, the ws2016 partition rule), transparent and
 * l2bridge/l2tunnel (external vSwitch, one adapter each, VLAN, static or DHCP), overlay (swarm).
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue, flagValues, keyValues, splitList } from './args.js';
import { baseNetwork, createNatNetwork, ensureEngine } from './docker-engine.js';
import { CommandError, daemon, E, fail, hnsError } from './errors.js';
import { dockerMac, parseMac } from './ids.js';
import { chooseNatPrefix, gatewayOf } from './ipam.js';
import { formatIp, formatPrefix, inPrefix, parseCidr, parseIp, prefixContains, prefixesOverlap } from '../addr.js';
import { listWithFormat, inspectWithFormat, naturalLess, type ListRow, type ListView } from './docker-format.js';
import { FilterArgs } from './docker-filters.js';
import { dockerJson, goMap, goTimeString, isoTime } from './format.js';
import type { GoValue } from './go-template.js';
import { osProfile } from './os.js';
import { createOverlayNetwork, swarmNetworksVisible } from './swarm.js';
import type { Driver, Host, Network, Service, World } from './types.js';
import { createExternalSwitch, hnsKnows, switchOfNic } from './vswitch.js';
import { driverOptionWarnings, unsupportedMessage } from './unsupported.js';
import { SHIM } from '../script/drivers.js';

const BUILTIN: Driver[] = ['nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel'];
const PREDEFINED = ['nat', 'none', 'default'];

/** Networks `docker network ls` shows on this host: local ones Docker knows, and swarm ones. */
export function dockerNetworks(world: World, host: Host): Network[] {
  const local = host.networks.filter((n) => n.dockerVisible && n.scope === 'local');
  return [...local, ...swarmNetworksVisible(world, host)];
}

/** Resolve a network by name, full ID or unique ID prefix, as the daemon does. */
export function findNetwork(world: World, host: Host, ref: string, forAttach = false): Network | undefined {
  // A worker attaching a container sees every attachable swarm network (it asks the manager).
  const extra = forAttach && host.engine?.swarmRole && world.swarm
    ? world.swarm.networks.filter((n) => n.attachable && !dockerNetworks(world, host).includes(n))
    : [];
  const all = [...dockerNetworks(world, host), ...extra];
  return (
    all.find((n) => n.name === ref) ??
    all.find((n) => n.id === ref) ??
    (ref.length >= 1 ? uniquePrefix(all.filter((n) => n.id.startsWith(ref))) : undefined)
  );
}

function uniquePrefix(ns: Network[]): Network | undefined {
  return ns.length === 1 ? ns[0] : undefined;
}

export interface CreateResult {
  output: string;
  warnings: string[];
}

/** Parses the `-o` options shared by all drivers (windows.go parseNetworkOptions). */
function parseOptions(host: Host, opts: [string, string][], driver: Driver, warnings: string[]) {
  const o = {
    networkName: null as string | null,
    interfaces: [] as string[],
    vlan: null as number | null,
    vsid: null as number | null,
    dnsSuffix: null as string | null,
    dnsServers: [] as string[],
    macPool: null as { start: string; end: string } | null,
    enableOutboundNat: false,
    outboundNatExceptions: [] as string[],
    disableGatewayDns: false,
    vxlanIds: [] as number[],
    encrypted: false,
    raw: {} as Record<string, string>,
  };
  for (const [k, v] of opts) {
    o.raw[k] = v;
    switch (k) {
      case SHIM + 'networkname':
        o.networkName = v;
        break;
      case SHIM + 'interface':
        o.interfaces = splitList(v);
        break;
      case SHIM + 'vlanid': {
        if (!/^\d+$/.test(v)) fail(E.parseUint(v));
        const n = Number(v);
        if (n > 4094) fail(daemon(`invalid VLAN ID ${v}: must be between 1 and 4094`));
        o.vlan = n === 0 ? null : n;
        break;
      }
      case SHIM + 'vsid':
        if (!/^\d+$/.test(v)) fail(E.parseUint(v));
        o.vsid = Number(v) === 0 ? null : Number(v);
        break;
      case SHIM + 'dnssuffix':
        o.dnsSuffix = v;
        break;
      case SHIM + 'dnsservers':
        o.dnsServers = splitList(v);
        for (const s of o.dnsServers) if (parseIp(s) === null) fail(daemon(`invalid DNS server address ${s}`));
        break;
      case SHIM + 'macpool': {
        const parts = splitList(v);
        if (parts.length % 2 !== 0 || parts.length === 0) fail(E.macPool());
        const start = parseMac(parts[0]!);
        const end = parseMac(parts[1]!);
        if (!start || !end) fail(hnsError(host, 'The parameter is incorrect.', '0x57'));
        o.macPool = { start, end };
        break;
      }
      case SHIM + 'enable_outboundnat':
        if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v)) fail(E.parseBool(v));
        o.enableOutboundNat = /^(1|t|T|TRUE|true|True)$/.test(v);
        break;
      case SHIM + 'outboundnat_exceptions':
        o.outboundNatExceptions = splitList(v);
        break;
      case SHIM + 'disable_gatewaydns':
        if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v)) fail(E.parseBool(v));
        o.disableGatewayDns = /^(1|t|T|TRUE|true|True)$/.test(v);
        break;
      case 'com.docker.network.driver.overlay.vxlanid_list':
        for (const s of v.split(',')) {
          if (!/^\d+$/.test(s.trim())) fail(E.invalidVxlan(s));
          o.vxlanIds.push(Number(s.trim()));
        }
        break;
      case 'encrypted':
        o.encrypted = true;
        break;
      case SHIM + 'hnsid':
        fail(daemon(`${k} is set by Docker and cannot be given`));
        break;
      default:
        break;
    }
  }
  warnings.push(...driverOptionWarnings(o.raw, driver).map((w) => w.message));
  if (o.encrypted)
    warnings.push(unsupportedMessage('network create --opt encrypted'));
  return o;
}

/** `docker network create`. */
export function networkCreate(world: World, host: Host, cmd: DockerCommand): CreateResult {
  const warnings: string[] = [];
  if (cmd.args.length !== 1) fail(`"docker network create" requires exactly 1 argument.\nSee 'docker network create --help'.\n\nUsage:  docker network create [OPTIONS] NETWORK\n\nCreate a network`);
  const name = cmd.args[0]!.value;
  const driverName = flagValue(cmd.flags, 'driver', 'd') ?? 'bridge';
  const subnets = flagValues(cmd.flags, 'subnet');
  const gateways = flagValues(cmd.flags, 'gateway');
  const ipRanges = flagValues(cmd.flags, 'ip-range');
  const auxAddrs = flagValues(cmd.flags, 'aux-address');
  const opts = keyValues(flagValues(cmd.flags, 'opt', 'o'));
  const labels = Object.fromEntries(keyValues(flagValues(cmd.flags, 'label')));
  const ipamDriver = flagValue(cmd.flags, 'ipam-driver');
  const ipamOpts = flagValues(cmd.flags, 'ipam-opt');

  // Client-side checks of the Docker CLI (network/create.go consolidateIpam), before any request.
  if (subnets.length < ipRanges.length || subnets.length < gateways.length) fail(E.everyGatewayNeedsSubnet());
  const parsedSubnets = subnets.map((s) => {
    const p = parseCidr(s);
    if (!p) {
      // A v6 pool: the windows IPAM refuses it; with another IPAM driver the shim does (windows.go processIPAM).
      if (s.includes(':')) fail(ipamDriver === 'default' ? E.v6Subnet() : E.windowsIpam());
      fail(`invalid CIDR address: ${s}`);
    }
    return p;
  });
  for (let i = 0; i < parsedSubnets.length; i++)
    for (let j = i + 1; j < parsedSubnets.length; j++)
      if (prefixesOverlap(parsedSubnets[i]!.prefix, parsedSubnets[j]!.prefix))
        fail(`multiple overlapping subnet configuration is not supported`);
  const subnetGateways: (string | null)[] = parsedSubnets.map(() => null);
  for (const g of gateways) {
    const gv = parseIp(g);
    if (gv === null) fail(`invalid gateway address ${g}`);
    const idx = parsedSubnets.findIndex((p) => inPrefix(gv, p.prefix));
    if (idx < 0) fail(E.gatewayNoSubnet(g));
    if (subnetGateways[idx]) fail(`cannot configure multiple gateways (${g}, ${subnetGateways[idx]}) for the same subnet (${subnets[idx]})`);
    subnetGateways[idx] = g;
  }
  for (const r of ipRanges) {
    const rp = parseCidr(r);
    if (!rp || !parsedSubnets.some((p) => prefixContains(p.prefix, rp.prefix))) fail(`no matching subnet for range ${r}`);
  }
  for (const a of auxAddrs) {
    const v = parseIp(a.includes('=') ? a.slice(a.indexOf('=') + 1) : a);
    if (v === null || !parsedSubnets.some((p) => inPrefix(v, p.prefix))) fail(`no matching subnet for aux-address ${a.slice(a.indexOf('=') + 1)}`);
  }

  ensureEngine(world, host, cmd.line);

  if (PREDEFINED.includes(name)) fail(E.predefinedCreate(name));
  if (dockerNetworks(world, host).some((n) => n.name === name)) fail(E.networkExists(name));
  if (!BUILTIN.includes(driverName as Driver)) {
    if (['internal', 'private', 'ics'].includes(driverName))
      fail(daemon(`the ${driverName} driver is built into Docker on Windows but not simulated by Packet Path`));
    fail(E.pluginNotFound(driverName));
  }
  const driver = driverName as Driver;

  // Options Microsoft lists as unsupported (architecture.md): refused where the daemon refuses.
  if (ipRanges.length) fail(unsupportedMessage('network create --ip-range'));
  if (boolFlag(cmd.flags, 'ipv6')) fail(unsupportedMessage('network create --ipv6'));
  if (flagValue(cmd.flags, 'ipv4') !== undefined && !boolFlag(cmd.flags, 'ipv4')) fail(E.ipv4Disabled());
  if (ipamDriver !== undefined) {
    if (!['default', 'windows', 'null'].includes(ipamDriver)) fail(E.pluginNotFound(ipamDriver));
    warnings.push(unsupportedMessage('network create --ipam-driver', { driver }));
  }
  if (ipamOpts.length) warnings.push(unsupportedMessage('network create --ipam-opt'));
  if (auxAddrs.length) warnings.push(unsupportedMessage('network create --aux-address'));
  const internal = boolFlag(cmd.flags, 'internal');
  if (internal) warnings.push(unsupportedMessage('network create --internal'));
  const attachable = boolFlag(cmd.flags, 'attachable');
  const o = parseOptions(host, opts, driver, warnings);
  const hnsName = o.networkName ?? name;
  const prof = osProfile(host.os);

  if ((driver === 'overlay' || driver === 'l2bridge') && host.os === 'ws2016' && !host.kb4015217)
    fail(hnsError(host, `The ${driver} network type requires KB4015217 on Windows Server 2016.`, '0x80070032'));

  let net: Network;
  if (driver === 'overlay') {
    net = createOverlayNetwork(world, host, {
      name, hnsName, subnet: parsedSubnets[0] ? formatPrefix(parsedSubnets[0].prefix) : null,
      gateway: subnetGateways[0] ?? null, attachable, internal, vnis: o.vxlanIds, options: o.raw, labels,
      interfaces: o.interfaces, dnsSuffix: o.dnsSuffix, dnsServers: o.dnsServers, line: cmd.line,
    });
  } else if (driver === 'nat') {
    net = createNat(world, host, {
      name, hnsName, parsed: parsedSubnets.map((p) => p.prefix), gateways: subnetGateways, o, labels, line: cmd.line,
    });
  } else {
    if (driver === 'l2bridge' || driver === 'l2tunnel') {
      if (o.enableOutboundNat && !prof.outboundNatOption) fail(E.outboundNatOs());
    }
    net = createExternalNetwork(world, host, {
      driver, name, hnsName, parsed: parsedSubnets.map((p) => p.prefix), gateways: subnetGateways, o, labels, line: cmd.line,
    });
    if (driver === 'l2tunnel')
      warnings.push('l2tunnel is meant only for the Microsoft cloud stack (SDN); Packet Path hair-pins all its traffic through the external NIC');
  }
  net.internal = internal;
  net.attachable = attachable || net.attachable;
  if (o.macPool) {
    net.macPool = o.macPool;
  }
  return { output: net.id, warnings };
}

interface NatArgs {
  name: string;
  hnsName: string;
  parsed: { base: number; len: number }[];
  gateways: (string | null)[];
  o: ReturnType<typeof parseOptions>;
  labels: Record<string, string>;
  line: number;
}

function createNat(world: World, host: Host, a: NatArgs): Network {
  const prof = osProfile(host.os);
  let prefix = a.parsed[0];
  const hostPrefixes = host.nics.filter((n) => n.ip).map((n) => parseCidr(n.ip!)!.prefix);
  if (prefix) {
    if (hostPrefixes.some((p) => prefixesOverlap(p, prefix!)))
      fail(daemon(hnsError(host, 'The parameter is incorrect.', '0x57')));
    if (!prof.multipleNat) {
      // ws2016: one WinNAT; a new nat network must be a partition of its internal prefix (seed, tip 10).
      const winnat = host.winnats[0];
      const internal = winnat ? parseCidr(winnat.internalPrefix)!.prefix : null;
      if (!internal || !prefixContains(internal, prefix) || prefix.len === internal.len)
        fail(daemon(hnsError(host, 'Unspecified error', '0x80004005')));
      for (const other of host.networks)
        if (other.driver === 'nat' && other.origin !== 'default')
          for (const s of other.subnets)
            if (prefixesOverlap(parseCidr(s.prefix)!.prefix, prefix))
              fail(daemon(hnsError(host, 'The object already exists.', '0x1392')));
    } else {
      for (const other of host.networks)
        for (const s of other.subnets)
          if (prefixesOverlap(parseCidr(s.prefix)!.prefix, prefix))
            fail(daemon(hnsError(host, 'The object already exists.', '0x1392')));
    }
  } else {
    if (!prof.multipleNat) fail(daemon(hnsError(host, 'Unspecified error', '0x80004005')));
    prefix = chooseNatPrefix(world, host, false);
  }
  const gateway = a.gateways[0] ?? gatewayOf(prefix);
  return createNatNetwork(world, host, {
    name: a.name,
    hnsName: a.hnsName,
    prefix: formatPrefix(prefix),
    gateway,
    userSubnet: true,
    origin: 'user',
    line: a.line,
    options: a.o.raw,
    labels: a.labels,
    dnsSuffix: a.o.dnsSuffix,
    dnsServers: a.o.dnsServers,
    disableGatewayDns: a.o.disableGatewayDns,
  });
}

interface ExternalArgs extends NatArgs {
  driver: Driver;
}

/**
 * transparent / l2bridge / l2tunnel: an external vSwitch on the adapter(s) of `-o interface`,
 * or on the first adapter HNS sees as free. Each such network needs its own adapter (tips 4, 7);
 * an adapter held by a switch HNS does not know (made out of band, tip 9) makes the bind fail.
 */
function createExternalNetwork(world: World, host: Host, a: ExternalArgs): Network {
  const badParam = (): never => fail(daemon(hnsError(host, 'The parameter is incorrect.', '0x57')));
  let adapters = a.o.interfaces;
  let reuse: string | null = null;
  if (adapters.length) {
    for (const ad of adapters) {
      if (!host.nics.some((n) => n.name.toLowerCase() === ad.toLowerCase()))
        fail(daemon(hnsError(host, 'An adapter was not found.', '0x803b0006')));
    }
    const bound = adapters.map((ad) => switchOfNic(host, ad));
    const sw = bound.find((s) => s);
    if (sw) {
      const sameSet = sw.nics.length === adapters.length && bound.every((b) => b === sw);
      const users = host.networks.filter((n) => n.vswitch === sw.name && n.origin !== 'adopted');
      // A switch HNS already knows and that no Docker-made network holds is reused (seed, tip 9).
      if (hnsKnows(host, sw) && sameSet && users.length === 0 && sw.createdBy !== 'hns') reuse = sw.name;
      else badParam();
    }
  } else {
    const free = host.nics.find((n) => {
      const sw = switchOfNic(host, n.name);
      return !sw || !hnsKnows(host, sw);
    });
    if (!free) badParam();
    if (switchOfNic(host, free!.name)) badParam();
    adapters = [free!.name];
  }
  const net = baseNetwork(world, host, { name: a.name, driver: a.driver, origin: 'user', line: a.line });
  net.hnsName = a.hnsName;
  net.interfaces = adapters.map((ad) => host.nics.find((n) => n.name.toLowerCase() === ad.toLowerCase())!.name);
  net.subnets = a.parsed.map((p, i) => ({ prefix: formatPrefix(p), gateway: a.gateways[i] ?? '' }));
  net.userSubnet = a.parsed.length > 0;
  net.dhcp = a.driver === 'transparent' && a.parsed.length === 0;
  net.vlan = a.o.vlan;
  net.vsid = a.o.vsid;
  net.dnsSuffix = a.o.dnsSuffix;
  net.dnsServers = a.o.dnsServers;
  net.enableOutboundNat = a.o.enableOutboundNat;
  net.outboundNatExceptions = a.o.outboundNatExceptions;
  net.disableGatewayDns = a.o.disableGatewayDns;
  net.labels = a.labels;
  net.options = {
    'com.docker.network.windowsshim.hnsid': net.hnsId,
    ...a.o.raw,
    'com.docker.network.windowsshim.networkname': a.hnsName,
  };
  if (reuse) {
    net.vswitch = reuse;
    // The adopted placeholder network of that switch gives way to the new one.
    host.networks = host.networks.filter((n) => !(n.vswitch === reuse && n.origin === 'adopted'));
  } else {
    const sw = createExternalSwitch(world, host, a.hnsName, adapters, a.line, 'hns');
    net.vswitch = sw.name;
  }
  host.networks.push(net);
  return net;
}

/** docker/cli v20.10.24 cli/command/network/formatter.go: the `network ls` context and its table. */
const NETWORK_VIEW: ListView = {
  typeName: '*network.networkContext',
  header: { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT' },
  table: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
};

/** Windows' predefined networks (runconfig/hostconfig_windows.go IsPreDefinedNetwork: not user-defined). */
function preDefined(name: string): boolean {
  return name === 'nat' || name === 'none' || name === 'default' || name.startsWith('container:');
}

/**
 * `docker network ls --filter`: moby v20.10.24 api/types/network/network.go ValidateFilters and
 * daemon/network/filter.go FilterNetworks (driver, scope exact; name, id as regular expressions;
 * label; dangling; type builtin|custom).
 */
function filterNetworks(host: Host, nets: Network[], f: FilterArgs): Network[] {
  f.validate(['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']);
  let out = nets.filter((n) => f.exactMatch('driver', n.driver) && f.match('name', n.name) && f.match('id', n.id) &&
    f.matchKVList('label', n.labels) && f.exactMatch('scope', n.scope));
  const dangling = f.get('dangling');
  if (dangling.length > 1) fail(daemon('got more than one value for filter key "dangling"'));
  if (dangling.length === 1) {
    const only = dangling[0] === '1' || dangling[0] === 'true';
    if (!only && dangling[0] !== '0' && dangling[0] !== 'false') fail(daemon(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`));
    const used = (n: Network): boolean => host.endpoints.some((e) => e.networkId === n.id && e.role === 'primary');
    out = out.filter((n) => (only ? !preDefined(n.name) && !used(n) : preDefined(n.name) || used(n)));
  }
  if (f.has('type')) {
    const typed: Network[] = [];
    for (const t of f.get('type')) {
      if (t !== 'builtin' && t !== 'custom') fail(daemon(`invalid filter: 'type'='${t}'`));
      typed.push(...out.filter((n) => preDefined(n.name) === (t === 'builtin')));
    }
    out = typed;
  }
  return out;
}

/** `docker network ls [-q] [--no-trunc] [--format F] [-f K=V]`, sorted by name as the CLI sorts. */
export function networkLs(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const nets = filterNetworks(host, [...dockerNetworks(world, host)], FilterArgs.of(cmd))
    .sort((a, b) => (naturalLess(a.name, b.name) ? -1 : naturalLess(b.name, a.name) ? 1 : 0));
  const trunc = !boolFlag(cmd.flags, 'no-trunc');
  const rows = nets.map((n): ListRow => ({
    ID: trunc ? n.id.slice(0, 12) : n.id,
    Name: n.name,
    Driver: n.driver,
    Scope: n.scope,
    IPv6: 'false',
    Internal: String(n.internal),
    Labels: Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(','),
    Label: (name: GoValue) => n.labels[String(name)] ?? '',
    CreatedAt: goTimeString(n.createdAt, n.id),
  }));
  return listWithFormat(NETWORK_VIEW, flagValue(cmd.flags, 'format'), boolFlag(cmd.flags, 'quiet', 'q'), rows);
}

/** The `docker network inspect` object of a network as this host sees it. */
export function networkInspectObject(world: World, host: Host, net: Network, verbose = false): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const h of net.scope === 'swarm' ? [host] : [host]) {
    for (const ep of h.endpoints) {
      if (ep.networkId !== net.id || ep.role !== 'primary') continue;
      const c = h.containers.find((x) => x.id === ep.containerId);
      if (!c) continue;
      containers[c.id] = {
        Name: c.name,
        EndpointID: ep.id,
        MacAddress: dockerMac(ep.mac),
        IPv4Address: `${ep.ip}/${ep.dockerPrefixLen}`,
        IPv6Address: '',
      };
    }
  }
  // The node's load-balancer sandbox on ingress (docker/for-win #14421 shows it on a Windows node:
  // "ingress-sbox", Name "ingress-endpoint", a 02:42 MAC made from its address).
  const node = net.ingress ? world.swarm?.nodes.find((n) => n.host === host.name) : undefined;
  if (node?.ingressIp && host.networks.some((n) => n.id === net.id)) {
    const len = net.subnets[0]!.prefix.split('/')[1];
    containers['ingress-sbox'] = {
      Name: 'ingress-endpoint',
      EndpointID: node.ingressEndpointId ?? '',
      MacAddress: `02:42:${node.ingressIp.split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':')}`,
      IPv4Address: `${node.ingressIp}/${len}`,
      IPv6Address: '',
    };
  }
  const ipamConfig = net.driver === 'null' ? [] : net.subnets.map((s) => (s.gateway ? { Subnet: s.prefix, Gateway: s.gateway } : { Subnet: s.prefix }));
  const obj: Record<string, unknown> = {
    Name: net.name,
    Id: net.id,
    Created: isoTime(net.createdAt, net.id),
    Scope: net.scope,
    Driver: net.driver,
    EnableIPv6: false,
    IPAM: {
      Driver: net.driver === 'null' ? 'default' : net.driver === 'overlay' ? 'default' : 'windows',
      Options: net.origin === 'default' ? null : {},
      Config: net.dhcp ? [] : ipamConfig,
    },
    Internal: net.internal,
    Attachable: net.attachable,
    Ingress: net.ingress,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    // Go's encoding/json writes map keys sorted.
    Containers: goMap(Object.entries(containers)),
    Options: goMap(Object.entries(net.driver === 'overlay'
      ? { 'com.docker.network.driver.overlay.vxlanid_list': String(net.vni), ...hnsIdOption(host, net), ...net.options }
      : net.options)),
    Labels: goMap(Object.entries(net.labels)),
  };
  if (net.scope === 'swarm') {
    obj.Peers = (world.swarm?.nodes ?? [])
      .filter((nd) => findHostByName(world, nd.host)?.networks.some((n) => n.id === net.id))
      .map((nd) => ({ Name: `${nd.host}-${nd.id.slice(0, 12)}`, IP: nd.addr }));
    if (verbose) {
      const services = networkServices(world, net);
      if (Object.keys(services).length) obj.Services = services;
    }
  }
  return obj;
}

/**
 * `--verbose` on a swarm network: the services with tasks on it as libnetwork's service bindings
 * hold them (moby v20.10.24 daemon/network.go buildDetailedNetworkResources; vendored libnetwork
 * agent.go Services: VIP, "Target: T, Publish: P" ports, the load-balancer index, every task's
 * endpoint). An empty map is omitted (omitempty).
 */
function networkServices(world: World, net: Network): Record<string, unknown> {
  const out: [string, unknown][] = [];
  for (const svc of world.swarm?.services ?? []) {
    const tasks: unknown[] = [];
    for (const h of world.hosts) {
      for (const ep of h.endpoints) {
        if (ep.networkId !== net.id || ep.role !== 'primary') continue;
        const c = h.containers.find((x) => x.id === ep.containerId);
        if (c?.service?.serviceId !== svc.id) continue;
        // The Windows overlay driver decodes no table entry (joinleave_windows.go DecodeTableEntry): Info is null.
        tasks.push({ Name: c.name, EndpointID: ep.id, EndpointIP: ep.ip, Info: null });
      }
    }
    if (!tasks.length) continue;
    out.push([svc.name, {
      VIP: svc.endpointMode === 'vip' ? svc.vips[net.id] ?? '' : '',
      Ports: svc.publish.filter((p) => p.mode === 'ingress').map((p) => `Target: ${p.target}, Publish: ${p.published}`),
      // libnetwork's fwMark: load balancers numbered from 256 in the order (service, network) pairs appear.
      LocalLBIndex: lbIndex(world, svc, net),
      Tasks: tasks.sort((a, b) => ((a as { Name: string }).Name < (b as { Name: string }).Name ? -1 : 1)),
    }]);
  }
  return goMap(out);
}

function lbIndex(world: World, svc: Service, net: Network): number {
  let mark = 256;
  for (const s of world.swarm?.services ?? [])
    for (const id of s.networks) {
      if (s === svc && id === net.id) return mark;
      mark++;
    }
  return mark;
}

function hnsIdOption(host: Host, net: Network): Record<string, string> {
  const local = host.networks.find((n) => n.id === net.id);
  return local ? { 'com.docker.network.windowsshim.hnsid': local.hnsId } : {};
}

function findHostByName(world: World, name: string): Host | undefined {
  return world.hosts.find((h) => h.name === name);
}

/** `docker network inspect NET...`. */
export function networkInspect(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  if (cmd.args.length === 0) fail(`"docker network inspect" requires at least 1 argument.\nSee 'docker network inspect --help'.`);
  const objs: unknown[] = [];
  const missing: string[] = [];
  const verbose = boolFlag(cmd.flags, 'verbose', 'v');
  for (const a of cmd.args) {
    const n = findNetwork(world, host, a.value);
    if (!n) missing.push(a.value);
    else objs.push(networkInspectObject(world, host, n, verbose));
  }
  const format = flagValue(cmd.flags, 'format');
  if (format) return inspectWithFormat(format, objs, missing.map((m) => E.noSuchNetwork(m)));
  if (missing.length) throw new CommandError(missing.map((m) => E.noSuchNetwork(m)).join('\n'), objs.length ? dockerJson(objs) : '[]');
  return dockerJson(objs);
}

/** `docker network rm NET...`: prints each name removed. */
export function networkRm(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  if (cmd.args.length === 0) fail(`"docker network rm" requires at least 1 argument.\nSee 'docker network rm --help'.`);
  const out: string[] = [];
  for (const a of cmd.args) {
    const n = findNetwork(world, host, a.value);
    if (!n) fail(daemon(`network ${a.value} not found`));
    if (PREDEFINED.includes(n.name) && n.origin === 'default') fail(E.predefinedRemove(n.name));
    removeNetwork(world, host, n);
    out.push(a.value);
  }
  return out.join('\n');
}

export function networkInUse(world: World, host: Host, n: Network): boolean {
  if (n.scope === 'swarm') {
    for (const h of world.hosts) if (h.endpoints.some((e) => e.networkId === n.id)) return true;
    return (world.swarm?.services ?? []).some((s) => s.networks.includes(n.id));
  }
  // Endpoints only: a created or stopped container holds none (libnetwork v20.10.24 network.go
  // delete: ActiveEndpointsError when getEpCnt() > 0); its start then finds no network.
  return host.endpoints.some((e) => e.networkId === n.id);
}

function removeNetwork(world: World, host: Host, n: Network): void {
  if (n.ingress) fail(daemon('rpc error: code = InvalidArgument desc = ingress network cannot be removed by this command; use docker network rm ingress on a manager'));
  if (networkInUse(world, host, n)) fail(E.activeEndpoints(n.name, n.id));
  if (n.scope === 'swarm') {
    if (host.engine?.swarmRole !== 'manager') fail(daemon(`rpc error: code = FailedPrecondition desc = network ${n.name} can only be removed on a manager`));
    world.swarm!.networks = world.swarm!.networks.filter((x) => x.id !== n.id);
    for (const h of world.hosts) dropLocalInstance(h, n.id);
    return;
  }
  dropLocalInstance(host, n.id);
}

/** Remove a network's HNS object on a host, and its switch and WinNAT when nothing else uses them. */
export function dropLocalInstance(host: Host, id: string): void {
  const n = host.networks.find((x) => x.id === id);
  if (!n) return;
  host.networks = host.networks.filter((x) => x !== n);
  if (n.vswitch && !host.networks.some((x) => x.vswitch === n.vswitch)) {
    const sw = host.vswitches.find((s) => s.name === n.vswitch);
    if (sw && sw.createdBy === 'hns') host.vswitches = host.vswitches.filter((s) => s !== sw);
  }
  if (n.winnat) {
    const w = host.winnats.find((x) => x.name === n.winnat);
    if (w) {
      w.networkIds = w.networkIds.filter((x) => x !== n.id);
      if (w.networkIds.length === 0) host.winnats = host.winnats.filter((x) => x !== w);
    }
  }
}

/** `docker network prune [-f]`: a script has no terminal to answer the prompt, so it runs as with `-f`. */
export function networkPrune(world: World, host: Host, cmd: DockerCommand): string {
  ensureEngine(world, host, cmd.line);
  const removed: string[] = [];
  for (const n of [...host.networks]) {
    if (n.origin !== 'user' || n.scope !== 'local' || !n.dockerVisible) continue;
    if (networkInUse(world, host, n)) continue;
    dropLocalInstance(host, n.id);
    removed.push(n.name);
  }
  if (world.swarm && host.engine?.swarmRole === 'manager') {
    for (const n of [...world.swarm.networks]) {
      if (n.ingress || networkInUse(world, host, n)) continue;
      removed.push(n.name);
      world.swarm.networks = world.swarm.networks.filter((x) => x !== n);
      for (const h of world.hosts) dropLocalInstance(h, n.id);
    }
  }
  return removed.length ? `Deleted Networks:\n${removed.join('\n')}\n` : '';
}

export { formatIp };
