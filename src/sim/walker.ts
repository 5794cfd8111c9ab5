/**
 * The packet walker: moves real frames across the simulated hosts and wires, running each host's
 * data plane at every place a packet passes (compartment routing, vSwitch ports and their VFP layers,
 * the host stack with WinNAT, the LAN, the router, the internet), and hands frames that reach their
 * destination to the station that owns the address, which answers (ARP reply, echo reply, SYN-ACK or
 * RST, DNS answer). Each packet's hops are collected into a PacketTrace.
 */
import * as abi from '../abi.js';
import type { ProgramStep } from '../engine/core.js';
import { dropReason } from '../engine/drops.js';
import type { Hop, PacketTrace } from '../result.js';
import { buildFrame, describeFrame, type FrameSpec } from '../wire/build.js';
import { toHex } from '../wire/bytes.js';
import { formatIp } from '../addr.js';
import { frameView } from './frame-view.js';
import { fabricIndex } from './fabric-index.js';
import { eventsToHops } from './hops.js';
import { slowProgram } from './programs.js';
import type { Plane, PlaneOut } from './planes.js';
import { HOST_DOMAIN, type DomainDesc, type PortDesc, type InterfaceDesc } from './fabric.js';
import { stationKey, type Station } from './station.js';
import { SIM_DROPS } from './sim-drops.js';
import { PLACES, type Walk } from './places.js';
import { domainNode, ipDst, isArpReply, lpm, portNode, stationNode, tidyFloods } from './walk-support.js';
import type { Answer, Item, Location, RecordedPlace, WalkResult, WalkWorld } from './walk-types.js';

export type { Station } from './station.js';
export type { Delivery, LanLayout, RecordedPlace, WalkResult, WalkWorld } from './walk-types.js';

/**
 * Stages whose untouched passes are not listed as hops: parsing and VLAN classification happen at
 * every place, and VFP's MAC rewrite layer is offered every ARP frame on an l2bridge external port
 * (a guard cannot read the ARP target) and leaves the ones for other stations alone.
 */
const QUIET_PASS = new Set(['parse', 'vlan', 'mac-rewrite']);

/** More places than any real path passes: the walk is in a loop. */
const MAX_STEPS = 64;

/**
 * Walks a frame that `from` sends, and everything it causes (ARP exchanges, answers), until nothing
 * moves. `maxAnswers` bounds the answer chain (a request and its reply = 1).
 */
export class Walker implements Walk {
  constructor(readonly w: WalkWorld) {}

  /** The walk in progress: ARP exchanges add their packets to it. */
  private current: WalkResult | null = null;

  /** When set, the places the first packet of a walk passes are recorded (flood replays them in batches). */
  private recording: { trace: PacketTrace | null; places: RecordedPlace[] } | null = null;

  /** Walks one frame like send() and returns the places (plane + program) its own trace passed through. */
  record(from: Station, frame: Uint8Array): { result: WalkResult; places: RecordedPlace[] } {
    const rec = { trace: null as PacketTrace | null, places: [] as RecordedPlace[] };
    this.recording = rec;
    try {
      const result = this.send(from, frame, { answers: 0, onFirstTrace: (t) => (rec.trace = t) });
      return { result, places: rec.places };
    } finally {
      this.recording = null;
    }
  }


  send(from: Station, frame: Uint8Array, opts: { answers?: number; onFirstTrace?(t: PacketTrace): void } = {}): WalkResult {
    const result: WalkResult = { packets: [], deliveries: [] };
    this.current = result;
    const queue: Item[] = [];
    // The later fragments of a datagram each start once everything before them has moved (a
    // stack sends them in order; the first, which ARP may hold, stays ahead of the rest).
    const later: { st: Station; frame: Uint8Array }[] = [];
    let started = 0;
    const launch = (st: Station, f: Uint8Array): void => {
      started++;
      const trace: PacketTrace = { summary: describeFrame(f), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
      result.packets.push(trace);
      queue.push({ loc: this.origin(st, f), frame: f, trace, steps: 0 });
    };
    const start = (st: Station, f0: Uint8Array): void => {
      const [first, ...rest] = this.w.stations.transmit(st, this.w.stations.fixL2(st, f0));
      if (!first) return;
      launch(st, first);
      for (const f of rest) later.push({ st, frame: f });
    };
    start(from, frame);
    opts.onFirstTrace?.(result.packets[0]);
    let answersLeft = opts.answers ?? 1;
    let guard = 0;
    // Every item ends within MAX_STEPS places; a flood adds items (one per port of its VLAN), and
    // fragments one each: the bound grows with them, so a flood to every endpoint of a full
    // network, or a datagram of 45 fragments each way, completes.
    const copies0 = this.copies;
    while ((queue.length || later.length) && guard++ < 2000 + MAX_STEPS * (this.copies - copies0 + started)) {
      if (!queue.length) {
        const next = later.shift()!;
        launch(next.st, next.frame);
        continue;
      }
      const item = queue.shift()!;
      const next = this.step(item, result, (st, f) => {
        // An ARP exchange always completes; other answers are bounded.
        if (!frameView(f).arp) {
          if (answersLeft <= 0) return;
          answersLeft--;
        }
        start(st, f);
      });
      queue.push(...next);
    }
    for (const p of result.packets) if (p.verdict === 'timeout' && p.hops.length && p.hops[p.hops.length - 1].action === 'drop') p.verdict = 'dropped';
    result.packets = tidyFloods(result.packets.filter((p) => !this.prune.has(p)));
    this.prune.clear();
    this.current = null;
    return result;
  }

  /** Where a station's own frames start. */
  private origin(st: Station, frame: Uint8Array): Location {
    // ARP is not routed: it leaves through the interface whose MAC sent it.
    const arp = frameView(frame).arp;
    if (arp && (st.kind === 'compartment' || st.kind === 'host')) {
      const ix = fabricIndex(this.w.fabric(st.host));
      const dom = ix.domain(st.kind === 'host' ? HOST_DOMAIN : st.domain);
      const iface = dom?.interfaces.find((i) => i.mac === arp.sha) ?? dom?.interfaces.find((i) => i.ip === arp.spa);
      const port = iface && ix.port(iface.port);
      if (port?.kind === 'nic') {
        const lanPort = this.w.lan.hostNicPort(st.host, port.nic!);
        if (lanPort !== undefined) return { kind: 'lan-in', port: lanPort };
      } else if (port) return { kind: 'vswitch-in', host: st.host, port: port.id };
    }
    switch (st.kind) {
      case 'compartment':
        return { kind: 'route', host: st.host, domain: st.domain };
      case 'host':
        return { kind: 'route', host: st.host, domain: HOST_DOMAIN };
      case 'client': {
        const port = this.w.lan.clientPort(st.name);
        if (port !== undefined) return { kind: 'lan-in', port };
        return { kind: 'router-in', fromInternet: true };
      }
      case 'router':
        return { kind: 'lan-in', port: this.w.lan.routerPort };
      case 'internet':
        return { kind: 'router-in', fromInternet: true };
    }
  }

  hop(trace: PacketTrace, h: Hop): void {
    trace.hops.push(h);
  }

  capture(trace: PacketTrace, at: string, frame: Uint8Array): void {
    trace.frames!.push({ at, hex: toHex(frame) });
    this.w.capture?.(at, frame);
  }

  /**
   * Runs a program at a place and folds its events into hops. With one output the hops go on the
   * item's trace; a flood's replicas each get a trace of their own (a copy of the history so far).
   */
  runAt(plane: Plane, host: string | 'lan', at: string, item: Item, inPort: number, program: ProgramStep[], ctx = 0, node?: string): (PlaneOut & { trace: PacketTrace })[] {
    if (program.length === 0) return [{ frame: item.frame, desc: null, events: [], trace: item.trace }];
    if (this.recording && item.trace === this.recording.trace) this.recording.places.push({ plane, at, inPort, program, ctx });
    const outs = plane.run(item.frame, inPort, program, ctx, program[0].stage === abi.STAGE_PARSE ? null : item.desc ?? null);
    const view = frameView(item.frame);
    const proto = view.ip?.proto ?? 0;
    const ports = view.tcp ?? view.udp;
    const key = view.ip ? { proto, src: view.ip.src, dst: view.ip.dst, sport: ports?.sport ?? 0, dport: ports?.dport ?? 0 } : undefined;
    const hostName = host === 'lan' ? 'LAN' : host;
    const slow = slowProgram(program);
    const history = item.trace.hops.slice();
    return outs.map((o, k) => {
      const hops = eventsToHops(o.events, {
        host: hostName,
        at,
        proto,
        // The step that recorded the event names the table (a place may run NAT at several steps);
        // a walk inside a port's UFT numbers its steps as the program without the UFT would.
        describe: (stage, entry, action, step, e) => {
          const s = program[step]?.stage === stage ? program[step] : slow[step]?.stage === stage ? slow[step] : slow.find((x) => x.stage === stage);
          const built = stage === abi.STAGE_UFT ? { aclRule: Number(e.before) | 0, natSession: Number(e.after) } : undefined;
          return this.w.describe(host, stage, entry, action, s?.a0, key, built);
        },
        portName: (p) => (host === 'lan' ? this.w.lan.portName(p) : fabricIndex(this.w.fabric(host)).port(p)?.name ?? `port ${p}`),
      }).filter((h) => !(QUIET_PASS.has(h.stage) && h.action === 'pass' && !Object.keys(h.after).length));
      let trace = item.trace;
      if (k > 0) {
        trace = { ...item.trace, summary: `${item.trace.summary.replace(/ \(flooded copy \d+\)$/, '')} (flooded copy ${++this.copies})`, hops: history.slice(), frames: [...(item.trace.frames ?? [])] };
        this.current?.packets.push(trace);
      }
      if (node) for (const h of hops) h.node = node;
      trace.hops.push(...hops);
      if (o.desc && o.desc.next === abi.NEXT_DROP) {
        const reason = dropReason(o.desc.drop);
        trace.verdict = 'dropped';
        trace.dropReason = reason.text;
        if (!hops.some((h) => h.action === 'drop')) {
          trace.hops.push({ host: hostName, at, stage: 'parse', action: 'drop', rule: reason.text, before: {}, after: {}, node });
        }
      }
      return { ...o, trace };
    });
  }

  private step(item: Item, result: WalkResult, answer: Answer): Item[] {
    if (++item.steps > MAX_STEPS) {
      item.trace.verdict = 'dropped';
      item.trace.dropReason = SIM_DROPS.FORWARDING_LOOP.text;
      return [];
    }
    const handler = PLACES[item.loc.kind] as (walk: Walk, item: Item, loc: Location, result: WalkResult, answer: Answer) => Item[];
    return handler(this, item, item.loc, result, answer);
  }

  addPacket(t: PacketTrace): void {
    this.current?.packets.push(t);
  }

  /**
   * A station's NIC or stack ignores a frame not addressed to it (a flooded copy): the copy's trace is
   * dropped from the listing, the original keeps a hop that says so.
   */
  discard(item: Item, host: string, at: string): Item[] {
    if (item.trace.summary.includes('(flooded copy')) {
      this.prune.add(item.trace);
    } else {
      item.trace.hops.push({ host, at, stage: 'deliver', action: 'ignore', rule: 'not addressed to this station', before: {}, after: {} });
    }
    return [];
  }

  private copies = 0;

  /** Flood copies that reached nobody who wanted them. */
  private prune = new Set<PacketTrace>();

  portNode(host: string, port: PortDesc): string {
    return portNode(this.w.fabric(host), host, port);
  }

  domainNode(host: string, domain: number): string {
    return domainNode(this.w.fabric(host), host, domain);
  }

  stationNode(st: Station): string {
    return st.kind === 'compartment' ? this.domainNode(st.host, st.domain) : stationNode(st);
  }

  /**
   * The route stage found no neighbour for the next hop: the domain sends an ARP request out of the
   * interface, the owner answers, the neighbour is learned, and the original packet goes again.
   */
  resolve(item: Item, host: string, dom: DomainDesc): Item[] {
    const key = `${host}:${dom.id}`;
    item.arpTried ??= new Set();
    if (item.arpTried.has(key)) {
      item.trace.verdict = 'dropped';
      item.trace.dropReason = SIM_DROPS.ARP_RETRY_FAILED.text;
      return [];
    }
    item.arpTried.add(key);
    // The place that found no neighbour runs again once ARP resolved it: a flood replays it once.
    if (this.recording && this.recording.trace === item.trace) this.recording.places.pop();
    const dst = ipDst(item.frame);
    const route = lpm(dom, dst);
    if (!route) return [];
    const target = route.nextHop || dst;
    // The route stage held the packet for want of a neighbour: say so rather than "drop".
    const held = item.trace.hops[item.trace.hops.length - 1];
    if (held && held.stage === 'route' && held.action === 'drop') {
      held.action = 'arp';
      held.rule = `${held.rule ? `${held.rule}: ` : ''}next hop ${formatIp(target)} unknown, ARP request sent`;
      item.trace.verdict = 'timeout';
      item.trace.dropReason = null;
    }
    const iface = dom.interfaces.find((i) => i.port === route.port) ?? dom.interfaces[0];
    const req = buildFrame({ eth: { src: iface.mac, dst: 0xffffffffffff }, arp: { op: 'request', senderIp: iface.ip, targetIp: target }, minLength: 60 });
    const st: Station = host === 'router' ? { kind: 'router' } : dom.id === HOST_DOMAIN ? { kind: 'host', host } : { kind: 'compartment', host, domain: dom.id };
    // The ARP exchange is walked as packets of its own before the original packet is retried.
    const sub = this.sendArp(st, req, iface, host);
    this.current?.packets.push(...tidyFloods(sub.packets.filter((p) => !this.prune.has(p))));
    const resolved = sub.deliveries.some((d) => stationKey(d.station) === stationKey(st) && isArpReply(d.frame));
    if (!resolved) {
      this.hop(item.trace, { host: host === 'router' ? 'LAN' : host, at: dom.name, stage: 'route', action: 'drop', rule: `no ARP reply for ${formatIp(target)}`, before: {}, after: {} });
      item.trace.verdict = 'dropped';
      item.trace.dropReason = SIM_DROPS.NO_ARP_REPLY.text(formatIp(target));
      return [];
    }
    // Retry from the same place with the neighbour now known.
    const fromInternet = item.loc.kind === 'router-in' && item.loc.fromInternet;
    return [{ ...item, loc: host === 'router' ? { kind: 'router-in', fromInternet } : item.loc }];
  }

  private sendArp(st: Station, req: Uint8Array, iface: InterfaceDesc, host: string): WalkResult {
    const result: WalkResult = { packets: [], deliveries: [] };
    const trace: PacketTrace = { summary: describeFrame(req), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
    result.packets.push(trace);
    let loc: Location;
    if (st.kind === 'router') loc = { kind: 'lan-in', port: this.w.lan.routerPort };
    else {
      const port = fabricIndex(this.w.fabric(host)).port(iface.port)!;
      if (port.kind === 'nic') {
        const lanPort = this.w.lan.hostNicPort(host, port.nic!);
        loc = { kind: 'lan-in', port: lanPort ?? 0 };
      } else loc = { kind: 'vswitch-in', host, port: port.id };
    }
    const queue: Item[] = [{ loc, frame: req, trace, steps: 0 }];
    let guard = 0;
    const copies0 = this.copies;
    while (queue.length && guard++ < 500 + MAX_STEPS * (this.copies - copies0)) {
      const it = queue.shift()!;
      queue.push(
        ...this.step(it, result, (from, f) => {
          const t: PacketTrace = { summary: describeFrame(f), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
          result.packets.push(t);
          queue.push({ loc: this.origin(from, f), frame: f, trace: t, steps: 0 });
        }),
      );
    }
    return result;
  }

  /** Stations learn the sender of ARP replies and requests addressed to them. */
  learnFromArp(st: Station, frame: Uint8Array): void {
    const arp = frameView(frame).arp;
    if (!arp) return;
    const { spa, sha } = arp;
    if (st.kind === 'compartment') this.w.learnNeighbor(st.host, st.domain, spa, sha);
    else if (st.kind === 'host') this.w.learnNeighbor(st.host, HOST_DOMAIN, spa, sha);
    else if (st.kind === 'router') this.w.learnNeighbor('router', 1, spa, sha);
  }
}

export type { FrameSpec };
