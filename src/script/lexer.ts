/**
 * The script lexer: physical lines → logical lines (comments removed, continuations joined) → tokens.
 *
 * Rules, PowerShell-flavoured because the script is what a user types at `PS C:\>`:
 * - `#` starts a comment only at the start of a word and outside quotes (`http://h/#x` and `a#b`
 *   are words, as in PowerShell and sh).
 * - A line whose last non-blank character is `\` or an unescaped backtick continues on the next
 *   line. The pieces are joined with one space; every character keeps its own line and column, so
 *   a continued command keeps the line number of its first line.
 * - `"..."` (backtick escapes, `""` is a quote) and `'...'` (`''` is a quote). Typographic quotes
 *   pasted from documents count as quotes, as they do in PowerShell. Quotes do not span lines.
 * - Outside quotes a backtick escapes the next character; a backslash is literal (Windows paths).
 * - `|` and `;` outside quotes are operators even without spaces around them.
 * - `{ ... }` outside quotes is kept whole, spaces included (a PowerShell script block or an
 *   unquoted Go template), with its inner characters taken literally.
 * - A word that ends in an unquoted comma continues across the following blanks: PowerShell's
 *   array argument. `interface="Ethernet 2", "Ethernet 3"` is ONE word whose value is
 *   `interface=Ethernet 2, Ethernet 3` (one space after each comma, whatever was typed), the
 *   seed's teaming example. A lone `,` word glues its neighbours the same way.
 * - A pasted prompt at the start of a line (`C:\>`, `PS C:\>`, `PS C:\Users\me>`) is ignored, so
 *   commands can be copied from documents verbatim.
 */
import type { Diagnostic } from '../result.js';
import type { Span } from './ast.js';

/** A word after quote removal, with the source offset (in its logical line) of every value char. */
export interface LexWord {
  kind: 'word';
  value: string;
  /** `pos[i]` is the logical-line offset the value's i-th character came from. */
  pos: number[];
  /** `posEnd[i]` is the offset just after the source of the value's i-th character (escapes take 2). */
  posEnd: number[];
  /** Raw extent in the logical line, `[start, end)`, quotes included. */
  start: number;
  end: number;
  /** Any part was quoted. */
  quoted: boolean;
  /** The first character came from inside quotes (`"-Name"` is then not a PowerShell parameter). */
  leadingQuoted: boolean;
  /** @internal the word ends with an unquoted comma (array continuation). */
  trailingComma: boolean;
  /** @internal the word starts with an unquoted comma. */
  leadingComma: boolean;
}

export interface LexOp {
  kind: 'pipe' | 'semi';
  start: number;
  end: number;
}

export type LexToken = LexWord | LexOp;

/** A command line after continuation joining: its text and where each character came from. */
export interface LogicalLine {
  /** 1-based physical line the logical line starts on. */
  line: number;
  /** The text, continuations joined with one space, comments removed. */
  text: string;
  /** Physical line (1-based) of each character of `text`; one extra entry for the end. */
  lineOf: number[];
  /** Physical column (1-based) of each character of `text`; one extra entry for the end. */
  colOf: number[];
  /** Offset in `text` where commands start (after a pasted prompt). */
  start: number;
  tokens: LexToken[];
  /** Set when the line could not be tokenized (unterminated string); it yields no command. */
  bad: boolean;
}

export interface LexResult {
  lines: LogicalLine[];
  diagnostics: Diagnostic[];
}

const DQ = new Set(['"', '\u201c', '\u201d', '\u201e']);
const SQ = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const BLANK = /[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/;

export function isBlank(c: string): boolean {
  return BLANK.test(c);
}

/** PowerShell's escape sequences after a backtick; any other character stands for itself. */
function unescape(c: string): string {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    case 'a': return '\x07';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'e': return '\x1b';
    default: return c;
  }
}

const PROMPT = /^(?:PS[ \t]+[A-Za-z]:\\[^>"'|;#\u201c\u201d]*>|[A-Za-z]:\\[^>\s"'|;#\u201c\u201d]*>)[ \t]?/;

interface Physical {
  line: number;
  /** Content without the comment, trailing blanks and the continuation character. */
  content: string;
  continues: boolean;
  unterminated?: { col: number; quote: string };
}

/**
 * Scans one physical line for its comment, its continuation character and an unterminated string.
 */
function scanPhysical(raw: string, line: number): Physical {
  let state: 'none' | 'dq' | 'sq' = 'none';
  let quoteCol = 0;
  let quoteChar = '"';
  let wordStart = true;
  let end = raw.length;
  let danglingBacktick = false;
  let braceDepth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (state === 'none') {
      if (c === '`') {
        if (i + 1 >= raw.length) { danglingBacktick = true; break; }
        i++;
        wordStart = false;
        continue;
      }
      if (DQ.has(c)) { state = 'dq'; quoteCol = i + 1; quoteChar = '"'; wordStart = false; continue; }
      if (SQ.has(c)) { state = 'sq'; quoteCol = i + 1; quoteChar = "'"; wordStart = false; continue; }
      if (c === '#' && wordStart && braceDepth === 0) { end = i; break; }
      if (c === '{') braceDepth++;
      else if (c === '}' && braceDepth > 0) braceDepth--;
      wordStart = isBlank(c) || c === '|' || c === ';';
    } else if (state === 'dq') {
      if (c === '`') { i++; continue; }
      if (DQ.has(c)) {
        if (i + 1 < raw.length && DQ.has(raw[i + 1]!)) { i++; continue; }
        state = 'none';
      }
    } else {
      if (SQ.has(c)) {
        if (i + 1 < raw.length && SQ.has(raw[i + 1]!)) { i++; continue; }
        state = 'none';
      }
    }
  }
  if (state !== 'none') {
    return { line, content: raw, continues: false, unterminated: { col: quoteCol, quote: quoteChar } };
  }
  let content = raw.slice(0, end);
  let continues = false;
  if (danglingBacktick) {
    content = content.slice(0, content.length - 1);
    continues = true;
  } else {
    let j = content.length;
    while (j > 0 && isBlank(content[j - 1]!)) j--;
    if (j > 0 && (content[j - 1] === '\\' || content[j - 1] === '`') && !escapedAt(content, j - 1)) {
      content = content.slice(0, j - 1);
      continues = true;
    }
  }
  let k = content.length;
  while (k > 0 && isBlank(content[k - 1]!)) k--;
  return { line, content: content.slice(0, k), continues };
}

/** Whether the character at `i` is escaped by an odd run of backticks before it. */
function escapedAt(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === '`'; j--) n++;
  return n % 2 === 1;
}

/** Splits source text into physical lines (`\r\n`, `\n` or `\r`). */
export function physicalLines(src: string): string[] {
  return src.split(/\r\n|\n|\r/);
}

/**
 * Lexes a whole script. Never throws; an unterminated string is a diagnostic and marks its
 * logical line bad.
 */
export function lex(src: string): LexResult {
  const raw = physicalLines(src);
  const lines: LogicalLine[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  while (i < raw.length) {
    const first = scanPhysical(raw[i]!, i + 1);
    const ll: LogicalLine = { line: i + 1, text: '', lineOf: [], colOf: [], start: 0, tokens: [], bad: false };
    i++;
    let cur = first;
    let leading = true;
    for (;;) {
      if (cur.unterminated) {
        diagnostics.push({
          line: cur.line, column: cur.unterminated.col, length: Math.max(1, raw[cur.line - 1]!.length - cur.unterminated.col + 1),
          severity: 'error', code: 'unterminated-string',
          message: `The string is missing the terminator: ${cur.unterminated.quote}.`,
        });
        ll.bad = true;
        break;
      }
      // Leading blanks of the first line are kept (columns stay right); those of a continuation
      // line are dropped and replaced by the single joining space.
      let from = 0;
      if (!leading) while (from < cur.content.length && isBlank(cur.content[from]!)) from++;
      for (let c = from; c < cur.content.length; c++) {
        ll.text += cur.content[c];
        ll.lineOf.push(cur.line);
        ll.colOf.push(c + 1);
      }
      if (!cur.continues || i >= raw.length) break;
      // The joining space stands where the continuation character was.
      ll.text += ' ';
      ll.lineOf.push(cur.line);
      ll.colOf.push(cur.content.length + 1);
      leading = false;
      cur = scanPhysical(raw[i]!, i + 1);
      i++;
    }
    const lastLine = ll.lineOf.length ? ll.lineOf[ll.lineOf.length - 1]! : ll.line;
    const lastCol = ll.colOf.length ? ll.colOf[ll.colOf.length - 1]! + 1 : 1;
    ll.lineOf.push(lastLine);
    ll.colOf.push(lastCol);
    if (!ll.bad) {
      const lead = ll.text.length - ll.text.trimStart().length;
      const m = PROMPT.exec(ll.text.slice(lead));
      if (m) ll.start = lead + m[0].length;
      ll.tokens = tokenize(ll.text, ll.start);
    }
    lines.push(ll);
  }
  return { lines, diagnostics };
}

function add(w: LexWord, ch: string, from: number, to: number): void {
  w.value += ch;
  w.pos.push(from);
  w.posEnd.push(to);
}

/** Tokenizes a logical line whose quotes are known to be balanced. */
export function tokenize(text: string, from = 0): LexToken[] {
  const raw: LexToken[] = [];
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text[i]!;
    if (isBlank(c)) { i++; continue; }
    if (c === '|' || c === ';') {
      raw.push({ kind: c === '|' ? 'pipe' : 'semi', start: i, end: i + 1 });
      i++;
      continue;
    }
    const w: LexWord = {
      kind: 'word', value: '', pos: [], posEnd: [], start: i, end: i, quoted: false, leadingQuoted: false,
      trailingComma: false, leadingComma: c === ',',
    };
    let lastQuoted = false;
    let brace = 0;
    let braceQuote = '';
    while (i < n) {
      const ch = text[i]!;
      if (brace > 0) {
        // Inside a script block every character is literal; quotes only matter for brace counting.
        if (braceQuote) {
          if ((braceQuote === '"' && DQ.has(ch)) || (braceQuote === "'" && SQ.has(ch))) braceQuote = '';
        } else if (DQ.has(ch)) braceQuote = '"';
        else if (SQ.has(ch)) braceQuote = "'";
        else if (ch === '{') brace++;
        else if (ch === '}') brace--;
        add(w, ch, i, i + 1); i++; lastQuoted = false;
        continue;
      }
      if (isBlank(ch) || ch === '|' || ch === ';') break;
      if (DQ.has(ch)) {
        if (w.value.length === 0) w.leadingQuoted = true;
        w.quoted = true;
        i++;
        while (i < n) {
          const q = text[i]!;
          if (q === '`' && i + 1 < n) { add(w, unescape(text[i + 1]!), i, i + 2); i += 2; continue; }
          if (DQ.has(q)) {
            if (i + 1 < n && DQ.has(text[i + 1]!)) { add(w, '"', i, i + 2); i += 2; continue; }
            break;
          }
          add(w, q, i, i + 1); i++;
        }
        i++;
        lastQuoted = true;
        continue;
      }
      if (SQ.has(ch)) {
        if (w.value.length === 0) w.leadingQuoted = true;
        w.quoted = true;
        i++;
        while (i < n) {
          const q = text[i]!;
          if (SQ.has(q)) {
            if (i + 1 < n && SQ.has(text[i + 1]!)) { add(w, "'", i, i + 2); i += 2; continue; }
            break;
          }
          add(w, q, i, i + 1); i++;
        }
        i++;
        lastQuoted = true;
        continue;
      }
      if (ch === '`') {
        if (i + 1 < n) { add(w, unescape(text[i + 1]!), i, i + 2); i += 2; }
        else i++;
        lastQuoted = true;
        continue;
      }
      if (ch === '{') brace = 1;
      add(w, ch, i, i + 1); i++;
      lastQuoted = false;
    }
    w.end = Math.min(i, n);
    w.trailingComma = !lastQuoted && w.value.endsWith(',');
    raw.push(w);
  }
  return joinCommaLists(raw);
}

/** Merges PowerShell array arguments (`a, b`, `"x", "y"`, `a , b`) into one word each. */
function joinCommaLists(tokens: LexToken[]): LexToken[] {
  const out: LexToken[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (t.kind === 'word' && prev && prev.kind === 'word' && (prev.trailingComma || t.leadingComma)) {
      if (prev.trailingComma) {
        // One space after the comma, at the position of the next word's first character.
        add(prev, ' ', t.start, t.start);
      }
      prev.value += t.value;
      prev.pos.push(...t.pos);
      prev.posEnd.push(...t.posEnd);
      prev.end = t.end;
      prev.quoted ||= t.quoted;
      prev.trailingComma = t.trailingComma;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** The source span of `[start, end)` in a logical line (clipped to the first physical line it touches). */
export function spanOf(ll: LogicalLine, start: number, end: number): Span {
  const s = Math.max(0, Math.min(start, ll.text.length));
  const e = Math.max(s, Math.min(end, ll.text.length));
  const line = ll.lineOf[s]!;
  const column = ll.colOf[s]!;
  let j = e - 1;
  while (j >= s && ll.lineOf[j] !== line) j--;
  const length = j >= s ? ll.colOf[j]! + 1 - column : 0;
  return { line, column, length };
}

/**
 * The span of the value characters `[a, b)` of a word: the raw word (quotes included) when the
 * range is all of it, a range starting at 0 includes an opening quote, otherwise exactly the
 * source of those characters (`--subnet="x"` → the value span is `x`).
 */
export function wordSubSpan(ll: LogicalLine, w: LexWord, a: number, b: number): Span {
  const len = w.value.length;
  if (a >= len) return spanOf(ll, w.end, w.end);
  const start = a <= 0 ? w.start : w.pos[a]!;
  const end = b >= len && a <= 0 ? w.end : w.posEnd[Math.min(b, len) - 1]!;
  return spanOf(ll, start, Math.max(start, end));
}
