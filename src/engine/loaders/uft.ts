/**
 * VFP's unified flow table (UFT) on either core: configuring a port's table and its layer program,
 * flushing it, reading its statistics. The data plane is assembly/stages/uft.ts (its header is the
 * specification); the reference twin is src/engine/reference/uft.ts.
 *
 * API for the simulation's walker (src/sim/), which decides per vSwitch port which layers run:
 *
 *   configureUft(core, id, { capacity, layers })   once per port, and again whenever that port's
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
 *   readUftStats(core, id)  lookups, hits, inserts, evictions and stale entries met, for the UI.
 *   A traced hit shows as one STAGE_UFT hop (A_FAST_PATH: entry, ACL rule, NAT session) followed
 *   by the NAT field changes, instead of the layers' hops.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refConfigureUft, refFlushUft, refUftStats, type RefUftStats } from '../reference/uft.js';

/** UFT ids per core (per table space): the directory grows on demand (assembly/tables/uft.ts). */
export const UFT_MAX_TABLES = 1 << 18;
export const UFT_MAX_STEPS = 8;
const LAYER_STAGES = new Set([abi.STAGE_ACL, abi.STAGE_NAT, abi.STAGE_VXLAN_ENCAP, abi.STAGE_MAC_REWRITE, abi.STAGE_SWITCH]);

export interface UftConfig {
  /** Flows the table holds (rounded up to a power of two, at least 8). */
  capacity: number;
  /** The port's layers, in the order it runs them. */
  layers: ProgramStep[];
}

export type UftStats = RefUftStats;

interface UftExports {
  uft_configure(id: number, capacity: number, program: number, steps: number): number;
  uft_flush(id: number): void;
  uft_stats(id: number): number;
  uft_capacity(id: number): number;
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
  if (!Number.isInteger(cfg.capacity) || cfg.capacity < 1 || cfg.capacity > 1 << 22) {
    throw new RangeError(`UFT capacity ${cfg.capacity} outside 1..${1 << 22}`);
  }
  const err = uftProgramError(cfg.layers);
  if (err) throw new RangeError(err);
  if (core.kind === 'reference') {
    refConfigureUft(core as RefCore, id, cfg.capacity, cfg.layers);
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
  const rc = ex(core).uft_configure(id, cfg.capacity, p, cfg.layers.length);
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
    capacity: ex(core).uft_capacity(id) >>> 0,
    lookups: u64(0), hits: u64(1), inserts: u64(2), evictions: u64(3), stale: u64(4),
  };
}
