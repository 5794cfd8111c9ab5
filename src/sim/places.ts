/**
 * The places a frame can be, one handler each — what happens there and where the frame goes next:
 *
 *   route       a station routes a packet it sends (compartment or host stack); NAT loopback
 *   vswitch-in  a frame enters a vSwitch at a port (VFP's ARP responder, the port's layers, the switch)
 *   port-out    a frame leaves a vSwitch through a port (to a compartment, the host vNIC, the wire)
 *   host-in     a frame reaches the host stack through a NIC or a host vNIC
 *   lan-in      a frame enters the LAN switch
 *   router-in   a frame reaches the router, from the LAN or from the internet
 *   deliver     a frame reaches the station it is addressed to, which answers
 *
 * Each runs the place's compiled program (programs.ts) on the host's plane through the walker
 * (walker.ts), which keeps the walk's state: traces, ARP resolution, the flood's recording.
 */
import * as abi from '../abi.js';
import type { ProgramStep } from '../engine/core.js';
import { DROP } from '../engine/drops.js';
import type { Hop, PacketTrace } from '../result.js';
import { describeFrame } from '../wire/build.js';
import { formatIp, maskOf } from '../addr.js';
import { frameView } from './frame-view.js';
import { INTERNET_ROUTERS, SIM_DROPS } from './sim-drops.js';
import type { PlaneOut, Plane } from './planes.js';
import { HOST_DOMAIN, type DomainDesc, type PortDesc } from './fabric.js';
import { fabricIndex } from './fabric-index.js';
import { LAN_SWITCH, ROUTER } from './programs.js';
import type { Station } from './station.js';
import { acceptsFrame, ipDst, isArpFor } from './walk-support.js';
import { stationHost } from './station.js';
import type { Answer, Item, Location, WalkResult, WalkWorld } from './walk-types.js';

/** What a place needs of the walker running it. */
export interface Walk {
  readonly w: WalkWorld;
  /** Runs a program at a place and folds its trace events into the item's hops. */
  runAt(plane: Plane, host: string | 'lan', at: string, item: Item, inPort: number, program: ProgramStep[], ctx?: number, node?: string): (PlaneOut & { trace: PacketTrace })[];
  hop(trace: PacketTrace, h: Hop): void;
  capture(trace: PacketTrace, at: string, frame: Uint8Array): void;
  /** A frame a station's NIC or stack ignores. */
  discard(item: Item, host: string, at: string): Item[];
  /** The route stage found no neighbour: ARP for the next hop, then retry. */
  resolve(item: Item, host: string, dom: DomainDesc): Item[];
  learnFromArp(st: Station, frame: Uint8Array): void;
  /** Adds a packet the walk caused (an answer VFP gave) to the walk's result. */
  addPacket(t: PacketTrace): void;
  portNode(host: string, port: PortDesc): string;
  domainNode(host: string, domain: number): string;
  stationNode(st: Station): string;
}

/** A station routes a packet (its own, or one it forwards): the domain's LPM, neighbour, TTL. */
function route(walk: Walk, item: Item, loc: Extract<Location, { kind: 'route' }>): Item[] {
  const next = (l: Location, frame = item.frame): Item => ({ ...item, loc: l, frame });
  const fab = walk.w.fabric(loc.host);
  const dom = fabricIndex(fab).domain(loc.domain);
  if (!dom) return [];
  const at = loc.domain === HOST_DOMAIN ? 'host stack' : dom.name;
  // A station routing its own packet: no TTL decrement (a1 = originate).
  const programs = walk.w.programs(loc.host);
  const outs = walk.runAt(walk.w.hostPlane(loc.host), loc.host, at, item, 0, programs.route(loc.domain), 0, walk.domainNode(loc.host, loc.domain));
  const o = outs[0];
  if (!o?.desc) return [];
  if (o.desc.next === abi.NEXT_DROP) {
    if (o.desc.drop === DROP.ROUTE_NO_NEIGHBOR) return walk.resolve(item, loc.host, dom);
    return [];
  }
  if (o.desc.next === abi.NEXT_LOCAL) {
    // NAT loopback: the host calling its own address on a published port goes through WinNAT; the
    // guard of the program lets only such packets through, and only those get an out-port.
    const loop = loc.domain === HOST_DOMAIN ? programs.loopback : [];
    if (loop.length) {
      const l = walk.runAt(walk.w.hostPlane(loc.host), loc.host, 'WinNAT (loopback)', { ...item, frame: o.frame, desc: o.desc }, 0, loop, 0, `winnat:${loc.host}`)[0];
      if (!l?.desc || l.desc.next === abi.NEXT_DROP) return [];
      const outPort = l.desc.next === abi.NEXT_CONTINUE && l.desc.outPort !== abi.OUT_PORT_NONE ? fabricIndex(fab).port(l.desc!.outPort) : undefined;
      if (outPort && outPort.kind !== 'nic') return [next({ kind: 'vswitch-in', host: loc.host, port: outPort.id }, l.frame)];
    }
    const st: Station = loc.domain === HOST_DOMAIN ? { kind: 'host', host: loc.host } : { kind: 'compartment', host: loc.host, domain: loc.domain };
    return [next({ kind: 'deliver', station: st, via: at }, o.frame)];
  }
  const port = fabricIndex(fab).port(o.desc!.outPort);
  if (!port) return [];
  if (programs.isUplink(port.id)) return hostEgress(walk, { ...item, desc: o.desc }, loc.host, port, o.frame);
  return [next({ kind: 'vswitch-in', host: loc.host, port: port.id }, o.frame)];
}

/** A frame enters a vSwitch at a port: VFP's ARP responder, the port's layers, the switch. */
function vswitchIn(walk: Walk, item: Item, loc: Extract<Location, { kind: 'vswitch-in' }>): Item[] {
  const fab = walk.w.fabric(loc.host);
  const port = fabricIndex(fab).port(loc.port)!;
  const vs = fab.vswitches[port.vswitch - 1];
  const at = `vSwitch ${vs.model.name}, ${port.name}`;
  if (port.kind === 'endpoint') walk.capture(item.trace, `${loc.host} ${port.name}`, item.frame);
  // HNS programs VFP to answer ARP for what it knows (overlay gateways, remote endpoints).
  const proxied = port.kind === 'endpoint' ? walk.w.stations.arpProxy(loc.host, port, item.frame) : null;
  if (proxied) {
    walk.hop(item.trace, { host: loc.host, at, stage: 'switch', action: 'arp-proxy', rule: proxied.why, before: {}, after: {}, node: walk.portNode(loc.host, port) });
    item.trace.verdict = 'delivered';
    const ep = port.endpoint!;
    const st: Station = { kind: 'compartment', host: loc.host, domain: ep.compartmentId };
    const t: PacketTrace = { summary: describeFrame(proxied.reply), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
    walk.addPacket(t);
    return [{ loc: { kind: 'deliver', station: st, via: at }, frame: proxied.reply, trace: t, steps: 0 }];
  }
  const programs = walk.w.programs(loc.host);
  const outs = walk.runAt(walk.w.hostPlane(loc.host), loc.host, at, item, port.id, programs.vswitchIngress(port.id), programs.context(port.id), walk.portNode(loc.host, port));
  const hairpin = programs.hairpin(port.id);
  if (hairpin !== null) {
    // l2tunnel: every frame goes to the physical (Azure) host's switch, where policy applies, and back.
    const o = outs[0];
    if (!o?.desc || o.desc.next === abi.NEXT_DROP) return [];
    walk.hop(item.trace, { host: loc.host, at, stage: 'wire', action: 'hairpin', rule: 'l2tunnel: forwarded to the physical host for policy, and back through the external port', before: {}, after: {}, node: walk.portNode(loc.host, port) });
    walk.capture(item.trace, `${loc.host} external (l2tunnel)`, o.frame);
    return [{ ...item, loc: { kind: 'vswitch-in', host: loc.host, port: hairpin }, frame: o.frame, desc: null }];
  }
  const items: Item[] = [];
  for (const o of outs) {
    if (!o.desc || o.desc.next === abi.NEXT_DROP) continue;
    if (o.desc.next === abi.NEXT_LOCAL) {
      // VFP answered (ARP for a remote overlay endpoint) or the frame is for the vSwitch itself.
      continue;
    }
    if (o.desc.outPort === abi.OUT_PORT_NONE || o.desc.outPort === abi.OUT_PORT_FLOOD) continue;
    items.push({ ...item, loc: { kind: 'port-out', host: loc.host, port: o.desc.outPort }, frame: o.frame, trace: o.trace, desc: o.desc });
  }
  return items;
}

/** A frame leaves a vSwitch through a port: to a compartment, the host vNIC, or the wire. */
function portOut(walk: Walk, item: Item, loc: Extract<Location, { kind: 'port-out' }>): Item[] {
  const next = (l: Location, frame = item.frame): Item => ({ ...item, loc: l, frame });
  const fab = walk.w.fabric(loc.host);
  const port = fabricIndex(fab).port(loc.port);
  if (!port) return [];
  const vs = fab.vswitches[port.vswitch - 1];
  const at = `vSwitch ${vs.model.name}, ${port.name}`;
  const program = walk.w.programs(loc.host).vswitchEgress(port.id, item.desc?.inPort ?? 0);
  // The packet keeps the context (overlay network) it got on ingress.
  const outs = walk.runAt(walk.w.hostPlane(loc.host), loc.host, at, item, port.id, program, 0, walk.portNode(loc.host, port));
  const o = outs[0];
  if (!o || (o.desc && o.desc.next === abi.NEXT_DROP)) return [];
  item.desc = o.desc ?? item.desc;
  if (port.kind === 'endpoint') {
    walk.capture(item.trace, `${loc.host} ${port.name}`, o.frame);
    const ep = port.endpoint!;
    return [next({ kind: 'deliver', station: { kind: 'compartment', host: loc.host, domain: ep.compartmentId }, via: at }, o.frame)];
  }
  if (port.kind === 'vnic') return [next({ kind: 'host-in', host: loc.host, port: port.id }, o.frame)];
  // External port: the frame leaves on the host's NIC (a team member chosen by the flow's hash).
  const team = vs.model.nics;
  if (team.length > 1) {
    const member = team[(o.desc?.hash ?? 0) % team.length];
    walk.hop(item.trace, { host: loc.host, at: at, stage: 'wire', action: 'team', rule: `Switch Embedded Teaming: flow hash selects ${member} of ${team.join(', ')}`, before: {}, after: {}, node: `nic:${loc.host}:${member}` });
    return toLan(walk, item, loc.host, member, o.frame);
  }
  return toLan(walk, item, loc.host, port.nic!, o.frame);
}

/** A frame reaches the host stack through a NIC or a host vNIC: firewall, WinNAT, route. */
function hostIn(walk: Walk, item: Item, loc: Extract<Location, { kind: 'host-in' }>, answer: Answer): Item[] {
  const next = (l: Location, frame = item.frame): Item => ({ ...item, loc: l, frame });
  const fab = walk.w.fabric(loc.host);
  const port = fabricIndex(fab).port(loc.port)!;
  const programs = walk.w.programs(loc.host);
  if (!acceptsFrame(item.frame, port.mac) && !programs.alsoAccepts(port.id).some((mac) => acceptsFrame(item.frame, mac))) return walk.discard(item, loc.host, `host stack (${port.name})`);
  const hostIfs = fabricIndex(fab).domain(HOST_DOMAIN)!.interfaces;
  if (frameView(item.frame).arp) {
    if (isArpFor(item.frame, hostIfs)) return [next({ kind: 'deliver', station: { kind: 'host', host: loc.host }, via: `host stack (${port.name})` })];
    return walk.discard(item, loc.host, `host stack (${port.name})`);
  }
  const outs = walk.runAt(walk.w.hostPlane(loc.host), loc.host, `host stack (${port.name})`, item, port.id, programs.hostIngress(port.id), 0, `host:${loc.host}`);
  const o = outs[0];
  if (!o?.desc) return [];
  if (o.desc.next === abi.NEXT_DROP) {
    const dom = fabricIndex(fab).domain(HOST_DOMAIN)!;
    if (o.desc.drop === DROP.ROUTE_NO_NEIGHBOR) return walk.resolve({ ...item, frame: o.frame }, loc.host, dom);
    // The host forwards for its containers (routing between its vNICs and NICs): an expired TTL is answered.
    const via = hostIfs.find((i) => i.port === port.id) ?? hostIfs[0];
    if (o.desc.drop === DROP.ROUTE_TTL_EXPIRED && via) return ttlExpired(walk, item, o.frame, { kind: 'host', host: loc.host }, via, answer);
    return [];
  }
  if (o.desc.next === abi.NEXT_LOCAL || isArpFor(o.frame, hostIfs)) {
    return [next({ kind: 'deliver', station: { kind: 'host', host: loc.host }, via: `host stack (${port.name})` }, o.frame)];
  }
  const out = fabricIndex(fab).port(o.desc!.outPort);
  if (!out) return [];
  if (out.kind === 'nic' || (out.id !== port.id && programs.isUplink(out.id))) return hostEgress(walk, { ...item, desc: o.desc }, loc.host, out, o.frame);
  return [next({ kind: 'vswitch-in', host: loc.host, port: out.id }, o.frame)];
}

/** A frame enters the LAN switch at a port. */
function lanIn(walk: Walk, item: Item, loc: Extract<Location, { kind: 'lan-in' }>): Item[] {
  const lan = walk.w.lan;
  walk.capture(item.trace, 'LAN', item.frame);
  const outs = walk.runAt(walk.w.lanPlane(), 'lan', 'LAN switch', { ...item, desc: null }, loc.port, [...LAN_SWITCH], 0, 'lan');
  const items: Item[] = [];
  for (const o of outs) {
    if (!o.desc || o.desc.next === abi.NEXT_DROP) continue;
    const to = lan.portOwner(o.desc.outPort);
    if (!to) continue;
    const go = (l: Location) => items.push({ ...item, loc: l, frame: o.frame, trace: o.trace });
    if (to.kind === 'router') go({ kind: 'router-in', fromInternet: false });
    else if (to.kind === 'client') go({ kind: 'deliver', station: { kind: 'client', name: to.name }, via: 'LAN' });
    else {
      const fab = walk.w.fabric(to.host);
      const ext = fab.ports.find((p) => p.kind === 'external' && fab.vswitches[p.vswitch - 1]?.model.nics.includes(to.nic));
      if (ext) go({ kind: 'vswitch-in', host: to.host, port: ext.id });
      else {
        const nicPort = fab.ports.find((p) => p.kind === 'nic' && p.nic === to.nic);
        if (nicPort) go({ kind: 'host-in', host: to.host, port: nicPort.id });
      }
    }
  }
  return items;
}

/** A frame reaches the router, from the LAN or from the internet. */
function routerIn(walk: Walk, item: Item, loc: Extract<Location, { kind: 'router-in' }>, answer: Answer): Item[] {
  const next = (l: Location, frame = item.frame): Item => ({ ...item, loc: l, frame });
  const lan = walk.w.lan;
  const inPort = loc.fromInternet ? lan.internetPort : lan.routerPort;
  if (!loc.fromInternet && isArpFor(item.frame, [{ ip: lan.routerIp, port: lan.routerPort, len: lan.routerLen, mac: lan.routerMac, name: 'router' }])) {
    return [next({ kind: 'deliver', station: { kind: 'router' }, via: 'router' })];
  }
  if (!loc.fromInternet && (!acceptsFrame(item.frame, lan.routerMac) || frameView(item.frame).arp)) return walk.discard(item, 'LAN', 'router');
  if (loc.fromInternet) walk.capture(item.trace, 'internet', item.frame);
  const outs = walk.runAt(walk.w.lanPlane(), 'lan', loc.fromInternet ? 'router (internet side)' : 'router', item, inPort, [...ROUTER], 0, 'router');
  const o = outs[0];
  if (!o?.desc) return [];
  if (o.desc.next === abi.NEXT_DROP) {
    if (o.desc.drop === DROP.ROUTE_NO_NEIGHBOR) {
      const mask = maskOf(lan.routerLen);
      const dom: DomainDesc = {
        id: 1,
        name: 'router',
        interfaces: [{ ip: lan.routerIp, len: lan.routerLen, mac: lan.routerMac, port: lan.routerPort, name: 'router' }],
        routes: [{ prefix: (lan.routerIp & mask) >>> 0, len: lan.routerLen, nextHop: 0, port: lan.routerPort, srcMac: lan.routerMac, metric: 0 }],
      };
      return walk.resolve(item, 'router', dom);
    }
    if (o.desc.drop === DROP.ROUTE_TTL_EXPIRED && !loc.fromInternet) return ttlExpired(walk, item, o.frame, { kind: 'router' }, { ip: lan.routerIp, mac: lan.routerMac }, answer);
    return [];
  }
  if (o.desc.next === abi.NEXT_LOCAL) return [next({ kind: 'deliver', station: { kind: 'router' }, via: 'router' }, o.frame)];
  if (o.desc.outPort === lan.internetPort) {
    walk.capture(item.trace, 'internet', o.frame);
    const dst = ipDst(o.frame);
    if (isPrivate(dst)) {
      // RFC 1918 §3: private addresses are not routed on the internet; the packet dies past the router.
      walk.hop(item.trace, { host: 'internet', at: 'internet', stage: 'wire', action: 'drop', rule: SIM_DROPS.PRIVATE_TO_INTERNET.text, before: {}, after: {}, node: 'internet' });
      item.trace.verdict = 'dropped';
      item.trace.dropReason = SIM_DROPS.PRIVATE_TO_INTERNET.text;
      return [];
    }
    const ttl = frameView(o.frame).ip?.ttl ?? 64;
    if (ttl <= INTERNET_ROUTERS) {
      // Router k past ours (k = 1..10) gets the packet with TTL t - k + 1 and drops it at 1: k = t.
      const why = SIM_DROPS.INTERNET_TTL_EXPIRED.text(ttl);
      walk.hop(item.trace, { host: 'internet', at: 'internet', stage: 'wire', action: 'drop', rule: why, before: {}, after: {}, node: 'internet' });
      item.trace.verdict = 'dropped';
      item.trace.dropReason = why;
      return [];
    }
    const hop: Hop = { host: 'internet', at: 'internet', stage: 'wire', action: 'forward', rule: null, before: {}, after: {}, node: 'internet' };
    walk.hop(item.trace, hop);
    return [next({ kind: 'deliver', station: walk.w.stations.internet(dst), via: 'internet' }, o.frame)];
  }
  return [next({ kind: 'lan-in', port: lan.routerPort }, o.frame)];
}

/** A frame reaches the station it is addressed to, which answers. */
function deliver(walk: Walk, item: Item, loc: Extract<Location, { kind: 'deliver' }>, result: WalkResult, answer: Answer): Item[] {
  const st = loc.station;
  if (!walk.w.stations.addressedTo(st, item.frame)) return walk.discard(item, stationHost(st), loc.via);
  const hop: Hop = { host: stationHost(st), at: loc.via, stage: 'deliver', action: 'deliver', rule: null, before: {}, after: {}, node: walk.stationNode(st) };
  // The container's own firewall decides before its stack sees the packet.
  if (st.kind === 'compartment') {
    const program = walk.w.programs(st.host).compartmentIngress(st.domain);
    if (program.length) {
      const outs = walk.runAt(walk.w.hostPlane(st.host), st.host, hop.at, item, 0, program, 0, hop.node);
      if (!outs[0] || (outs[0].desc && outs[0].desc.next === abi.NEXT_DROP)) return [];
    }
  }
  walk.hop(item.trace, hop);
  item.trace.verdict = 'delivered';
  result.deliveries.push({ station: st, frame: item.frame, trace: item.trace });
  walk.learnFromArp(st, item.frame);
  for (const reply of walk.w.stations.receive(st, item.frame)) answer(st, reply);
  return [];
}

/**
 * A forwarding station (the router, a host routing for its containers) dropped a packet whose TTL ran
 * out: it answers with ICMP Time Exceeded from the interface the packet came in on (stations.ts), and
 * the drop's hop says so.
 */
function ttlExpired(walk: Walk, item: Item, frame: Uint8Array, st: Station, via: { ip: number; mac: number }, answer: Answer): Item[] {
  const reply = walk.w.stations.timeExceeded(st, frame, via);
  if (!reply) return [];
  const last = item.trace.hops[item.trace.hops.length - 1];
  const src = frameView(frame).ip!.src;
  if (last?.action === 'drop') last.rule = `${last.rule ? `${last.rule}; ` : ''}TTL expired: ICMP Time Exceeded sent from ${formatIp(via.ip)} to ${formatIp(src)}`;
  answer(st, reply);
  return [];
}

function hostEgress(walk: Walk, item: Item, host: string, port: PortDesc, frame: Uint8Array): Item[] {
  const program = walk.w.programs(host).hostEgressNic;
  const outs = walk.runAt(walk.w.hostPlane(host), host, `WinNAT (${port.name})`, { ...item, frame }, port.id, program, 0, `winnat:${host}`);
  const o = outs[0];
  if (!o || (o.desc && o.desc.next === abi.NEXT_DROP)) return [];
  // The host address may sit on the host vNIC of an external vSwitch: leave through that switch.
  if (port.kind === 'vnic') return [{ ...item, loc: { kind: 'vswitch-in', host, port: port.id }, frame: o.frame, desc: null }];
  return toLan(walk, item, host, port.nic!, o.frame);
}

function toLan(walk: Walk, item: Item, host: string, nic: string, frame: Uint8Array): Item[] {
  const why = walk.w.stations.outerSwitchDrop(host, frame);
  if (why) {
    walk.hop(item.trace, { host, at: `Hyper-V switch of the VM host (${nic})`, stage: 'wire', action: 'drop', rule: why, before: {}, after: {}, node: `nic:${host}:${nic}` });
    item.trace.verdict = 'dropped';
    item.trace.dropReason = why;
    return [];
  }
  const lanPort = walk.w.lan.hostNicPort(host, nic);
  if (lanPort === undefined) return [];
  walk.hop(item.trace, { host, at: `${nic} → LAN`, stage: 'wire', action: 'transmit', rule: null, before: {}, after: {}, node: `nic:${host}:${nic}` });
  return [{ ...item, loc: { kind: 'lan-in', port: lanPort }, frame }];
}

type Handler<K extends Location['kind']> = (walk: Walk, item: Item, loc: Extract<Location, { kind: K }>, result: WalkResult, answer: Answer) => Item[];

/** The handler of every place. */
export const PLACES: { [K in Location['kind']]: Handler<K> } = {
  route: (walk, item, loc) => route(walk, item, loc),
  'vswitch-in': (walk, item, loc) => vswitchIn(walk, item, loc),
  'port-out': (walk, item, loc) => portOut(walk, item, loc),
  'host-in': (walk, item, loc, _result, answer) => hostIn(walk, item, loc, answer),
  'lan-in': (walk, item, loc) => lanIn(walk, item, loc),
  'router-in': (walk, item, loc, _result, answer) => routerIn(walk, item, loc, answer),
  deliver: (walk, item, loc, result, answer) => deliver(walk, item, loc, result, answer),
};

/** 10/8, 172.16/12, 192.168/16 (RFC 1918). */
function isPrivate(ip: number): boolean {
  return ip >>> 24 === 10 || ip >>> 20 === 0xac1 || ip >>> 16 === 0xc0a8;
}
