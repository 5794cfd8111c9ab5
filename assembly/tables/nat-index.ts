// The hash index under the NAT tables: open addressing with linear probing over a power-of-two
// array of 8-byte slots, each `hash: u32 | ref: u32` (ref 0 = empty). The index stores no keys: a
// caller walks the slots whose stored hash equals its hash and compares the key in the record the
// ref names. Sized at load for a load factor of at most 1/2, so every probe ends at an empty slot
// and "full" is decided by the record arrays, never by the index.
//
// Deletion is Knuth's Algorithm R (TAOCP vol. 3, 6.4): the entries after the hole move back when
// their home slot does not lie cyclically in (hole, position], so no tombstones pile up under the
// churn of session timeouts and lookups stay short for the table's whole life.

/** Slots for `keys` entries at a load factor of at most 1/2 (a power of two, at least 16). */
export function indexSlotsFor(keys: u32): u32 {
  let slots: u32 = 16;
  while (slots < keys * 2) slots <<= 1;
  return slots;
}

// @ts-ignore: decorator
@inline export function slotAddr(index: usize, pos: u32): usize {
  return index + (<usize>pos << 3);
}

/** Adds (hash, ref) at the first empty slot from the hash's home. */
export function indexInsert(index: usize, mask: u32, hash: u32, ref: u32): void {
  let pos = hash & mask;
  while (load<u32>(slotAddr(index, pos), 4) != 0) pos = (pos + 1) & mask;
  store<u64>(slotAddr(index, pos), <u64>hash | (<u64>ref << 32));
}

/** Removes the slot holding exactly (hash, ref); a no-op when absent. */
export function indexRemove(index: usize, mask: u32, hash: u32, ref: u32): void {
  const want = <u64>hash | (<u64>ref << 32);
  let pos = hash & mask;
  while (true) {
    const v = load<u64>(slotAddr(index, pos));
    if (<u32>(v >> 32) == 0) return;
    if (v == want) break;
    pos = (pos + 1) & mask;
  }
  // Algorithm R: close the hole at `pos`.
  let hole = pos;
  let j = pos;
  while (true) {
    j = (j + 1) & mask;
    const v = load<u64>(slotAddr(index, j));
    if (<u32>(v >> 32) == 0) break;
    const home = <u32>v & mask;
    // Leave the entry when its home lies cyclically in (hole, j].
    const stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    store<u64>(slotAddr(index, hole), v);
    hole = j;
  }
  store<u64>(slotAddr(index, hole), 0);
}

/**
 * The position of the first slot at or after `pos` (walking from the home of `hash`) whose stored
 * hash is `hash`, or -1 when an empty slot comes first. Callers start at `hash & mask` and resume
 * at the returned position + 1 when the record's key does not match.
 */
// @ts-ignore: decorator
@inline export function indexNext(index: usize, mask: u32, hash: u32, pos: u32): i32 {
  while (true) {
    const v = load<u64>(slotAddr(index, pos));
    if (<u32>(v >> 32) == 0) return -1;
    if (<u32>v == hash) return <i32>pos;
    pos = (pos + 1) & mask;
  }
  return -1;
}

/** The ref stored at a slot position. */
// @ts-ignore: decorator
@inline export function indexRef(index: usize, pos: u32): u32 {
  return load<u32>(slotAddr(index, pos), 4);
}
