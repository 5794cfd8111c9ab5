/**
 * `packet-path reach FILE.pp [--at LINE] [--from A,B] [--to C,D] [--ports tcp/80,udp/53,icmp] [--json]`
 * and `packet-path diff A.pp B.pp [--json]`: the reachability matrix as a grid (a glyph per cell, so
 * it reads without colour) and what changed between two scripts.
 */
import { openScript } from './files.js';
import { printable } from './printable.js';
import { reach } from '../index.js';
import { diffScripts } from '../analysis/diff.js';
import type { DiffResult, ReachCell, ReachResult, ReachVerdict } from '../analysis/types.js';

export interface ReachArgs {
  file: string;
  json: boolean;
  at?: number;
  from?: string[];
  to?: string[];
  ports?: string[];
  seed?: number;
  allowDirs?: string[];
}

/** The glyph of a verdict: ✓ reachable, ✗ blocked, ? no answer (· no cell). */
export const GLYPH: Record<ReachVerdict, string> = { reachable: '✓', blocked: '✗', 'no-answer': '?' };

export async function reachCommand(args: ReachArgs, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
  const out = (s: string): void => stdout(args.json ? s : printable(s));
  const err = (s: string): void => stderr(printable(s));
  const script = openScript('reach', args.file, args.allowDirs ?? [], err);
  if (!script) return 2;
  let result: ReachResult;
  try {
    result = await reach(script.text, { at: args.at, from: args.from, to: args.to, ports: args.ports, seed: args.seed, readFile: script.readFile });
  } catch (e) {
    if (e instanceof RangeError) {
      err(`packet-path reach: ${e.message}`);
      return 2;
    }
    throw e;
  }
  for (const w of result.warnings) err(`packet-path reach: ${w}`);
  out(args.json ? JSON.stringify(result, null, 2) : formatMatrix(result));
  return 0;
}

/**
 * The matrix on a terminal: one block per port, sources down, targets across (numbered, with a key),
 * a glyph per cell; then every blocked cell with its hop, rule and line.
 */
export function formatMatrix(r: ReachResult): string {
  const lines: string[] = [];
  lines.push(`Reachability at line ${r.at}: ${r.cells.length} probes in ${r.stats.ms} ms   ✓ reachable  ✗ blocked  ? no answer  · not probed`);
  lines.push('');
  lines.push('Targets:');
  r.destinations.forEach((d, i) => lines.push(`  ${String(i + 1).padStart(3)}  ${d.name}${d.by === 'address' ? ` (${d.of})` : ''}`));
  const byKey = new Map<string, ReachCell>();
  for (const c of r.cells) byKey.set(`${c.from}\u0000${c.to}\u0000${c.port}`, c);
  const width = Math.max(6, ...r.sources.map((s) => s.name.length));
  for (const port of r.ports) {
    lines.push('');
    lines.push(`${port}`);
    lines.push(`${' '.repeat(width)}  ${r.destinations.map((_, i) => String(i + 1).padStart(3)).join('')}`);
    for (const s of r.sources) {
      const row = r.destinations.map((d) => {
        const c = byKey.get(`${s.name}\u0000${d.name}\u0000${port}`);
        return `  ${c ? GLYPH[c.result] : '·'}`;
      });
      lines.push(`${s.name.padEnd(width)}  ${row.join('')}`);
    }
  }
  const blocked = r.cells.filter((c) => c.result === 'blocked');
  if (blocked.length) {
    lines.push('');
    lines.push('Blocked:');
    for (const c of blocked) lines.push(`  ${c.from} → ${c.to} ${c.port}: ${c.detail}${c.line !== undefined ? ` (line ${c.line})` : ''}`);
  }
  return lines.join('\n');
}

export interface DiffArgs {
  a: string;
  b: string;
  json: boolean;
  seed?: number;
  allowDirs?: string[];
}

export async function diffCommand(args: DiffArgs, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
  const out = (s: string): void => stdout(args.json ? s : printable(s));
  const err = (s: string): void => stderr(printable(s));
  const a = openScript('diff', args.a, args.allowDirs ?? [], err);
  if (!a) return 2;
  const b = openScript('diff', args.b, args.allowDirs ?? [], err);
  if (!b) return 2;
  const result = await diffScripts(a.text, b.text, { seed: args.seed, readFileA: a.readFile, readFileB: b.readFile });
  out(args.json ? JSON.stringify(result, null, 2) : formatDiff(result, args.a, args.b));
  // Like diff(1): 0 when nothing changed, 1 when something did.
  return result.cells.length || result.steps.length || result.expectations.length ? 1 : 0;
}

export function formatDiff(d: DiffResult, a: string, b: string): string {
  const lines: string[] = [`--- ${a}`, `+++ ${b}`];
  if (!d.cells.length && !d.steps.length && !d.expectations.length) return [...lines, 'No change in behaviour.'].join('\n');
  if (d.steps.length) {
    lines.push('', 'Steps:');
    for (const s of d.steps) {
      const where = `${s.a ? `line ${s.a.line}` : '—'} → ${s.b ? `line ${s.b.line}` : '—'}`;
      const verdict = (x: typeof s.a) => (x ? (x.ok ? 'ok' : 'failed') : 'absent');
      lines.push(`  ${s.change.padEnd(7)} ${s.command}  (${where}: ${verdict(s.a)} → ${verdict(s.b)})`);
      if (s.diverges) lines.push(`          paths part at hop ${s.diverges.hop + 1} of packet ${s.diverges.packet + 1}: ${hopText(s.diverges.a)} | ${hopText(s.diverges.b)}`);
    }
  }
  if (d.expectations.length) {
    lines.push('', 'Expectations:');
    for (const e of d.expectations) lines.push(`  line ${e.line.a ?? '—'} → ${e.line.b ?? '—'}: ${held(e.a)} → ${held(e.b)}`);
  }
  if (d.cells.length) {
    lines.push('', 'Matrix cells:');
    for (const c of d.cells) {
      lines.push(`  ${c.from} → ${c.to} ${c.port}: ${c.a ? `${GLYPH[c.a.result]} ${c.a.result}` : '· absent'} → ${c.b ? `${GLYPH[c.b.result]} ${c.b.result}` : '· absent'}`);
      if (c.b && c.b.result !== 'reachable') lines.push(`      now: ${c.b.detail}${c.b.line !== undefined ? ` (line ${c.b.line})` : ''}`);
      else if (c.a && c.a.result !== 'reachable') lines.push(`      was: ${c.a.detail}${c.a.line !== undefined ? ` (line ${c.a.line})` : ''}`);
      if (c.diverges) lines.push(`      paths part at hop ${c.diverges.hop + 1} of packet ${c.diverges.packet + 1}: ${hopText(c.diverges.a)} | ${hopText(c.diverges.b)}`);
    }
  }
  return lines.join('\n');
}

function held(x: boolean | undefined): string {
  return x === undefined ? 'absent' : x ? 'held' : 'failed';
}

function hopText(h: { host: string; at: string; stage: string; action: string; rule: string | null } | null): string {
  return h ? `${h.host}, ${h.at}: ${h.stage} ${h.action}${h.rule ? ` (${h.rule})` : ''}` : '(path ended)';
}
