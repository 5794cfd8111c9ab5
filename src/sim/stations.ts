/**
 * Stations: who owns an address and what it answers. A container's compartment, a host's stack, the
 * router, a LAN or internet client, the internet itself; and the answers their stacks give to a frame
 * addressed to them — ARP replies, ICMP echo replies (Windows' 32-byte payload), SYN-ACK or RST, DNS
 * answers from Docker's embedded DNS (at each nat/overlay gateway) or from the LAN's DNS. VFP's ARP
 * responder on overlay endpoint ports answers here too (HNS programs it with what it knows).
 *
 * Stations read the frames they receive the way a stack does (frame-view.ts); which stages run where is
 * programs.ts's, decided in the data plane.
 */
import type { Container, Endpoint, Host, World } from '../model/types.js';
import { buildFrame } from '../wire/build.js';
import { nextRandom } from '../model/ids.js';
import { writeMac } from '../wire/ethernet.js';
import { cidrNum, formatIp, ipNum, macNum, sameSubnet } from '../addr.js';
import { HOST_DOMAIN, containerName, type HostFabric, type PortDesc } from './fabric.js';
import { macFromIp, networkOf, INTERNET_GW_MAC, LOOPBACK_IP, ROUTER_MAC, type HostPlan } from './derive.js';
import { frameView } from './frame-view.js';
import { fabricIndex } from './fabric-index.js';
import { stationHost, stationKey, type Station } from './station.js';
import { encodeDns, decodeDns, DNS_PORT } from './dns.js';
import { SIM_DROPS } from './sim-drops.js';
import { ICMP_TIME_EXCEEDED } from '../wire/icmp.js';
import { ETHERNET_MTU, Reassembler, fragmentFrame } from './fragments.js';
import type { LanLayout, StationAnswers } from './walk-types.js';

/** Resolves a name as Docker's embedded DNS does for the endpoint that asked (service discovery per driver). */
export type NameResolver = (world: World, fromEndpoint: string, name: string) => { found: true; ips: string[] } | { found: false; forwardTo: string[] };

/** What the stations need of the session. */
export interface StationWorld {
  readonly world: World;
  readonly lan: LanLayout;
  fabric(host: string): HostFabric;
  plan(host: string): HostPlan;
}

/** What a station is: its interfaces, what it listens on, how it answers DNS. */
interface StationInfo {
  ifs: { ip: number; mac: number }[];
  ttl: number;
  listens(proto: 'tcp' | 'udp', port: number): boolean;
  dns?(name: string, from: number): string[] | null;
  /** The host stack serves Docker's embedded DNS at its nat/overlay gateways. */
  embeddedDns?: boolean;
}

/** Windows ping's payload. */
export const WINDOWS_PING_PAYLOAD = 'abcdefghijklmnopqrstuvwabcdefghi';

/** Images that serve HTTP on port 80 without a published or exposed port. */
const WEB_IMAGE = /iis|nginx|httpd|apache|aspnet|web|whoami|http/;
const WEB_COMMAND = /iis|nginx|web|http/;

/**
 * What a container's process listens on: its published and exposed ports (`proto/port` or
 * `port/proto` as written), and tcp/80 when its image or command is a web server.
 */
export function containerServes(ctr: Container | undefined): { ports: Set<string>; web: boolean } {
  const ports = new Set<string>();
  for (const p of ctr?.publish ?? []) ports.add(`${p.protocol}/${p.containerPort}`);
  for (const e of ctr?.expose ?? []) ports.add(e.includes('/') ? e : `tcp/${e}`);
  const web = WEB_IMAGE.test((ctr?.image ?? '').toLowerCase()) || WEB_COMMAND.test((ctr?.command ?? '').toLowerCase());
  return { ports, web };
}

/** 127.0.0.0/8: the loopback network of every Windows stack. */
const isLoopback = (ip: number): boolean => ip >>> 24 === 127;
/** Host stacks and compartments have a loopback interface; LAN clients and routers are not modelled with one. */
const ownsLoopback = (st: Station): boolean => st.kind === 'host' || st.kind === 'compartment';

/** ICMP error types (3, 4, 5, 11, 12): no ICMP error is sent about one of them (RFC 1812 §4.3.2.7). */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

export class Stations implements StationAnswers {
  constructor(
    private readonly s: StationWorld,
    private readonly resolver: NameResolver,
  ) {}

  private host(name: string): Host {
    return this.s.world.hosts.find((h) => h.name === name)!;
  }

  private info(st: Station): StationInfo {
    const world = this.s.world;
    switch (st.kind) {
      case 'compartment': {
        const ix = fabricIndex(this.s.fabric(st.host));
        const dom = ix.domain(st.domain);
        const ctr = ix.container(st.domain);
        const { ports, web } = containerServes(ctr);
        return {
          ifs: dom?.interfaces.map((i) => ({ ip: i.ip, mac: i.mac })) ?? [],
          ttl: 128,
          listens: (proto, port) => ports.has(`${proto}/${port}`) || ports.has(`${port}/${proto}`) || (web && proto === 'tcp' && port === 80),
        };
      }
      case 'host': {
        const h = this.host(st.host);
        const dom = fabricIndex(this.s.fabric(st.host)).domain(HOST_DOMAIN);
        return {
          ifs: dom?.interfaces.map((i) => ({ ip: i.ip, mac: i.mac })) ?? [],
          ttl: 128,
          // Host processes (the `listen` line) answer on their ports.
          listens: (proto, port) => h.listeners.some((l) => l.protocol === proto && l.port === port),
          // Docker's embedded DNS answers at each nat/overlay gateway address, for the endpoint that asked.
          dns: (name, from) => this.embeddedDns(h, name, from),
          embeddedDns: h.networks.some((n) => (n.driver === 'nat' || n.driver === 'overlay') && n.subnets.length > 0),
        };
      }
      case 'router':
        return { ifs: [{ ip: this.s.lan.routerIp, mac: ROUTER_MAC }], ttl: 64, listens: (proto, port) => proto === 'udp' && port === DNS_PORT, dns: (name) => this.lanDns(name) };
      case 'client': {
        const c = world.clients.find((x) => x.name === st.name)!;
        return { ifs: [{ ip: ipNum(c.ip), mac: macNum(c.mac) }], ttl: 64, listens: (proto, port) => proto === 'tcp' && (port === 80 || port === 443) && c.where === 'internet' };
      }
      case 'internet':
        return { ifs: [{ ip: st.ip, mac: INTERNET_GW_MAC }], ttl: 54, listens: (proto, port) => (proto === 'tcp' && (port === 80 || port === 443)) || (proto === 'udp' && port === DNS_PORT), dns: (name) => this.lanDns(name) };
    }
  }

  /** The station that owns an address behind the router (the internet answers for every address there). */
  internet(ip: number): Station {
    return { kind: 'internet', ip };
  }

  /** VFP's ARP responder on an overlay endpoint port: the reply and why VFP knows the answer, or null. */
  arpProxy(host: string, port: PortDesc, frame: Uint8Array): { reply: Uint8Array; why: string } | null {
    const p = frameView(frame);
    if (!p.arp || p.arp.op !== 1) return null;
    const h = this.host(host);
    const net = networkOf(this.s.world, h, port.endpoint!);
    if (net?.driver !== 'overlay') return null;
    const tpa = p.arp.tpa;
    let mac: number | undefined;
    let why = '';
    const vipb = this.s.plan(host).vips.find((b) => b.vip === tpa && b.vni === net.vni);
    if (vipb) {
      mac = vipb.tasks[0].mac;
      why = `VFP answers ARP for the VIP of service ${vipb.service} (${formatIp(tpa)}) with its task's MAC`;
    } else if (net.ingress && this.s.world.swarm?.nodes.some((n) => n.ingressIp && ipNum(n.ingressIp) === tpa)) {
      mac = macFromIp(tpa);
      const node = this.s.world.swarm!.nodes.find((n) => n.ingressIp && ipNum(n.ingressIp) === tpa)!;
      why = `VFP answers ARP for the ingress-endpoint of ${node.host} (${formatIp(tpa)}, the routing mesh's source address)`;
    } else if (net.subnets.some((sn) => ipNum(sn.gateway) === tpa)) {
      mac = this.s.fabric(host).ports.find((x) => x.vswitch === port.vswitch && x.kind === 'vnic')?.mac;
      why = `VFP answers ARP for the overlay gateway ${formatIp(tpa)} (HNS)`;
    } else {
      for (const other of this.s.world.hosts) {
        if (other === h) continue;
        const ep = other.endpoints.find((e) => e.state !== 'Detached' && ipNum(e.ip) === tpa && networkOf(this.s.world, other, e)?.vni === net.vni);
        if (ep) {
          mac = macNum(ep.mac);
          why = `VFP answers ARP for remote endpoint ${formatIp(tpa)} on ${other.name} (HNS remote endpoint, VNI ${net.vni})`;
        }
      }
    }
    if (mac === undefined) return null;
    return { reply: buildFrame({ eth: { src: mac, dst: p.arp.sha }, arp: { op: 'reply', senderMac: mac, senderIp: tpa, targetMac: p.arp.sha, targetIp: p.arp.spa }, minLength: 60 }), why };
  }

  /** Whether a frame handed to a station is addressed to it (its IP, an ARP for its IP). */
  addressedTo(st: Station, frame: Uint8Array): boolean {
    if (st.kind === 'internet') return true;
    const info = this.info(st);
    const p = frameView(frame);
    const dst = p.arp ? p.arp.tpa : p.ip?.dst;
    if (dst === undefined) return false;
    if (info.ifs.some((i) => i.ip === dst) || (isLoopback(dst) && !p.arp && ownsLoopback(st))) return true;
    // The host's embedded DNS listens on the nat / overlay gateways it serves.
    return st.kind === 'host' && !!info.embeddedDns && !p.arp;
  }

  /** Datagrams the stations hold in reassembly (fragments.ts), keyed per station. */
  private readonly reassembly = new Reassembler();
  /** The IP identification a stack gives the next datagram it fragments. */
  private ipId = 0x2000;

  /**
   * The MTU of the interface a station sends toward `dst` by: a container's vNIC is 1500 less the
   * endpoint's encapsulation overhead (overlay: 1450, HNS `EncapOverhead 50`), every other
   * interface Ethernet's 1500.
   */
  mtu(st: Station, dst: number): number {
    if (st.kind !== 'compartment') return ETHERNET_MTU;
    const src = this.sourceFor(st, dst);
    const ix = fabricIndex(this.s.fabric(st.host));
    const iface = ix.domain(st.domain)?.interfaces.find((i) => i.ip === src?.ip);
    const ep = iface && ix.port(iface.port)?.endpoint;
    return ETHERNET_MTU - (ep?.encapOverhead ?? 0);
  }

  /**
   * What a station's stack puts on the wire for a frame it sends: the frame, or its fragments when
   * the datagram is larger than the interface's MTU (a fresh IP identification for the datagram);
   * nothing when DF forbids fragmenting it (the tool says so: ping's "Packet needs to be fragmented
   * but DF set.").
   */
  transmit(st: Station, frame: Uint8Array): Uint8Array[] {
    const dst = frameView(frame).ip?.dst;
    if (dst === undefined) return [frame];
    const out = fragmentFrame(frame, this.mtu(st, dst), (this.ipId = (this.ipId + 1) & 0xffff));
    return out === 'df' ? [] : out;
  }

  /** A frame reached a station: ARP requests for its addresses and IP packets to them are answered;
   *  fragments are held until their datagram is whole (fragments.ts), which is then answered. */
  receive(st: Station, frame0: Uint8Array): Uint8Array[] {
    const frame = this.reassembly.add(frame0, stationKey(st));
    if (!frame) return [];
    const info = this.info(st);
    const p = frameView(frame);
    if (p.arp) {
      if (p.arp.op !== 1) return [];
      const own = info.ifs.find((i) => i.ip === p.arp!.tpa);
      if (!own) return [];
      return [buildFrame({ eth: { src: own.mac, dst: p.arp.sha }, arp: { op: 'reply', senderMac: own.mac, senderIp: own.ip, targetMac: p.arp.sha, targetIp: p.arp.spa }, minLength: 60 })];
    }
    const ip = p.ip;
    if (!ip) return [];
    const own = info.ifs.find((i) => i.ip === ip.dst)
      ?? (st.kind === 'internet' ? { ip: ip.dst, mac: INTERNET_GW_MAC } : undefined)
      ?? (isLoopback(ip.dst) && ownsLoopback(st) ? { ip: ip.dst, mac: p.dstMac } : undefined);
    // The host stack also owns the nat gateways it serves DNS on.
    if (!own && !(st.kind === 'host' && info.embeddedDns)) return [];
    const me = own ?? { ip: ip.dst, mac: p.dstMac };
    const eth = { src: me.mac, dst: p.srcMac };
    if (p.icmp && p.icmp.type === 8) {
      // The reply echoes the request's data, all of it (RFC 792).
      const payload = frame.slice(ip.l4 + 8, ip.end);
      return [buildFrame({ eth, ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl }, icmp: { type: 'echo-reply', id: p.icmp.id, seq: p.icmp.seq }, payload })];
    }
    if (p.tcp) {
      const t = p.tcp;
      if (!(t.flags & 0x02) || t.flags & 0x10) return [];
      const ok = info.listens('tcp', t.dport);
      const tcp = ok
        ? { sport: t.dport, dport: t.sport, seq: 0x10000000, ack: (t.seq + 1) >>> 0, flags: 'SA' as const, window: 65535 }
        : { sport: t.dport, dport: t.sport, seq: 0, ack: (t.seq + 1) >>> 0, flags: 'RA' as const, window: 0 };
      return [buildFrame({ eth, ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl }, tcp })];
    }
    if (p.udp && p.udp.dport === DNS_PORT && info.dns) {
      const q = decodeDns(p.udp.payload);
      if (!q || q.response) return [];
      const answers = info.dns(q.name, ip.src);
      const msg = encodeDns({ id: q.id, response: true, rcode: answers ? 0 : 3, name: q.name, answers: answers ?? [] });
      return [buildFrame({ eth, ipv4: { src: me.ip, dst: ip.src, ttl: info.ttl }, udp: { sport: DNS_PORT, dport: p.udp.sport }, payload: msg })];
    }
    return [];
  }

  /**
   * A station that forwards (the router, a host routing for its containers) discarded a packet whose
   * TTL ran out: its answer, ICMP Time Exceeded (type 11, code 0, RFC 792), from the address of the
   * interface the packet came in on (RFC 1812 §4.3.2.4), back to the previous hop's MAC, quoting the
   * packet's IP header and the first 8 bytes of its data (RFC 792). No answer about an ICMP error
   * (RFC 1812 §4.3.2.7: Time Exceeded, Destination Unreachable, Redirect, Source Quench, Parameter
   * Problem), so a loop of errors cannot start, nor about a fragment other than the first (same section).
   */
  timeExceeded(st: Station, frame: Uint8Array, via: { ip: number; mac: number }): Uint8Array | null {
    const p = frameView(frame);
    if (!p.ip) return null;
    if (p.icmp && ICMP_ERRORS.has(p.icmp.type)) return null;
    const l3 = frame[12] === 0x81 && frame[13] === 0x00 ? 18 : 14;
    // Nor about a fragment other than the first (RFC 1812 §4.3.2.7).
    if ((((frame[l3 + 6]! & 0x1f) << 8) | frame[l3 + 7]!) !== 0) return null;
    const quoted = frame.slice(l3, Math.min(frame.length, p.ip.l4 + 8));
    return buildFrame({ eth: { src: via.mac, dst: p.srcMac }, ipv4: { src: via.ip, dst: p.ip.src, ttl: this.info(st).ttl }, icmp: { type: ICMP_TIME_EXCEEDED, code: 0 }, payload: quoted });
  }

  /**
   * Docker's embedded DNS on a host: the endpoint that asked (by source address) decides what it may
   * see; names it does not know are forwarded to the endpoint's other DNS servers (the LAN's DNS here).
   */
  private embeddedDns(h: Host, name: string, from: number): string[] | null {
    const ep = h.endpoints.find((e) => e.state !== 'Detached' && ipNum(e.ip) === from);
    if (!ep) return this.lanDns(name);
    const r = this.resolver(this.s.world, ep.id, name);
    if (r.found) return this.shuffle(r.ips);
    return r.forwardTo.length ? this.lanDns(name) : null;
  }

  /**
   * Docker's embedded DNS answers a name with several addresses (a dnsrr service, tasks.NAME) in a
   * new random order each time: moby v20.10.24 vendor/github.com/docker/libnetwork/resolver.go
   * (handleIPQuery → shuffleAddr, a Fisher-Yates shuffle). Here the generator is seeded by the run's
   * seed, so a run is repeatable.
   */
  private shuffle(ips: string[]): string[] {
    if (ips.length < 2) return ips;
    this.dnsRandom ??= { rngState: (this.s.world.seed ^ 0x444e5352) >>> 0 };
    const out = [...ips];
    for (let i = out.length - 1; i > 0; i--) {
      const j = nextRandom(this.dnsRandom) % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  private dnsRandom: { rngState: number } | undefined;

  /** The LAN's / internet's DNS: knows the hosts and the declared clients, never containers. */
  private lanDns(name: string): string[] | null {
    const q = name.toLowerCase().replace(/\.$/, '');
    const h = this.s.world.hosts.find((x) => x.name.toLowerCase() === q);
    const ip = h && this.s.plan(h.name).providerAddress;
    if (ip) return [formatIp(ip)];
    const c = this.s.world.clients.find((x) => x.name.toLowerCase() === q);
    return c ? [c.ip] : null;
  }

  /** The name hops use for a station. */
  name(st: Station): string {
    if (st.kind !== 'compartment') return stationHost(st);
    return fabricIndex(this.s.fabric(st.host)).container(st.domain)?.name ?? `compartment ${st.domain}`;
  }

  /** The source interface (IP, MAC) a station uses toward a destination. */
  sourceFor(st: Station, dst: number): { ip: number; mac: number } | null {
    if (st.kind === 'compartment' || st.kind === 'host') {
      const dom = fabricIndex(this.s.fabric(st.host)).domain(st.kind === 'host' ? HOST_DOMAIN : st.domain);
      if (!dom) return null;
      // A loopback destination is sent from the loopback address (the stack's Loopback Pseudo-Interface).
      if (isLoopback(dst) && dom.interfaces[0]) return { ip: LOOPBACK_IP, mac: dom.interfaces[0].mac };
      let best: (typeof dom.routes)[number] | undefined;
      for (const r of dom.routes) if (sameSubnet(r.prefix, dst, r.len) && (!best || r.len > best.len)) best = r;
      const i = (best && dom.interfaces.find((x) => x.port === best!.port)) ?? dom.interfaces[0];
      return i ? { ip: i.ip, mac: i.mac } : null;
    }
    return this.info(st).ifs[0] ?? null;
  }

  /** Why the VM host's switch drops a frame from a virtualized host (MAC address spoofing off), or null. */
  outerSwitchDrop(host: string, frame: Uint8Array): string | null {
    const h = this.host(host);
    if (!h.virtualized || h.macSpoofing) return null;
    const src = frameView(frame).srcMac;
    const own = new Set<number>();
    for (const n of h.nics) own.add(macNum(n.mac));
    for (const vs of h.vswitches) if (vs.hostVnic) own.add(macNum(vs.hostVnic.mac));
    if (own.has(src)) return null;
    return SIM_DROPS.MAC_SPOOFING_OFF.text;
  }

  /** A LAN client has no routing plane: its frames go to the owner of an on-link address, else the router. */
  fixL2(st: Station, frame: Uint8Array): Uint8Array {
    if (st.kind !== 'client') return frame;
    const world = this.s.world;
    const c = world.clients.find((x) => x.name === st.name);
    const p = frameView(frame);
    if (!c || c.where !== 'lan' || !p.ip) return frame;
    const lan = cidrNum(world.underlay.subnet ?? '10.0.0.0/24');
    let dst = ROUTER_MAC;
    if (sameSubnet(lan.base, p.ip.dst, lan.len)) dst = this.lanOwnerMac(p.ip.dst) ?? ROUTER_MAC;
    const out = frame.slice();
    writeMac(out, 0, dst);
    writeMac(out, 6, macNum(c.mac));
    return out;
  }

  /** The MAC that answers for an address on the LAN (a host NIC, a transparent or l2bridge container). */
  private lanOwnerMac(ip: number): number | undefined {
    const world = this.s.world;
    for (const h of world.hosts) {
      for (const n of h.nics) if (n.ip && cidrNum(n.ip).ip === ip) return macNum(n.mac);
      for (const vs of h.vswitches) if (vs.hostVnic?.ip && cidrNum(vs.hostVnic.ip).ip === ip) return macNum(vs.hostVnic.mac);
      for (const ep of h.endpoints) {
        if (ep.state === 'Detached' || ipNum(ep.ip) !== ip) continue;
        const net = networkOf(world, h, ep);
        if (net?.driver === 'transparent') return macNum(ep.mac);
        if (net?.driver === 'l2bridge') {
          const vs = h.vswitches.find((v) => v.id === net.vswitch || v.name === net.vswitch);
          const nic = h.nics.find((x) => x.name === vs?.nics[0]);
          if (nic) return macNum(nic.mac);
        }
      }
    }
    for (const c of world.clients) if (ipNum(c.ip) === ip) return macNum(c.mac);
    return undefined;
  }
}
