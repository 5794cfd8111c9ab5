/** Pure helpers of the playground: what to show for a step, which step a line belongs to. */
import type { Diagnostic, RunResult, Step, WorldSnapshot } from '../../../src/result.js';

/**
 * The world after step `index` (-1: the last), as the simulation recorded it (derive.ts's views of
 * every plane, read back with the live tables). A result without snapshots has no world to draw.
 */
export function stepWorld(r: RunResult, index: number): WorldSnapshot | undefined {
  const snaps = r.snapshots;
  if (!snaps?.length) return undefined;
  return snaps[Math.max(0, Math.min(index < 0 ? snaps.length - 1 : index, snaps.length - 1))];
}

/**
 * The step a script line belongs to: the step starting on it, or the one whose continuation lines
 * (`\` or backtick) reach it; -1 for comments, blank lines and lines that are not commands.
 */
export function stepForLine(steps: Step[], line: number, scriptLines?: string[]): number {
  const exact = steps.findIndex((s) => s.line === line);
  if (exact >= 0 || !scriptLines) return exact;
  let k = line - 1;
  while (k >= 1 && /[`\\]\s*$/.test(scriptLines[k - 1] ?? '')) {
    const i = steps.findIndex((s) => s.line === k);
    if (i >= 0) return i;
    k--;
  }
  return -1;
}

/**
 * Errors and warnings of a run, as editor diagnostics on their lines. `besideParser`: an editor that
 * already marks the parser's diagnostics leaves out the lines the parser rejected (the run's error
 * there is the parser's, and one mistake gets one marker).
 */
export function runDiagnostics(r: RunResult, opts: { besideParser?: boolean } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const held = new Set(r.expectations.filter((e) => e.ok).map((e) => e.line));
  for (const s of r.steps) {
    // An `expect-fail` command that failed did what the script asked: not a problem to flag.
    const expectedFailure = held.has(s.line) && !s.ok;
    if (s.error && !expectedFailure && !(opts.besideParser && s.rejected)) out.push({ line: s.line, column: 1, length: 0, severity: 'error', message: s.error, code: 'run-error' });
    for (const w of s.warnings) out.push({ line: s.line, column: 1, length: 0, severity: 'warning', message: w, code: 'run-warning' });
  }
  for (const e of r.expectations) {
    if (!e.ok) out.push({ line: e.line, column: 1, length: 0, severity: 'error', message: e.message ?? 'expectation did not hold', code: 'expectation' });
  }
  return out;
}

/**
 * Files for `runScript`'s `files` option: the compose tab under its own name and under every name the
 * script gives to `docker compose -f`.
 */
export function composeFiles(script: string, compose: string, name: string): Record<string, string> {
  if (!compose.trim()) return {};
  const files: Record<string, string> = { [name]: compose };
  for (const m of script.matchAll(/docker(?:-compose|\s+compose)\b[^\n#]*?(?:-f|--file)[=\s]+("[^"]+"|'[^']+'|\S+)/g)) {
    files[m[1].replace(/^["']|["']$/g, '')] = compose;
  }
  return files;
}
