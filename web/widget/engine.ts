/**
 * The one engine every widget on a page shares: a module-level CoreClient (web/lib/core-client.ts)
 * around the playground's worker (src/worker/core.worker.ts), started the first time a widget comes
 * near the viewport. The wasm is fetched and compiled once, in that worker.
 *
 * Runs are queued: the worker aborts a running script when another run arrives (the playground's
 * "a new Run replaces the old one"), which is not what independent widgets want. A run that fails
 * or kills the worker settles as a value for its own widget; the client starts a new worker and the
 * queue goes on with the next widget's run.
 */
import { CoreClient, type ReachOutcome, type RunOutcome } from '../lib/core-client.js';
import type { ReachPlanInfo, ReachRequest, RunRequest } from '../../src/worker/api.js';
import type { ReachCell } from '../../src/analysis/types.js';
import workerUrl from '../../src/worker/core.worker.ts?worker&url';

let client: CoreClient | undefined;
let queue: Promise<unknown> = Promise.resolve();
let runs = 0;

/**
 * A module worker from the bundled worker file. A page on another origin than the widget's files
 * cannot start a worker from a cross-origin URL; it gets a same-origin blob that imports it
 * (which needs the files served with CORS, as any cross-origin module script does).
 */
function makeWorker(): Worker {
  const url = new URL(workerUrl, import.meta.url);
  const options: WorkerOptions = { type: 'module', name: 'packet-path-engine' };
  if (url.origin === location.origin) return new Worker(url, options);
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob), options);
}

/** The shared client, started on first use. */
export function engine(): CoreClient {
  if (!client) {
    client = new CoreClient(makeWorker, { workloads: false });
    client.start();
  }
  return client;
}

/** Starts the worker (and with it the wasm download) ahead of the first run. */
export function warmEngine(): void {
  engine();
}

let idleWarm = false;

/**
 * Starts the engine once the page has loaded and the browser is idle: a page with widgets that run
 * by themselves will run them as soon as the reader reaches them, and the worker's start (its
 * download, compiling the wasm) should not be what the reader waits for then.
 */
export function warmWhenIdle(): void {
  if (idleWarm || client) return;
  idleWarm = true;
  const later = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => warmEngine(), { timeout: 1500 }) : setTimeout(warmEngine, 200));
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}

/**
 * Runs a script in the shared worker, after the runs queued before it. Each run has its budget (the
 * worker's defaults), so a widget waits at most for the budgets of the runs ahead of it. Aborting
 * `signal` cancels the run: a queued run never starts, a running one is stopped in the worker (or the
 * worker is replaced when it does not stop in time) and the queue goes on.
 */
export function runShared(req: RunRequest, signal?: AbortSignal): Promise<RunOutcome> {
  const mine = queue.then((): Promise<RunOutcome> | RunOutcome => {
    if (signal?.aborted) return { kind: 'cancelled' };
    runs++;
    const client = engine();
    const stop = () => client.cancel();
    signal?.addEventListener('abort', stop, { once: true });
    return client.run(req).finally(() => signal?.removeEventListener('abort', stop));
  });
  queue = mine.catch(() => undefined);
  return mine;
}

/** A reachability matrix (`views="matrix"`) in the shared worker, queued like a run. */
export function reachShared(req: ReachRequest, onPlan: (p: ReachPlanInfo) => void, onCells: (cells: ReachCell[]) => void, signal?: AbortSignal): Promise<ReachOutcome> {
  const mine = queue.then((): Promise<ReachOutcome> | ReachOutcome => {
    if (signal?.aborted) return { kind: 'cancelled' };
    const client = engine();
    const stop = () => client.cancel();
    signal?.addEventListener('abort', stop, { once: true });
    return client.reach(req, onPlan, onCells).finally(() => signal?.removeEventListener('abort', stop));
  });
  queue = mine.catch(() => undefined);
  return mine;
}

/** How many runs the shared engine has done and how often its worker was restarted (diagnostics, tests). */
export function engineStats(): { started: boolean; runs: number; restarts: number } {
  return { started: !!client, runs, restarts: client?.restarts ?? 0 };
}
