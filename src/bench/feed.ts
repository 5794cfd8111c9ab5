/**
 * The batch feed of bench workloads whose every batch carries other flows: a pool of frames (and one
 * descriptor word per frame) copied into linear memory once, then each batch is one ring_feed call
 * (assembly/memory.ts) — what a NIC's receive ring does, kept out of the stages' cost and timed as
 * harness. On the reference core the same copy runs in TypeScript.
 */
import type { PacketCore, WasmCore } from '../engine/core.js';
import * as abi from '../abi.js';

export interface FramePool {
  count: number;
  /** Bytes of each frame in `frames` (a multiple of 4). */
  size: number;
  frames: Uint8Array;
  /** One word per frame, stored at descriptor offset `field`. */
  words: Uint32Array;
  field: number;
}

interface FeedExports {
  ring_feed(pool: number, words: number, first: number, count: number, n: number, size: number, field: number): void;
}

/** Returns feed(first): writes pool frames first, first+1, ... (cyclically) into slots [0, n). */
export function poolFeeder(core: PacketCore, pool: FramePool, n: number): (first: number) => void {
  const { count, size, frames, words, field } = pool;
  if (core.kind === 'wasm') {
    const at = core.alloc(count * size);
    const wordsAt = core.alloc(count * 4);
    const u8 = core.bytes();
    u8.set(frames.subarray(0, count * size), at);
    new Uint32Array(u8.buffer, wordsAt, count).set(words.subarray(0, count));
    const feed = ((core as WasmCore).exports as unknown as FeedExports).ring_feed;
    return (first) => feed(at, wordsAt, first, count, n, size, field);
  }
  return (first) => {
    const u8 = core.bytes();
    const dv = core.view();
    let e = first % count;
    for (let i = 0; i < n; i++) {
      u8.set(frames.subarray(e * size, e * size + size), core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM);
      dv.setUint32(core.descBase + i * abi.DESC_SIZE + field, words[e], true);
      if (++e === count) e = 0;
    }
  };
}
