/**
 * Highlighting for read-only widgets without Monaco: a small interpreter of the playground's own
 * Monarch rules (web/editor/language.ts), so a read-only script is coloured exactly as the editor
 * colours it (same token types, same theme colours) for the cost of a few regular expressions.
 * It supports what those rules use: one `root` state, `[regex, token]` and `[regex, { cases }]`
 * rules, `@array` and regex case guards, `ignoreCase`, `tokenPostfix`.
 */
import { language, themeRules } from '../editor/language.js';

export interface Token {
  text: string;
  /** Monaco token type with the language postfix (`keyword.pp`), '' for plain text. */
  type: string;
}

type Action = string | { cases: Record<string, string> };
type Rule = [RegExp, Action];

interface Compiled {
  rules: { re: RegExp; action: Action }[];
  arrays: Record<string, Set<string>>;
  guards: Map<string, RegExp>;
  ignoreCase: boolean;
  postfix: string;
}

let compiled: Compiled | undefined;

function compile(): Compiled {
  const lang = language as unknown as Record<string, unknown> & { tokenizer: { root: Rule[] }; ignoreCase?: boolean; tokenPostfix?: string };
  const ignoreCase = !!lang.ignoreCase;
  const flags = ignoreCase ? 'iy' : 'y';
  const arrays: Record<string, Set<string>> = {};
  for (const [k, v] of Object.entries(lang)) {
    // Word lists referenced as `@name` in `cases` (other array properties, such as brackets, are not).
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) arrays[k] = new Set(v.map((x: string) => (ignoreCase ? x.toLowerCase() : x)));
  }
  const guards = new Map<string, RegExp>();
  const rules = lang.tokenizer.root.map(([re, action]) => {
    if (typeof action === 'object') {
      for (const key of Object.keys(action.cases)) {
        if (!key.startsWith('@')) guards.set(key, new RegExp(`^(?:${key})$`, ignoreCase ? 'i' : ''));
      }
    }
    // Monarch matches a rule at the current position of the line: a sticky regex does the same.
    return { re: new RegExp(re.source, flags), action };
  });
  return { rules, arrays, guards, ignoreCase, postfix: lang.tokenPostfix ?? '' };
}

function resolve(c: Compiled, action: Action, text: string): string {
  if (typeof action === 'string') return action;
  const word = c.ignoreCase ? text.toLowerCase() : text;
  for (const [key, type] of Object.entries(action.cases)) {
    if (key === '@default') return type;
    if (key.startsWith('@') ? c.arrays[key.slice(1)]?.has(word) : c.guards.get(key)?.test(text)) return type;
  }
  return '';
}

/** One line's tokens. Adjacent pieces of the same type are merged, as Monaco reports them. */
export function tokenizeLine(line: string): Token[] {
  const c = (compiled ??= compile());
  const out: Token[] = [];
  const push = (text: string, type: string) => {
    const last = out[out.length - 1];
    if (last && last.type === type) last.text += text;
    else out.push({ text, type });
  };
  let pos = 0;
  while (pos < line.length) {
    let matched = false;
    for (const { re, action } of c.rules) {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (!m || m[0].length === 0) continue;
      const type = resolve(c, action, m[0]);
      push(m[0], type ? `${type}${c.postfix}` : '');
      pos += m[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      push(line[pos], '');
      pos++;
    }
  }
  return out;
}

/** CSS class of a token type: `keyword.sub.pp` → `t-keyword-sub-pp`. */
export function tokenClass(type: string): string {
  return type ? `t-${type.replace(/\./g, '-')}` : '';
}

/**
 * The colours of the editor's light and dark themes as CSS for the token classes, scoped by the
 * selectors given (the widget's light and dark theme states). A token type takes the rule of its
 * longest dot-separated prefix, as Monaco's theme matching does.
 */
export function tokenCss(lightScope: string, darkScope: string): string {
  const block = (scope: string, dark: boolean) =>
    themeRules(dark)
      .map((r) => {
        const decl = [r.foreground ? `color:#${r.foreground}` : '', r.fontStyle?.includes('bold') ? 'font-weight:600' : '', r.fontStyle?.includes('italic') ? 'font-style:italic' : '', r.fontStyle?.includes('underline') ? 'text-decoration:underline' : '']
          .filter(Boolean)
          .join(';');
        return `${scope} .${tokenClass(r.token)}{${decl}}`;
      })
      .join('\n');
  return `${block(lightScope, false)}\n${block(darkScope, true)}`;
}

/** The class for a token type: the theme rule of its longest dot-separated prefix, as Monaco matches. */
export function themeClass(type: string): string {
  if (!type) return '';
  known ??= new Set(themeRules(false).map((r) => r.token));
  const parts = type.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (known.has(candidate)) return tokenClass(candidate);
  }
  return '';
}

let known: Set<string> | undefined;
