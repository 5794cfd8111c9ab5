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
  /**
   * `pos[i]` is the logical-line offset the value's i-th character came from; `posEnd[i]` the
   * offset just after its source (an escape takes 2). Empty for a plain word whose value is its
   * source text (then character i is at `start + i`); read them with {@link posOf}/{@link posEndOf}.
   */
  pos: number[];
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

/** Where a run of a logical line's characters came from: `text[at]` is at `line`:`col`, the next at `col + 1`, ... */
export interface Segment {
  at: number;
  line: number;
  col: number;
}

/** A command line after continuation joining: its text and where each character came from. */
export interface LogicalLine {
  /** 1-based physical line the logical line starts on. */
  line: number;
  /** The text, continuations joined with one space, comments removed. */
  text: string;
  /** Source positions, one segment per physical piece (and per joining space), in order. */
  segments: Segment[];
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

const BLANK = /[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/;

export function isBlank(c: string): boolean {
  return isBlankCode(c.charCodeAt(0));
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

const BACKTICK = 96;
const isDQ = (c: number) => c === 34 || c === 0x201c || c === 0x201d || c === 0x201e;
const isSQ = (c: number) => c === 39 || (c >= 0x2018 && c <= 0x201b);
function isBlankCode(code: number): boolean {
  if (code === 32 || code === 9) return true;
  if (code < 128) return code === 11 || code === 12;
  return BLANK.test(String.fromCharCode(code));
}

/**
 * Scans one physical line for its comment, its continuation character and an unterminated string.
 */
function scanPhysical(raw: string, line: number): Physical {
  const n = raw.length;
  let state = 0; // 0 outside quotes, 1 in "...", 2 in '...'
  let quoteCol = 0;
  let wordStart = true;
  let end = n;
  let danglingBacktick = false;
  let braceDepth = 0;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (state === 0) {
      if (c === BACKTICK) {
        if (i + 1 >= n) { danglingBacktick = true; break; }
        i++;
        wordStart = false;
        continue;
      }
      if (isDQ(c)) { state = 1; quoteCol = i + 1; wordStart = false; continue; }
      if (isSQ(c)) { state = 2; quoteCol = i + 1; wordStart = false; continue; }
      if (c === 35 /* # */ && wordStart && braceDepth === 0) { end = i; break; }
      if (c === 123) braceDepth++;
      else if (c === 125 && braceDepth > 0) braceDepth--;
      wordStart = c === 124 || c === 59 || isBlankCode(c);
    } else if (state === 1) {
      if (c === BACKTICK) { i++; continue; }
      if (isDQ(c)) {
        if (i + 1 < n && isDQ(raw.charCodeAt(i + 1))) { i++; continue; }
        state = 0;
      }
    } else if (isSQ(c)) {
      if (i + 1 < n && isSQ(raw.charCodeAt(i + 1))) { i++; continue; }
      state = 0;
    }
  }
  if (state !== 0) {
    return { line, content: raw, continues: false, unterminated: { col: quoteCol, quote: state === 1 ? '"' : "'" } };
  }
  let content = raw.slice(0, end);
  let continues = false;
  if (danglingBacktick) {
    content = content.slice(0, content.length - 1);
    continues = true;
  } else {
    let j = content.length;
    while (j > 0 && isBlankCode(content.charCodeAt(j - 1))) j--;
    const last = content.charCodeAt(j - 1);
    if (j > 0 && (last === 92 || last === BACKTICK) && !escapedAt(content, j - 1)) {
      content = content.slice(0, j - 1);
      continues = true;
    }
  }
  let k = content.length;
  while (k > 0 && isBlankCode(content.charCodeAt(k - 1))) k--;
  return { line, content: k === content.length ? content : content.slice(0, k), continues };
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
    const ll: LogicalLine = { line: i + 1, text: '', segments: [], start: 0, tokens: [], bad: false };
    const parts: string[] = [];
    let length = 0;
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
      ll.segments.push({ at: length, line: cur.line, col: from + 1 });
      parts.push(cur.content.slice(from));
      length += cur.content.length - from;
      if (!cur.continues || i >= raw.length) break;
      // The joining space stands where the continuation character was.
      ll.segments.push({ at: length, line: cur.line, col: cur.content.length + 1 });
      parts.push(' ');
      length++;
      leading = false;
      cur = scanPhysical(raw[i]!, i + 1);
      i++;
    }
    ll.text = parts.join('');
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

/** Appends one value character that came from source `[from, to)`. */
function add(w: LexWord, ch: string, from: number, to: number): void {
  materialize(w);
  w.value += ch;
  w.pos.push(from);
  w.posEnd.push(to);
}

/** Plain words keep no position arrays until a quote or escape makes them differ from the source. */
function materialize(w: LexWord): void {
  if (w.pos.length === w.value.length) return;
  for (let k = w.pos.length; k < w.value.length; k++) {
    w.pos.push(w.start + k);
    w.posEnd.push(w.start + k + 1);
  }
}

/** Tokenizes a logical line whose quotes are known to be balanced. */
export function tokenize(text: string, from = 0): LexToken[] {
  const raw: LexToken[] = [];
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isBlankCode(c)) { i++; continue; }
    if (c === 124 || c === 59) {
      raw.push({ kind: c === 124 ? 'pipe' : 'semi', start: i, end: i + 1 });
      i++;
      continue;
    }
    const w: LexWord = {
      kind: 'word', value: '', pos: [], posEnd: [], start: i, end: i, quoted: false, leadingQuoted: false,
      trailingComma: false, leadingComma: c === 44,
    };
    // `plain` = the value so far is exactly text[w.start, i) (no position arrays needed yet).
    let plain = true;
    let lastQuoted = false;
    let brace = 0;
    let braceQuote = 0;
    let run = i; // start of the pending run of literal characters
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (brace > 0) {
        // Inside a script block every character is literal; quotes only matter for brace counting.
        if (braceQuote) {
          if ((braceQuote === 1 && isDQ(ch)) || (braceQuote === 2 && isSQ(ch))) braceQuote = 0;
        } else if (isDQ(ch)) braceQuote = 1;
        else if (isSQ(ch)) braceQuote = 2;
        else if (ch === 123) brace++;
        else if (ch === 125) brace--;
        i++;
        lastQuoted = false;
        continue;
      }
      if (ch === 124 || ch === 59 || isBlankCode(ch)) break;
      if (isDQ(ch) || isSQ(ch)) {
        if (run < i) {
          if (plain) w.value += text.slice(run, i);
          else for (let k = run; k < i; k++) add(w, text[k]!, k, k + 1);
        }
        if (plain) { materialize(w); plain = false; }
        if (w.value.length === 0) w.leadingQuoted = true;
        w.quoted = true;
        const dq = isDQ(ch);
        i++;
        while (i < n) {
          const q = text.charCodeAt(i);
          if (dq && q === BACKTICK && i + 1 < n) { add(w, unescape(text[i + 1]!), i, i + 2); i += 2; continue; }
          if (dq ? isDQ(q) : isSQ(q)) {
            if (i + 1 < n && (dq ? isDQ(text.charCodeAt(i + 1)) : isSQ(text.charCodeAt(i + 1)))) {
              add(w, dq ? '"' : "'", i, i + 2);
              i += 2;
              continue;
            }
            break;
          }
          add(w, text[i]!, i, i + 1);
          i++;
        }
        i++;
        run = i;
        lastQuoted = true;
        continue;
      }
      if (ch === BACKTICK) {
        if (run < i) {
          if (plain) w.value += text.slice(run, i);
          else for (let k = run; k < i; k++) add(w, text[k]!, k, k + 1);
        }
        if (plain) { materialize(w); plain = false; }
        if (i + 1 < n) { add(w, unescape(text[i + 1]!), i, i + 2); i += 2; } else i++;
        run = i;
        lastQuoted = true;
        continue;
      }
      if (ch === 123) brace = 1;
      i++;
      lastQuoted = false;
    }
    w.end = Math.min(i, n);
    i = w.end;
    if (run < i) {
      if (plain) w.value += text.slice(run, i);
      else for (let k = run; k < i; k++) add(w, text[k]!, k, k + 1);
    }
    if (!plain) materialize(w);
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
      materialize(prev);
      materialize(t);
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

/** The source line and column of the character at `off` (or just after the last one). */
export function posAt(ll: LogicalLine, off: number): { line: number; col: number } {
  const segs = ll.segments;
  if (segs.length === 0) return { line: ll.line, col: 1 + Math.max(0, off) };
  let k = segs.length - 1;
  while (k > 0 && segs[k]!.at > off) k--;
  const seg = segs[k]!;
  return { line: seg.line, col: seg.col + Math.max(0, off - seg.at) };
}

/** The source span of `[start, end)` in a logical line (clipped to the first physical line it touches). */
export function spanOf(ll: LogicalLine, start: number, end: number): Span {
  const s = Math.max(0, Math.min(start, ll.text.length));
  const e = Math.max(s, Math.min(end, ll.text.length));
  const p = posAt(ll, s);
  if (e === s) return { line: p.line, column: p.col, length: 0 };
  // The last character before `e` that is still on the start's physical line.
  let last = e - 1;
  const segs = ll.segments;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    if (seg.at > s && seg.at < e && seg.line !== p.line) { last = seg.at - 1; break; }
  }
  return { line: p.line, column: p.col, length: posAt(ll, last).col + 1 - p.col };
}

/** Source offset of value character `i` (plain words map one to one). */
export function posOf(w: LexWord, i: number): number {
  return i < w.pos.length ? w.pos[i]! : w.start + i;
}

/** Source offset just after value character `i`. */
export function posEndOf(w: LexWord, i: number): number {
  return i < w.posEnd.length ? w.posEnd[i]! : w.start + i + 1;
}

/**
 * The span of the value characters `[a, b)` of a word: the raw word (quotes included) when the
 * range is all of it, a range starting at 0 includes an opening quote, otherwise exactly the
 * source of those characters (`--subnet="x"` → the value span is `x`).
 */
export function wordSubSpan(ll: LogicalLine, w: LexWord, a: number, b: number): Span {
  const len = w.value.length;
  if (a >= len) return spanOf(ll, w.end, w.end);
  const start = a <= 0 ? w.start : posOf(w, a);
  const end = b >= len && a <= 0 ? w.end : posEndOf(w, Math.min(b, len) - 1);
  return spanOf(ll, start, Math.max(start, end));
}
