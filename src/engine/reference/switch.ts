/**
 * Reference twin of the switch stage (assembly/stages/switch.ts) and owner of the reference core's
 * FDBs: a Map per vSwitch with a capacity, learning and flooding written the obvious way.
 */
import * as abi from '../../abi.js';
import { DROP } from '../drops.js';
import { registerStage, refTablesChanged, type RefCore } from './core.js';
import { readMac } from '../../wire/ethernet.js';
import { portIsMember } from '../../table-images/vlan-ports.js';
import type { FdbConfig, FdbRow, FdbStats } from '../../table-images/fdb.js';
import { refPortTable } from './vlan.js';

const NO_PORT = DROP.SWITCH_NO_PORT;
const FLOOD_NO_SLOT = DROP.SWITCH_FLOOD_NO_SLOT;
const HAIRPIN = DROP.SWITCH_HAIRPIN;

interface RefFdb {
  capacity: number;
  learnRefused: number;
  entries: Map<string, FdbRow>;
}

const keyOf = (mac: number, vlan: number): string => `${vlan & 0xfff}/${mac}`;

function fdbs(core: RefCore): Map<number, RefFdb> {
  let m = core.tables.get('fdb') as Map<number, RefFdb> | undefined;
  if (!m) core.tables.set('fdb', (m = new Map()));
  return m;
}

/** Called by loadFdb for the reference core (the configuration is already validated). */
export function refLoadFdb(core: RefCore, vswitch: number, cfg: FdbConfig): void {
  refTablesChanged(core);
  const entries = new Map<string, FdbRow>();
  for (const e of cfg.entries ?? []) entries.set(keyOf(e.mac, e.vlan), { mac: e.mac, vlan: e.vlan, port: e.port, static: true });
  fdbs(core).set(vswitch, { capacity: cfg.capacity, learnRefused: 0, entries });
}

/** Statistics and rows (sorted by VLAN, then MAC) of a reference FDB. */
export function refReadFdb(core: RefCore, vswitch: number): { stats: FdbStats; rows: FdbRow[] } | undefined {
  const t = fdbs(core).get(vswitch);
  if (!t) return undefined;
  const rows = [...t.entries.values()].map((r) => ({ ...r })).sort((a, b) => a.vlan - b.vlan || a.mac - b.mac);
  return { stats: { capacity: t.capacity, entries: t.entries.size, learnRefused: t.learnRefused }, rows };
}

registerStage(abi.STAGE_SWITCH, (core: RefCore, n: number, a0: number): number => {
  const S = abi.STAGE_SWITCH;
  const fdb = fdbs(core).get(a0);
  const ports = refPortTable(core, a0);
  const dv = core.view();
  const b = core.bytes();
  let m = n;
  let inN = 0;
  let pass = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const inPort = dv.getUint16(d + abi.D_IN_PORT, true);
    const vlan = dv.getUint16(d + abi.D_VLAN, true);
    // Learning: the source, unless it is a group address.
    if (fdb && (b[p + 6] & 1) === 0) {
      const mac = readMac(b, p + 6);
      const key = keyOf(mac, vlan);
      const e = fdb.entries.get(key);
      if (e) {
        if (!e.static && e.port !== inPort) {
          core.trace(i, S, abi.A_LEARN, -1, abi.FIELD_NONE, BigInt(e.port), BigInt(inPort));
          e.port = inPort;
          refTablesChanged(core);
        }
      } else if (fdb.entries.size >= fdb.capacity) {
        fdb.learnRefused++;
        if (core.uftNotes?.[i]) core.uftNotes[i].noCache = true;
      } else {
        fdb.entries.set(key, { mac, vlan: vlan & 0xfff, port: inPort, static: false });
        core.trace(i, S, abi.A_LEARN, -1, abi.FIELD_NONE, 0xffffn, BigInt(inPort));
      }
    }
    const oldOut = dv.getUint16(d + abi.D_OUT_PORT, true);
    const known = fdb && (b[p] & 1) === 0 ? fdb.entries.get(keyOf(readMac(b, p), vlan)) : undefined;
    if (known) {
      if (known.port === inPort) {
        core.drop(i, S, HAIRPIN);
        drop++;
      } else if (!portIsMember(ports?.byPort.get(known.port), vlan)) {
        core.drop(i, S, NO_PORT);
        drop++;
      } else {
        dv.setUint16(d + abi.D_OUT_PORT, known.port, true);
        pass++;
        core.trace(i, S, abi.A_FORWARD, -1, abi.FIELD_NONE, 0n, BigInt(known.port));
        if (oldOut !== known.port) core.trace(i, S, abi.A_FORWARD, -1, abi.FIELD_OUT_PORT, BigInt(oldOut), BigInt(known.port));
      }
      continue;
    }
    const targets = (ports?.order ?? []).filter((q) => q !== inPort && portIsMember(ports!.byPort.get(q), vlan));
    if (targets.length === 0) {
      core.drop(i, S, NO_PORT);
      drop++;
      continue;
    }
    if (m + targets.length - 1 > core.slots) {
      core.drop(i, S, FLOOD_NO_SLOT);
      drop++;
      continue;
    }
    core.trace(i, S, abi.A_FLOOD, targets.length, abi.FIELD_NONE, 0n, 0n);
    if (core.uftNotes?.[i]) core.uftNotes[i].noCache = true;
    dv.setUint16(d + abi.D_OUT_PORT, targets[0], true);
    if (oldOut !== targets[0]) core.trace(i, S, abi.A_FLOOD, -1, abi.FIELD_OUT_PORT, BigInt(oldOut), BigInt(targets[0]));
    const len = dv.getUint16(d + abi.D_LEN, true);
    const offset = p - (core.ringBase + i * abi.SLOT_SIZE);
    for (const q of targets.slice(1)) {
      const j = m++;
      const dj = core.desc(j);
      const pj = core.ringBase + j * abi.SLOT_SIZE + offset;
      b.copyWithin(pj, p, p + len);
      b.copyWithin(dj, d, d + abi.DESC_SIZE);
      dv.setUint32(dj + abi.D_DATA, pj, true);
      dv.setUint16(dj + abi.D_OUT_PORT, q, true);
      core.trace(j, S, abi.A_FLOOD, i, abi.FIELD_OUT_PORT, BigInt(oldOut), BigInt(q));
    }
    pass += targets.length;
    inN += targets.length - 1;
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, pass);
  core.count(S, abi.C_DROP, drop);
  return m;
});
