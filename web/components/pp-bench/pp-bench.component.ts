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
  /** When the figures were measured (YYYY-MM-DD) and how (quick or full runs). */
  measured?: string;
  mode?: string;
}

/**
 * What each workload measures, and the figure it should reach on this kind of machine (the
 * performance issue's targets: the line rate of 10 GbE for the whole pipeline, 0.8× a tuned C
 * implementation of the same work for single stages).
 */
export const WORKLOADS: Record<string, { what: string; target?: number; targetText?: string }> = {
  'mac-rewrite': { what: 'l2bridge MAC rewrite: each packet\'s endpoint found by address, its MACs rewritten', target: 250, targetText: '≥ 250 Mpps (0.8× tuned C)' },
  'vxlan-encap': { what: 'VXLAN encapsulation: a precomputed outer header copied into headroom, lengths and checksum patched', target: 330, targetText: '≥ 330 Mpps (0.8× tuned C)' },
  'vxlan-decap': { what: 'VXLAN decapsulation: the outer headers checked and taken off, the VNI looked up', target: 330, targetText: '≥ 330 Mpps (0.8× tuned C)' },
  switch: { what: 'vSwitch forwarding: a MAC table (FDB) lookup per packet, learning the source', target: 14.88, targetText: '≥ 14.88 Mpps (10 GbE line rate)' },
  acl: { what: 'VFP/firewall ACL: ClassBench-like rules, more flows than the flow cache holds', target: 20, targetText: '≥ 20 Mpps at 1k rules, ≥ 10 at 10k' },
  'nat-established': { what: 'WinNAT, established sessions: a session-table lookup and rewrite per packet', target: 42, targetText: '≥ 42 Mpps at 64k sessions (0.8× tuned C)' },
  'nat-new': { what: 'WinNAT, new sessions: a port allocated and a session created per packet (new sessions per second)' },
  pipeline: { what: 'The whole path: parse → ACL 1k → NAT 64k → VXLAN encap → switch, batches of 256', target: 14.88, targetText: '≥ 14.88 Mpps (10 GbE line rate)' },
};

/** The unit of a workload's figure, as its column shows it. */
export function unitOf(r: BenchResult): string {
  return r.unit === 'sessions' ? 'M new sessions/s' : 'Mpps';
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
  /** A script is running in the engine: the bench waits (their timings would disturb each other). */
  @property({ type: Boolean }) blocked = false;
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
        <button class="primary" ?disabled=${this.running || this.blocked} title=${this.blocked ? 'A script is running; the bench starts when it is done' : 'Quick runs in this browser'} @click=${() => this.emit('pp-bench-run', { quick: true })}>${this.running ? 'Running…' : '▶ Run bench in this browser'}</button>
        <button ?disabled=${this.running || this.blocked} @click=${() => this.emit('pp-bench-run', { quick: false })} title="Longer runs, steadier figures">Full run</button>
        <label class="file">Load Node figures… <input type="file" accept=".json,application/json" @change=${this.loadFile}></label>
        ${this.running ? html`<span class="progress mono">${this.progress}</span>` : nothing}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${this.browser?.errors?.length ? html`<div class="error" role="alert">${this.browser.errors.length} workload${this.browser.errors.length === 1 ? '' : 's'} failed in this browser: ${this.browser.errors.map((e) => `${e.name} (${e.error})`).join('; ')}</div>` : nothing}
      <div class="explain">
        <div><b>Browser</b>: measured now, in this page's Web Worker (WebAssembly data plane)${this.browser ? html` — <span class="muted">${this.browser.runtime}, ${this.browser.cpu}</span>` : html` — <span class="muted">not run yet</span>`}.</div>
        <div><b>Node</b>: printed by <code>packet-path bench --json</code>${this.node ? html` — <span class="muted">node ${this.node.node ?? this.node.runtime}, ${this.node.cpu}${this.nodeSource ? `, from ${this.nodeSource}` : this.node.source ? ` — ${this.node.source}` : ''}${this.node.measured ? `, measured ${this.node.measured}` : ''}${this.node.mode ? `, ${this.node.mode}` : ''}</span>` : html` — <span class="muted">none shipped with this build; load a file</span>`}.</div>
      </div>
      ${list.length ? html`<div class="body"><table>
        <thead><tr><th>Workload</th><th>Parameters</th><th>Unit</th><th class="num">Browser</th><th class="num">Node</th><th class="num">Browser / Node</th><th>Target</th><th title="Bar length: share of the row's largest figure">Chart</th></tr></thead>
        <tbody>${list.map(({ b, n }) => {
          const r = (b ?? n)!;
          const ratio = b && n ? b.mpps / n.mpps : undefined;
          const info = WORKLOADS[r.name] ?? WORKLOADS[r.stage];
          const top = Math.max(b?.mpps ?? 0, n?.mpps ?? 0, info?.target ?? 0);
          const bar = (v: number | undefined, cls: string, label: string) => v === undefined ? nothing
            : html`<div class="chart-row"><span class="chart-label">${label}</span><span class="chart-track"><span class="chart-bar ${cls}" style="width: ${Math.max(0.5, (v / top) * 100).toFixed(1)}%"></span></span></div>`;
          return html`<tr><td class="name"><b>${r.name}</b>${info ? html`<div class="what">${info.what}</div>` : nothing}</td>
            <td class="mono params">${Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ')}</td><td class="unit">${unitOf(r)}</td>
            <td class="num fig browser">${fmt(b?.mpps)}</td><td class="num fig">${fmt(n?.mpps)}</td><td class="num">${ratio ? `${(ratio * 100).toFixed(0)} %` : '—'}</td>
            <td class="target">${info?.targetText ?? '—'}</td>
            <td class="chart" role="img" aria-label="Browser ${fmt(b?.mpps)}, Node ${fmt(n?.mpps)}${info?.target ? `, target ${info.target}` : ''} ${unitOf(r)}">
              ${bar(b?.mpps, 'b', 'browser')}${bar(n?.mpps, 'n', 'Node')}${bar(info?.target, 't', 'target')}</td></tr>`;
        })}</tbody></table></div>` : html`<div class="empty">Run the bench to measure packets per second of each data-plane workload in this browser.</div>`}
    </div>`;
  }
}
