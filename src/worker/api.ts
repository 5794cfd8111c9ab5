/**
 * The playground's worker API (comlink): one typed, batch-grained interface between the page and
 * the engine + simulation running in a Web Worker (src/worker/core.worker.ts). A whole script run
 * or a whole bench is one call; results come back as one transferred buffer (UTF-8 JSON), never
 * object by object; failures come back as values, not thrown errors.
 */
import type { Diagnostic, RunResult, Step } from '../result.js';
import type { BenchResult } from '../bench/types.js';
import type { BudgetStop, RunBudgetLimits } from './budget.js';

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
  /** Runs data-plane bench workloads in this worker. */
  bench(req: BenchRequest, onProgress?: (line: string) => void): Promise<BenchReply>;
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

export type { RunResult, BenchResult, BudgetStop, RunBudgetLimits };
