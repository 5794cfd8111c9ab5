import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { PpElement, shared, revealWithin } from '../base.js';
import { styles } from './pp-transcript.styles.js';
import type { Expectation, Step } from '../../../src/result.js';
import { expired, failed } from '../../lib/packets.js';

/**
 * Above this many steps only the steps in view are in the DOM (@lit-labs/virtualizer): a shared link
 * of 10,000 commands must render as fast as one of ten. Below it every step is in the DOM, so the
 * browser's find-in-page sees the whole run.
 */
export const VIRTUALIZE_ABOVE = 200;

/**
 * @summary The run as a PowerShell console shows it: a `PS C:\>` prompt per command, then its output,
 * errors (red) and warnings (yellow). Click a step (or use ↑/↓) to select it.
 *
 * @event pp-select-step - a step was chosen; detail `{ index }`.
 * @event pp-why - "Why?" was pressed on a failed step; detail `{ line }` (only with `whyAction`).
 */
export class PpTranscript extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) steps: Step[] = [];
  @property({ attribute: false }) expectations: Expectation[] = [];
  /** Index of the selected step, -1 for none. */
  @property({ type: Number }) selected = -1;
  /** Offer a "Why?" button on each failed step and failed expectation (the playground; not the widget). */
  @property({ type: Boolean }) whyAction = false;
  /** Shown instead of the steps when there is no run yet (or it failed). */
  @property() placeholder = 'Press Run (Ctrl+Enter) to run the script.';

  private select(index: number): void {
    if (index < 0 || index >= this.steps.length) return;
    this.emit('pp-select-step', { index });
  }

  /** A step that failed: its expectation did not hold, or (none) the command failed. */
  private failing(s: Step, exp: Expectation | undefined): boolean {
    return exp ? !exp.ok : !s.ok;
  }

  private handleKeyDown(e: KeyboardEvent): void {
    // W asks "Why?" of the selected step (the button inside an option cannot be a focusable control).
    if (this.whyAction && (e.key === 'w' || e.key === 'W') && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const s = this.steps[this.selected];
      if (s && this.failing(s, this.expectations.find((x) => x.line === s.line))) {
        e.preventDefault();
        this.emit('pp-why', { line: s.line });
      }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'j') this.select(Math.min(this.steps.length - 1, this.selected + 1));
    else if (e.key === 'ArrowUp' || e.key === 'k') this.select(Math.max(0, this.selected - 1));
    else if (e.key === 'Home') this.select(0);
    else if (e.key === 'End') this.select(this.steps.length - 1);
    else return;
    e.preventDefault();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('selected') && this.selected >= 0) {
      const el = this.renderRoot.querySelector<HTMLElement>(`[data-index="${this.selected}"]`);
      if (el) revealWithin(el);
      else {
        // A virtualised step out of view: the virtualizer scrolls its own box, never the page.
        const host = this.renderRoot.querySelector('.console') as (HTMLElement & VirtualizerHostElement) | null;
        host?.[virtualizerRef]?.element(this.selected)?.scrollIntoView({ block: 'center' });
      }
    }
  }

  private prompt(step: Step, multiHost: boolean) {
    return html`<span class="prompt">${multiHost ? html`<span class="host">[${step.host}]</span> ` : nothing}PS C:\\&gt;</span>`;
  }

  private renderStep(s: Step, i: number, multiHost: boolean, expect: Map<number, Expectation>) {
    const exp = expect.get(s.line);
    const packets = s.traces.reduce((n, t) => n + t.packets.length, 0);
    // Only real failures are flagged: an ignored broadcast copy is part of normal traffic.
    const dropped = s.traces.reduce((n, t) => n + t.packets.filter((p) => failed(p) && !expired(p)).length, 0);
    // A probe whose TTL ran out (tracert, ping -i) is counted apart: that is what it was sent to do.
    const ttl = s.traces.reduce((n, t) => n + t.packets.filter((p) => expired(p)).length, 0);
    return html`<div class="step ${i === this.selected ? 'selected' : ''} ${s.ok ? '' : 'failed'}" id="step-${i}" data-index=${i} data-line=${s.line}
        role="option" aria-selected=${i === this.selected} aria-keyshortcuts=${this.whyAction && this.failing(s, exp) ? 'W' : nothing} @click=${() => this.select(i)}>
      <div class="cmd"><span class="line-no" title="script line ${s.line}">${s.line}</span>${this.prompt(s, multiHost)} <span class="text">${s.command}</span>
        <span class="tags">
          ${packets ? html`<span class="tag trace ${dropped ? 'dropped' : ''}" title="hop-by-hop trace: select to inspect">⇢ ${packets} packet${packets === 1 ? '' : 's'}${dropped ? `, ${dropped} failed` : ''}${ttl ? `, ${ttl} expired` : ''}</span>` : nothing}
          ${exp ? html`<span class="tag ${exp.ok ? 'pass' : 'fail'}" title=${exp.message ?? ''}>${exp.ok ? '✓ expectation held' : '✗ expectation failed'}</span>` : nothing}
          ${this.whyAction && this.failing(s, exp) ? html`<span class="why" title="Why did line ${s.line} fail? The cause, the evidence and fixes verified by a re-run (key: W)"
            @click=${(e: Event) => { e.stopPropagation(); this.select(i); this.emit('pp-why', { line: s.line }); }}>Why?</span>` : nothing}
        </span>
      </div>
      ${s.output ? html`<pre class="out">${s.output.replace(/\n+$/, '')}</pre>` : nothing}
      ${s.warnings.map((w) => html`<pre class="warning">WARNING: ${w}</pre>`)}
      ${s.error ? html`<pre class="error">${s.error}</pre>` : nothing}
    </div>`;
  }

  override render() {
    if (!this.steps.length) return html`<div class="console"><div class="placeholder">${this.placeholder}</div></div>`;
    let multiHost = false;
    const first = this.steps[0].host;
    for (const s of this.steps) if (s.host !== first) { multiHost = true; break; }
    const expect = new Map(this.expectations.map((e) => [e.line, e]));
    const big = this.steps.length > VIRTUALIZE_ABOVE;
    return html`<div class="console ${big ? 'virtual' : ''}" role="listbox" tabindex="0" aria-label=${this.whyAction ? 'Transcript: one entry per script command; W explains a failed one' : 'Transcript: one entry per script command'}
        aria-activedescendant=${this.selected >= 0 && this.renderRoot.querySelector?.(`#step-${this.selected}`) ? `step-${this.selected}` : nothing} @keydown=${this.handleKeyDown}>${big
      ? virtualize({ items: this.steps, scroller: true, keyFunction: (_s: Step, i: number) => i, renderItem: (s: Step, i: number) => this.renderStep(s, i, multiHost, expect) })
      : this.steps.map((s, i) => this.renderStep(s, i, multiHost, expect))}</div>`;
  }
}
