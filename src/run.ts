/**
 * `runScript(text, options)`: runs a Packet Path script and returns the `--json` document of SPEC §5.
 */
import type { RunResult } from './result.js';

export interface RunOptions {
  /** Seed for IDs, MACs and the data plane's hashes (default 1). */
  seed?: number;
  /** Record hop-by-hop traces for traffic commands (default true). */
  trace?: boolean;
  /** Other files the script refers to (compose files), by path as written in the script. */
  files?: Record<string, string>;
  /** Reads a file a command names (instead of `files`): the CLI's resolver decides what may be read. */
  readFile?: (path: string) => FileAnswer;
  /** Collect every frame seen on a simulated wire (for pcap export). */
  capture?: boolean;
  /** Workers of a `flood` that does not say `--workers` (default: the cores, capped; one for a small flood). */
  floodWorkers?: number;
}

import type { Diagnostic, HostInfo, Step } from './result.js';
import { parseScript } from './script/parser.js';
import type { Command, RejectedLine, Script } from './script/ast.js';
import { createWorld, execute, resolveName } from './model/index.js';
import type { World } from './model/types.js';
import type { FileAnswer } from './model/files.js';
import { SimSession } from './sim/session.js';
import { runTraffic, resetTrafficCounters } from './sim/traffic.js';
import { runFlood, warmFloodPool } from './sim/flood.js';
import type { FloodPool } from './sim/flood-shards.js';
import { worldSnapshot } from './sim/world-snapshot.js';
import { renderView } from './sim/diagnostics.js';
import { CommandError } from './model/errors.js';
import type { PacketCore } from './engine/core.js';

/** Creates a data-plane core; Node and browser supply their own (see src/engine/load-node.ts, load-web.ts). */
export type CoreFactory = () => Promise<PacketCore>;

let defaultFactory: CoreFactory | null = null;
let defaultFloodPool: FloodPool | null = null;

/** Sets how floods start workers when options.floodPool is not given (Node: worker threads). */
export function setDefaultFloodPool(p: FloodPool | null): void {
  defaultFloodPool = p;
}

/** Sets the core factory runScript uses when options.createCore is not given. */
export function setDefaultCoreFactory(f: CoreFactory): void {
  defaultFactory = f;
}

export interface RunScriptOptions extends RunOptions {
  createCore?: CoreFactory;
  /** Called after every step (the playground updates as the script runs). */
  onStep?(step: Step, index: number): void;
  /** Checked between steps and inside flood: return true to stop. */
  cancelled?(): boolean;
  /** flood progress, 0..1. */
  onProgress?(fraction: number, line: number): void;
  /** Record the world after every step (RunResult.snapshots) for the playground's views. */
  snapshots?: boolean;
  /** Run the script up to and including this 1-based line only (`packet-path reach --at LINE`). */
  untilLine?: number;
  /** Starts flood workers (null: every flood on this thread). Default: setDefaultFloodPool's. */
  floodPool?: FloodPool | null;
}

/** A finished run with the world and the data planes it left (src/analysis/ probes them). */
export interface ScriptSession {
  result: RunResult;
  world: World;
  sim: SimSession;
}

function hostsOf(world: World): HostInfo[] {
  return world.hosts.map((h) => ({ name: h.name, os: h.os, nics: h.nics.map((n) => ({ name: n.name, ip: n.ip ?? '', mac: n.mac })) }));
}

/** A command to run, or a line the parser rejected, in script order. */
type Entry = { cmd: Command; rejected?: undefined } | { cmd?: undefined; rejected: RejectedLine };

function inScriptOrder(script: Script): Entry[] {
  const entries: Entry[] = [
    ...script.commands.map((cmd) => ({ cmd })),
    ...script.rejected.map((rejected) => ({ rejected })),
  ];
  const at = (e: Entry) => e.cmd?.span ?? e.rejected!.span;
  // Both lists are in order already; a stable sort interleaves them (several statements may share a line).
  return entries.sort((a, b) => at(a).line - at(b).line || at(a).column - at(b).column);
}

/**
 * Runs a script: each command against the model (state, output, errors), traffic through the data
 * planes. A line the parser rejected is a failed step where it stands, with the error the real tool
 * prints (SPEC §5), and the run goes on as a shell would.
 */
export async function runScript(text: string, options: RunScriptOptions = {}): Promise<RunResult> {
  return (await runScriptSession(text, options)).result;
}

/** Runs a script like runScript and keeps the world and its planes as the last line left them. */
export async function runScriptSession(text: string, options: RunScriptOptions = {}): Promise<ScriptSession> {
  const script = parseScript(text);
  // The first big flood's threads start now, while the commands before it run.
  const floods = warmFloodPool(options.floodPool === undefined ? defaultFloodPool : options.floodPool, script.commands, { workers: options.floodWorkers, untilLine: options.untilLine });
  try {
    return await runParsed(script, { ...options, floodPool: floods.pool });
  } finally {
    floods.release();
  }
}

async function runParsed(script: Script, options: RunScriptOptions): Promise<ScriptSession> {
  const createCore = options.createCore ?? defaultFactory;
  if (!createCore) throw new Error('runScript needs options.createCore (or setDefaultCoreFactory) to load the data plane');
  const diagnostics: Diagnostic[] = [...script.diagnostics];
  let world = createWorld({ seed: options.seed ?? 1 });
  const sim = new SimSession(world, createCore, resolveName);
  sim.capturing = !!options.capture;
  resetTrafficCounters();
  const steps: Step[] = [];
  const expectations: import('./result.js').Expectation[] = [];
  const snapshots: import('./result.js').WorldSnapshot[] = [];
  for (const entry of inScriptOrder(script)) {
    if (options.cancelled?.()) break;
    if (options.untilLine !== undefined && (entry.cmd?.span ?? entry.rejected!.span).line > options.untilLine) break;
    const host = () => world.current || world.hosts[0]?.name || '';
    let step: Step;
    let expect: Command['expect'];
    if (entry.rejected) {
      const r = entry.rejected;
      step = { line: r.line, host: host(), command: r.text, ok: false, output: '', error: r.error, warnings: [], traces: [], rejected: true };
      expect = r.expect;
    } else {
      const cmd = entry.cmd;
      const outcome = execute(world, cmd, options.readFile ?? options.files ?? {});
      let ok = outcome.ok;
      let output = outcome.output;
      let error = outcome.error;
      let traces: Step['traces'] = [];
      if (ok && outcome.traffic) {
        try {
          await sim.sync(world);
          const t = outcome.traffic.tool === 'flood'
            ? await runFlood(sim, outcome.traffic, {
              cancelled: options.cancelled,
              onProgress: (f) => options.onProgress?.(f, cmd.line),
              pool: options.floodPool === undefined ? defaultFloodPool : options.floodPool,
              workers: options.floodWorkers,
            })
            : runTraffic(sim, outcome.traffic);
          ok = t.ok;
          output = t.output;
          error = t.error;
          traces = options.trace === false ? [] : t.traces;
        } catch (e) {
          // Nothing a user types may crash a run: the step fails with the reason, the run goes on.
          ok = false;
          output = '';
          error = `packet-path: this command could not be simulated: ${(e as Error).message}`;
        }
      }
      if (ok && outcome.view) {
        // A diagnostic the planes answer (route print, arp -a, vfpctrl): read after they are in step.
        try {
          await sim.sync(world);
          output = renderView(sim, world, outcome.view);
        } catch (e) {
          ok = false;
          output = '';
          error = e instanceof CommandError ? e.message : `packet-path: this command could not be simulated: ${(e as Error).message}`;
        }
      }
      step = { line: cmd.line, host: host(), command: cmd.text, ok, output, error, warnings: outcome.warnings, traces };
      for (const w of outcome.warnings) diagnostics.push({ line: cmd.line, column: 1, length: cmd.text.length, severity: 'warning', message: w, code: 'runtime-warning' });
      expect = cmd.expect;
    }
    steps.push(step);
    if (expect) {
      // A rejected line failed, so `expect-fail` holds for it; the run still exits 2 (SPEC §5).
      const held = expect === 'expect' ? step.ok : !step.ok;
      expectations.push(held ? { line: step.line, ok: true } : { line: step.line, ok: false, message: expect === 'expect' ? `the command failed${step.error ? `: ${firstLine(step.error)}` : ''}` : 'the command succeeded' });
    }
    if (options.snapshots) {
      try {
        await sim.sync(world);
        snapshots.push(worldSnapshot(sim, world, steps.length - 1));
      } catch {
        snapshots.push(snapshots.at(-1) ?? worldSnapshot(sim, world, steps.length - 1));
      }
    }
    options.onStep?.(step, steps.length - 1);
  }
  await sim.sync(world).catch(() => undefined);
  const result: import('./result.js').RunResult = { version: 1, hosts: hostsOf(world), steps, expectations, diagnostics };
  if (options.snapshots) result.snapshots = snapshots;
  return { result, world, sim };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
