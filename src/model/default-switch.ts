/**
 * Hyper-V's Default Switch on the Windows 10 profiles after the seed (win10-1803, win10-1809):
 * an internal vSwitch `Default Switch` whose Internet Connection Sharing hands out a /28 of
 * 172.16.0.0/12 (DHCP, DNS, NAT) chosen again at every boot. HNS lists it as an `ICS` network with
 * a fixed ID, and dockerd, which lists every HNS network it finds, as `Default Switch` with driver
 * `ics`. Sources: docker/for-win #918, #2236, #4296 (HNS JSON: ID
 * C08CB7B8-9B3C-408E-8E30-5E16A3AEB444, Type ICS, a /28 with the gateway at .1 of it, NatName
 * `ICS<guid>`), docker/for-win #1960 (`Default Switch ics` in `docker network ls`), maxcoreblog
 * 2020 (the range changes at boot), mytechiethoughts (ICS: DHCP, NAT; since 1709).
 */
import { formatPrefix, type Prefix } from '../addr.js';
import { baseNetwork } from './docker-engine.js';
import { daemon, fail, failStart } from './errors.js';
import { guid } from './ids.js';
import { chooseIcsPrefix, gatewayOf } from './ipam.js';
import { osProfile } from './os.js';
import type { Host, Network, World } from './types.js';
import { createInternalSwitch } from './vswitch.js';

export const DEFAULT_SWITCH = 'Default Switch';
const DEFAULT_SWITCH_HNS_ID = 'C08CB7B8-9B3C-408E-8E30-5E16A3AEB444';

function icsNetwork(host: Host): Network | undefined {
  return host.networks.find((n) => n.driver === 'ics' && n.hnsId === DEFAULT_SWITCH_HNS_ID);
}

/** The Default Switch and its ICS network, made when the host's container stack first comes up. */
export function ensureDefaultSwitch(world: World, host: Host, line: number): void {
  if (!osProfile(host.os).defaultSwitch || icsNetwork(host)) return;
  const prefix = chooseIcsPrefix(world, host, String(host.hnsGeneration));
  const sw = createInternalSwitch(world, host, DEFAULT_SWITCH, `${gatewayOf(prefix)}/28`, `00-15-5D-${host.macByte.toString(16).toUpperCase().padStart(2, '0')}-FD-01`, line, 'hyper-v');
  const net = baseNetwork(world, host, { name: DEFAULT_SWITCH, driver: 'ics', origin: 'adopted', line });
  net.hnsId = DEFAULT_SWITCH_HNS_ID;
  net.hnsName = DEFAULT_SWITCH;
  net.vswitch = sw.name;
  net.options = { 'com.docker.network.windowsshim.hnsid': net.hnsId, 'com.docker.network.windowsshim.networkname': DEFAULT_SWITCH };
  const winnat = `ICS${guid(world).toLowerCase()}`;
  host.winnats.push({
    name: winnat, internalPrefix: `${gatewayOf(prefix)}/28`, networkIds: [net.id], externalIp: null,
    staticMappings: [], portPool: { first: 49152, last: 65535 }, line,
  });
  net.winnat = winnat;
  setRange(host, net, prefix);
  host.networks.push(net);
}

function setRange(host: Host, net: Network, prefix: Prefix): void {
  const gateway = gatewayOf(prefix);
  net.subnets = [{ prefix: formatPrefix(prefix), gateway }];
  const sw = host.vswitches.find((s) => s.name === net.vswitch);
  if (sw?.hostVnic) sw.hostVnic.ip = `${gateway}/28`;
  const w = host.winnats.find((x) => x.name === net.winnat);
  if (w) w.internalPrefix = `${gateway}/28`;
}

/** At a boot ICS picks the Default Switch's range again (its containers were stopped by the shutdown). */
export function rebootDefaultSwitch(world: World, host: Host): void {
  const net = icsNetwork(host);
  if (!net || host.endpoints.some((e) => e.networkId === net.id)) return;
  const others = host.networks;
  host.networks = others.filter((n) => n !== net);
  try {
    setRange(host, net, chooseIcsPrefix(world, host, String(host.hnsGeneration)));
  } finally {
    host.networks = others;
  }
}

/** Published ports on the Default Switch: what ICS does with them was not found in public material. */
export function refuseIcsPublish(net: Network, ports: number): void {
  if (net.driver === 'ics' && ports > 0)
    failStart(daemon(`Packet Path does not simulate published ports on the ${net.name} (ics) network: how ICS maps them was not found in public material`));
}
