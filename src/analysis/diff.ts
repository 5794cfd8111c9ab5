/**
 * What changed between two scripts' behaviour (`packet-path diff A B`, the playground's "compare with
 * the last run"): the steps whose verdict or output changed, the expectations that flipped, the
 * reachability cells whose result changed, and for each changed path the first hop where the two
 * walks part.
 */
import type { FileAnswer } from '../model/files.js';
import type { CoreFactory } from '../run.js';
import { openWorld, planReach, reachCells, probe, type ReachWorld } from './reach.js';
import type { DiffResult } from './types.js';
import { compareRuns, diffCells } from './compare.js';

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
  const runs = compareRuns(wa.result, wb.result);
  const pa = planReach(wa, ports ? { ports } : {});
  const pb = planReach(wb, ports ? { ports } : {});
  const joined = ports ?? [...new Set([...pa.ports, ...pb.ports])];
  const ca = [...reachCells(wa, ports ? pa : planReach(wa, { ports: joined }))];
  const cb = [...reachCells(wb, ports ? pb : planReach(wb, { ports: joined }))];
  // A changed cell is probed again on both sides with its packets, for where the paths part.
  const cells = diffCells(ca, cb, (from, to, port) => ({ a: probe(wa, { from, to, port }).traces ?? [], b: probe(wb, { from, to, port }).traces ?? [] }));
  return { version: 1, cells, steps: runs.steps, expectations: runs.expectations };
}

