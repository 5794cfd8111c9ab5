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
}

import type { Diagnostic, HostInfo, Step } from './result.js';
import { parseScript } from './script/parser.js';
import { createWorld, execute, resolveName } from './model/index.js';
import type { World } from './model/types.js';
import type { FileAnswer } from './model/files.js';
import { SimSession } from './sim/session.js';
import { runTraffic, resetTrafficCounters } from './sim/traffic.js';
import { runFlood } from './sim/flood.js';
import { worldSnapshot } from './sim/snapshot.js';
import type { PacketCore } from './engine/core.js';

/** Creates a data-plane core; Node and browser supply their own (see src/engine/load-node.ts, load-web.ts). */
export type CoreFactory = () => Promise<PacketCore>;

let defaultFactory: CoreFactory | null = null;

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
}

function hostsOf(world: World): HostInfo[] {
  return world.hosts.map((h) => ({ name: h.name, os: h.os, nics: h.nics.map((n) => ({ name: n.name, ip: n.ip ?? '', mac: n.mac })) }));
}

/**
 * Runs a script: each command against the model (state, output, errors), traffic through the data
 * planes. A line with a parse error is skipped (its diagnostic says why); the lines around it run.
 */
export async function runScript(text: string, options: RunScriptOptions = {}): Promise<import('./result.js').RunResult> {
  const createCore = options.createCore ?? defaultFactory;
  if (!createCore) throw new Error('runScript needs options.createCore (or setDefaultCoreFactory) to load the data plane');
  const script = parseScript(text);
  const diagnostics: Diagnostic[] = [...script.diagnostics];
  let world = createWorld({ seed: options.seed ?? 1 });
  const sim = new SimSession(world, createCore, resolveName);
  sim.capturing = !!options.capture;
  resetTrafficCounters();
  const steps: Step[] = [];
  const expectations: import('./result.js').Expectation[] = [];
  const snapshots: import('./result.js').WorldSnapshot[] = [];
  for (const cmd of script.commands) {
    if (options.cancelled?.()) break;
    const outcome = execute(world, cmd, options.readFile ?? options.files ?? {});
    let ok = outcome.ok;
    let output = outcome.output;
    let error = outcome.error;
    let traces: Step['traces'] = [];
    if (ok && outcome.traffic) {
      try {
        await sim.sync(world);
        const t = outcome.traffic.tool === 'flood'
          ? await runFlood(sim, outcome.traffic, { cancelled: options.cancelled, onProgress: (f) => options.onProgress?.(f, cmd.line) })
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
    const host = world.current || world.hosts[0]?.name || '';
    const step: Step = { line: cmd.line, host, command: cmd.text, ok, output, error, warnings: outcome.warnings, traces };
    steps.push(step);
    for (const w of outcome.warnings) diagnostics.push({ line: cmd.line, column: 1, length: cmd.text.length, severity: 'warning', message: w, code: 'runtime-warning' });
    if (cmd.expect) {
      const held = cmd.expect === 'expect' ? ok : !ok;
      expectations.push(held ? { line: cmd.line, ok: true } : { line: cmd.line, ok: false, message: cmd.expect === 'expect' ? `the command failed${error ? `: ${firstLine(error)}` : ''}` : 'the command succeeded' });
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
  return result;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
