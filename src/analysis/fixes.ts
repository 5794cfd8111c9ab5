/**
 * Fixes as script edits: whole lines added, changed or removed, each naming the line of the
 * script as it was. A fix is shown only after it was applied to a copy of the script and the
 * copy re-run (`verifyFix`): the symptom's line must now pass, and every expectation that held
 * must still hold.
 */
import type { Flag, Span, Word } from '../script/ast.js';
import type { RunResult } from '../result.js';

/** One edit, on the line numbers of the script before any edit (1-based). */
export type ScriptEdit =
  /** New lines before line `before` (one past the last line appends). */
  | { kind: 'insert'; before: number; lines: string[] }
  /** Line `line` becomes `text`; `was` is the line as it stood. */
  | { kind: 'replace'; line: number; text: string; was: string }
  /** Line `line` goes; `was` is the line as it stood. */
  | { kind: 'delete'; line: number; was: string };

/** Splits a script into lines as the parser counts them (a line break is `\n`, `\r\n` or `\r`). */
export function scriptLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The script with the edits made (edits on the same line apply in the order given). */
export function applyEdits(text: string, edits: readonly ScriptEdit[]): string {
  const lines = scriptLines(text);
  const before = new Map<number, string[]>();
  const replaced = new Map<number, string | null>();
  for (const e of edits) {
    if (e.kind === 'insert') before.set(e.before, [...(before.get(e.before) ?? []), ...e.lines]);
    else replaced.set(e.line, e.kind === 'replace' ? e.text : null);
  }
  const out: string[] = [];
  for (let n = 1; n <= lines.length + 1; n++) {
    out.push(...(before.get(n) ?? []));
    if (n > lines.length) break;
    const r = replaced.has(n) ? replaced.get(n)! : lines[n - 1];
    if (r !== null) out.push(r);
  }
  return out.join('\n');
}

/** Where each line of the old script stands after the edits (null: removed). */
export function lineMap(lineCount: number, edits: readonly ScriptEdit[]): (line: number) => number | null {
  const shift = new Array<number>(lineCount + 2).fill(0);
  const gone = new Set<number>();
  for (const e of edits) {
    if (e.kind === 'insert') shift[e.before] += e.lines.length;
    else if (e.kind === 'delete') gone.add(e.line);
  }
  const at: number[] = [0];
  let offset = 0;
  for (let n = 1; n <= lineCount; n++) {
    offset += shift[n];
    at.push(n + offset);
    if (gone.has(n)) offset -= 1;
  }
  return (line) => (line < 1 || line > lineCount || gone.has(line) ? null : at[line]);
}

/** The line with the columns of `span` (1-based) replaced by `text`. */
export function spliceSpan(line: string, span: Span, text: string): string {
  return line.slice(0, span.column - 1) + text + line.slice(span.column - 1 + span.length);
}

/** Quotes a value for a script line when it has spaces. */
export function quoted(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/** The line without the flag (and the space before it). */
export function withoutFlag(line: string, flag: Flag): string {
  const start = flag.span.column - 1;
  let from = start;
  while (from > 0 && line[from - 1] === ' ') from--;
  return line.slice(0, from) + line.slice(start + flag.span.length);
}

/** The line with a flag's value changed (the flag keeps its spelling). */
export function withFlagValue(line: string, flag: Flag, value: string): string {
  return flag.valueSpan ? spliceSpan(line, flag.valueSpan, quoted(value)) : line;
}

/** The line with several flags' values changed (right to left, so each span still points where it did). */
export function withFlagValues(line: string, changes: readonly { flag: Flag; value: string }[]): string {
  return [...changes].sort((a, b) => b.flag.span.column - a.flag.span.column).reduce((l, c) => withFlagValue(l, c.flag, c.value), line);
}

/** The line with `words` inserted before the word `at` (a positional argument). */
export function insertBefore(line: string, at: Word | Span, words: string): string {
  const span = 'span' in at ? at.span : at;
  const col = span.column - 1;
  return `${line.slice(0, col)}${words} ${line.slice(col)}`;
}

/** The verdict of a re-run on the symptom's line and the expectations that held. */
export interface Verification {
  verified: boolean;
  /** The step at the symptom's line passed (or its expectation held) after the edit. */
  symptomGone: boolean;
  /** Lines (of the original script) whose expectation held before and no longer does. */
  broken: number[];
  /** Why the fix is not offered, when it is not. */
  reason?: string;
}

/** Whether the line's outcome counts as passing: its expectation held, or (none) the step succeeded. */
export function linePasses(run: RunResult, line: number, what: 'line' | 'step' = 'line'): boolean | null {
  const exp = what === 'line' ? run.expectations.find((e) => e.line === line) : undefined;
  if (exp) return exp.ok;
  const step = run.steps.find((s) => s.line === line);
  return step ? step.ok : null;
}

/**
 * Judges a re-run: `before` is the run of the original script, `after` the run of the edited one;
 * `symptomLine` is a line of the original script; `what` is `step` when the command itself must now
 * succeed (an expect-fail line asked about by name), `line` when its expectation must hold.
 */
export function judge(before: RunResult, after: RunResult, lineCount: number, edits: readonly ScriptEdit[], symptomLine: number, what: 'line' | 'step' = 'line'): Verification {
  const at = lineMap(lineCount, edits)(symptomLine);
  return verdict(at !== null && linePasses(after, at, what) === true, before, after, lineCount, edits, at === null ? 'the edit removes the line itself' : `line ${symptomLine} still fails after the edit`, symptomLine);
}

/**
 * The verdict once it is known whether the symptom is gone: no expectation that held (other than the
 * symptom's own line) may fail, and no line the edit added may be one the parser rejects.
 */
export function verdict(symptomGone: boolean, before: RunResult, after: RunResult, lineCount: number, edits: readonly ScriptEdit[], stillFails: string, symptomLine?: number): Verification {
  const map = lineMap(lineCount, edits);
  const rejected = after.steps.filter((s) => s.rejected && !before.steps.some((b) => b.rejected && map(b.line) === s.line));
  const broken: number[] = [];
  for (const e of before.expectations) {
    if (!e.ok || e.line === symptomLine) continue;
    const now = map(e.line);
    // An expectation the fix removed on purpose (a line deleted) is not broken by it.
    if (now === null) continue;
    const held = after.expectations.find((x) => x.line === now);
    if (!held || !held.ok) broken.push(e.line);
  }
  const verified = symptomGone && broken.length === 0 && rejected.length === 0;
  const reason = verified ? undefined
    : !symptomGone ? stillFails
    : rejected.length ? `the edit adds a line the parser rejects (line ${rejected[0].line})`
    : `the edit breaks the expectation on line${broken.length > 1 ? 's' : ''} ${broken.join(', ')}`;
  return { verified, symptomGone, broken, reason };
}
