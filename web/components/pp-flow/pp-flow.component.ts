import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PpElement, shared, revealWithin } from '../base.js';
import { styles } from './pp-flow.styles.js';
import { icons } from '../icons.js';
import type { Hop, PacketTrace, Step } from '../../../src/result.js';
import { decidingHop, expired, failed, shownVerdict, verdictCause, verdictClass, verdictLabel } from '../../lib/packets.js';

/** The hop that decided a drop: the last hop whose action drops or blocks, else the last hop. */
export const dropHop = decidingHop;

/** The script line responsible for what happened to a packet (a drop's rule, else the command). */
export function responsibleLine(p: PacketTrace, step: Step): number {
  // A probe sent to expire (tracert, ping -i) is the command's doing, not a line that built the path.
  if (failed(p) && !expired(p)) {
    const k = dropHop(p);
    const line = p.hops[k]?.sourceLine ?? [...p.hops].reverse().find((h) => h.sourceLine)?.sourceLine;
    if (line) return line;
  }
  return step.line;
}

function fmt(v: string | number | undefined): string {
  return v === undefined ? '—' : String(v);
}

/**
 * @summary The flow inspector: the packets of the selected traffic command, each with its hops (host,
 * place, stage, action, rule) and the header fields each hop changed, before → after. Step through the
 * hops with the buttons or ←/→; a drop names its reason and the script line responsible.
 *
 * @event pp-hop - the user chose a trace/packet/hop; detail `{ trace, packet, hop }`.
 * @event pp-reveal-line - show a script line; detail `{ line }`.
 */
export class PpFlow extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) step?: Step;
  /** The script, to quote the responsible line. */
  @property({ attribute: false }) script = '';
  @property({ type: Number }) trace = 0;
  @property({ type: Number }) packet = 0;
  @property({ type: Number }) hop = 0;

  @state() private playing = false;
  private timer?: ReturnType<typeof setInterval>;

  private get current(): PacketTrace | undefined {
    return this.step?.traces[this.trace]?.packets[this.packet];
  }

  private go(trace: number, packet: number, hop: number): void {
    this.emit('pp-hop', { trace, packet, hop });
  }

  private move(delta: number): void {
    const p = this.current;
    if (!p) return;
    this.go(this.trace, this.packet, Math.max(0, Math.min(p.hops.length - 1, this.hop + delta)));
  }

  /** All packets of the step in order, as [trace, packet] pairs. */
  private packets(): [number, number][] {
    const out: [number, number][] = [];
    this.step?.traces.forEach((t, ti) => t.packets.forEach((_, pi) => out.push([ti, pi])));
    return out;
  }

  private movePacket(delta: number): void {
    const list = this.packets();
    const k = list.findIndex(([t, p]) => t === this.trace && p === this.packet);
    const next = list[Math.max(0, Math.min(list.length - 1, k + delta))];
    if (next) this.go(next[0], next[1], 0);
  }

  private togglePlay(): void {
    this.playing = !this.playing;
    clearInterval(this.timer);
    if (this.playing) {
      const p = this.current;
      if (p && this.hop >= p.hops.length - 1) this.go(this.trace, this.packet, 0);
      this.timer = setInterval(() => {
        const cur = this.current;
        if (!cur || this.hop >= cur.hops.length - 1) {
          this.playing = false;
          clearInterval(this.timer);
          return;
        }
        this.move(1);
      }, 700);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('step')) {
      this.playing = false;
      clearInterval(this.timer);
    }
    if (changed.has('hop') || changed.has('packet')) {
      revealWithin(this.renderRoot.querySelector<HTMLElement>('tr.current'));
    }
  }

  private handleKeyDown(e: KeyboardEvent): void {
    if (e.key === 'ArrowRight') this.move(1);
    else if (e.key === 'ArrowLeft') this.move(-1);
    else if (e.key === 'ArrowDown') this.movePacket(1);
    else if (e.key === 'ArrowUp') this.movePacket(-1);
    else if (e.key === 'Home') this.go(this.trace, this.packet, 0);
    else if (e.key === 'End') this.go(this.trace, this.packet, (this.current?.hops.length ?? 1) - 1);
    else if (e.key === ' ') this.togglePlay();
    else return;
    e.preventDefault();
  }

  private changes(h: Hop) {
    const keys = [...new Set([...Object.keys(h.before), ...Object.keys(h.after)])];
    if (!keys.length) return nothing;
    return html`${keys.map((k) => html`<span class="change" title="${k}: ${fmt(h.before[k])} → ${fmt(h.after[k])}"><span class="field">${k}</span> <span class="before">${fmt(h.before[k])}</span> → <span class="after">${fmt(h.after[k])}</span></span>`)}`;
  }

  private renderDrop(p: PacketTrace, step: Step) {
    const shown = shownVerdict(p);
    if (shown === 'delivered') return nothing;
    if (shown === 'ignored') {
      const at = p.hops[p.hops.length - 1];
      return html`<div class="ignored-note" role="note"><strong>○ Ignored</strong>${at ? html` at ${at.at} on ${at.host}` : nothing}: a flooded copy this station
        received and correctly ignored (not addressed to it). Not a failure.</div>`;
    }
    const k = dropHop(p);
    const hop = p.hops[k];
    const line = responsibleLine(p, step);
    const text = this.script.split(/\r?\n/)[line - 1]?.trim() ?? '';
    const source = html`<button class="linkish" @click=${() => this.emit('pp-reveal-line', { line })} title="Show this line in the editor">line ${line}</button>
        ${text ? html`<code>${text}</code>` : nothing}`;
    if (expired(p)) {
      return html`<div class="expired-note" role="note"><strong>↩ TTL expired</strong>${hop ? html` at hop ${k + 1} (${hop.at} on ${hop.host})` : nothing}:
        the router there answers with ICMP Time Exceeded, which is what this probe was sent for. Not a failure.
        <div class="responsible">Sent by ${source}</div></div>`;
    }
    return html`<div class="drop">
      <strong>${shown === 'timeout' ? '◷ Timed out' : '✗ Dropped'}</strong>${hop ? html` at hop ${k + 1} (${hop.stage}, ${hop.at} on ${hop.host})` : nothing}:
      <span class="reason">${verdictCause(p)}</span>
      <div class="responsible">Responsible: ${source}</div>
    </div>`;
  }

  override render() {
    const step = this.step;
    if (!step) return html`<div class="empty">Select a step in the transcript. Traffic commands (ping, curl, flood…) have packets to inspect.</div>`;
    if (!step.traces.length || !this.packets().length) {
      return html`<div class="empty">Line ${step.line} sent no packets. Traffic commands (<code>docker exec … ping/curl</code>, <code>client … curl</code>, <code>flood</code>) have hop-by-hop traces.</div>`;
    }
    const p = this.current;
    const hops = p?.hops ?? [];
    return html`<div class="flow" tabindex="0" @keydown=${this.handleKeyDown} aria-label="Flow inspector: left and right arrows step through hops, up and down choose a packet">
      <nav class="packets" aria-label="Packets">
        ${step.traces.map((t, ti) => html`<div class="trace-head">${t.from} → ${t.to}</div>
          ${t.packets.map((pk, pi) => html`<button class="packet ${ti === this.trace && pi === this.packet ? 'active' : ''}" aria-pressed=${ti === this.trace && pi === this.packet}
              @click=${() => this.go(ti, pi, 0)}>
            <span class="verdict ${verdictClass(pk)}" title=${verdictLabel(pk).text}>${verdictLabel(pk).glyph}<span class="sr-only"> ${verdictLabel(pk).text}</span></span>
            <span class="summary mono">${pk.summary}</span></button>`)}`)}
      </nav>
      <section class="hops">
        ${p ? html`
          <div class="controls" role="toolbar" aria-label="Hop controls">
            <button @click=${() => this.go(this.trace, this.packet, 0)} ?disabled=${this.hop <= 0} title="First hop (Home)" aria-label="First hop">${icons.first()}</button>
            <button @click=${() => this.move(-1)} ?disabled=${this.hop <= 0} title="Previous hop (←)" aria-label="Previous hop">${icons.prev()}</button>
            <span class="pos">Hop <b>${this.hop + 1}</b> / ${hops.length}</span>
            <button @click=${() => this.move(1)} ?disabled=${this.hop >= hops.length - 1} title="Next hop (→)" aria-label="Next hop">${icons.next()}</button>
            <button @click=${() => this.go(this.trace, this.packet, hops.length - 1)} ?disabled=${this.hop >= hops.length - 1} title="Last hop (End)" aria-label="Last hop">${icons.last()}</button>
            <button @click=${() => this.togglePlay()} aria-pressed=${this.playing} title="Play the packet along its path (Space)">${this.playing ? html`${icons.pause()} Pause` : html`${icons.play()} Play`}</button>
            <span class="summary mono">${p.summary}</span>
            <span class="badge ${shownVerdict(p) === 'delivered' ? 'ok' : failed(p) && !expired(p) ? 'bad' : ''}">${verdictLabel(p).text}</span>
          </div>
          ${this.renderDrop(p, step)}
          <div class="table-wrap" tabindex="0" aria-label="Hops of the selected packet">
          <table>
            <thead><tr><th>#</th><th>Where</th><th>Stage · action — rule or table entry</th><th>Header changes (before → after)</th></tr></thead>
            <tbody>${hops.map((h, k) => html`<tr class="${k === this.hop ? 'current' : ''} ${Object.keys(h.after).length ? 'changed' : ''} ${/drop|block/i.test(h.action) ? 'dropped' : ''}"
                @click=${() => this.go(this.trace, this.packet, k)}>
              <td class="num">${k + 1}</td><td class="place"><span class="host">${h.host}</span> · ${h.at}</td>
              <td class="decision"><div class="action"><span class="stage s-${h.stage}">${h.stage}</span> ${h.action}</div>
                ${h.rule || h.sourceLine ? html`<div class="rule">${h.rule ?? ''}${h.sourceLine ? html` <button class="linkish" @click=${(e: Event) => { e.stopPropagation(); this.emit('pp-reveal-line', { line: h.sourceLine! }); }}>line ${h.sourceLine}</button>` : nothing}</div>` : nothing}</td>
              <td class="changes">${this.changes(h)}</td></tr>`)}</tbody>
          </table></div>` : nothing}
      </section>
    </div>`;
  }
}
