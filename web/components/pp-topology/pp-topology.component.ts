import { html, svg, nothing, type PropertyValues } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-topology.styles.js';
import { layoutWorld, type Layout, type LNode } from './layout.js';
import { wireGraph, wirePath, type WirePath } from './wires.js';
import type { NodeId, WorldSnapshot } from '../../../src/result.js';

/** The smallest text of the drawing is 10 px: at this zoom it shows at 11 px, the least a label may be. */
const MIN_READABLE_ZOOM = 1.1;

const DRIVER_CLASS: Record<string, string> = { nat: 'd-nat', transparent: 'd-transparent', overlay: 'd-overlay', l2bridge: 'd-l2bridge', l2tunnel: 'd-l2tunnel' };

/**
 * @summary The simulated world as an SVG drawing: LAN, router, clients, hosts with NICs, vSwitches,
 * WinNAT and container endpoints; the selected packet's path, and the packet itself at its current hop.
 *
 * Pan with the mouse (drag) or the arrow keys, zoom with the wheel or +/−, 0 fits. Crowded switches
 * are drawn collapsed; click one to expand it.
 *
 * @csspart svg - the drawing.
 */
export class PpTopology extends PpElement {
  static override styles = [shared, styles];

  /** The world to draw (the snapshot of the selected step). */
  @property({ attribute: false }) world?: WorldSnapshot;
  /** Node ids the selected packet passes, in order. */
  @property({ attribute: false }) path: NodeId[] = [];
  /** Index in `path` of the hop being shown, -1 for none. */
  @property({ type: Number }) current = -1;
  /** Verdict of the packet shown, for the dot's colour. */
  @property() verdict: string = '';
  /** Whether the playground shows this pane maximized (the toggle's state). */
  @property({ type: Boolean }) maximized = false;

  @state() private expanded = new Set<string>();
  @state() private view = { x: 0, y: 0, k: 1 };
  @query('.viewport') private viewport!: HTMLDivElement;

  private layout?: Layout;
  private graph?: { layout: Layout; graph: ReturnType<typeof wireGraph> };
  private wires?: WirePath;
  /** The hop the dot was last drawn at, to animate one step along its wire. */
  private shownHop = -1;
  private pathReported = false;
  private layoutKey = '';
  private drag: { x: number; y: number; vx: number; vy: number; captured: boolean } | null = null;
  private fitted = '';
  private resize?: ResizeObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize = new ResizeObserver(() => {
      this.layoutKey = '';
      this.fitted = '';
      this.requestUpdate();
    });
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
  }

  /** Number of container endpoints drawn (expanded chips and collapsed dots). */
  get endpointCount(): number {
    return this.layout?.nodes.filter((n) => n.kind === 'endpoint' || n.kind === 'dot').length ?? 0;
  }

  private computeLayout(): Layout | undefined {
    if (!this.world) return undefined;
    const rect = this.getBoundingClientRect();
    const aspect = rect.width > 0 && rect.height > 0 ? rect.width / rect.height : 1.6;
    const key = JSON.stringify([this.world.hosts.map((h) => [h.name, h.endpoints.length, h.vSwitches.length, h.nics.length]), this.world.clients.length, [...this.expanded], Math.round(aspect * 10)]);
    if (key === this.layoutKey && this.layout) {
      // Same shape: re-lay out for new labels, keep the view.
      this.layout = this.bestLayout(aspect);
      return this.layout;
    }
    this.layoutKey = key;
    this.layout = this.bestLayout(aspect);
    return this.layout;
  }

  /**
   * Tries several arrangements (hosts per row, endpoint grid shapes) and keeps the one that fits the
   * pane at the largest zoom: hosts wrap and grids widen to the pane's shape.
   */
  private bestLayout(aspect: number): Layout {
    const rect = this.getBoundingClientRect();
    const w = rect.width || 900;
    const h = rect.height || 560;
    void aspect;
    const scale = (l: Layout) => Math.min(w / l.width, (h - 30) / l.height);
    let best = layoutWorld(this.world!, { expanded: this.expanded });
    const hosts = this.world!.hosts.length;
    for (const colsFactor of [0.6, 1.2, 2.4, 4.5]) {
      const probe = layoutWorld(this.world!, { expanded: this.expanded, colsFactor });
      const hostWidths = probe.nodes.filter((n) => n.kind === 'host').map((n) => n.w + 40);
      for (let perRow = 1; perRow <= Math.max(1, hosts); perRow++) {
        const max = Math.max(...chunks(hostWidths, perRow).map((r) => r.reduce((a, b2) => a + b2, 0))) + 30;
        const l = perRow >= hosts ? probe : layoutWorld(this.world!, { expanded: this.expanded, colsFactor, maxRowWidth: max });
        if (scale(l) > scale(best) * 1.01) best = l;
      }
    }
    return best;
  }

  /** The pane's size and the zoom at which the whole drawing fits it. */
  private fitting(layout: Layout): { w: number; h: number; whole: number } {
    const rect = this.viewport?.getBoundingClientRect() ?? this.getBoundingClientRect();
    const w = rect.width || 900;
    const h = rect.height || 560;
    return { w, h, whole: Math.min(w / layout.width, h / layout.height, 1.4) };
  }

  /**
   * The first view of a drawing: the whole of it when it fits at a zoom where every label is at
   * least 11 px on screen, otherwise that zoom centred on the packet's path (or the first host),
   * the rest a pan or a zoom-out away.
   */
  readableView(): void {
    if (!this.layout) return;
    const { w, h, whole } = this.fitting(this.layout);
    if (whole >= MIN_READABLE_ZOOM) {
      this.fit();
      return;
    }
    const k = MIN_READABLE_ZOOM;
    const pts = (this.wires?.at ?? []).filter((p): p is { x: number; y: number } => !!p);
    const host = this.layout.nodes.find((n) => n.kind === 'host');
    const focus = pts.length
      ? { x: (Math.min(...pts.map((p) => p.x)) + Math.max(...pts.map((p) => p.x))) / 2, y: (Math.min(...pts.map((p) => p.y)) + Math.max(...pts.map((p) => p.y))) / 2 }
      : { x: (host?.x ?? 0) + Math.min(host?.w ?? 0, w / k) / 2, y: (host?.y ?? 0) + Math.min(host?.h ?? 0, h / k) / 2 - 40 };
    // Centred on the focus, but never past the drawing's edges; a side shorter than the pane starts at 0.
    const place = (centre: number, pane: number, size: number) => (size <= pane ? 0 : Math.max(pane - size, Math.min(0, pane / 2 - centre)));
    this.view = { k, x: place(focus.x * k, w, this.layout.width * k), y: place(focus.y * k, h, this.layout.height * k) };
    this.keepInView();
  }

  /** Pans (the zoom stays) so the packet at its current hop is on screen, a margin from the edges. */
  private keepInView(): void {
    const p = this.current >= 0 ? this.wires?.at[this.current] : undefined;
    if (!p || !this.layout) return;
    const { w, h } = this.fitting(this.layout);
    const margin = Math.min(48, w / 4, h / 4);
    const { k } = this.view;
    const sx = p.x * k + this.view.x;
    const sy = p.y * k + this.view.y;
    const dx = sx < margin ? margin - sx : sx > w - margin ? w - margin - sx : 0;
    const dy = sy < margin ? margin - sy : sy > h - margin ? h - margin - sy : 0;
    if (dx || dy) this.view = { k, x: this.view.x + dx, y: this.view.y + dy };
  }

  /** Zooms so the whole drawing fits (the Fit button, the 0 key). */
  fit(): void {
    if (!this.layout) return;
    const { w, h, whole: k } = this.fitting(this.layout);
    this.view = { k, x: (w - this.layout.width * k) / 2, y: Math.max(0, (h - this.layout.height * k) / 2) };
  }

  private zoom(f: number, cx?: number, cy?: number): void {
    const rect = this.viewport.getBoundingClientRect();
    const px = cx ?? rect.width / 2;
    const py = cy ?? rect.height / 2;
    const k = Math.min(6, Math.max(0.05, this.view.k * f));
    const r = k / this.view.k;
    this.view = { k, x: px - (px - this.view.x) * r, y: py - (py - this.view.y) * r };
  }

  private handleWheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.viewport.getBoundingClientRect();
    this.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
  }

  private handlePointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, captured: false };
  }

  private handlePointerMove(e: PointerEvent): void {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.x;
    const dy = e.clientY - this.drag.y;
    // Capture only once it is a drag, so a plain click still reaches the group under the pointer.
    if (!this.drag.captured) {
      if (Math.abs(dx) + Math.abs(dy) < 4) return;
      this.drag.captured = true;
      (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    }
    this.view = { ...this.view, x: this.drag.vx + dx, y: this.drag.vy + dy };
  }

  private handlePointerUp(): void {
    this.drag = null;
  }

  private handleKeyDown(e: KeyboardEvent): void {
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      this.view = { ...this.view, x: this.view.x + moves[e.key][0], y: this.view.y + moves[e.key][1] };
    } else if (e.key === '+' || e.key === '=') this.zoom(1.2);
    else if (e.key === '-') this.zoom(1 / 1.2);
    else if (e.key === '0') this.fit();
    else if (e.key === '1') this.readableView();
    else return;
    e.preventDefault();
  }

  /** A click (not a drag) on a node asks for that node's tables. */
  private handleClick(e: MouseEvent): void {
    const el = (e.target as Element).closest?.('[data-node]');
    const id = el?.getAttribute('data-node');
    const n = id ? this.layout?.nodes.find((x) => x.id === id) : undefined;
    if (!n || n.kind === 'group') return;
    this.emit('pp-node-select', { id: n.id, kind: n.kind, host: n.host ?? '', name: n.kind === 'endpoint' || n.kind === 'dot' ? n.label.replace(/ \(stopped\)$/, '') : n.kind === 'vswitch' ? n.label.replace(/^vSwitch /, '') : n.label });
  }

  private toggleGroup(group: string): void {
    const next = new Set(this.expanded);
    if (next.has(group)) next.delete(group);
    else next.add(group);
    this.expanded = next;
    this.fitted = '';
  }

  /** Expands every collapsed group, or collapses them all back. */
  private toggleAll(): void {
    const groups = this.layout?.nodes.filter((n) => n.kind === 'group').map((n) => n.group!) ?? [];
    this.expanded = groups.length ? new Set([...this.expanded, ...groups]) : new Set();
    this.fitted = '';
  }

  protected override updated(changed: PropertyValues): void {
    const shape = this.layoutKey;
    if (this.layout && this.fitted !== shape) {
      this.fitted = shape;
      this.readableView();
    }
    if (changed.has('current') || changed.has('path')) {
      this.animateHop();
      // Stepping never walks the packet off screen.
      if (!this.drag) this.keepInView();
    }
    if (!this.pathReported && this.wires?.d) {
      this.pathReported = true;
      this.emit('pp-path-drawn', { at: performance.now() });
    }
  }

  /**
   * One step forward: the packet travels its hop's piece of wire (Web Animations on an SVG transform
   * path would need offset-path; a short series of keyframes along the sampled wire does the same).
   * Any other move, and every move under prefers-reduced-motion, places it at once.
   */
  private animateHop(): void {
    const from = this.shownHop;
    this.shownHop = this.current;
    const dot = this.renderRoot.querySelector<SVGGElement>('g.packet');
    const d = this.wires?.hops[this.current];
    if (!dot || !d || this.current !== from + 1 || typeof dot.animate !== 'function') return;
    if (matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    const probe = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    probe.setAttribute('d', d);
    const len = probe.getTotalLength?.() ?? 0;
    if (!len) return;
    const frames: Keyframe[] = [];
    for (let k = 0; k <= 12; k++) {
      const p = probe.getPointAtLength((len * k) / 12);
      frames.push({ transform: `translate(${p.x}px, ${p.y}px)` });
    }
    dot.animate(frames, { duration: Math.min(600, 150 + len), easing: 'ease-in-out' });
  }

  private renderNode(n: LNode, onPath: Set<string>) {
    const cls = `node ${n.kind} ${n.driver ? DRIVER_CLASS[n.driver] ?? '' : ''} ${onPath.has(n.id) ? 'on-path' : ''}`;
    const title = svg`<title>${n.title ?? [n.label, n.sub, n.sub2].filter(Boolean).join('\n')}</title>`;
    switch (n.kind) {
      case 'internet':
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="22"></rect>
          <text x=${n.x + n.w / 2} y=${n.y + n.h / 2 + 4} text-anchor="middle" class="label">☁ ${n.label}</text></g>`;
      case 'lan':
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="4"></rect>
          <text x=${n.x + 260} y=${n.y - 5} class="label">${n.label}</text></g>`;
      case 'host':
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="6"></rect>
          <text x=${n.x + 10} y=${n.y + 18} class="label host-label">${n.label}<tspan class="sub" dx="10">${n.sub}</tspan></text></g>`;
      case 'vswitch': {
        const nets = (n.sub2 ?? '').split('\n').filter(Boolean);
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="5"></rect>
          <rect class="stripe" x=${n.x} y=${n.y} width="5" height=${n.h} rx="2"></rect>
          <text x=${n.x + 12} y=${n.y + 16} class="label">${n.label}</text>
          <text x=${n.x + n.w - 8} y=${n.y + 16} text-anchor="end" class="sub">${n.sub}</text>
          ${nets.map((t, k) => svg`<text x=${n.x + 12} y=${n.y + 31 + k * 14} class="net">${t}</text>`)}</g>`;
      }
      case 'group':
        return svg`<g class=${cls} data-group=${n.group!} @click=${() => this.toggleGroup(n.group!)}>${title}
          <text x=${n.x} y=${n.y + 11} class="sub link">▸ ${n.label}</text></g>`;
      case 'dot':
        return svg`<rect class=${cls} data-node=${n.id} x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="2">${title}</rect>`;
      case 'hostvnic':
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="9"></rect>
          <text x=${n.x + n.w / 2} y=${n.y + 13} text-anchor="middle" class="tiny">${n.label} ${n.sub}</text></g>`;
      default: {
        const icon = n.kind === 'nic' ? '⇅ ' : n.kind === 'winnat' ? '⇄ ' : '';
        return svg`<g class=${cls} data-node=${n.id}>${title}<rect x=${n.x} y=${n.y} width=${n.w} height=${n.h} rx="4"></rect>
          ${n.kind === 'endpoint' ? svg`<rect class="stripe" x=${n.x} y=${n.y} width="4" height=${n.h} rx="2"></rect>` : nothing}
          <text x=${n.x + 8} y=${n.y + 14} class="label">${icon}${n.label}</text>
          ${n.vlan ? svg`<text x=${n.x + n.w - 5} y=${n.y + 14} text-anchor="end" class="vlan">VLAN ${n.vlan}</text>` : nothing}
          ${n.sub ? svg`<text x=${n.x + 8} y=${n.y + 27} class="sub mono">${n.sub}</text>` : nothing}
          ${n.sub2 ? svg`<text x=${n.x + 8} y=${n.y + 39} class="tiny mono">${n.sub2}</text>` : nothing}</g>`;
      }
    }
  }

  override render() {
    const layout = this.computeLayout();
    if (!layout || !this.world) {
      return html`<div class="empty">Run the script to draw its hosts, switches and containers.</div>`;
    }
    const onPath = new Set(this.path.map((id) => layout.alias.get(id) ?? id));
    if (this.graph?.layout !== layout) this.graph = { layout, graph: wireGraph(layout) };
    const wires = wirePath(this.path, layout, this.graph.graph);
    this.wires = wires;
    const cur = this.current >= 0 ? wires.at[this.current] : undefined;
    const travelled = this.current > 0 ? wires.hops.slice(1, this.current + 1).filter(Boolean).join(' ') : '';
    const groups = layout.nodes.filter((n) => n.kind === 'group').length;
    const drivers = [...new Set(this.world.hosts.flatMap((h) => h.networks.map((n) => n.driver)))].filter((d) => DRIVER_CLASS[d]);
    const { x, y, k } = this.view;
    return html`
      <div class="toolbar" role="toolbar" aria-label="Topology view">
        <button @click=${() => this.zoom(1.25)} title="Zoom in (+)" aria-label="Zoom in">+</button>
        <button @click=${() => this.zoom(0.8)} title="Zoom out (−)" aria-label="Zoom out">−</button>
        <button @click=${() => this.fit()} title="The whole drawing (0); labels may get small">Fit</button>
        <button @click=${() => this.readableView()} title="Readable size, centred on the packet (1)">1:1</button>
        ${groups || this.expanded.size ? html`<button @click=${() => this.toggleAll()}>${groups ? 'Expand all' : 'Collapse crowded'}</button>` : nothing}
        <span class="legend">${drivers.map((d) => html`<span class="key ${DRIVER_CLASS[d]}"><i></i>${d}</span>`)}</span>
        <span class="muted count">${this.endpointCount} endpoints · ${this.world.hosts.length} host${this.world.hosts.length === 1 ? '' : 's'}</span>
        <button class="max" aria-pressed=${this.maximized} @click=${() => this.emit('pp-maximize', { on: !this.maximized })} title="Give the topology the whole window (Esc to restore)">${this.maximized ? 'Restore' : 'Maximize'}</button>
      </div>
      <div class="viewport" tabindex="0" role="img" aria-label="Network topology; arrow keys pan, plus and minus zoom, 0 fits"
        @wheel=${this.handleWheel} @pointerdown=${this.handlePointerDown} @pointermove=${this.handlePointerMove}
        @pointerup=${this.handlePointerUp} @pointercancel=${this.handlePointerUp} @keydown=${this.handleKeyDown} @click=${this.handleClick}>
        <svg part="svg" width="100%" height="100%">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
            </marker>
          </defs>
          <g transform="translate(${x} ${y}) scale(${k})">
            ${layout.nodes.filter((n) => n.kind === 'host').map((n) => this.renderNode(n, onPath))}
            ${layout.links.map((l) => svg`<path class="link ${l.kind}" d=${l.d}></path>`)}
            ${layout.nodes.filter((n) => n.kind !== 'dot' && n.kind !== 'host').map((n) => this.renderNode(n, onPath))}
            ${layout.nodes.filter((n) => n.kind === 'dot').map((n) => this.renderNode(n, onPath))}
            ${layout.links.filter((l) => l.label && l.lx !== undefined).map((l) => svg`<text class="tiny link-label ${l.kind}" x=${l.lx!} y=${l.ly!} text-anchor=${l.anchor ?? 'middle'}>${l.label}</text>`)}
            ${wires.d ? svg`<path class="path-halo" d=${wires.d}></path><path class="path-wire ${this.verdict}" d=${wires.d}></path>` : nothing}
            ${travelled ? svg`<path class="path-done ${this.verdict}" d=${travelled}></path>` : nothing}
            ${cur ? svg`<g class="packet ${this.verdict}" data-hop=${this.current} transform="translate(${cur.x} ${cur.y})"><circle r="6.5"></circle><circle r="2.5" class="core"></circle></g>` : nothing}
          </g>
        </svg>
      </div>`;
  }
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < xs.length; k += n) out.push(xs.slice(k, k + n));
  return out;
}
