/**
 * Differential testing: the same tables, batch and program through the WebAssembly core and the
 * reference core must give identical frames, descriptors, counters and trace events.
 */
import { expect } from 'vitest';
import * as abi from '../../src/abi.js';
import { type PacketCore, type ProgramStep, writeBatch, readFrame, readDescriptor } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/core.js';
import '../../src/engine/reference/index.js';

/** Small, fast, seedable PRNG (mulberry32) so failures reproduce from the printed seed. */
export { mulberry32 as rng } from '../../src/bench/classbench.js';

/** Integer in [lo, hi]. */
export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export interface CorePair {
  wasm: PacketCore;
  ref: PacketCore;
}

export async function makePair(opts: { slots?: number; traceCapacity?: number; debug?: boolean } = {}): Promise<CorePair> {
  const wasm = await loadWasmCore({ slots: opts.slots, traceCapacity: opts.traceCapacity, debug: opts.debug });
  const ref = new RefCore({ slots: opts.slots, traceCapacity: opts.traceCapacity });
  return { wasm, ref };
}

/** A snapshot of what a batch looks like after a program ran, comparable across cores. */
export interface BatchOutcome {
  frames: string[];
  descriptors: Record<string, number>[];
  counters: { stages: number[][]; drops: [number, number][] };
  trace: string[];
}

export function outcome(core: PacketCore, n: number, withTrace: boolean): BatchOutcome {
  const frames: string[] = [];
  const descriptors: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const d = readDescriptor(core, i);
    // Frame addresses differ between cores; compare the offset within the slot instead.
    const slotStart = core.ringBase + i * abi.SLOT_SIZE;
    descriptors.push({ ...d, data: d.data - slotStart });
    frames.push(Buffer.from(readFrame(core, i)).toString('hex'));
  }
  const c = core.counters();
  const trace = withTrace
    ? core.traceEvents().map((e) => `${e.pkt} s${e.stage} a${e.action} e${e.entry} f${e.field} ${e.before}>${e.after}`)
    : [];
  return { frames, descriptors, counters: { stages: c.stages, drops: [...c.drops.entries()].sort((a, b) => a[0] - b[0]) }, trace };
}

/**
 * Runs one batch through both cores and asserts identical outcomes. `inPorts`/`ctx` as writeBatch.
 * Returns the wasm outcome for further checks.
 */
export function runBoth(
  pair: CorePair,
  frames: Uint8Array[],
  program: ProgramStep[],
  opts: {
    seed: number;
    inPorts?: number[] | number;
    ctx?: number[] | number;
    trace?: boolean;
    /** Runs on each core after the batch is written, before the program (e.g. to fill descriptor
     *  fields a stage expects from an earlier stage); must treat both cores alike. */
    prepare?: (core: PacketCore) => void;
  } = { seed: 0 },
): BatchOutcome {
  const results: BatchOutcome[] = [];
  for (const core of [pair.wasm, pair.ref]) {
    writeBatch(core, frames, opts.inPorts, opts.ctx);
    opts.prepare?.(core);
    core.setTracing(!!opts.trace);
    const n = core.run(frames.length, program);
    results.push(outcome(core, n, !!opts.trace));
    core.setTracing(false);
  }
  const [w, r] = results;
  const where = `(seed ${opts.seed})`;
  expect(w.frames.length, `batch size after the program ${where}`).toBe(r.frames.length);
  for (let i = 0; i < w.frames.length; i++) {
    expect(w.descriptors[i], `descriptor of packet ${i} ${where}`).toEqual(r.descriptors[i]);
    expect(w.frames[i], `bytes of packet ${i} ${where}`).toBe(r.frames[i]);
  }
  expect(w.counters, `counters ${where}`).toEqual(r.counters);
  expect(w.trace, `trace events ${where}`).toEqual(r.trace);
  return w;
}
