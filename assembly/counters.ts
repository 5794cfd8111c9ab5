// Per-stage and per-drop-reason counters (u64), readable from TS through counters_base().
import { STAGE_COUNT, COUNTERS_PER_STAGE, C_IN, C_PASS, C_DROP, C_DONE } from './abi';
import { alloc } from './memory';

/** u64[STAGE_COUNT * COUNTERS_PER_STAGE] followed by u64[256] drop-reason counters. */
let countersBase: usize = 0;
const DROP_COUNTERS_OFFSET: i32 = STAGE_COUNT * COUNTERS_PER_STAGE * 8;

export function counters_init(): void {
  countersBase = alloc(<u32>(DROP_COUNTERS_OFFSET + 256 * 8));
}

/** Called by the engine when it reads counters (after a batch, or on demand). */
export function counters_base(): usize {
  return countersBase;
}

/** Called by the engine between scenarios. */
export function counters_reset(): void {
  memory.fill(countersBase, 0, DROP_COUNTERS_OFFSET + 256 * 8);
}

// @ts-ignore: decorator
@inline export function countStage(stage: i32, which: i32, k: u64): void {
  const p = countersBase + <usize>((stage * COUNTERS_PER_STAGE + which) << 3);
  store<u64>(p, load<u64>(p) + k);
}

// @ts-ignore: decorator
@inline export function countDrop(reason: i32): void {
  const p = countersBase + <usize>(DROP_COUNTERS_OFFSET + (reason << 3));
  store<u64>(p, load<u64>(p) + 1);
}

/** Adds a stage's per-batch tallies (kept in locals by the stage loop) to the counters. */
// @ts-ignore: decorator
@inline export function countBatch(stage: i32, inN: i32, pass: i32, drop: i32, done: i32): void {
  countStage(stage, C_IN, <u64>inN);
  countStage(stage, C_PASS, <u64>pass);
  countStage(stage, C_DROP, <u64>drop);
  countStage(stage, C_DONE, <u64>done);
}
