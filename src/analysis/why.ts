/**
 * `why(text, options)`: why a line failed — a failed expectation, a failed step, or a probe from A
 * to B — in plain words, from the symptom back to the line or missing step that made the state,
 * with the evidence (the step's error, the hop and rule that dropped a packet, the line that made
 * that rule) and fixes. Each fix is a script edit that was applied to a copy of the script and
 * re-run: only fixes that make the line pass and break no expectation that held are offered.
 */
import { runScript, type RunScriptOptions } from '../run.js';
import type { PacketTrace, RunResult, Step } from '../result.js';
import { parseScript } from '../script/parser.js';
import type { Command } from '../script/ast.js';
import { createWorld, execute } from '../model/index.js';
import type { World } from '../model/types.js';
import { DROP_REASONS } from '../engine/drops.js';
import { SIM_DROPS } from '../sim/sim-drops.js';
import { applyEdits, judge, lineMap, scriptLines, verdict, type ScriptEdit, type Verification } from './fixes.js';
import { consult, type Candidate, type Cause, type Drop, type Evidence, type Situation } from './knowledge/index.js';
import { openWorld, parsePort, probe as runProbe, type ProbeRequest } from './reach.js';
import type { ReachCell } from './types.js';

export type { ScriptEdit } from './fixes.js';
export type { Cause, Evidence } from './knowledge/index.js';

/** A probe of the reachability matrix (src/analysis/reach.ts): `from` a source, `to` a target, on `port` (`icmp`, `tcp/N`, `udp/N`). */
export type WhyProbe = ProbeRequest;

export interface WhyOptions extends Pick<RunScriptOptions, 'seed' | 'files' | 'readFile' | 'createCore' | 'cancelled'> {
  /** The line to explain (default: the first expectation that did not hold, else the first failed step). */
  line?: number;
  /** Explain a probe on the world as the script leaves it, instead of a line. */
  probe?: WhyProbe;
  /** At most this many candidate fixes are re-run (default 6). */
  maxCandidates?: number;
  /** Stop verifying after this many milliseconds (default 20,000); the remaining candidates are reported unverified. */
  budgetMs?: number;
}

export interface WhyFix {
  title: string;
  edits: ScriptEdit[];
  /** Always true: only verified fixes are offered. */
  verified: true;
}

export interface WhyRejectedFix {
  title: string;
  edits: ScriptEdit[];
  /** Why it is not offered (the line still fails, it breaks an expectation, the budget ran out). */
  reason: string;
}

export interface WhyResult {
  version: 1;
  /** `explained`: a failing line with its causes; `passed`: nothing failed there; `invalid`: the request names no line or endpoint. */
  status: 'explained' | 'passed' | 'invalid';
  /** The failing line explained (a probe: one past the last line, `command` the tool it is like), or null when nothing failed. */
  target: { line: number; command: string; kind: 'expectation' | 'step' | 'probe'; symptom: string } | null;
  /** From the symptom back to the root cause (the last is the root). */
  causes: Cause[];
  evidence: Evidence[];
  /** Fixes verified by re-running the edited script. */
  fixes: WhyFix[];
  /** Candidate fixes that did not pass the re-run. */
  rejected: WhyRejectedFix[];
  /** The knowledge-base entry that answered, or null. */
  rule: string | null;
  /** Set when there is nothing to explain, or the request cannot be answered. */
  message?: string;
  /** The probe's cell (reach), without its traces. */
  probe?: Omit<ReachCell, 'traces'>;
}

/** Names a drop's typed reason from the text its hop carries. */
function reasonName(text: string | null): string | null {
  if (!text) return null;
  const known = DROP_REASONS.find((d) => d.text === text);
  if (known) return known.name;
  if (text === SIM_DROPS.MAC_SPOOFING_OFF.text) return SIM_DROPS.MAC_SPOOFING_OFF.name;
  if (text === SIM_DROPS.FORWARDING_LOOP.text) return SIM_DROPS.FORWARDING_LOOP.name;
  if (text === SIM_DROPS.ARP_RETRY_FAILED.text) return SIM_DROPS.ARP_RETRY_FAILED.name;
  if (/^next hop \S+ did not answer ARP$/.test(text)) return SIM_DROPS.NO_ARP_REPLY.name;
  return null;
}

function dropsOf(step: Step): Drop[] {
  return step.traces.flatMap((t) => t.packets)
    .filter((p) => p.verdict === 'dropped' || p.verdict === 'timeout')
    .map((packet) => ({ reason: reasonName(packet.dropReason), text: packet.dropReason, packet, hop: dropHop(packet) }));
}

/** The hop that dropped a packet (the last `drop`), else its last hop. */
function dropHop(p: PacketTrace) {
  return [...p.hops].reverse().find((h) => h.action === 'drop') ?? p.hops.at(-1) ?? null;
}

/** The model's world just before `line` (commands replayed without packets). */
function worldBefore(commands: readonly Command[], line: number, options: WhyOptions): World {
  const world = createWorld({ seed: options.seed ?? 1 });
  for (const cmd of commands) {
    if (cmd.line >= line) break;
    execute(world, cmd, options.readFile ?? options.files ?? {});
  }
  return world;
}

type Target = { step: Step; kind: 'expectation' | 'step' } | { message: string; status: 'passed' | 'invalid' };

function chooseTarget(run: RunResult, line: number | undefined): Target {
  if (line !== undefined) {
    const step = run.steps.find((s) => s.line === line);
    if (!step) return { message: `line ${line} runs no command`, status: 'invalid' };
    const exp = run.expectations.find((e) => e.line === line);
    // An expect-fail line asked about by name: its command failed as the script expects, and the
    // question is why it fails (the fixes make the command itself succeed).
    if (exp?.ok && !step.ok) return { step, kind: 'step' };
    if (exp ? exp.ok : step.ok) return { message: `line ${line} did not fail${exp ? ' (its expectation held)' : ''}`, status: 'passed' };
    return { step, kind: exp ? 'expectation' : 'step' };
  }
  const exp = run.expectations.find((e) => !e.ok);
  if (exp) return { step: run.steps.find((s) => s.line === exp.line)!, kind: 'expectation' };
  const expectFail = new Set(run.expectations.map((e) => e.line));
  const step = run.steps.find((s) => !s.ok && !expectFail.has(s.line));
  return step ? { step, kind: 'step' } : { message: 'every step succeeded and every expectation held', status: 'passed' };
}

function symptomOf(step: Step, run: RunResult): string {
  const exp = run.expectations.find((e) => e.line === step.line && !e.ok);
  if (exp?.message === 'the command succeeded') return 'expected to fail, but it succeeded';
  const first = (step.error ?? '').split('\n')[0];
  if (first) return first;
  const loss = /Lost = \d+ \((\d+)% loss\)/.exec(step.output);
  return loss ? `${loss[1]}% of the packets were lost` : exp?.message ?? 'the command failed';
}

/** The tool line a probe is like (the knowledge base reads its target and port), or null (UDP, the internet). */
function probeCommand(world: World, req: WhyProbe, address: string | null): Command | undefined {
  const port = parsePort(req.port);
  if (!port || port.proto === 'udp') return undefined;
  const to = req.to === 'localhost' ? 'localhost' : address ?? req.to;
  const tool = port.proto === 'icmp' ? `ping ${to}` : `curl http://${to}:${port.port}/`;
  const line = world.hosts.some((h) => h.name === req.from) ? tool
    : world.clients.some((c) => c.name === req.from) ? `client ${req.from} ${tool}`
    : world.hosts.some((h) => h.containers.some((c) => c.name === req.from)) ? `docker exec ${req.from} ${tool}` : null;
  return line === null ? undefined : parseScript(line).commands[0];
}

const empty = (status: 'passed' | 'invalid', message: string, extra: Partial<WhyResult> = {}): WhyResult =>
  ({ version: 1, status, target: null, causes: [], evidence: [], fixes: [], rejected: [], rule: null, message, ...extra });

type RunOpts = Pick<RunScriptOptions, 'seed' | 'files' | 'readFile' | 'createCore' | 'cancelled'>;

/** Explains why a line (or a probe) failed and offers the fixes that a re-run verified. */
export async function why(text: string, options: WhyOptions = {}): Promise<WhyResult> {
  const runOpts: RunOpts = { seed: options.seed, files: options.files, readFile: options.readFile, createCore: options.createCore, cancelled: options.cancelled };
  if (options.probe) return whyProbe(text, options.probe, options, runOpts);
  const run = await runScript(text, { ...runOpts, trace: true });
  if (options.cancelled?.()) return empty('invalid', 'stopped before the script ran to its end (cancelled or out of time)');
  const target = chooseTarget(run, options.line);
  if ('message' in target) return empty(target.status, target.message);
  const { step, kind } = target;
  const parsed = parseScript(text);
  const lines = scriptLines(text);
  const world = worldBefore(parsed.commands, step.line, options);
  const situation: Situation = {
    lines, line: step.line, cmd: parsed.commands.find((c) => c.line === step.line), commands: parsed.commands, run, step, world,
    host: world.hosts.find((h) => h.name === step.host), current: step.host, drops: dropsOf(step),
    answer: /\(7\)/.test(step.error ?? '') ? 'refused' : /\(6\) Could not resolve host|could not find host/.test(`${step.error ?? ''}\n${step.output}`) ? 'unresolved' : null,
  };
  return answer(situation, kind, symptomOf(step, run), options, (edits) => verifyLine(text, run, lines.length, edits, step.line, runOpts));
}

/** A probe on the world as the script leaves it: reach's cell, explained like a failed line after the last one. */
async function whyProbe(text: string, req: WhyProbe, options: WhyOptions, runOpts: RunOpts): Promise<WhyResult> {
  if (!parsePort(req.port)) return empty('invalid', `--port takes icmp, tcp/N or udp/N, not ${req.port}`);
  const w = await openWorld(text, runOpts);
  const cell = runProbe(w, req);
  const { traces, ...shown } = cell;
  if (cell.answer === 'no-source') return empty('invalid', cell.detail, { probe: shown });
  if (cell.result === 'reachable') return empty('passed', `${req.to} is reachable from ${req.from} (${cell.port}): ${cell.detail}`, { probe: shown });
  const parsed = parseScript(text);
  const lines = scriptLines(text);
  const cmd = probeCommand(w.world, req, cell.address);
  const line = lines.length + 1;
  const sourceHost = w.world.hosts.find((h) => h.name === req.from || h.containers.some((c) => c.name === req.from));
  const current = w.world.current;
  const step: Step = { line, host: sourceHost?.name ?? current, command: cmd?.text ?? `${req.from} → ${req.to} ${cell.port}`, ok: false, output: '', error: cell.detail, warnings: [], traces: traces ?? [] };
  const situation: Situation = {
    lines, line, cmd, commands: parsed.commands, run: w.result, step, world: w.world,
    host: sourceHost, current, drops: dropsOf(step), answer: cell.answer === 'refused' || cell.answer === 'unresolved' ? cell.answer : null,
  };
  const result = await answer(situation, 'probe', cell.detail, options, (edits) => verifyProbe(text, w.result, lines.length, edits, req, runOpts));
  result.probe = shown;
  return result;
}

/** The knowledge base's answer for a situation, its candidate fixes verified within the budget. */
async function answer(s: Situation, kind: 'expectation' | 'step' | 'probe', symptom: string, options: WhyOptions, verify: (edits: ScriptEdit[]) => Promise<Verification>): Promise<WhyResult> {
  const found = s.step.rejected
    ? { rule: { id: 'rejected-line' }, finding: { causes: [{ id: 'rejected-line', text: `The line is not a command Packet Path (or the real tool) accepts: ${(s.step.error ?? '').split('\n')[0]}`, line: s.line, source: 'docs/behaviour.md "Lines the parser rejects"' }], evidence: [], fixes: [] } }
    : consult(s);
  const result: WhyResult = {
    version: 1,
    status: 'explained',
    target: { line: s.line, command: s.step.command, kind, symptom },
    causes: found?.finding.causes ?? [{ id: 'unknown', text: 'The knowledge base has no entry for this failure; the evidence below is what the run shows.', line: s.line, source: '—' }],
    evidence: found?.finding.evidence ?? [{ kind: 'step', line: s.line, text: symptom }],
    fixes: [],
    rejected: [],
    rule: found?.rule.id ?? null,
  };
  if (kind === 'probe') {
    // A probe has no line of its own: what happened at it is said without one.
    for (const x of [...result.causes, ...result.evidence]) if (x.line === s.line) delete x.line;
  }
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 20_000;
  for (const [i, c] of (found?.finding.fixes ?? []).entries()) {
    const unusable = kind === 'probe' && outsideScript(c, s.lines.length);
    if (unusable) {
      result.rejected.push({ ...c, reason: 'it changes the probe itself, not the script' });
      continue;
    }
    if (i >= (options.maxCandidates ?? 6) || Date.now() - started > budgetMs) {
      result.rejected.push({ ...c, reason: 'not re-run: the verification budget ran out' });
      continue;
    }
    const v = options.cancelled?.() ? null : await verify(c.edits);
    if (!v || options.cancelled?.()) {
      result.rejected.push({ ...c, reason: 'not verified: stopped (cancelled or out of time)' });
      continue;
    }
    if (v.verified) result.fixes.push({ title: c.title, edits: c.edits, verified: true });
    else result.rejected.push({ ...c, reason: v.reason ?? 'not verified' });
  }
  return result;
}

/** A candidate that edits past the script's last line (a probe's own line): only appending is a script edit. */
function outsideScript(c: Candidate, lineCount: number): boolean {
  return c.edits.some((e) => (e.kind === 'insert' ? e.before > lineCount + 1 : e.line > lineCount));
}

/**
 * Re-runs the edited script and judges it. The run stops as soon as the symptom's line fails again
 * (the fix is then refused, and nothing after that line can change the verdict).
 */
async function verifyLine(text: string, before: RunResult, lineCount: number, edits: readonly ScriptEdit[], symptomLine: number, runOpts: RunOpts): Promise<Verification> {
  const edited = applyEdits(text, edits);
  let stop = false;
  const mapped = lineMap(lineCount, edits)(symptomLine);
  const after = await runScript(edited, {
    ...runOpts, trace: false,
    cancelled: () => stop || !!runOpts.cancelled?.(),
    onStep: (s) => {
      if (s.line === mapped && !s.ok && !isExpectFail(edited, mapped)) stop = true;
    },
  });
  return judge(before, after, lineCount, edits, symptomLine, isExpectFail(text, symptomLine) ? 'step' : 'line');
}

/** Runs the edited script and the same probe on the world it leaves. */
async function verifyProbe(text: string, before: RunResult, lineCount: number, edits: readonly ScriptEdit[], req: WhyProbe, runOpts: RunOpts): Promise<Verification> {
  const w = await openWorld(applyEdits(text, edits), runOpts);
  const cell = runProbe(w, req);
  return verdict(cell.result === 'reachable', before, w.result, lineCount, edits, `the probe still fails after the edit: ${cell.detail}`);
}

function isExpectFail(text: string, line: number): boolean {
  return /^\s*expect-fail\b/.test(scriptLines(text)[line - 1] ?? '');
}
