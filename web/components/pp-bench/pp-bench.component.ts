import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-bench.styles.js';
import type { BenchResult } from '../../../src/bench/types.js';

/** A bench report: the browser's (from the worker) or Node's (`packet-path bench --json`). */
export interface BenchFigures {
  /** Browser: the user agent; Node: `process.version`. */
  runtime?: string;
  node?: string;
  cpu: string;
  results: BenchResult[];
  /** How and when the figures were produced (the shipped Node file says). */
  source?: string;
  /** Workloads that failed in this run. */
  errors?: { name: string; error: string }[];
}

function key(r: BenchResult): string {
  return `${r.name}|${r.impl}`;
}

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/**
 * @summary Data-plane throughput measured here, in this browser's worker (WebAssembly), beside the
 * figures `packet-path bench --json` printed in Node.
 *
 * @event pp-bench-run - the Run button; detail `{ quick }`.
 */
export class PpBench extends PpElement {
  static override styles = [shared, styles];

  /** Figures measured in this browser. */
  @property({ attribute: false }) browser?: BenchFigures;
  /** Figures from Node (`packet-path bench --json`). */
  @property({ attribute: false }) node?: BenchFigures;
  @property({ type: Boolean }) running = false;
  @property() progress = '';
  @property() error = '';
  /** Whether the Node figures were loaded by the user (else they shipped with the site). */
  @property() nodeSource = '';

  private async loadFile(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const data = JSON.parse(await file.text()) as BenchFigures;
      if (!Array.isArray(data.results)) throw new Error('not a `packet-path bench --json` document (no results)');
      this.node = data;
      this.nodeSource = file.name;
      this.error = '';
    } catch (err) {
      this.error = `Cannot read ${file.name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  override render() {
    const rows = new Map<string, { b?: BenchResult; n?: BenchResult }>();
    // The browser runs the WebAssembly data plane only; Node's reference (plain TS) rows are left out.
    for (const r of this.browser?.results ?? []) rows.set(key(r), { ...rows.get(key(r)), b: r });
    for (const r of (this.node?.results ?? []).filter((x) => x.impl === 'wasm')) rows.set(key(r), { ...rows.get(key(r)), n: r });
    const list = [...rows.values()];
    return html`<div class="wrap">
      <div class="bar">
        <button class="primary" ?disabled=${this.running} @click=${() => this.emit('pp-bench-run', { quick: true })}>${this.running ? 'Running…' : '▶ Run bench in this browser'}</button>
        <button ?disabled=${this.running} @click=${() => this.emit('pp-bench-run', { quick: false })} title="Longer runs, steadier figures">Full run</button>
        <label class="file">Load Node figures… <input type="file" accept=".json,application/json" @change=${this.loadFile}></label>
        ${this.running ? html`<span class="progress mono">${this.progress}</span>` : nothing}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${this.browser?.errors?.length ? html`<div class="error" role="alert">${this.browser.errors.length} workload${this.browser.errors.length === 1 ? '' : 's'} failed in this browser: ${this.browser.errors.map((e) => `${e.name} (${e.error})`).join('; ')}</div>` : nothing}
      <div class="explain">
        <div><b>Browser</b>: measured now, in this page's Web Worker (WebAssembly data plane)${this.browser ? html` — <span class="muted">${this.browser.runtime}, ${this.browser.cpu}</span>` : html` — <span class="muted">not run yet</span>`}.</div>
        <div><b>Node</b>: printed by <code>packet-path bench --json</code>${this.node ? html` — <span class="muted">node ${this.node.node ?? this.node.runtime}, ${this.node.cpu}${this.nodeSource ? `, from ${this.nodeSource}` : this.node.source ? ` — ${this.node.source}` : ''}</span>` : html` — <span class="muted">none shipped with this build; load a file</span>`}.</div>
      </div>
      ${list.length ? html`<div class="body"><table>
        <thead><tr><th>Workload</th><th>Stage</th><th>Impl</th><th>Parameters</th><th class="num">Browser Mpps</th><th class="num">Node Mpps</th><th class="num">Browser / Node</th><th class="num">ns/packet (browser)</th></tr></thead>
        <tbody>${list.map(({ b, n }) => {
          const r = (b ?? n)!;
          const ratio = b && n ? b.mpps / n.mpps : undefined;
          return html`<tr><td>${r.name}</td><td>${r.stage}</td><td>${r.impl}</td><td class="mono params">${Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ')}</td>
            <td class="num fig browser">${fmt(b?.mpps)}${b?.unit === 'sessions' ? html` <span class="muted">Ms/s</span>` : nothing}</td>
            <td class="num fig">${fmt(n?.mpps)}</td><td class="num">${ratio ? `${(ratio * 100).toFixed(0)} %` : '—'}</td><td class="num">${fmt(b?.nsPerPacket)}</td></tr>`;
        })}</tbody></table></div>` : html`<div class="empty">Run the bench to measure packets per second of each data-plane workload in this browser.</div>`}
    </div>`;
  }
}
