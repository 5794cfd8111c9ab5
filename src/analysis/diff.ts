/**
 * What changed between two scripts' behaviour (`packet-path diff A B`, the playground's "compare with
 * the last run"): the steps whose verdict or output changed, the expectations that flipped, the
 * reachability cells whose result changed, and for each changed path the first hop where the two
 * walks part.
 */
import type { Hop, RunResult, Step, Trace } from '../result.js';
import type { FileAnswer } from '../model/files.js';
import type { CoreFactory } from '../run.js';
import { openWorld, planReach, reachCells, probe, type ReachWorld } from './reach.js';
import type { CellChange, DiffResult, Divergence, ReachCell, StepChange } from './types.js';

export interface DiffOptions {
  seed?: number;
  readFileA?: (path: string) => FileAnswer;
  readFileB?: (path: string) => FileAnswer;
  createCore?: CoreFactory;
  /** Ports of the matrices (default: each side's defaults plus published ports, joined). */
  ports?: string[];
}

/** Runs both scripts, both matrices, and compares them. */
export async function diffScripts(a: string, b: string, opts: DiffOptions = {}): Promise<DiffResult> {
  const wa = await openWorld(a, { seed: opts.seed, readFile: opts.readFileA, createCore: opts.createCore, trace: true });
  const wb = await openWorld(b, { seed: opts.seed, readFile: opts.readFileB, createCore: opts.createCore, trace: true });
  return diffWorlds(wa, wb, opts.ports);
}

/** Compares two opened worlds (their runs and their matrices over the same ports). */
export function diffWorlds(wa: ReachWorld, wb: ReachWorld, ports?: string[]): DiffResult {
  const steps = diffSteps(wa.result, wb.result);
  const pa = planReach(wa, ports ? { ports } : {});
  const pb = planReach(wb, ports ? { ports } : {});
  const joined = ports ?? [...new Set([...pa.ports, ...pb.ports])];
  const ca = [...reachCells(wa, ports ? pa : planReach(wa, { ports: joined }))];
  const cb = [...reachCells(wb, ports ? pb : planReach(wb, { ports: joined }))];
  const cells = diffCells(ca, cb, wa, wb);
  const expectations = diffExpectations(wa.result, wb.result, steps.pairs);
  return { version: 1, cells, steps: steps.changes, expectations };
}

type Pair = [number | null, number | null];

/**
 * Pairs the steps of two runs by command text, in order: each step of A takes the next step of B with
 * the same command after the last one paired (linear in the scripts' length).
 */
export function pairSteps(a: Step[], b: Step[]): Pair[] {
  const where = new Map<string, number[]>();
  b.forEach((s, j) => {
    const k = key(s);
    const l = where.get(k);
    if (l) l.push(j);
    else where.set(k, [j]);
  });
  const used = new Map<string, number>();
  const pairs: Pair[] = [];
  let last = -1;
  for (let i = 0; i < a.length; i++) {
    const k = key(a[i]);
    const list = where.get(k) ?? [];
    let p = used.get(k) ?? 0;
    while (p < list.length && list[p] <= last) p++;
    if (p < list.length) {
      for (let j = last + 1; j < list[p]; j++) pairs.push([null, j]);
      pairs.push([i, list[p]]);
      last = list[p];
      used.set(k, p + 1);
    } else {
      pairs.push([i, null]);
    }
  }
  for (let j = last + 1; j < b.length; j++) pairs.push([null, j]);
  return pairs;
}

function key(s: Step): string {
  return `${s.host}\u0000${s.command.trim().replace(/^expect(-fail)?\s+/, '')}`;
}

function stepView(s: Step | undefined): StepChange['a'] {
  return s ? { line: s.line, ok: s.ok, output: s.output, error: s.error } : null;
}

function diffSteps(ra: RunResult, rb: RunResult): { changes: StepChange[]; pairs: Pair[] } {
  const pairs = pairSteps(ra.steps, rb.steps);
  const changes: StepChange[] = [];
  for (const [i, j] of pairs) {
    const sa = i === null ? undefined : ra.steps[i];
    const sb = j === null ? undefined : rb.steps[j];
    const command = (sa ?? sb)!.command;
    if (!sa || !sb) {
      changes.push({ command, a: stepView(sa), b: stepView(sb), change: sa ? 'removed' : 'added' });
      continue;
    }
    const change = sa.ok !== sb.ok ? 'verdict' : sa.output !== sb.output || sa.error !== sb.error ? 'output' : null;
    if (!change) continue;
    const c: StepChange = { command, a: stepView(sa), b: stepView(sb), change };
    const d = divergence(sa.traces, sb.traces);
    if (d) c.diverges = d;
    changes.push(c);
  }
  return { changes, pairs };
}

function diffExpectations(ra: RunResult, rb: RunResult, pairs: Pair[]): DiffResult['expectations'] {
  const ea = new Map(ra.expectations.map((e) => [e.line, e.ok]));
  const eb = new Map(rb.expectations.map((e) => [e.line, e.ok]));
  const out: DiffResult['expectations'] = [];
  for (const [i, j] of pairs) {
    const la = i === null ? undefined : ra.steps[i].line;
    const lb = j === null ? undefined : rb.steps[j].line;
    const a = la === undefined ? undefined : ea.get(la);
    const b = lb === undefined ? undefined : eb.get(lb);
    if (a === b) continue;
    out.push({ line: { a: a === undefined ? undefined : la, b: b === undefined ? undefined : lb }, a, b });
  }
  return out;
}

const cellKey = (c: ReachCell): string => `${c.from}\u0000${c.to}\u0000${c.port}`;

function cellView(c: ReachCell | undefined): CellChange['a'] {
  if (!c) return null;
  const v: NonNullable<CellChange['a']> = { result: c.result, answer: c.answer, address: c.address, detail: c.detail };
  if (c.line !== undefined) v.line = c.line;
  return v;
}

function diffCells(ca: ReachCell[], cb: ReachCell[], wa: ReachWorld, wb: ReachWorld): CellChange[] {
  const mb = new Map(cb.map((c) => [cellKey(c), c]));
  const seen = new Set<string>();
  const out: CellChange[] = [];
  const push = (a: ReachCell | undefined, b: ReachCell | undefined): void => {
    const c = (a ?? b)!;
    const change: CellChange = { from: c.from, to: c.to, port: c.port, a: cellView(a), b: cellView(b) };
    if (a && b) {
      // Probe both again with their packets to find where the two paths part.
      const req = { from: c.from, to: c.to, port: c.port };
      const d = divergence(probe(wa, req).traces ?? [], probe(wb, req).traces ?? []);
      if (d) change.diverges = d;
    }
    out.push(change);
  };
  for (const a of ca) {
    const k = cellKey(a);
    seen.add(k);
    const b = mb.get(k);
    if (!b || b.result !== a.result || b.answer !== a.answer) push(a, b);
  }
  for (const b of cb) if (!seen.has(cellKey(b))) push(undefined, b);
  return out;
}

/** The first hop where two walks differ: packets in order, hops compared by place, stage, action and rule. */
export function divergence(ta: Trace[], tb: Trace[]): Divergence | null {
  const pa = ta.flatMap((t) => t.packets);
  const pb = tb.flatMap((t) => t.packets);
  const n = Math.max(pa.length, pb.length);
  for (let k = 0; k < n; k++) {
    const ha = pa[k]?.hops ?? [];
    const hb = pb[k]?.hops ?? [];
    const m = Math.max(ha.length, hb.length);
    for (let i = 0; i < m; i++) {
      if (!sameHop(ha[i], hb[i])) return { packet: k, hop: i, a: withLine(ha[i]), b: withLine(hb[i]) };
    }
  }
  return null;
}

function sameHop(a: Hop | undefined, b: Hop | undefined): boolean {
  if (!a || !b) return a === b;
  return a.host === b.host && a.at === b.at && a.stage === b.stage && a.action === b.action && a.rule === b.rule;
}

function withLine(h: Hop | undefined): Divergence['a'] {
  if (!h) return null;
  return h.sourceLine !== undefined ? { ...h, line: h.sourceLine } : { ...h };
}
