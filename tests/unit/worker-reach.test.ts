/**
 * The worker's matrix (src/worker/reach.ts) in Node: the plan before the first cell, cells in batches
 * as they are probed, cancel between cells, and the reach budget (cells refused up front, time).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { reachStream } from '../../src/worker/reach.js';
import type { ReachCell } from '../../src/analysis/types.js';

const createCore = () => loadWasmCore({ slots: 256, traceCapacity: 8192 });
const script = readFileSync('examples/03-nat-port-publishing.pp', 'utf8');

describe('reachStream', () => {
  it('sends the plan, then every cell in batches, the first alone; the result holds them all', async () => {
    const batches: ReachCell[][] = [];
    let total = 0;
    const r = await reachStream({ script, files: {}, seed: 1 }, { createCore, cancelled: () => false, onPlan: (p) => (total = p.total), onCells: (c) => batches.push(c) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(total).toBe(r.result.cells.length);
    expect(batches[0]).toHaveLength(1);
    expect(batches.flat()).toEqual(r.result.cells);
    expect(r.cancelled).toBe(false);
  });

  it('stops between cells when cancelled, with the cells done so far', async () => {
    let seen = 0;
    const r = await reachStream({ script: `${script}\n`, files: {}, seed: 1 }, { createCore, cancelled: () => seen >= 1, onCells: (c) => (seen += c.length), everyMs: 0 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.cancelled).toBe(true);
    expect(r.result.cells.length).toBeLessThan(155);
  });

  it('refuses a matrix larger than its cell budget before probing, and stops one past its time', async () => {
    const big = await reachStream({ script, files: {}, budget: { probes: 10 } }, { createCore, cancelled: () => false });
    expect(big).toEqual({ ok: false, error: expect.stringMatching(/155 cells, more than the 10 one matrix may probe/) });
    let t = 0;
    const slow = await reachStream({ script, files: {}, budget: { ms: 5 } }, { createCore, cancelled: () => false, now: () => (t += 1) });
    expect(slow.ok && slow.stopped?.reason).toBe('time');
    expect(slow.ok && slow.result.cells.length).toBeLessThan(155);
  });
});
