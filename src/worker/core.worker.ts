/**
 * The playground's Web Worker: the engine and the simulation behind comlink (api.ts). The page
 * never runs a script on its own thread, so it never freezes; a long `flood` reports progress and
 * can be cancelled; if this worker dies the page starts a new one.
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/core.wasm?url';
import { runScript } from '../run.js';
import { why } from '../analysis/why.js';
import { loadWasmCoreFromUrl, compileWasm } from '../engine/load-web.js';
import { SIM_CORE_OPTIONS } from '../engine/core.js';
import type { BenchResult, Workload } from '../bench/types.js';
import type { Step } from '../result.js';
import { RunBudget, DEFAULT_RUN_BUDGET } from './budget.js';
import { importHost } from '../import/index.js';
import { reachStream, probeCell } from './reach.js';
import type { ReachCell } from '../analysis/types.js';
import type { FloodPool, FromWorker, ShardWorker, ToWorker } from '../sim/flood-shards.js';
import { encodeJson, type ImportReply, type ProbeReply, type ReachPlanInfo, type ReachReply, type ReachRequest, type BenchReply, type BenchRequest, type CoreApi, type RunProgress, type RunReply, type RunRequest, type WhyReply, type WhyRequest } from './api.js';

let current: AbortController | null = null;

/** The compiled data plane, once compiled: handed to flood workers so they only instantiate it. */
let compiled: WebAssembly.Module | undefined;
void compileWasm(wasmUrl).then((m) => (compiled = m), () => undefined);

/**
 * A big flood's shards run in Web Workers this worker starts (nested workers), so the page's thread
 * only ever hears progress.
 */
const floodPool: FloodPool = {
  cores: Math.max(1, (self.navigator as Navigator & { hardwareConcurrency?: number }).hardwareConcurrency ?? 1),
  module: () => compiled,
  spawn(): ShardWorker {
    const w = new Worker(new URL('./flood.worker.ts', import.meta.url), { type: 'module' });
    return {
      post: (m: ToWorker) => w.postMessage(m),
      listen(cb: (m: FromWorker) => void, onError: (message: string) => void) {
        w.onmessage = (e: MessageEvent) => cb(e.data as FromWorker);
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          onError(`flood worker failed: ${e.message || 'it could not start'}`);
        };
      },
      terminate: () => w.terminate(),
    };
  },
};

interface BenchModules {
  allWorkloads(opts: { quick: boolean }): Workload[];
  runBench: typeof import('../bench/runner.js').runBench;
  RefCore: typeof import('../engine/reference/index.js').RefCore;
}

// The bench code (workloads build big tables) loads only when the bench panel asks for it.
const workloadModules = import.meta.glob<{ allWorkloads: BenchModules['allWorkloads'] }>('../bench/workloads/index.ts');
let benchModules: Promise<BenchModules> | undefined;

function loadBench(): Promise<BenchModules> {
  benchModules ??= (async () => {
    const load = Object.values(workloadModules)[0];
    if (!load) throw new Error('this build has no bench workloads (src/bench/workloads/index.ts)');
    const [{ allWorkloads }, { runBench }, { RefCore }] = await Promise.all([load(), import('../bench/runner.js'), import('../engine/reference/index.js')]);
    return { allWorkloads, runBench, RefCore };
  })();
  return benchModules;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const api: CoreApi = {
  async hello(opts?: { workloads?: boolean }) {
    let wasm = true;
    try {
      await compileWasm(wasmUrl);
    } catch {
      wasm = false;
    }
    let workloads: { name: string; stage: string; params: Record<string, number> }[] = [];
    if (opts?.workloads !== false) {
      try {
        workloads = (await loadBench()).allWorkloads({ quick: true }).map((w: Workload) => ({ name: w.name, stage: w.stage, params: w.params }));
      } catch {
        workloads = [];
      }
    }
    return { wasm, workloads };
  },

  async run(req: RunRequest, onProgress?: (p: RunProgress) => void, onStep?: (step: Step) => void): Promise<RunReply> {
    const t0 = performance.now();
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    const budget = new RunBudget(req.budget);
    try {
      // Progress goes to the page at most every 50 ms: each call is a message.
      let last = 0;
      const progress = (fraction: number, line: number) => {
        budget.progress();
        const now = performance.now();
        if (onProgress && (now - last >= 50 || fraction >= 1)) {
          last = now;
          void onProgress({ line, fraction });
        }
      };
      const result = await runScript(req.script, {
        seed: req.seed ?? 1,
        trace: true,
        capture: req.capture,
        // The world after every step, with the live tables (NAT sessions, learned MACs, ACL hits).
        snapshots: true,
        files: req.files,
        onProgress: progress,
        cancelled: () => ctl.signal.aborted || budget.exceeded(),
        onStep: (step: Step) => {
          budget.step(step);
          if (onStep) void onStep({ ...step, traces: [] });
        },
        createCore: () => loadWasmCoreFromUrl(wasmUrl, SIM_CORE_OPTIONS),
        floodPool,
      });
      const json = encodeJson(result);
      const stopped = budget.stop ?? undefined;
      return Comlink.transfer({ ok: true as const, json, ms: performance.now() - t0, cancelled: ctl.signal.aborted, stopped }, [json]);
    } catch (e) {
      return { ok: false, error: message(e), diagnostics: [], ms: performance.now() - t0 };
    } finally {
      if (current === ctl) current = null;
    }
  },

  async why(req: WhyRequest): Promise<WhyReply> {
    try {
      // Bounded like a run: the verification re-runs stop once the run budget's time has passed.
      const deadline = performance.now() + DEFAULT_RUN_BUDGET.ms;
      const result = await why(req.script, {
        seed: req.seed ?? 1, files: req.files, line: req.line, probe: req.probe, budgetMs: DEFAULT_RUN_BUDGET.ms / 2,
        cancelled: () => performance.now() > deadline,
        createCore: () => loadWasmCoreFromUrl(wasmUrl, SIM_CORE_OPTIONS),
      });
      const json = encodeJson(result);
      return Comlink.transfer({ ok: true as const, json }, [json]);
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  },

  cancel() {
    current?.abort();
  },

  async reach(req: ReachRequest, onPlan?: (plan: ReachPlanInfo) => void, onCells?: (cells: ReachCell[], done: number) => void): Promise<ReachReply> {
    const t0 = performance.now();
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    try {
      const r = await reachStream(req, {
        createCore: () => loadWasmCoreFromUrl(wasmUrl),
        cancelled: () => ctl.signal.aborted,
        onPlan: onPlan ? (p) => void onPlan(p) : undefined,
        onCells: onCells ? (c, done) => void onCells(c, done) : undefined,
      });
      if (!r.ok) return { ok: false, error: r.error, ms: performance.now() - t0 };
      const json = encodeJson(r.result);
      return Comlink.transfer({ ok: true as const, json, ms: performance.now() - t0, cancelled: r.cancelled, stopped: r.stopped }, [json]);
    } catch (e) {
      return { ok: false, error: message(e), ms: performance.now() - t0 };
    } finally {
      if (current === ctl) current = null;
    }
  },

  async probe(req): Promise<ProbeReply> {
    try {
      const json = encodeJson(await probeCell(req, () => loadWasmCoreFromUrl(wasmUrl)));
      return Comlink.transfer({ ok: true as const, json }, [json]);
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  },

  async bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<BenchReply> {
    try {
      const { allWorkloads, runBench, RefCore } = await loadBench();
      let workloads = allWorkloads({ quick: req.quick ?? true });
      if (req.only?.length) workloads = workloads.filter((w: Workload) => req.only!.includes(w.name) || req.only!.includes(w.stage));
      // One workload at a time: a workload that fails does not take the others' figures with it.
      const results: BenchResult[] = [];
      const errors: { name: string; error: string }[] = [];
      for (const [k, w] of workloads.entries()) {
        try {
          results.push(...(await runBench([w], {
            runs: 5,
            runMs: req.quick ? 60 : 300,
            warmupMs: req.quick ? 30 : 150,
            impls: req.impls ?? ['wasm'],
            createCore: async (kind) => (kind === 'wasm' ? loadWasmCoreFromUrl(wasmUrl, { traceCapacity: 0 }) : new RefCore({ traceCapacity: 0 })),
            progress: onProgress ? (line) => void onProgress(`[${k + 1}/${workloads.length}] ${line.replace(/^\[\d+\/\d+\]\s*/, '')}`) : undefined,
          })));
        } catch (e) {
          errors.push({ name: w.name, error: message(e) });
        }
      }
      const cores = (self.navigator as Navigator & { hardwareConcurrency?: number }).hardwareConcurrency;
      const json = encodeJson({ runtime: self.navigator.userAgent, cpu: `${cores ?? '?'} logical cores`, results, errors });
      return Comlink.transfer({ ok: true as const, json }, [json]);
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  },

  async importHost(texts: string[]): Promise<ImportReply> {
    try {
      return { ok: true, result: importHost(texts) };
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  },

  crashForTest() {
    setTimeout(() => {
      throw new Error('worker crash requested by the test hook');
    }, 0);
  },
};

Comlink.expose(api);
