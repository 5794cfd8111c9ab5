/**
 * Hosts and the underlay: `host`, `lan dhcp`, `client` lines, the default host `host1`
 * (ws2019, NIC `Ethernet` 10.0.0.10/24, gateway 10.0.0.1), and the physical LAN they share.
 */
import type { SimCommand } from '../script/ast.js';
import { flagValue } from './args.js';
import { CommandError, fail } from './errors.js';
import { formatMac, parseMac } from './ids.js';
import { cidrAddress, formatIp, formatPrefix, inPrefix, parseCidr, parseIp } from '../addr.js';
import { isOsName, OS_NAMES, type OsName } from './os.js';
import type { Client, Host, Nic, World } from './types.js';
import { unrecorded } from './transaction.js';
import { WorldIndex } from './changes.js';

export const DEFAULT_HOST = {
  name: 'host1',
  os: 'ws2019' as OsName,
  nic: 'Ethernet',
  ip: '10.0.0.10/24',
  gateway: '10.0.0.1',
};

export function createWorldState(seed: number): World {
  return {
    seed,
    rngState: (seed ^ 0x5eed1234) >>> 0,
    clock: 0,
    hosts: [],
    current: '',
    underlay: { subnet: null, gateway: null, dhcp: null, dns: null },
    clients: [],
    swarm: null,
  };
}

/**
 * Hosts by lower-case name, per hosts list. Hosts are never renamed or removed, so the index only
 * grows; a list shorter than its index (a failed `host` command rolled back) is indexed afresh.
 */
const hostIndex = new WeakMap<Host[], Map<string, number>>();

export function findHost(world: World, name: string): Host | undefined {
  const hosts = unrecorded(world.hosts);
  let index = hostIndex.get(hosts);
  if (!index || index.size > hosts.length) hostIndex.set(hosts, (index = new Map()));
  for (let i = index.size; i < hosts.length; i++) index.set(hosts[i]!.name.toLowerCase(), i);
  const i = index.get(name.toLowerCase());
  return i === undefined ? undefined : world.hosts[i];
}

/** The host commands run on; creates the default `host1` on the first command of a script without `host`. */
export function currentHost(world: World, line: number): Host {
  if (!world.current) {
    const h = newHost(world, DEFAULT_HOST.name, line);
    addNic(world, h, DEFAULT_HOST.nic, DEFAULT_HOST.ip, null, line);
    h.macByte = macByteOf(DEFAULT_HOST.ip);
    h.gateway = world.underlay.gateway ?? DEFAULT_HOST.gateway;
    if (!world.underlay.gateway) world.underlay.gateway = h.gateway;
    if (!world.underlay.dns) world.underlay.dns = world.underlay.gateway;
    world.current = h.name;
  }
  const h = findHost(world, world.current);
  if (!h) throw new Error(`current host ${world.current} missing`);
  return h;
}

function nicMac(ipCidr: string | null, host: Host, nicIndex: number): string {
  if (ipCidr) {
    const ip = parseCidr(ipCidr)!.ip;
    return formatMac([0x00, 0x15, 0x5d, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]);
  }
  return formatMac([0x00, 0x15, 0x5d, 0x01, host.index & 255, nicIndex & 255]);
}

/**
 * The host byte of its HNS MAC pools: Hyper-V derives a host's dynamic MAC range from the last
 * octets of its IP address (KB2804678: 00-15-5D-<octet 3>-<octet 4>-00..FF); HNS pools are 4096
 * wide (00-15-5D-xx-y0-00..yF-FF), so the last octet — the one hosts on a LAN differ in — names
 * the host's pools.
 */
function macByteOf(ipCidr: string): number {
  return parseCidr(ipCidr)!.ip & 255;
}

function nicDescription(host: Host, i: number): string {
  const base = host.virtualized ? 'Microsoft Hyper-V Network Adapter' : 'Intel(R) Ethernet Server Adapter I350-T4';
  return i === 0 ? base : `${base} #${i + 1}`;
}

function newHost(world: World, name: string, line: number): Host {
  const index = world.hosts.length;
  const host: Host = {
    name,
    os: DEFAULT_HOST.os,
    line,
    index,
    nics: [],
    gateway: null,
    virtualized: false,
    macSpoofing: false,
    ipv6: true,
    ipv6PendingReboot: false,
    trunk: true,
    fixedCidr: null,
    dockerForWindows: false,
    kb4015217: true,
    macByte: 0,
    engine: null,
    vswitches: [],
    networks: [],
    endpoints: [],
    containers: [],
    winnats: [],
    firewall: [],
    nextCompartment: 2,
    nextIfIndex: 3,
    nextPool: 0,
    nextEphemeralPort: 49153,
    hnsGeneration: 0,
    stoppedServices: [],
    listeners: [],
  };
  world.hosts.push(host);
  return host;
}

function addNic(world: World, host: Host, name: string, ip: string | null, mac: string | null, line: number): Nic {
  const nic: Nic = {
    name,
    ip,
    mac: mac ?? nicMac(ip, host, host.nics.length),
    description: nicDescription(host, host.nics.length),
    ifIndex: host.nextIfIndex++,
    line,
  };
  host.nics.push(nic);
  if (ip && !world.underlay.subnet) {
    const p = parseCidr(ip)!;
    world.underlay.subnet = formatPrefix(p.prefix);
  }
  return nic;
}

/** The LAN address a new host gets when its script line gives none: .10 + host index on the LAN. */
function nextLanAddress(world: World): string {
  const lan = parseCidr(world.underlay.subnet ?? '10.0.0.0/24')!.prefix;
  let ip = lan.base + 10;
  while (lanAddresses.has(world, ip)) ip++;
  return `${formatIp(ip)}/${lan.len}`;
}

/** `host NAME [...]`: declare a host (and make it current) or switch to an existing one. */
export function hostCommand(world: World, cmd: SimCommand): string {
  const name = cmd.args[0]?.value;
  if (!name) fail('host: a host name is required');
  const existing = findHost(world, name);
  if (existing) {
    if (cmd.flags.length > 0) fail(`host ${name} is already declared (line ${existing.line}); write \`host ${name}\` alone to switch to it`);
    world.current = existing.name;
    return '';
  }
  const host = newHost(world, name, cmd.line);
  const firstIsDefault = host.index === 0 && !world.underlay.subnet;
  let nicName: string | null = null;
  const pending: { name: string; ip: string | null; mac: string | null }[] = [];
  const cur = (): { name: string; ip: string | null; mac: string | null } => {
    if (pending.length === 0) pending.push({ name: nicName ?? 'Ethernet', ip: null, mac: null });
    return pending[pending.length - 1]!;
  };
  for (const f of cmd.flags) {
    const v = f.value === true ? 'true' : f.value;
    switch (f.name.toLowerCase()) {
      case 'os':
        if (!isOsName(v)) fail(`host: unknown OS profile "${v}" (one of ${OS_NAMES.join(', ')})`);
        host.os = v;
        break;
      case 'nic':
        nicName = v;
        pending.push({ name: v, ip: null, mac: null });
        break;
      case 'ip': {
        const p = parseCidr(v);
        if (!p) fail(`host: --ip needs an address with a prefix length, e.g. 10.0.0.11/24 (got "${v}")`);
        cur().ip = v;
        break;
      }
      case 'mac': {
        const m = parseMac(v);
        if (!m) fail(`host: invalid MAC address "${v}"`);
        cur().mac = m;
        break;
      }
      case 'gateway':
        if (!parseIp(v)) fail(`host: invalid gateway address "${v}"`);
        host.gateway = v;
        break;
      case 'virtualized':
        host.virtualized = v !== 'false';
        break;
      case 'mac-spoofing':
        host.macSpoofing = /^(on|true)$/i.test(v);
        break;
      case 'ipv6':
        host.ipv6 = !/^(off|false)$/i.test(v);
        break;
      case 'no-trunk':
        host.trunk = false;
        break;
      case 'fixed-cidr': {
        const p = parseCidr(v);
        if (!p) fail(`host: invalid --fixed-cidr "${v}"`);
        host.fixedCidr = formatPrefix(p.prefix);
        break;
      }
      case 'docker-for-windows':
        host.dockerForWindows = true;
        break;
      case 'no-kb4015217':
        host.kb4015217 = false;
        break;
      default:
        fail(`host: unknown option ${f.written}`);
    }
  }
  if (pending.length === 0) pending.push({ name: 'Ethernet', ip: null, mac: null });
  if (!pending[0]!.ip) pending[0]!.ip = firstIsDefault ? DEFAULT_HOST.ip : nextLanAddress(world);
  const seen = new Set<string>();
  for (const p of pending) {
    if (seen.has(p.name.toLowerCase())) fail(`host: NIC "${p.name}" declared twice`);
    seen.add(p.name.toLowerCase());
    if (p.ip) checkAddressFree(world, parseCidr(p.ip)!.ip, `host ${name}`);
    addNic(world, host, p.name, p.ip, p.mac, cmd.line);
  }
  host.macByte = macByteOf(pending[0]!.ip!);
  if (!host.gateway) {
    const lan = parseCidr(pending[0]!.ip!)!;
    host.gateway = world.underlay.gateway ?? formatIp(lan.prefix.base + 1);
  }
  if (!world.underlay.gateway) world.underlay.gateway = host.gateway;
  if (!world.underlay.dns) world.underlay.dns = world.underlay.gateway;
  world.current = host.name;
  return '';
}

/** The LAN addresses of every host NIC and every client. */
const lanAddresses = new WorldIndex<number>(
  (h) => h.nics.flatMap((n) => (n.ip ? [cidrAddress(n.ip)] : [])),
  (w) => w.clients.map((c) => parseIp(c.ip)!),
);

function checkAddressFree(world: World, ip: number, who: string): void {
  const holders = [...(lanAddresses.holders(world, ip) ?? [])];
  // The first host in world order holding it, else a client.
  const h = holders.filter((x): x is Host => x !== unrecorded(world)).sort((a, b) => a.index - b.index)[0];
  const n = h?.nics.find((x) => x.ip && cidrAddress(x.ip) === ip);
  if (h && n) fail(`${who}: address ${formatIp(ip)} is already used by host ${h.name} (${n.name})`);
  const c = holders.length ? unrecorded(world.clients).find((x) => parseIp(x.ip) === ip) : undefined;
  if (c) fail(`${who}: address ${formatIp(ip)} is already used by client ${c.name}`);
}

/** `lan dhcp FIRST-LAST [--gateway IP]`. */
export function lanCommand(world: World, cmd: SimCommand): string {
  const sub = cmd.args[0]?.value;
  if (sub !== 'dhcp') fail('lan: expected `lan dhcp FIRST-LAST [--gateway IP]`');
  const range = cmd.args[1]?.value ?? '';
  const m = /^([\d.]+)-([\d.]+)$/.exec(range);
  const first = m ? parseIp(m[1]!) : null;
  const last = m ? parseIp(m[2]!) : null;
  if (first === null || last === null || last < first) fail(`lan dhcp: invalid range "${range}" (e.g. 10.0.0.100-10.0.0.200)`);
  ensureLan(world);
  const lan = parseCidr(world.underlay.subnet!)!.prefix;
  if (!inPrefix(first, lan) || !inPrefix(last, lan)) fail(`lan dhcp: range ${range} is not inside the LAN ${world.underlay.subnet}`);
  const gw = flagValue(cmd.flags, 'gateway') ?? null;
  if (gw !== null && parseIp(gw) === null) fail(`lan dhcp: invalid gateway "${gw}"`);
  world.underlay.dhcp = { first: m![1]!, last: m![2]!, gateway: gw, line: cmd.line, leases: [] };
  return '';
}

/** The LAN exists as soon as a host does; a script that starts with `lan`/`client` gets the default host's LAN. */
function ensureLan(world: World): void {
  if (!world.underlay.subnet) {
    world.underlay.subnet = '10.0.0.0/24';
    world.underlay.gateway = DEFAULT_HOST.gateway;
    world.underlay.dns = DEFAULT_HOST.gateway;
  }
}

/** `client NAME --ip IP [--internet]` (declaration). */
export function clientCommand(world: World, cmd: SimCommand): string {
  const name = cmd.args[0]?.value;
  if (!name) fail('client: a client name is required');
  if (world.clients.some((c) => c.name === name)) fail(`client ${name} is already declared`);
  const ipArg = flagValue(cmd.flags, 'ip');
  if (!ipArg) fail('client: --ip is required');
  const ipText = ipArg.replace(/\/\d+$/, '');
  const ip = parseIp(ipText);
  if (ip === null) fail(`client: invalid address "${ipArg}"`);
  ensureLan(world);
  const lan = parseCidr(world.underlay.subnet!)!.prefix;
  const internet = flagValue(cmd.flags, 'internet') !== undefined;
  if (!internet && !inPrefix(ip, lan))
    fail(`client ${name}: ${ipText} is not on the LAN ${world.underlay.subnet}; add --internet to put it beyond the router`);
  if (internet && inPrefix(ip, lan)) fail(`client ${name}: ${ipText} is on the LAN ${world.underlay.subnet}; an --internet client needs an address beyond the router`);
  checkAddressFree(world, ip, `client ${name}`);
  const client: Client = {
    name,
    ip: ipText,
    where: internet ? 'internet' : 'lan',
    mac: formatMac([0x00, 0x50, 0x56, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]),
    line: cmd.line,
  };
  world.clients.push(client);
  return '';
}

export function findClient(world: World, name: string): Client | undefined {
  return world.clients.find((c) => c.name === name);
}

export { CommandError };
