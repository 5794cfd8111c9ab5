/**
 * The playground's analyses: the Matrix tab (a reachability matrix streamed from the worker, a cell
 * opening its probe in the flow inspector) and the Compare tab (what the latest run changed against
 * the one before it: steps, expectations, matrix cells). A Lit reactive controller: the playground
 * holds one and renders its two tab bodies.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CoreClient } from '../../lib/core-client.js';
import type { ReachCell, CellChange, StepChange } from '../../../src/analysis/types.js';
import type { ReachPlanInfo } from '../../../src/worker/api.js';
import type { RunResult, Step } from '../../../src/result.js';
import { compareRuns, diffCells } from '../../../src/analysis/compare.js';
import { cellId, CELL_GLYPHS } from '../pp-matrix/pp-matrix.component.js';
import '../pp-matrix/pp-matrix.js';

export interface AnalysisHost extends ReactiveControllerHost {
  readonly core: CoreClient;
}

/** A matrix as the page holds it: the plan, the cells by id, and the script it is of. */
interface Matrix {
  script: string;
  files: Record<string, string>;
  plan?: ReachPlanInfo;
  cells: Map<string, ReachCell>;
  ms: number;
}

export class AnalysisController implements ReactiveController {
  matrix?: Matrix;
  /** The matrix before the current one (for "changed since the last matrix"). */
  private previousMatrix?: Matrix;
  running = false;
  error = '';
  /** A matrix cell opened in the flow inspector, as a step of its own. */
  probeStep?: Step;
  selectedCell?: { from: string; to: string; port: string };
  /** The run before the latest one, and its script (Compare). */
  previousRun?: { result: RunResult; script: string };
  latestRun?: { result: RunResult; script: string };

  constructor(private readonly host: AnalysisHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A run finished: it becomes the latest, the one before it what Compare compares with. */
  ran(result: RunResult, script: string): void {
    if (this.latestRun && this.latestRun.result !== result) this.previousRun = this.latestRun;
    this.latestRun = { result, script };
    this.probeStep = undefined;
    this.host.requestUpdate();
  }

  /** Sets what Compare compares with (a link that carries two scripts). */
  setBase(result: RunResult, script: string): void {
    this.previousRun = { result, script };
    this.latestRun = undefined;
    this.host.requestUpdate();
  }

  /** Probes the whole matrix of a script, cells streamed in as the worker sends them. */
  async run(script: string, files: Record<string, string>): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = '';
    this.probeStep = undefined;
    if (this.matrix?.plan && !this.matrix.plan.warnings.length) this.previousMatrix = this.matrix;
    const m: Matrix = { script, files, cells: new Map(), ms: 0 };
    this.matrix = m;
    this.host.requestUpdate();
    // Cells arrive in batches; the grid re-renders at most once a frame.
    let frame = 0;
    const out = await this.host.core.reach(
      // The last matrix's ports too, so that a port the edit stopped publishing is still compared.
      { script, files, morePorts: this.previousMatrix?.plan?.ports },
      (plan) => {
        m.plan = plan;
        this.host.requestUpdate();
      },
      (cells) => {
        for (const c of cells) m.cells.set(cellId(c.from, c.to, c.port), c);
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          m.cells = new Map(m.cells);
          this.host.requestUpdate();
        });
      },
    );
    cancelAnimationFrame(frame);
    this.running = false;
    if (out.kind === 'done') {
      m.cells = new Map(out.result.cells.map((c) => [cellId(c.from, c.to, c.port), c]));
      m.ms = out.ms;
      if (out.stopped) this.error = out.stopped.message;
      else if (out.cancelled) this.error = 'Stopped: the cells probed so far are shown.';
    } else if (out.kind === 'cancelled') {
      this.error = 'Stopped: the cells probed so far are shown.';
    } else {
      this.error = out.error;
    }
    this.host.requestUpdate();
  }

  cancel(): void {
    this.host.core.cancel();
  }

  /** Opens a cell: its probe, with packets, becomes the step the flow inspector shows. */
  async open(cell: { from: string; to: string; port: string }): Promise<boolean> {
    const m = this.matrix;
    if (!m) return false;
    this.selectedCell = cell;
    const r = await this.host.core.probe({ script: m.script, files: m.files, from: [cell.from], to: [cell.to], ports: [cell.port] });
    if (!r.ok) {
      this.error = r.error;
      this.host.requestUpdate();
      return false;
    }
    const c = r.cell;
    const g = CELL_GLYPHS[c.result];
    this.probeStep = {
      line: c.line ?? m.plan?.at ?? 0,
      host: c.from,
      command: `probe ${c.from} → ${c.to} ${c.port}`,
      ok: c.result === 'reachable',
      output: `${g.glyph} ${g.text}: ${c.detail}`,
      error: null,
      warnings: [],
      traces: c.traces ?? [],
    };
    this.host.requestUpdate();
    return true;
  }

  /** Cells that changed since the last matrix of the same kind (by id). */
  private changes(): Map<string, CellChange> {
    const a = this.previousMatrix;
    const b = this.matrix;
    if (!a || !b || this.running || a.script === b.script) return new Map();
    return new Map(diffCells([...a.cells.values()], [...b.cells.values()]).filter((c) => c.a && c.b).map((c) => [cellId(c.from, c.to, c.port), c]));
  }

  renderMatrix() {
    const m = this.matrix;
    return html`<pp-matrix .plan=${m?.plan} .cells=${m?.cells ?? new Map()} .changes=${this.changes()} ?running=${this.running} error=${this.error} .ms=${m?.ms ?? 0}
      .selected=${this.selectedCell}></pp-matrix>`;
  }

  renderCompare() {
    const a = this.previousRun;
    const b = this.latestRun;
    if (!a || !b) return html`<div class="empty">Run the script, edit it, and run again: Compare shows what the edit changed — the steps whose verdict or output changed, the expectations that flipped and, when you ran the matrix before and after, the cells that changed.</div>`;
    const { steps, expectations } = compareRuns(a.result, b.result);
    const cells = [...this.changes().values()];
    const nothingChanged = !steps.length && !expectations.length && !cells.length;
    return html`<div class="compare" role="region" aria-label="What the latest run changed">
      <p class="muted">The latest run against the one before it${a.script === b.script ? ' (the same script)' : ''}.</p>
      ${nothingChanged ? html`<p>No change in behaviour.</p>` : nothing}
      ${expectations.length ? html`<h4>Expectations</h4><ul>${expectations.map((e) => html`<li>line ${e.line.a ?? '—'} → ${e.line.b ?? '—'}: ${held(e.a)} → <strong>${held(e.b)}</strong></li>`)}</ul>` : nothing}
      ${steps.length ? html`<h4>Steps</h4><ul class="changes">${steps.map((s) => html`<li class=${s.change}>${stepLine(s)}</li>`)}</ul>` : nothing}
      ${cells.length ? html`<h4>Matrix cells</h4><ul class="changes">${cells.map((c) => html`<li>${c.from} → ${c.to} ${c.port}: ${c.a ? `${CELL_GLYPHS[c.a.result].glyph} ${CELL_GLYPHS[c.a.result].text}` : 'absent'} → <strong>${c.b ? `${CELL_GLYPHS[c.b.result].glyph} ${CELL_GLYPHS[c.b.result].text}` : 'absent'}</strong>${c.b && c.b.result !== 'reachable' ? html`<div class="muted">${c.b.detail}</div>` : nothing}</li>`)}</ul>` : nothing}
    </div>`;
  }
}

function held(x: boolean | undefined): string {
  return x === undefined ? 'absent' : x ? '✓ held' : '✗ failed';
}

function stepLine(s: StepChange) {
  const v = (x: StepChange['a']) => (x ? (x.ok ? '✓ ok' : '✗ failed') : 'absent');
  const where = `line ${s.a?.line ?? '—'} → ${s.b?.line ?? '—'}`;
  const part = s.diverges ? html`<div class="muted">paths part at hop ${s.diverges.hop + 1}: ${partWords(s.diverges.a, s.diverges.b)} → ${partWords(s.diverges.b, s.diverges.a)}</div>` : nothing;
  return html`<code>${s.command}</code> <span class="muted">(${where})</span>: ${s.change === 'output' ? 'output changed' : s.change} — ${v(s.a)} → <strong>${v(s.b)}</strong>${part}`;
}

/** A hop where two paths part, in words: its place, stage and action, and its rule when only the rule differs. */
export function partWords(h: { at: string; stage: string; action: string; rule?: string | null } | null | undefined, other: typeof h): string {
  if (!h) return 'ended';
  const words = `${h.at}: ${h.stage} ${h.action}`;
  const same = other && other.at === h.at && other.stage === h.stage && other.action === h.action;
  return same && h.rule !== other.rule ? `${words} (${h.rule ?? 'no rule'})` : words;
}
