/**
 * The reference data plane's core: the same memory layout as the WebAssembly core (src/abi.ts) in a
 * plain ArrayBuffer, the same counters and trace events. Stages register themselves with
 * `registerStage` (one file per stage beside this one); their tables live in `core.tables`.
 * It favours the obvious algorithm over speed: it is the oracle for differential tests.
 */
import * as abi from '../../abi.js';
import type { Counters, PacketCore, ProgramStep } from '../core.js';
import { encodeTraceEvent, decodeTrace, type TraceEvent } from '../trace.js';

/** A reference stage: returns the batch size after it (see assembly/pipeline.ts). */
export type RefStage = (core: RefCore, n: number, a0: number, a1: number) => number;

const stages = new Map<number, RefStage>();

/** Called once at import by each reference stage module. */
export function registerStage(stage: number, fn: RefStage): void {
  stages.set(stage, fn);
}

export interface RefCoreOptions {
  slots?: number;
  traceCapacity?: number;
  /** Initial memory in bytes (grows on demand). */
  memory?: number;
}

/** What the layers decided for one packet while the unified flow table walked it (the reference
 *  side of assembly/tables/uft.ts's notes). */
export interface RefUftNote {
  /** The ACL rule that decided (-1 the default action), undefined when no ACL layer ran. */
  aclRule?: number;
  natSession?: number;
  /** The tunnel's underlay MTU when vxlan-encap wrapped the packet. */
  tunnelMtu?: number;
  noCache?: boolean;
  dropStage?: number;
  /** Guard steps that judged the packet. */
  guards?: number;
}

/** Called by every reference table load (and the switch when a learned MAC moves). */
export function refTablesChanged(core: RefCore): void {
  core.generation++;
}

export class RefCore implements PacketCore {
  readonly kind = 'reference' as const;
  readonly ringBase: number;
  readonly descBase: number;
  readonly slots: number;
  /** Stage tables, keyed by the stage module's own name (e.g. 'acl', 'nat'). */
  readonly tables = new Map<string, unknown>();
  tracing = false;
  /** The tables generation (reference/uft.ts): moved by every table load and by a learned MAC
   *  moving port, as assembly/tables/generation.ts. */
  generation = 1;
  /** Per-packet notes of a unified-flow-table walk (reference/uft.ts), null when none runs. */
  uftNotes: RefUftNote[] | null = null;
  private buf: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private top = 64;
  private stageCounters: number[][];
  private dropCounters = new Map<number, number>();
  private events: TraceEvent[] = [];
  private readonly traceCapacity: number;

  constructor(opts: RefCoreOptions = {}) {
    this.slots = opts.slots ?? abi.MAX_BATCH;
    this.traceCapacity = opts.traceCapacity ?? 65536;
    this.buf = new ArrayBuffer(opts.memory ?? 1 << 22);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    this.ringBase = this.alloc(this.slots * abi.SLOT_SIZE);
    this.descBase = this.alloc(this.slots * abi.DESC_SIZE);
    this.stageCounters = Array.from({ length: abi.STAGE_COUNT }, () => new Array(abi.COUNTERS_PER_STAGE).fill(0));
  }

  bytes(): Uint8Array {
    return this.u8;
  }

  view(): DataView {
    return this.dv;
  }

  alloc(size: number): number {
    const p = (this.top + 15) & ~15;
    const end = p + size;
    if (end > this.buf.byteLength) {
      const next = new ArrayBuffer(Math.max(end, this.buf.byteLength * 2));
      new Uint8Array(next).set(this.u8);
      this.buf = next;
      this.u8 = new Uint8Array(next);
      this.dv = new DataView(next);
    }
    this.u8.fill(0, p, end);
    this.top = end;
    return p;
  }

  /** The reference core's tables are JS objects; its memory holds the ring, sized once: nothing to return. */
  free(_p: number): void {}

  /** The index of the program step running now (a guard parks packets for the steps after it). */
  step = 0;
  /** Packets a guard parked: packet index → the step before which it continues again. */
  readonly parked = new Map<number, number>();

  /** Runs `program`; `stepBase` numbers its steps from there (a UFT's walk of a port's layers, as
   *  step stepBase of the outer program: no packet may be parked across it). */
  run(n: number, program: ProgramStep[], stepBase = 0): number {
    if (stepBase === 0) this.parked.clear();
    else if (this.parked.size) throw new Error('uft: a UFT step inside a guarded block');
    program.forEach((step, k) => {
      const s = stepBase + k;
      this.wake(s);
      const fn = stages.get(step.stage);
      if (!fn) throw new Error(`reference data plane has no stage ${step.stage}`);
      this.step = s;
      n = fn(this, n, step.a0 ?? 0, step.a1 ?? 0);
    });
    this.wake(Infinity);
    return n;
  }

  /** Returns the packets whose park ends by step `s` to NEXT_CONTINUE. */
  private wake(s: number): void {
    for (const [i, until] of this.parked) {
      if (until > s) continue;
      this.dv.setUint8(this.desc(i) + abi.D_NEXT, abi.NEXT_CONTINUE);
      this.parked.delete(i);
    }
  }

  private shadow?: { desc: Uint8Array; ring: Uint8Array };

  snapshot(n: number): void {
    this.shadow = {
      desc: this.u8.slice(this.descBase, this.descBase + n * abi.DESC_SIZE),
      ring: this.u8.slice(this.ringBase, this.ringBase + n * abi.SLOT_SIZE),
    };
  }

  restore(n: number, frameBytes: number): void {
    if (!this.shadow) throw new Error('restore() before snapshot()');
    this.u8.set(this.shadow.desc.subarray(0, n * abi.DESC_SIZE), this.descBase);
    if (frameBytes > 0) {
      for (let i = 0; i < n; i++) {
        const off = i * abi.SLOT_SIZE;
        this.u8.set(this.shadow.ring.subarray(off, off + frameBytes), this.ringBase + off);
      }
    }
  }

  counters(): Counters {
    return { stages: this.stageCounters.map((r) => r.slice()), drops: new Map(this.dropCounters) };
  }

  resetCounters(): void {
    for (const r of this.stageCounters) r.fill(0);
    this.dropCounters.clear();
  }

  setTracing(on: boolean): void {
    this.tracing = on && this.traceCapacity > 0;
    this.events = [];
  }

  traceEvents(): TraceEvent[] {
    // Round-trip through the binary layout so both cores' events compare field for field.
    const dv = new DataView(new ArrayBuffer(this.events.length * abi.TRACE_EVENT_SIZE));
    this.events.forEach((e, k) => encodeTraceEvent(dv, k * abi.TRACE_EVENT_SIZE, e));
    return decodeTrace(dv, 0, this.events.length);
  }

  // ---- helpers for reference stages ----

  /** Descriptor address of packet i. */
  desc(i: number): number {
    return this.descBase + i * abi.DESC_SIZE;
  }

  /** Disposition of packet i. */
  next(i: number): number {
    return this.dv.getUint8(this.desc(i) + abi.D_NEXT);
  }

  count(stage: number, which: number, k = 1): void {
    this.stageCounters[stage][which] += k;
  }

  /** Marks packet i dropped by `stage` for `reason` (counts and traces it like the wasm core). */
  drop(i: number, stage: number, reason: number, entry = -1): void {
    const d = this.desc(i);
    this.dv.setUint8(d + abi.D_NEXT, abi.NEXT_DROP);
    this.dv.setUint8(d + abi.D_DROP, reason);
    this.dropCounters.set(reason, (this.dropCounters.get(reason) ?? 0) + 1);
    if (this.uftNotes?.[i]) this.uftNotes[i].dropStage = stage;
    this.trace(i, stage, abi.A_DROP, entry, abi.FIELD_NONE, 0n, BigInt(reason));
  }

  trace(pkt: number, stage: number, action: number, entry: number, field: number, before: bigint, after: bigint): void {
    if (!this.tracing) return;
    if (this.events.length >= this.traceCapacity) return;
    this.events.push({ pkt, stage, action, entry, field, step: this.step, before, after });
  }
}
