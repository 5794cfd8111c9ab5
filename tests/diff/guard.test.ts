/**
 * The guard stage: the WebAssembly core against the reference twin on seeded random guards (every
 * term field, several terms, negation, the empty and the unloaded guard) and random batches of valid
 * and mutated frames, in programs where guards nest and follow each other in front of steps that
 * change bytes and dispositions (VLAN tags, route's MAC and TTL rewrite, MAC rewrite, VXLAN, ACL,
 * switch flooding), so a packet parked wrongly, or woken at the wrong step, shows in the frames,
 * descriptors, counters or traces.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { randInt, randomBatch, randomPools } from '../support/random-frames.js';
import { loadWorld, presentOnAll, randomProgram } from '../support/pipeline-world.js';

const BATCH = 96;
const SEEDS = 60;

let pair: CorePair;
let stages: number[];
beforeAll(async () => {
  pair = await makePair({ slots: 1024, traceCapacity: 1 << 16 });
  stages = presentOnAll([pair.wasm, pair.ref]);
});

describe('guard: wasm = reference', () => {
  it('has the guard and byte-changing stages on both cores', () => {
    for (const s of [abi.STAGE_GUARD, abi.STAGE_VLAN_OUT, abi.STAGE_ROUTE, abi.STAGE_MAC_REWRITE, abi.STAGE_SWITCH]) expect(stages).toContain(s);
  });

  it(`${SEEDS} worlds × 3 batches of ${BATCH} random packets, programs full of guards`, () => {
    let packets = 0;
    let guardSteps = 0;
    let guarded = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = rng(seed * 104729);
      const pools = randomPools(r, 10, 12, 3);
      const world = loadWorld([pair.wasm, pair.ref], r, pools, stages);
      // Guards drawn three times as often as any other stage.
      const biased = { ...world, stages: [...world.stages, abi.STAGE_GUARD, abi.STAGE_GUARD] };
      for (let b = 0; b < 3; b++) {
        const frames = randomBatch(r, pools, BATCH, 0.8, { tagged: 0.3, arp: 0.2 });
        const inPorts = frames.map(() => randInt(r, 0, world.ports));
        const ctx = frames.map(() => (r() < 0.7 ? world.networks[randInt(r, 0, 1)] : randInt(r, 0, 300)));
        const program = [...randomProgram(r, biased), ...randomProgram(r, biased)];
        for (const c of [pair.wasm, pair.ref]) c.resetCounters();
        let out;
        try {
          out = runBoth(pair, frames, program, { seed, inPorts, ctx, trace: b !== 1 });
        } catch (e) {
          throw new Error(`program ${JSON.stringify(program)}: ${(e as Error).message}`);
        }
        packets += frames.length;
        const g = out.counters.stages[abi.STAGE_GUARD];
        guardSteps += program.filter((s) => s.stage === abi.STAGE_GUARD).length;
        if (g[abi.C_IN] > 0) guarded++;
        expect(out.descriptors.every((d) => d.next !== abi.NEXT_PARKED), 'no packet left parked').toBe(true);
      }
    }
    expect(packets).toBeGreaterThanOrEqual(15_000);
    expect(guardSteps).toBeGreaterThan(300);
    expect(guarded).toBeGreaterThan(100);
  });
});
