import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-why.styles.js';
import type { WhyResult } from '../../../src/analysis/why.js';
import type { ScriptEdit } from '../../../src/analysis/fixes.js';

/**
 * @summary "Why?": why a line failed — the causes from the symptom back to the root, the evidence
 * (the hop, the rule, the line), and the fixes a re-run verified, each with an Apply button.
 *
 * @event pp-apply-fix - Apply was pressed; detail `{ index }` of the fix.
 * @event pp-reveal-line - a line number was clicked; detail `{ line }`.
 */
export class PpWhy extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) answer?: WhyResult;
  /** The line being explained while the worker verifies fixes (0: none). */
  @property({ type: Number }) pending = 0;
  @property() error = '';
  /** The script changed since the run: fixes name its old lines, so they cannot be applied. */
  @property({ type: Boolean }) stale = false;

  private lineLink(line: number | undefined) {
    return line ? html`<button class="line-link" title="Show line ${line} in the editor" @click=${() => this.emit('pp-reveal-line', { line })}>line ${line}</button>` : nothing;
  }

  private edit(e: ScriptEdit) {
    if (e.kind === 'insert') return e.lines.map((l) => html`<span class="add">+ before line ${e.before}: ${l}</span>\n`);
    if (e.kind === 'delete') return html`<span class="del">- line ${e.line}: ${e.was}</span>\n`;
    return html`<span class="del">- line ${e.line}: ${e.was}</span>\n<span class="add">+ line ${e.line}: ${e.text}</span>\n`;
  }

  override render() {
    if (this.error) return html`<div class="body"><p class="error" role="alert">${this.error}</p></div>`;
    if (this.pending) return html`<div class="body" role="status"><p>Explaining line ${this.pending} and re-running each candidate fix…</p></div>`;
    const a = this.answer;
    if (!a) return html`<div class="empty">Press "Why?" on a failed step of the transcript.</div>`;
    if (!a.target) return html`<div class="body"><p>${a.message}</p></div>`;
    return html`<div class="body" aria-label="Why line ${a.target.line} failed">
      <section>
        <h3>Symptom</h3>
        <div>${this.lineLink(a.target.line)}<span class="target">${a.target.command}</span></div>
        <div class="symptom">${a.target.symptom}</div>
      </section>
      <section>
        <h3>Cause, from the symptom back to the root</h3>
        <ol class="causes">${a.causes.map((c, i) => html`<li class=${i === a.causes.length - 1 ? 'root' : ''}>${this.lineLink(c.line)}${c.text}
          ${i === a.causes.length - 1 ? html`<span class="badge warn root-tag">root cause</span> <div class="source">Source: ${c.source}</div>` : nothing}</li>`)}</ol>
      </section>
      ${a.evidence.length ? html`<section><h3>Evidence</h3><ul class="evidence">${a.evidence.map((e) => html`<li>${this.lineLink(e.line)}${e.text}</li>`)}</ul></section>` : nothing}
      <section>
        <h3>${a.fixes.length ? 'Verified fixes' : 'No verified fix'}</h3>
        ${a.fixes.length ? html`<p class="note">Each fix was applied to a copy of the script and re-run: the line passes and every expectation that held still holds.${this.stale ? ' The script changed since the run: run it again to apply a fix.' : ''}</p>` : nothing}
        ${a.fixes.map((f, i) => html`<div class="fix">
          <div class="fix-head"><span class="badge ok">✓ verified</span><span class="fix-title">${f.title}</span>
            <button class="apply" ?disabled=${this.stale} @click=${() => this.emit('pp-apply-fix', { index: i })} title="Edit the script (Ctrl+Z undoes it) and run it again">Apply and run</button></div>
          <pre class="edits">${f.edits.map((e) => this.edit(e))}</pre>
        </div>`)}
        ${a.rejected.length ? html`<details><summary>${a.rejected.length} candidate${a.rejected.length === 1 ? '' : 's'} not offered</summary>
          <ul>${a.rejected.map((f) => html`<li>${f.title}: ${f.reason}</li>`)}</ul></details>` : nothing}
      </section>
    </div>`;
  }
}
