// Per-packet verdict helpers shared by every stage.
import { D_NEXT, D_DROP, NEXT_DROP, A_DROP, FIELD_NONE } from './abi';
import { countDrop } from './counters';
import { tracing, traceEvent } from './trace';
import { uftRecording, uftNote, N_DROP_STAGE } from './tables/uft';

/** Marks descriptor `d` (packet index `i`) dropped by `stage` for `reason`, counts it, traces it. */
export function dropPacket(d: usize, i: i32, stage: i32, reason: u8, entry: i32 = -1): void {
  store<u8>(d, NEXT_DROP, D_NEXT);
  store<u8>(d, reason, D_DROP);
  countDrop(reason);
  if (uftRecording) store<u8>(uftNote(i), <u8>stage, N_DROP_STAGE);
  if (tracing) traceEvent(i, stage, A_DROP, entry, FIELD_NONE, 0, <u64>reason);
}
