// A flood's batches (src/sim/flood-shards.ts): the frames written, the hand-over from one place to
// the next and the verdicts counted here, once per batch, instead of a few JavaScript calls per packet.
import { DESC_SIZE, D_DATA, D_LEN, D_IN_PORT, D_OUT_PORT, D_CTX, D_NEXT, D_DROP, OUT_PORT_NONE, NEXT_DROP } from './abi';
import { desc, slotFrame, ringSlots } from './memory';
import { space_select } from './spaces';
import { pipeline_run } from './pipeline';

/**
 * Called by the flood once per batch: writes slots [0, n) with the template (`size` bytes at
 * `template`, readable up to the next multiple of 8) patched to flows first, first+1, ... (cyclically among `count`) of `words`, and resets
 * their descriptors for `inPort`/`ctx`. A word holds a flow's two patched u16 fields as they lie in
 * the frame: the low half at `fieldAt`, the high half at `csumAt` (the flow field and its checksum).
 */
export function flood_feed(template: usize, size: u32, words: usize, count: u32, first: u32, n: i32, fieldAt: u32, csumAt: u32, inPort: u32, ctx: u32): void {
  let e = first % count;
  for (let i = 0; i < n; i++) {
    const f = slotFrame(i);
    // In 8-byte words (the template is padded to them; a slot holds MAX_FRAME bytes): inline stores,
    // where memory.copy and memory.fill of a few dozen bytes are each a call out of the module.
    for (let o: usize = 0; o < <usize>size; o += 8) store<u64>(f + o, load<u64>(template + o));
    const w = load<u32>(words + (<usize>e << 2));
    store<u16>(f + <usize>fieldAt, <u16>w);
    store<u16>(f + <usize>csumAt, <u16>(w >>> 16));
    const d = desc(i);
    store<u64>(d, 0);
    store<u64>(d, 0, 8);
    store<u64>(d, 0, 16);
    store<u64>(d, 0, 24);
    store<u32>(d + D_DATA, <u32>f);
    store<u16>(d + D_LEN, <u16>size);
    store<u16>(d + D_IN_PORT, <u16>inPort);
    store<u16>(d + D_OUT_PORT, <u16>OUT_PORT_NONE);
    store<u32>(d + D_CTX, ctx);
    if (++e == count) e = 0;
  }
}

/** Called by the flood before each place after the first: the batch enters on `inPort` (and `ctx`, when not 0). */
export function flood_enter(n: i32, inPort: u32, ctx: u32): void {
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    store<u16>(d + D_IN_PORT, <u16>inPort);
    if (ctx != 0) store<u32>(d + D_CTX, ctx);
  }
}

/** Called by the flood after a batch's last place: adds each dropped packet to `counts` (u32 per drop
 *  reason) and returns how many were not dropped. */
export function flood_tally(n: i32, counts: usize): i32 {
  let delivered = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d + D_NEXT) == NEXT_DROP) {
      const p = counts + (<usize>load<u8>(d + D_DROP) << 2);
      store<u32>(p, load<u32>(p) + 1);
    } else delivered++;
  }
  return delivered;
}

// A flood's path for flood_run: per place, five u32 (PLACE_SIZE bytes).
/** The table space the place's host is (NO_SPACE: the one in force; the instance serves one host). */
const P_SPACE: usize = 0;
const P_IN_PORT: usize = 4;
const P_CTX: usize = 8;
/** The place's program (stage, a0, a1 triples) and its number of steps. */
const P_PROGRAM: usize = 12;
const P_STEPS: usize = 16;
export const PLACE_SIZE: i32 = 20;
const NO_SPACE: u32 = 0xffffffff;

// What flood_run leaves after `counts`' 256 drop counters (u32 each).
/** Packets that were not dropped (a flooded copy counts as a packet). */
const S_DELIVERED: usize = 256 << 2;
/** The last batch's own packets (before copies), when flood_run stopped at a drop. */
const S_LAST: usize = 257 << 2;
/** Bytes flood_run's `counts` must hold. */
export const FLOOD_STATE_SIZE: i32 = 258 << 2;

/**
 * Called by the flood for a run of batches, when every place of its path is a table space of this
 * instance: packets first .. first+total-1 in batches of `batch` (written as flood_feed does), each
 * through the path's `places` places (flood_enter between them, at most the ring's slots after a
 * place, as the engine caps a run) and counted as flood_tally does into `counts` (FLOOD_STATE_SIZE
 * bytes: drop counters, added to; then S_DELIVERED, this call's). Returns the packets sent. With `stopAtDrop`, stops after
 * a batch one of whose own packets (slots [0, S_LAST)) was dropped, so the caller can hear it.
 */
export function flood_run(
  template: usize, size: u32, words: usize, count: u32, first: u32, total: i32, batch: i32,
  fieldAt: u32, csumAt: u32, path: usize, places: i32, counts: usize, stopAtDrop: bool,
): i32 {
  let sent = 0;
  store<u32>(counts + S_DELIVERED, 0);
  store<u32>(counts + S_LAST, 0);
  const inPort = load<u32>(path, P_IN_PORT);
  const ctx = load<u32>(path, P_CTX);
  while (sent < total) {
    const n0 = min(batch, total - sent);
    flood_feed(template, size, words, count, (first + <u32>sent) % count, n0, fieldAt, csumAt, inPort, ctx);
    let n = n0;
    for (let k = 0; k < places; k++) {
      const p = path + <usize>(k * PLACE_SIZE);
      const space = load<u32>(p, P_SPACE);
      if (space != NO_SPACE) space_select(space);
      if (k > 0) flood_enter(n, load<u32>(p, P_IN_PORT), load<u32>(p, P_CTX));
      n = min(pipeline_run(n, <usize>load<u32>(p, P_PROGRAM), load<i32>(p, P_STEPS)), ringSlots);
    }
    const delivered = flood_tally(n, counts);
    store<u32>(counts + S_DELIVERED, load<u32>(counts + S_DELIVERED) + <u32>delivered);
    sent += n0;
    if (stopAtDrop && delivered < n && ownDropped(n0)) {
      store<u32>(counts + S_LAST, <u32>n0);
      break;
    }
  }
  return sent;
}

/** Whether one of slots [0, n) was dropped. */
function ownDropped(n: i32): bool {
  for (let i = 0; i < n; i++) if (<i32>load<u8>(desc(i) + D_NEXT) == NEXT_DROP) return true;
  return false;
}

// A descriptor is four 8-byte words (the stores above clear it).
assert(DESC_SIZE == 32);
