/**
 * The packet core seen from TypeScript: the ring of frames, their descriptors, counters and trace.
 * Two implementations share this interface: `WasmCore` (the WebAssembly data plane, build/core.wasm)
 * and `RefCore` (src/engine/reference/, the plain-TypeScript oracle). Both keep the same memory layout
 * (src/abi.ts) so differential tests compare bytes, descriptors and counters directly.
 */
import * as abi from '../abi.js';
import { decodeTrace, type TraceEvent } from './trace.js';

export interface PacketCore {
  readonly kind: 'wasm' | 'reference';
  /** Byte view of the whole memory; re-read after any call that may allocate (views detach on growth). */
  bytes(): Uint8Array;
  view(): DataView;
  /** Address of slot 0 and of descriptor 0. */
  readonly ringBase: number;
  readonly descBase: number;
  readonly slots: number;
  /** Reserves a zero-filled, 16-byte-aligned region for a table image (once per table load). */
  alloc(size: number): number;
  /** Returns a region `alloc` gave that no table holds (a staging image a table copied). */
  free(p: number): void;
  /** Runs a program (stage steps) over packets [0, n); returns the batch size after it (flooding adds
   *  replicas in slots n, n+1, ...). */
  run(n: number, program: ProgramStep[]): number;
  /** Copies descriptors and slots [0, n) aside (bench: once per workload). */
  snapshot(n: number): void;
  /** Restores the n descriptors and, when frameBytes > 0, that many bytes of each slot from its start. */
  restore(n: number, frameBytes: number): void;
  /** Counters: per stage [in, pass, drop, done], and per drop reason. */
  counters(): Counters;
  resetCounters(): void;
  setTracing(on: boolean): void;
  traceEvents(): TraceEvent[];
}

export interface ProgramStep {
  stage: number;
  a0?: number;
  a1?: number;
}

export interface Counters {
  /** stage id → [in, pass, drop, done] */
  stages: number[][];
  /** drop reason code → count (only non-zero codes). */
  drops: Map<number, number>;
}

/** Address of descriptor i. */
export function descAddr(core: PacketCore, i: number): number {
  return core.descBase + i * abi.DESC_SIZE;
}

/**
 * Writes frames into slots [0, frames.length) at the default offset (after the headroom) and resets
 * their descriptors: length, in-port, out-port none, disposition continue. Called once per batch.
 */
export function writeBatch(core: PacketCore, frames: Uint8Array[], inPorts?: number[] | number, ctx?: number[] | number): void {
  const n = frames.length;
  if (n > core.slots) throw new RangeError(`batch of ${n} exceeds the ring's ${core.slots} slots`);
  const mem = core.bytes();
  const dv = core.view();
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    if (f.length > abi.MAX_FRAME) throw new RangeError(`frame ${i} is ${f.length} bytes; a slot holds ${abi.MAX_FRAME}`);
    const data = core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM;
    mem.set(f, data);
    const d = core.descBase + i * abi.DESC_SIZE;
    mem.fill(0, d, d + abi.DESC_SIZE);
    dv.setUint32(d + abi.D_DATA, data, true);
    dv.setUint16(d + abi.D_LEN, f.length, true);
    dv.setUint16(d + abi.D_IN_PORT, typeof inPorts === 'number' ? inPorts : (inPorts?.[i] ?? 0), true);
    dv.setUint16(d + abi.D_OUT_PORT, abi.OUT_PORT_NONE, true);
    dv.setUint32(d + abi.D_CTX, typeof ctx === 'number' ? ctx : (ctx?.[i] ?? 0), true);
  }
}

/** The frame bytes of packet i as they are now (a copy). */
export function readFrame(core: PacketCore, i: number): Uint8Array {
  const dv = core.view();
  const d = core.descBase + i * abi.DESC_SIZE;
  const data = dv.getUint32(d + abi.D_DATA, true);
  const len = dv.getUint16(d + abi.D_LEN, true);
  return core.bytes().slice(data, data + len);
}

/** The decoded descriptor of packet i. */
export interface Descriptor {
  data: number;
  len: number;
  l3: number;
  l4: number;
  inPort: number;
  outPort: number;
  vlan: number;
  next: number;
  drop: number;
  ethertype: number;
  proto: number;
  flags: number;
  aux: number;
  ctx: number;
  hash: number;
}

export function readDescriptor(core: PacketCore, i: number): Descriptor {
  const dv = core.view();
  const d = core.descBase + i * abi.DESC_SIZE;
  return {
    data: dv.getUint32(d + abi.D_DATA, true),
    len: dv.getUint16(d + abi.D_LEN, true),
    l3: dv.getUint8(d + abi.D_L3),
    l4: dv.getUint8(d + abi.D_L4),
    inPort: dv.getUint16(d + abi.D_IN_PORT, true),
    outPort: dv.getUint16(d + abi.D_OUT_PORT, true),
    vlan: dv.getUint16(d + abi.D_VLAN, true),
    next: dv.getUint8(d + abi.D_NEXT),
    drop: dv.getUint8(d + abi.D_DROP),
    ethertype: dv.getUint16(d + abi.D_ETHERTYPE, true),
    proto: dv.getUint8(d + abi.D_PROTO),
    flags: dv.getUint8(d + abi.D_FLAGS),
    aux: dv.getUint32(d + abi.D_AUX, true),
    ctx: dv.getUint32(d + abi.D_CTX, true),
    hash: dv.getUint32(d + abi.D_HASH, true),
  };
}

/** Reads the counters block laid out as assembly/counters.ts lays it out. */
export function readCounters(dv: DataView, base: number): Counters {
  const stages: number[][] = [];
  for (let s = 0; s < abi.STAGE_COUNT; s++) {
    const row: number[] = [];
    for (let k = 0; k < abi.COUNTERS_PER_STAGE; k++) {
      row.push(Number(dv.getBigUint64(base + (s * abi.COUNTERS_PER_STAGE + k) * 8, true)));
    }
    stages.push(row);
  }
  const drops = new Map<number, number>();
  const dropBase = base + abi.STAGE_COUNT * abi.COUNTERS_PER_STAGE * 8;
  for (let r = 0; r < 256; r++) {
    const v = Number(dv.getBigUint64(dropBase + r * 8, true));
    if (v !== 0) drops.set(r, v);
  }
  return { stages, drops };
}

/** The exports of build/core.wasm that the engine calls (stage-specific table loaders are added by
 *  their modules under src/engine/wasm/). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  init(slots: number, traceCapacity: number): void;
  alloc(size: number): number;
  free(p: number): void;
  ring_base(): number;
  desc_base(): number;
  counters_base(): number;
  counters_reset(): void;
  trace_enable(on: number): void;
  trace_base(): number;
  trace_len(): number;
  trace_lost(): number;
  pipeline_run(n: number, program: number, steps: number): number;
  ring_snapshot(n: number): void;
  ring_restore(n: number, frameBytes: number): void;
  space_select(id: number): number;
  [name: string]: unknown;
}

/**
 * The simulation's data plane: a ring that holds a flood to every port of a full HNS network (4,095
 * endpoints, the MAC pool's size, plus the host vNIC and the external port, with room to spare),
 * and a trace that holds that flood's events. The ring and the trace are not zero-filled: their
 * pages cost memory only once a batch reaches them.
 */
export const SIM_CORE_OPTIONS = { slots: 4160, traceCapacity: 65536 } as const;

export interface WasmCoreOptions {
  /** Ring slots (max batch). Default abi.MAX_BATCH. */
  slots?: number;
  /** Trace buffer capacity in events. Default 65536. */
  traceCapacity?: number;
}

/** The WebAssembly data plane. Create with `WasmCore.create(moduleOrBytes)`. */
export class WasmCore implements PacketCore {
  readonly kind = 'wasm' as const;
  readonly ringBase: number;
  readonly descBase: number;
  readonly slots: number;
  private u8: Uint8Array;
  private dv: DataView;
  private programPtr = 0;
  private programCap = 0;

  private constructor(readonly exports: CoreExports, opts: WasmCoreOptions) {
    this.slots = opts.slots ?? abi.MAX_BATCH;
    exports.init(this.slots, opts.traceCapacity ?? 65536);
    this.u8 = new Uint8Array(exports.memory.buffer);
    this.dv = new DataView(exports.memory.buffer);
    this.ringBase = exports.ring_base() >>> 0;
    this.descBase = exports.desc_base() >>> 0;
  }

  static async create(source: BufferSource | WebAssembly.Module, opts: WasmCoreOptions = {}): Promise<WasmCore> {
    const imports = {
      env: {
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`data plane invariant broken (core.wasm abort at ${line}:${col})`);
        },
        seed: () => 0x5eed,
      },
    };
    const instance =
      source instanceof WebAssembly.Module
        ? await WebAssembly.instantiate(source, imports)
        : (await WebAssembly.instantiate(source, imports)).instance;
    return new WasmCore(instance.exports as unknown as CoreExports, opts);
  }

  bytes(): Uint8Array {
    if (this.u8.buffer !== this.exports.memory.buffer) this.refresh();
    return this.u8;
  }

  view(): DataView {
    if (this.dv.buffer !== this.exports.memory.buffer) this.refresh();
    return this.dv;
  }

  private refresh(): void {
    this.u8 = new Uint8Array(this.exports.memory.buffer);
    this.dv = new DataView(this.exports.memory.buffer);
  }

  alloc(size: number): number {
    const p = this.exports.alloc(size) >>> 0;
    this.refresh();
    return p;
  }

  free(p: number): void {
    this.exports.free(p);
  }

  run(n: number, program: ProgramStep[]): number {
    if (program.length > this.programCap) {
      this.programCap = Math.max(16, program.length);
      this.free(this.programPtr);
      this.programPtr = this.alloc(this.programCap * 12);
    }
    const dv = this.view();
    program.forEach((s, k) => {
      dv.setUint32(this.programPtr + k * 12, s.stage, true);
      dv.setUint32(this.programPtr + k * 12 + 4, s.a0 ?? 0, true);
      dv.setUint32(this.programPtr + k * 12 + 8, s.a1 ?? 0, true);
    });
    return this.exports.pipeline_run(n, this.programPtr, program.length);
  }

  /** For hot loops (bench): writes a program once and returns a runner that only calls into wasm. */
  compile(program: ProgramStep[]): (n: number) => number {
    const ptr = this.alloc(Math.max(1, program.length) * 12);
    const dv = this.view();
    program.forEach((s, k) => {
      dv.setUint32(ptr + k * 12, s.stage, true);
      dv.setUint32(ptr + k * 12 + 4, s.a0 ?? 0, true);
      dv.setUint32(ptr + k * 12 + 8, s.a1 ?? 0, true);
    });
    const run = this.exports.pipeline_run;
    const steps = program.length;
    return (n: number) => run(n, ptr, steps);
  }

  snapshot(n: number): void {
    this.exports.ring_snapshot(n);
    this.refresh();
  }

  restore(n: number, frameBytes: number): void {
    this.exports.ring_restore(n, frameBytes);
  }

  counters(): Counters {
    return readCounters(this.view(), this.exports.counters_base() >>> 0);
  }

  resetCounters(): void {
    this.exports.counters_reset();
  }

  setTracing(on: boolean): void {
    this.exports.trace_enable(on ? 1 : 0);
  }

  traceEvents(): TraceEvent[] {
    return decodeTrace(this.view(), this.exports.trace_base() >>> 0, this.exports.trace_len());
  }
}

/**
 * One simulated host's data plane inside a shared WasmCore: the same memory, ring, counters and
 * trace, and the host's own table space (assembly/spaces.ts). Every call that reads or writes
 * tables selects the space first — loaders reach the exports through `exports`, which selects it —
 * so hosts keep their own ids (domains, rule sets, vSwitches, NAT instances) and state.
 */
export class SpaceCore implements PacketCore {
  readonly kind = 'wasm' as const;

  constructor(
    readonly shared: WasmCore,
    readonly space: number,
  ) {}

  get exports(): CoreExports {
    const x = this.shared.exports;
    if (x.space_select(this.space) !== 0) throw new RangeError(`table space ${this.space} out of range`);
    return x;
  }

  get ringBase(): number {
    return this.shared.ringBase;
  }

  get descBase(): number {
    return this.shared.descBase;
  }

  get slots(): number {
    return this.shared.slots;
  }

  bytes(): Uint8Array {
    return this.shared.bytes();
  }

  view(): DataView {
    return this.shared.view();
  }

  alloc(size: number): number {
    return this.shared.alloc(size);
  }

  free(p: number): void {
    this.shared.free(p);
  }

  run(n: number, program: ProgramStep[]): number {
    void this.exports;
    return this.shared.run(n, program);
  }

  snapshot(n: number): void {
    this.shared.snapshot(n);
  }

  restore(n: number, frameBytes: number): void {
    this.shared.restore(n, frameBytes);
  }

  counters(): Counters {
    return this.shared.counters();
  }

  resetCounters(): void {
    this.shared.resetCounters();
  }

  setTracing(on: boolean): void {
    this.shared.setTracing(on);
  }

  traceEvents(): TraceEvent[] {
    return this.shared.traceEvents();
  }
}
