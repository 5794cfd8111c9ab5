// Trace buffer: when tracing is on, stages append one TRACE_EVENT_SIZE-byte record per decision and
// per changed header field (layout in src/abi.ts). Stages read `tracing` once per batch and run a
// loop without any trace code when it is off.
import { TRACE_EVENT_SIZE } from './abi';

export let tracing: bool = false;
/** The program step running now (pipeline_run sets it): every event records which step made it. */
let traceStep: i32 = 0;

/** Called by the pipeline before each step of a program. */
export function setTraceStep(step: i32): void {
  traceStep = step;
}

/** The step set last (the UFT's walk of a port's layers numbers its steps from its own). */
export function traceStepNow(): i32 {
  return traceStep;
}
let traceBase: usize = 0;
let traceCap: i32 = 0;
let traceLen: i32 = 0;
let traceLost: i32 = 0;

/** Called by the engine when it turns tracing on (capacity in events); once per engine. */
export function trace_init(capacity: i32): void {
  // Not zero-filled: events are read up to trace_len, and pages are touched only as events fill them.
  traceBase = heap.alloc(<usize>(capacity * TRACE_EVENT_SIZE));
  traceCap = capacity;
}

/** Called by the engine before a traced batch (on) and after it (off). */
export function trace_enable(on: bool): void {
  tracing = on && traceCap > 0;
  traceLen = 0;
  traceLost = 0;
}

export function trace_base(): usize {
  return traceBase;
}

/** Number of events recorded since trace_enable. */
export function trace_len(): i32 {
  return traceLen;
}

/** Number of events that did not fit. */
export function trace_lost(): i32 {
  return traceLost;
}

export function traceEvent(pkt: i32, stage: i32, action: i32, entry: i32, field: i32, before: u64, after: u64): void {
  if (traceLen >= traceCap) {
    traceLost++;
    return;
  }
  const p = traceBase + <usize>(traceLen * TRACE_EVENT_SIZE);
  store<u16>(p, <u16>pkt, 0);
  store<u8>(p, <u8>stage, 2);
  store<u8>(p, <u8>action, 3);
  store<i32>(p, entry, 4);
  store<u16>(p, <u16>field, 8);
  store<u16>(p, <u16>traceStep, 10);
  store<u32>(p, 0, 12);
  store<u64>(p, before, 16);
  store<u64>(p, after, 24);
  traceLen++;
}

/** Marker types for a stage's two loop variants: write the loop once as an @inline generic
 *  `loop<T>(...)`, test `isTraced<T>()` (a compile-time constant) around trace code, and call
 *  `tracing ? loop<Traced>(...) : loop<Untraced>(...)` once per batch: the untraced instance then
 *  holds no trace code at all, not even a branch. */
@final export abstract class Traced {}
@final export abstract class Untraced {}

// @ts-ignore: decorator
@inline export function isTraced<T>(): bool {
  return idof<T>() == idof<Traced>();
}
