/**
 * Which stage program runs at each place of a host — the architecture table, as code.
 *
 *   place                         program (guards in brackets: the steps run only for packets that match)
 *   route (compartment, stack)    parse → route(domain, originate)
 *   vSwitch port in, endpoint     parse → vlan-in → acl(VFP, out) → [to a VIP: nat(VIP LB, in) → mac-rewrite(the task's MAC)]
 *                                 → [IPv4 not to an excepted prefix: nat(VFP outbound)] → switch
 *                                 (l2tunnel: no switch; the walker hair-pins to the external port)
 *   vSwitch port in, external     parse → vlan-in → [VXLAN: vxlan-decap → parse → vlan-in]
 *                                 → (l2bridge: nat(VFP outbound, in) → [to an endpoint: mac-rewrite in]) → switch
 *   vSwitch port in, host vNIC    parse → vlan-in → switch
 *   vSwitch port out, endpoint    [from a VIP's task port: nat(VIP LB, out)] → acl(VFP, in) → vlan-out
 *   vSwitch port out, external    (l2bridge: [not the host's own MAC: mac-rewrite out])
 *                                 → (overlay: vxlan-encap, from a non-overlay port only [to a remote endpoint's MAC])
 *                                 → vlan-out
 *   vSwitch port out, host vNIC   vlan-out
 *   host stack in, uplink         parse → (routing mesh: [to the node's address and an ingress port: nat(ELB, in)
 *                                 → nat(ELB source, out)] [to its ingress-endpoint: nat(ELB source, in) → nat(ELB, out)])
 *                                 → [opens a flow: acl(host firewall, in)] → nat(WinNAT, in) → nat(VFP, in) → route(stack)
 *   host stack in, host vNIC      parse → [a localhost-forwarded reply: nat(WinNAT localhost source, in)]
 *                                 → [to 127.0.0.1: nat(WinNAT localhost, out)]
 *                                 → [a published port's reply to the host: nat(WinNAT, out)] → route(stack)
 *   host stack out, NIC           nat(WinNAT, out)
 *   NAT loopback (ws1709+)        [to the host's address and a published port: nat(WinNAT, in) → route(stack)]
 *                                 (1803+) [to 127.0.0.1 and a published port: nat(WinNAT localhost, in)
 *                                 → nat(WinNAT localhost source, out) → route(stack)]
 *   delivery into a compartment   parse → [opens a flow: acl(container firewall, in)]
 *   the LAN                       parse → vlan-in → switch → vlan-out
 *   the router                    parse → route
 *
 * VFP's unified flow table (UFT; NSDI 2017 §5): a vSwitch port's VFP layers (the steps between its
 * parse / vlan-in and its vlan-out: acl, nat, mac-rewrite, vxlan-encap, switch, and guards that read
 * only the flow's addresses, protocol and ports) run behind the port's own UFT, e.g.
 *   vSwitch port in, endpoint     parse → vlan-in → uft(the port's table: acl → [guarded nat] → switch)
 *   vSwitch port out, endpoint    uft(acl) → vlan-out
 * The first packet of a flow walks the layers and leaves an exact-match entry; later packets of the
 * flow take one lookup (assembly/stages/uft.ts). A port whose layers an entry cannot hold (decap, a
 * stage twice, a guard reading MACs or "opens a flow") runs its layers as listed above.
 *
 * Programs are compiled from a host's plan (derive.ts) when the world changes, never per packet:
 * the per-packet choices are guard steps the pipeline evaluates in the data plane over the parsed
 * packet (assembly/stages/guard.ts). Static facts of a place (its port kind, its network's driver,
 * the port a packet came in on) choose between compiled variants.
 */
import * as abi from '../abi.js';
import type { ProgramStep } from '../engine/core.js';
import type { Guard, GuardTerm } from '../table-images/guard.js';
import { HOST_DOMAIN, type PortDesc, type VSwitchDesc } from './fabric.js';
import { networkOf, outboundNatExceptions, type HostPlan, type PlaneNat, type PlaneUft } from './derive.js';
import { uftProgramError } from '../engine/loaders/uft.js';
import { ACL_HOST_FIREWALL, NAT_ELB, NAT_ELB_SOURCE, NAT_LOCALHOST, NAT_LOCALHOST_SOURCE, NAT_VFP, NAT_WINNAT, VIP_MAC_REWRITE_BASE, aclCompartment, aclEndpoint } from './numbering.js';
import { LOOPBACK_IP } from './derive.js';
import type { Driver, World } from '../model/types.js';
import { osProfile } from '../model/os.js';

/** A guard the pipeline evaluates before the steps it governs. */
interface Guarded {
  guard: Guard;
  steps: Program;
}

/** A program before guards are numbered: steps and guarded blocks. */
export type Program = (ProgramStep | Guarded)[];

const P = (stage: number, a0 = 0, a1 = 0): ProgramStep => ({ stage, a0, a1 });
/** A guarded block; a term listed twice is listed once. */
const when = (guard: Guard, ...steps: Program): Guarded => ({ guard: { ...guard, terms: [...new Map(guard.terms.map((t) => [JSON.stringify(t), t])).values()] }, steps });

/** Any IPv4 packet (a /0 destination matches every IPv4 packet and no other). */
const ANY_IPV4: GuardTerm = { dstIp: { base: 0, len: 0 } };
const OPENS_FLOW: Guard = { terms: [{ opensFlow: true }] };

export interface HostPrograms {
  /** The guards the programs name, by id (load.ts loads them into the plane). */
  guards: Guard[];
  /** The vSwitch ports' unified flow tables the programs name (load.ts configures them). */
  ufts: PlaneUft[];
  /** A station routing its own packet: parse → route(domain, originate). */
  route(domain: number): ProgramStep[];
  vswitchIngress(port: number): ProgramStep[];
  /** Egress through `port` of a frame that entered the vSwitch at `inPort`. */
  vswitchEgress(port: number, inPort: number): ProgramStep[];
  hostIngress(port: number): ProgramStep[];
  hostEgressNic: ProgramStep[];
  /** Delivery into a compartment: its own firewall judges new flows ([] when it has none). */
  compartmentIngress(domain: number): ProgramStep[];
  /** NAT loopback: WinNAT maps the host's own address and a published port ([] when the OS has none). */
  loopback: ProgramStep[];
  /** l2tunnel: the external port an endpoint's frames are hair-pinned through. */
  hairpin(port: number): number | null;
  /** D_CTX for a frame entering the vSwitch at a port: the overlay network's VNI, else the vSwitch id. */
  context(port: number): number;
  /** The host's uplink: a NIC of the host stack, or the host vNIC of an external vSwitch. */
  isUplink(port: number): boolean;
  /** The unicast MACs the host stack takes in at a port besides the port's own: the node's
   *  ingress-endpoint at the routing mesh's host vNIC. */
  alsoAccepts(port: number): number[];
}

/** Numbers the guards of compiled programs (one table per plane) and flattens guarded blocks. */
class GuardTable {
  readonly guards: Guard[] = [];
  private readonly ids = new Map<string, number>();

  flatten(program: Program): ProgramStep[] {
    const out: ProgramStep[] = [];
    for (const s of program) {
      if ('stage' in s) {
        out.push(s);
        continue;
      }
      const inner = this.flatten(s.steps);
      if (!inner.length) continue;
      out.push(P(abi.STAGE_GUARD, this.id(s.guard), inner.length), ...inner);
    }
    return out;
  }

  private id(g: Guard): number {
    const key = JSON.stringify(g);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.guards.length;
      this.guards.push(g);
      this.ids.set(key, id);
    }
    return id;
  }
}

/** Flows a port's UFT holds at first (64 KiB of entries, taken when the port's first TCP or UDP
 *  packet arrives). It doubles when an insert would replace a live flow, keeping every entry
 *  (assembly/stages/uft.ts, uftGrow), up to SIM_UFT_MAX_FLOWS. */
export const SIM_UFT_CAPACITY = 1024;
/** The most flows a port's UFT grows to: 4 × the flows of the largest flood (64,512), 16 MiB of
 *  entries and 2 MiB of buckets (the regions it outgrew, half as much, stay for other tables). Past
 *  it, a new flow replaces a way's flow, which walks the layers again when it comes back. */
export const SIM_UFT_MAX_FLOWS = 1 << 18;

let uftEnabled = true;

/** Whether vSwitch ports run their layers behind a UFT (on by default; off gives the layers' own
 *  walk for every packet, which the fast path must equal: tests/property/sim-uft.test.ts). Takes
 *  effect for hosts compiled after the call. */
export function setSimUft(on: boolean): void {
  uftEnabled = on;
}

/** A program with a UFT step, and the program it stands for (its layers in place of the uft step):
 *  trace events of a walk inside the UFT carry that program's step numbers. (A property of the
 *  array, not a WeakMap: tens of thousands of live keys made every major GC slow.) */
type UftProgram = ProgramStep[] & { slow?: readonly ProgramStep[] };

/** The program without UFT steps that `program` runs (itself when it has none). */
export function slowProgram(program: readonly ProgramStep[]): readonly ProgramStep[] {
  return (program as UftProgram).slow ?? program;
}

/** Can a guard be decided once per flow: do its terms read only a UFT entry's key? */
function keyOnly(g: Guard): boolean {
  return g.terms.every((t) => t.srcMac === undefined && t.dstMac === undefined && t.opensFlow === undefined && ((t.flags ?? 0) & ~(abi.F_FRAGMENT | abi.F_ARP)) === 0);
}

/** Gives vSwitch port programs their UFT: the steps between the port's parse / vlan-in and its
 *  vlan-out become the UFT's layer program when an entry can hold them. */
class UftTable {
  readonly ufts: PlaneUft[] = [];

  constructor(private readonly guards: GuardTable) {}

  wrap(program: ProgramStep[]): ProgramStep[] {
    if (!uftEnabled) return program;
    let a = 0;
    while (a < program.length && (program[a].stage === abi.STAGE_PARSE || program[a].stage === abi.STAGE_VLAN_IN)) a++;
    let b = program.length;
    if (b > a && program[b - 1].stage === abi.STAGE_VLAN_OUT) b--;
    const layers = program.slice(a, b);
    if (!layers.some((s) => s.stage !== abi.STAGE_GUARD) || uftProgramError(layers)) return program;
    if (layers.some((s) => s.stage === abi.STAGE_GUARD && !keyOnly(this.guards.guards[s.a0 ?? 0]))) return program;
    const id = this.ufts.length + 1;
    this.ufts.push({ id, capacity: SIM_UFT_CAPACITY, maxCapacity: SIM_UFT_MAX_FLOWS, layers });
    const fast: UftProgram = [...program.slice(0, a), P(abi.STAGE_UFT, id), ...program.slice(b)];
    fast.slow = program;
    return fast;
  }
}

/** What every place's compiler reads: the host's plan and a few facts derived once from it. */
interface Ctx {
  world: World;
  plan: HostPlan;
  /** Whether the plane has a NAT instance. */
  nat(id: number): boolean;
  /** The plane's ACL rule set ids. */
  acls: Set<number>;
  winnat: PlaneNat | undefined;
  driverOf(p: PortDesc): Driver | undefined;
  vsOf(p: PortDesc): VSwitchDesc;
  uplink(p: PortDesc): boolean;
  /** A VIP's load balancer: new connections to the VIP in, the task's answers from its ports out. */
  toVip: Program;
  fromVipTask: Program;
}

function context(world: World, plan: HostPlan): Ctx {
  const fab = plan.fabric;
  const vsOf = (p: PortDesc) => fab.vswitches[p.vswitch - 1];
  return {
    world,
    plan,
    nat: (id) => plan.contents.nat.some((n) => n.id === id),
    acls: new Set(plan.contents.acl.map((a) => a.id)),
    winnat: plan.contents.nat.find((n) => n.id === NAT_WINNAT),
    driverOf: (p) => (p.endpoint ? networkOf(world, plan.host, p.endpoint)?.driver : undefined),
    vsOf,
    uplink: (p) => p.kind === 'nic' || (p.kind === 'vnic' && vsOf(p)?.model.type === 'External'),
    toVip: plan.vips.map((b) => when({ terms: [{ dstIp: { base: b.vip, len: 32 } }] }, P(abi.STAGE_NAT, b.nat, 1), P(abi.STAGE_MAC_REWRITE, VIP_MAC_REWRITE_BASE + b.nat, 1))),
    fromVipTask: plan.vips.map((b) => when({ terms: b.tasks.flatMap((t) => b.ports.map((port) => ({ srcIp: { base: t.ip, len: 32 }, sport: { lo: port, hi: port } }))) }, P(abi.STAGE_NAT, b.nat, 0))),
  };
}

/** vSwitch port in: endpoint (VFP layers), external (decap, l2bridge NAT and rewrite), host vNIC. */
function portIngress(c: Ctx, port: PortDesc): Program {
  const vs = c.vsOf(port);
  const steps: Program = [P(abi.STAGE_PARSE), P(abi.STAGE_VLAN_IN, vs.id)];
  if (port.kind === 'endpoint') {
    const ep = port.endpoint!;
    steps.push(P(abi.STAGE_ACL, aclEndpoint(port.id), 1), ...c.toVip);
    if (ep.outboundNat) {
      const exceptions = outboundNatExceptions(networkOf(c.world, c.plan.host, ep), ep).map((dstIp): GuardTerm => ({ dstIp }));
      steps.push(when({ terms: [ANY_IPV4] }, when({ terms: exceptions, negate: true }, P(abi.STAGE_NAT, NAT_VFP, 0))));
    }
    // l2tunnel: no switching here; the walker hair-pins the frame through the external port.
    if (c.driverOf(port) !== 'l2tunnel') steps.push(P(abi.STAGE_SWITCH, vs.id));
    return steps;
  }
  const drivers = new Set(vs.networks.map((n) => n.driver));
  if (port.kind === 'external') {
    // The inner frame is parsed again and enters the overlay network's (untagged) VLAN.
    if (drivers.has('overlay')) steps.push(when({ terms: [{ flags: abi.F_VXLAN }] }, P(abi.STAGE_VXLAN_DECAP, 0), P(abi.STAGE_PARSE), P(abi.STAGE_VLAN_IN, vs.id)));
    if (drivers.has('l2bridge')) {
      if (c.nat(NAT_VFP)) steps.push(P(abi.STAGE_NAT, NAT_VFP, 1));
      const rw = c.plan.contents.macRewrite.find((m) => m.id === vs.id);
      const terms: GuardTerm[] = (rw?.endpoints ?? []).map((e) => ({ dstIp: { base: e.ip, len: 32 } }));
      // ARP to an endpoint carries its address in the ARP header: every ARP frame is offered to the
      // rewrite, which leaves the ones for other stations alone.
      terms.push({ flags: abi.F_ARP });
      steps.push(when({ terms }, P(abi.STAGE_MAC_REWRITE, vs.id, 1)));
    }
  }
  steps.push(P(abi.STAGE_SWITCH, vs.id));
  return steps;
}

/** vSwitch port out; for an external port, `fromOverlay` says the frame came in at an overlay endpoint. */
function portEgress(c: Ctx, port: PortDesc, fromOverlay: boolean): Program {
  const vs = c.vsOf(port);
  if (port.kind === 'endpoint') return [...c.fromVipTask, P(abi.STAGE_ACL, aclEndpoint(port.id), 0), P(abi.STAGE_VLAN_OUT, vs.id)];
  if (port.kind !== 'external') return [P(abi.STAGE_VLAN_OUT, vs.id)];
  const steps: Program = [];
  if (vs.networks.some((n) => n.driver === 'l2bridge')) steps.push(when({ terms: [{ srcMac: port.mac }], negate: true }, P(abi.STAGE_MAC_REWRITE, vs.id, 0)));
  const vx = c.plan.contents.vxlan;
  // Overlay frames never leave unencapsulated: encap finds the remote endpoint's tunnel or drops.
  if (vx && fromOverlay) steps.push(P(abi.STAGE_VXLAN_ENCAP, 0));
  else if (vx?.tunnels.length) steps.push(when({ terms: vx.tunnels.map((t) => ({ dstMac: t.mac })) }, P(abi.STAGE_VXLAN_ENCAP, 0)));
  steps.push(P(abi.STAGE_VLAN_OUT, vs.id));
  return steps;
}

/** Packets to the node's address and a published ingress port (none without the routing mesh). */
function meshToNode(c: Ctx): GuardTerm[] {
  const pa = c.plan.providerAddress;
  if (!pa || !c.nat(NAT_ELB)) return [];
  return (c.plan.ingress?.ports ?? []).map((p) => ({ dstIp: { base: pa, len: 32 }, proto: p.proto, dport: { lo: p.published, hi: p.published } }));
}

/** The host stack, for a frame arriving through a NIC or a host vNIC. */
function hostIngress(c: Ctx, port: PortDesc): Program {
  const steps: Program = [P(abi.STAGE_PARSE)];
  const w = c.winnat;
  if (!c.uplink(port) && w) {
    if (c.nat(NAT_LOCALHOST)) {
      // A published service answering a localhost connection: the source mapping gives the answer
      // back its loopback destination (a miss passes: the host's own connection), then the port
      // mapping its 127.0.0.1 source.
      const answers = (dst: number): GuardTerm[] => w.staticMappings.map((m) => ({ dstIp: { base: dst, len: 32 }, srcIp: { base: m.internalIp, len: 32 }, sport: { lo: m.internalPort, hi: m.internalPort } }));
      steps.push(when({ terms: answers(w.externalIp) }, P(abi.STAGE_NAT, NAT_LOCALHOST_SOURCE, 1)));
      steps.push(when({ terms: answers(LOOPBACK_IP) }, P(abi.STAGE_NAT, NAT_LOCALHOST, 0)));
    }
    // A published service answering the host itself (NAT loopback): WinNAT reverses the mapping.
    const terms = w.staticMappings.map((m): GuardTerm => ({ dstIp: { base: w.externalIp, len: 32 }, srcIp: { base: m.internalIp, len: 32 }, sport: { lo: m.internalPort, hi: m.internalPort } }));
    steps.push(when({ terms }, P(abi.STAGE_NAT, NAT_WINNAT, 0)));
  }
  const ig = c.plan.ingress;
  const mesh = meshToNode(c);
  if (c.uplink(port) && ig && mesh.length) {
    // The routing mesh (VFP's ELB on the node, before the host's own layers): a published ingress
    // port of the node's address goes to a task, from the node's ingress-endpoint; the task's answer
    // to that endpoint goes back to the client from the node's address and port.
    steps.push(when({ terms: mesh }, P(abi.STAGE_NAT, NAT_ELB, 1), P(abi.STAGE_NAT, NAT_ELB_SOURCE, 0)));
    steps.push(when({ terms: [{ dstIp: { base: ig.sourceIp, len: 32 } }] }, P(abi.STAGE_NAT, NAT_ELB_SOURCE, 1), P(abi.STAGE_NAT, NAT_ELB, 0)));
  }
  if (c.uplink(port)) {
    // The Windows Firewall is stateful: it judges the first packet of an inbound flow, before
    // WinNAT maps a published port; replies of flows it allowed are not judged again.
    steps.push(when(OPENS_FLOW, P(abi.STAGE_ACL, ACL_HOST_FIREWALL, 0)));
    // WinNAT: replies of outbound sessions and static mappings (a miss is traffic for the host).
    if (c.nat(NAT_WINNAT)) steps.push(P(abi.STAGE_NAT, NAT_WINNAT, 1));
    if (c.nat(NAT_VFP)) steps.push(P(abi.STAGE_NAT, NAT_VFP, 1));
  }
  steps.push(P(abi.STAGE_ROUTE, HOST_DOMAIN));
  return steps;
}

/** NAT loopback (ws1709+): packets to the host's own address, and from 1803 to 127.0.0.1, and a published port go through WinNAT. */
function loopback(c: Ctx): Program {
  const w = c.winnat;
  const mesh = meshToNode(c);
  // The routing mesh answers the node itself on its own address (moby #39065: hostname:port works
  // on ws2019 where localhost:port does not).
  const program: Program = mesh.length ? [when({ terms: mesh }, P(abi.STAGE_NAT, NAT_ELB, 1), P(abi.STAGE_NAT, NAT_ELB_SOURCE, 0), P(abi.STAGE_ROUTE, HOST_DOMAIN, 1))] : [];
  if (!w || !osProfile(c.plan.host.os).natLoopback || !w.staticMappings.length) return program;
  const ranges = publishedRanges(w.staticMappings);
  const to = (dst: number): GuardTerm[] => ranges.map((r) => ({ dstIp: { base: dst, len: 32 }, proto: r.proto, dport: { lo: r.lo, hi: r.hi } }));
  program.push(when({ terms: to(w.externalIp) }, P(abi.STAGE_NAT, NAT_WINNAT, 1), P(abi.STAGE_ROUTE, HOST_DOMAIN, 1)));
  if (c.nat(NAT_LOCALHOST)) {
    program.push(when({ terms: to(LOOPBACK_IP) }, P(abi.STAGE_NAT, NAT_LOCALHOST, 1), P(abi.STAGE_NAT, NAT_LOCALHOST_SOURCE, 0), P(abi.STAGE_ROUTE, HOST_DOMAIN, 1)));
  }
  return program;
}

/** Published ports as ranges per protocol, in the order of their first port: `-p 1-65535` is one
 *  guard term per protocol, not 65,535. */
function publishedRanges(mappings: readonly { proto: number; externalPort: number }[]): { proto: number; lo: number; hi: number }[] {
  const sorted = [...mappings].sort((a, b) => a.proto - b.proto || a.externalPort - b.externalPort);
  const out: { proto: number; lo: number; hi: number }[] = [];
  for (const m of sorted) {
    const last = out.at(-1);
    if (last && last.proto === m.proto && m.externalPort <= last.hi + 1) last.hi = Math.max(last.hi, m.externalPort);
    else out.push({ proto: m.proto, lo: m.externalPort, hi: m.externalPort });
  }
  return out;
}

/** Delivery into a compartment: the container's own firewall judges new flows. */
function compartmentIngress(c: Ctx, domain: number): Program {
  if (!c.acls.has(aclCompartment(domain))) return [];
  return [P(abi.STAGE_PARSE), when(OPENS_FLOW, P(abi.STAGE_ACL, aclCompartment(domain), 0))];
}

export function compilePrograms(world: World, plan: HostPlan): HostPrograms {
  const fab = plan.fabric;
  const c = context(world, plan);
  const g = new GuardTable();
  const u = new UftTable(g);
  const byPort = <T>(f: (p: PortDesc) => T | undefined) => new Map(fab.ports.flatMap((p) => ((v) => (v === undefined ? [] : [[p.id, v] as const]))(f(p))));
  const ingress = byPort((p) => (p.kind === 'nic' ? undefined : u.wrap(g.flatten(portIngress(c, p)))));
  const egress = byPort((p) => (p.kind === 'nic' ? undefined : u.wrap(g.flatten(portEgress(c, p, false)))));
  const egressFromOverlay = byPort((p) => (p.kind === 'external' ? u.wrap(g.flatten(portEgress(c, p, true))) : undefined));
  const hostIn = byPort((p) => (p.kind === 'nic' || p.kind === 'vnic' ? g.flatten(hostIngress(c, p)) : undefined));
  const compartmentIn = new Map(fab.domains.filter((d) => d.id !== HOST_DOMAIN).map((d) => [d.id, g.flatten(compartmentIngress(c, d.id))]));
  const hairpin = byPort((p) => (c.driverOf(p) === 'l2tunnel' ? fab.ports.find((x) => x.vswitch === p.vswitch && x.kind === 'external')?.id : undefined));
  const ctx = byPort((p) => {
    const net = p.endpoint ? networkOf(world, plan.host, p.endpoint) : undefined;
    if (net?.driver === 'overlay' && net.vni) return net.vni;
    // The host vNIC of the routing mesh's vSwitch sends into the ingress network (to remote tasks).
    if (p.kind === 'vnic' && plan.ingress && c.vsOf(p)?.networks.some((n) => n.vni === plan.ingress!.vni)) return plan.ingress.vni;
    return p.vswitch;
  });
  const portOf = new Map(fab.ports.map((p) => [p.id, p]));
  const routes = new Map(fab.domains.map((d) => [d.id, [P(abi.STAGE_PARSE), P(abi.STAGE_ROUTE, d.id, 1)]]));
  const loop = g.flatten(loopback(c));
  const fromOverlay = (id: number) => {
    const p = portOf.get(id);
    return !!p && p.kind === 'endpoint' && c.driverOf(p) === 'overlay';
  };
  return {
    guards: g.guards,
    ufts: u.ufts,
    route: (domain) => routes.get(domain) ?? [P(abi.STAGE_PARSE), P(abi.STAGE_ROUTE, domain, 1)],
    vswitchIngress: (port) => ingress.get(port) ?? [],
    vswitchEgress: (port, inPort) => (fromOverlay(inPort) ? egressFromOverlay.get(port) : undefined) ?? egress.get(port) ?? [],
    hostIngress: (port) => hostIn.get(port) ?? [P(abi.STAGE_PARSE), P(abi.STAGE_ROUTE, HOST_DOMAIN)],
    hostEgressNic: c.nat(NAT_WINNAT) ? [P(abi.STAGE_NAT, NAT_WINNAT, 0)] : [],
    compartmentIngress: (domain) => compartmentIn.get(domain) ?? [],
    loopback: loop,
    hairpin: (port) => hairpin.get(port) ?? null,
    context: (port) => ctx.get(port) ?? 0,
    isUplink: (port) => {
      const p = portOf.get(port);
      return !!p && c.uplink(p);
    },
    alsoAccepts: (port) => {
      const p = portOf.get(port);
      return p && ctx.get(port) === plan.ingress?.vni && p.kind === 'vnic' ? [plan.ingress!.sourceMac] : [];
    },
  };
}

/** The LAN switch: every frame in a LAN port goes through the same program. */
export const LAN_SWITCH: readonly ProgramStep[] = [P(abi.STAGE_PARSE), P(abi.STAGE_VLAN_IN, 1), P(abi.STAGE_SWITCH, 1), P(abi.STAGE_VLAN_OUT, 1)];
/** The router: routes between the LAN and the internet. */
export const ROUTER: readonly ProgramStep[] = [P(abi.STAGE_PARSE), P(abi.STAGE_ROUTE, 1)];
