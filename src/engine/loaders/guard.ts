/**
 * Loading guards into either core: the per-packet decisions of a program (stage guard,
 * assembly/stages/guard.ts, which documents the semantics; step `{ stage: STAGE_GUARD, a0: id, a1: k }`).
 *
 *   loadGuard(core, id, guard)   → installs guard `id` (0..GUARD_MAX_GUARDS-1); loading again replaces it
 *
 * A guard passes when (some term matches) XOR negate; a term matches when every field it sets
 * matches. Prefix bases are masked to their length. On the WebAssembly core a reload reuses the
 * previous image's memory (assembly/tables/guard-table.ts), so guards may be recompiled at every
 * world change without growing memory.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadGuard } from '../reference/guard.js';
import { GUARD_MAX_GUARDS, GUARD_TERM_SIZE, checked, encodeGuardTerm, normalizeGuard, type Guard } from '../../table-images/guard.js';

export type { Guard, GuardTerm } from '../../table-images/guard.js';

interface GuardExports {
  guard_load(id: number, terms: number, negate: number): number;
}

/** Installs `guard` as guard `id` of `core` (the guard step's a0). Called by the simulation when it
 *  compiles a place's program (once per world change). Throws RangeError on invalid input. */
export function loadGuard(core: PacketCore, id: number, guard: Guard): void {
  checked('id', id, GUARD_MAX_GUARDS - 1);
  const g = normalizeGuard(guard);
  if (core.kind === 'reference') {
    refLoadGuard(core as RefCore, id, g);
    return;
  }
  const exports = (core as WasmCore).exports as unknown as GuardExports;
  const p = exports.guard_load(id, g.terms.length, g.negate ? 1 : 0) >>> 0;
  if (p === 0) throw new Error(`core refused guard ${id}`);
  const dv = core.view();
  g.terms.forEach((t, k) => encodeGuardTerm(dv, p + k * GUARD_TERM_SIZE, t));
}
