/**
 * `why(text, options)`: why a line failed — a failed expectation, a failed step, or a probe from A
 * to B — in plain words, from the symptom back to the line or missing step that made the state,
 * with the evidence (the step's error, the hop and rule that dropped a packet, the line that made
 * that rule) and fixes. Each fix is a script edit that was applied to a copy of the script and
 * re-run: only fixes that make the line pass and break no expectation that held are offered.
 */
import { runScript, type RunScriptOptions } from '../run.js';
import type { RunResult, Step } from '../result.js';
import { parseScript } from '../script/parser.js';
import type { Command } from '../script/ast.js';
import { createWorld, execute } from '../model/index.js';
import type { World } from '../model/types.js';
import { DROP_REASONS } from '../engine/drops.js';
import { SIM_DROPS } from '../sim/sim-drops.js';
import { applyEdits, judge, lineMap, linePasses, scriptLines, type ScriptEdit } from './fixes.js';
import { consult, type Cause, type Drop, type Evidence, type Situation } from './knowledge/index.js';

export type { ScriptEdit } from './fixes.js';
export type { Cause, Evidence } from './knowledge/index.js';

/** A probe: is `port` of `to` reachable from `from` (a container, host or client name)? */
export interface WhyProbe {
  from: string;
  to: string;
  /** `icmp` or `tcp/N`. */
  port: string;
}

export interface WhyOptions extends Pick<RunScriptOptions, 'seed' | 'files' | 'readFile' | 'createCore'> {
  /** The line to explain (default: the first expectation that did not hold, else the first failed step). */
  line?: number;
  /** Explain a probe instead, appended at the end of the script. */
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
  /** The failing line explained, or null when nothing failed. */
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
  /** The probe's lines, appended to the script to run it (a probe's edits refer to the script with them). */
  probeLines?: string[];
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
    .map((packet) => ({ reason: reasonName(packet.dropReason), text: packet.dropReason, packet, hop: packet.hops.at(-1) ?? null }));
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

/** The lines that run a probe from `from` to `to` at the end of a script (null: an endpoint is unknown). */
export function probeLines(world: World, probe: WhyProbe): string[] | string {
  const m = /^(icmp|tcp\/(\d+))$/i.exec(probe.port);
  if (!m) return `--port takes icmp or tcp/N, not ${probe.port}`;
  const host = world.hosts.find((h) => h.name === probe.from);
  const fromContainer = world.hosts.some((h) => h.containers.some((c) => c.name === probe.from));
  // A container's name resolves only inside its networks: from a host or a client, its address.
  const target = world.hosts.flatMap((h) => h.containers.filter((c) => c.name === probe.to).map((c) => h.endpoints.find((e) => e.containerId === c.id)?.ip))[0];
  const to = !fromContainer && target ? target : probe.to;
  const tool = m[2] ? `curl http://${to}:${m[2]}/` : `ping ${to}`;
  if (host) return [`host ${host.name}`, `expect ${tool}`];
  const withContainer = fromContainer && world.hosts.find((h) => h.containers.some((c) => c.name === probe.from));
  if (withContainer) return [`host ${withContainer.name}`, `expect docker exec ${probe.from} ${tool}`];
  if (world.clients.some((c) => c.name === probe.from)) return [`expect client ${probe.from} ${tool}`];
  return `no host, container or client is named ${probe.from}`;
}

const empty = (status: 'passed' | 'invalid', message: string, extra: Partial<WhyResult> = {}): WhyResult =>
  ({ version: 1, status, target: null, causes: [], evidence: [], fixes: [], rejected: [], rule: null, message, ...extra });

/** Explains why a line (or a probe) failed and offers the fixes that a re-run verified. */
export async function why(text: string, options: WhyOptions = {}): Promise<WhyResult> {
  const runOpts = { seed: options.seed, files: options.files, readFile: options.readFile, createCore: options.createCore };
  let script = text;
  let line = options.line;
  let probe: string[] | undefined;
  if (options.probe) {
    const parsed = parseScript(text);
    const lines = probeLines(worldBefore(parsed.commands, Number.MAX_SAFE_INTEGER, options), options.probe);
    if (typeof lines === 'string') return empty('invalid', lines);
    probe = lines;
    const base = scriptLines(text);
    script = [...base, ...lines].join('\n');
    line = base.length + lines.length;
  }
  const run = await runScript(script, { ...runOpts, trace: true });
  const target = chooseTarget(run, line);
  if ('message' in target) {
    const reached = probe && linePasses(run, line!);
    return empty(target.status, reached ? `${options.probe!.to} is reachable from ${options.probe!.from} (${options.probe!.port})` : target.message, probe ? { probeLines: probe } : {});
  }
  const { step, kind } = target;
  const parsed = parseScript(script);
  const lines = scriptLines(script);
  const world = worldBefore(parsed.commands, step.line, options);
  const cmd = parsed.commands.find((c) => c.line === step.line);
  const situation: Situation = {
    lines, line: step.line, cmd, commands: parsed.commands, run, step, world,
    host: world.hosts.find((h) => h.name === step.host), drops: dropsOf(step),
  };
  const answer = step.rejected
    ? { rule: { id: 'rejected-line' }, finding: { causes: [{ id: 'rejected-line', text: `The line is not a command Packet Path (or the real tool) accepts: ${(step.error ?? '').split('\n')[0]}`, line: step.line, source: 'docs/behaviour.md "Lines the parser rejects"' }], evidence: [], fixes: [] } }
    : consult(situation);
  const result: WhyResult = {
    version: 1,
    status: 'explained',
    target: { line: step.line, command: step.command, kind: probe ? 'probe' : kind, symptom: symptomOf(step, run) },
    causes: answer?.finding.causes ?? [{ id: 'unknown', text: 'The knowledge base has no entry for this failure; the evidence below is what the run shows.', line: step.line, source: '—' }],
    evidence: answer?.finding.evidence ?? [{ kind: 'step', line: step.line, text: symptomOf(step, run) }],
    fixes: [],
    rejected: [],
    rule: answer?.rule.id ?? null,
  };
  if (probe) result.probeLines = probe;
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 20_000;
  const candidates = answer?.finding.fixes ?? [];
  for (const [i, c] of candidates.entries()) {
    if (i >= (options.maxCandidates ?? 6) || Date.now() - started > budgetMs) {
      result.rejected.push({ ...c, reason: 'not re-run: the verification budget ran out' });
      continue;
    }
    const v = await verify(script, run, lines.length, c.edits, step.line, runOpts);
    if (v.verified) result.fixes.push({ title: c.title, edits: c.edits, verified: true });
    else result.rejected.push({ ...c, reason: v.reason ?? 'not verified' });
  }
  return result;
}

/**
 * Re-runs the edited script and judges it. The run stops as soon as the symptom's line fails again
 * (the fix is then refused, and nothing after that line can change the verdict).
 */
async function verify(text: string, before: RunResult, lineCount: number, edits: readonly ScriptEdit[], symptomLine: number, runOpts: Pick<RunScriptOptions, 'seed' | 'files' | 'readFile' | 'createCore'>) {
  const edited = applyEdits(text, edits);
  let stop = false;
  const mapped = lineMap(lineCount, edits)(symptomLine);
  const after = await runScript(edited, {
    ...runOpts, trace: false,
    cancelled: () => stop,
    onStep: (s) => {
      if (s.line === mapped && !s.ok && !isExpectFail(edited, mapped)) stop = true;
    },
  });
  return judge(before, after, lineCount, edits, symptomLine);
}

function isExpectFail(text: string, line: number): boolean {
  return /^\s*expect-fail\b/.test(scriptLines(text)[line - 1] ?? '');
}
