/**
 * IPAM as Windows splits it: HNS picks the nat prefix and hands out addresses for nat,
 * l2bridge and overlay endpoints; Docker's `windows` IPAM only echoes a requested address
 * (windowsipam.go); DHCP on the LAN serves transparent networks without a subnet.
 */
import { fail, hnsError } from './errors.js';
import { changeEpoch, unrecorded } from './transaction.js';
import { WorldIndex } from './changes.js';
import { formatMac, hashString, nextRandom } from './ids.js';
import {
  broadcastOf, cidrAddress, formatIp, formatPrefix, inPrefix, parseCidr, parseIp, prefixesOverlap, type Prefix,
} from '../addr.js';
import type { Endpoint, Host, Network, World } from './types.js';

/** Every prefix a new nat prefix must stay clear of: host NICs, the LAN, the host's networks. */
function occupiedPrefixes(world: World, host: Host): Prefix[] {
  const out: Prefix[] = [];
  for (const n of host.nics) if (n.ip) out.push(parseCidr(n.ip)!.prefix);
  if (world.underlay.subnet) out.push(parseCidr(world.underlay.subnet)!.prefix);
  for (const net of host.networks) for (const s of net.subnets) out.push(parseCidr(s.prefix)!.prefix);
  return out;
}

/**
 * The prefix HNS gives a nat network when none is asked for: the seed's 172.16.0.0/16 on ws2016,
 * else a free /20 of 172.16.0.0/12 (HNS's behaviour since TP5), picked from a hash of the seed and
 * the host name so that it is stable for a script and differs between hosts, as on real machines.
 */
const FIXED_NAT_PREFIX = (): Prefix => parseCidr('172.16.0.0/16')!.prefix;

/**
 * ws2016's fixed default nat prefix may not hold the host's own address: the engine then does not
 * start (OneGet/MicrosoftDockerProvider #8, Microsoft's answer: "a problem arises when your container
 * host is in the same IP prefix"). Checked before the engine counts as started, so every docker
 * command fails alike until the prefix is moved.
 */
export function checkFixedNatPrefix(host: Host): void {
  const p = FIXED_NAT_PREFIX();
  const nic = host.nics.find((n) => n.ip && prefixesOverlap(parseCidr(n.ip)!.prefix, p));
  if (nic) fail(`packet-path: the Docker engine does not start on ${host.name}: the default nat network's prefix 172.16.0.0/16 overlaps the host's own address ${nic.ip} (${nic.name}), which Windows Server 2016 does not allow (OneGet/MicrosoftDockerProvider #8); give nat another prefix with "fixed-cidr" in daemon.json (or host --fixed-cidr)`);
}

export function chooseNatPrefix(world: World, host: Host, fixed: boolean): Prefix {
  if (fixed) {
    checkFixedNatPrefix(host);
    return FIXED_NAT_PREFIX();
  }
  const base = parseIp('172.16.0.0')!;
  const taken = occupiedPrefixes(world, host);
  const start = hashString(`${host.name}/${host.networks.length}`, world.seed) % 256;
  for (let i = 0; i < 256; i++) {
    const p: Prefix = { base: (base + ((start + i) % 256) * 4096) >>> 0, len: 20 };
    if (!taken.some((t) => prefixesOverlap(t, p))) return p;
  }
  return fail('HNS failed with error : No free address prefix for the NAT network');
}

/**
 * A free /28 of 172.16.0.0/12 for the Default Switch's ICS range (the pasted ones: 172.28.196.128/28,
 * 172.24.135.192/28), picked from a hash of the seed, the host and `salt` (its boot).
 */
export function chooseIcsPrefix(world: World, host: Host, salt: string): Prefix {
  const base = parseIp('172.16.0.0')!;
  const taken = occupiedPrefixes(world, host);
  const start = hashString(`${host.name}/ics/${salt}`, world.seed) % 65536;
  for (let i = 0; i < 65536; i++) {
    const p: Prefix = { base: (base + ((start + i) % 65536) * 16) >>> 0, len: 28 };
    if (!taken.some((t) => prefixesOverlap(t, p))) return p;
  }
  return fail('Packet Path: no free /28 in 172.16.0.0/12 for the Default Switch');
}

export function gatewayOf(p: Prefix): string {
  return formatIp(p.base + 1);
}

/** An address, or the address of a CIDR, as a number. */
function ipNumber(s: string): number {
  return s.includes('/') ? cidrAddress(s) : parseIp(s)!;
}

/** What a host's endpoints hold, per network: addresses and MACs, kept up as endpoints are appended. */
interface EndpointIndex {
  epoch: number;
  /** Endpoints read so far (the list only grows between rebuilds). */
  seen: number;
  ips: Map<string, Set<number>>;
  macs: Map<string, Set<string>>;
}

const endpointIndexes = new WeakMap<Endpoint[], EndpointIndex>();

function endpointIndex(host: Host): EndpointIndex {
  const list = unrecorded(host.endpoints);
  let ix = endpointIndexes.get(list);
  if (!ix || ix.epoch !== changeEpoch() || ix.seen > list.length) {
    ix = { epoch: changeEpoch(), seen: 0, ips: new Map(), macs: new Map() };
    endpointIndexes.set(list, ix);
  }
  for (; ix.seen < list.length; ix.seen++) {
    const ep = list[ix.seen]!;
    let ips = ix.ips.get(ep.networkId);
    if (!ips) ix.ips.set(ep.networkId, (ips = new Set()));
    ips.add(ipNumber(ep.ip));
    let macs = ix.macs.get(ep.networkId);
    if (!macs) ix.macs.set(ep.networkId, (macs = new Set()));
    macs.add(ep.mac);
  }
  return ix;
}

/** Addresses in use on a network: its endpoints, the gateway, and (swarm) the services' VIPs. */
function usedAddresses(world: World, host: Host, net: Network): { has(ip: number): boolean } {
  const extra = new Set<number>();
  for (const s of net.subnets) if (s.gateway) extra.add(parseIp(s.gateway)!);
  if (net.scope === 'swarm' && world.swarm) {
    for (const svc of unrecorded(world.swarm.services)) for (const vip of Object.values(svc.vips)) extra.add(parseIp(vip)!);
    if (net.ingress) for (const nd of unrecorded(world.swarm.nodes)) if (nd.ingressIp) extra.add(parseIp(nd.ingressIp)!);
  }
  const sets = (net.scope === 'swarm' ? unrecorded(world.hosts) : [host]).map((h) => endpointIndex(h).ips.get(net.id)).filter((x) => x !== undefined);
  return { has: (ip) => extra.has(ip) || sets.some((s) => s.has(ip)) };
}

/**
 * A free address of the network. HNS picks nat addresses anywhere in the prefix (observed
 * containers get addresses like 172.30.150.168 in 172.30.144.0/20), so nat allocation starts at a
 * seeded random offset and probes upward; other networks (l2bridge/transparent static pools, the
 * swarm's overlay IPAM) hand out the lowest free address.
 */
export function allocateAddress(world: World, host: Host, net: Network): { ip: string; prefixLen: number } {
  const used = usedAddresses(world, host, net);
  const partitions: Prefix[] = [];
  if (net.driver === 'nat')
    for (const other of host.networks)
      if (other !== net && other.driver === 'nat')
        for (const s of other.subnets) {
          const p = parseCidr(s.prefix)!.prefix;
          if (p.len > parseCidr(net.subnets[0]!.prefix)!.prefix.len) partitions.push(p);
        }
  let owned: { has(ip: number): boolean } | undefined;
  for (const s of net.subnets) {
    const p = parseCidr(s.prefix)!.prefix;
    const last = broadcastOf(p);
    const size = last - p.base - 1;
    const start = net.driver === 'nat' && size > 2 ? nextRandom(world) % size : 0;
    for (let k = 0; k < size; k++) {
      const ip = p.base + 1 + ((start + k) % size);
      if (used.has(ip)) continue;
      if (partitions.some((q) => inPrefix(ip, q))) continue;
      if ((owned ??= hostAddresses(world, net.driver === 'nat' ? host : undefined)).has(ip)) continue;
      return { ip: formatIp(ip), prefixLen: p.len };
    }
  }
  return fail(`no available IPv4 addresses on this network's address pools: ${net.name} (${net.id})`);
}

/**
 * Addresses a new endpoint must not take (built once per allocation): on a nat network, its own
 * host's (the prefix lives behind that host's WinNAT); on any other, the addresses every host,
 * client and the LAN router hold on the shared segment.
 */
function hostAddresses(world: World, only?: Host): { has(ip: number): boolean } {
  if (!only) return { has: (ip) => segmentAddresses.has(world, ip) };
  return new Set(addressesOf(only));
}

/** The addresses a host holds on the segment: its NICs' and its host vNICs'. */
function addressesOf(h: Host): number[] {
  const out: number[] = [];
  for (const n of h.nics) if (n.ip) out.push(ipNumber(n.ip));
  for (const sw of h.vswitches) if (sw.hostVnic?.ip) out.push(ipNumber(sw.hostVnic.ip));
  return out;
}

/** Every address held on the shared segment: hosts, clients, the LAN router. */
const segmentAddresses = new WorldIndex<number>(addressesOf, (w) => [...w.clients.map((c) => ipNumber(c.ip)), ipNumber(w.underlay.gateway ?? '0.0.0.0')]);

/** Every endpoint address of every host. */
const endpointAddresses = new WorldIndex<number>((h) => h.endpoints.map((ep) => parseIp(ep.ip) ?? -1));

function hostOwnsAddress(world: World, ip: number): boolean {
  return hostAddresses(world).has(ip);
}

/** Whether a requested address is free on the network. */
export function addressFree(world: World, host: Host, net: Network, ip: string): boolean {
  const v = parseIp(ip)!;
  return !usedAddresses(world, host, net).has(v) && !hostOwnsAddress(world, v);
}

export function subnetFor(net: Network, ip: string): { prefix: Prefix; gateway: string } | null {
  const v = parseIp(ip);
  if (v === null) return null;
  for (const s of net.subnets) {
    const p = parseCidr(s.prefix)!.prefix;
    if (inPrefix(v, p)) return { prefix: p, gateway: s.gateway };
  }
  return null;
}

/** Blocks of 4096 MACs after the Hyper-V OUI 00-15-5D: byte 4 and the high nibble of byte 5. */
const MAC_BLOCKS = 4096;

function blockStart(b: number): string {
  return formatMac([0x00, 0x15, 0x5d, b >> 4, (b & 15) << 4, 0x00]);
}

/** The starts of every network's pool, of every host and the swarm. */
const poolStarts = new WorldIndex<string>(
  (h) => h.networks.map((n) => n.macPool.start),
  (w) => (w.swarm?.networks ?? []).map((n) => n.macPool.start),
);

/**
 * Out of dynamic MACs: Hyper-V fails the port with Win32 ERROR_INVALID_ADDRESS, "Attempt to access
 * invalid address" (KB2804678), which HNS passes on.
 */
function macPoolExhausted(host: Host): string {
  return hnsError(host, 'Attempt to access invalid address.', '0x1e7');
}

/**
 * A network's HNS MAC pool: `00-15-5D-xx-y0-00 .. 00-15-5D-xx-yF-FF`, xx from the host's address
 * (its last octet), y counting the host's networks. A block another network of any host already
 * holds is skipped (hosts whose last octets agree, a host with more than 16 networks), so MACs stay
 * unique across hosts; when all 4,096 blocks are taken HNS has no pool to give.
 */
export function newMacPool(world: World, host: Host): { start: string; end: string } {
  const first = ((host.macByte << 4) + host.nextPool) % MAC_BLOCKS;
  for (let k = 0; k < MAC_BLOCKS; k++) {
    const b = (first + k) % MAC_BLOCKS;
    const start = blockStart(b);
    if (poolStarts.has(world, start)) continue;
    host.nextPool++;
    return { start, end: formatMac([0x00, 0x15, 0x5d, b >> 4, ((b & 15) << 4) | 0x0f, 0xff]) };
  }
  return fail(macPoolExhausted(host));
}

/**
 * A free MAC of the network's pool, picked at a seeded random offset as HNS does (observed
 * container MACs such as 00-15-5D-E5-CC-89 lie anywhere in their pool); the pool's first address
 * is the nat vNIC's.
 */
export function allocateMac(world: World, host: Host, net: Network): string {
  const start = parseInt(net.macPool.start.replace(/-/g, ''), 16);
  const end = parseInt(net.macPool.end.replace(/-/g, ''), 16);
  const size = end - start;
  if (size < 1) fail(macPoolExhausted(host));
  // A local network's endpoints are all on its host; a swarm network's on every node.
  const sets = (net.scope === 'swarm' ? unrecorded(world.hosts) : [host]).map((h) => endpointIndex(h).macs.get(net.id)).filter((x) => x !== undefined);
  const used = { has: (mac: string) => sets.some((s) => s.has(mac)) };
  const off = nextRandom(world) % size;
  net.nextMac++;
  for (let k = 0; k < size; k++) {
    const v = start + 1 + ((off + k) % size);
    const b: number[] = [];
    for (let i = 5; i >= 0; i--) b.push(Math.floor(v / 2 ** (8 * i)) % 256);
    const mac = formatMac(b);
    if (!used.has(mac)) return mac;
  }
  return fail(macPoolExhausted(host));
}

export function validMacPool(start: string, end: string): boolean {
  return /^([0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}$/.test(start) && /^([0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}$/.test(end);
}

export function prefixString(p: Prefix): string {
  return formatPrefix(p);
}

/** APIPA address a Windows DHCP client gives itself when no server answers. */
export function apipaAddress(seedValue: number): string {
  const h = hashString('apipa', seedValue);
  return `169.254.${(h >>> 8) % 254 + 1}.${(h % 254) + 1}`;
}

/** Next free lease of the LAN DHCP server (null: no server, or the pool is exhausted). */
export function dhcpLease(world: World, mac: string, owner: string): string | null {
  const d = world.underlay.dhcp;
  if (!d) return null;
  const existing = d.leases.find((l) => l.mac === mac);
  if (existing) return existing.ip;
  const first = parseIp(d.first)!;
  const last = parseIp(d.last)!;
  const used = new Set(d.leases.map((l) => parseIp(l.ip)!));
  const owned = hostAddresses(world);
  for (let ip = first; ip <= last; ip++) {
    if (used.has(ip) || owned.has(ip)) continue;
    if (endpointAddresses.has(world, ip)) continue;
    d.leases.push({ mac, ip: formatIp(ip), owner });
    return formatIp(ip);
  }
  return null;
}
