/**
 * The editable widget's Monaco editor, loaded with `import()` only when an editable widget is in
 * view. It reuses the playground's Monaco setup (web/editor/monaco.ts: the `packet-path` language,
 * completions, hovers) and the parser's diagnostics (web/editor/diagnostics.ts).
 *
 * Monaco lives in the widget's shadow root. Its stylesheets arrive in the document (Vite links the
 * CSS of the chunks it loads; Monaco's own rules are all under `.monaco-*`/`.codicon` classes), and
 * styles of the document do not reach into a shadow root, so the rules are copied once into a
 * constructed stylesheet that every editable widget adopts. Theme colours and dynamic rules Monaco
 * itself puts into the shadow root (it detects shadow DOM).
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { SCRIPT_EDITOR_OPTIONS, loadMonaco } from '../editor/monaco.js';
import { analyse } from '../editor/diagnostics.js';
import { LANGUAGE_ID } from '../editor/language.js';
import type { Diagnostic } from '../../src/result.js';

export interface WidgetEditor {
  getValue(): string;
  setValue(text: string): void;
  /** Highlights the line of the selected step (0: none). */
  setActiveLine(line: number): void;
  /** Errors and warnings of the last run, on their lines. */
  setRunDiagnostics(diags: Diagnostic[]): void;
  setTheme(dark: boolean): void;
  focus(): void;
  dispose(): void;
}

export interface EditorOptions {
  value: string;
  dark: boolean;
  /** Accessible name of the editor. */
  label: string;
  onChange(text: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
}

let sheet: CSSStyleSheet | undefined;
let models = 0;

/** Monaco's rules as one constructed stylesheet (font faces stay in the document, where they work). */
function monacoSheet(): CSSStyleSheet {
  if (sheet) return sheet;
  const texts: string[] = [];
  for (const s of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = s.cssRules;
    } catch {
      continue; // a cross-origin sheet of the page: not Monaco's
    }
    const text = Array.from(rules)
      .filter((r) => !(r instanceof CSSFontFaceRule))
      .map((r) => r.cssText)
      .join('\n');
    if (/\.monaco-|\.codicon/.test(text)) texts.push(text);
  }
  sheet = new CSSStyleSheet();
  sheet.replaceSync(texts.join('\n'));
  return sheet;
}

function toMarker(m: typeof Monaco, d: Diagnostic, model: Monaco.editor.ITextModel): Monaco.editor.IMarkerData {
  const line = Math.min(Math.max(1, d.line), model.getLineCount());
  const first = model.getLineFirstNonWhitespaceColumn(line) || 1;
  const whole = d.length <= 1 && d.column <= 1;
  const start = whole ? first : d.column;
  const end = whole ? model.getLineMaxColumn(line) : d.column + Math.max(1, d.length);
  const severity = d.severity === 'error' ? m.MarkerSeverity.Error : d.severity === 'warning' ? m.MarkerSeverity.Warning : m.MarkerSeverity.Info;
  return { severity, message: d.message, code: d.code, startLineNumber: line, startColumn: start, endLineNumber: line, endColumn: Math.max(end, start + 1), source: 'packet-path' };
}

/** Creates the editor in `host` (inside `root`, the widget's shadow root). */
export async function createEditor(host: HTMLElement, root: ShadowRoot, opts: EditorOptions): Promise<WidgetEditor> {
  const m = await loadMonaco();
  const css = monacoSheet();
  if (!root.adoptedStyleSheets.includes(css)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, css];
  const model = m.editor.createModel(opts.value, LANGUAGE_ID, m.Uri.parse(`inmemory://packet-path-widget/${++models}/script.pp`));
  const lines = Math.max(3, model.getLineCount());
  const editor = m.editor.create(host, {
    model,
    theme: opts.dark ? 'pp-dark' : 'pp-light',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 12.5,
    lineHeight: 19,
    lineNumbersMinChars: Math.max(2, String(lines).length),
    glyphMargin: false,
    folding: false,
    renderLineHighlight: 'none',
    ...SCRIPT_EDITOR_OPTIONS,
    overviewRulerLanes: 0,
    scrollbar: { verticalScrollbarSize: 8, horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false },
    padding: { top: 6, bottom: 6 },
    ariaLabel: opts.label,
    // As in the playground: Enter ends the line (Tab accepts a completion), Tab leaves the editor
    // (Ctrl+M makes it indent), and the line after the last is numbered like the others (the dimmed
    // number has too little contrast).
    acceptSuggestionOnEnter: 'off',
    tabFocusMode: true,
    renderFinalNewline: 'on',
  });
  const active = editor.createDecorationsCollection();
  let parseTimer: ReturnType<typeof setTimeout> | undefined;
  const lint = () => m.editor.setModelMarkers(model, 'packet-path', analyse(model.getValue()).diagnostics.map((d) => toMarker(m, d, model)));
  lint();
  model.onDidChangeContent(() => {
    opts.onChange(model.getValue());
    clearTimeout(parseTimer);
    parseTimer = setTimeout(lint, 250);
  });
  editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.Enter, () => opts.onRun());

  return {
    getValue: () => model.getValue(),
    setValue: (text) => {
      if (text !== model.getValue()) model.setValue(text);
    },
    setActiveLine: (line) => {
      if (line < 1 || line > model.getLineCount()) return active.clear();
      active.set([{ range: new m.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'pp-w-active-line', linesDecorationsClassName: 'pp-w-active-gutter' } }]);
      editor.revealLineInCenterIfOutsideViewport(line);
    },
    setRunDiagnostics: (diags) => m.editor.setModelMarkers(model, 'packet-path-run', diags.map((d) => toMarker(m, d, model))),
    setTheme: (dark) => m.editor.setTheme(dark ? 'pp-dark' : 'pp-light'),
    focus: () => editor.focus(),
    dispose: () => {
      clearTimeout(parseTimer);
      editor.dispose();
      model.dispose();
    },
  };
}
