/**
 * Loading and reading the VTEP table (stages vxlan-encap / vxlan-decap, a0 = table id) on either
 * core. One table per simulated host; loading the same id again replaces it from the next batch on.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { loadRefVtepTable, refVtepTableView } from '../reference/vxlan.js';
import {
  decodeVtepTable, encodeVtepTable, normalizeVtepTable, VTEP_IMAGE_ALIGN, VTEP_MAX_TABLES,
  type VtepTable, type VtepTableView,
} from '../../table-images/vxlan.js';

interface VtepExports {
  vtep_table_load(id: number, image: number, region: number): void;
  vtep_table_image(id: number): number;
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= VTEP_MAX_TABLES) throw new RangeError(`vtep table id ${id} outside 0..${VTEP_MAX_TABLES - 1}`);
}

/** Validates `table` (RangeError when no core could load it) and installs it as table `id`. Called by
 *  the simulation when a host's overlay state changes (network created, remote endpoint learned). */
export function loadVtepTable(core: PacketCore, id: number, table: VtepTable): void {
  checkId(id);
  const t = normalizeVtepTable(table);
  if (core.kind === 'reference') {
    loadRefVtepTable(core as RefCore, id, t);
    return;
  }
  const image = encodeVtepTable(t);
  const raw = core.alloc(image.length + VTEP_IMAGE_ALIGN);
  const p = Math.ceil(raw / VTEP_IMAGE_ALIGN) * VTEP_IMAGE_ALIGN;
  core.bytes().set(image, p);
  ((core as WasmCore).exports as unknown as VtepExports).vtep_table_load(id, p, raw);
}

/** The table loaded as `id`, read back from the core (for the UI's table view and for tests), or
 *  undefined when none was loaded. */
export function readVtepTable(core: PacketCore, id: number): VtepTableView | undefined {
  checkId(id);
  if (core.kind === 'reference') return refVtepTableView(core as RefCore, id);
  const p = ((core as WasmCore).exports as unknown as VtepExports).vtep_table_image(id) >>> 0;
  return p === 0 ? undefined : decodeVtepTable(core.bytes(), p);
}
