/**
 * The reachability matrix in the worker: the script runs to the chosen line under the run budget,
 * then the cells are probed one by one and handed to the page in batches as they come (the first at
 * once, then every `everyMs`), between which the worker yields so that a cancel gets through. The
 * probes run under the reach budget (DEFAULT_REACH_BUDGET): a matrix larger than its cell count is
 * refused before any probe, one that outlives its time stops with the cells done so far.
 */
import { openWorld, planReach, probe, type ReachWorld } from '../analysis/reach.js';
import type { ReachCell, ReachResult } from '../analysis/types.js';
import type { CoreFactory } from '../run.js';
import { DEFAULT_REACH_BUDGET, RunBudget, seconds, type BudgetStop, type ReachBudgetLimits, type RunBudgetLimits } from './budget.js';
import type { ReachPlanInfo, ReachRequest } from './api.js';

export interface ReachStreamOptions {
  createCore: CoreFactory;
  cancelled(): boolean;
  onPlan?(plan: ReachPlanInfo): void;
  onCells?(cells: ReachCell[], done: number): void;
  /** How often cells are handed over (ms); default 50. */
  everyMs?: number;
  now?: () => number;
}

export type ReachStreamResult = { ok: true; result: ReachResult; cancelled: boolean; stopped?: BudgetStop } | { ok: false; error: string };

/** The world a probe of the page opens: kept so that clicking cell after cell does not re-run the script. */
let kept: { key: string; world: ReachWorld } | null = null;

function worldKey(req: Pick<ReachRequest, 'script' | 'files' | 'seed' | 'at'>): string {
  return JSON.stringify([req.script, req.files, req.seed ?? 1, req.at ?? null]);
}

async function worldFor(req: ReachRequest, createCore: CoreFactory, runBudget: RunBudget, cancelled: () => boolean): Promise<ReachWorld> {
  const key = worldKey(req);
  if (kept?.key === key) return kept.world;
  const world = await openWorld(req.script, { seed: req.seed ?? 1, files: req.files, at: req.at, createCore, cancelled: () => cancelled() || runBudget.exceeded(), onStep: (s) => runBudget.step(s) });
  // A run stopped half-way is not the world at the line: it is not kept.
  if (!cancelled() && !runBudget.stop) kept = { key, world };
  return world;
}

const yieldToEvents = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Streams a matrix (see the module comment). */
export async function reachStream(req: ReachRequest, opts: ReachStreamOptions): Promise<ReachStreamResult> {
  const now = opts.now ?? (() => performance.now());
  const runBudget = new RunBudget(req.runBudget as RunBudgetLimits | undefined);
  const limits: Required<ReachBudgetLimits> = { ms: req.budget?.ms ?? DEFAULT_REACH_BUDGET.ms, probes: req.budget?.probes ?? DEFAULT_REACH_BUDGET.probes };
  let w: ReachWorld;
  try {
    w = await worldFor(req, opts.createCore, runBudget, opts.cancelled);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (runBudget.stop) return { ok: false, error: runBudget.stop.message };
  let plan;
  try {
    plan = planReach(w, { from: req.from, to: req.to, ports: req.ports, morePorts: req.morePorts });
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (plan.requests.length > limits.probes) {
    return { ok: false, error: `This matrix has ${plan.requests.length.toLocaleString('en-US')} cells, more than the ${limits.probes.toLocaleString('en-US')} one matrix may probe: choose fewer sources, targets or ports.` };
  }
  opts.onPlan?.({ at: w.at, sources: plan.sources, destinations: plan.destinations, ports: plan.ports, total: plan.requests.length, warnings: plan.warnings });
  const cells: ReachCell[] = [];
  const t0 = now();
  const every = opts.everyMs ?? 50;
  let sent = 0;
  let lastSend = -Infinity;
  let lastYield = t0;
  let cancelled = false;
  let stopped: BudgetStop | undefined;
  const flush = () => {
    if (sent < cells.length) opts.onCells?.(cells.slice(sent), cells.length);
    sent = cells.length;
    lastSend = now();
  };
  for (const r of plan.requests) {
    const cell = probe(w, r);
    delete cell.traces;
    cells.push(cell);
    const t = now();
    if (cells.length === 1 || t - lastSend >= every) flush();
    if (t - lastYield >= 20) {
      await yieldToEvents();
      lastYield = now();
      if (opts.cancelled()) {
        cancelled = true;
        break;
      }
    }
    if (t - t0 > limits.ms) {
      stopped = { reason: 'time', stepsRun: cells.length, message: `Stopped after ${cells.length.toLocaleString('en-US')} of ${plan.requests.length.toLocaleString('en-US')} cells: the matrix took longer than its ${seconds(limits.ms)} time budget.` };
      break;
    }
  }
  flush();
  const result: ReachResult = { version: 1, at: w.at, sources: plan.sources, destinations: plan.destinations, ports: plan.ports, cells, stats: { probes: cells.length, ms: Math.round(now() - t0) }, warnings: plan.warnings };
  return { ok: true, result, cancelled, stopped };
}

/** One cell with its packets, for the flow inspector (the world of the last matrix is reused). */
export async function probeCell(req: ReachRequest & { from: string[]; to: string[]; ports: string[] }, createCore: CoreFactory): Promise<ReachCell> {
  const w = await worldFor(req, createCore, new RunBudget(req.runBudget), () => false);
  return probe(w, { from: req.from[0], to: req.to[0], port: req.ports[0] });
}
