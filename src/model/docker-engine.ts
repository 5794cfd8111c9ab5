/**
 * The Docker engine of a host: starts on the first docker command, creates the default `nat`
 * network (internal vSwitch `nat`, host vNIC `vEthernet (nat)` holding the gateway, WinNAT) and
 * `none`, and adopts external vSwitches HNS knows as `transparent` networks.
 */
import { dockerId, guid, hnsGuid } from './ids.js';
import { checkFixedNatPrefix, chooseNatPrefix, gatewayOf, newMacPool } from './ipam.js';
import { formatPrefix, parseCidr } from '../addr.js';
import { ensureDefaultSwitch } from './default-switch.js';
import { osProfile } from './os.js';
import type { Host, Network, World } from './types.js';
import { createInternalSwitch, hnsKnows, hostManagementIp } from './vswitch.js';

export function ensureEngine(world: World, host: Host, line: number): void {
  if (host.engine) return;
  if (!host.daemonConfig?.bridgeNone && !(host.daemonConfig?.fixedCidr ?? host.fixedCidr) && osProfile(host.os).defaultNat === 'fixed-172.16') checkFixedNatPrefix(host);
  host.engine = { startedAt: world.clock, line, swarmRole: null, nodeId: null };
  // HNS enumerates the switches that exist when the container stack comes up.
  host.hnsGeneration++;
  if (!host.daemonConfig?.bridgeNone) createDefaultNat(world, host, line);
  ensureDefaultSwitch(world, host, line);
  host.networks.push(baseNetwork(world, host, {
    name: 'none', driver: 'null', origin: 'default', line,
  }));
  adoptSwitches(world, host, line);
}

/** The default `nat` network (dockerd's initBridgeDriver): `--fixed-cidr` or daemon.json's, else the profile's default prefix. */
export function createDefaultNat(world: World, host: Host, line: number): Network {
  const fixed = host.daemonConfig?.fixedCidr ?? host.fixedCidr;
  const prefix = fixed
    ? parseCidr(fixed)!.prefix
    : chooseNatPrefix(world, host, osProfile(host.os).defaultNat === 'fixed-172.16');
  return createNatNetwork(world, host, {
    name: 'nat', hnsName: 'nat', prefix: formatPrefix(prefix), gateway: gatewayOf(prefix), userSubnet: false,
    origin: 'default', line, options: {}, dnsSuffix: null, dnsServers: [], disableGatewayDns: false, labels: {},
  });
}

/** A network record with every field defaulted; drivers fill in the rest. */
export function baseNetwork(
  world: World, host: Host, p: { name: string; driver: Network['driver']; origin: Network['origin']; line: number; swarmScope?: boolean },
): Network {
  return {
    id: dockerId(world),
    hnsId: hnsGuid(world, osProfile(host.os).build),
    name: p.name,
    hnsName: p.name,
    driver: p.driver,
    scope: p.swarmScope ? 'swarm' : 'local',
    subnets: [],
    userSubnet: false,
    dhcp: false,
    vswitch: null,
    interfaces: [],
    vlan: null,
    vsid: null,
    vni: null,
    options: {},
    labels: {},
    dnsSuffix: null,
    dnsServers: [],
    macPool: p.driver === 'null' ? { start: '', end: '' } : newMacPool(world, host),
    nextMac: 0,
    enableOutboundNat: false,
    outboundNatExceptions: [],
    disableGatewayDns: false,
    internal: false,
    attachable: false,
    ingress: false,
    dockerVisible: true,
    origin: p.origin,
    winnat: null,
    createdAt: world.clock,
    line: p.line,
  };
}

export interface NatSpec {
  name: string;
  hnsName: string;
  prefix: string;
  gateway: string;
  userSubnet: boolean;
  origin: Network['origin'];
  line: number;
  options: Record<string, string>;
  labels: Record<string, string>;
  dnsSuffix: string | null;
  dnsServers: string[];
  disableGatewayDns: boolean;
}

/** A nat network: its internal vSwitch and vNIC, and its WinNAT (one per network, or the single ws2016 one). */
export function createNatNetwork(world: World, host: Host, spec: NatSpec): Network {
  const net = baseNetwork(world, host, { name: spec.name, driver: 'nat', origin: spec.origin, line: spec.line });
  net.hnsName = spec.hnsName;
  net.subnets = [{ prefix: spec.prefix, gateway: spec.gateway }];
  net.userSubnet = spec.userSubnet;
  net.options = {
    'com.docker.network.windowsshim.hnsid': net.hnsId,
    ...spec.options,
    'com.docker.network.windowsshim.networkname': spec.hnsName,
  };
  net.labels = spec.labels;
  net.dnsSuffix = spec.dnsSuffix;
  net.dnsServers = spec.dnsServers;
  net.disableGatewayDns = spec.disableGatewayDns;
  const len = parseCidr(spec.prefix)!.prefix.len;
  const sw = createInternalSwitch(world, host, spec.hnsName, spec.gateway ? `${spec.gateway}/${len}` : null, net.macPool.start, spec.line);
  net.vswitch = sw.name;
  const prof = osProfile(host.os);
  const existing = host.winnats[0];
  if (!prof.multipleNat && existing) {
    existing.networkIds.push(net.id);
    net.winnat = existing.name;
  } else {
    const name = `H${guid(world).toLowerCase()}`;
    host.winnats.push({
      name,
      internalPrefix: `${spec.gateway}/${len}`,
      networkIds: [net.id],
      externalIp: hostManagementIp(host)?.replace(/\/\d+$/, '') ?? null,
      staticMappings: [],
      portPool: { first: 49152, last: 65535 },
      line: spec.line,
    });
    net.winnat = name;
  }
  host.networks.push(net);
  return net;
}

/** External switches HNS knows and Docker has no network for become `transparent` networks (seed: "docker network ls" shows them). */
export function adoptSwitches(world: World, host: Host, line: number): void {
  for (const sw of host.vswitches) {
    if (sw.type !== 'External' || sw.createdBy === 'hns' || sw.createdBy === 'docker-for-windows') continue;
    if (!hnsKnows(host, sw)) continue;
    if (host.networks.some((n) => n.vswitch === sw.name)) continue;
    const net = baseNetwork(world, host, { name: sw.name, driver: 'transparent', origin: 'adopted', line });
    net.hnsName = sw.name;
    net.vswitch = sw.name;
    net.interfaces = [...sw.nics];
    net.dhcp = true;
    net.options = {
      'com.docker.network.windowsshim.hnsid': net.hnsId,
      'com.docker.network.windowsshim.networkname': sw.name,
    };
    host.networks.push(net);
  }
}
