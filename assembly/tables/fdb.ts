// Forwarding database of a vSwitch: (MAC, VLAN) → port, filled by static entries at load and by
// learning in the switch stage. Open addressing with linear probing over a power-of-two slot array
// at most half full (slots ≥ 2 × capacity), so a probe always ends; no deletion (no ageing in the
// simulation), so no tombstones. A full table stops learning and counts the refusal: an entry is
// never overwritten by another key.
//
//   header, 32 bytes: u32 log2(slots), u32 capacity, u32 entries, u32 0, u64 learn refusals, u64 0
//   slots, 16 bytes:  u64 key (bit 63 set = used, bits 48-59 VLAN, bits 0-47 MAC), u16 port,
//                     u8 1 = static (never moved by learning), u8 0, u32 0
import { tablesChanged } from './generation';
import { alloc, Directory, dirFind, dirRecord, replaced, ringSlots } from '../memory';

/** vSwitch ids are below this bound. */
export const FDB_TABLES: u32 = 1 << 20;
const HEADER: usize = 32;
const USED: u64 = 0x8000000000000000;

/** Records by id, grown to the highest vSwitch loaded. */
export const fdbDirectory = changetype<Directory>(memory.data(16, 16));
/** Per-batch scratch of the switch stage: 32 bytes per packet (keys and home slots). */
export let fdbScratch: usize = 0;

/** The slot key of a MAC in a VLAN. */
// @ts-ignore: decorator
@inline export function fdbKey(mac: u64, vlan: i32): u64 {
  return USED | (<u64>(vlan & 0xfff) << 48) | mac;
}

/** Home slot of `key`: the top bits of a 64-bit Fibonacci product (Knuth's multiplicative hashing). */
// @ts-ignore: decorator
@inline export function fdbHome(t: usize, key: u64): u32 {
  return <u32>((key * 0x9e3779b97f4a7c15) >> (64 - <u64>load<u32>(t)));
}

// @ts-ignore: decorator
@inline export function fdbSlotAddr(t: usize, k: u32): usize {
  return t + HEADER + (<usize>k << 4);
}

// @ts-ignore: decorator
@inline export function fdbSlotCount(t: usize): u32 {
  return <u32>1 << load<u32>(t);
}

/** The slot holding `key`, or the empty slot where it would go (check `load<u64>(s) == key`). */
// @ts-ignore: decorator
@inline export function fdbProbe(t: usize, key: u64, home: u32): usize {
  const mask = fdbSlotCount(t) - 1;
  let k = home & mask;
  while (true) {
    const s = fdbSlotAddr(t, k);
    const kk = load<u64>(s);
    if (kk == key || kk == 0) return s;
    k = (k + 1) & mask;
  }
  return 0;
}

// @ts-ignore: decorator
@inline export function fdbSlotPort(s: usize): i32 {
  return <i32>load<u16>(s, 8);
}

// @ts-ignore: decorator
@inline export function fdbSlotStatic(s: usize): bool {
  return load<u8>(s, 10) != 0;
}

/** Result of fdbLearn. */
export const LEARN_KEPT: i32 = -1; // already there with this port, or a static entry
export const LEARN_NEW: i32 = -2;
export const LEARN_FULL: i32 = -3;

/** Learns `key` on `port` in slot `s` (from fdbProbe). Returns LEARN_* or, for a station move, the old port. */
// @ts-ignore: decorator
@inline export function fdbLearn(t: usize, s: usize, key: u64, port: i32): i32 {
  if (load<u64>(s) == key) {
    const old = fdbSlotPort(s);
    if (old == port || fdbSlotStatic(s)) return LEARN_KEPT;
    store<u16>(s, <u16>port, 8);
    return old;
  }
  const count = load<u32>(t, 8);
  if (count >= load<u32>(t, 4)) {
    store<u64>(t, load<u64>(t, 16) + 1, 16);
    return LEARN_FULL;
  }
  store<u64>(s, key);
  store<u16>(s, <u16>port, 8);
  store<u8>(s, 0, 10);
  store<u32>(t, count + 1, 8);
  return LEARN_NEW;
}

/** The FDB of a vSwitch, 0 when none was loaded. */
// @ts-ignore: decorator
@inline export function fdbTable(vswitch: u32): usize {
  const r = dirFind(fdbDirectory, vswitch, 4);
  return r == 0 ? 0 : <usize>load<u32>(r);
}

/**
 * Called by the engine's loadFdb once per table load: creates an empty FDB for `capacity` entries
 * and inserts `count` static entries (16-byte records at `entries`: u64 key as fdbKey, u16 port).
 * Returns the number of entries in the table (duplicates collapse, the last port wins), or -1 when
 * the vSwitch id is out of range.
 */
export function fdb_load(vswitch: u32, capacity: u32, entries: usize, count: i32): i32 {
  tablesChanged();
  if (vswitch >= FDB_TABLES) return -1;
  if (fdbScratch == 0) fdbScratch = alloc(<u32>(ringSlots * 32));
  let bits: u32 = 4;
  while ((<u64>1 << bits) < (<u64>capacity << 1)) bits++;
  const t = alloc(<u32>(HEADER + (<usize>16 << bits)));
  store<u32>(t, bits);
  store<u32>(t, capacity, 4);
  for (let i = 0; i < count; i++) {
    const e = entries + <usize>(i << 4);
    const key = load<u64>(e) | USED;
    const s = fdbProbe(t, key, fdbHome(t, key));
    if (load<u64>(s) != key) {
      if (load<u32>(t, 8) >= capacity) break;
      store<u64>(s, key);
      store<u32>(t, load<u32>(t, 8) + 1, 8);
    }
    store<u16>(s, load<u16>(e, 8), 8);
    store<u8>(s, 1, 10);
  }
  const slot = dirRecord(fdbDirectory, vswitch, 4);
  replaced(<usize>load<u32>(slot), t);
  store<u32>(slot, <u32>t);
  return <i32>load<u32>(t, 8);
}

/** Called by the engine to read an FDB (fdbStats, readFdb): its address, 0 when none. */
export function fdb_base(vswitch: u32): usize {
  return fdbTable(vswitch);
}
