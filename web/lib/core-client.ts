/**
 * The page's side of the engine worker: starts it, calls its API (src/worker/api.ts), notices when
 * it dies and starts a new one. A call that was in flight when the worker died settles with an
 * error value instead of hanging; a cancel that the worker does not honour in time terminates it.
 */
import * as Comlink from 'comlink';
import { decodeJson, type BenchReply, type BenchReport, type BenchRequest, type CoreApi, type RunProgress, type RunReply, type RunRequest, type WorkloadInfo } from '../../src/worker/api.js';
import type { RunResult, Step } from '../../src/result.js';

export type WorkerStatus = 'starting' | 'ready' | 'busy' | 'restarting';

export type RunOutcome =
  | { kind: 'done'; result: RunResult; ms: number; cancelled: boolean }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled' }
  | { kind: 'crashed'; error: string };

export interface CoreClientEvents {
  status: WorkerStatus;
  crash: string;
}

class Crash extends Error {}

export class CoreClient extends EventTarget {
  status: WorkerStatus = 'starting';
  /** Whether the data plane compiled in the worker, and the bench workloads it has. */
  info: { wasm: boolean; workloads: WorkloadInfo[] } | null = null;
  restarts = 0;

  private worker?: Worker;
  private api?: Comlink.Remote<CoreApi>;
  private died?: (e: Crash) => void;
  private diedPromise?: Promise<never>;
  private busy = 0;
  private cancelTimer?: ReturnType<typeof setTimeout>;
  private cancelled = false;

  /** `options.workloads: false`: do not load the bench workloads at start (the docs widget has no bench). */
  constructor(private readonly makeWorker: () => Worker = defaultWorker, private readonly options: { workloads?: boolean } = {}) {
    super();
  }

  start(): void {
    this.setStatus(this.restarts ? 'restarting' : 'starting');
    const worker = this.makeWorker();
    this.worker = worker;
    this.diedPromise = new Promise<never>((_, reject) => {
      this.died = reject;
    });
    this.diedPromise.catch(() => undefined);
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.handleDeath(worker, e.message || 'the engine worker stopped with an uncaught error');
    });
    worker.addEventListener('messageerror', () => this.handleDeath(worker, 'the engine worker sent a message that could not be read'));
    this.api = Comlink.wrap<CoreApi>(worker);
    void this.guard(this.api.hello(this.options.workloads === false ? { workloads: false } : undefined)).then(
      (info) => {
        if (this.worker !== worker) return;
        this.info = info;
        this.setStatus(this.busy ? 'busy' : 'ready');
      },
      (e) => {
        if (this.worker === worker && !(e instanceof Crash)) this.handleDeath(worker, `the engine failed to start: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private setStatus(s: WorkerStatus): void {
    this.status = s;
    this.dispatchEvent(new CustomEvent('status', { detail: s }));
  }

  private handleDeath(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    worker.terminate();
    this.died?.(new Crash(reason));
    this.worker = undefined;
    this.restarts++;
    this.dispatchEvent(new CustomEvent('crash', { detail: reason }));
    this.start();
  }

  /** Settles with the call's value, or rejects with Crash if the worker dies first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race<T>([p, this.diedPromise!]);
  }

  async run(req: RunRequest, onProgress?: (p: RunProgress) => void, onStep?: (step: Step) => void): Promise<RunOutcome> {
    if (!this.api) this.start();
    this.busy++;
    this.cancelled = false;
    this.setStatus('busy');
    try {
      const reply: RunReply = await this.guard<RunReply>(this.api!.run(req, onProgress ? Comlink.proxy(onProgress) : undefined, onStep ? Comlink.proxy(onStep) : undefined));
      if (!reply.ok) return { kind: 'failed', error: reply.error };
      return { kind: 'done', result: decodeJson<RunResult>(reply.json), ms: reply.ms, cancelled: reply.cancelled };
    } catch (e) {
      if (this.cancelled) return { kind: 'cancelled' };
      if (e instanceof Crash) return { kind: 'crashed', error: e.message };
      return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
    } finally {
      this.busy--;
      clearTimeout(this.cancelTimer);
      if (this.worker) this.setStatus(this.busy ? 'busy' : 'ready');
    }
  }

  /**
   * Stops the running script: asks the worker first (it stops at its next batch), and if it has not
   * answered after `graceMs` (a command that never yields), terminates it and starts a new one.
   */
  cancel(graceMs = 600): void {
    if (!this.busy || !this.api) return;
    this.cancelled = true;
    void this.api.cancel();
    clearTimeout(this.cancelTimer);
    const worker = this.worker!;
    this.cancelTimer = setTimeout(() => {
      if (this.worker !== worker || !this.busy) return;
      worker.terminate();
      this.died?.(new Crash('cancelled'));
      this.worker = undefined;
      this.start();
    }, graceMs);
  }

  async bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<{ ok: true; report: BenchReport } | { ok: false; error: string }> {
    if (!this.api) this.start();
    this.busy++;
    this.setStatus('busy');
    try {
      const reply: BenchReply = await this.guard<BenchReply>(this.api!.bench(req, onProgress ? Comlink.proxy(onProgress) : undefined));
      return reply.ok ? { ok: true, report: decodeJson<BenchReport>(reply.json) } : reply;
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      this.busy--;
      if (this.worker) this.setStatus(this.busy ? 'busy' : 'ready');
    }
  }

  /** Test hook: makes the worker die with an uncaught error (crash-recovery tests). */
  crashForTest(): void {
    void this.api?.crashForTest();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('../../src/worker/core.worker.ts', import.meta.url), { type: 'module', name: 'packet-path-engine' });
}
