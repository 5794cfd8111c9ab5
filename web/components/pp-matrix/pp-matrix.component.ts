import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-matrix.styles.js';
import type { ReachCell, ReachVerdict, CellChange } from '../../../src/analysis/types.js';
import type { ReachPlanInfo } from '../../../src/worker/api.js';

/** A verdict's glyph and words: never colour alone. */
export const CELL_GLYPHS: Record<ReachVerdict, { glyph: string; text: string }> = {
  reachable: { glyph: '✓', text: 'reachable' },
  blocked: { glyph: '✗', text: 'blocked' },
  'no-answer': { glyph: '?', text: 'no answer' },
};

export const cellId = (from: string, to: string, port: string): string => `${from}\u0000${to}\u0000${port}`;

/**
 * @summary The reachability matrix: sources down, targets across, one port at a time; a glyph and a
 * colour per cell, filled as the worker probes. Arrow keys move between cells (a grid with a roving
 * tab stop), Enter or a click opens the cell's probe in the flow inspector.
 *
 * @event pp-reach-run - the Run matrix button.
 * @event pp-reach-cancel - the Stop button.
 * @event pp-reach-cell - detail `{ from, to, port }`: a cell was opened.
 */
export class PpMatrix extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) plan?: ReachPlanInfo;
  /** Cells by cellId(from, to, port). */
  @property({ attribute: false }) cells = new Map<string, ReachCell>();
  /** Cells that changed since the last matrix, by cellId. */
  @property({ attribute: false }) changes = new Map<string, CellChange>();
  @property({ type: Boolean }) running = false;
  @property() error = '';
  /** Time the finished matrix took (ms), 0 while running. */
  @property({ type: Number }) ms = 0;
  /** The cell open in the inspector. */
  @property({ attribute: false }) selected?: { from: string; to: string; port: string };

  @state() private port = '';
  /** The focused cell (row, column) of the grid's roving tab stop. */
  @state() private cursor = { row: 0, col: 0 };

  private shownPort(): string {
    const ports = this.plan?.ports ?? [];
    return ports.includes(this.port) ? this.port : ports[0] ?? '';
  }

  override render() {
    const plan = this.plan;
    const done = this.cells.size;
    const port = this.shownPort();
    return html`<div class="bar" role="group" aria-label="Reachability matrix">
        ${this.running
          ? html`<button @click=${() => this.emit('pp-reach-cancel', {})}>Stop</button>`
          : html`<button class="primary" data-action="reach" @click=${() => this.emit('pp-reach-run', {})}>${plan ? 'Run the matrix again' : 'Run the matrix'}</button>`}
        ${plan ? html`<label>Port <select aria-label="Port" @change=${(e: Event) => (this.port = (e.target as HTMLSelectElement).value)}>
            ${plan.ports.map((p) => html`<option ?selected=${p === port}>${p}</option>`)}</select></label>` : nothing}
        <span class="legend" aria-hidden="true"><span class="c reachable">✓</span> reachable <span class="c blocked">✗</span> blocked <span class="c no-answer">?</span> no answer <span class="c pending">·</span> not yet</span>
        <span class="count" role="status">${plan
          ? `${done.toLocaleString('en-US')} of ${plan.total.toLocaleString('en-US')} cells${this.running ? '…' : this.ms ? ` in ${(this.ms / 1000).toFixed(1)} s` : ''}${this.changes.size ? ` · ${this.changes.size} changed since the last matrix` : ''} · at line ${plan.at}`
          : ''}</span>
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${plan ? this.grid(plan, port) : html`<div class="empty">The matrix probes every container, host, client and the internet against every address, name and <code>localhost</code>, on icmp, tcp/80, tcp/443, udp/53 and the published ports: one real exchange of packets per cell, on the world as the script leaves it.</div>`}`;
  }

  private grid(plan: ReachPlanInfo, port: string) {
    const sel = this.selected;
    return html`<div class="scroll"><table role="grid" aria-label="Reachability on ${port}: sources by row, targets by column" aria-rowcount=${plan.sources.length + 1} aria-colcount=${plan.destinations.length + 1}
        @keydown=${(e: KeyboardEvent) => this.key(e, plan)}>
      <thead><tr role="row"><th class="corner" role="columnheader">from ↓ to →</th>${plan.destinations.map((d) => html`<th role="columnheader" class="to" title="${d.name}${d.by === 'address' ? ` (${d.of})` : ''}"><span>${d.name}</span></th>`)}</tr></thead>
      <tbody>${plan.sources.map((s, row) => html`<tr role="row"><th role="rowheader" class="from" title=${s.addresses.join(', ')}>${s.name}</th>${plan.destinations.map((d, col) => {
        const id = cellId(s.name, d.name, port);
        const c = this.cells.get(id);
        const changed = this.changes.has(id);
        const focused = this.cursor.row === row && this.cursor.col === col;
        const isSel = sel && sel.from === s.name && sel.to === d.name && sel.port === port;
        const g = c ? CELL_GLYPHS[c.result] : null;
        const label = `${s.name} to ${d.name} on ${port}: ${g ? `${g.text}, ${c!.detail}${c!.line !== undefined ? `, line ${c!.line}` : ''}` : this.running ? 'not probed yet' : 'not probed'}${changed ? ', changed since the last matrix' : ''}`;
        return html`<td role="gridcell" class="${c ? c.result : 'pending'}${changed ? ' changed' : ''}${isSel ? ' selected' : ''}" aria-selected=${isSel ? 'true' : 'false'}>
          <button tabindex=${focused ? 0 : -1} data-row=${row} data-col=${col} aria-label=${label} title=${label} ?disabled=${!c}
            @click=${() => this.open(row, col, s.name, d.name, port)}>${g ? g.glyph : '·'}</button></td>`;
      })}</tr>`)}</tbody></table></div>`;
  }

  private open(row: number, col: number, from: string, to: string, port: string): void {
    this.cursor = { row, col };
    this.emit('pp-reach-cell', { from, to, port });
  }

  /** Arrow keys, Home/End and Page keys move the roving tab stop; Enter and Space open the cell. */
  private key(e: KeyboardEvent, plan: ReachPlanInfo): void {
    const rows = plan.sources.length;
    const cols = plan.destinations.length;
    let { row, col } = this.cursor;
    switch (e.key) {
      case 'ArrowRight': col = Math.min(cols - 1, col + 1); break;
      case 'ArrowLeft': col = Math.max(0, col - 1); break;
      case 'ArrowDown': row = Math.min(rows - 1, row + 1); break;
      case 'ArrowUp': row = Math.max(0, row - 1); break;
      case 'Home': col = 0; break;
      case 'End': col = cols - 1; break;
      case 'PageDown': row = Math.min(rows - 1, row + 10); break;
      case 'PageUp': row = Math.max(0, row - 10); break;
      default: return;
    }
    e.preventDefault();
    this.cursor = { row, col };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`button[data-row="${row}"][data-col="${col}"]`)?.focus());
  }
}
