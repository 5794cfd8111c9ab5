/**
 * Reference twin of the vlan stages (assembly/stages/vlan.ts) and owner of the reference core's
 * vSwitch port tables (shared with the reference switch). Semantics: see the wasm stage's header.
 */
import * as abi from '../../abi.js';
import { DROP } from '../drops.js';
import { registerStage, type RefCore, refTablesChanged } from './core.js';
import { rd16, wr16 } from '../../wire/bytes.js';
import {
  type VlanPortEntry, PORT_ACCESS, PORT_TRUNK, VLAN_PORT_FIXED,
} from '../../table-images/vlan-ports.js';

const NOT_ALLOWED = DROP.VLAN_NOT_ALLOWED;
const ACCESS_MISMATCH = DROP.VLAN_ACCESS_MISMATCH;
const TAGGED_ON_NON_TRUNK = DROP.VLAN_TAGGED_ON_NON_TRUNK;
const NO_HEADROOM = DROP.VLAN_NO_HEADROOM;

/** A vSwitch's ports: by id, and the ids in ascending order (the flood order). */
export interface RefPortTable {
  byPort: Map<number, VlanPortEntry>;
  order: number[];
}

function tables(core: RefCore): Map<number, RefPortTable> {
  let m = core.tables.get('vlan-ports') as Map<number, RefPortTable> | undefined;
  if (!m) core.tables.set('vlan-ports', (m = new Map()));
  return m;
}

/** Called by loadVlanPorts (src/engine/loaders/vlan-ports.ts) for the reference core. */
export function refLoadVlanPorts(core: RefCore, vswitch: number, ports: readonly VlanPortEntry[]): void {
  refTablesChanged(core);
  tables(core).set(vswitch, { byPort: new Map(ports.map((p) => [p.port, p])), order: ports.map((p) => p.port) });
}

/** The port table of a vSwitch (the reference switch floods with it). */
export function refPortTable(core: RefCore, vswitch: number): RefPortTable | undefined {
  return tables(core).get(vswitch);
}

function shift(core: RefCore, d: number, delta: number): void {
  const dv = core.view();
  dv.setUint16(d + abi.D_LEN, dv.getUint16(d + abi.D_LEN, true) + delta, true);
  const l3 = dv.getUint8(d + abi.D_L3);
  if (l3 !== 0) dv.setUint8(d + abi.D_L3, l3 + delta);
  const l4 = dv.getUint8(d + abi.D_L4);
  if (l4 !== 0) dv.setUint8(d + abi.D_L4, l4 + delta);
}

function pop(core: RefCore, d: number, p: number): void {
  const b = core.bytes();
  b.copyWithin(p + 4, p, p + 12);
  const dv = core.view();
  dv.setUint32(d + abi.D_DATA, p + 4, true);
  shift(core, d, -4);
  dv.setUint8(d + abi.D_FLAGS, dv.getUint8(d + abi.D_FLAGS) & ~abi.F_VLAN_TAGGED);
}

function push(core: RefCore, d: number, p: number, vid: number): void {
  const b = core.bytes();
  const q = p - 4;
  b.copyWithin(q, p, p + 12);
  wr16(b, q + 12, 0x8100);
  wr16(b, q + 14, vid);
  const dv = core.view();
  dv.setUint32(d + abi.D_DATA, q, true);
  shift(core, d, 4);
  dv.setUint8(d + abi.D_FLAGS, dv.getUint8(d + abi.D_FLAGS) | abi.F_VLAN_TAGGED);
}

function portOf(core: RefCore, i: number, a1: number, field: number): number {
  return a1 & VLAN_PORT_FIXED ? a1 & 0xffff : core.view().getUint16(core.desc(i) + field, true);
}

registerStage(abi.STAGE_VLAN_IN, (core: RefCore, n: number, a0: number, a1: number): number => {
  const S = abi.STAGE_VLAN_IN;
  const table = tables(core).get(a0);
  const dv = core.view();
  const b = core.bytes();
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const port = portOf(core, i, a1, abi.D_IN_PORT);
    const rec = table?.byPort.get(port);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const tagged = (dv.getUint8(d + abi.D_FLAGS) & abi.F_VLAN_TAGGED) !== 0;
    const tagVid = tagged ? rd16(b, p + 14) & 0xfff : 0;
    let vid = 0;
    let reason = 0;
    if (rec?.mode === PORT_TRUNK) {
      vid = tagVid !== 0 ? tagVid : rec.pvid;
      if (vid === 0 || (vid !== rec.pvid && !rec.allowed.has(vid))) reason = NOT_ALLOWED;
    } else if (rec?.mode === PORT_ACCESS) {
      vid = rec.pvid;
      if (tagVid !== 0 && tagVid !== vid) reason = ACCESS_MISMATCH;
    } else if (tagged) {
      reason = TAGGED_ON_NON_TRUNK;
    }
    if (reason) {
      core.drop(i, S, reason, port);
      drop++;
      continue;
    }
    core.trace(i, S, abi.A_PASS, port, abi.FIELD_NONE, 0n, BigInt(vid));
    if (tagged) {
      pop(core, d, p);
      core.trace(i, S, abi.A_POP, port, abi.FIELD_VLAN_ID, BigInt(tagVid), 0n);
    }
    dv.setUint16(d + abi.D_VLAN, vid, true);
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, inN - drop);
  core.count(S, abi.C_DROP, drop);
  return n;
});

registerStage(abi.STAGE_VLAN_OUT, (core: RefCore, n: number, a0: number, a1: number): number => {
  const S = abi.STAGE_VLAN_OUT;
  const table = tables(core).get(a0);
  const dv = core.view();
  const b = core.bytes();
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const port = portOf(core, i, a1, abi.D_OUT_PORT);
    const rec = table?.byPort.get(port);
    const vid = dv.getUint16(d + abi.D_VLAN, true);
    let wantTag = false;
    let reason = 0;
    if (rec?.mode === PORT_TRUNK) {
      if (vid === 0 || vid > 0xfff) reason = NOT_ALLOWED;
      else if (vid !== rec.pvid) {
        if (rec.allowed.has(vid)) wantTag = true;
        else reason = NOT_ALLOWED;
      }
    } else if (rec?.mode === PORT_ACCESS) {
      if (vid !== rec.pvid) reason = ACCESS_MISMATCH;
    } else if (vid !== 0) {
      reason = TAGGED_ON_NON_TRUNK;
    }
    const p = dv.getUint32(d + abi.D_DATA, true);
    const tagged = (dv.getUint8(d + abi.D_FLAGS) & abi.F_VLAN_TAGGED) !== 0;
    const slotStart = core.ringBase + i * abi.SLOT_SIZE;
    if (!reason && wantTag && !tagged && p - 4 < slotStart) reason = NO_HEADROOM;
    if (reason) {
      core.drop(i, S, reason, port);
      drop++;
      continue;
    }
    core.trace(i, S, abi.A_PASS, port, abi.FIELD_NONE, 0n, BigInt(vid));
    if (wantTag && tagged) {
      const tci = rd16(b, p + 14);
      if ((tci & 0xfff) !== vid) {
        wr16(b, p + 14, (tci & 0xf000) | vid);
        core.trace(i, S, abi.A_REWRITE, port, abi.FIELD_VLAN_ID, BigInt(tci & 0xfff), BigInt(vid));
      }
    } else if (wantTag) {
      push(core, d, p, vid);
      core.trace(i, S, abi.A_PUSH, port, abi.FIELD_VLAN_ID, 0n, BigInt(vid));
    } else if (tagged) {
      const old = rd16(b, p + 14) & 0xfff;
      pop(core, d, p);
      core.trace(i, S, abi.A_POP, port, abi.FIELD_VLAN_ID, BigInt(old), 0n);
    }
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, inN - drop);
  core.count(S, abi.C_DROP, drop);
  return n;
});
