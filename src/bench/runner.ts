/**
 * Runs bench workloads on the WebAssembly core and the reference core: warm-up, then at least five
 * timed runs, each a loop of whole batches for a fixed duration; reports the median.
 * Every timed batch includes restoring the batch (descriptors, and frames for programs that rewrite
 * them) and the workload's `beforeBatch`, so figures are conservative; the same loop without the
 * program is timed too (`harnessNsPerPacket`), so that the stage's own cost is the difference and
 * compares like for like with code measured without a harness.
 */
import { writeBatch, type PacketCore } from '../engine/core.js';
import type { BenchResult, Workload } from './types.js';

export interface RunnerOptions {
  /** Timed runs per workload and implementation (≥ 5). */
  runs?: number;
  /** Duration of one timed run, in ms (wasm); the reference gets a fifth of it. */
  runMs?: number;
  /** Warm-up duration in ms. */
  warmupMs?: number;
  /** Which implementations to run. */
  impls?: ('wasm' | 'reference')[];
  /** Creates a fresh core of a kind (one per workload, so tables do not mix). */
  createCore(kind: 'wasm' | 'reference'): Promise<PacketCore>;
  /** Called with a progress line before each workload. */
  progress?(line: string): void;
  /** Monotonic clock in ms (performance.now by default). */
  now?(): number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-run rates of one workload on one core, in million units per second: with the program, and of
 *  the harness alone (restore and beforeBatch, no program). */
export interface WorkloadTiming {
  rates: number[];
  harnessRates: number[];
  unit: 'packets' | 'sessions';
}

/** Times one workload on one core. */
export async function timeWorkload(core: PacketCore, w: Workload, opts: RunnerOptions): Promise<WorkloadTiming> {
  const now = opts.now ?? (() => performance.now());
  const prep = await w.setup(core);
  const n = prep.frames.length;
  writeBatch(core, prep.frames, prep.inPorts, prep.ctx);
  prep.prepare?.(core);
  core.snapshot(n);
  const restoreBytes = prep.restoreBytes ?? 0;
  const run = core.kind === 'wasm' && 'compile' in core
    ? (core as unknown as { compile(p: typeof prep.program): (n: number) => number }).compile(prep.program)
    : (k: number) => core.run(k, prep.program);
  const before = prep.beforeBatch;
  let iteration = 0;
  const batch = (): void => {
    core.restore(n, restoreBytes);
    if (before) before(iteration);
    iteration++;
    run(n);
  };
  // The harness alone runs after the timed runs: whatever state it leaves (e.g. a NAT clock moved
  // without packets) is never timed with the program.
  const harness = (): void => {
    core.restore(n, restoreBytes);
    if (before) before(iteration);
    iteration++;
  };
  const scale = core.kind === 'wasm' ? 1 : 0.2;
  const runMs = (opts.runMs ?? 400) * scale;
  const runs = Math.max(5, opts.runs ?? 5);
  const timed = (step: () => void): number[] => {
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      let batches = 0;
      const t0 = now();
      let t = t0;
      const end = t0 + runMs;
      while (t < end) {
        for (let k = 0; k < 8; k++) step();
        batches += 8;
        t = now();
      }
      rates.push((batches * n) / ((t - t0) * 1000));
    }
    return rates;
  };
  const warm = now() + (opts.warmupMs ?? 200) * scale;
  while (now() < warm) for (let k = 0; k < 16; k++) batch();
  const rates = timed(batch);
  for (let k = 0; k < 64; k++) harness();
  const harnessRates = timed(harness);
  return { rates, harnessRates, unit: prep.unit ?? 'packets' };
}

export async function runBench(workloads: Workload[], opts: RunnerOptions): Promise<BenchResult[]> {
  const impls = opts.impls ?? ['wasm', 'reference'];
  const results: BenchResult[] = [];
  const total = workloads.length * impls.length;
  let k = 0;
  for (const w of workloads) {
    for (const impl of impls) {
      k++;
      const params = Object.entries(w.params).map(([a, b]) => `${a}=${b}`).join(' ');
      opts.progress?.(`[${k}/${total}] ${w.name} ${params} (${impl})`);
      const core = await opts.createCore(impl);
      const { rates, harnessRates, unit } = await timeWorkload(core, w, opts);
      const med = median(rates);
      results.push({
        name: w.name,
        stage: w.stage,
        impl,
        params: w.params,
        mpps: round(med),
        nsPerPacket: round(1000 / med),
        runs: rates.length,
        min: round(Math.min(...rates)),
        median: round(med),
        max: round(Math.max(...rates)),
        harnessNsPerPacket: round(1000 / median(harnessRates)),
        unit,
      });
    }
  }
  return results;
}

/** Three significant figures (a reference run at 0.0123 Mpps must not print as 0). */
function round(x: number): number {
  return Number(x.toPrecision(3));
}

/** The bench table as printed on stdout (a `vs old` column when the results carry ratios). */
export function formatTable(results: BenchResult[]): string {
  const compared = results.some((r) => r.ratio !== undefined);
  const header = ['workload', 'params', 'impl', 'Mpps (median)', 'ns/pkt', 'harness ns/pkt', 'min', 'max', 'runs'];
  if (compared) header.push('vs old');
  const rows = results.map((r) => {
    const row = [
      r.name,
      Object.entries(r.params).map(([a, b]) => `${a}=${b}`).join(' '),
      r.impl,
      r.unit === 'sessions' ? `${r.median} M sess/s` : String(r.median),
      String(r.nsPerPacket),
      r.harnessNsPerPacket === undefined ? '—' : String(r.harnessNsPerPacket),
      String(r.min),
      String(r.max),
      String(r.runs),
    ];
    if (compared) row.push(r.ratio === undefined ? '—' : `${r.ratio}×`);
    return row;
  });
  const numeric = (i: number): boolean => (i >= 3 && i <= 7) || i === 9;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
