/** `packet-path bench [--json] [--quick] [--only NAME] [--impl wasm|reference] [--compare OLD.json] [--clock wall|cpu]` */
import { readFile } from 'node:fs/promises';
import { arch, cpus } from 'node:os';
import { loadWasmCore } from '../engine/load-node.js';
import { RefCore } from '../engine/reference/index.js';
import { runBench, formatTable } from '../bench/runner.js';
import { compareResults, parseBenchDocument, type BenchDocument } from '../bench/compare.js';
import { allWorkloads } from '../bench/workloads/index.js';

export interface BenchArgs {
  json: boolean;
  quick: boolean;
  only?: string;
  impl?: 'wasm' | 'reference';
  /** A previous `bench --json` output: each result gets its ratio to it. */
  compare?: string;
  /** What a run's duration is measured in: wall time (default), or this process's CPU time, which
   *  leaves out the time the process waited for a core on a machine busy with other work. */
  clock?: 'wall' | 'cpu';
}

/** This process's user + system CPU time in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function benchCommand(args: BenchArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let workloads = allWorkloads({ quick: args.quick });
  if (args.only) {
    const names = args.only.split(',');
    workloads = workloads.filter((w) => names.includes(w.name) || names.includes(w.stage));
    if (workloads.length === 0) {
      err(`packet-path bench: no workload named ${args.only}`);
      return 2;
    }
  }
  let old: BenchDocument | undefined;
  if (args.compare) {
    try {
      old = parseBenchDocument(await readFile(args.compare, 'utf8'));
    } catch (e) {
      err(`packet-path bench: cannot read ${args.compare}: ${(e as Error).message}`);
      return 2;
    }
  }
  const isTty = !!process.stderr.isTTY;
  const measured = await runBench(workloads, {
    runs: 5,
    runMs: args.quick ? 40 : 300,
    warmupMs: args.quick ? 20 : 150,
    impls: args.impl ? [args.impl] : ['wasm', 'reference'],
    createCore: async (kind) => (kind === 'wasm' ? loadWasmCore({ traceCapacity: 0 }) : new RefCore({ traceCapacity: 0 })),
    progress: (line) => err(isTty ? `\r\x1b[K${line}` : line),
    now: args.clock === 'cpu' ? cpuMs : undefined,
  });
  if (isTty) err('\r\x1b[K');
  const results = old ? compareResults(measured, old.results) : measured;
  const cpu = cpus()[0]?.model ?? 'unknown';
  if (args.json) {
    out(JSON.stringify({ node: process.version, cpu: `${cpu} (${cpus().length} cores, ${arch()})`, clock: args.clock ?? 'wall', results }, null, 2));
  } else {
    out(`Packet Path data-plane bench — node ${process.version}, ${cpu}, batch sizes as listed, one thread, ${args.clock === 'cpu' ? 'process CPU time' : 'wall time'}`);
    out(formatTable(results));
  }
  return 0;
}
