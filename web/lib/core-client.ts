/**
 * The page's side of the engine worker: starts it, calls its API (src/worker/api.ts), notices when
 * it dies and starts a new one. A call that was in flight when the worker died settles with an
 * error value instead of hanging; a cancel that the worker does not honour in time terminates it.
 */
import * as Comlink from 'comlink';
import { decodeJson, type ImportReply, type ProbeReply, type ReachPlanInfo, type ReachReply, type ReachRequest, type BenchReply, type BenchReport, type BenchRequest, type BudgetStop, type CoreApi, type RunProgress, type RunReply, type RunRequest, type WhyReply, type WhyRequest, type WorkloadInfo } from '../../src/worker/api.js';
import type { WhyResult } from '../../src/analysis/why.js';
import { DEFAULT_RUN_BUDGET, seconds } from '../../src/worker/budget.js';
import type { RunResult, Step } from '../../src/result.js';
import type { ReachCell, ReachResult } from '../../src/analysis/types.js';

export type ReachOutcome =
  | { kind: 'done'; result: ReachResult; ms: number; cancelled: boolean; stopped?: BudgetStop }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled' }
  | { kind: 'crashed'; error: string };

export type WorkerStatus = 'starting' | 'ready' | 'busy' | 'restarting';

export type RunOutcome =
  | { kind: 'done'; result: RunResult; ms: number; cancelled: boolean; /** The run's budget stopped it (the result holds the steps before). */ stopped?: BudgetStop }
  | { kind: 'failed'; error: string }
  /** One command ran past the run's time budget without returning: the worker was replaced. */
  | { kind: 'stalled'; error: string }
  | { kind: 'cancelled' }
  | { kind: 'crashed'; error: string };

export interface CoreClientEvents {
  status: WorkerStatus;
  crash: string;
}

class Crash extends Error {}

/**
 * How long past its time budget a run may go without a sign of life (a finished command, flood
 * progress) before the page ends the worker: the worker checks its budget only between commands.
 */
export const STALL_GRACE_MS = 3000;

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

  /**
   * Runs a script. Every finished command and every flood progress report is a sign of life; when
   * none comes for the run's time budget plus STALL_GRACE_MS, the worker is ended and replaced and
   * the run settles as `stalled`, so one script never holds the engine (and the other widgets of a
   * page queued behind it) longer than its budget.
   */
  async run(req: RunRequest, onProgress?: (p: RunProgress) => void, onStep?: (step: Step) => void): Promise<RunOutcome> {
    if (!this.api) this.start();
    this.busy++;
    this.cancelled = false;
    this.setStatus('busy');
    const limit = (req.budget?.ms ?? DEFAULT_RUN_BUDGET.ms) + STALL_GRACE_MS;
    const worker = this.worker!;
    let stalled = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (this.worker !== worker) return;
        stalled = true;
        this.replaceWorker(worker, 'a command ran past the time budget');
      }, limit);
    };
    alive();
    const progress = (p: RunProgress) => {
      alive();
      onProgress?.(p);
    };
    const step = (s: Step) => {
      alive();
      onStep?.(s);
    };
    try {
      const reply: RunReply = await this.guard<RunReply>(this.api!.run(req, Comlink.proxy(progress), Comlink.proxy(step)));
      if (!reply.ok) return { kind: 'failed', error: reply.error };
      return { kind: 'done', result: decodeJson<RunResult>(reply.json), ms: reply.ms, cancelled: reply.cancelled, stopped: reply.stopped };
    } catch (e) {
      if (this.cancelled) return { kind: 'cancelled' };
      if (stalled) {
        return { kind: 'stalled', error: `A command ran longer than the run's ${seconds(req.budget?.ms ?? DEFAULT_RUN_BUDGET.ms)} time budget and was stopped; the engine was restarted.` };
      }
      if (e instanceof Crash) return { kind: 'crashed', error: e.message };
      return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(watchdog);
      this.busy--;
      clearTimeout(this.cancelTimer);
      if (this.worker) this.setStatus(this.busy ? 'busy' : 'ready');
    }
  }

  /** Rebuilds a real host from pasted outputs, in the worker (src/import/). */
  async importHost(texts: string[]): Promise<ImportReply> {
    if (!this.api) this.start();
    try {
      return await this.guard<ImportReply>(this.api!.importHost(texts));
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
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
      this.replaceWorker(worker, 'cancelled');
    }, graceMs);
  }

  /** Ends a worker that does not answer and starts a new one; the call in flight settles with Crash. */
  private replaceWorker(worker: Worker, reason: string): void {
    worker.terminate();
    this.died?.(new Crash(reason));
    this.worker = undefined;
    this.start();
  }

  /**
   * The reachability matrix, streamed: `onPlan` when the script has run to the line, `onCells` as
   * cells are probed. Cancel with cancel(); the probes stop between cells.
   */
  async reach(req: ReachRequest, onPlan?: (p: ReachPlanInfo) => void, onCells?: (cells: ReachCell[], done: number) => void): Promise<ReachOutcome> {
    if (!this.api) this.start();
    this.busy++;
    this.cancelled = false;
    this.setStatus('busy');
    try {
      const reply: ReachReply = await this.guard<ReachReply>(this.api!.reach(req, onPlan ? Comlink.proxy(onPlan) : undefined, onCells ? Comlink.proxy(onCells) : undefined));
      if (!reply.ok) return { kind: 'failed', error: reply.error };
      return { kind: 'done', result: decodeJson<ReachResult>(reply.json), ms: reply.ms, cancelled: reply.cancelled, stopped: reply.stopped };
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

  /** One matrix cell with its packets (for the flow inspector). */
  async probe(req: ReachRequest & { from: string[]; to: string[]; ports: string[] }): Promise<{ ok: true; cell: ReachCell } | { ok: false; error: string }> {
    if (!this.api) this.start();
    try {
      const reply: ProbeReply = await this.guard<ProbeReply>(this.api!.probe(req));
      return reply.ok ? { ok: true, cell: decodeJson<ReachCell>(reply.json) } : reply;
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** One call to the worker that is not a run: busy while it lasts, an error value if the worker dies. */
  private async call<R>(f: (api: Comlink.Remote<CoreApi>) => Promise<R>): Promise<R | { ok: false; error: string }> {
    if (!this.api) this.start();
    this.busy++;
    this.setStatus('busy');
    try {
      return await this.guard<R>(f(this.api!));
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      this.busy--;
      if (this.worker) this.setStatus(this.busy ? 'busy' : 'ready');
    }
  }

  async bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<{ ok: true; report: BenchReport } | { ok: false; error: string }> {
    const reply = await this.call<BenchReply>((api) => api.bench(req, onProgress ? Comlink.proxy(onProgress) : undefined));
    return reply.ok ? { ok: true, report: decodeJson<BenchReport>(reply.json) } : reply;
  }

  /** "Why?" on a line or a matrix cell: the answer of src/analysis/why.ts, computed in the worker. */
  async why(req: WhyRequest): Promise<{ ok: true; result: WhyResult } | { ok: false; error: string }> {
    const reply = await this.call<WhyReply>((api) => api.why(req));
    return reply.ok ? { ok: true, result: decodeJson<WhyResult>(reply.json) } : reply;
  }

  /** Test hook: makes the worker die with an uncaught error (crash-recovery tests). */
  crashForTest(): void {
    void this.api?.crashForTest();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('../../src/worker/core.worker.ts', import.meta.url), { type: 'module', name: 'packet-path-engine' });
}
