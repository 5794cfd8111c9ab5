/**
 * Comparing two runs without running anything (the page compares the last run with this one; the
 * CLI's diff adds the matrices): steps paired by command, what changed in them, the expectations
 * that flipped, matrix cells that changed, and where two walks part. Pure functions over results.
 */
import type { Hop, RunResult, Step, Trace } from '../result.js';
import type { CellChange, DiffResult, Divergence, ReachCell, StepChange } from './types.js';

/** Indices of a step in A and in B (null: that side has no such step). */
export type Pair = [number | null, number | null];

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

export function diffSteps(ra: RunResult, rb: RunResult): { changes: StepChange[]; pairs: Pair[] } {
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

export function diffExpectations(ra: RunResult, rb: RunResult, pairs: Pair[]): DiffResult['expectations'] {
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

export const cellKey = (c: Pick<ReachCell, 'from' | 'to' | 'port'>): string => `${c.from}\u0000${c.to}\u0000${c.port}`;

function cellView(c: ReachCell | undefined): CellChange['a'] {
  if (!c) return null;
  const v: NonNullable<CellChange['a']> = { result: c.result, answer: c.answer, address: c.address, detail: c.detail };
  if (c.line !== undefined) v.line = c.line;
  return v;
}

/**
 * Cells (same from, to, port) whose result or answer differs, and cells only one side has. `paths`,
 * when given, probes a changed cell on both sides with its packets, for where the paths part.
 */
export function diffCells(ca: ReachCell[], cb: ReachCell[], paths?: (from: string, to: string, port: string) => { a: Trace[]; b: Trace[] }): CellChange[] {
  const mb = new Map(cb.map((c) => [cellKey(c), c]));
  const seen = new Set<string>();
  const out: CellChange[] = [];
  const push = (a: ReachCell | undefined, b: ReachCell | undefined): void => {
    const c = (a ?? b)!;
    const change: CellChange = { from: c.from, to: c.to, port: c.port, a: cellView(a), b: cellView(b) };
    if (a && b && paths) {
      const t = paths(c.from, c.to, c.port);
      const d = divergence(t.a, t.b);
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

/** The steps and expectations that changed between two runs. */
export function compareRuns(ra: RunResult, rb: RunResult): Pick<DiffResult, 'steps' | 'expectations'> {
  const s = diffSteps(ra, rb);
  return { steps: s.changes, expectations: diffExpectations(ra, rb, s.pairs) };
}
