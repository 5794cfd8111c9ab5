/**
 * `packet-path bench --compare OLD.json`: each workload's ratio to the same workload (name, impl
 * and params) in an earlier `bench --json` document, so a regression shows in one command.
 */
import type { BenchResult } from './types.js';

/** What `bench --json` prints; only `results` is read back. */
export interface BenchDocument {
  node?: string;
  cpu?: string;
  clock?: 'wall' | 'cpu';
  results: BenchResult[];
}

/** The identity of a workload across runs: name, implementation and every parameter. */
export function workloadKey(r: Pick<BenchResult, 'name' | 'impl' | 'params'>): string {
  const params = Object.keys(r.params).sort().map((k) => `${k}=${r.params[k]}`).join(' ');
  return `${r.name} ${r.impl} ${params}`;
}

/** Reads a `bench --json` document; throws with the reason when it is not one. */
export function parseBenchDocument(text: string): BenchDocument {
  const doc = JSON.parse(text) as BenchDocument;
  if (!doc || !Array.isArray(doc.results)) throw new Error('not a packet-path bench --json document (no "results" array)');
  return doc;
}

/**
 * The results with `ratio` = median / OLD's median for every workload OLD also ran (above 1 is
 * faster); workloads OLD did not run keep no ratio.
 */
export function compareResults(results: BenchResult[], old: BenchResult[]): BenchResult[] {
  const before = new Map(old.map((r) => [workloadKey(r), r]));
  return results.map((r) => {
    const o = before.get(workloadKey(r));
    if (!o || !(o.median > 0)) return r;
    return { ...r, ratio: Number((r.median / o.median).toPrecision(3)) };
  });
}
