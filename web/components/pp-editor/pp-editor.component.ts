import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PpElement } from '../base.js';
import { rovingKeydown } from '../roving.js';
import { styles } from './pp-editor.styles.js';
import { SCRIPT_EDITOR_OPTIONS, loadMonaco, setModelScript, type MonacoApi } from '../../editor/monaco.js';
import { analyse } from '../../editor/diagnostics.js';
import { LANGUAGE_ID } from '../../editor/language.js';
import type { Diagnostic } from '../../../src/result.js';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import type { ScriptEdit } from '../../../src/analysis/fixes.js';

type Tab = 'script' | 'compose';

let styleInjected = false;

/**
 * @summary The script editor (Monaco, language `packet-path`) with a second tab for the compose file.
 * Diagnostics come from the real parser while typing (debounced); run-time errors and warnings of the
 * last run are shown too. Ctrl+Enter runs.
 *
 * Renders in the light DOM: Monaco injects its stylesheet into the document.
 *
 * @event pp-change - the script or compose text changed; detail `{ script, compose }`.
 * @event pp-cursor - the cursor moved to another script line; detail `{ line }`.
 * @event pp-run - Ctrl+Enter.
 */
export class PpEditor extends PpElement {
  @property({ attribute: false }) script = '';
  @property({ attribute: false }) compose = '';
  /** Name of the compose tab, as `docker compose -f NAME up` refers to it. */
  @property() composeName = 'docker-compose.yml';
  @property() theme: 'light' | 'dark' = 'light';
  /** Line of the selected step (highlighted), 0 for none. */
  @property({ type: Number }) activeLine = 0;
  /** Errors and warnings of the last run, by line. */
  @property({ attribute: false }) runDiagnostics: Diagnostic[] = [];

  @state() private tab: Tab = 'script';
  @state() private loaded = false;
  @state() private loadError = '';
  @state() private counts = { errors: 0, warnings: 0 };
  @state() private cursor = { line: 1, column: 1 };
  /** Tab moves focus out of the editor (Monaco's tab focus mode; Ctrl+M toggles it). */
  @state() private tabMovesFocus = true;

  private monaco?: MonacoApi;
  private editor?: Monaco.editor.IStandaloneCodeEditor;
  private models?: Record<Tab, Monaco.editor.ITextModel>;
  private decorations?: Monaco.editor.IEditorDecorationsCollection;
  private analyseTimer?: ReturnType<typeof setTimeout>;
  private changeTimer?: ReturnType<typeof setTimeout>;
  private lastCursorLine = 0;
  /** The user typed since the last pp-change (edits applied from properties do not count). */
  private pendingEdit = false;
  private applying = false;
  /** Diagnostics of the parser for the current script text. */
  parserDiagnostics: Diagnostic[] = [];

  protected override createRenderRoot(): HTMLElement {
    if (!styleInjected) {
      styleInjected = true;
      const style = document.createElement('style');
      style.textContent = styles;
      document.head.append(style);
    }
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.editor?.dispose();
    this.models?.script.dispose();
    this.models?.compose.dispose();
    this.editor = undefined;
  }

  private async init(): Promise<void> {
    try {
      this.monaco = await loadMonaco();
    } catch (e) {
      this.loadError = `The editor failed to load: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    await this.updateComplete;
    const host = this.querySelector<HTMLDivElement>('.pp-editor-host');
    if (!host || !this.isConnected) return;
    const m = this.monaco;
    this.models = {
      script: m.editor.createModel(this.script, LANGUAGE_ID, m.Uri.parse('inmemory://playground/script.pp')),
      compose: m.editor.createModel(this.compose, 'yaml', m.Uri.parse(`inmemory://playground/${this.composeName}`)),
    };
    this.editor = m.editor.create(host, {
      model: this.models.script,
      theme: this.theme === 'dark' ? 'pp-dark' : 'pp-light',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      renderLineHighlight: 'line',
      ...SCRIPT_EDITOR_OPTIONS,
      ariaLabel: 'Packet Path script editor. Ctrl+Enter runs the script. Tab moves focus out of the editor; Ctrl+M makes Tab indent instead.',
      // Enter always ends the line; a completion is accepted with Tab (as a shell accepts one).
      acceptSuggestionOnEnter: 'off',
      // Keyboard users must be able to leave the editor: Tab moves focus (Ctrl+M toggles, as in VS Code).
      tabFocusMode: true,
      renderFinalNewline: 'on',
    });
    this.editor.onDidChangeConfiguration((e) => {
      if (e.hasChanged(m.editor.EditorOption.tabFocusMode)) this.tabMovesFocus = this.editor!.getOption(m.editor.EditorOption.tabFocusMode);
    });
    this.decorations = this.editor.createDecorationsCollection();
    this.editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.Enter, () => this.emit('pp-run', {}));
    this.models.script.onDidChangeContent(() => this.contentChanged('script'));
    this.models.compose.onDidChangeContent(() => this.contentChanged('compose'));
    this.editor.onDidChangeCursorPosition((e) => {
      this.cursor = { line: e.position.lineNumber, column: e.position.column };
      if (this.tab === 'script' && e.position.lineNumber !== this.lastCursorLine) {
        this.lastCursorLine = e.position.lineNumber;
        if (e.source !== 'api') this.emit('pp-cursor', { line: e.position.lineNumber });
      }
    });
    this.loaded = true;
    this.runAnalysis();
    this.applyRunMarkers();
    this.applyActiveLine();
  }

  private contentChanged(tab: Tab): void {
    if (!this.models) return;
    if (!this.applying) this.pendingEdit = true;
    const text = this.models[tab].getValue();
    if (tab === 'script') {
      this.script = text;
      clearTimeout(this.analyseTimer);
      this.analyseTimer = setTimeout(() => this.runAnalysis(), 250);
    } else {
      this.compose = text;
    }
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.pendingEdit = false;
      this.emit('pp-change', { script: this.script, compose: this.compose });
    }, 200);
  }

  private toMarker(d: Diagnostic): Monaco.editor.IMarkerData {
    const m = this.monaco!;
    const sev = d.severity === 'error' ? m.MarkerSeverity.Error : d.severity === 'warning' ? m.MarkerSeverity.Warning : m.MarkerSeverity.Info;
    return { severity: sev, message: d.message, code: d.code, startLineNumber: d.line, startColumn: d.column, endLineNumber: d.line, endColumn: d.column + Math.max(1, d.length), source: 'packet-path' };
  }

  /** Parses the script now and shows the parser's diagnostics as markers. */
  runAnalysis(): void {
    if (!this.monaco || !this.models) return;
    const { script, diagnostics } = analyse(this.models.script.getValue());
    this.parserDiagnostics = diagnostics;
    setModelScript(this.models.script.uri.toString(), script, this.models.script.getVersionId());
    this.monaco.editor.setModelMarkers(this.models.script, 'packet-path', diagnostics.map((d) => this.toMarker(d)));
    this.updateCounts();
  }

  private updateCounts(): void {
    if (!this.monaco || !this.models) return;
    const markers = this.monaco.editor.getModelMarkers({ resource: this.models.script.uri });
    this.counts = {
      errors: markers.filter((x) => x.severity === this.monaco!.MarkerSeverity.Error).length,
      warnings: markers.filter((x) => x.severity === this.monaco!.MarkerSeverity.Warning).length,
    };
  }

  private applyRunMarkers(): void {
    if (!this.monaco || !this.models) return;
    const lines = this.models.script.getLineCount();
    const markers = this.runDiagnostics.filter((d) => d.line >= 1 && d.line <= lines).map((d) => {
      const len = this.models!.script.getLineLength(d.line);
      const first = this.models!.script.getLineFirstNonWhitespaceColumn(d.line) || 1;
      return this.toMarker({ ...d, column: d.column > 1 ? d.column : first, length: d.length > 1 ? d.length : Math.max(1, len - first + 1) });
    });
    this.monaco.editor.setModelMarkers(this.models.script, 'packet-path-run', markers);
    this.updateCounts();
  }

  private applyActiveLine(): void {
    if (!this.decorations || !this.monaco || !this.models) return;
    const line = this.activeLine;
    if (line < 1 || line > this.models.script.getLineCount()) {
      this.decorations.clear();
      return;
    }
    this.decorations.set([{ range: new this.monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'pp-active-step', linesDecorationsClassName: 'pp-active-step-gutter' } }]);
  }

  /**
   * Replaces the whole script as one edit the user can undo (Ctrl+Z brings the previous script back),
   * unlike setting `script`, which resets the editor's history. False until the editor has loaded.
   */
  replaceScriptUndoable(text: string): boolean {
    if (!this.editor || !this.models) return false;
    if (this.tab !== 'script') this.switchTab('script');
    const model = this.models.script;
    this.editor.pushUndoStop();
    this.editor.executeEdits('packet-path-import', [{ range: model.getFullModelRange(), text }]);
    this.editor.pushUndoStop();
    this.editor.setPosition({ lineNumber: 1, column: 1 });
    return true;
  }

  /** Moves the cursor to a line and scrolls it into view (a click in the transcript, a drop's rule). */
  revealLine(line: number, focus = false): void {
    if (!this.editor || !this.models) return;
    if (this.tab !== 'script') this.switchTab('script');
    this.lastCursorLine = line;
    this.editor.setPosition({ lineNumber: line, column: 1 }, 'api');
    this.editor.revealLineInCenterIfOutsideViewport(line);
    if (focus) this.editor.focus();
  }

  /**
   * The user's edits not yet announced by pp-change (it is debounced), or null when there are none:
   * Run and Share take them so they never use a stale copy.
   */
  takePendingEdit(): { script: string; compose: string } | null {
    if (!this.pendingEdit) return null;
    this.pendingEdit = false;
    clearTimeout(this.changeTimer);
    return { script: this.script, compose: this.compose };
  }

  /**
   * Applies a fix's script edits as one edit operation on the script (Ctrl+Z undoes it whole): the
   * edits name lines of the script as it stands, as src/analysis/fixes.ts applies them. Returns false
   * when the editor is not ready or the edits do not fit the text (it changed since the fix was made).
   */
  applyScriptEdits(edits: readonly ScriptEdit[]): boolean {
    if (!this.editor || !this.models || !this.monaco) return false;
    const model = this.models.script;
    const count = model.getLineCount();
    const R = this.monaco.Range;
    const ops: Monaco.editor.IIdentifiedSingleEditOperation[] = [];
    for (const e of edits) {
      if (e.kind === 'insert') {
        if (e.before < 1 || e.before > count + 1) return false;
        ops.push(e.before <= count
          ? { range: new R(e.before, 1, e.before, 1), text: e.lines.map((l) => `${l}\n`).join('') }
          : { range: new R(count, model.getLineMaxColumn(count), count, model.getLineMaxColumn(count)), text: e.lines.map((l) => `\n${l}`).join('') });
        continue;
      }
      if (e.line < 1 || e.line > count || model.getLineContent(e.line) !== e.was) return false;
      if (e.kind === 'replace') ops.push({ range: new R(e.line, 1, e.line, model.getLineMaxColumn(e.line)), text: e.text });
      else ops.push(e.line < count ? { range: new R(e.line, 1, e.line + 1, 1), text: '' } : { range: new R(e.line - 1, model.getLineMaxColumn(e.line - 1), e.line, model.getLineMaxColumn(e.line)), text: '' });
    }
    if (this.tab !== 'script') this.switchTab('script');
    this.editor.pushUndoStop();
    this.editor.executeEdits('packet-path-fix', ops);
    this.editor.pushUndoStop();
    return true;
  }

  focusEditor(): void {
    this.editor?.focus();
  }

  private switchTab(tab: Tab): void {
    this.tab = tab;
    if (this.editor && this.models) this.editor.setModel(this.models[tab]);
  }

  protected override updated(changed: PropertyValues): void {
    if (!this.loaded || !this.models || !this.monaco) return;
    this.applying = true;
    try {
      if (changed.has('script') && this.models.script.getValue() !== this.script) this.models.script.setValue(this.script);
      if (changed.has('compose') && this.models.compose.getValue() !== this.compose) this.models.compose.setValue(this.compose);
    } finally {
      this.applying = false;
    }
    if (changed.has('theme')) this.monaco.editor.setTheme(this.theme === 'dark' ? 'pp-dark' : 'pp-light');
    if (changed.has('runDiagnostics')) this.applyRunMarkers();
    if (changed.has('activeLine')) this.applyActiveLine();
  }

  private toggleTabMode(): void {
    this.editor?.updateOptions({ tabFocusMode: !this.tabMovesFocus });
    this.tabMovesFocus = !this.tabMovesFocus;
    this.editor?.focus();
  }

  private tabKey(e: KeyboardEvent): void {
    rovingKeydown(e, ['script', 'compose'] as const, this.tab, (t) => this.switchTab(t), this, this.updateComplete);
  }

  private nextProblem(): void {
    if (!this.editor) return;
    this.switchTab('script');
    this.editor.focus();
    void this.editor.getAction('editor.action.marker.next')?.run();
  }

  override render() {
    return html`<div class="pp-editor">
      <div class="pp-editor-tabs" role="tablist" aria-label="Files" @keydown=${this.tabKey}>
        <button role="tab" id="pp-file-script" data-tab="script" aria-controls="pp-file-panel" aria-selected=${this.tab === 'script'} tabindex=${this.tab === 'script' ? 0 : -1}
          class=${this.tab === 'script' ? 'active' : ''} @click=${() => this.switchTab('script')}>script.pp</button>
        <button role="tab" id="pp-file-compose" data-tab="compose" aria-controls="pp-file-panel" aria-selected=${this.tab === 'compose'} tabindex=${this.tab === 'compose' ? 0 : -1}
          class=${this.tab === 'compose' ? 'active' : ''} @click=${() => this.switchTab('compose')}
          title="The compose file that 'docker compose -f ${this.composeName} up' reads">${this.composeName}</button>
      </div>
      <div class="pp-editor-host" role="tabpanel" id="pp-file-panel" aria-labelledby=${this.tab === 'script' ? 'pp-file-script' : 'pp-file-compose'}>${this.loaded || this.loadError ? nothing : html`<div class="pp-editor-loading">Loading editor…</div>`}
        ${this.loadError ? html`<div class="pp-editor-loading error">${this.loadError}</div>` : nothing}</div>
      <div class="pp-editor-status" aria-live="polite">
        <button class="problems ${this.counts.errors ? 'has-errors' : this.counts.warnings ? 'has-warnings' : ''}" @click=${() => this.nextProblem()} title="Go to the next problem (F8)">
          <span class="e">⊗ ${this.counts.errors}</span> <span class="w">⚠ ${this.counts.warnings}</span></button>
        <span>Ln ${this.cursor.line}, Col ${this.cursor.column}</span>
        <button class="tab-mode" @click=${() => this.toggleTabMode()} aria-pressed=${this.tabMovesFocus}
          title="Ctrl+M switches between Tab moving the focus and Tab indenting">${this.tabMovesFocus ? 'Tab leaves the editor' : 'Tab indents'} · Ctrl+M</button>
        <span class="lang">${this.tab === 'script' ? 'Packet Path' : 'YAML (compose)'}</span>
      </div>
    </div>`;
  }
}
