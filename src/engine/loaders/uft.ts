/**
 * VFP's unified flow table (UFT) on either core: configuring a port's table and its layer program,
 * flushing it, reading its statistics. The data plane is assembly/stages/uft.ts (its header is the
 * specification); the reference twin is src/engine/reference/uft.ts.
 *
 * API for the simulation's walker (src/sim/), which decides per vSwitch port which layers run:
 *
 *   configureUft(core, id, { capacity, maxCapacity, layers })   once per port, and again whenever that port's
 *       layer program changes (it empties the table). `layers` are the port's layer steps in the
 *       order the port runs them (acl, nat, vxlan-encap, mac-rewrite, switch; each at most once;
 *       only switch after vxlan-encap), and guard steps governing steps of the program: a guard
 *       that reads only the flow's key (addresses, protocol, ports) is decided once per flow; one
 *       that reads more (MACs, flags, "opens a flow") leaves the packets it judged on the layers.
 *       The table's memory is taken when its first packet arrives.
 *   then run the port's packets with `[parse step, { stage: STAGE_UFT, a0: id }]` instead of
 *       `[parse step, ...layers]`: the result (bytes, descriptors, counters, drops) is the same;
 *       known flows take one lookup. Table loads need no call: every loader moves the tables
 *       generation, which retires the entries built before it.
 *   readUftStats(core, id)  capacity now and at most, lookups, hits, inserts, evictions, stale
 *       entries met and times the table doubled, for the UI.
 *   A traced hit shows as one STAGE_UFT hop (A_FAST_PATH: entry, ACL rule, NAT session) followed
 *   by the NAT field changes, instead of the layers' hops.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refConfigureUft, refFlushUft, refUftStats, refUftWays, type RefUftStats, type UftWays } from '../reference/uft.js';

/** UFT ids per core (per table space): the directory grows on demand (assembly/tables/uft.ts). */
export const UFT_MAX_TABLES = 1 << 18;
export const UFT_MAX_STEPS = 8;
const LAYER_STAGES = new Set([abi.STAGE_ACL, abi.STAGE_NAT, abi.STAGE_VXLAN_ENCAP, abi.STAGE_MAC_REWRITE, abi.STAGE_SWITCH]);

/** The most flows a UFT may hold, first or grown (its entries 256 MiB). */
export const UFT_MAX_CAPACITY = 1 << 22;

export interface UftConfig {
  /** Flows the table holds at first (rounded up to a power of two, at least 8). */
  capacity: number;
  /** The most flows it grows to (rounded likewise; default: capacity, a table that never grows). It
   *  doubles when an insert would replace a live flow (one built under the current tables
   *  generation, not flushed since), keeping every entry and its number (assembly/stages/uft.ts,
   *  uftGrow); at the maximum it replaces flows as a fixed table does. */
  maxCapacity?: number;
  /** The port's layers, in the order it runs them. */
  layers: ProgramStep[];
}

export type UftStats = RefUftStats;

interface UftExports {
  uft_configure(id: number, capacity: number, program: number, steps: number, maxCapacity: number): number;
  uft_flush(id: number): void;
  uft_stats(id: number): number;
  uft_capacity(id: number): number;
  uft_max_capacity(id: number): number;
  uft_buckets(id: number): number;
  uft_program_buffer(): number;
}

function ex(core: PacketCore): UftExports {
  return (core as WasmCore).exports as unknown as UftExports;
}

/** Why a layer program cannot be a UFT's, or undefined when it can. */
export function uftProgramError(layers: readonly ProgramStep[]): string | undefined {
  if (layers.length < 1 || layers.length > UFT_MAX_STEPS) return `a UFT's layer program has 1 to ${UFT_MAX_STEPS} steps, not ${layers.length}`;
  const seen = new Set<number>();
  for (const [k, s] of layers.entries()) {
    if (s.stage === abi.STAGE_GUARD) {
      const governs = s.a1 ?? 0;
      if (!Number.isInteger(governs) || governs < 0 || k + 1 + governs > layers.length) return `the guard at step ${k} governs ${governs} steps; the UFT's layer program ends ${layers.length - k - 1} steps after it`;
      continue;
    }
    if (!LAYER_STAGES.has(s.stage)) return `stage ${s.stage} is not a layer a UFT entry can hold (acl, nat, vxlan-encap, mac-rewrite, switch, or a guard)`;
    if (seen.has(s.stage)) return `stage ${s.stage} appears twice in a UFT's layer program`;
    if (s.stage !== abi.STAGE_SWITCH && seen.has(abi.STAGE_VXLAN_ENCAP)) {
      return 'only switch may follow vxlan-encap in a UFT\'s layer program (the entry keeps the inner frame\'s addresses)';
    }
    seen.add(s.stage);
  }
  if (!seen.size) return 'a UFT\'s layer program holds no layer, only guards';
  return undefined;
}

/** Creates or reconfigures UFT `id` (empty) for a port running `layers`; RangeError with the reason. */
export function configureUft(core: PacketCore, id: number, cfg: UftConfig): void {
  if (!Number.isInteger(id) || id < 0 || id >= UFT_MAX_TABLES) throw new RangeError(`UFT id ${id} outside 0..${UFT_MAX_TABLES - 1}`);
  if (!Number.isInteger(cfg.capacity) || cfg.capacity < 1 || cfg.capacity > UFT_MAX_CAPACITY) {
    throw new RangeError(`UFT capacity ${cfg.capacity} outside 1..${UFT_MAX_CAPACITY}`);
  }
  const max = cfg.maxCapacity ?? cfg.capacity;
  if (!Number.isInteger(max) || max < cfg.capacity || max > UFT_MAX_CAPACITY) {
    throw new RangeError(`UFT maximum capacity ${max} outside ${cfg.capacity}..${UFT_MAX_CAPACITY}`);
  }
  const err = uftProgramError(cfg.layers);
  if (err) throw new RangeError(err);
  if (core.kind === 'reference') {
    refConfigureUft(core as RefCore, id, cfg.capacity, max, cfg.layers);
    return;
  }
  // The program goes into the core's own buffer for it (no allocation per port).
  const p = ex(core).uft_program_buffer() >>> 0;
  const dv = core.view();
  cfg.layers.forEach((s, k) => {
    dv.setUint32(p + k * 12, s.stage, true);
    dv.setUint32(p + k * 12 + 4, s.a0 ?? 0, true);
    dv.setUint32(p + k * 12 + 8, s.a1 ?? 0, true);
  });
  const rc = ex(core).uft_configure(id, cfg.capacity, p, cfg.layers.length, max);
  if (rc !== 0) throw new RangeError(`uft_configure failed (${rc})`);
}

/** Forgets every flow of UFT `id`. */
export function flushUft(core: PacketCore, id: number): void {
  if (core.kind === 'reference') refFlushUft(core as RefCore, id);
  else ex(core).uft_flush(id);
}

/** Statistics of UFT `id`, undefined when it was never configured. */
export function readUftStats(core: PacketCore, id: number): UftStats | undefined {
  if (core.kind === 'reference') return refUftStats(core as RefCore, id);
  const p = ex(core).uft_stats(id) >>> 0;
  if (p === 0) return undefined;
  const dv = core.view();
  const u64 = (k: number): number => Number(dv.getBigUint64(p + k * 8, true));
  return {
    capacity: ex(core).uft_capacity(id) >>> 0, maxCapacity: ex(core).uft_max_capacity(id) >>> 0,
    lookups: u64(0), hits: u64(1), inserts: u64(2), evictions: u64(3), stale: u64(4), grows: u64(5),
  };
}

/** Every way of UFT `id`, in order (bucket × 8 + way): its flow's signature (0 empty) and its entry
 *  number (0 none yet; a hit traces entry number - 1). For the differential tests, which hold the
 *  twin's placement to the data plane's. Undefined when never configured; empty before its first
 *  packet. */
export function readUftWays(core: PacketCore, id: number): UftWays | undefined {
  if (core.kind === 'reference') return refUftWays(core as RefCore, id);
  const stats = readUftStats(core, id);
  if (!stats) return undefined;
  const b = ex(core).uft_buckets(id) >>> 0;
  if (b === 0) return { sigs: [], numbers: [] };
  const dv = core.view();
  const sigs: number[] = [];
  const numbers: number[] = [];
  for (let w = 0; w < stats.capacity; w++) {
    const at = b + (w >>> 3) * 64 + (w & 7) * 4;
    sigs.push(dv.getUint32(at, true));
    numbers.push(dv.getUint32(at + 32, true));
  }
  return { sigs, numbers };
}
