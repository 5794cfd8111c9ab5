import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { PpElement } from '../base.js';
import { rovingKeydown } from '../roving.js';
import { icons } from '../icons.js';
import { styles } from './pp-playground.styles.js';
import { CoreClient, type WorkerStatus } from '../../lib/core-client.js';
import { decodeShare, encodeShare, isShareError, type SharedState, type SharedView } from '../../lib/share.js';
import { embedSnippet } from '../../widget/embed.js';
import { loadSaved, save } from '../../lib/storage.js';
import { EXAMPLES, type Example } from '../../lib/examples.js';
import { hopNode } from '../pp-topology/layout.js';
import { expired, failed, initialSelection, selectionOfStep, verdictClass, verdictCause, verdictLabel } from '../../lib/packets.js';
import { stepWorld, stepForLine, runDiagnostics, composeFiles } from './model.js';
import type { PpEditor } from '../pp-editor/pp-editor.component.js';
import type { BenchFigures } from '../pp-bench/pp-bench.component.js';
import type { TableKind } from '../pp-tables/pp-tables.component.js';
import type { RunResult, Step } from '../../../src/result.js';
import type { RunProgress } from '../../../src/worker/api.js';
import '../pp-editor/pp-editor.js';
import '../pp-topology/pp-topology.js';
import '../pp-transcript/pp-transcript.js';
import '../pp-flow/pp-flow.js';
import '../pp-tables/pp-tables.js';
import '../pp-packet/pp-packet.js';
import '../pp-events/pp-events.js';
import { runEvents, type PacketEvent } from '../pp-events/pp-events.component.js';
import { pcapOfRun } from '../../../src/engine/pcap.js';
import '../pp-bench/pp-bench.js';
import '../pp-import/pp-import.js';
import type { PpImport } from '../pp-import/pp-import.component.js';
import type { ImportResult } from '../../../src/worker/api.js';
import { AnalysisController } from './analysis.js';
import '../pp-why/pp-why.js';
import type { WhyResult } from '../../../src/analysis/why.js';

const nodeFigures = import.meta.glob('../pp-bench/node-bench.json', { eager: true, import: 'default' }) as Record<string, BenchFigures>;

const PANELS = ['flow', 'packet', 'events', 'tables', 'matrix', 'why', 'compare', 'bench'] as const;
const PANEL_LABELS: Record<(typeof PANELS)[number], string> = { flow: 'Flow inspector', packet: 'Packet', events: 'Events', tables: 'Tables', matrix: 'Matrix', why: 'Why?', compare: 'Compare', bench: 'Bench' };
const PANES = [
  { id: 'editor', label: 'Script' },
  { id: 'topology', label: 'Topology' },
  { id: 'transcript', label: 'Transcript' },
  { id: 'details', label: 'Inspector' },
] as const;
type PhonePane = (typeof PANES)[number]['id'];
type Panel = (typeof PANELS)[number];

const STARTER = `# Write the commands you would type on a Windows container host, then Run (Ctrl+Enter).
docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 webnat
docker run -d --name web --network webnat -p 8080:80 microsoft/iis
docker run -d --name client --network webnat microsoft/nanoserver
docker exec client curl http://web/
docker exec web ping -n 1 8.8.8.8
Get-NetNat
`;

/**
 * @summary The playground: editor, topology, transcript, flow inspector, tables and bench, wired to the
 * engine worker. State lives here; the panels are controlled components.
 */
export class PpPlayground extends PpElement {
  @property() theme: 'light' | 'dark' = 'light';

  @state() private script = '';
  @state() private compose = '';
  @state() private composeName = 'docker-compose.yml';
  @state() private result?: RunResult;
  @state() private ranScript = '';
  @state() private runError = '';
  @state() private running = false;
  @state() private progress?: RunProgress;
  /** Steps reported while the script runs (the full result replaces them at the end). */
  @state() private liveSteps: Step[] = [];
  @state() private lastMs = 0;
  @state() private cancelled = false;
  /** Why the run's budget stopped it ('' when it ran to the end). */
  @state() private stopped = '';
  /** What a link could not open ('' when none). */
  @state() private linkError = '';
  /** The user's script that a link or an example replaced, with what replaced it. */
  @state() private restoreOffer?: { script: string; compose: string; what: string };
  /** The text the address bar carries (a share fragment or `?example=`), while the editor still holds it. */
  private urlCarries?: { script: string; compose: string };
  @state() private step = -1;
  @state() private flow = { trace: 0, packet: 0, hop: 0 };
  @state() private panel: Panel = 'flow';
  @state() private topologyMax = false;
  @state() private status: WorkerStatus = 'starting';
  @state() private notice = '';
  /** The HTML that embeds the current script in a docs page (Embed button), '' when not shown. */
  @state() private embed = '';
  @state() private crash = '';
  @state() private example = '';
  @state() private bench: { browser?: BenchFigures; running: boolean; progress: string; error: string } = { running: false, progress: '', error: '' };

  /** "Why?": the answer for a line of the last run, the line being explained, or what went wrong. */
  @state() private why: { answer?: WhyResult; pending: number; error: string; script: string } = { pending: 0, error: '', script: '' };

  @query('pp-editor') private editor!: PpEditor;
  @query('pp-import') private importDialog!: PpImport;

  /** Sizes of the panes, percent of the window: the left column's width, the upper row's height. */
  @state() private sizes = { col: 35, row: 60, ...loadSaved().panes };
  /** On a phone one pane shows at a time; this one (the topology first: the packet's path). */
  @state() private phonePane: PhonePane = 'topology';

  /** Runs finished so far (tests wait on it; a run's result replaces the previous one). */
  runCount = 0;
  /** Moments of the page's life (performance.now(), from navigation), for measurement. */
  readonly timing: { firstRun?: number; firstPath?: number } = {};
  /** What the last run came to, for screen readers (an aria-live status). */
  @state() private announcement = '';

  readonly core = new CoreClient();
  /** The Matrix and Compare tabs (web/components/pp-playground/analysis.ts). */
  readonly analysis = new AnalysisController(this);
  private noticeTimer?: ReturnType<typeof setTimeout>;

  protected override createRenderRoot(): HTMLElement {
    if (!document.getElementById('pp-playground-styles')) {
      const style = document.createElement('style');
      style.id = 'pp-playground-styles';
      style.textContent = styles;
      document.head.append(style);
    }
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.core.addEventListener('status', (e) => (this.status = (e as CustomEvent<WorkerStatus>).detail));
    this.core.addEventListener('crash', (e) => {
      const reason = (e as CustomEvent<string>).detail;
      this.crash = `The engine worker stopped (${reason}). A new one was started; your script is kept.`;
    });
    this.core.start();
    window.addEventListener('keydown', this.handleGlobalKey);
    window.addEventListener('hashchange', this.handleHash);
    void this.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.handleGlobalKey);
    window.removeEventListener('hashchange', this.handleHash);
  }

  /**
   * Initial files: a share link wins, then `?example=`, then the autosave, then the first example;
   * whatever it is runs at once, so the first screen already shows a packet's path. A link or an
   * example never replaces the autosaved script without a way back (restoreOffer).
   */
  private async restore(): Promise<void> {
    const saved = loadSaved();
    if (saved.theme) this.setTheme(saved.theme);
    const own = saved.script !== undefined && saved.script.trim() !== '' ? { script: saved.script, compose: saved.compose ?? '' } : undefined;
    if (own) {
      this.script = own.script;
      this.compose = own.compose;
    }
    const shared = await decodeShare(location.hash);
    if (isShareError(shared)) {
      this.linkError = shared.error;
    } else if (shared) {
      this.openShared(shared, own);
      void this.runShared(shared);
      return;
    }
    const asked = new URLSearchParams(location.search).get('example');
    if (asked !== null) {
      const ex = EXAMPLES.find((x) => x.id === asked);
      if (ex) {
        this.loadExample(ex);
        void this.run();
        return;
      }
      this.linkError = `This link names the example "${asked}", which this version of Packet Path does not have. ${own ? 'Your own script is shown.' : 'The first example is shown.'}`;
    }
    if (!own) {
      const first = EXAMPLES[0];
      if (first) this.loadExample(first);
      else this.script = STARTER;
    }
    void this.run();
  }

  /** Shows a shared state; the script it replaces (when different) can be restored. */
  private openShared(shared: SharedState, replaced?: { script: string; compose: string }): void {
    this.offerRestore(replaced, shared.script, 'Opened the script from the link.');
    this.script = shared.script;
    this.compose = shared.compose ?? '';
    if (shared.composeName) this.composeName = shared.composeName;
    this.example = EXAMPLES.find((x) => x.script === shared.script)?.id ?? '';
    this.urlCarries = { script: this.script, compose: this.compose };
    this.result = undefined;
    this.step = -1;
  }

  /**
   * Before a script is replaced: keep the user's own text (not an unedited example, not the same
   * text) so the banner's "Restore my script" brings it back; it is saved too, so a reload keeps it.
   */
  private offerRestore(replaced: { script: string; compose: string } | undefined, next: string, what: string): void {
    if (!replaced || replaced.script.trim() === '' || replaced.script === next || EXAMPLES.some((x) => x.script === replaced.script)) {
      this.restoreOffer = undefined;
      return;
    }
    this.restoreOffer = { ...replaced, what };
    save({ previous: replaced });
  }

  private restoreOwn(): void {
    const own = this.restoreOffer ?? loadSaved().previous;
    if (!own) return;
    this.editor?.takePendingEdit();
    this.script = own.script;
    this.compose = own.compose;
    this.example = '';
    this.restoreOffer = undefined;
    this.dropLinkState();
    save({ script: this.script, compose: this.compose, previous: undefined });
    this.say('Your script is back.');
  }

  /**
   * Once the text differs from what the address bar carries (a share fragment, `?example=`), the
   * address bar no longer claims to hold it: a reload then brings back the autosaved, newest text.
   */
  private dropLinkState(now?: { script: string; compose: string }): void {
    const carried = this.urlCarries;
    if (carried && now && carried.script === now.script && carried.compose === now.compose) return;
    this.urlCarries = undefined;
    const params = new URLSearchParams(location.search);
    const hadExample = params.has('example');
    params.delete('example');
    if (!location.hash && !hadExample) return;
    const q = params.toString();
    history.replaceState(null, '', location.pathname + (q ? `?${q}` : ''));
  }

  /** The address bar now carries this text. */
  private carry(url: string): void {
    history.replaceState(null, '', url);
    this.urlCarries = { script: this.script, compose: this.compose };
  }

  private handleHash = async (): Promise<void> => {
    const shared = await decodeShare(location.hash);
    if (isShareError(shared)) {
      this.linkError = shared.error;
    } else if (shared && shared.script !== this.script) {
      this.syncFromEditor();
      this.openShared(shared, { script: this.script, compose: this.compose });
      void this.runShared(shared);
    }
  };

  private handleGlobalKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void this.run();
    } else if (e.key === 'Escape' && this.running) {
      this.cancel();
    } else if (e.key === 'Escape' && this.topologyMax) {
      this.topologyMax = false;
    }
  };

  private say(text: string): void {
    this.notice = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = ''), 4000);
  }

  private setTheme(theme: 'light' | 'dark'): void {
    this.theme = theme;
    document.documentElement.dataset.theme = theme;
  }

  private toggleTheme(): void {
    this.setTheme(this.theme === 'dark' ? 'light' : 'dark');
    save({ theme: this.theme });
  }

  private loadExample(ex: Example): void {
    this.syncFromEditor();
    this.offerRestore({ script: this.script, compose: this.compose }, ex.script, `Opened the example "${ex.title}".`);
    this.example = ex.id;
    this.script = ex.script;
    this.compose = ex.compose ?? '';
    if (ex.composeName) this.composeName = ex.composeName;
    this.carry(`${location.pathname}?example=${encodeURIComponent(ex.id)}`);
    this.result = undefined;
    this.step = -1;
    save({ script: this.script, compose: this.compose });
  }

  private handleExample(e: Event): void {
    const id = (e.target as HTMLSelectElement).value;
    const ex = EXAMPLES.find((x) => x.id === id);
    if (ex) {
      this.loadExample(ex);
      void this.run();
    }
  }

  /** Takes the editor's text now (its change events are debounced), so Run and Share never use a stale copy. */
  private syncFromEditor(): void {
    const edit = this.editor?.takePendingEdit();
    if (edit) {
      this.dropLinkState(edit);
      this.script = edit.script;
      this.compose = edit.compose;
      save({ script: this.script, compose: this.compose });
    }
  }

  /**
   * Steps reported by the worker, gathered here and handed to the transcript at most once per frame:
   * a run of 10,000 commands must not re-render the transcript 10,000 times.
   */
  private incoming: Step[] = [];
  private frame = 0;

  private receiveStep(s: Step): void {
    this.incoming.push(s);
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.liveSteps = this.incoming.slice();
    });
  }

  /** Runs the script in the worker and shows the result (on `view` when a link named one). */
  async run(view?: SharedView): Promise<void> {
    if (this.running) return;
    // The bench measures the worker: a script run beside it would change its figures.
    if (this.bench.running) {
      this.say('The bench is measuring: Run is back when it finishes.');
      return;
    }
    this.syncFromEditor();
    this.running = true;
    this.runError = '';
    this.stopped = '';
    this.cancelled = false;
    this.progress = undefined;
    const script = this.script;
    this.incoming = [];
    this.liveSteps = [];
    const outcome = await this.core.run(
      { script, files: composeFiles(script, this.compose, this.composeName), capture: true },
      (p) => (this.progress = p),
      (s) => this.receiveStep(s),
    );
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.runCount++;
    this.incoming = [];
    this.liveSteps = [];
    this.running = false;
    this.progress = undefined;
    switch (outcome.kind) {
      case 'done': {
        this.result = outcome.result;
        this.ranScript = script;
        this.analysis.ran(outcome.result, script);
        this.lastMs = outcome.ms;
        this.cancelled = outcome.cancelled;
        this.stopped = outcome.stopped?.message ?? '';
        this.selectInitial(outcome.result);
        if (view) this.applyView(view);
        this.timing.firstRun ??= performance.now();
        this.announce(outcome.result);
        break;
      }
      case 'cancelled':
        this.cancelled = true;
        this.say('Run cancelled: the previous result is kept.');
        break;
      case 'stalled':
        this.runError = outcome.error;
        break;
      case 'crashed':
        this.runError = `The engine worker died during the run (${outcome.error}). It has been restarted; your script is kept — run again.`;
        break;
      case 'failed':
        this.runError = `The run failed: ${outcome.error}`;
        break;
    }
  }

  cancel(): void {
    this.core.cancel();
  }

  /**
   * Runs what a link carries. A link with two scripts is a comparison: the second ("before") runs
   * first, out of sight, then the script in the editor, and Compare shows what changed.
   */
  private async runShared(shared: SharedState): Promise<void> {
    const before = shared.second;
    if (before) {
      const out = await this.core.run({ script: before.script, files: composeFiles(before.script, before.compose ?? '', before.composeName ?? this.composeName) });
      if (out.kind === 'done') this.analysis.setBase(out.result, before.script);
    }
    await this.run(shared.view);
    if (before && !shared.view?.tab) this.panel = 'compare';
  }

  /** The Matrix tab's Run: the matrix of the script in the editor. */
  private async runMatrix(): Promise<void> {
    if (this.running || this.bench.running) return;
    this.syncFromEditor();
    await this.analysis.run(this.script, composeFiles(this.script, this.compose, this.composeName));
  }

  /** A matrix cell opens its probe in the flow inspector. */
  private async openCell(cell: { from: string; to: string; port: string }): Promise<void> {
    if (await this.analysis.open(cell)) {
      this.flow = { trace: 0, packet: 0, hop: 0 };
      const t = this.analysis.probeStep?.traces;
      // The packet that matters: the one that was dropped, else the probe's own (after DNS).
      const k = t?.findIndex((x) => x.packets.some((p) => p.verdict === 'dropped')) ?? -1;
      const trace = k >= 0 ? k : Math.max(0, (t?.length ?? 1) - 1);
      const packet = Math.max(0, t?.[trace]?.packets.findIndex((p) => p.verdict === 'dropped') ?? 0);
      this.flow = { trace, packet, hop: 0 };
      this.panel = 'flow';
    }
  }

  /** Says what the run came to and which packet is selected, in one sentence (aria-live). */
  private announce(r: RunResult): void {
    const failedSteps = r.steps.filter((s) => !s.ok).length;
    const held = r.expectations.filter((e) => e.ok).length;
    const step = r.steps[this.step];
    const p = step?.traces[this.flow.trace]?.packets[this.flow.packet];
    const parts = [`Run finished: ${r.steps.length} commands, ${failedSteps} failed`];
    if (r.expectations.length) parts.push(`${held} of ${r.expectations.length} expectations held`);
    if (this.stopped) parts.push(this.stopped);
    if (step && p) parts.push(`Showing line ${step.line}: ${p.summary}, ${verdictLabel(p).text}${failed(p) && !expired(p) ? ` (${verdictCause(p)})` : ''}`);
    this.announcement = parts.join('. ') + '.';
  }

  /** Selects what a link's view names, where the run has it. */
  private applyView(view: SharedView): void {
    const r = this.result;
    if (!r) return;
    if ((PANELS as readonly string[]).includes(view.tab ?? '')) this.panel = view.tab as Panel;
    if (view.step === undefined || !r.steps[view.step]) return;
    this.selectStep(view.step, false);
    const trace = r.steps[view.step].traces[view.trace ?? 0];
    const packet = trace?.packets[view.packet ?? 0];
    if (packet) this.flow = { trace: view.trace ?? 0, packet: view.packet ?? 0, hop: Math.min(view.hop ?? 0, packet.hops.length - 1) };
  }

  private async share(): Promise<void> {
    this.syncFromEditor();
    let frag: string;
    try {
      const view: SharedView | undefined = this.result && this.ranScript === this.script ? { step: this.step, ...this.flow, tab: this.panel } : undefined;
      // On the Compare tab, the link carries the script compared with too (a pair to diff).
      const base = this.panel === 'compare' ? this.analysis.previousRun : undefined;
      const second = base && base.script !== this.script ? { script: base.script } : undefined;
      frag = await encodeShare({ script: this.script, compose: this.compose || undefined, composeName: this.compose ? this.composeName : undefined, view, second });
    } catch (e) {
      this.linkError = e instanceof Error ? e.message : String(e);
      return;
    }
    // Path and fragment only: `?example=` named the text before it was edited.
    const url = `${location.origin}${location.pathname}#${frag}`;
    this.carry(`${location.pathname}#${frag}`);
    try {
      await navigator.clipboard.writeText(url);
      this.say('Share link copied to the clipboard (the script travels in the URL, compressed).');
    } catch {
      this.say('Share link is in the address bar (the script travels in the URL, compressed).');
    }
  }

  /** Shows (and copies) the `<packet-path-widget>` snippet for the current script. */
  private async showEmbed(): Promise<void> {
    this.syncFromEditor();
    const library = new URL(import.meta.env.DEV ? 'widget/index.ts' : 'packet-path-widget.js', location.href).href;
    this.embed = embedSnippet(this.script, { library, compose: this.compose.trim() ? { name: this.composeName, text: this.compose } : undefined });
    try {
      await navigator.clipboard.writeText(this.embed);
      this.say('Embed snippet copied to the clipboard.');
    } catch {
      /* the snippet is on screen to copy by hand */
    }
  }

  private selectStep(index: number, reveal: boolean): void {
    this.step = index;
    this.analysis.probeStep = undefined;
    // A new step: the Tables host follows its packet again.
    this.tables = { ...this.tables, host: '', focus: '' };
    // The packet that matters in that step: its failure, else its data packet (not DNS or ARP).
    this.flow = this.result ? selectionOfStep(this.result, index) : { trace: 0, packet: 0, hop: 0 };
    const s = this.result?.steps[index];
    if (s && reveal) this.editor?.revealLine(s.line);
    if (s?.traces.length && this.panel === 'bench') this.panel = 'flow';
  }

  private handleChange(e: CustomEvent<{ script: string; compose: string }>): void {
    this.script = e.detail.script;
    this.compose = e.detail.compose;
    this.dropLinkState(e.detail);
    // Once edited, the script is the user's own: the menu no longer names the example.
    if (this.example && EXAMPLES.find((x) => x.id === this.example)?.script !== this.script) this.example = '';
    save({ script: this.script, compose: this.compose });
  }

  private handleCursor(e: CustomEvent<{ line: number }>): void {
    if (!this.result) return;
    const k = stepForLine(this.result.steps, e.detail.line, this.script.split(/\r?\n/));
    if (k >= 0 && k !== this.step) this.selectStep(k, false);
  }

  /** Asks the worker why a line of the last run failed; the answer's fixes were re-run there. */
  private async explain(line: number): Promise<void> {
    if (!this.result || this.why.pending) return;
    const script = this.ranScript;
    this.panel = 'why';
    this.phonePane = 'details';
    this.why = { pending: line, error: '', script };
    const r = await this.core.why({ script, files: composeFiles(script, this.compose, this.composeName), line });
    this.why = r.ok ? { answer: r.result, pending: 0, error: '', script } : { pending: 0, error: `Could not explain line ${line}: ${r.error}`, script };
  }

  /** Asks the worker why a matrix cell is not reachable (the matrix's script, the cell's probe). */
  private async explainCell(cell: { from: string; to: string; port: string }): Promise<void> {
    const m = this.analysis.matrix;
    if (!m || this.why.pending) return;
    this.panel = 'why';
    this.phonePane = 'details';
    this.why = { pending: m.plan?.at ?? 1, error: '', script: m.script };
    const r = await this.core.why({ script: m.script, files: m.files, probe: cell });
    this.why = r.ok ? { answer: r.result, pending: 0, error: '', script: m.script } : { pending: 0, error: `Could not explain ${cell.from} → ${cell.to} ${cell.port}: ${r.error}`, script: m.script };
  }

  /** Applies a verified fix to the editor as one undoable edit, then runs the script again. */
  private async applyFix(index: number): Promise<void> {
    const fix = this.why.answer?.fixes[index];
    this.syncFromEditor();
    if (!fix || this.script !== this.why.script) return;
    if (!this.editor?.applyScriptEdits(fix.edits)) {
      this.say('The script changed since the fix was made: run it and ask again.');
      return;
    }
    this.syncFromEditor();
    this.say(`Fix applied: ${fix.title}. Ctrl+Z in the editor undoes it.`);
    await this.run();
    // A matrix cell's fix: the matrix again, so the cell shows what the fix changed.
    if (this.why.answer?.probe) await this.runMatrix();
  }

  private async runBench(quick: boolean): Promise<void> {
    if (this.running || this.bench.running) return;
    this.bench = { ...this.bench, running: true, progress: 'starting…', error: '' };
    const r = await this.core.bench({ quick, impls: ['wasm'] }, (line) => (this.bench = { ...this.bench, progress: line }));
    this.bench = r.ok ? { running: false, progress: '', error: '', browser: r.report } : { ...this.bench, running: false, progress: '', error: r.error };
  }

  /** Loads an imported host into the editor as one undoable edit, then runs it. */
  private async applyImport(r: ImportResult): Promise<void> {
    if (!this.editor?.replaceScriptUndoable(r.script)) this.script = r.script;
    this.say(`Host imported${r.unmapped.length ? ` (${r.unmapped.length} not mapped: see the script's top)` : ''}; Ctrl+Z undoes`);
    await this.run();
  }

  private renderToolbar() {
    const stale = this.result && this.ranScript !== this.script;
    const p = this.progress;
    return html`<header class="toolbar" role="toolbar" aria-label="Playground">
      <span class="brand" title="Windows container networking, packet by packet">${icons.logo(18)} Packet Path</span>
      <label class="examples">Examples
        <select aria-label="Examples" @change=${this.handleExample}>
          <option value="" ?selected=${!this.example}>${EXAMPLES.length ? 'Choose an example…' : 'No examples in this build'}</option>
          ${EXAMPLES.map((ex) => html`<option value=${ex.id} ?selected=${ex.id === this.example}>${ex.title}</option>`)}
        </select></label>
      <button class="run primary" @click=${() => this.run()} ?disabled=${this.running || this.bench.running} title=${this.bench.running ? 'The bench is measuring; Run is back when it finishes' : 'Run the script (Ctrl+Enter)'}>${icons.play()} Run</button>
      ${this.running ? html`<button class="cancel" @click=${() => this.cancel()} title="Stop the run (Esc)">${icons.stop()} Cancel</button>` : nothing}
      ${this.running ? html`<span class="progress" role="status">${p ? html`flood on line ${p.line}: <progress max="1" value=${p.fraction}></progress> ${(p.fraction * 100).toFixed(0)} %` : 'running…'}</span>` : nothing}
      ${!this.running && this.result ? html`<span class="muted runinfo">${this.result.steps.length} steps · ${this.lastMs.toFixed(0)} ms${this.cancelled ? ' · cancelled' : ''}${stale ? html` · <span class="stale" title="The script changed since this run">edited since run</span>` : ''}</span>` : nothing}
      <span class="spacer"></span>
      ${this.notice ? html`<span class="notice" role="status">${this.notice}</span>` : nothing}
      <button @click=${() => this.share()} title="Copy a link that carries this script">${icons.link()} Share</button>
      <button class="import-host" @click=${() => void this.importDialog.open()} title="Rebuild a real host from outputs run on it (docker, HNS, ipconfig…)">Import…</button>
      <button class="embed" @click=${() => this.showEmbed()} title="HTML that embeds this script in a docs page (&lt;packet-path-widget&gt;)">&lt;/&gt; Embed</button>
      <button @click=${() => this.toggleTheme()} aria-label="Switch to ${this.theme === 'dark' ? 'light' : 'dark'} theme" title="Light / dark theme">${this.theme === 'dark' ? icons.sun() : icons.moon()}</button>
      <span class="engine ${this.status}" title="The engine runs in a Web Worker${this.core.info ? (this.core.info.wasm ? ' (WebAssembly data plane loaded)' : ' (WebAssembly did not load)') : ''}">● engine ${this.status}</span>
    </header>`;
  }

  override render() {
    const r = this.result;
    // A matrix cell opened in the inspector shows its own probe, on the world of the last step.
    const step = this.analysis.probeStep ?? r?.steps[this.step];
    const world = r ? stepWorld(r, this.analysis.probeStep ? r.steps.length - 1 : this.step) : undefined;
    const packet = step?.traces[this.flow.trace]?.packets[this.flow.packet];
    const path = packet ? packet.hops.map((h) => hopNode(h, world)) : [];
    const expectFails = r?.expectations.filter((e) => !e.ok).length ?? 0;
    // The Why? tab appears once a question was asked.
    const panels = PANELS.filter((p) => p !== 'why' || this.why.answer || this.why.pending || this.why.error);
    return html`
      ${this.renderToolbar()}
      ${this.crash ? html`<div class="banner crash" role="alert">${this.crash} <button @click=${() => (this.crash = '')}>Dismiss</button></div>` : nothing}
      ${this.embed ? html`<div class="banner embed" role="dialog" aria-label="Embed this script" style="background: var(--pp-panel-header); align-items: flex-start">
          <span>Paste into a docs page:</span>
          <textarea readonly aria-label="Embed snippet" rows="7" style="flex: 1; font: 11px/1.4 var(--pp-font-mono); color: var(--pp-fg); background: var(--pp-panel); border: 1px solid var(--pp-border); resize: vertical"
            @focus=${(e: FocusEvent) => (e.target as HTMLTextAreaElement).select()} .value=${this.embed}></textarea>
          <button @click=${() => (this.embed = '')}>Close</button></div>` : nothing}
      <pp-import .importer=${(texts: string[]) => this.core.importHost(texts)} .apply=${(r: ImportResult) => this.applyImport(r)}></pp-import>
      <div class="sr-only run-status" role="status" aria-live="polite">${this.announcement}</div>
      ${this.linkError ? html`<div class="banner error" role="alert">${this.linkError} <button @click=${() => (this.linkError = '')}>Dismiss</button></div>` : nothing}
      ${this.restoreOffer ? html`<div class="banner restore" role="status">${this.restoreOffer.what} Your previous script was kept.
          <button class="restore-own" @click=${() => this.restoreOwn()}>Restore my script</button> <button @click=${() => (this.restoreOffer = undefined)}>Dismiss</button></div>` : nothing}
      ${this.stopped ? html`<div class="banner crash" role="alert">${this.stopped} <button @click=${() => (this.stopped = '')}>Dismiss</button></div>` : nothing}
      ${this.runError ? html`<div class="banner error" role="alert">${this.runError} <button @click=${() => (this.runError = '')}>Dismiss</button></div>` : nothing}
      <nav class="switcher" aria-label="Pane">
        ${PANES.map((p) => html`<button aria-pressed=${this.phonePane === p.id} @click=${() => (this.phonePane = p.id)}>${p.label}</button>`)}
      </nav>
      <main class="${this.topologyMax ? 'topology-max' : ''} show-${this.phonePane}" style="--pp-col: ${this.sizes.col}%; --pp-row: ${this.sizes.row}%">
        ${this.renderSplitter('col')}${this.renderSplitter('row')}
        <section class="editor pane" aria-label="Script">
          <pp-editor .script=${this.script} .compose=${this.compose} composeName=${this.composeName} theme=${this.theme}
            .activeLine=${step?.line ?? 0} .runDiagnostics=${r && this.ranScript === this.script ? runDiagnostics(r, { besideParser: true }) : []}
            @pp-change=${this.handleChange} @pp-cursor=${this.handleCursor} @pp-run=${() => this.run()}></pp-editor>
        </section>
        <section class="transcript pane" aria-label="Transcript">
          <div class="pane-title">Transcript ${r ? html`<span class="muted">${r.steps.length} commands${r.expectations.length ? html` · <span class=${expectFails ? 'bad' : 'good'}>${r.expectations.length - expectFails}/${r.expectations.length} expectations held</span>` : ''}</span>` : nothing}</div>
          <pp-transcript whyAction .steps=${this.running ? this.liveSteps : r?.steps ?? []} .expectations=${r?.expectations ?? []} .selected=${this.step}
            @pp-why=${(e: CustomEvent<{ line: number }>) => this.explain(e.detail.line)}
            placeholder=${this.running ? 'Running…' : 'Press Run (Ctrl+Enter) to run the script.'}
            @pp-select-step=${(e: CustomEvent<{ index: number }>) => this.selectStep(e.detail.index, true)}></pp-transcript>
        </section>
        <section class="topology pane" aria-label="Topology">
          <div class="pane-title">Topology ${step ? html`<span class="muted">after line ${step.line}${packet ? html` · packet at hop ${this.flow.hop + 1}: ${packet.hops[this.flow.hop]?.at ?? ''}` : ''}</span>` : nothing}</div>
          <pp-topology .world=${world} .path=${path} .current=${packet ? this.flow.hop : -1} verdict=${packet ? verdictClass(packet) : ''}
            ?maximized=${this.topologyMax} @pp-path-drawn=${(e: CustomEvent<{ at: number }>) => (this.timing.firstPath ??= e.detail.at)}
            @pp-node-select=${(e: CustomEvent<{ id: string; kind: string; host: string; name: string }>) => this.showNodeTables(e.detail)} @pp-maximize=${(e: CustomEvent<{ on: boolean }>) => (this.topologyMax = e.detail.on)}></pp-topology>
        </section>
        <section class="details pane" aria-label="Details">
          <div class="tabs" role="tablist" aria-label="Details" @keydown=${(e: KeyboardEvent) => rovingKeydown(e, panels, this.panel, (p) => (this.panel = p), this, this.updateComplete)}>
            ${panels.map((p) => html`<button role="tab" id="pp-tab-${p}" data-tab=${p} aria-controls="pp-details-panel" aria-selected=${this.panel === p} tabindex=${this.panel === p ? 0 : -1}
              class=${this.panel === p ? 'active' : ''} @click=${() => (this.panel = p)}>${PANEL_LABELS[p]}</button>`)}
          </div>
          <div class="tab-body" role="tabpanel" id="pp-details-panel" aria-labelledby="pp-tab-${this.panel}">
            ${this.panel === 'flow' && this.analysis.probeStep && !this.analysis.probeStep.ok && this.analysis.selectedCell ? html`<div class="why-bar" role="group" aria-label="This matrix cell">
                <span>${this.analysis.probeStep.command}: ${this.analysis.probeStep.output}</span>
                <button class="pp-btn why-cell" @click=${() => this.explainCell(this.analysis.selectedCell!)} title="The cause, the evidence and fixes verified by probing again">Why?</button></div>` : nothing}
            ${this.panel === 'flow' ? html`<pp-flow .step=${step} .script=${this.ranScript} .trace=${this.flow.trace} .packet=${this.flow.packet} .hop=${this.flow.hop}
                @pp-hop=${(e: CustomEvent<{ trace: number; packet: number; hop: number }>) => (this.flow = e.detail)}
                @pp-reveal-line=${(e: CustomEvent<{ line: number }>) => this.editor?.revealLine(e.detail.line, true)}></pp-flow>` : nothing}
            ${this.panel === 'why' ? html`<pp-why .answer=${this.why.answer} pending=${this.why.pending} error=${this.why.error} ?stale=${this.why.script !== this.script}
                @pp-apply-fix=${(e: CustomEvent<{ index: number }>) => this.applyFix(e.detail.index)}
                @pp-reveal-line=${(e: CustomEvent<{ line: number }>) => this.editor?.revealLine(e.detail.line, true)}></pp-why>` : nothing}
            ${this.panel === 'packet' ? html`<div class="packet-tab">
                <div class="downloads" role="group" aria-label="Download a capture">
                  <span class="muted">Download pcap (Wireshark):</span>
                  <button class="pp-btn" @click=${() => this.downloadPcap(true)} ?disabled=${!step?.traces.length}>this command (line ${step?.line ?? '–'})</button>
                  <button class="pp-btn" @click=${() => this.downloadPcap(false)} ?disabled=${!r}>the whole run</button>
                </div>
                <pp-packet .packet=${packet} .hop=${this.flow.hop}></pp-packet></div>` : nothing}
            ${this.panel === 'events' ? html`<pp-events .events=${this.events(r)} .selected=${{ step: this.step, trace: this.flow.trace, packet: this.flow.packet }}
                @pp-select-packet=${(e: CustomEvent<{ step: number; trace: number; packet: number }>) => this.selectPacket(e.detail)}></pp-events>` : nothing}
            ${this.panel === 'tables' ? html`<pp-tables .world=${world} asOf=${step ? `line ${step.line}` : ''} host=${this.tables.host || packet?.hops[this.flow.hop]?.host || ''}
                kind=${this.tables.kind} mark=${this.tables.focus}
                @pp-reveal-line=${(e: CustomEvent<{ line: number }>) => this.editor?.revealLine(e.detail.line, true)}></pp-tables>` : nothing}
            ${this.panel === 'matrix' ? html`<div class="matrix-tab" @pp-reach-run=${() => this.runMatrix()} @pp-reach-cancel=${() => this.analysis.cancel()}
                @pp-reach-cell=${(e: CustomEvent<{ from: string; to: string; port: string }>) => this.openCell(e.detail)}>${this.analysis.renderMatrix()}</div>` : nothing}
            ${this.panel === 'compare' ? this.analysis.renderCompare() : nothing}
            ${this.panel === 'bench' ? html`<pp-bench .browser=${this.bench.browser} .node=${Object.values(nodeFigures)[0]} ?running=${this.bench.running} ?blocked=${this.running} progress=${this.bench.progress} error=${this.bench.error}
                @pp-bench-run=${(e: CustomEvent<{ quick: boolean }>) => this.runBench(e.detail.quick)}></pp-bench>` : nothing}
          </div>
        </section>
      </main>`;
  }

  /**
   * A pane boundary that can be dragged or moved with the arrow keys (WAI-ARIA window splitter); the
   * sizes are remembered.
   */
  private renderSplitter(which: 'col' | 'row') {
    const label = which === 'col' ? 'Resize the script and transcript column' : 'Resize the upper and lower panes';
    return html`<div class="splitter ${which}" role="separator" tabindex="0" aria-label=${label} aria-orientation=${which === 'col' ? 'vertical' : 'horizontal'}
      aria-valuemin="20" aria-valuemax="80" aria-valuenow=${Math.round(this.sizes[which])}
      @pointerdown=${(e: PointerEvent) => this.dragSplitter(e, which)} @keydown=${(e: KeyboardEvent) => this.keySplitter(e, which)}></div>`;
  }

  private setSize(which: 'col' | 'row', percent: number): void {
    this.sizes = { ...this.sizes, [which]: Math.max(20, Math.min(80, percent)) };
    save({ panes: this.sizes });
  }

  private dragSplitter(e: PointerEvent, which: 'col' | 'row'): void {
    const main = this.querySelector('main');
    const handle = e.currentTarget as HTMLElement;
    if (!main) return;
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const box = main.getBoundingClientRect();
    const move = (ev: PointerEvent) => this.setSize(which, which === 'col' ? ((ev.clientX - box.left) / box.width) * 100 : ((ev.clientY - box.top) / box.height) * 100);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }

  private keySplitter(e: KeyboardEvent, which: 'col' | 'row'): void {
    const back = which === 'col' ? 'ArrowLeft' : 'ArrowUp';
    const forth = which === 'col' ? 'ArrowRight' : 'ArrowDown';
    if (e.key !== back && e.key !== forth) return;
    e.preventDefault();
    this.setSize(which, this.sizes[which] + (e.key === forth ? 2 : -2));
  }

  /**
   * What the Tables tab shows: a clicked node's host, table and rows; with no node clicked, the host
   * follows the selected packet's current hop.
   */
  @state() private tables: { host: string; kind: TableKind; focus: string } = { host: '', kind: 'endpoints', focus: '' };

  private showNodeTables(n: { id: string; kind: string; host: string; name: string }): void {
    const world = this.result ? stepWorld(this.result, this.step) : undefined;
    const h = world?.hosts.find((x) => x.name === n.host);
    // A chip's label may be cut short: the container's name comes from the endpoint itself.
    const ep = h?.endpoints.find((e) => n.id === `ep:${h.name}:${e.id}`);
    const kind: TableKind = n.kind === 'endpoint' || n.kind === 'dot' ? 'acl'
      : n.kind === 'vswitch' ? 'fdb'
      : n.kind === 'winnat' ? (h?.tables.natSessions.length ? 'sessions' : 'nat')
      : n.kind === 'nic' && h?.tables.vtep.length ? 'vtep' : 'fdb';
    this.tables = { host: n.host, kind, focus: ep?.container ?? n.name };
    this.panel = 'tables';
  }

  private eventsOf?: { result: RunResult; events: PacketEvent[] };

  /** The run's packets as events, computed once per result. */
  private events(r: RunResult | undefined): PacketEvent[] {
    if (!r) return [];
    if (this.eventsOf?.result !== r) this.eventsOf = { result: r, events: runEvents(r) };
    return this.eventsOf.events;
  }

  private selectPacket(sel: { step: number; trace: number; packet: number }): void {
    if (sel.step !== this.step) this.selectStep(sel.step, true);
    this.flow = { trace: sel.trace, packet: sel.packet, hop: 0 };
  }

  /** Saves the frames of the selected command, or of the whole run, as a pcap (the CLI's bytes). */
  private downloadPcap(stepOnly: boolean): void {
    const r = this.result;
    if (!r) return;
    const bytes = pcapOfRun(r, stepOnly ? { steps: [this.step] } : {});
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.tcpdump.pcap' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = stepOnly ? `packet-path-line-${r.steps[this.step]?.line ?? 0}.pcap` : 'packet-path-run.pcap';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Opens a run on the packet that matters (web/lib/packets.ts, initialSelection). */
  private selectInitial(result: RunResult): void {
    const pick = initialSelection(result);
    this.selectStep(pick.step, false);
    this.flow = { trace: pick.trace, packet: pick.packet, hop: pick.hop };
  }

  /** Shows a RunResult as if the worker had returned it (used by tests that drive the UI with fixtures). */
  showResult(result: RunResult, script?: string): void {
    if (script !== undefined) this.script = script;
    this.result = result;
    this.ranScript = script ?? this.script;
    this.selectInitial(result);
  }
}
