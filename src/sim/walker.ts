/**
 * The packet walker: moves real frames across the simulated hosts and wires, running each host's
 * data plane at every place a packet passes (compartment routing, vSwitch ports and their VFP layers,
 * the host stack with WinNAT, the LAN, the router, the internet), and hands frames that reach their
 * destination to the station that owns the address, which answers (ARP reply, echo reply, SYN-ACK or
 * RST, DNS answer). Each packet's hops are collected into a PacketTrace.
 */
import * as abi from '../abi.js';
import type { Descriptor, ProgramStep } from '../engine/core.js';
import { dropCode, dropReason } from '../engine/drops.js';
import type { Hop, PacketTrace } from '../result.js';
import { buildFrame, describeFrame, type FrameSpec } from '../wire/build.js';
import { peek } from './peek.js';
import { toHex } from '../wire/bytes.js';
import { eventsToHops, ipText } from './hops.js';
import type { Plane, PlaneOut } from './planes.js';
import { HOST_DOMAIN, type HostFabric, type DomainDesc, type PortDesc, type InterfaceDesc, sameSubnet } from './fabric.js';

/** Who owns addresses and answers packets. */
export type Station =
  | { kind: 'compartment'; host: string; domain: number }
  | { kind: 'host'; host: string }
  | { kind: 'router' }
  | { kind: 'client'; name: string }
  | { kind: 'internet'; ip: number };

export function stationKey(s: Station): string {
  switch (s.kind) {
    case 'compartment': return `c:${s.host}:${s.domain}`;
    case 'host': return `h:${s.host}`;
    case 'router': return 'router';
    case 'client': return `client:${s.name}`;
    case 'internet': return `inet:${s.ip}`;
  }
}

/** Where a frame is, waiting to be processed. */
type Location =
  | { kind: 'route'; host: string; domain: number }
  | { kind: 'vswitch-in'; host: string; port: number }
  | { kind: 'port-out'; host: string; port: number }
  | { kind: 'host-in'; host: string; port: number }
  | { kind: 'lan-in'; port: number }
  | { kind: 'router-in'; fromInternet: boolean }
  | { kind: 'deliver'; station: Station; via: string };

/** A frame handed to a station. */
export interface Delivery {
  station: Station;
  frame: Uint8Array;
  trace: PacketTrace;
}

/** What the world around the walker provides: the planes, the fabric, and the stations' behaviour. */
export interface WalkWorld {
  hostPlane(host: string): Plane;
  lanPlane(): Plane;
  fabric(host: string): HostFabric;
  /** The LAN's port for a host NIC (by host and NIC name), the router's and each client's. */
  lan: LanLayout;
  /** Program pieces that depend on the model: the VFP layers of a port, WinNAT, firewalls. */
  programs: ProgramBuilder;
  /** Neighbour cache: learns and looks up (and reloads the plane's neighbour table). */
  learnNeighbor(host: string | 'router', domain: number, ip: number, mac: number): void;
  /** A station received a frame addressed to it: returns the frames it answers with (none for a reply). */
  receive(station: Station, frame: Uint8Array): Uint8Array[];
  /** Why a frame from a virtualized host is dropped by the VM host's switch, or null. */
  outerSwitchDrop(host: string, frame: Uint8Array): string | null;
  /** The station that owns IP `ip` behind the router (an internet client or the internet itself). */
  internetStation(ip: number): Station;
  /** VFP's ARP responder on an endpoint port: the reply, and why VFP knows the answer; or null. */
  arpProxy(host: string, port: PortDesc, frame: Uint8Array): { reply: Uint8Array; why: string } | null;
  /** Whether a frame delivered to a station is addressed to it (its IP, an ARP for its IP). */
  addressedTo(st: Station, frame: Uint8Array): boolean;
  /** Records a frame seen on a wire (for pcap and the flow inspector). */
  capture?(at: string, frame: Uint8Array): void;
  /** Fills in the Ethernet addresses of a frame a station without a routing plane sends (a LAN client). */
  fixL2?(st: Station, frame: Uint8Array): Uint8Array;
}

export interface LanLayout {
  routerPort: number;
  internetPort: number;
  routerMac: number;
  routerIp: number;
  routerLen: number;
  hostNicPort(host: string, nic: string): number | undefined;
  /** Who sits behind a LAN port. */
  portOwner(port: number): { kind: 'host'; host: string; nic: string } | { kind: 'router' } | { kind: 'client'; name: string } | undefined;
  clientPort(name: string): number | undefined;
  portName(port: number): string;
}

export interface ProgramBuilder {
  /** Port ingress into the vSwitch (from the compartment, the host vNIC or the wire). */
  vswitchIngress(host: string, port: PortDesc, frame: Uint8Array): ProgramStep[];
  /** Port egress out of the vSwitch. */
  vswitchEgress(host: string, port: PortDesc, frame: Uint8Array, inPort: number): ProgramStep[];
  /** The host stack, for a frame arriving through `port` (NIC or host vNIC). */
  hostIngress(host: string, port: PortDesc, frame: Uint8Array): ProgramStep[];
  /** The host stack's egress through a NIC toward the LAN (WinNAT outbound). */
  hostEgressNic(host: string, port: PortDesc): ProgramStep[];
  /** The host vNIC of an external vSwitch (the host's uplink when it holds the host address). */
  isUplink(host: string, port: PortDesc): boolean;
  /** D_CTX for a frame entering the vSwitch at a port: the overlay network's VNI, else the vSwitch. */
  contextOf(host: string, port: PortDesc): number;
  /** NAT loopback (ws1709+): the program that maps the host's own address:published port, or []. */
  loopback(host: string, frame: Uint8Array): ProgramStep[];
  /** l2tunnel: the external port an endpoint's frames are hair-pinned through, or null. */
  hairpinPort(host: string, port: PortDesc): number | null;
  /** The container's own firewall on delivery (inbound), or nothing. */
  compartmentIngress(host: string, domain: number, frame: Uint8Array): ProgramStep[];
  /** Describes a rule / entry a stage hit at a place. */
  describe(host: string | 'lan', stage: number, entry: number, action: number, a0?: number): { text: string; line?: number } | null;
}

const MAX_STEPS = 64;

/** A place a packet passed: enough to run the same program over a batch of similar packets. */
export interface RecordedPlace {
  plane: Plane;
  at: string;
  inPort: number;
  program: ProgramStep[];
  ctx: number;
}

export interface WalkResult {
  packets: PacketTrace[];
  deliveries: Delivery[];
}

interface Item {
  loc: Location;
  frame: Uint8Array;
  /** The descriptor the previous place left (offsets, VLAN, out-port), for programs without parse. */
  desc?: Descriptor | null;
  trace: PacketTrace;
  steps: number;
  /** ARP already tried for this packet at this place (one resolution per packet and place). */
  arpTried?: Set<string>;
}

/**
 * Walks a frame that `from` sends, and everything it causes (ARP exchanges, answers), until nothing
 * moves. `maxAnswers` bounds the answer chain (a request and its reply = 1).
 */
export class Walker {
  constructor(private readonly w: WalkWorld) {}

  /** The walk in progress: ARP exchanges add their packets to it. */
  private current: WalkResult | null = null;

  /** When set, the places the first packet of a walk passes are recorded (flood replays them in batches). */
  private recording: { trace: PacketTrace | null; places: RecordedPlace[] } | null = null;

  /** Walks one frame like send() and returns the places (plane + program) its own trace passed through. */
  record(from: Station, frame: Uint8Array): { result: WalkResult; places: RecordedPlace[] } {
    const rec = { trace: null as PacketTrace | null, places: [] as RecordedPlace[] };
    this.recording = rec;
    try {
      const result = this.sendRecorded(from, frame, rec);
      return { result, places: rec.places };
    } finally {
      this.recording = null;
    }
  }

  private sendRecorded(from: Station, frame: Uint8Array, rec: { trace: PacketTrace | null }): WalkResult {
    const result = this.send(from, frame, { answers: 0, onFirstTrace: (t) => (rec.trace = t) });
    return result;
  }

  send(from: Station, frame: Uint8Array, opts: { answers?: number; onFirstTrace?(t: PacketTrace): void } = {}): WalkResult {
    const result: WalkResult = { packets: [], deliveries: [] };
    this.current = result;
    const queue: Item[] = [];
    const start = (st: Station, f0: Uint8Array): void => {
      const f = this.w.fixL2 ? this.w.fixL2(st, f0) : f0;
      const trace: PacketTrace = { summary: describeFrame(f), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
      result.packets.push(trace);
      queue.push({ loc: this.origin(st, f), frame: f, trace, steps: 0 });
    };
    start(from, frame);
    opts.onFirstTrace?.(result.packets[0]);
    let answersLeft = opts.answers ?? 1;
    let guard = 0;
    while (queue.length && guard++ < 2000) {
      const item = queue.shift()!;
      const next = this.step(item, result, (st, f) => {
        // An ARP exchange always completes; other answers are bounded.
        if (!peek(f).arp) {
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
    const arp = peek(frame).arp;
    if (arp && (st.kind === 'compartment' || st.kind === 'host')) {
      const fab = this.w.fabric(st.host);
      const dom = fab.domains.find((d) => d.id === (st.kind === 'host' ? HOST_DOMAIN : st.domain));
      const iface = dom?.interfaces.find((i) => i.mac === arp.sha) ?? dom?.interfaces.find((i) => i.ip === arp.spa);
      const port = iface && fab.ports.find((p) => p.id === iface.port);
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
    void frame;
  }

  private hop(trace: PacketTrace, h: Hop): void {
    trace.hops.push(h);
  }

  private capture(trace: PacketTrace, at: string, frame: Uint8Array): void {
    trace.frames!.push({ at, hex: toHex(frame) });
    this.w.capture?.(at, frame);
  }

  /**
   * Runs a program at a place and folds its events into hops. With one output the hops go on the
   * item's trace; a flood's replicas each get a trace of their own (a copy of the history so far).
   */
  private runAt(plane: Plane, host: string | 'lan', at: string, item: Item, inPort: number, program: ProgramStep[], ctx = 0, node?: string): (PlaneOut & { trace: PacketTrace })[] {
    if (program.length === 0) return [{ frame: item.frame, desc: null, events: [], trace: item.trace }];
    if (this.recording && item.trace === this.recording.trace) this.recording.places.push({ plane, at, inPort, program, ctx });
    const outs = plane.run(item.frame, inPort, program, ctx, program[0].stage === abi.STAGE_PARSE ? null : item.desc ?? null);
    const proto = decodeProto(item.frame);
    const hostName = host === 'lan' ? 'LAN' : host;
    const history = item.trace.hops.slice();
    return outs.map((o, k) => {
      const hops = eventsToHops(o.events, {
        host: hostName,
        at,
        proto,
        describe: (stage, entry, action) => {
          const step = program.find((s) => s.stage === stage);
          return this.w.programs.describe(host, stage, entry, action, step?.a0);
        },
        portName: (p) => (host === 'lan' ? this.w.lan.portName(p) : this.w.fabric(host).ports.find((x) => x.id === p)?.name ?? `port ${p}`),
      }).filter((h) => !((h.stage === 'parse' || h.stage === 'vlan') && h.action === 'pass' && !Object.keys(h.after).length));
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

  private step(item: Item, result: WalkResult, answer: (st: Station, f: Uint8Array) => void): Item[] {
    if (++item.steps > MAX_STEPS) {
      item.trace.verdict = 'dropped';
      item.trace.dropReason = 'forwarding loop (hop limit reached)';
      return [];
    }
    const loc = item.loc;
    const next = (l: Location, frame = item.frame): Item => ({ ...item, loc: l, frame });
    switch (loc.kind) {
      case 'route': {
        const fab = this.w.fabric(loc.host);
        const dom = fab.domains.find((d) => d.id === loc.domain);
        if (!dom) return [];
        const at = loc.domain === HOST_DOMAIN ? 'host stack' : dom.name;
        // A station routing its own packet: no TTL decrement (a1 = originate).
        const outs = this.runAt(this.w.hostPlane(loc.host), loc.host, at, item, 0, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: loc.domain, a1: 1 }], 0, this.domainNode(loc.host, loc.domain));
        const o = outs[0];
        if (!o?.desc) return [];
        if (o.desc.next === abi.NEXT_DROP) {
          if (o.desc.drop === dropCode('ROUTE_NO_NEIGHBOR')) return this.resolve(item, loc.host, dom, answer);
          return [];
        }
        if (o.desc.next === abi.NEXT_LOCAL) {
          // NAT loopback: the host calling its own address on a published port goes through WinNAT.
          const loop = loc.domain === HOST_DOMAIN ? this.w.programs.loopback(loc.host, o.frame) : [];
          if (loop.length) {
            const l = this.runAt(this.w.hostPlane(loc.host), loc.host, 'WinNAT (loopback)', { ...item, frame: o.frame, desc: o.desc }, 0, loop, 0, `winnat:${loc.host}`)[0];
            if (!l?.desc || l.desc.next !== abi.NEXT_CONTINUE) return [];
            const outPort = fab.ports.find((p) => p.id === l.desc!.outPort);
            if (outPort && outPort.kind !== 'nic') return [next({ kind: 'vswitch-in', host: loc.host, port: outPort.id }, l.frame)];
          }
          const st: Station = loc.domain === HOST_DOMAIN ? { kind: 'host', host: loc.host } : { kind: 'compartment', host: loc.host, domain: loc.domain };
          return [next({ kind: 'deliver', station: st, via: at }, o.frame)];
        }
        const port = fab.ports.find((p) => p.id === o.desc!.outPort);
        if (!port) return [];
        if (port.kind === 'nic' || this.w.programs.isUplink(loc.host, port)) return this.hostEgress({ ...item, desc: o.desc }, loc.host, port, o.frame);
        return [next({ kind: 'vswitch-in', host: loc.host, port: port.id }, o.frame)];
      }
      case 'vswitch-in': {
        const fab = this.w.fabric(loc.host);
        const port = fab.ports.find((p) => p.id === loc.port)!;
        const vs = fab.vswitches[port.vswitch - 1];
        const at = `vSwitch ${vs.model.name}, ${port.name}`;
        if (port.kind === 'endpoint') this.capture(item.trace, `${loc.host} ${port.name}`, item.frame);
        // HNS programs VFP to answer ARP for what it knows (overlay gateways, remote endpoints).
        const proxied = port.kind === 'endpoint' ? this.w.arpProxy(loc.host, port, item.frame) : null;
        if (proxied) {
          this.hop(item.trace, { host: loc.host, at, stage: 'switch', action: 'arp-proxy', rule: proxied.why, before: {}, after: {}, node: this.portNode(loc.host, port) });
          item.trace.verdict = 'delivered';
          const ep = port.endpoint!;
          const st: Station = { kind: 'compartment', host: loc.host, domain: ep.compartmentId };
          const t: PacketTrace = { summary: describeFrame(proxied.reply), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
          this.current?.packets.push(t);
          return [{ loc: { kind: 'deliver', station: st, via: at }, frame: proxied.reply, trace: t, steps: 0 }];
        }
        const program = this.w.programs.vswitchIngress(loc.host, port, item.frame);
        const outs = this.runAt(this.w.hostPlane(loc.host), loc.host, at, item, port.id, program, this.w.programs.contextOf(loc.host, port), this.portNode(loc.host, port));
        const hairpin = port.kind === 'endpoint' ? this.w.programs.hairpinPort(loc.host, port) : null;
        if (hairpin !== null) {
          // l2tunnel: every frame goes to the physical (Azure) host's switch, where policy applies, and back.
          const o = outs[0];
          if (!o?.desc || o.desc.next === abi.NEXT_DROP) return [];
          this.hop(item.trace, { host: loc.host, at, stage: 'wire', action: 'hairpin', rule: 'l2tunnel: forwarded to the physical host for policy, and back through the external port', before: {}, after: {}, node: this.portNode(loc.host, port) });
          this.capture(item.trace, `${loc.host} external (l2tunnel)`, o.frame);
          return [{ ...item, loc: { kind: 'vswitch-in', host: loc.host, port: hairpin }, frame: o.frame, desc: null }];
        }
        const items: Item[] = [];
        for (const o of outs) {
          if (!o.desc || o.desc.next === abi.NEXT_DROP) continue;
          if (o.desc.next === abi.NEXT_LOCAL) {
            // VFP answered (ARP for a remote overlay endpoint) or the frame is for the vSwitch itself.
            continue;
          }
          if (o.desc.outPort === 0xfffe || o.desc.outPort === 0xffff) continue;
          items.push({ ...next({ kind: 'port-out', host: loc.host, port: o.desc.outPort }, o.frame), trace: o.trace, desc: o.desc });
        }
        return this.fork(item, items);
      }
      case 'port-out': {
        const fab = this.w.fabric(loc.host);
        const port = fab.ports.find((p) => p.id === loc.port);
        if (!port) return [];
        const vs = fab.vswitches[port.vswitch - 1];
        const at = `vSwitch ${vs.model.name}, ${port.name}`;
        const program = this.w.programs.vswitchEgress(loc.host, port, item.frame, item.desc?.inPort ?? 0);
        // The packet keeps the context (overlay network) it got on ingress.
        const outs = this.runAt(this.w.hostPlane(loc.host), loc.host, at, item, port.id, program, 0, this.portNode(loc.host, port));
        const o = outs[0];
        if (!o || (o.desc && o.desc.next === abi.NEXT_DROP)) return [];
        item.desc = o.desc ?? item.desc;
        if (port.kind === 'endpoint') {
          this.capture(item.trace, `${loc.host} ${port.name}`, o.frame);
          const ep = port.endpoint!;
          return [next({ kind: 'deliver', station: { kind: 'compartment', host: loc.host, domain: ep.compartmentId }, via: at }, o.frame)];
        }
        if (port.kind === 'vnic') return [next({ kind: 'host-in', host: loc.host, port: port.id }, o.frame)];
        // External port: the frame leaves on the host's NIC (a team member chosen by the flow's hash).
        const team = vs.model.nics;
        if (team.length > 1) {
          const member = team[(o.desc?.hash ?? 0) % team.length];
          this.hop(item.trace, { host: loc.host, at: at, stage: 'wire', action: 'team', rule: `Switch Embedded Teaming: flow hash selects ${member} of ${team.join(', ')}`, before: {}, after: {}, node: `nic:${loc.host}:${member}` });
          return this.toLan(item, loc.host, member, o.frame);
        }
        return this.toLan(item, loc.host, port.nic!, o.frame);
      }
      case 'host-in': {
        const fab = this.w.fabric(loc.host);
        const port = fab.ports.find((p) => p.id === loc.port)!;
        if (!acceptsFrame(item.frame, port.mac)) return this.discard(item, loc.host, `host stack (${port.name})`);
        const hostIfs = fab.domains.find((d) => d.id === HOST_DOMAIN)!.interfaces;
        if (peek(item.frame).arp) {
          if (isArpFor(item.frame, hostIfs)) return [next({ kind: 'deliver', station: { kind: 'host', host: loc.host }, via: `host stack (${port.name})` })];
          return this.discard(item, loc.host, `host stack (${port.name})`);
        }
        const outs = this.runAt(this.w.hostPlane(loc.host), loc.host, `host stack (${port.name})`, item, port.id, this.w.programs.hostIngress(loc.host, port, item.frame), 0, `host:${loc.host}`);
        const o = outs[0];
        if (!o?.desc) return [];
        if (o.desc.next === abi.NEXT_DROP) {
          const dom = fab.domains.find((d) => d.id === HOST_DOMAIN)!;
          if (o.desc.drop === dropCode('ROUTE_NO_NEIGHBOR')) return this.resolve({ ...item, frame: o.frame }, loc.host, dom, answer);
          return [];
        }
        if (o.desc.next === abi.NEXT_LOCAL || isArpFor(o.frame, fab.domains.find((d) => d.id === HOST_DOMAIN)!.interfaces)) {
          return [next({ kind: 'deliver', station: { kind: 'host', host: loc.host }, via: `host stack (${port.name})` }, o.frame)];
        }
        const out = fab.ports.find((p) => p.id === o.desc!.outPort);
        if (!out) return [];
        if (out.kind === 'nic' || (out.id !== port.id && this.w.programs.isUplink(loc.host, out))) return this.hostEgress({ ...item, desc: o.desc }, loc.host, out, o.frame);
        return [next({ kind: 'vswitch-in', host: loc.host, port: out.id }, o.frame)];
      }
      case 'lan-in': {
        const lan = this.w.lan;
        const owner = lan.portOwner(loc.port);
        this.capture(item.trace, 'LAN', item.frame);
        const outs = this.runAt(this.w.lanPlane(), 'lan', 'LAN switch', { ...item, desc: null }, loc.port, [
          { stage: abi.STAGE_PARSE },
          { stage: abi.STAGE_VLAN_IN, a0: 1 },
          { stage: abi.STAGE_SWITCH, a0: 1 },
          { stage: abi.STAGE_VLAN_OUT, a0: 1 },
        ], 0, 'lan');
        const items: Item[] = [];
        for (const o of outs) {
          if (!o.desc || o.desc.next === abi.NEXT_DROP) continue;
          const to = lan.portOwner(o.desc.outPort);
          if (!to) continue;
          const go = (l: Location) => items.push({ ...next(l, o.frame), trace: o.trace });
          if (to.kind === 'router') go({ kind: 'router-in', fromInternet: false });
          else if (to.kind === 'client') go({ kind: 'deliver', station: { kind: 'client', name: to.name }, via: 'LAN' });
          else {
            const fab = this.w.fabric(to.host);
            const ext = fab.ports.find((p) => p.kind === 'external' && fab.vswitches[p.vswitch - 1]?.model.nics.includes(to.nic));
            if (ext) go({ kind: 'vswitch-in', host: to.host, port: ext.id });
            else {
              const nicPort = fab.ports.find((p) => p.kind === 'nic' && p.nic === to.nic);
              if (nicPort) go({ kind: 'host-in', host: to.host, port: nicPort.id });
            }
          }
        }
        void owner;
        return this.fork(item, items);
      }
      case 'router-in': {
        const lan = this.w.lan;
        const inPort = loc.fromInternet ? lan.internetPort : lan.routerPort;
        if (!loc.fromInternet && isArpFor(item.frame, [{ ip: lan.routerIp, port: lan.routerPort, len: lan.routerLen, mac: lan.routerMac, name: 'router' }])) {
          return [next({ kind: 'deliver', station: { kind: 'router' }, via: 'router' })];
        }
        if (!loc.fromInternet && (!acceptsFrame(item.frame, lan.routerMac) || peek(item.frame).arp)) return this.discard(item, 'LAN', 'router');
        if (loc.fromInternet) this.capture(item.trace, 'internet', item.frame);
        const outs = this.runAt(this.w.lanPlane(), 'lan', loc.fromInternet ? 'router (internet side)' : 'router', item, inPort, [
          { stage: abi.STAGE_PARSE },
          { stage: abi.STAGE_ROUTE, a0: 1 },
        ], 0, 'router');
        const o = outs[0];
        if (!o?.desc) return [];
        if (o.desc.next === abi.NEXT_DROP) {
          if (o.desc.drop === dropCode('ROUTE_NO_NEIGHBOR')) {
            const mask = lan.routerLen === 0 ? 0 : (0xffffffff << (32 - lan.routerLen)) >>> 0;
            const dom: DomainDesc = {
              id: 1,
              name: 'router',
              interfaces: [{ ip: lan.routerIp, len: lan.routerLen, mac: lan.routerMac, port: lan.routerPort, name: 'router' }],
              routes: [{ prefix: (lan.routerIp & mask) >>> 0, len: lan.routerLen, nextHop: 0, port: lan.routerPort, srcMac: lan.routerMac, metric: 0 }],
            };
            return this.resolve(item, 'router', dom, answer);
          }
          return [];
        }
        if (o.desc.next === abi.NEXT_LOCAL) return [next({ kind: 'deliver', station: { kind: 'router' }, via: 'router' }, o.frame)];
        if (o.desc.outPort === lan.internetPort) {
          this.capture(item.trace, 'internet', o.frame);
          const dst = ipDst(o.frame);
          const hop: Hop = { host: 'internet', at: 'internet', stage: 'wire', action: 'forward', rule: null, before: {}, after: {}, node: 'internet' };
          this.hop(item.trace, hop);
          return [next({ kind: 'deliver', station: this.w.internetStation(dst), via: 'internet' }, o.frame)];
        }
        return [next({ kind: 'lan-in', port: lan.routerPort }, o.frame)];
      }
      case 'deliver': {
        const st = loc.station;
        if (!this.w.addressedTo(st, item.frame)) return this.discard(item, stationHost(st), loc.via);
        const hop: Hop = { host: stationHost(st), at: loc.via, stage: 'deliver', action: 'deliver', rule: null, before: {}, after: {}, node: this.stationNode(st) };
        // The container's own firewall decides before its stack sees the packet.
        if (st.kind === 'compartment') {
          const program = this.w.programs.compartmentIngress(st.host, st.domain, item.frame);
          if (program.length) {
            const outs = this.runAt(this.w.hostPlane(st.host), st.host, hop.at, item, 0, [{ stage: abi.STAGE_PARSE }, ...program], 0, hop.node);
            if (!outs[0] || (outs[0].desc && outs[0].desc.next === abi.NEXT_DROP)) return [];
          }
        }
        this.hop(item.trace, hop);
        item.trace.verdict = 'delivered';
        result.deliveries.push({ station: st, frame: item.frame, trace: item.trace });
        const learned = this.learnFromArp(st, item.frame);
        void learned;
        for (const reply of this.w.receive(st, item.frame)) answer(st, reply);
        return [];
      }
    }
  }

  /**
   * A station's NIC or stack ignores a frame not addressed to it (a flooded copy): the copy's trace is
   * dropped from the listing, the original keeps a hop that says so.
   */
  private discard(item: Item, host: string, at: string): Item[] {
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

  /** The topology node (src/result.ts NodeId) of a vSwitch port. */
  private portNode(host: string, port: PortDesc): string {
    const vs = this.w.fabric(host).vswitches[port.vswitch - 1];
    if (port.kind === 'endpoint') return `ep:${host}:${port.endpoint!.id}`;
    if (port.kind === 'vnic') return `hostvnic:${host}:${port.name}`;
    if (port.kind === 'nic') return `nic:${host}:${port.nic}`;
    return `vswitch:${host}:${vs?.model.name ?? ''}`;
  }

  /** The topology node of a routing domain: the host, or the container's (first) endpoint. */
  private domainNode(host: string, domain: number): string {
    if (domain === HOST_DOMAIN) return `host:${host}`;
    const fab = this.w.fabric(host);
    const iface = fab.domains.find((d) => d.id === domain)?.interfaces[0];
    const port = iface && fab.ports.find((p) => p.id === iface.port);
    return port ? this.portNode(host, port) : `host:${host}`;
  }

  private stationNode(st: Station): string {
    switch (st.kind) {
      case 'compartment': return this.domainNode(st.host, st.domain);
      case 'host': return `host:${st.host}`;
      case 'router': return 'router';
      case 'client': return `client:${st.name}`;
      case 'internet': return 'internet';
    }
  }

  /** Several outputs (a flood): the first keeps the trace, the others get a copy of it so far. */
  private fork(_item: Item, items: Item[]): Item[] {
    return items;
  }

  private hostEgress(item: Item, host: string, port: PortDesc, frame: Uint8Array): Item[] {
    const program = this.w.programs.hostEgressNic(host, port);
    const outs = this.runAt(this.w.hostPlane(host), host, `WinNAT (${port.name})`, { ...item, frame }, port.id, program, 0, `winnat:${host}`);
    const o = outs[0];
    if (!o || (o.desc && o.desc.next === abi.NEXT_DROP)) return [];
    // The host address may sit on the host vNIC of an external vSwitch: leave through that switch.
    if (port.kind === 'vnic') return [{ ...item, loc: { kind: 'vswitch-in', host, port: port.id }, frame: o.frame, desc: null }];
    return this.toLan(item, host, port.nic!, o.frame);
  }

  private toLan(item: Item, host: string, nic: string, frame: Uint8Array): Item[] {
    const why = this.w.outerSwitchDrop(host, frame);
    if (why) {
      this.hop(item.trace, { host, at: `Hyper-V switch of the VM host (${nic})`, stage: 'wire', action: 'drop', rule: why, before: {}, after: {}, node: `nic:${host}:${nic}` });
      item.trace.verdict = 'dropped';
      item.trace.dropReason = why;
      return [];
    }
    const lanPort = this.w.lan.hostNicPort(host, nic);
    if (lanPort === undefined) return [];
    this.hop(item.trace, { host, at: `${nic} → LAN`, stage: 'wire', action: 'transmit', rule: null, before: {}, after: {}, node: `nic:${host}:${nic}` });
    return [{ ...item, loc: { kind: 'lan-in', port: lanPort }, frame }];
  }

  /**
   * The route stage found no neighbour for the next hop: the domain sends an ARP request out of the
   * interface, the owner answers, the neighbour is learned, and the original packet goes again.
   */
  private resolve(item: Item, host: string, dom: DomainDesc, answer: (st: Station, f: Uint8Array) => void): Item[] {
    const key = `${host}:${dom.id}`;
    item.arpTried ??= new Set();
    if (item.arpTried.has(key)) {
      item.trace.verdict = 'dropped';
      item.trace.dropReason = 'next hop did not answer ARP';
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
      held.rule = `${held.rule ? `${held.rule}: ` : ''}next hop ${ipText(target)} unknown, ARP request sent`;
      item.trace.verdict = 'timeout';
      item.trace.dropReason = null;
    }
    const iface = dom.interfaces.find((i) => i.port === route.port) ?? dom.interfaces[0];
    const req = buildFrame({ eth: { src: iface.mac, dst: 0xffffffffffff }, arp: { op: 'request', senderIp: iface.ip, targetIp: target }, minLength: 60 });
    const st: Station = host === 'router' ? { kind: 'router' } : dom.id === HOST_DOMAIN ? { kind: 'host', host } : { kind: 'compartment', host, domain: dom.id };
    // The ARP exchange is walked as packets of its own before the original packet is retried.
    const sub = this.sendArp(st, req, iface, host);
    this.current?.packets.push(...tidyFloods(sub.packets.filter((p) => !this.prune.has(p))));
    void answer;
    const resolved = sub.deliveries.some((d) => stationKey(d.station) === stationKey(st) && isArpReply(d.frame));
    if (!resolved) {
      this.hop(item.trace, { host: host === 'router' ? 'LAN' : host, at: dom.name, stage: 'route', action: 'drop', rule: `no ARP reply for ${ipText(target)}`, before: {}, after: {} });
      item.trace.verdict = 'dropped';
      item.trace.dropReason = `next hop ${ipText(target)} did not answer ARP`;
      return [];
    }
    // Retry from the same place with the neighbour now known.
    return [{ ...item, loc: host === 'router' ? { kind: 'router-in', fromInternet: isFromInternet(item) } : item.loc }];
  }

  private sendArp(st: Station, req: Uint8Array, iface: InterfaceDesc, host: string): WalkResult {
    const result: WalkResult = { packets: [], deliveries: [] };
    const trace: PacketTrace = { summary: describeFrame(req), verdict: 'timeout', dropReason: null, hops: [], frames: [] };
    result.packets.push(trace);
    let loc: Location;
    if (st.kind === 'router') loc = { kind: 'lan-in', port: this.w.lan.routerPort };
    else {
      const port = this.w.fabric(host).ports.find((p) => p.id === iface.port)!;
      if (port.kind === 'nic') {
        const lanPort = this.w.lan.hostNicPort(host, port.nic!);
        loc = { kind: 'lan-in', port: lanPort ?? 0 };
      } else loc = { kind: 'vswitch-in', host, port: port.id };
    }
    const queue: Item[] = [{ loc, frame: req, trace, steps: 0 }];
    let guard = 0;
    while (queue.length && guard++ < 500) {
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
  private learnFromArp(st: Station, frame: Uint8Array): boolean {
    const arp = peek(frame).arp;
    if (!arp) return false;
    const { spa, sha } = arp;
    if (st.kind === 'compartment') this.w.learnNeighbor(st.host, st.domain, spa, sha);
    else if (st.kind === 'host') this.w.learnNeighbor(st.host, HOST_DOMAIN, spa, sha);
    else if (st.kind === 'router') this.w.learnNeighbor('router', 1, spa, sha);
    return true;
  }
}

/**
 * After a flood, the copy that reached the station it was meant for tells the packet's story: when the
 * original only reached a station that ignored it, the first surviving copy takes its place.
 */
function tidyFloods(packets: PacketTrace[]): PacketTrace[] {
  const out = packets.slice();
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    if (p.summary.includes('(flooded copy')) continue;
    const last = p.hops[p.hops.length - 1];
    if (!last || last.action !== 'ignore') continue;
    const k = out.findIndex((q) => q.summary.startsWith(`${p.summary} (flooded copy`));
    if (k < 0) continue;
    const copy = out[k];
    copy.summary = p.summary;
    out.splice(k, 1);
    out[i] = copy;
  }
  return out;
}

/** A NIC accepts frames for its own MAC and group (broadcast/multicast) frames. */
function acceptsFrame(frame: Uint8Array, mac: number): boolean {
  const p = peek(frame);
  return p.dstMac === mac || (frame[0] & 1) === 1;
}

function isFromInternet(item: Item): boolean {
  return item.loc.kind === 'router-in' && item.loc.fromInternet;
}

function stationHost(st: Station): string {
  switch (st.kind) {
    case 'compartment':
    case 'host':
      return st.host;
    case 'router':
      return 'router';
    case 'client':
      return st.name;
    case 'internet':
      return 'internet';
  }
}


export function ipDst(frame: Uint8Array): number {
  return peek(frame).ip?.dst ?? 0;
}

function decodeProto(frame: Uint8Array): number {
  return peek(frame).ip?.proto ?? 0;
}

export function ipNumOf(v: unknown): number | null {
  if (typeof v === 'number') return v >>> 0;
  if (typeof v !== 'string') return null;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (!m) return null;
  return ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
}

export function macNumOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const hex = v.replace(/[-:]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return parseInt(hex, 16);
}

function isArpReply(frame: Uint8Array): boolean {
  return peek(frame).arp?.op === 2;
}

/** An ARP packet asking for (or answering to) one of these interfaces' addresses. */
function isArpFor(frame: Uint8Array, ifs: InterfaceDesc[]): boolean {
  const arp = peek(frame).arp;
  if (!arp) return false;
  return ifs.some((i) => i.ip === arp.tpa);
}

export function lpm(dom: DomainDesc, dst: number): DomainDesc['routes'][number] | undefined {
  let best: DomainDesc['routes'][number] | undefined;
  for (const r of dom.routes) {
    if (!sameSubnet(r.prefix, dst, r.len)) continue;
    if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
  }
  return best;
}

export type { FrameSpec };
