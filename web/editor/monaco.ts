/**
 * Loads Monaco lazily (its core is ~2.7 MB: never in the first chunk) with only the editor features
 * the playground uses, and registers the `packet-path` language: Monarch highlighting, completions
 * and hovers fed by the real parser's syntax tree. Workers: Monaco's editor worker, bundled by Vite.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';
import type { Script } from '../../src/script/ast.js';
import { LANGUAGE_ID, conf, language, themeRules } from './language.js';
import { complete, type ItemKind } from './completions.js';
import { hoverAt } from './hovers.js';
import { definedNames } from './names.js';
import { analyse } from './diagnostics.js';

export type MonacoApi = typeof Monaco;

let loading: Promise<MonacoApi> | undefined;

/** The latest parse of each model, by model URI and version: completions and hovers read names from it. */
const scripts = new Map<string, { version: number; script: Script | null }>();

export function setModelScript(uri: string, script: Script | null, version = -1): void {
  scripts.set(uri, { version, script });
}

/** The parse of the model as it is now (re-parsed when the cached one is older than the text). */
function currentScript(model: Monaco.editor.ITextModel): Script | null {
  const key = model.uri.toString();
  const cached = scripts.get(key);
  if (cached && cached.version === model.getVersionId()) return cached.script;
  const script = analyse(model.getValue()).script;
  scripts.set(key, { version: model.getVersionId(), script });
  return script;
}

export function loadMonaco(): Promise<MonacoApi> {
  loading ??= load();
  return loading;
}

async function load(): Promise<MonacoApi> {
  const [monaco, { default: EditorWorker }] = await Promise.all([
    import('monaco-editor/editor/editor.api'),
    import('monaco-editor/editor/editor.worker?worker'),
    import('monaco-editor/features/codicon/register'),
    import('monaco-editor/editor/browser/coreCommands'),
    import('monaco-editor/editor/contrib/hover/browser/hoverContribution'),
    import('monaco-editor/editor/contrib/suggest/browser/suggestController'),
    import('monaco-editor/editor/contrib/snippet/browser/snippetController2'),
    import('monaco-editor/editor/contrib/find/browser/findController'),
    import('monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching'),
    import('monaco-editor/editor/contrib/comment/browser/comment'),
    import('monaco-editor/editor/contrib/contextmenu/browser/contextmenu'),
    import('monaco-editor/editor/contrib/clipboard/browser/clipboard'),
    import('monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter'),
    import('monaco-editor/editor/contrib/gotoError/browser/gotoError'),
    import('monaco-editor/editor/contrib/linesOperations/browser/linesOperations'),
    import('monaco-editor/editor/contrib/multicursor/browser/multicursor'),
    import('monaco-editor/editor/contrib/wordOperations/browser/wordOperations'),
    import('monaco-editor/languages/definitions/yaml/register'),
  ]);
  (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };
  register(monaco);
  return monaco;
}

const KIND: Record<ItemKind, keyof typeof Monaco.languages.CompletionItemKind> = {
  keyword: 'Keyword', flag: 'Property', option: 'Field', driver: 'Enum', network: 'Module', container: 'Class',
  host: 'Interface', client: 'Reference', cmdlet: 'Function', tool: 'Method', value: 'Value',
};

function register(monaco: MonacoApi): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.pp'], aliases: ['Packet Path', 'pp'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, conf);
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, language);
  monaco.editor.defineTheme('pp-light', { base: 'vs', inherit: true, rules: themeRules(false), colors: {} });
  monaco.editor.defineTheme('pp-dark', { base: 'vs-dark', inherit: true, rules: themeRules(true), colors: { 'editor.background': '#1e1e1e' } });

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['-', ' ', '.', '=', '|'],
    provideCompletionItems(model, position) {
      const text = model.getValue();
      const names = definedNames(currentScript(model), position.lineNumber);
      const items = complete(text, position.lineNumber, position.column, names);
      const word = model.getWordUntilPosition(position);
      const lineText = model.getLineContent(position.lineNumber);
      // Replace the whole word being typed, dashes and dots included (`--sub`, `com.docker.`).
      let start = position.column;
      while (start > 1 && !/[\s"'=,|`]/.test(lineText[start - 2])) start--;
      const range = new monaco.Range(position.lineNumber, Math.min(start, word.startColumn), position.lineNumber, position.column);
      return {
        suggestions: items.map((it, k) => ({
          label: it.label,
          kind: monaco.languages.CompletionItemKind[KIND[it.kind]],
          detail: it.detail,
          documentation: it.doc ? { value: it.doc } : undefined,
          insertText: it.insert ?? it.label,
          range,
          sortText: String(k).padStart(4, '0'),
          command: it.insert?.endsWith(' ') || it.insert?.endsWith('=') ? { id: 'editor.action.triggerSuggest', title: '' } : undefined,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const names = definedNames(currentScript(model));
      const h = hoverAt(model.getValue(), position.lineNumber, position.column, names);
      if (!h) return null;
      return { range: new monaco.Range(h.line, h.start, h.line, h.end), contents: [{ value: h.markdown }] };
    },
  });
}

/** Editor options the playground and the widget share: how a script wraps, completes and hovers. */
export const SCRIPT_EDITOR_OPTIONS = {
  scrollBeyondLastLine: false,
  wordWrap: 'on',
  wrappingIndent: 'indent',
  tabSize: 2,
  fixedOverflowWidgets: true,
  quickSuggestions: { other: true, comments: false, strings: false },
  suggest: { showStatusBar: false, preview: true },
  hover: { delay: 250 },
  occurrencesHighlight: 'off',
} as const;
