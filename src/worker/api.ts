/**
 * The playground's worker API (comlink): one typed, batch-grained interface between the page and
 * the engine + simulation running in a Web Worker (src/worker/core.worker.ts). A whole script run
 * or a whole bench is one call; results come back as one transferred buffer (UTF-8 JSON), never
 * object by object; failures come back as values, not thrown errors.
 */
import type { Diagnostic, RunResult, Step } from '../result.js';
import type { BenchResult } from '../bench/types.js';
import type { BudgetStop, ReachBudgetLimits, RunBudgetLimits } from './budget.js';
import type { ImportResult } from '../import/index.js';
import type { ReachCell, ReachSource, ReachTarget } from '../analysis/types.js';

/** Progress of a long command (a `flood`): its script line and how far it got, 0..1. */
export interface RunProgress {
  line: number;
  fraction: number;
}

export interface RunRequest {
  script: string;
  /** Other files the script refers to (`docker compose -f FILE up`), by name. */
  files: Record<string, string>;
  seed?: number;
  /** Time (non-flood commands) and output limits; DEFAULT_RUN_BUDGET (src/worker/budget.ts) when omitted. */
  budget?: RunBudgetLimits;
  /** Record every frame on the wires (`RunResult` packets carry `frames`) for pcap downloads. */
  capture?: boolean;
}

export type RunReply =
  | {
      ok: true;
      /** UTF-8 JSON of the RunResult, transferred. */
      json: ArrayBuffer;
      ms: number;
      cancelled: boolean;
      /** Set when the run was stopped by its budget: the steps before the stop are in the result. */
      stopped?: BudgetStop;
    }
  | { ok: false; error: string; diagnostics: Diagnostic[]; ms: number };

/** "Why?" on a line of a script the page ran (src/analysis/why.ts). */
export interface WhyRequest {
  script: string;
  files: Record<string, string>;
  seed?: number;
  /** The line to explain; the first failure when omitted. */
  line?: number;
  /** A matrix cell to explain instead of a line: `{ from, to, port }`. */
  probe?: { from: string; to: string; port: string };
}

export type WhyReply = { ok: true; /** UTF-8 JSON of the WhyResult, transferred. */ json: ArrayBuffer } | { ok: false; error: string };
/** The reachability matrix of a script (src/worker/reach.ts): the world at `at`, the cells chosen. */
export interface ReachRequest {
  script: string;
  files: Record<string, string>;
  seed?: number;
  /** Run the script up to this line (default: all of it). */
  at?: number;
  from?: string[];
  to?: string[];
  ports?: string[];
  /** Ports besides the defaults (when `ports` is not given): the page passes the last matrix's, to compare. */
  morePorts?: string[];
  /** The probes' time and cell-count limits; DEFAULT_REACH_BUDGET when omitted. */
  budget?: ReachBudgetLimits;
  /** The script's own commands' limits; DEFAULT_RUN_BUDGET when omitted. */
  runBudget?: RunBudgetLimits;
}

/** What the matrix will hold, sent before the first cell. */
export interface ReachPlanInfo {
  at: number;
  sources: ReachSource[];
  destinations: ReachTarget[];
  ports: string[];
  /** Cells to come. */
  total: number;
  warnings: string[];
}

export type ReachReply =
  | { ok: true; /** UTF-8 JSON of the ReachResult, transferred. */ json: ArrayBuffer; ms: number; cancelled: boolean; stopped?: BudgetStop }
  | { ok: false; error: string; ms: number };

/** One cell with its packets (`ReachCell.traces`), for the flow inspector. */
export type ProbeReply = { ok: true; /** UTF-8 JSON of the ReachCell. */ json: ArrayBuffer } | { ok: false; error: string };

export interface BenchRequest {
  /** Workload names (or stages) to run; all when omitted. */
  only?: string[];
  quick?: boolean;
  impls?: ('wasm' | 'reference')[];
}

export interface BenchReport {
  /** Where it ran (the browser's user agent) and on what. */
  runtime: string;
  cpu: string;
  results: BenchResult[];
  /** Workloads that failed (the others still ran): name and the error. */
  errors?: { name: string; error: string }[];
}

export type BenchReply = { ok: true; /** UTF-8 JSON of the BenchReport, transferred. */ json: ArrayBuffer } | { ok: false; error: string };

/** `importHost` in the worker: the rebuilt script, or why the paste was refused (over the size limit). */
export type ImportReply = { ok: true; result: ImportResult } | { ok: false; error: string };

export interface WorkloadInfo {
  name: string;
  stage: string;
  params: Record<string, number>;
}

export interface CoreApi {
  /**
   * Loads the engine (wasm compiled once) and says what it has. `workloads: false` skips loading the
   * bench workloads (the docs widget has no bench, and its first run should not wait for them).
   */
  hello(opts?: { workloads?: boolean }): Promise<{ wasm: boolean; workloads: WorkloadInfo[] }>;
  /**
   * Runs a whole script. `onProgress` (a comlink proxy) is called during long commands (flood);
   * `onStep` after each command with its step (traces left out), so the page can show the run as it
   * goes; the full result, traces included, comes back at the end.
   */
  run(req: RunRequest, onProgress?: (p: RunProgress) => void, onStep?: (step: Step) => void): Promise<RunReply>;
  /** Explains why a line failed, with fixes verified by re-running the edited script in this worker. */
  why(req: WhyRequest): Promise<WhyReply>;
  /** Asks a running script to stop at its next batch boundary (the page terminates the worker if it does not). */
  cancel(): void;
  /**
   * The reachability matrix: `onPlan` once the script ran to the line (sources, targets, ports, cell
   * count), `onCells` with each batch of cells as they are probed (the first at once), the whole
   * ReachResult at the end. `cancel()` stops it between cells.
   */
  reach(req: ReachRequest, onPlan?: (plan: ReachPlanInfo) => void, onCells?: (cells: ReachCell[], done: number) => void): Promise<ReachReply>;
  /** One cell of a matrix with its packets (the first of `from`, `to`, `ports`). */
  probe(req: ReachRequest & { from: string[]; to: string[]; ports: string[] }): Promise<ProbeReply>;
  /** Runs data-plane bench workloads in this worker. */
  bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<BenchReply>;
  /** Rebuilds a real host from pasted outputs (src/import/): the playground's "Import from my host". */
  importHost(texts: string[]): Promise<ImportReply>;
  /** Test hook for the crash-recovery path: throws from a task so the worker reports an uncaught error. */
  crashForTest(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON text as a transferable buffer. */
export function encodeJson(value: unknown): ArrayBuffer {
  const bytes = encoder.encode(JSON.stringify(value));
  return bytes.buffer.byteLength === bytes.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
}

export function decodeJson<T>(buf: ArrayBuffer): T {
  return JSON.parse(decoder.decode(new Uint8Array(buf))) as T;
}

export type { RunResult, BenchResult, BudgetStop, RunBudgetLimits, ReachBudgetLimits, ReachCell, ImportResult };
