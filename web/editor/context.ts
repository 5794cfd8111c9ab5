/**
 * Where the cursor is, in words: the command around a position (continuation lines joined), the
 * words before the cursor and the one being typed. Only for completions and hovers: it never
 * decides validity (the parser in src/script/ does).
 */

export interface EditorWord {
  value: string;
  /** 1-based line, 1-based start column, exclusive end column. */
  line: number;
  start: number;
  end: number;
}

export interface CommandText {
  startLine: number;
  endLine: number;
  words: EditorWord[];
}

const CONTINUATION = /[`\\]\s*$/;

/** Splits one line into words the way a shell would for highlighting purposes: quotes kept together, `#` ends it. */
export function splitWords(text: string, line: number): EditorWord[] {
  const out: EditorWord[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') { i++; continue; }
    if (ch === '#') break;
    if (ch === '|') { out.push({ value: '|', line, start: i + 1, end: i + 2 }); i++; continue; }
    const s = i;
    let value = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '|') {
      const c = text[i];
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        const stop = close < 0 ? text.length : close;
        value += text.slice(i + 1, stop);
        i = close < 0 ? text.length : close + 1;
        continue;
      }
      if (c === '#' && value === '') break;
      value += c;
      i++;
    }
    // A trailing continuation mark is not a word.
    if ((value === '`' || value === '\\') && text.slice(i).trim() === '') break;
    out.push({ value, line, start: s + 1, end: i + 1 });
  }
  return out;
}

/** The command that contains `line` (1-based): walks back over continued lines and forward to the end. */
export function commandAt(lines: string[], line: number): CommandText {
  let start = line;
  while (start > 1 && CONTINUATION.test(lines[start - 2] ?? '')) start--;
  let end = line;
  while (end < lines.length && CONTINUATION.test(lines[end - 1] ?? '')) end++;
  const words: EditorWord[] = [];
  for (let l = start; l <= end; l++) {
    const text = (lines[l - 1] ?? '').replace(CONTINUATION, '');
    words.push(...splitWords(text, l));
  }
  return { startLine: start, endLine: end, words };
}

export interface CursorContext {
  command: CommandText;
  /** Words wholly before the cursor. */
  before: EditorWord[];
  /** The word under/just before the cursor being typed ('' at a fresh position). */
  partial: string;
  /** Column where the partial word starts (1-based), for the replace range. */
  partialStart: number;
}

export function cursorContext(text: string, line: number, column: number): CursorContext {
  const lines = text.split(/\r?\n/);
  const command = commandAt(lines, line);
  const before: EditorWord[] = [];
  let partial = '';
  let partialStart = column;
  for (const w of command.words) {
    const isBefore = w.line < line || (w.line === line && w.end < column);
    const isAt = w.line === line && w.start <= column && column <= w.end;
    if (isAt && w.end >= column) {
      // Only the part left of the cursor is being typed.
      const raw = (lines[line - 1] ?? '').slice(w.start - 1, column - 1);
      partial = raw.replace(/^["']/, '');
      partialStart = w.start;
      break;
    }
    if (isBefore) before.push(w);
  }
  return { command, before, partial, partialStart };
}

/** The word at a position (for hovers), with its index among the command's words. */
export function wordAt(text: string, line: number, column: number): { command: CommandText; index: number; word: EditorWord } | null {
  const lines = text.split(/\r?\n/);
  const command = commandAt(lines, line);
  const index = command.words.findIndex((w) => w.line === line && w.start <= column && column < w.end);
  if (index < 0) return null;
  return { command, index, word: command.words[index] };
}

/** Removes the `expect` / `expect-fail` prefix: the command proper. */
export function stripExpect(words: EditorWord[]): EditorWord[] {
  if (words.length && (words[0].value === 'expect' || words[0].value === 'expect-fail')) return words.slice(1);
  return words;
}
