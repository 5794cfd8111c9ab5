/**
 * The end-to-end script fuzzer: grammar-aware mutations of the examples (lines dropped, repeated,
 * moved, taken from another example; words, numbers and flag values replaced by hostile ones), each
 * run through runScript twice with one seed. A run must not throw, must give the same document
 * twice, and must not show internal wording (JavaScript errors, internal checks) to a user.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript } from '../../src/index.js';
import type { RunResult } from '../../src/result.js';
import { scriptFileResolver } from '../../src/cli/files.js';
import { ROOT } from './support.js';

const EXAMPLES = join(ROOT, 'examples');

/** Every example's lines (comments dropped), and every word seen in them. */
export function corpus(): { scripts: string[][]; lines: string[]; words: string[] } {
  const scripts = readdirSync(EXAMPLES).filter((f) => f.endsWith('.pp')).sort()
    .map((f) => readFileSync(join(EXAMPLES, f), 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#')));
  const lines = scripts.flat();
  const words = [...new Set(lines.flatMap((l) => l.split(/\s+/)).filter(Boolean))];
  return { scripts, lines, words };
}

/** Values a user (or an attacker) may type where a word, number or name belongs. */
const HOSTILE = [
  '0', '-1', '1', '65535', '65536', '99999', '4294967295', '4294967296', '1e9', '0x10', '08', '',
  '999.1.1.1', '10.0.0.256', '1.2.3', '::1', '0.0.0.0', '255.255.255.255', '10.0.0.0/33', '10.0.0.10/0', '172.16.0.0/12',
  '00-15-5D-00-00-00', 'ff:ff:ff:ff:ff:ff', 'zz-zz', 'a'.repeat(300), '../../etc/passwd', '/dev/zero', 'C:\\Windows',
  '"', "'", '`', '\\', '$x', '${x}', '%PATH%', '|', ';', '--', '-', '--x', '=', ',', '\x1b[2J', '\x07', '\u202e', '😀', '\u0000',
  'tcp/0', 'udp/65536', 'icmp', 'tcp/99999', 'http://999.1.1.1/', 'http://web:0/', 'http://[::1]/', 'https://bing:65536/',
  'nat', 'none', 'host', 'transparent', 'l2bridge', 'overlay', 'web', 'db', 'host1', 'laptop',
];

export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'repeat'; at: number; times: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'insert'; at: number; line: number }
  | { kind: 'word'; at: number; word: number; value: string }
  | { kind: 'number'; at: number; nth: number; factor: number }
  | { kind: 'truncate'; at: number; keep: number };

function pick<T>(list: readonly T[], i: number): T {
  return list[((i % list.length) + list.length) % list.length]!;
}

/** Applies a mutation to a script's lines (indices taken modulo the sizes, so any numbers work). */
export function mutate(lines: string[], m: Mutation, c: { lines: string[] }): string[] {
  if (lines.length === 0) return m.kind === 'insert' ? [pick(c.lines, m.line)] : lines;
  const i = ((m.kind === 'move' ? m.from : m.at) % lines.length + lines.length) % lines.length;
  const out = [...lines];
  switch (m.kind) {
    case 'drop':
      out.splice(i, 1);
      break;
    case 'repeat':
      out.splice(i, 0, ...Array(m.times).fill(out[i]!));
      break;
    case 'move': {
      const [l] = out.splice(i, 1);
      out.splice(((m.to % (out.length + 1)) + out.length + 1) % (out.length + 1), 0, l!);
      break;
    }
    case 'insert':
      out.splice(i, 0, pick(c.lines, m.line));
      break;
    case 'word': {
      const words = out[i]!.split(' ');
      words[((m.word % words.length) + words.length) % words.length] = m.value;
      out[i] = words.join(' ');
      break;
    }
    case 'number': {
      let n = 0;
      out[i] = out[i]!.replace(/\d+/g, (d) => (n++ === m.nth ? String(Math.floor(Number(d) * m.factor)) : d));
      break;
    }
    case 'truncate':
      out[i] = out[i]!.slice(0, m.keep % (out[i]!.length + 1));
      break;
  }
  return out;
}

export function mutationArb(c: { words: string[] }): fc.Arbitrary<Mutation> {
  const n = fc.nat(1000);
  return fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at: n }),
    fc.record({ kind: fc.constant('repeat' as const), at: n, times: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('move' as const), from: n, to: n }),
    fc.record({ kind: fc.constant('insert' as const), at: n, line: n }),
    fc.record({ kind: fc.constant('word' as const), at: n, word: n, value: fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...c.words)) }),
    fc.record({ kind: fc.constant('number' as const), at: n, nth: fc.nat(6), factor: fc.constantFrom(0, 2, 10, 1000, 65536, 1e6) }),
    fc.record({ kind: fc.constant('truncate' as const), at: n, keep: n }),
  );
}

/** A mutated example: which example, and the mutations in order. */
export function scriptArb(c: ReturnType<typeof corpus>): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(c.scripts.length - 1), fc.array(mutationArb(c), { minLength: 1, maxLength: 6 }))
    .map(([k, ms]) => ms.reduce((lines, m) => mutate(lines, m, c), c.scripts[k]!).join('\n') + '\n');
}

/**
 * Words of the implementation that must never reach a user. ("undefined network" is compose's own
 * wording for a service naming a network the file does not define; `undefined variable "$x"` is Go
 * text/template's parse error, which docker prints as `template parsing error: template: :1: ...`.)
 */
const INTERNAL = [
  /Packet Path internal error/i, /could not be simulated/, /is not a function/, /Cannot read propert/, /\bNaN\b/,
  /\bundefined\b(?! network| variable ")/, /\brepr\b/, /a slot holds/, /\bbad IPv4\b/, /\bbad CIDR\b/, /RangeError|TypeError|ReferenceError/,
  /unreachable|out of bounds|Maximum call stack/i, /\[object Object\]/,
];

/** The first piece of internal wording a result shows a user, with where it is. */
export function internalWording(r: RunResult): string | null {
  const texts: [string, string][] = [];
  for (const s of r.steps) texts.push([`line ${s.line}`, `${s.output}\n${s.error ?? ''}\n${s.warnings.join('\n')}`]);
  for (const d of r.diagnostics) texts.push([`diagnostic ${d.line}:${d.column}`, d.message]);
  for (const [where, text] of texts) for (const re of INTERNAL) if (re.test(text)) return `${where}: ${text.split('\n').find((l) => re.test(l))}`;
  return null;
}

/** The document with the measured (machine-dependent) flood rates taken out. */
function comparable(r: RunResult): string {
  return JSON.stringify(r).replace(/[\d,.]+ packets\/s end to end \([\d.]+ s\)/g, 'N').replace(/data plane alone [\d.]+ M/g, 'N');
}

export interface FuzzVerdict {
  /** A run reached the time budget and was stopped (a long flood): its documents are not compared. */
  stopped?: boolean;
  escape?: string;
  nondeterministic?: boolean;
  internal?: string;
  /** Milliseconds of the slower run. */
  ms: number;
}

/** Runs one script twice with one seed (flood stopped after `deadlineMs`) and judges it. */
export async function judge(text: string, seed: number, deadlineMs = 10_000): Promise<FuzzVerdict> {
  const readFile = scriptFileResolver(EXAMPLES);
  const runs: RunResult[] = [];
  let ms = 0;
  let stopped = false;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    const cancelled = (): boolean => (stopped ||= performance.now() - t0 > deadlineMs);
    try {
      runs.push(await runScript(text, { seed, readFile, cancelled }));
    } catch (e) {
      return { escape: (e as Error).stack ?? String(e), ms: performance.now() - t0 };
    }
    ms = Math.max(ms, performance.now() - t0);
  }
  const v: FuzzVerdict = { ms };
  if (stopped) v.stopped = true;
  else if (comparable(runs[0]!) !== comparable(runs[1]!)) v.nondeterministic = true;
  const w = internalWording(runs[0]!);
  if (w) v.internal = w;
  return v;
}
