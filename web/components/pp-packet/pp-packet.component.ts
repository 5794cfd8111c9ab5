import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-packet.styles.js';
import { changedKeys, dissect, fieldAt, frameForHop, type Dissection, type TreeField } from '../../lib/dissect.js';
import type { PacketTrace } from '../../../src/result.js';

const PRINTABLE = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·');

/**
 * @summary The selected packet as it stood at the selected hop, as Wireshark shows one: a tree of its
 * headers (Ethernet, 802.1Q, ARP, IPv4, ICMP/TCP/UDP, VXLAN and the inner frame) with the fields this
 * hop changed highlighted, beside its bytes in hex and ASCII. Pointing at (or focusing) a field
 * highlights its bytes; pointing at a byte highlights its field.
 */
export class PpPacket extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) packet?: PacketTrace;
  @property({ type: Number }) hop = 0;

  /** The byte range pointed at, [start, end). */
  @state() private hot: [number, number] | null = null;
  @state() private hotKey = '';

  private cache?: { hex: string; d: Dissection };

  private dissection(hex: string): Dissection {
    if (this.cache?.hex !== hex) this.cache = { hex, d: dissect(hex) };
    return this.cache.d;
  }

  private point(f: TreeField | undefined): void {
    this.hot = f && f.end > f.start ? [f.start, f.end] : null;
    this.hotKey = f?.key ?? '';
  }

  private renderBytes(d: Dissection, changed: Set<string>) {
    const marks = new Uint8Array(d.bytes.length);
    for (const l of d.layers) for (const f of l.fields) if (changed.has(f.key)) marks.fill(1, f.start, f.end);
    const rows = [];
    const cls = (i: number) => `${marks[i] ? 'changed' : ''} ${this.hot && i >= this.hot[0] && i < this.hot[1] ? 'hot' : ''}`;
    for (let off = 0; off < d.bytes.length; off += 16) {
      const idx = Array.from({ length: Math.min(16, d.bytes.length - off) }, (_, k) => off + k);
      rows.push(html`<div class="row"><span class="off">${off.toString(16).padStart(4, '0')}</span>
        <span class="hex">${idx.map((i) => html`<b class=${cls(i)} data-i=${i}>${d.bytes[i].toString(16).padStart(2, '0')}</b>`)}</span>
        <span class="ascii" aria-hidden="true">${idx.map((i) => html`<b class=${cls(i)} data-i=${i}>${PRINTABLE(d.bytes[i])}</b>`)}</span></div>`);
    }
    return rows;
  }

  private byteHover(e: Event, d: Dissection): void {
    const i = (e.target as HTMLElement).dataset?.i;
    this.point(i === undefined ? undefined : fieldAt(d, Number(i)));
  }

  override render() {
    const p = this.packet;
    const frame = p ? frameForHop(p, this.hop) : undefined;
    if (!p || !frame) {
      return html`<div class="empty">${p ? 'This run recorded no frames for the packet (run it again to capture them).' : 'Select a packet in the flow inspector to see its headers and bytes.'}</div>`;
    }
    const d = this.dissection(frame.hex);
    const changed = changedKeys(p.hops[this.hop]);
    return html`<div class="wrap">
      <div class="head">Hop ${this.hop + 1}: the frame on the wire <b>${frame.at}</b>, ${d.bytes.length} bytes — ${d.summary}${changed.size ? html` · <span>✎ fields this hop changed</span>` : nothing}</div>
      <div class="tree" role="group" aria-label="Headers of the frame" @mouseleave=${() => this.point(undefined)}>
        ${d.layers.map((l) => html`<details open class="layer ${l.role}">
          <summary>${l.title}<span class="range">bytes ${l.start}–${l.end - 1}</span></summary>
          <ul>${l.fields.map((f) => html`<li tabindex="0" data-key=${f.key} class="${changed.has(f.key) ? 'changed' : ''} ${this.hotKey === f.key ? 'hot' : ''}"
              @mouseenter=${() => this.point(f)} @focus=${() => this.point(f)}
              title=${f.end > f.start ? `bytes ${f.start}–${f.end - 1}` : 'computed'}><span class="name">${f.name}:</span> ${String(f.value)}</li>`)}</ul>
        </details>`)}
      </div>
      <div class="bytes" role="group" aria-label="Bytes of the frame, hex and ASCII" tabindex="0"
        @mouseover=${(e: Event) => this.byteHover(e, d)} @mouseleave=${() => this.point(undefined)}>${this.renderBytes(d, changed)}</div>
    </div>`;
  }
}
