/**
 * Helpers for the scenario tests: load an example of examples/ (with the compose files it names),
 * run it through the library once per test file, find its steps, and read the known-bug markers.
 *
 * A line of an example that fails because of an open product bug carries a trailing marker
 * `# known bug B<n>` (B<n> is the entry in the bug list, see examples/README.md). The tests run
 * the expectation of a marked line as `it.fails`, so the bug is listed in every test report and
 * the test turns red when the bug is fixed (then the marker is removed). A marker
 * `# known bug B<n> (crash)` means the whole run throws: every test of that example is `it.fails`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';
import type { FileAnswer } from '../../src/model/index.js';
import { scriptFileResolver } from '../../src/cli/files.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES_DIR = join(ROOT, 'examples');

/** Every example file name, in order. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.pp')).sort();
}

export interface Example {
  name: string;
  text: string;
  /** Reads a file a command names (`docker compose -f`): the CLI's resolver, rooted at examples/. */
  readFile: (path: string) => FileAnswer;
  /** Script line → bug id, from `# known bug B<n>` markers. */
  bugs: Map<number, string>;
  /** The bug that makes the whole run throw, if any. */
  crash: string | null;
  /** Lines that start with `expect` or `expect-fail`. */
  expectLines: number[];
}

/** Reads an example; the files its commands name are read as the CLI reads them (relative to the script). */
export function loadExample(name: string): Example {
  const text = readFileSync(join(EXAMPLES_DIR, name), 'utf8');
  const bugs = new Map<number, string>();
  let crash: string | null = null;
  const expectLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /#\s*known bug (B\d+)( \(crash\))?\s*$/.exec(line);
    if (m) {
      bugs.set(i + 1, m[1]!);
      if (m[2]) crash = m[1]!;
    }
    if (/^\s*expect(-fail)?\s/.test(line)) expectLines.push(i + 1);
  });
  return { name, text, readFile: scriptFileResolver(EXAMPLES_DIR), bugs, crash, expectLines };
}

const cache = new Map<string, Promise<RunResult>>();

/** Runs an example once (per test file and options) with the library's default data plane. */
export function runExample(ex: Example, opts: { capture?: boolean } = {}): Promise<RunResult> {
  const key = `${ex.name}|${opts.capture ? 'c' : ''}`;
  let p = cache.get(key);
  if (!p) {
    p = runScript(ex.text, { seed: 1, readFile: ex.readFile, capture: opts.capture });
    cache.set(key, p);
  }
  return p;
}

/** The step whose command starts with `prefix` (the n-th such step, 0-based). */
export function stepOf(result: RunResult, prefix: string, n = 0): Step {
  const found = result.steps.filter((s) => s.command.startsWith(prefix));
  const s = found[n];
  if (!s) throw new Error(`no step "${prefix}" (#${n}) in this run; commands: ${result.steps.map((x) => x.command).join(' | ')}`);
  return s;
}

/**
 * A transcript made comparable: the measured rates of `flood` (packets/s, time) vary from run to
 * run and machine to machine, everything else is deterministic for a seed.
 */
export function normalizeTranscript(text: string): string {
  return text
    .replace(/[\d,.]+ packets\/s end to end \([\d.]+ s\)/g, 'N packets/s end to end (T s)')
    .replace(/the data plane alone [\d.]+ M packet-stages\/s/g, 'the data plane alone N M packet-stages/s');
}
