/**
 * Writes a plane's contents (derive.ts) into a data-plane core with the stages' loaders, and names
 * the table entries trace events point at. A table is reloaded only when its contents changed, so
 * learned FDB entries and NAT sessions survive commands that do not touch them.
 */
import * as abi from '../abi.js';
import type { PacketCore } from '../engine/core.js';
import { loadAcl, unloadAcl } from '../engine/loaders/acl.js';
import { loadFdb } from '../engine/loaders/fdb.js';
import { loadRoutes, loadNeighbors, unloadRoutingDomain } from '../engine/loaders/routes.js';
import { loadVlanPorts } from '../engine/loaders/vlan-ports.js';
import { loadEndpointMap, setHostMac } from '../engine/loaders/endpoint-map.js';
import { loadVtepTable } from '../engine/loaders/vxlan.js';
import { loadNat } from '../engine/loaders/nat.js';
import type { Route } from '../table-images/routes.js';
import { ACL_VERDICT_CACHE_DEFAULT } from '../table-images/acl-classifier.js';
import { formatIp as ipText, formatMac as macText } from '../addr.js';
import { isVipNat, natKind, VIP_MAC_REWRITE_BASE } from './numbering.js';
import type { PlaneContents } from './derive.js';
import type { FastPathBuilt, PacketKey } from './walk-types.js';
import { byId } from './fabric-index.js';
import { fastPathRule } from './hops.js';
import { loadGuard } from '../engine/loaders/guard.js';
import { configureUft } from '../engine/loaders/uft.js';
import { hostPortsMessage } from '../model/capacity.js';

/** FDB capacity of a simulated vSwitch (learning beyond it is refused and counted); static entries
 *  (its endpoints, an overlay's remote endpoints) always fit, with room to learn 1,024 more. */
const SIM_FDB_CAPACITY = 4096;
const SIM_FDB_LEARN_ROOM = 1024;
/** Port numbers of a plane are 16 bits in a frame's descriptor; 0xfffe and 0xffff mean "none" and "flood". */
export const MAX_PLANE_PORTS = abi.OUT_PORT_NONE - 1;
/** NAT session capacity of a simulated WinNAT. */
const SIM_NAT_CAPACITY = 16384;
/** Rule sets of fewer rules have no verdict cache (32 KiB each): classifying them costs no more than
 *  a cache lookup, and a host holds one per port and per compartment. */
const SIM_ACL_CACHE_MIN_RULES = 16;

/**
 * Whether two table contents are equal as JSON would write them (a property holding undefined is
 * absent). Compared in place, stopping at the first difference: a compartment's neighbour list grows
 * with every address it learned, and writing both lists out on each reload cost O(n) strings.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i] ?? null, y[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    n++;
    if (!same(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

function routesOf(d: PlaneContents['domains'][number]): Route[] {
  const routes: Route[] = d.routes.map((r) => ({ prefix: r.prefix, len: r.len, kind: 'forward', ifIndex: r.port, ifMac: r.srcMac, gateway: r.nextHop }));
  for (const ip of d.local) routes.push({ prefix: ip, len: 32, kind: 'local' });
  return routes;
}

/** Reloads one routing domain's neighbour table (a neighbour learned by ARP). */
export function loadDomainNeighbors(core: PacketCore, domain: number, neighbors: { ip: number; mac: number }[]): void {
  loadNeighbors(core, domain, neighbors);
}

export function loadPlaneContents(core: PacketCore, t: PlaneContents, prev: PlaneContents | null): void {
  let ports = 0;
  for (const v of t.vlans) for (const p of v.ports) ports = Math.max(ports, p.port);
  if (ports > MAX_PLANE_PORTS) {
    // The model refuses the command that reaches it (checkHostPorts); this guards the plane itself.
    throw new Error(hostPortsMessage(ports));
  }
  (t.guards ?? []).forEach((g, id) => {
    if (!prev || !same(g, prev.guards?.[id])) loadGuard(core, id, g);
  });
  const vswitches = new Set([...t.fdb.map((e) => e.vswitch), ...t.vlans.map((v) => v.vswitch)]);
  for (const vs of vswitches) {
    const entries = t.fdb.filter((e) => e.vswitch === vs).map(({ mac, vlan, port }) => ({ mac, vlan, port }));
    const before = prev?.fdb.filter((e) => e.vswitch === vs).map(({ mac, vlan, port }) => ({ mac, vlan, port }));
    if (!prev || !same(entries, before)) loadFdb(core, vs, { capacity: Math.max(SIM_FDB_CAPACITY, entries.length + SIM_FDB_LEARN_ROOM), entries });
  }
  for (const v of t.vlans) {
    if (!prev || !same(v, prev.vlans.find((x) => x.vswitch === v.vswitch))) loadVlanPorts(core, v.vswitch, v.ports);
  }
  for (const d of t.domains) {
    const p = prev && byId(prev.domains, d.id);
    if (!p || !same(d.routes, p.routes) || !same(d.local, p.local)) loadRoutes(core, d.id, routesOf(d));
    if (!p || !same(d.neighbors, p.neighbors)) loadNeighbors(core, d.id, d.neighbors);
  }
  // A restarted or removed container's compartment is gone for good (ids are not reused): its
  // domain and firewall are emptied, so their images are freed.
  const domains = new Set(t.domains.map((d) => d.id));
  for (const d of prev?.domains ?? []) if (!domains.has(d.id)) unloadRoutingDomain(core, d.id);
  const sets = new Set(t.acl.map((a) => a.id));
  for (const a of prev?.acl ?? []) if (!sets.has(a.id)) unloadAcl(core, a.id);
  for (const a of t.acl) {
    const p = prev && byId(prev.acl, a.id);
    if (!p || !same(a.set, p.set)) loadAcl(core, a.id, a.set, { verdictCache: a.set.rules.length < SIM_ACL_CACHE_MIN_RULES ? 0 : ACL_VERDICT_CACHE_DEFAULT });
  }
  for (const n of t.nat) {
    const p = prev && byId(prev.nat, n.id);
    if (!p || !same(n, p)) {
      loadNat(core, n.id, {
        externalAddress: n.externalIp,
        internalPrefixes: n.internal.map((x) => `${ipText(x.base)}/${x.len}`),
        portRange: n.pool,
        capacity: SIM_NAT_CAPACITY,
        staticMappings: n.staticMappings.map((m) => ({ protocol: m.proto === 6 ? 'tcp' : 'udp', externalPort: m.externalPort, internalAddress: m.internalIp, internalPort: m.internalPort })),
        translateIcmp: n.translateIcmp,
        inboundMissPasses: true,
        loadBalance: !!n.loadBalance,
        lbSeed: n.loadBalance?.seed ?? 0,
      });
    }
  }
  for (const m of t.macRewrite) {
    const p = prev && byId(prev.macRewrite, m.id);
    if (!p || p.hostMac !== m.hostMac) setHostMac(core, m.id, m.hostMac);
    if (!p || !same(m.endpoints, p.endpoints)) loadEndpointMap(core, m.id, m.endpoints);
  }
  // A port's UFT is configured again (emptied) only when its layers change; any other table load
  // retires its entries through the tables generation.
  for (const u of t.ufts ?? []) {
    const p = prev?.ufts && byId(prev.ufts, u.id);
    if (!p || !same(u, p)) configureUft(core, u.id, { capacity: u.capacity, maxCapacity: u.maxCapacity, layers: u.layers });
  }
  if (t.vxlan && (!prev || !same(t.vxlan, prev.vxlan))) {
    const vx = t.vxlan;
    loadVtepTable(core, 0, {
      localAddresses: vx.localVteps,
      localMac: vx.tunnels[0]?.outerSrcMac ?? 0,
      networks: vx.vnis.map((v) => ({ network: v.ctx, vni: v.vni })),
      tunnels: vx.tunnels.map((tu) => ({
        network: vx.vnis.find((v) => v.vni === tu.vni)?.ctx ?? 0,
        mac: tu.mac,
        remoteAddress: tu.remotePa,
        nextHopMac: tu.outerDstMac,
        localAddress: tu.localPa,
        localMac: tu.outerSrcMac,
      })),
    });
  }
}

/** Words for the table entry a trace event names (the hop's `rule`), and the script line behind it. */
export function describeEntry(
  t: PlaneContents | undefined,
  stage: number,
  entry: number,
  action: number,
  a0: number,
  portName: (port: number) => string,
  pkt?: PacketKey,
  built?: FastPathBuilt,
): { text: string; line?: number; builtBy?: string[] } | null {
  if (!t) return null;
  switch (stage) {
    case abi.STAGE_UFT: {
      // A fast-path hit: the entry, and what the flow's first packet met in the port's layers.
      const u = t.ufts && byId(t.ufts, a0);
      if (!u) return null;
      const builtBy: string[] = [];
      let line: number | undefined;
      const acl = u.layers.find((s) => s.stage === abi.STAGE_ACL);
      if (acl && built) {
        const d = describeEntry(t, abi.STAGE_ACL, built.aclRule, abi.A_ALLOW, acl.a0 ?? 0, portName, pkt);
        if (d) builtBy.push(d.text);
        line = d?.line;
      }
      const nat = u.layers.find((s) => s.stage === abi.STAGE_NAT);
      if (nat && built && built.natSession !== 0xffffffff) {
        const d = describeEntry(t, abi.STAGE_NAT, built.natSession, abi.A_TRANSLATE, nat.a0 ?? 0, portName, pkt);
        if (d) builtBy.push(d.text);
        line ??= d?.line;
      }
      return { text: fastPathRule(entry, builtBy), builtBy, ...(line !== undefined ? { line } : {}) };
    }
    case abi.STAGE_ACL: {
      const set = byId(t.acl, a0);
      if (!set) return null;
      if (entry < 0) {
        const d = set.set.defaultAction;
        const which = typeof d === 'string' ? d : `in ${d.in}, out ${d.out}`;
        return { text: `${set.name}: no rule matched, default ${which}${set.set.semantics === 'vfp' ? ' (priority 65500)' : ''}` };
      }
      const r = set.set.rules[entry];
      if (!r) return null;
      return { text: `${set.name}: rule "${r.id}"${set.set.semantics === 'vfp' ? ` (priority ${r.priority})` : ''} ${r.action}`, line: set.lines[entry] };
    }
    case abi.STAGE_NAT: {
      const n = byId(t.nat, a0);
      if (!n) return null;
      const kind = isVipNat(a0) ? `${natKind(a0)} (VIP ${ipText(n.externalIp)})` : natKind(a0);
      // A published port (or a VIP's port) the packet came in on, or answers from: its script line.
      const m = pkt && n.staticMappings.find((x) => x.proto === pkt.proto && ((pkt.dst === n.externalIp && x.externalPort === pkt.dport) || (x.internalIp === pkt.src && x.internalPort === pkt.sport)));
      const line = m ? { line: m.line } : {};
      if (action === abi.A_CREATE) return { text: `${kind}: new session, external ${ipText(n.externalIp)}${m ? ` (published port ${m.externalPort})` : ''}`, ...line };
      if (action === abi.A_TRANSLATE) return { text: `${kind}: session ${entry}${m ? ` (published port ${m.externalPort})` : ''}`, ...line };
      return { text: kind };
    }
    case abi.STAGE_ROUTE: {
      const d = byId(t.domains, a0);
      const r = d && entry >= 0 ? d.routes[entry] : undefined;
      if (!r) return action === abi.A_LOCAL ? { text: 'local address' } : null;
      const dest = `${ipText(r.prefix)}/${r.len}`;
      const iface = portName(r.port);
      return { text: `route ${dest} ${r.nextHop ? `via ${ipText(r.nextHop)}` : 'on-link'} dev ${iface}`, ...(r.line !== undefined ? { line: r.line } : {}) };
    }
    case abi.STAGE_SWITCH: {
      if (entry < 0) return action === abi.A_FLOOD ? { text: 'unknown destination: flooded to the VLAN' } : null;
      return null;
    }
    case abi.STAGE_VXLAN_ENCAP:
    case abi.STAGE_VXLAN_DECAP: {
      const tu = t.vxlan?.tunnels[entry];
      if (stage === abi.STAGE_VXLAN_ENCAP && tu) return { text: `remote endpoint ${macText(tu.mac)} on provider address ${ipText(tu.remotePa)} (VNI ${tu.vni})`, ...(tu.line !== undefined ? { line: tu.line } : {}) };
      return null;
    }
    case abi.STAGE_MAC_REWRITE: {
      const m = byId(t.macRewrite, a0);
      const e = m && entry >= 0 ? m.endpoints[entry] : undefined;
      if (e && a0 >= VIP_MAC_REWRITE_BASE) return { text: `the load balancer's task ${ipText(e.ip)} is ${macText(e.mac)}` };
      if (e) return { text: `l2bridge endpoint ${ipText(e.ip)} is ${macText(e.mac)}` };
      return m ? { text: `l2bridge: container frames carry the host MAC ${macText(m.hostMac)}` } : null;
    }
    default:
      return null;
  }
}
