/**
 * Forwarding databases of the vSwitches (the switch stage's a0). Twin of assembly/tables/fdb.ts, which
 * owns the table (learning happens in the data plane); this module encodes the static entries that a
 * load starts with and decodes a table read back from memory.
 *
 * Table layout in the WebAssembly core:
 *   header, 32 bytes: u32 log2(slots), u32 capacity, u32 entries, u32 0, u64 learn refusals, u64 0
 *   slot, 16 bytes: u64 key (bit 63 used, bits 48-59 VLAN, bits 0-47 MAC), u16 port, u8 static, …
 * Static-entry records passed to fdb_load: 16 bytes, u64 key, u16 port.
 */

/** vSwitch ids are below this bound. */
export const FDB_TABLES = 1 << 20;
/** Largest FDB capacity accepted (entries). */
export const FDB_MAX_CAPACITY = 1 << 22;
export const FDB_HEADER = 32;
export const FDB_SLOT = 16;

/** A MAC (48-bit integer) reachable through `port` in VLAN `vlan` (0 = the untagged domain). */
export interface FdbEntry {
  mac: number;
  vlan: number;
  port: number;
}

/** An FDB entry as read back, with whether it was loaded (static) or learned. */
export interface FdbRow extends FdbEntry {
  static: boolean;
}

export interface FdbConfig {
  /** Most entries the table holds; learning stops (and is counted) when it is full. */
  capacity: number;
  /** Entries known from configuration (a container's MAC on its port); learning never moves them. */
  entries?: readonly FdbEntry[];
}

export interface FdbStats {
  capacity: number;
  entries: number;
  /** Source MACs not learned because the table was full. */
  learnRefused: number;
}

/** Validates a configuration (RangeError): capacity, MACs, VLANs, ports, and that the entries fit. */
export function checkFdbConfig(cfg: FdbConfig): void {
  if (!Number.isInteger(cfg.capacity) || cfg.capacity < 0 || cfg.capacity > FDB_MAX_CAPACITY) {
    throw new RangeError(`FDB capacity ${cfg.capacity} not in 0..${FDB_MAX_CAPACITY}`);
  }
  const keys = new Set<number>();
  (cfg.entries ?? []).forEach((e, k) => {
    if (!Number.isInteger(e.mac) || e.mac < 0 || e.mac > 0xffff_ffff_ffff) throw new RangeError(`FDB entry ${k}: MAC ${e.mac} is not 48 bits`);
    if (Math.floor(e.mac / 0x1_0000_0000) & 0x100) throw new RangeError(`FDB entry ${k}: ${e.mac.toString(16)} is a group MAC`);
    if (!Number.isInteger(e.vlan) || e.vlan < 0 || e.vlan > 4094) throw new RangeError(`FDB entry ${k}: VLAN ${e.vlan} not in 0..4094`);
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 0xfffd) throw new RangeError(`FDB entry ${k}: port ${e.port} not in 0..65533`);
    keys.add(e.vlan * 2 ** 48 + e.mac);
  });
  if (keys.size > cfg.capacity) throw new RangeError(`${keys.size} static FDB entries exceed the capacity ${cfg.capacity}`);
}

/** The static-entry records fdb_load takes. */
export function encodeFdbEntries(entries: readonly FdbEntry[]): Uint8Array {
  const img = new Uint8Array(Math.max(1, entries.length) * 16);
  const dv = new DataView(img.buffer);
  entries.forEach((e, k) => {
    dv.setUint32(k * 16, e.mac >>> 0, true);
    dv.setUint32(k * 16 + 4, (Math.floor(e.mac / 0x1_0000_0000) & 0xffff) | ((e.vlan & 0xfff) << 16), true);
    dv.setUint16(k * 16 + 8, e.port, true);
  });
  return img;
}

/** Reads a table at `base` (the WebAssembly core's layout): its statistics and its rows, sorted by VLAN then MAC. */
export function decodeFdb(dv: DataView, base: number): { stats: FdbStats; rows: FdbRow[] } {
  const slots = 2 ** dv.getUint32(base, true);
  const rows: FdbRow[] = [];
  for (let k = 0; k < slots; k++) {
    const s = base + FDB_HEADER + k * FDB_SLOT;
    const hi = dv.getUint32(s + 4, true);
    if ((hi & 0x80000000) === 0) continue;
    rows.push({
      mac: (hi & 0xffff) * 0x1_0000_0000 + dv.getUint32(s, true),
      vlan: (hi >>> 16) & 0xfff,
      port: dv.getUint16(s + 8, true),
      static: dv.getUint8(s + 10) !== 0,
    });
  }
  rows.sort((a, b) => a.vlan - b.vlan || a.mac - b.mac);
  return {
    stats: {
      capacity: dv.getUint32(base + 4, true),
      entries: dv.getUint32(base + 8, true),
      learnRefused: Number(dv.getBigUint64(base + 16, true)),
    },
    rows,
  };
}
