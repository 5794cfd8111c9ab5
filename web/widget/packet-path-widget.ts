import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { shared } from '../components/base.js';
import { icons } from '../components/icons.js';
import { hopNode } from '../components/pp-topology/layout.js';
import { stepWorld, stepForLine, runDiagnostics } from '../components/pp-playground/model.js';
import { expectFailLines, failed, isHelperPacket, packetOfStep, verdictClass } from '../lib/packets.js';
import '../components/pp-topology/pp-topology.js';
import '../components/pp-transcript/pp-transcript.js';
import '../components/pp-flow/pp-flow.js';
import '../components/pp-matrix/pp-matrix.js';
import { cellId } from '../components/pp-matrix/pp-matrix.component.js';
import type { ReachCell } from '../../src/analysis/types.js';
import type { ReachPlanInfo } from '../../src/worker/api.js';
import { encodeShare } from '../lib/share.js';
import type { PacketTrace, RunResult, Step } from '../../src/result.js';
import { engine, reachShared, runShared, warmEngine, warmWhenIdle } from './engine.js';
import { tokenizeLine, themeClass } from './highlight.js';
import { styles } from './styles.js';
import type { WidgetEditor } from './editor.js';
import { readInline } from './embed.js';

/** The panes a widget can show, in the order they are laid out. */
export const VIEWS = ['editor', 'transcript', 'topology', 'flow', 'matrix'] as const;
export type View = (typeof VIEWS)[number];
/** The panes shown when `views` is not given (the matrix probes many cells: only when asked for). */
const DEFAULT_VIEWS: View[] = ['editor', 'transcript', 'topology', 'flow'];

/** The script type of inline children: `<script type="text/x-packet-path">`. */
export const SCRIPT_TYPE = 'text/x-packet-path';

export type WidgetStatus = 'idle' | 'loading' | 'running' | 'done' | 'error';

/** Milliseconds (performance.now()) of the moments a widget goes through, for measurement. */
export interface WidgetTiming {
  /** The widget first entered the viewport. */
  visible?: number;
  /** A run was asked for / its result arrived. */
  runStart?: number;
  runEnd?: number;
  /** The topology of a run was first drawn. */
  topology?: number;
}

/** Detail of the `packet-path-run` event. */
export interface RunEventDetail {
  ok: boolean;
  /** Number of commands run, of commands that failed (an `expect-fail` that failed counts as held), of expectations held / total. */
  steps: number;
  errors: number;
  expectations: { held: number; total: number };
  ms: number;
  /** Why the run itself failed (engine or script loading), when `ok` is false. */
  error?: string;
}

/** Where "Open in playground" goes unless the `playground` attribute says otherwise. */
let defaultPlayground = '';
export function setDefaultPlayground(url: string): void {
  defaultPlayground = url;
}

/* One observer per distance for every widget of the page. */
type Watch = (visible: boolean) => void;
const watchers = new Map<string, { io: IntersectionObserver; fns: WeakMap<Element, Watch> }>();
function observe(el: Element, margin: string, fn: Watch): () => void {
  let w = watchers.get(margin);
  if (!w) {
    const fns = new WeakMap<Element, Watch>();
    const io = new IntersectionObserver((entries) => entries.forEach((e) => fns.get(e.target)?.(e.isIntersecting)), { rootMargin: margin });
    w = { io, fns };
    watchers.set(margin, w);
  }
  w.fns.set(el, fn);
  w.io.observe(el);
  const ww = w;
  return () => {
    ww.io.unobserve(el);
    ww.fns.delete(el);
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A header change worth showing first: what the section is about, not TTLs and next-hop MACs. */
const TELLING = new Set(['nat', 'vxlan-encap', 'vxlan-decap', 'mac-rewrite', 'vlan', 'uft']);

/**
 * The packet and hop to show first for a step: a failing (or `expect-fail`) step's drop, else a
 * telling rewrite of its data packet (not DNS or ARP), else its data packet.
 */
export function interestingHop(step: Step, expectFail = false): { trace: number; packet: number; hop: number } {
  if (!step.ok || expectFail) {
    const pick = packetOfStep(step, true);
    if (pick && failed(step.traces[pick.trace].packets[pick.packet])) return pick;
  }
  const all: { trace: number; packet: number; p: PacketTrace }[] = [];
  step.traces.forEach((t, trace) => t.packets.forEach((p, packet) => all.push({ trace, packet, p })));
  const data = [...all.filter((x) => !isHelperPacket(x.p)), ...all.filter((x) => isHelperPacket(x.p) && !/^ARP\b/.test(x.p.summary))];
  for (const x of data) {
    const hop = x.p.hops.findIndex((h) => TELLING.has(h.stage) && Object.keys(h.after).length > 0);
    if (hop >= 0) return { trace: x.trace, packet: x.packet, hop };
  }
  return packetOfStep(step) ?? { trace: 0, packet: 0, hop: 0 };
}

/**
 * @summary `<packet-path-widget>`: a Packet Path script, run in the page, with its transcript,
 * topology and flow inspector — for docs pages. Any number per page; they share one engine worker.
 *
 * The script is an inline child `<script type="text/x-packet-path">…</script>` (more children with
 * `data-file="NAME"` are files the script refers to, e.g. compose files) or the `src` attribute.
 *
 * @attr src - URL of a `.pp` script (instead of an inline child).
 * @attr readonly - the script cannot be edited (highlighted text, no Monaco).
 * @attr autorun - run as soon as the widget is scrolled into view.
 * @attr views - which panes, comma-separated: `editor,topology,transcript,flow` (the default) and
 *   `matrix` (the reachability matrix of the script, probed after each run; a cell opens in `flow`).
 * @attr height - height of the panes (CSS length, or pixels).
 * @attr theme - `light` (default), `dark` or `auto` (the reader's system setting).
 * @attr select - the step to show first after a run: a script line number, or text its command contains.
 * @attr caption - the title in the bar (default: the script's first comment line).
 * @attr playground - URL of the playground for "Open in playground" (`none` hides the link).
 * @attr seed - seed of the run (IDs, MACs, hashes), default 1.
 *
 * @event packet-path-run - a run finished (or could not run); detail {@link RunEventDetail}.
 */
export class PacketPathWidget extends LitElement {
  static override styles = [shared, styles];

  @property() src = '';
  @property({ type: Boolean, reflect: true }) readonly = false;
  @property({ type: Boolean }) autorun = false;
  @property() views = DEFAULT_VIEWS.join(',');
  @property() height = '';
  @property() theme: 'light' | 'dark' | 'auto' = 'light';
  @property() select = '';
  @property() caption = '';
  @property() playground = '';
  @property({ type: Number }) seed = 1;
  /** What the widget is doing, reflected as an attribute (`status="done"`) for pages and tests. */
  @property({ reflect: true }) status: WidgetStatus = 'idle';

  /** The result of the last run. */
  @state() result?: RunResult;
  @state() private text = '';
  @state() private original = '';
  @state() private files: Record<string, string> = {};
  @state() private ranText = '';
  @state() private loaded = false;
  @state() private failure = '';
  @state() private step = -1;
  @state() private flow = { trace: 0, packet: 0, hop: 0 };
  @state() private ms = 0;
  @state() private dark = false;
  @state() private editorState: 'none' | 'loading' | 'ready' | 'failed' = 'none';
  @state() private shareHref = '';
  /** A line shown on request (a rule's line in the flow inspector), 0 for none. */
  @state() private revealed = 0;
  /** The widget's width, for the layout of the panes. */
  @state() private width = 0;
  /** The topology pane fills the window (its Maximize button); Esc or a click outside restores it. */
  @state() private topologyMax = false;
  /** The reachability matrix (`views` with `matrix`): its plan and cells as they come. */
  @state() private matrix: { plan?: ReachPlanInfo; cells: Map<string, ReachCell>; running: boolean; error: string; ms: number } = { cells: new Map(), running: false, error: '', ms: 0 };
  /** A matrix cell opened in the flow pane, as a step of its own, and that cell. */
  @state() private probeStep?: Step;
  @state() private selectedCell?: { from: string; to: string; port: string };

  /** Moments of this widget's life (performance.now()), for measurements. */
  readonly timing: WidgetTiming = {};

  private assigned?: string;
  private loading?: Promise<void>;
  private editor?: WidgetEditor;
  private unwatch: (() => void)[] = [];
  private media?: MediaQueryList;
  private resize?: ResizeObserver;
  private shareTimer?: ReturnType<typeof setTimeout>;
  private tokens?: { text: string; lines: { text: string; cls: string }[][] };
  /** Aborts this widget's run (queued or running) in the shared engine. */
  private runAbort?: AbortController;

  /** The script, when set from JavaScript instead of markup. Reading gives the current text. */
  get script(): string {
    return this.text;
  }
  set script(value: string) {
    this.assigned = value;
    this.loading = undefined;
    if (this.isConnected) void this.ensureSource(true);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.updateDark();
    if (this.autorun) warmWhenIdle();
    // Near the viewport (600 px ahead) and in it: see approach() and enter().
    this.unwatch.push(observe(this, '600px 0px', (near) => near && this.approach()));
    this.unwatch.push(observe(this, '0px', (visible) => visible && this.enter()));
    this.resize = new ResizeObserver(([e]) => {
      const w = Math.round(e.contentRect.width);
      if (Math.abs(w - this.width) > 4) this.width = w;
    });
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch.forEach((u) => u());
    this.unwatch = [];
    this.resize?.disconnect();
    this.media?.removeEventListener('change', this.onMedia);
    this.maximize(false);
    this.editor?.dispose();
    this.editor = undefined;
    if (this.editorState !== 'failed') this.editorState = 'none';
  }

  private onMedia = (): void => this.updateDark();

  private updateDark(): void {
    if (this.theme === 'auto') {
      if (!this.media && typeof matchMedia === 'function') {
        this.media = matchMedia('(prefers-color-scheme: dark)');
        this.media.addEventListener('change', this.onMedia);
      }
      this.dark = !!this.media?.matches;
    } else {
      this.dark = this.theme === 'dark';
    }
    this.editor?.setTheme(this.dark);
  }

  private viewList(): View[] {
    const asked = this.views.split(/[\s,]+/).map((v) => v.trim().toLowerCase());
    const list = VIEWS.filter((v) => asked.includes(v));
    return list.length ? list : [...DEFAULT_VIEWS];
  }

  /**
   * Near the viewport: read the script and, for an autorun widget, start the shared engine and its
   * run, so that its result is often there by the time it scrolls into view (as lazy images start
   * loading a little before they are seen). Other widgets start the engine when the reader points at
   * them or presses Run.
   */
  private approach(): void {
    if (this.autorun) warmEngine();
    void this.ensureSource().then(() => this.autoRun());
  }

  private autoRun(): void {
    if (this.autorun && this.loaded && !this.result && this.status !== 'running' && this.status !== 'error') void this.run();
  }

  private enter(): void {
    if (this.timing.visible === undefined) this.timing.visible = performance.now();
    if (this.autorun) warmEngine();
    void this.ensureSource().then(() => {
      if (!this.readonly && this.viewList().includes('editor')) void this.mountEditor();
      this.autoRun();
    });
  }

  /** Reads the script: assigned by JavaScript, the `src` URL, or the inline children. */
  private ensureSource(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = (async () => {
      this.status = this.status === 'idle' ? 'loading' : this.status;
      try {
        let script = '';
        const files: Record<string, string> = {};
        const children = Array.from(this.querySelectorAll(`:scope > script[type="${SCRIPT_TYPE}"]`));
        for (const el of children) {
          const name = el.getAttribute('data-file');
          const src = el.getAttribute('src');
          const text = src ? await this.fetchText(src) : readInline(el.textContent ?? '');
          if (name) files[name] = text;
          else if (!script) script = text;
        }
        if (this.assigned !== undefined) script = this.assigned;
        else if (this.src) script = await this.fetchText(this.src);
        if (!script.trim()) throw new Error('no script: give the widget a <script type="text/x-packet-path"> child or a src attribute');
        this.files = files;
        this.original = script;
        this.text = script;
        this.loaded = true;
        this.failure = '';
        this.editor?.setValue(script);
        this.scheduleShare();
        if (this.status === 'loading') this.status = 'idle';
      } catch (e) {
        this.fail(`Cannot load the script: ${message(e)}`);
      }
    })();
    return this.loading;
  }

  private async fetchText(src: string): Promise<string> {
    const url = new URL(src, document.baseURI);
    const r = await fetch(url);
    const name = url.pathname.split('/').pop();
    if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
    // A server that answers every path with its HTML page (an SPA fallback) has no such script.
    if (/text\/html/i.test(r.headers.get('content-type') ?? '')) throw new Error(`${name}: the server answered with an HTML page, not a script`);
    return (await r.text()).replace(/\r\n?/g, '\n');
  }

  private fail(text: string, detail?: Partial<RunEventDetail>): void {
    this.failure = text;
    this.status = 'error';
    this.emitRun({ ok: false, steps: 0, errors: 0, expectations: { held: 0, total: 0 }, ms: 0, error: text, ...detail });
  }

  private emitRun(detail: RunEventDetail): void {
    this.dispatchEvent(new CustomEvent<RunEventDetail>('packet-path-run', { detail, bubbles: true, composed: true }));
  }

  /** Stops this widget's run: a queued run never starts, a running one stops in the worker. */
  cancel(): void {
    this.runAbort?.abort();
  }

  /** Runs the script (the edited text for an editable widget) in the shared engine. */
  async run(): Promise<void> {
    if (this.status === 'running') return;
    try {
      await this.ensureSource();
      if (!this.loaded) return;
      const script = this.editor?.getValue() ?? this.text;
      this.text = script;
      this.status = 'running';
      this.failure = '';
      this.timing.runStart = performance.now();
      this.runAbort = new AbortController();
      const outcome = await runShared({ script, files: this.files, seed: this.seed }, this.runAbort.signal);
      this.runAbort = undefined;
      this.timing.runEnd = performance.now();
      if (outcome.kind !== 'done') {
        if (outcome.kind === 'cancelled') this.fail('The run was cancelled. Press Run to run it again.');
        else if (outcome.kind === 'stalled') this.fail(outcome.error);
        else this.fail(outcome.kind === 'crashed' ? `The engine stopped during this run (${outcome.error}); it was restarted. Run again.` : `The run failed: ${outcome.error}`);
        return;
      }
      this.failure = outcome.stopped?.message ?? (outcome.cancelled ? 'The run was cancelled: the commands before the cancel are shown.' : '');
      this.result = outcome.result;
      this.ranText = script;
      this.ms = outcome.ms;
      this.selectInitial(outcome.result);
      this.status = 'done';
      if (this.viewList().includes('matrix')) void this.runMatrix(script);
      await this.updateComplete;
      if (this.viewList().includes('topology')) {
        const topo = this.renderRoot.querySelector('pp-topology');
        await topo?.updateComplete;
        this.timing.topology ??= performance.now();
      }
      const r = outcome.result;
      this.emitRun({
        ok: true,
        steps: r.steps.length,
        errors: runDiagnostics(r).filter((d) => d.severity === 'error').length,
        expectations: { held: r.expectations.filter((e) => e.ok).length, total: r.expectations.length },
        ms: outcome.ms,
      });
    } catch (e) {
      this.fail(`The widget failed: ${message(e)}`);
    }
  }

  /** The `select` attribute's step, else the first traffic step, else the first failure, else the last. */
  private selectInitial(r: RunResult): void {
    const steps = r.steps;
    let k = -1;
    const sel = this.select.trim();
    if (/^\d+$/.test(sel)) {
      const line = Number(sel);
      k = steps.findIndex((s) => s.line >= line);
    } else if (sel) {
      k = steps.findIndex((s) => s.command.includes(sel));
    }
    if (k < 0) k = steps.findIndex((s) => s.traces.some((t) => t.packets.length));
    if (k < 0) k = steps.findIndex((s) => !s.ok);
    if (k < 0) k = steps.length - 1;
    this.selectStep(k);
  }

  private selectStep(index: number): void {
    this.step = index;
    this.revealed = 0;
    this.probeStep = undefined;
    const s = this.result?.steps[index];
    this.flow = s ? interestingHop(s, !!this.result && expectFailLines(this.result).has(s.line)) : { trace: 0, packet: 0, hop: 0 };
    this.editor?.setActiveLine(s?.line ?? 0);
  }

  private async mountEditor(): Promise<void> {
    if (this.editorState !== 'none') return;
    this.editorState = 'loading';
    try {
      const [{ createEditor }] = await Promise.all([import('./editor.js'), this.updateComplete]);
      const host = this.renderRoot.querySelector<HTMLElement>('.monaco-host');
      if (!host || !this.isConnected) {
        this.editorState = 'none';
        return;
      }
      this.editor = await createEditor(host, this.renderRoot as ShadowRoot, {
        value: this.text,
        dark: this.dark,
        label: `Packet Path script${this.caption ? `: ${this.caption}` : ''}. Ctrl+Enter runs it.`,
        onChange: (t) => {
          this.text = t;
          this.scheduleShare();
        },
        onRun: () => void this.run(),
      });
      this.editorState = 'ready';
      const s = this.result?.steps[this.step];
      if (s) this.editor.setActiveLine(s.line);
      if (this.result) this.editor.setRunDiagnostics(runDiagnostics(this.result, { besideParser: true }));
    } catch (e) {
      // The highlighted text stays; the widget still runs.
      this.editorState = 'failed';
      console.warn(`packet-path-widget: the editor did not load (${message(e)}); showing the script read-only.`);
    }
  }

  private reset(): void {
    this.text = this.original;
    this.editor?.setValue(this.original);
    this.scheduleShare();
  }

  private scheduleShare(): void {
    clearTimeout(this.shareTimer);
    if (this.playground === 'none') return;
    this.shareTimer = setTimeout(() => {
      const text = this.text;
      const compose = Object.values(this.files)[0];
      encodeShare({ script: text, compose })
        .then((frag) => {
          const base = new URL(this.playground || defaultPlayground || 'index.html', document.baseURI);
          base.hash = frag;
          this.shareHref = base.href;
        })
        .catch(() => (this.shareHref = ''));
    }, 300);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('theme')) this.updateDark();
    // A new src on a widget that already read its script: read it again (and run it if it runs by itself).
    if (changed.has('src') && changed.get('src') !== undefined && this.loaded) {
      void this.ensureSource(true).then(() => (this.autorun && this.status !== 'error' ? this.run() : undefined));
    }
    if (changed.has('result') && this.result && this.editor) this.editor.setRunDiagnostics(runDiagnostics(this.result, { besideParser: true }));
    if (changed.has('step') || changed.has('revealed')) this.scrollSource();
  }

  /** Keeps the selected (or revealed) line in view in the read-only script, scrolling only the pane. */
  private scrollSource(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.source');
    const el = box?.querySelector<HTMLElement>(this.revealed ? '.ln.revealed' : '.ln.active');
    if (!box || !el) return;
    if (el.offsetTop < box.scrollTop || el.offsetTop + el.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3);
    }
  }

  /* ─── rendering ─────────────────────────────────────────────────────────────────────────── */

  private captionText(): string {
    if (this.caption) return this.caption;
    const first = this.text.split('\n').find((l) => l.trim().startsWith('#'));
    return first ? first.replace(/^\s*#\s*/, '').trim() : 'Packet Path';
  }

  private stateText(): TemplateResult | string {
    switch (this.status) {
      case 'loading':
        return 'loading…';
      case 'running':
        return html`<span class="spinner" aria-hidden="true"></span>running…`;
      case 'error':
        return 'failed';
      case 'done': {
        const r = this.result!;
        return `${r.steps.length} command${r.steps.length === 1 ? '' : 's'} · ${this.ms.toFixed(0)} ms`;
      }
      default:
        return this.loaded ? (this.autorun ? 'runs when scrolled into view' : 'not run yet') : '';
    }
  }

  private renderBar() {
    const r = this.result;
    const held = r?.expectations.filter((e) => e.ok).length ?? 0;
    const total = r?.expectations.length ?? 0;
    const edited = this.loaded && this.text !== this.original;
    const stale = r && this.text !== this.ranText;
    return html`<div class="bar" part="bar">
      <span class="brand" aria-hidden="true">${icons.logo(16)}</span>
      <span class="caption" title=${this.captionText()}>${this.captionText()}</span>
      <span class="state ${this.status === 'error' ? 'error' : ''}" role="status">${this.stateText()}${stale ? ' · edited' : ''}</span>
      ${total ? html`<span class="badge ${held === total ? 'ok' : 'bad'}" title="expect / expect-fail lines of the script">${held === total ? '✓' : '✗'} ${held}/${total} expectations</span>` : nothing}
      <span class="actions">
        ${!this.readonly && edited ? html`<button class="reset" @click=${() => this.reset()} title="Back to the original script">Reset</button>` : nothing}
        ${this.status === 'running'
          ? html`<button class="cancel" @click=${() => this.cancel()} title="Stop this run">${icons.stop()} Cancel</button>`
          : html`<button class="run" @click=${() => this.run()} ?disabled=${!this.loaded} title="Run the script${this.readonly ? '' : ' (Ctrl+Enter)'}">${icons.play()} Run</button>`}
        ${this.playground !== 'none' && this.shareHref ? html`<a class="open" href=${this.shareHref} target="_blank" rel="noopener" title="Open this script in the Packet Path playground">Playground ${icons.link()}</a>` : nothing}
      </span>
    </div>`;
  }

  private renderNotes() {
    const notes: TemplateResult[] = [];
    if (this.failure) notes.push(html`<div class="note error" role="alert">${this.failure}</div>`);
    for (const d of this.result?.diagnostics ?? []) {
      if (d.severity !== 'error') continue; // warnings show on their step in the transcript
      notes.push(html`<div class="note ${d.severity}">line ${d.line}, column ${d.column}: ${d.message}</div>`);
    }
    return notes.length ? html`<div class="notes">${notes}</div>` : nothing;
  }

  private highlighted(): { text: string; cls: string }[][] {
    if (this.tokens?.text !== this.text) {
      const lines = this.text.replace(/\n$/, '').split('\n');
      this.tokens = { text: this.text, lines: lines.map((l) => tokenizeLine(l).map((t) => ({ text: t.text, cls: themeClass(t.type) }))) };
    }
    return this.tokens.lines;
  }

  private renderSource() {
    if (!this.loaded) {
      return html`<div class="placeholder ${this.failure ? 'error' : ''}">${this.failure ? 'No script.' : 'Loading the script…'}</div>`;
    }
    const r = this.result;
    const active = r?.steps[this.step]?.line ?? 0;
    const byLine = new Map((r && this.ranText === this.text ? r.steps : []).map((s, i) => [s.line, { i, s }]));
    const editable = !this.readonly && this.viewList().includes('editor');
    const showMonaco = editable && this.editorState === 'ready';
    return html`
      <div class="monaco-host" ?hidden=${!editable || this.editorState === 'failed' || this.editorState === 'none'}></div>
      ${showMonaco ? nothing : html`<div class="source ${this.readonly ? 'wrap' : ''}" role="region" aria-label="Script${this.readonly ? ' (read-only)' : ''}" tabindex="0">
        <pre><code>${this.highlighted().map((line, k) => {
          const at = byLine.get(k + 1);
          return html`<span class="ln ${at ? 'cmd' : ''} ${active === k + 1 ? 'active' : ''} ${this.revealed === k + 1 ? 'revealed' : ''} ${at && !at.s.ok ? 'failed' : ''}" data-line=${k + 1}
            @click=${at ? () => this.selectStep(at.i) : nothing}><span class="no">${k + 1}</span>${line.map((t) => (t.cls ? html`<span class=${t.cls}>${t.text}</span>` : t.text))}${line.length ? '' : ' '}</span>`;
        })}</code></pre></div>`}`;
  }

  private maximize(on: boolean): void {
    this.topologyMax = on;
    if (on) addEventListener('keydown', this.onKey);
    else removeEventListener('keydown', this.onKey);
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') this.maximize(false);
  };

  private pane(view: View, title: string, detail: string | TemplateResult, body: TemplateResult) {
    const max = view === 'topology' && this.topologyMax;
    return html`${max ? html`<div class="backdrop" @click=${() => this.maximize(false)}></div>` : nothing}<section class="pane ${view === 'editor' ? 'code' : view} ${max ? 'max' : ''}" style="grid-area: ${view === 'editor' ? 'code' : view}" aria-label=${title}>
      <div class="pane-title"><span>${title}</span>${detail ? html`<span class="detail">${detail}</span>` : nothing}</div>
      <div class="pane-body">${body}</div>
    </section>`;
  }

  private renderViews() {
    const views = this.viewList();
    const r = this.result;
    const step = this.probeStep ?? r?.steps[this.step];
    const world = r ? stepWorld(r, this.probeStep ? r.steps.length - 1 : this.step) : undefined;
    const packet = step?.traces[this.flow.trace]?.packets[this.flow.packet];
    const path = packet ? packet.hops.map((h) => hopNode(h, world)) : [];
    const placeholder = (text: string) => html`<div class="placeholder">${text}</div>`;
    const waiting = this.status === 'running' ? 'Running…' : this.status === 'error' ? 'No result.' : 'Run the script to see this.';
    const panes: Partial<Record<View, TemplateResult>> = {};
    if (views.includes('editor')) {
      panes.editor = this.pane('editor', 'Script', this.readonly ? 'read-only' : this.editorState === 'ready' ? 'editable · Ctrl+Enter runs' : '', html`${this.renderSource()}`);
    }
    if (views.includes('transcript')) {
      panes.transcript = this.pane('transcript', 'Transcript', r ? `${r.steps.length} commands` : '', html`<pp-transcript .steps=${r?.steps ?? []} .expectations=${r?.expectations ?? []} .selected=${this.step}
        placeholder=${this.status === 'running' ? 'Running…' : this.status === 'error' ? 'No result.' : 'Press Run to run the script.'}
        @pp-select-step=${(e: CustomEvent<{ index: number }>) => { e.stopPropagation(); this.selectStep(e.detail.index); }}></pp-transcript>`);
    }
    if (views.includes('topology')) {
      panes.topology = this.pane('topology', 'Topology', step ? html`after line ${step.line}${packet ? html` · hop ${this.flow.hop + 1}: ${packet.hops[this.flow.hop]?.at ?? ''}` : ''}` : '',
        world ? html`<pp-topology .world=${world} .path=${path} .current=${packet ? this.flow.hop : -1} verdict=${packet ? verdictClass(packet) : ''} ?maximized=${this.topologyMax}
          @pp-maximize=${(e: CustomEvent<{ on: boolean }>) => { e.stopPropagation(); this.maximize(e.detail.on); }}></pp-topology>` : placeholder(waiting));
    }
    if (views.includes('flow')) {
      panes.flow = this.pane('flow', 'Flow', step ? `line ${step.line}: ${step.command}` : '', r ? html`<pp-flow .step=${step} .script=${this.ranText} .trace=${this.flow.trace} .packet=${this.flow.packet} .hop=${this.flow.hop}
          @pp-hop=${(e: CustomEvent<{ trace: number; packet: number; hop: number }>) => { e.stopPropagation(); this.flow = e.detail; }}
          @pp-reveal-line=${(e: CustomEvent<{ line: number }>) => { e.stopPropagation(); this.revealLine(e.detail.line); }}></pp-flow>` : placeholder(waiting));
    }
    if (views.includes('matrix')) {
      const m = this.matrix;
      panes.matrix = this.pane('matrix', 'Reachability', m.plan ? `${m.cells.size} of ${m.plan.total} cells` : '', m.plan || m.running || m.error
        ? html`<pp-matrix .plan=${m.plan} .cells=${m.cells} ?running=${m.running} error=${m.error} .ms=${m.ms} .selected=${this.probeStep ? this.selectedCell : undefined}
            @pp-reach-run=${(e: Event) => { e.stopPropagation(); void this.runMatrix(this.ranText); }} @pp-reach-cancel=${(e: Event) => { e.stopPropagation(); engine().cancel(); }}
            @pp-reach-cell=${(e: CustomEvent<{ from: string; to: string; port: string }>) => { e.stopPropagation(); void this.openCell(e.detail); }}></pp-matrix>`
        : placeholder(waiting));
    }
    const layout = this.layout(Object.keys(panes) as View[]);
    return html`<div class="views ${layout.stacked ? 'stacked' : ''}" style=${layout.style}>${VIEWS.filter((v) => panes[v]).map((v) => panes[v])}</div>`;
  }

  /**
   * Where the panes go, from the widget's width: script and transcript side by side on top; the
   * topology and the flow inspector side by side below when there is room (≥ 1180 px), else each
   * on a full-width row of its own (the flow's hop table needs the width); one column when narrow.
   */
  private layout(present: View[]): { style: string; stacked: boolean } {
    const area = (v: View) => (v === 'editor' ? 'code' : v);
    const top = present.filter((v) => v === 'editor' || v === 'transcript');
    const bottom = present.filter((v) => v === 'topology' || v === 'flow');
    const asked = /^\d+(\.\d+)?$/.test(this.height) ? Number(this.height) : parseFloat(this.height) || 0;
    const width = this.width || 1000;
    if (width < 720) {
      const rows = present.map((v) => (v === 'editor' ? `${Math.min(300, 16 + 19 * Math.max(3, this.text.split('\n').length))}px` : v === 'matrix' ? '360px' : '280px'));
      return { stacked: true, style: `grid-template-columns: minmax(0, 1fr); grid-template-areas: ${present.map((v) => `"${area(v)}"`).join(' ')}; grid-template-rows: ${rows.join(' ')}; height: auto` };
    }
    const rows: { areas: string[]; size: number }[] = [];
    const cols = (panes: View[], ratio: number[]) => panes.map((v, k) => ({ v, r: panes.length > 1 ? ratio[k] : 1 }));
    const three = bottom.length === 2 && width < 1180;
    // Without the flow inspector the text panes matter most: give them more of the height.
    const topShare = three ? 30 : bottom.includes('flow') ? 40 : 55;
    if (top.length) rows.push({ areas: this.spread(cols(top, [42, 58]).map((c) => [area(c.v), c.r])), size: topShare });
    if (three) {
      rows.push({ areas: this.spread([[area('topology'), 1]]), size: 38 });
      rows.push({ areas: this.spread([[area('flow'), 1]]), size: 32 });
    } else if (bottom.length) {
      rows.push({ areas: this.spread(cols(bottom, [40, 60]).map((c) => [area(c.v), c.r])), size: 100 - topShare });
    }
    // The matrix takes a full-width row of its own, last.
    if (present.includes('matrix')) rows.push({ areas: this.spread([[area('matrix'), 1]]), size: rows.length ? 45 : 100 });
    const base = asked || (rows.length > 1 ? 600 : present.includes('matrix') ? 420 : 320);
    const total = rows.length > 2 ? Math.round(base * 1.3) : base;
    const sum = rows.reduce((a, r) => a + r.size, 0);
    return {
      stacked: false,
      style: `grid-template-columns: repeat(20, minmax(0, 1fr)); grid-template-areas: ${rows.map((r) => `"${r.areas.join(' ')}"`).join(' ')}; grid-template-rows: ${rows.map((r) => `minmax(0, ${r.size / sum}fr)`).join(' ')}; height: ${total}px`,
    };
  }

  /** Twenty grid columns shared by the panes of a row in proportion to their weights. */
  private spread(panes: [string, number][]): string[] {
    const total = panes.reduce((a, [, w]) => a + w, 0);
    const out: string[] = [];
    panes.forEach(([name, w], k) => {
      const n = k === panes.length - 1 ? 20 - out.length : Math.round((20 * w) / total);
      for (let i = 0; i < n; i++) out.push(name);
    });
    return out;
  }

  /** Probes the matrix of the script just run; cells fill in as the shared worker sends them. */
  private async runMatrix(script: string): Promise<void> {
    const m = { cells: new Map<string, ReachCell>(), running: true, error: '', ms: 0 } as typeof this.matrix;
    this.matrix = m;
    this.probeStep = undefined;
    const out = await reachShared({ script, files: this.files, seed: this.seed }, (plan) => (this.matrix = { ...m, plan: (m.plan = plan) }), (cells) => {
      for (const c of cells) m.cells.set(cellId(c.from, c.to, c.port), c);
      this.matrix = { ...m, cells: new Map(m.cells) };
    });
    m.running = false;
    if (out.kind === 'done') this.matrix = { ...m, ms: out.ms, error: out.stopped?.message ?? '' };
    else this.matrix = { ...m, error: out.kind === 'cancelled' ? 'Stopped.' : out.error };
  }

  /** A matrix cell opens its probe in the flow pane. */
  private async openCell(cell: { from: string; to: string; port: string }): Promise<void> {
    const r = await engine().probe({ script: this.ranText, files: this.files, seed: this.seed, from: [cell.from], to: [cell.to], ports: [cell.port] });
    if (!r.ok) return;
    const c = r.cell;
    this.selectedCell = cell;
    this.probeStep = { line: c.line ?? this.matrix.plan?.at ?? 0, host: c.from, command: `probe ${c.from} → ${c.to} ${c.port}`, ok: c.result === 'reachable', output: c.detail, error: null, warnings: [], traces: c.traces ?? [] };
    const t = this.probeStep.traces;
    const k = t.findIndex((x) => x.packets.some((p) => p.verdict === 'dropped'));
    const trace = k >= 0 ? k : Math.max(0, t.length - 1);
    this.flow = { trace, packet: Math.max(0, t[trace]?.packets.findIndex((p) => p.verdict === 'dropped') ?? 0), hop: 0 };
  }

  /** Shows a script line (a drop's responsible rule) in the script pane, without changing the step. */
  private revealLine(line: number): void {
    this.revealed = line; // the read-only pane scrolls to it in updated()
    this.editor?.setActiveLine(line);
  }

  override render() {
    try {
      return html`<div class="frame ${this.dark ? 'dark' : ''}" part="frame" @pointerenter=${warmEngine} @focusin=${warmEngine}>${this.renderBar()}${this.renderNotes()}${this.renderViews()}</div>`;
    } catch (e) {
      // A bug in one widget must not take the page down: say so in the widget.
      return html`<div class="frame"><div class="note error" role="alert">packet-path-widget could not draw: ${message(e)}</div></div>`;
    }
  }
}
