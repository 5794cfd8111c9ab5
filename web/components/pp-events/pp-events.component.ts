import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-events.styles.js';
import { shownVerdict, verdictGlyph, type Shown } from '../../lib/packets.js';
import type { RunResult } from '../../../src/result.js';

/** One packet of the run, as a row of the event list. */
export interface PacketEvent {
  /** Order in the run, from 1. */
  n: number;
  step: number;
  trace: number;
  packet: number;
  line: number;
  from: string;
  to: string;
  /** Where the packet ended: host · place of its last hop. */
  place: string;
  protocol: string;
  verdict: Shown;
  summary: string;
}

/** Every packet of every command of a run, in order. */
export function runEvents(r: RunResult | undefined): PacketEvent[] {
  const out: PacketEvent[] = [];
  r?.steps.forEach((s, step) => s.traces.forEach((t, trace) => t.packets.forEach((p, packet) => {
    const last = p.hops[p.hops.length - 1];
    out.push({
      n: out.length + 1, step, trace, packet, line: s.line, from: t.from, to: t.to,
      place: last ? `${last.host} · ${last.at}` : '', protocol: p.summary.split(' ')[0] ?? '', verdict: shownVerdict(p), summary: p.summary,
    });
  })));
  return out;
}

/**
 * @summary The event list (Packet Tracer's simulation mode): every packet of every command of the run,
 * with its line, endpoints, where it ended, protocol and verdict, filtered by protocol and verdict.
 * Virtualised: 100,000 events scroll as smoothly as ten. Choosing one selects it in the inspector.
 *
 * @event pp-select-packet - detail `{ step, trace, packet }`.
 */
export class PpEvents extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) events: PacketEvent[] = [];
  /** The selected packet, to mark its row. */
  @property({ attribute: false }) selected?: { step: number; trace: number; packet: number };

  @state() private protocol = '';
  @state() private verdict = '';

  private filtered(): PacketEvent[] {
    const p = this.protocol;
    const v = this.verdict;
    return p || v ? this.events.filter((e) => (!p || e.protocol === p) && (!v || e.verdict === v)) : this.events;
  }

  override render() {
    if (!this.events.length) return html`<div class="empty">No packets in this run: traffic commands (ping, curl, nslookup, flood…) send them.</div>`;
    const protocols = [...new Set(this.events.map((e) => e.protocol))].sort();
    const list = this.filtered();
    const sel = this.selected;
    return html`<div class="bar" role="group" aria-label="Filter the events">
        <label>Protocol <select aria-label="Protocol" @change=${(e: Event) => (this.protocol = (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>${protocols.map((p) => html`<option ?selected=${p === this.protocol}>${p}</option>`)}</select></label>
        <label>Verdict <select aria-label="Verdict" @change=${(e: Event) => (this.verdict = (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>${(['delivered', 'dropped', 'timeout', 'ignored'] as const).map((v) => html`<option value=${v} ?selected=${v === this.verdict}>${v}</option>`)}</select></label>
        <span class="count" role="status">${list.length.toLocaleString('en-US')} of ${this.events.length.toLocaleString('en-US')} packets</span>
      </div>
      <div class="ev head" aria-hidden="true"><span>#</span><span>Line</span><span>From → to</span><span>Ended at</span><span>Proto</span><span>Verdict</span><span>Packet</span></div>
      <div class="list" role="listbox" aria-label="Packets of the run" tabindex="0">${list.length
        ? virtualize({
            items: list,
            scroller: true,
            keyFunction: (e: PacketEvent) => e.n,
            renderItem: (e: PacketEvent) => html`<div class="ev ${sel && sel.step === e.step && sel.trace === e.trace && sel.packet === e.packet ? 'selected' : ''}" role="option"
                aria-selected=${!!sel && sel.step === e.step && sel.trace === e.trace && sel.packet === e.packet}
                @click=${() => this.emit('pp-select-packet', { step: e.step, trace: e.trace, packet: e.packet })}>
              <span class="num">${e.n}</span><span class="num">${e.line}</span><span>${e.from} → ${e.to}</span><span title=${e.place}>${e.place}</span>
              <span>${e.protocol}</span><span class="v-${e.verdict}">${verdictGlyph(e.verdict).glyph} ${e.verdict}</span><span class="sum" title=${e.summary}>${e.summary}</span></div>`,
          })
        : html`<div class="empty">No packet matches the filter.</div>`}</div>`;
  }
}
