/**
 * The playground's Web Worker: the engine and the simulation behind comlink (api.ts). The page
 * never runs a script on its own thread, so it never freezes; a long `flood` reports progress and
 * can be cancelled; if this worker dies the page starts a new one.
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/core.wasm?url';
import { runScript } from '../run.js';
import { loadWasmCoreWeb, compileWasm } from '../engine/load-web.js';
import { RefCore } from '../engine/reference/index.js';
import { runBench } from '../bench/runner.js';
import { allWorkloads } from '../bench/workloads/index.js';
import { encodeJson, type BenchReply, type BenchRequest, type CoreApi, type RunProgress, type RunReply, type RunRequest } from './api.js';

let current: AbortController | null = null;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const api: CoreApi = {
  async hello() {
    let wasm = true;
    try {
      await compileWasm(wasmUrl);
    } catch {
      wasm = false;
    }
    const workloads = allWorkloads({ quick: true }).map((w) => ({ name: w.name, stage: w.stage, params: w.params }));
    return { wasm, workloads };
  },

  async run(req: RunRequest, onProgress?: (p: RunProgress) => void): Promise<RunReply> {
    const t0 = performance.now();
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    try {
      // Progress goes to the page at most every 50 ms: each call is a message.
      let last = 0;
      const progress = onProgress
        ? (fraction: number, line: number) => {
            const now = performance.now();
            if (now - last >= 50 || fraction >= 1) {
              last = now;
              void onProgress({ line, fraction });
            }
          }
        : undefined;
      const result = await runScript(req.script, {
        seed: req.seed ?? 1,
        trace: true,
        files: req.files,
        onProgress: progress,
        cancelled: () => ctl.signal.aborted,
        createCore: () => loadWasmCoreWeb(wasmUrl),
      });
      const json = encodeJson(result);
      return Comlink.transfer({ ok: true as const, json, ms: performance.now() - t0, cancelled: ctl.signal.aborted }, [json]);
    } catch (e) {
      return { ok: false, error: message(e), diagnostics: [], ms: performance.now() - t0 };
    } finally {
      if (current === ctl) current = null;
    }
  },

  cancel() {
    current?.abort();
  },

  async bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<BenchReply> {
    try {
      let workloads = allWorkloads({ quick: req.quick ?? true });
      if (req.only?.length) workloads = workloads.filter((w) => req.only!.includes(w.name) || req.only!.includes(w.stage));
      const results = await runBench(workloads, {
        runs: 5,
        runMs: req.quick ? 60 : 300,
        warmupMs: req.quick ? 30 : 150,
        impls: req.impls ?? ['wasm'],
        createCore: async (kind) => (kind === 'wasm' ? loadWasmCoreWeb(wasmUrl, { traceCapacity: 0 }) : new RefCore({ traceCapacity: 0 })),
        progress: onProgress ? (line) => void onProgress(line) : undefined,
      });
      const cores = (self.navigator as Navigator & { hardwareConcurrency?: number }).hardwareConcurrency;
      const json = encodeJson({ runtime: self.navigator.userAgent, cpu: `${cores ?? '?'} logical cores`, results });
      return Comlink.transfer({ ok: true as const, json }, [json]);
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
