/**
 * A run's budget in the worker: how long its non-flood commands may take and how much output it may
 * produce before it is stopped with a clear message. A shared link runs as soon as it opens (and a
 * docs page runs its widgets one after another in one worker), so no script may hold the engine
 * forever. A `flood` is not timed: its budget is its packet count (the parser bounds it), it reports
 * progress and can be cancelled.
 *
 * The budget is checked where the simulation checks for a cancel: between commands and between a
 * flood's batches. A single command that never returns is the page's to end (it terminates the
 * worker after the budget and a grace period; web/lib/core-client.ts).
 */

/** Defaults, documented in docs/behaviour.md ("Run budgets"). */
export const DEFAULT_RUN_BUDGET = {
  /** Wall time of the commands that are not floods. */
  ms: 30_000,
  /** Characters of output, errors and warnings of all commands together. */
  outputChars: 20_000_000,
} as const;

/**
 * The reachability matrix's probes (`reach` in the worker; docs/behaviour.md "Run budgets"): their
 * wall time, and how many cells one matrix may have (asked for more, the worker refuses at once and
 * says to choose sources, targets or ports). The script's own commands run under the run budget.
 */
export const DEFAULT_REACH_BUDGET = {
  ms: 180_000,
  probes: 40_000,
} as const;

export interface ReachBudgetLimits {
  ms?: number;
  probes?: number;
}

export interface RunBudgetLimits {
  ms?: number;
  outputChars?: number;
}

export interface BudgetStop {
  reason: 'time' | 'output';
  /** The sentence the page shows. */
  message: string;
  /** Commands that ran before the stop. */
  stepsRun: number;
}

/** A duration as the budget messages write it: `30 s`, `0.1 s`. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function megabytes(chars: number): string {
  return chars >= 1e6 ? `${+(chars / 1e6).toFixed(1)} MB` : `${chars.toLocaleString('en-US')} characters`;
}

/** Tracks one run against its limits. `now` is injectable for tests. */
export class RunBudget {
  readonly ms: number;
  readonly outputChars: number;
  private readonly start: number;
  private floodMs = 0;
  /** When the current command started, and whether it has reported flood progress. */
  private stepStart: number;
  private inFlood = false;
  private output = 0;
  private steps = 0;
  private lastLine = 0;
  stop: BudgetStop | null = null;

  constructor(limits: RunBudgetLimits = {}, private readonly now: () => number = () => performance.now()) {
    this.ms = limits.ms ?? DEFAULT_RUN_BUDGET.ms;
    this.outputChars = limits.outputChars ?? DEFAULT_RUN_BUDGET.outputChars;
    this.start = now();
    this.stepStart = this.start;
  }

  /** A flood reported progress: the time of the command it belongs to is not counted. */
  progress(): void {
    this.inFlood = true;
  }

  /** A command finished with this much text. */
  step(text: { line: number; output: string; error: string | null; warnings: string[] }): void {
    const t = this.now();
    if (this.inFlood) this.floodMs += t - this.stepStart;
    this.inFlood = false;
    this.stepStart = t;
    this.steps++;
    this.lastLine = text.line;
    this.output += text.output.length + (text.error?.length ?? 0) + text.warnings.reduce((n, w) => n + w.length, 0);
    if (!this.stop && this.output > this.outputChars) {
      this.stop = {
        reason: 'output',
        stepsRun: this.steps,
        message: `Stopped at line ${text.line}: the run printed more than its ${megabytes(this.outputChars)} output budget. The commands after it did not run.`,
      };
    }
  }

  /** Time counted against the budget so far (floods excluded). */
  spentMs(): number {
    const t = this.now();
    return t - this.start - this.floodMs - (this.inFlood ? t - this.stepStart : 0);
  }

  /** True once the run is over its budget (checked between commands and flood batches). */
  exceeded(): boolean {
    if (this.stop) return true;
    if (this.spentMs() > this.ms) {
      this.stop = {
        reason: 'time',
        stepsRun: this.steps,
        message: `Stopped after line ${this.lastLine}: the run took longer than its ${seconds(this.ms)} time budget (floods are not counted). The commands after it did not run.`,
      };
      return true;
    }
    return false;
  }
}
