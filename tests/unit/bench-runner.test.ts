/**
 * The bench runner's arithmetic on a scripted clock: the rate of the whole batch loop and of the
 * harness alone (restore + beforeBatch, no program) come out of the time each part takes, and
 * `--compare` attaches each workload's ratio to the same workload of an older document.
 */
import { describe, expect, it } from 'vitest';
import type { PacketCore } from '../../src/engine/core.js';
import { RefCore } from '../../src/engine/reference/index.js';
import { runBench, formatTable } from '../../src/bench/runner.js';
import { compareResults, parseBenchDocument, workloadKey } from '../../src/bench/compare.js';
import type { BenchResult, Workload } from '../../src/bench/types.js';
import { main } from '../../src/cli/main.js';

/** A reference core on a fake clock: each restore costs `restoreMs`, each program run `runMs`. */
function scriptedCore(clock: { t: number }, restoreMs: number, runMs: number): PacketCore {
  const core = new RefCore({ traceCapacity: 0 });
  const restore = core.restore.bind(core);
  const run = core.run.bind(core);
  return Object.assign(core, {
    restore(n: number, bytes: number) {
      clock.t += restoreMs;
      restore(n, bytes);
    },
    run(n: number, program: Parameters<PacketCore['run']>[1]) {
      clock.t += runMs;
      return run(n, program);
    },
  });
}

const frame = new Uint8Array(64);
const workload: Workload = {
  name: 'idle',
  stage: 'none',
  params: { batch: 4 },
  setup: () => ({ program: [], frames: [frame, frame, frame, frame] }),
};

describe('bench runner', () => {
  it('reports the harness cost apart from the whole loop', async () => {
    const clock = { t: 0 };
    // Per batch of 4: restore 1 µs, program 3 µs → 1000 ns/packet in all, 250 of them harness.
    const [r] = await runBench([workload], {
      impls: ['reference'],
      runMs: 10,
      warmupMs: 1,
      now: () => clock.t,
      createCore: async () => scriptedCore(clock, 0.001, 0.003),
    });
    expect(r.mpps).toBeCloseTo(1, 6);
    expect(r.nsPerPacket).toBeCloseTo(1000, 3);
    expect(r.harnessNsPerPacket).toBeCloseTo(250, 3);
    expect(r.runs).toBe(5);
    expect(formatTable([r])).toMatch(/harness ns\/pkt[\s\S]*\b250\b/);
  });

  it('adds the ratio to the same workload of an older run, and none to a workload it lacks', () => {
    const base: BenchResult = {
      name: 'nat-established', stage: 'nat', impl: 'wasm', params: { sessions: 65536, batch: 256, size: 64 },
      mpps: 20, nsPerPacket: 50, runs: 5, min: 19, median: 20, max: 21, harnessNsPerPacket: 10, unit: 'packets',
    };
    const bigger = { ...base, params: { ...base.params, sessions: 1_000_000 }, mpps: 8, median: 8 };
    const now = [{ ...base, median: 30, mpps: 30 }, { ...bigger, median: 6, mpps: 6 }];
    // Older documents lack harnessNsPerPacket and may list params in another order.
    const { harnessNsPerPacket: _, ...oldShape } = base;
    const old = parseBenchDocument(JSON.stringify({ results: [{ ...oldShape, params: { size: 64, batch: 256, sessions: 65536 } }] }));
    const out = compareResults(now, old.results);
    expect(out[0].ratio).toBe(1.5);
    expect(out[1].ratio).toBeUndefined();
    expect(workloadKey(out[0])).not.toBe(workloadKey(out[1]));
    const table = formatTable(out);
    expect(table).toContain('vs old');
    expect(table).toContain('1.5×');
  });

  it('refuses a document without results', () => {
    expect(() => parseBenchDocument('{"node":"v20"}')).toThrow(/results/);
  });

  it('refuses a clock it does not know and a baseline it cannot read, before running anything', async () => {
    const errs: string[] = [];
    const out: string[] = [];
    expect(await main(['bench', '--clock', 'sundial'], (l) => out.push(l) > 0, (l) => errs.push(l) > 0)).toBe(2);
    expect(errs.join('\n')).toMatch(/--clock takes wall or cpu/);
    expect(await main(['bench', '--only', 'mac-rewrite', '--compare', '/nonexistent/old.json'], (l) => out.push(l) > 0, (l) => errs.push(l) > 0)).toBe(2);
    expect(errs.join('\n')).toMatch(/cannot read \/nonexistent\/old.json/);
    expect(out).toEqual([]);
  });
});
