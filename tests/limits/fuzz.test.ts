/** The end-to-end fuzzer, bounded for CI: mutated examples through runScript twice (see fuzz.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpus, judge, mutate, scriptArb } from './fuzz.js';

describe('end-to-end script fuzz', () => {
  const c = corpus();

  it('mutations keep to the lines they are given', () => {
    expect(mutate(['a b', 'c'], { kind: 'word', at: 1, word: 0, value: 'x' }, c)).toEqual(['a b', 'x']);
    expect(mutate(['a', 'b', 'c'], { kind: 'move', from: 0, to: 2 }, c)).toEqual(['b', 'c', 'a']);
    expect(mutate(['p 8080 80'], { kind: 'number', at: 0, nth: 1, factor: 1000 }, c)).toEqual(['p 8080 80000']);
  });

  it('no escape, the same document twice, no internal wording (150 mutated examples)', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(scriptArb(c), fc.integer({ min: 1, max: 1_000_000 }), async (text, seed) => {
        const v = await judge(text, seed);
        if (v.escape) problems.push(`escape: ${v.escape.split('\n')[0]}\n${text}`);
        if (v.nondeterministic) problems.push(`nondeterministic (seed ${seed})\n${text}`);
        if (v.internal) problems.push(`internal wording, ${v.internal}\n${text}`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: Number(process.env.FUZZ_SEED ?? 1313) },
    );
    expect(problems.slice(0, 5)).toEqual([]);
  }, 300_000);
});
