// The exported ABI of the data plane, and nothing else. Each function says who calls it and how often.
import { MAX_BATCH } from './abi';
import { ring_init } from './memory';
import { counters_init } from './counters';
import { trace_init } from './trace';

export { alloc, ring_base, desc_base, ring_snapshot, ring_restore } from './memory';
export { counters_base, counters_reset } from './counters';
export { trace_enable, trace_base, trace_len, trace_lost } from './trace';
export { pipeline_run } from './pipeline';

/** Called once by the engine after instantiation: sizes the ring, counters and the trace buffer. */
export function init(slots: i32, traceCapacity: i32): void {
  ring_init(slots > 0 ? slots : MAX_BATCH);
  counters_init();
  trace_init(traceCapacity);
}
