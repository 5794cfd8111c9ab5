/**
 * Reference twin of assembly/stages/nat.ts and assembly/tables/nat-table.ts (WinNAT), written the
 * plain way: Maps keyed by strings instead of hash indexes, host-order numbers read through a
 * DataView, one packet at a time. The stage header comment in assembly/stages/nat.ts is the
 * specification. What must match the WebAssembly core exactly, because tests compare it:
 * - session indexes: a stack of free indexes, initially popping 0, 1, 2, ...; a freed index is
 *   pushed on top (reused first);
 * - ports: one FIFO ring per class (TCP, UDP, ICMP identifiers), fresh = the range ascending minus
 *   published ports; a released port goes to the tail;
 * - reclaim order: lazy on lookup (the session found), else when the table or a pool runs short,
 *   every expired session in ascending index order;
 * - timeouts, checksums (RFC 1624 eqn. 3, in the same order of updates), trace events, counters.
 */
import * as abi from '../../abi.js';
import { csumUpdate16, csumUpdate32 } from '../../wire/checksum.js';
import {
  type NormalizedNatConfig, type NatSessionInfo, type NatMappingInfo, SF_IN_USE, SF_STATIC, SF_SEEN_OUT,
  SF_SEEN_IN, SF_CLOSING, protocolName, protocolNumber, sessionState, compareMappings,
} from '../../table-images/nat.js';
import { intToIp } from '../../wire/ipv4.js';
import { flowHash, fmix32 } from '../../table-images/flow-hash.js';
import { DROP } from '../drops.js';
import { RefCore, registerStage, refTablesChanged } from './core.js';


const DROP_NO_MAPPING = DROP.NAT_NO_MAPPING;
const DROP_POOL_EXHAUSTED = DROP.NAT_POOL_EXHAUSTED;
const DROP_TABLE_FULL = DROP.NAT_TABLE_FULL;
const DROP_UNSUPPORTED = DROP.NAT_UNSUPPORTED;

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const NEVER = 0xffffffff;

interface RefMapping {
  proto: number;
  intAddr: number;
  intPort: number;
  extPort: number;
  refs: number;
}

interface RefSession {
  proto: number;
  intAddr: number;
  remAddr: number;
  extAddr: number;
  /** Host order; ICMP: intPort = the container's identifier, remPort = 0, extPort = the external one. */
  intPort: number;
  remPort: number;
  extPort: number;
  flags: number;
  expiry: number;
  created: number;
  /** The dynamic mapping, or null for a published port's session. */
  mapping: RefMapping | null;
}

interface Pool {
  ring: number[];
  head: number;
  count: number;
}

interface RefNatInstance {
  cfg: NormalizedNatConfig;
  sessions: (RefSession | null)[];
  free: number[];
  count: number;
  /** Session keys (`fwdKey` / `revKey`) → session index. */
  keys: Map<string, number>;
  /** `${proto}|${addr}|${port}` → dynamic mapping. */
  maps: Map<string, RefMapping>;
  /** `${proto}|${externalPort}` → static mapping index. */
  staticExt: Map<string, number>;
  /** `${proto}|${addr}|${port}` → first static mapping index of that internal endpoint. */
  staticInt: Map<string, number>;
  pools: Pool[];
  poolsFrozen: boolean;
  nextExpiry: number;
}

interface RefNatState {
  now: number;
  /** natClock of assembly/tables/nat-table.ts: moved with every change of `now`; its 16-bit wrap
   *  moves the tables generation (the UFT's entries keep 16 bits of it). */
  clock: number;
  instances: (RefNatInstance | undefined)[];
  /** The fragment ring (assembly/tables/nat-fragments.ts): FRAG_SLOTS entries, `cursor` the oldest. */
  frags: (FragEntry | null)[];
  cursor: number;
}

/** A first fragment's translation, remembered for the later fragments of its datagram. */
interface FragEntry {
  /** The instance id (the WebAssembly core keys by the instance's record, which a reload keeps). */
  id: number;
  key: string;
  session: number;
  expiry: number;
}

const FRAG_SLOTS = 256;
const FRAG_TTL = 60;
const DROP_FRAGMENT_UNKNOWN = DROP.NAT_FRAGMENT_UNKNOWN;

function state(core: RefCore): RefNatState {
  let s = core.tables.get('nat') as RefNatState | undefined;
  if (!s) {
    s = { now: 0, clock: 1, instances: [], frags: new Array<FragEntry | null>(FRAG_SLOTS).fill(null), cursor: 0 };
    core.tables.set('nat', s);
  }
  return s;
}

const cls = (proto: number): number => (proto === TCP ? 0 : proto === UDP ? 1 : 2);
const fwdKey = (s: RefSession): string => `0|${s.proto}|${s.intAddr}|${s.remAddr}|${s.intPort}|${s.remPort}`;
const revKey = (s: RefSession): string => `1|${s.proto}|${s.remAddr}|${s.extAddr}|${s.remPort}|${s.extPort}`;
const endpointKey = (proto: number, a: number, p: number): string => `${proto}|${a}|${p}`;

function isInternal(inst: RefNatInstance, a: number): boolean {
  return inst.cfg.internalPrefixes.some((p) => ((a & p.mask) >>> 0) === p.network);
}

// ---- pools ----

function poolPush(inst: RefNatInstance, c: number, port: number): void {
  if (inst.poolsFrozen) return;
  const pool = inst.pools[c];
  const size = inst.cfg.portLast - inst.cfg.portFirst + 1;
  if (pool.count >= size) return;
  pool.ring[(pool.head + pool.count) % size] = port;
  pool.count++;
}

function poolPop(inst: RefNatInstance, c: number): number {
  const pool = inst.pools[c];
  const size = inst.cfg.portLast - inst.cfg.portFirst + 1;
  const port = pool.ring[pool.head];
  pool.head = (pool.head + 1) % size;
  pool.count--;
  return port;
}

function rebuildPools(inst: RefNatInstance): void {
  const held = [new Set<number>(), new Set<number>(), new Set<number>()];
  for (const m of inst.maps.values()) held[cls(m.proto)].add(m.extPort);
  inst.pools = [0, 1, 2].map(() => ({ ring: [], head: 0, count: 0 }));
  for (let c = 0; c < 3; c++) {
    for (let p = inst.cfg.portFirst; p <= inst.cfg.portLast; p++) {
      if (c < 2 && inst.staticExt.has(`${c === 0 ? TCP : UDP}|${p}`)) continue;
      if (held[c].has(p)) continue;
      poolPush(inst, c, p);
    }
  }
}

// ---- sessions ----

function sessionFree(inst: RefNatInstance, idx: number): void {
  const s = inst.sessions[idx]!;
  inst.keys.delete(fwdKey(s));
  inst.keys.delete(revKey(s));
  const m = s.mapping;
  if (m && --m.refs === 0) {
    inst.maps.delete(endpointKey(m.proto, m.intAddr, m.intPort));
    poolPush(inst, cls(m.proto), m.extPort);
  }
  inst.sessions[idx] = null;
  inst.free.push(idx);
  inst.count--;
}

function reclaimExpired(inst: RefNatInstance, now: number): void {
  let next = NEVER;
  for (let i = 0; i < inst.sessions.length; i++) {
    const s = inst.sessions[i];
    if (!s) continue;
    if (now >= s.expiry) sessionFree(inst, i);
    else next = Math.min(next, s.expiry);
  }
  inst.nextExpiry = next;
}

/** Lookup with lazy expiry. */
function findLive(inst: RefNatInstance, key: string, now: number): number {
  const idx = inst.keys.get(key);
  if (idx === undefined) return -1;
  if (now >= inst.sessions[idx]!.expiry) {
    sessionFree(inst, idx);
    return -1;
  }
  return idx;
}

function sessionAdd(inst: RefNatInstance, s: RefSession): number {
  const idx = inst.free.pop()!;
  inst.sessions[idx] = s;
  inst.keys.set(fwdKey(s), idx);
  inst.keys.set(revKey(s), idx);
  inst.count++;
  return idx;
}

function tableFull(inst: RefNatInstance, now: number): boolean {
  if (inst.count < inst.cfg.capacity) return false;
  reclaimExpired(inst, now);
  return inst.count >= inst.cfg.capacity;
}

function createOutbound(inst: RefNatInstance, now: number, proto: number, src: number, dst: number, sport: number, dport: number): number {
  if (tableFull(inst, now)) return -DROP_TABLE_FULL;
  let extPort: number;
  let mapping: RefMapping | null = null;
  let flags = 0;
  const t = proto === ICMP ? undefined : inst.staticInt.get(endpointKey(proto, src, sport));
  if (t !== undefined) {
    extPort = inst.cfg.staticMappings[t].externalPort;
    flags = SF_STATIC;
  } else {
    let m = inst.maps.get(endpointKey(proto, src, sport));
    if (!m) {
      const c = cls(proto);
      if (inst.pools[c].count === 0) {
        reclaimExpired(inst, now);
        if (inst.pools[c].count === 0) return -DROP_POOL_EXHAUSTED;
      }
      m = { proto, intAddr: src, intPort: sport, extPort: poolPop(inst, c), refs: 0 };
      inst.maps.set(endpointKey(proto, src, sport), m);
    }
    m.refs++;
    extPort = m.extPort;
    mapping = m;
  }
  return sessionAdd(inst, {
    proto, intAddr: src, remAddr: dst, extAddr: inst.cfg.externalAddress, intPort: sport, remPort: dport, extPort,
    flags: flags | SF_IN_USE, expiry: now, created: now, mapping,
  });
}

/** A load balancer's choice among `count` backends for a new flow of hash `h` (twin of lbPick in
 *  assembly/tables/nat-table.ts). */
export function lbPick(h: number, seed: number, count: number): number {
  return fmix32((h ^ seed) | 0) % count;
}

/** How many consecutive mappings from `first` share its protocol and external port (a load balancer's backends). */
function staticGroup(inst: RefNatInstance, first: number): number {
  if (!inst.cfg.loadBalance) return 1;
  const ms = inst.cfg.staticMappings;
  let n = 1;
  while (first + n < ms.length && ms[first + n].protocol === ms[first].protocol && ms[first + n].externalPort === ms[first].externalPort) n++;
  return n;
}

function createInbound(inst: RefNatInstance, now: number, proto: number, src: number, sport: number, dport: number): number {
  if (proto === ICMP) return -DROP_NO_MAPPING;
  const first = inst.staticExt.get(`${proto}|${dport}`);
  if (first === undefined) return -DROP_NO_MAPPING;
  const group = staticGroup(inst, first);
  const t = group > 1 ? first + lbPick(flowHash(src, inst.cfg.externalAddress, ((sport << 16) | dport) >>> 0, proto), inst.cfg.lbSeed, group) : first;
  const m = inst.cfg.staticMappings[t];
  if (!isInternal(inst, m.internalAddress) || isInternal(inst, src)) return -DROP_NO_MAPPING;
  if (tableFull(inst, now)) return -DROP_TABLE_FULL;
  const s: RefSession = {
    proto, intAddr: m.internalAddress, remAddr: src, extAddr: inst.cfg.externalAddress, intPort: m.internalPort,
    remPort: sport, extPort: dport, flags: SF_STATIC | SF_IN_USE, expiry: now, created: now, mapping: null,
  };
  // The internal endpoint already reaches this remote endpoint through another external port.
  if (findLive(inst, fwdKey(s), now) >= 0) return -DROP_NO_MAPPING;
  return sessionAdd(inst, s);
}

function touch(inst: RefNatInstance, s: RefSession, dir: number, tcpFlags: number, created: boolean, now: number): void {
  s.flags |= dir === 0 ? SF_SEEN_OUT : SF_SEEN_IN;
  const t = inst.cfg.timeouts;
  if (s.proto === TCP) {
    if (tcpFlags & 0x05) s.flags |= SF_CLOSING;
    const established = (s.flags & (SF_SEEN_OUT | SF_SEEN_IN | SF_CLOSING)) === (SF_SEEN_OUT | SF_SEEN_IN);
    s.expiry = Math.min(now + (established ? t.tcpEstablished : t.tcpTransient), NEVER);
  } else if (s.proto === UDP) {
    if (created || dir === 0 || inst.cfg.udpInboundRefresh) s.expiry = Math.min(now + t.udpIdle, NEVER);
  } else {
    s.expiry = Math.min(now + t.icmpQuery, NEVER);
  }
  inst.nextExpiry = Math.min(inst.nextExpiry, s.expiry);
}

// ---- the stage ----

function natStage(core: RefCore, n: number, a0: number, a1: number): number {
  const st = state(core);
  const inst = st.instances[a0];
  if (!inst) throw new Error('nat: instance not configured');
  if (a1 > 1) throw new Error('nat: direction must be 0 or 1');
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    if (!natPacket(core, st, a0, inst, i, a1)) drop++;
  }
  core.count(abi.STAGE_NAT, abi.C_IN, inN);
  core.count(abi.STAGE_NAT, abi.C_PASS, inN - drop);
  core.count(abi.STAGE_NAT, abi.C_DROP, drop);
  core.count(abi.STAGE_NAT, abi.C_DONE, 0);
  return n;
}

/** Returns false when the packet was dropped. */
function natPacket(core: RefCore, st: RefNatState, id: number, inst: RefNatInstance, i: number, dir: number): boolean {
  const now = st.now;
  const dv = core.view();
  const d = core.desc(i);
  const STAGE = abi.STAGE_NAT;
  const pass = (): boolean => {
    core.trace(i, STAGE, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
    return true;
  };
  /** Dropped, or with inboundMissPasses an inbound miss / untranslatable packet passes untranslated. */
  const refuse = (reason: number): boolean => {
    if (dir === 1 && inst.cfg.inboundMissPasses && (reason === DROP_NO_MAPPING || reason === DROP_UNSUPPORTED || reason === DROP_FRAGMENT_UNKNOWN)) return pass();
    core.drop(i, STAGE, reason);
    return false;
  };
  const data = dv.getUint32(d + abi.D_DATA, true);
  const l3 = dv.getUint8(d + abi.D_L3);
  if (dv.getUint16(d + abi.D_ETHERTYPE, true) !== 0x0800 || l3 === 0) return pass();
  const ip = data + l3;
  const src = dv.getUint32(ip + 12);
  const dst = dv.getUint32(ip + 16);
  if (dir === 0) {
    if (!isInternal(inst, src) || isInternal(inst, dst)) return pass();
  } else if (dst !== inst.cfg.externalAddress) {
    return pass();
  }
  const proto = dv.getUint8(d + abi.D_PROTO);
  let l4 = data + dv.getUint8(d + abi.D_L4);
  let ipId = -1;
  const fragKey = `${id}|${dir}|${proto}|${src}|${dst}|${dv.getUint16(ip + 4)}`;
  if (dv.getUint8(d + abi.D_FLAGS) & abi.F_FRAGMENT) {
    if (dv.getUint16(ip + 6) & 0x1fff) {
      // A later fragment: the session its first fragment used, while live with the same key.
      const idx = fragFind(st, id, fragKey);
      const s = idx < 0 ? null : inst.sessions[idx];
      const same = s && s.proto === proto && (dir === 0 ? s.intAddr === src && s.remAddr === dst : s.remAddr === src && s.extAddr === dst);
      if (!s || !same || now >= s.expiry) return refuse(DROP_FRAGMENT_UNKNOWN);
      const oldAddr = dir === 0 ? src : dst;
      const newAddr = dir === 0 ? s.extAddr : s.intAddr;
      dv.setUint32(ip + (dir === 0 ? 12 : 16), newAddr);
      dv.setUint16(ip + 10, csumUpdate32(dv.getUint16(ip + 10), oldAddr, newAddr));
      core.trace(i, STAGE, abi.A_TRANSLATE, idx, abi.FIELD_NONE, 0n, 0n);
      if (oldAddr !== newAddr) core.trace(i, STAGE, abi.A_TRANSLATE, idx, dir === 0 ? abi.FIELD_IP_SRC : abi.FIELD_IP_DST, BigInt(oldAddr), BigInt(newAddr));
      dv.setUint32(d + abi.D_AUX, idx, true);
      return true;
    }
    // The first fragment carries the L4 header.
    const ihl = (dv.getUint8(ip) & 15) * 4;
    if (dv.getUint16(ip + 2) < ihl + (proto === TCP ? 20 : 8)) return refuse(DROP_UNSUPPORTED);
    l4 = ip + ihl;
    ipId = dv.getUint16(ip + 4);
  }
  let sport: number;
  let dport: number;
  if (proto === TCP || proto === UDP) {
    sport = dv.getUint16(l4);
    dport = dv.getUint16(l4 + 2);
  } else if (proto === ICMP && inst.cfg.translateIcmp && dv.getUint8(l4) === (dir === 0 ? 8 : 0)) {
    const id = dv.getUint16(l4 + 4);
    sport = dir === 0 ? id : 0;
    dport = dir === 0 ? 0 : id;
  } else {
    return refuse(DROP_UNSUPPORTED);
  }
  let idx = findLive(inst, `${dir}|${proto}|${src}|${dst}|${sport}|${dport}`, now);
  let created = false;
  if (idx < 0) {
    idx = dir === 0
      ? createOutbound(inst, now, proto, src, dst, sport, dport)
      : createInbound(inst, now, proto, src, sport, dport);
    if (idx < 0) return refuse(-idx);
    created = true;
  }
  const s = inst.sessions[idx]!;
  touch(inst, s, dir, proto === TCP ? dv.getUint8(l4 + 13) : 0, created, now);
  const action = created ? abi.A_CREATE : abi.A_TRANSLATE;
  core.trace(i, STAGE, action, idx, abi.FIELD_NONE, 0n, 0n);

  // Rewrite: address, then port / identifier; checksums IPv4, then L4 (address, then port).
  const addrAt = ip + (dir === 0 ? 12 : 16);
  const portAt = proto === ICMP ? l4 + 4 : l4 + (dir === 0 ? 0 : 2);
  const oldAddr = dir === 0 ? src : dst;
  const newAddr = dir === 0 ? s.extAddr : s.intAddr;
  const oldPort = dv.getUint16(portAt);
  const newPort = dir === 0 ? s.extPort : s.intPort;
  dv.setUint32(addrAt, newAddr);
  dv.setUint16(portAt, newPort);
  dv.setUint16(ip + 10, csumUpdate32(dv.getUint16(ip + 10), oldAddr, newAddr));
  if (proto === TCP) {
    dv.setUint16(l4 + 16, csumUpdate16(csumUpdate32(dv.getUint16(l4 + 16), oldAddr, newAddr), oldPort, newPort));
  } else if (proto === UDP) {
    const c0 = dv.getUint16(l4 + 6);
    if (c0 !== 0) {
      const c = csumUpdate16(csumUpdate32(c0, oldAddr, newAddr), oldPort, newPort);
      dv.setUint16(l4 + 6, c === 0 ? 0xffff : c);
    }
  } else {
    dv.setUint16(l4 + 2, csumUpdate16(dv.getUint16(l4 + 2), oldPort, newPort));
  }
  if (oldAddr !== newAddr) {
    core.trace(i, STAGE, action, idx, dir === 0 ? abi.FIELD_IP_SRC : abi.FIELD_IP_DST, BigInt(oldAddr), BigInt(newAddr));
  }
  if (oldPort !== newPort) {
    const field = proto === ICMP ? abi.FIELD_ICMP_ID : dir === 0 ? abi.FIELD_SPORT : abi.FIELD_DPORT;
    core.trace(i, STAGE, action, idx, field, BigInt(oldPort), BigInt(newPort));
  }
  dv.setUint32(d + abi.D_AUX, idx, true);
  if (core.uftNotes?.[i]) core.uftNotes[i].natSession = idx;
  if (ipId >= 0) {
    st.frags[st.cursor] = { id, key: fragKey, session: idx, expiry: Math.min(now + FRAG_TTL, NEVER) };
    st.cursor = (st.cursor + 1) % FRAG_SLOTS;
  }
  return true;
}

/** The newest remembered entry of the datagram: its session, or -1 (none, or expired). */
function fragFind(st: RefNatState, id: number, key: string): number {
  for (let k = 1; k <= FRAG_SLOTS; k++) {
    const e = st.frags[(st.cursor + FRAG_SLOTS - k) % FRAG_SLOTS];
    if (e && e.id === id && e.key === key) return st.now < e.expiry ? e.session : -1;
  }
  return -1;
}

/** Is session `idx` of instance `id` still the live session of this TCP/UDP flow (in use, same key,
 *  not expired)? The unified flow table's check (reference/uft.ts), as natSessionHolds. */
export function refNatSessionHolds(
  core: RefCore, id: number, dir: number, idx: number, proto: number, src: number, dst: number, sport: number, dport: number,
): boolean {
  const st = state(core);
  const s = st.instances[id]?.sessions[idx];
  if (!s || s.proto !== proto) return false;
  const same = dir === 0
    ? s.intAddr === src && s.remAddr === dst && s.intPort === sport && s.remPort === dport
    : s.remAddr === src && s.extAddr === dst && s.remPort === sport && s.extPort === dport;
  return same && st.now < s.expiry;
}

registerStage(abi.STAGE_NAT, natStage);

// ---- control plane (called through src/engine/loaders/nat.ts) ----

function emptyInstance(cfg: NormalizedNatConfig): RefNatInstance {
  const cap = cfg.capacity;
  const free = new Array<number>(cap);
  for (let k = 0; k < cap; k++) free[k] = cap - 1 - k;
  return {
    cfg, sessions: new Array<RefSession | null>(cap).fill(null), free, count: 0, keys: new Map(), maps: new Map(),
    staticExt: new Map(), staticInt: new Map(), pools: [], poolsFrozen: false, nextExpiry: NEVER,
  };
}

function indexStatics(inst: RefNatInstance): void {
  inst.staticExt.clear();
  inst.staticInt.clear();
  inst.cfg.staticMappings.forEach((m, t) => {
    const proto = protocolNumber(m.protocol);
    // A load balancer's group is named by its first mapping.
    if (!inst.staticExt.has(`${proto}|${m.externalPort}`)) inst.staticExt.set(`${proto}|${m.externalPort}`, t);
    const k = endpointKey(proto, m.internalAddress, m.internalPort);
    // A load balancer's backends share a port: their own outbound flows take pool ports.
    if (!inst.cfg.loadBalance && !inst.staticInt.has(k)) inst.staticInt.set(k, t);
  });
}

function consistent(inst: RefNatInstance, s: RefSession): boolean {
  if (!isInternal(inst, s.intAddr) || isInternal(inst, s.remAddr)) return false;
  if (s.proto === ICMP && !inst.cfg.translateIcmp) return false;
  if (s.flags & SF_STATIC) {
    const t = inst.staticExt.get(`${s.proto}|${s.extPort}`);
    if (t === undefined) return false;
    const group = staticGroup(inst, t);
    for (let k = 0; k < group; k++) {
      const m = inst.cfg.staticMappings[t + k];
      if (m.internalAddress === s.intAddr && m.internalPort === s.intPort) return true;
    }
    return false;
  }
  if (s.extPort < inst.cfg.portFirst || s.extPort > inst.cfg.portLast) return false;
  if (s.proto !== ICMP) {
    if (inst.staticExt.has(`${s.proto}|${s.extPort}`)) return false;
    if (inst.staticInt.has(endpointKey(s.proto, s.intAddr, s.intPort))) return false;
  }
  return true;
}

/** Loads (or reloads) instance `id`; the same rules as natConfigure in assembly/tables/nat-table.ts. */
export function loadRefNat(core: RefCore, id: number, cfg: NormalizedNatConfig): void {
  refTablesChanged(core);
  const st = state(core);
  const old = st.instances[id];
  let inst: RefNatInstance;
  if (!old || old.cfg.capacity !== cfg.capacity || old.cfg.externalAddress !== cfg.externalAddress) {
    inst = emptyInstance(cfg);
    indexStatics(inst);
  } else {
    inst = old;
    inst.cfg = cfg;
    indexStatics(inst);
    inst.poolsFrozen = true;
    let next = NEVER;
    for (let i = 0; i < inst.sessions.length; i++) {
      const s = inst.sessions[i];
      if (!s) continue;
      if (st.now >= s.expiry || !consistent(inst, s)) sessionFree(inst, i);
      else next = Math.min(next, s.expiry);
    }
    inst.nextExpiry = next;
    inst.poolsFrozen = false;
  }
  rebuildPools(inst);
  st.instances[id] = inst;
}

export function flushRefNat(core: RefCore, id: number): void {
  refTablesChanged(core);
  const st = state(core);
  const inst = st.instances[id];
  if (!inst) return;
  const fresh = emptyInstance(inst.cfg);
  indexStatics(fresh);
  rebuildPools(fresh);
  st.instances[id] = fresh;
}

export function setRefNatClock(core: RefCore, seconds: number): void {
  const st = state(core);
  if (seconds === st.now) return;
  st.now = seconds;
  st.clock = (st.clock + 1) >>> 0;
  if ((st.clock & 0xffff) === 0) {
    st.clock++;
    refTablesChanged(core);
  }
}

export function refNatClock(core: RefCore): number {
  return state(core).now;
}

export function refNatConfig(core: RefCore, id: number): NormalizedNatConfig | undefined {
  return state(core).instances[id]?.cfg;
}

export function refNatSessions(core: RefCore, id: number): NatSessionInfo[] {
  const inst = state(core).instances[id];
  if (!inst) return [];
  const out: NatSessionInfo[] = [];
  inst.sessions.forEach((s, index) => {
    if (!s) return;
    out.push({
      index,
      protocol: protocolName(s.proto),
      internalAddress: intToIp(s.intAddr),
      internalPort: s.intPort,
      externalAddress: intToIp(s.extAddr),
      externalPort: s.extPort,
      remoteAddress: intToIp(s.remAddr),
      remotePort: s.remPort,
      published: (s.flags & SF_STATIC) !== 0,
      state: sessionState(s.proto, s.flags),
      createdAt: s.created,
      expiresAt: s.expiry,
    });
  });
  return out;
}

export function refNatDynamicMappings(core: RefCore, id: number): NatMappingInfo[] {
  const inst = state(core).instances[id];
  if (!inst) return [];
  return [...inst.maps.values()]
    .map((m) => ({
      protocol: protocolName(m.proto),
      internalAddress: intToIp(m.intAddr),
      internalPort: m.intPort,
      externalAddress: intToIp(inst.cfg.externalAddress),
      externalPort: m.extPort,
      published: false,
      sessions: m.refs,
    }))
    .sort(compareMappings);
}

export function refNatSessionCount(core: RefCore, id: number): number {
  return state(core).instances[id]?.count ?? 0;
}

export function refNatPoolFree(core: RefCore, id: number): [number, number, number] {
  const inst = state(core).instances[id];
  return inst ? [inst.pools[0].count, inst.pools[1].count, inst.pools[2].count] : [0, 0, 0];
}

