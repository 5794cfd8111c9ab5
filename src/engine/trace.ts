/** Decoding of trace events (layout in src/abi.ts) written by either core. */
import { TRACE_EVENT_SIZE } from '../abi.js';

export interface TraceEvent {
  /** Packet index in the batch. */
  pkt: number;
  stage: number;
  action: number;
  /** Rule / table entry index, -1 for none. */
  entry: number;
  /** FIELD_* id; 0 when the event is a decision rather than a field change. */
  field: number;
  /** Index of the program step that recorded it (a program may run one stage at several steps). */
  step?: number;
  before: bigint;
  after: bigint;
}

export function decodeTrace(dv: DataView, base: number, count: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let k = 0; k < count; k++) {
    const p = base + k * TRACE_EVENT_SIZE;
    out.push({
      pkt: dv.getUint16(p, true),
      stage: dv.getUint8(p + 2),
      action: dv.getUint8(p + 3),
      entry: dv.getInt32(p + 4, true),
      field: dv.getUint16(p + 8, true),
      step: dv.getUint16(p + 10, true),
      before: dv.getBigUint64(p + 16, true),
      after: dv.getBigUint64(p + 24, true),
    });
  }
  return out;
}

/** Writes one event in the shared layout (used by the reference core). */
export function encodeTraceEvent(dv: DataView, p: number, e: TraceEvent): void {
  dv.setUint16(p, e.pkt, true);
  dv.setUint8(p + 2, e.stage);
  dv.setUint8(p + 3, e.action);
  dv.setInt32(p + 4, e.entry, true);
  dv.setUint16(p + 8, e.field, true);
  dv.setUint16(p + 10, e.step ?? 0, true);
  dv.setUint32(p + 12, 0, true);
  dv.setBigUint64(p + 16, e.before, true);
  dv.setBigUint64(p + 24, e.after, true);
}
