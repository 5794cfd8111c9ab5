/**
 * Property: counters account for every packet, and the whole pipeline agrees across cores. Random
 * programs over every stage present (parse first), random tables and batches (valid, mutated and
 * random frames) run through the WebAssembly core and the reference core: both must give identical
 * frames, descriptors, counters and traces (tests/support/diff-harness.ts), and on both every stage
 * conserves packets (in = pass + drop + done, flood copies counted in), the drop-reason counters
 * match the dropped packets reason by reason, and the done counts match the consumed packets.
 */
import { beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { randInt, randomBatch, randomPools } from '../support/random-frames.js';
import { loadWorld, presentOnAll, randomProgram } from '../support/pipeline-world.js';
import { checkBatch } from './invariants.js';

const BATCH = 128;

let pair: CorePair;
let stages: number[];
beforeAll(async () => {
  pair = await makePair({ slots: 1024, traceCapacity: 1 << 16 });
  stages = presentOnAll([pair.wasm, pair.ref]);
});

describe('counters conserve packets on both cores', () => {
  it('random programs over every stage present, differential', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = rng(seed);
        const pools = randomPools(r, 12, 16, 3);
        const world = loadWorld([pair.wasm, pair.ref], r, pools, stages);
        const frames = randomBatch(r, pools, BATCH, 0.7, { tagged: 0.3, arp: 0.2 });
        const inPorts = frames.map(() => randInt(r, 0, world.ports));
        const ctx = frames.map(() => (r() < 0.7 ? world.networks[randInt(r, 0, 1)] : randInt(r, 0, 300)));
        const program = randomProgram(r, world);
        for (const c of [pair.wasm, pair.ref]) c.resetCounters();
        const trace = r() < 0.5;
        let out;
        try {
          out = runBoth(pair, frames, program, { seed, inPorts, ctx, trace });
        } catch (e) {
          const a = e as { message: string; actual?: unknown; expected?: unknown };
          throw new Error(`program ${JSON.stringify(program)}: ${a.message}\n  wasm: ${JSON.stringify(a.actual)}\n  ref:  ${JSON.stringify(a.expected)}`);
        }
        for (const c of [pair.wasm, pair.ref]) {
          const broken = checkBatch(c, out.frames.length);
          if (broken) throw new Error(`${c.kind}: ${broken} after ${JSON.stringify(program)}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
