/**
 * Loading and reading vSwitch forwarding databases on either core (the switch stage's a0).
 *
 *   loadFdb(core, vswitch, { capacity, entries })  → an empty FDB for `capacity` entries plus the
 *                                                    static entries (never moved by learning)
 *   fdbStats(core, vswitch)                        → { capacity, entries, learnRefused } or undefined
 *   readFdb(core, vswitch)                         → rows sorted by VLAN then MAC, or undefined
 *
 * Loading again replaces the FDB (learned entries are forgotten); on the WebAssembly core the table is
 * allocated by the core (16 bytes × a power of two ≥ 2 × capacity) and the one it replaces is freed.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadFdb, refReadFdb } from '../reference/switch.js';
import {
  type FdbConfig, type FdbRow, type FdbStats, FDB_TABLES, checkFdbConfig, encodeFdbEntries, decodeFdb,
} from '../../table-images/fdb.js';

interface FdbExports {
  fdb_load(vswitch: number, capacity: number, entries: number, count: number): number;
  fdb_base(vswitch: number): number;
}

const fx = (core: PacketCore): FdbExports => (core as WasmCore).exports as unknown as FdbExports;

function checkId(vswitch: number): void {
  if (!Number.isInteger(vswitch) || vswitch < 0 || vswitch >= FDB_TABLES) throw new RangeError(`vSwitch id ${vswitch} not in 0..${FDB_TABLES - 1}`);
}

/** Validates `cfg` (RangeError) and installs a fresh FDB for vSwitch `vswitch`. Called when a vSwitch
 *  is created or reconfigured, and by the bench. */
export function loadFdb(core: PacketCore, vswitch: number, cfg: FdbConfig): void {
  checkId(vswitch);
  checkFdbConfig(cfg);
  if (core.kind === 'reference') {
    refLoadFdb(core as RefCore, vswitch, cfg);
    return;
  }
  const entries = cfg.entries ?? [];
  const image = encodeFdbEntries(entries);
  const p = core.alloc(image.length);
  core.bytes().set(image, p);
  const rc = fx(core).fdb_load(vswitch, cfg.capacity, p, entries.length);
  core.free(p);
  if (rc < 0) throw new Error(`core refused the FDB of vSwitch ${vswitch}`);
}

function wasmFdb(core: PacketCore, vswitch: number): { stats: FdbStats; rows: FdbRow[] } | undefined {
  const base = fx(core).fdb_base(vswitch) >>> 0;
  return base === 0 ? undefined : decodeFdb(core.view(), base);
}

/** Size and learning statistics of an FDB, undefined when none is loaded. */
export function fdbStats(core: PacketCore, vswitch: number): FdbStats | undefined {
  checkId(vswitch);
  if (core.kind === 'reference') return refReadFdb(core as RefCore, vswitch)?.stats;
  const base = fx(core).fdb_base(vswitch) >>> 0;
  if (base === 0) return undefined;
  const dv = core.view();
  return { capacity: dv.getUint32(base + 4, true), entries: dv.getUint32(base + 8, true), learnRefused: Number(dv.getBigUint64(base + 16, true)) };
}

/** Every entry of an FDB (static and learned), sorted by VLAN then MAC; for the tables view and tests. */
export function readFdb(core: PacketCore, vswitch: number): FdbRow[] | undefined {
  checkId(vswitch);
  if (core.kind === 'reference') return refReadFdb(core as RefCore, vswitch)?.rows;
  return wasmFdb(core, vswitch)?.rows;
}
