// A flood's batches (src/sim/flood-shards.ts): the frames written, the hand-over from one place to
// the next and the verdicts counted here, once per batch, instead of a few JavaScript calls per packet.
import { DESC_SIZE, D_DATA, D_LEN, D_IN_PORT, D_OUT_PORT, D_CTX, D_NEXT, D_DROP, OUT_PORT_NONE, NEXT_DROP } from './abi';
import { desc, slotFrame } from './memory';

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

// A descriptor is four 8-byte words (the stores above clear it).
assert(DESC_SIZE == 32);
