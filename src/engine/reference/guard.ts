/**
 * Reference twin of the guard stage (assembly/stages/guard.ts, which documents the semantics): every
 * term of the guard, field by field, against the packet's headers read through its parse offsets.
 * Failing packets are parked in `core.parked` until the step after the guard's k steps
 * (RefCore.run wakes them).
 */
import * as abi from '../../abi.js';
import { refTablesChanged, registerStage, type RefCore } from './core.js';
import type { GuardTerm, NormalGuard } from '../../table-images/guard.js';

const EMPTY: NormalGuard = { terms: [], negate: false };

function guards(core: RefCore): Map<number, NormalGuard> {
  let m = core.tables.get('guard') as Map<number, NormalGuard> | undefined;
  if (!m) core.tables.set('guard', (m = new Map()));
  return m;
}

/** Called by loadGuard (src/engine/loaders/guard.ts) for the reference core, with a validated guard. */
export function refLoadGuard(core: RefCore, id: number, guard: NormalGuard): void {
  guards(core).set(id, guard);
  // A unified flow table's layer program may hold the guard (assembly/tables/guard-table.ts).
  refTablesChanged(core);
}

/** Guard evaluations a UFT entry counts (PASS_GUARD_MAX in assembly/tables/uft.ts). */
const UFT_PASS_GUARD_MAX = 7;

/** Whether every term reads only a UFT entry's key (keyOnly in assembly/stages/guard.ts). */
function keyOnly(guard: NormalGuard): boolean {
  return guard.terms.every((t) => t.srcMac === undefined && t.dstMac === undefined && t.opensFlow === undefined && ((t.flags ?? 0) & ~(abi.F_FRAGMENT | abi.F_ARP)) === 0);
}

/** What a guard can ask of a packet. */
interface PacketView {
  ipv4: boolean;
  src: number;
  dst: number;
  proto: number;
  ports?: { sport: number; dport: number };
  srcMac: number;
  dstMac: number;
  flags: number;
  opensFlow: boolean;
}

function mac(u8: Uint8Array, p: number): number {
  let v = 0;
  for (let b = 0; b < 6; b++) v = v * 256 + u8[p + b];
  return v;
}

function view(core: RefCore, i: number): PacketView {
  const dv = core.view();
  const u8 = core.bytes();
  const d = core.desc(i);
  const data = dv.getUint32(d + abi.D_DATA, true);
  const l3 = dv.getUint8(d + abi.D_L3);
  const l4 = dv.getUint8(d + abi.D_L4);
  const proto = dv.getUint8(d + abi.D_PROTO);
  const ipv4 = dv.getUint16(d + abi.D_ETHERTYPE, true) === 0x0800;
  const p: PacketView = {
    ipv4, src: 0, dst: 0, proto, srcMac: mac(u8, data + 6), dstMac: mac(u8, data), flags: dv.getUint8(d + abi.D_FLAGS), opensFlow: false,
  };
  if (!ipv4) return p;
  p.src = dv.getUint32(data + l3 + 12);
  p.dst = dv.getUint32(data + l3 + 16);
  if (l4 !== 0 && (proto === 6 || proto === 17)) p.ports = { sport: dv.getUint16(data + l4), dport: dv.getUint16(data + l4 + 2) };
  // A first fragment (offset 0) opens a flow as its datagram would, from the L4 header it carries;
  // a later fragment never does (assembly/stages/guard.ts, firstFragmentL4).
  let h = l4 !== 0 ? data + l4 : 0;
  if (l4 === 0 && p.flags & abi.F_FRAGMENT && (dv.getUint16(data + l3 + 6) & 0x1fff) === 0) {
    const hl = (u8[data + l3] & 15) * 4;
    if (dv.getUint16(data + l3 + 2) >= hl + (proto === 6 ? 14 : 8)) h = data + l3 + hl;
  }
  if (proto === 6) p.opensFlow = h !== 0 && (u8[h + 13] & 0x12) === 0x02;
  else if (proto === 17) p.opensFlow = h !== 0 && dv.getUint16(h + 2) < 49152;
  else if (proto === 1) p.opensFlow = h !== 0 && u8[h] === 8;
  else p.opensFlow = true;
  return p;
}

function inPrefix(a: number, pfx: { base: number; len: number }): boolean {
  return pfx.len === 0 || a >>> (32 - pfx.len) === pfx.base >>> (32 - pfx.len);
}

function termMatches(t: GuardTerm, p: PacketView): boolean {
  const needsIp = t.srcIp || t.dstIp || t.proto !== undefined || t.sport || t.dport;
  if (needsIp && !p.ipv4) return false;
  if (t.srcIp && !inPrefix(p.src, t.srcIp)) return false;
  if (t.dstIp && !inPrefix(p.dst, t.dstIp)) return false;
  if (t.proto !== undefined && p.proto !== t.proto) return false;
  if ((t.sport || t.dport) && !p.ports) return false;
  if (t.sport && (p.ports!.sport < t.sport.lo || p.ports!.sport > t.sport.hi)) return false;
  if (t.dport && (p.ports!.dport < t.dport.lo || p.ports!.dport > t.dport.hi)) return false;
  if (t.srcMac !== undefined && p.srcMac !== t.srcMac) return false;
  if (t.dstMac !== undefined && p.dstMac !== t.dstMac) return false;
  if (t.flags !== undefined && (p.flags & t.flags) !== t.flags) return false;
  if (t.opensFlow !== undefined && p.opensFlow !== t.opensFlow) return false;
  return true;
}

/** Whether packet i (parsed, in flight) passes `guard`. */
export function refGuardPasses(core: RefCore, i: number, guard: NormalGuard): boolean {
  const p = view(core, i);
  return guard.terms.some((t) => termMatches(t, p)) !== guard.negate;
}

registerStage(abi.STAGE_GUARD, (core, n, a0, a1) => {
  const guard = guards(core).get(a0) ?? EMPTY;
  const dv = core.view();
  let inN = 0;
  const perPacket = !keyOnly(guard);
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const note = core.uftNotes?.[i];
    if (note) {
      note.guards = (note.guards ?? 0) + 1;
      if (perPacket || note.guards > UFT_PASS_GUARD_MAX) note.noCache = true;
    }
    if (dv.getUint8(core.desc(i) + abi.D_L3) === 0) throw new Error('guard step over a packet parse has not read');
    if (refGuardPasses(core, i, guard)) continue;
    dv.setUint8(core.desc(i) + abi.D_NEXT, abi.NEXT_PARKED);
    core.parked.set(i, core.step + 1 + a1);
  }
  core.count(abi.STAGE_GUARD, abi.C_IN, inN);
  core.count(abi.STAGE_GUARD, abi.C_PASS, inN);
  return n;
});
