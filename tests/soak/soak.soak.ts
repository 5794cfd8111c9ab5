/**
 * `npm run soak`: the end-to-end fuzzer at length (SOAK_SCRIPTS mutated examples, default 100,000,
 * each run twice with one seed). Reports escapes, runs stopped at the time budget, internal
 * wording and nondeterminism as it goes (every 1,000 scripts) and at the end; fails on any escape,
 * internal wording or nondeterminism. SOAK_REPORT=FILE also writes the figures as JSON.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpus, judge, scriptArb } from '../limits/fuzz.js';

const TOTAL = Number(process.env.SOAK_SCRIPTS ?? 100_000);
const SEED = Number(process.env.SOAK_SEED ?? 20261206);
const CHUNK = 1000;

it(`soak: ${TOTAL} mutated examples`, async () => {
  const c = corpus();
  const arb = fc.tuple(scriptArb(c), fc.integer({ min: 1, max: 1_000_000 }));
  const f = { scripts: 0, escapes: 0, stopped: 0, internal: 0, nondeterministic: 0, maxMs: 0, totalMs: 0, over1s: 0, examples: [] as string[] };
  const started = performance.now();
  const report = (): void => {
    const line = `soak: ${f.scripts} scripts in ${((performance.now() - started) / 1000).toFixed(0)} s — escapes ${f.escapes}, stopped at budget ${f.stopped}, internal wording ${f.internal}, nondeterministic ${f.nondeterministic}, runs over 1 s ${f.over1s}, slowest ${f.maxMs.toFixed(0)} ms`;
    process.stderr.write(`${line}\n`);
    if (process.env.SOAK_REPORT) writeFileSync(process.env.SOAK_REPORT, JSON.stringify({ ...f, seconds: (performance.now() - started) / 1000 }, null, 2));
  };
  for (let base = 0; base < TOTAL; base += CHUNK) {
    for (const [text, seed] of fc.sample(arb, { numRuns: Math.min(CHUNK, TOTAL - base), seed: SEED + base })) {
      const v = await judge(text, seed, 10_000);
      f.scripts++;
      f.totalMs += v.ms;
      if (v.stopped) f.stopped++;
      else {
        f.maxMs = Math.max(f.maxMs, v.ms);
        if (v.ms > 1000) f.over1s++;
      }
      const bad = v.escape ? `escape: ${v.escape.split('\n')[0]}` : v.internal ? `internal: ${v.internal}` : v.nondeterministic ? `nondeterministic (seed ${seed})` : null;
      if (v.escape) f.escapes++;
      if (v.internal) f.internal++;
      if (v.nondeterministic) f.nondeterministic++;
      if (bad && f.examples.length < 20) f.examples.push(`${bad}\n${text}`);
    }
    report();
  }
  expect(f.examples).toEqual([]);
}, 24 * 3600_000);
