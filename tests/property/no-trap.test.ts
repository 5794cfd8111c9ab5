/**
 * Property: no input bytes make the data plane trap or break its invariants. More than 100,000
 * frames per run, in batches of 256 — valid frames of every kind, mutated ones and raw random bytes
 * (from fast-check) — through random programs over every stage present in the tree, with random
 * tables. After each batch the invariants of ./invariants.ts must hold (dispositions, frames inside
 * their slots, per-stage and per-reason counter conservation).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as abi from '../../src/abi.js';
import { writeBatch, type PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { rng } from '../support/diff-harness.js';
import { mutateFrame, randInt, randomFrame, randomPools } from '../support/random-frames.js';
import { loadWorld, presentStages, randomProgram } from '../support/pipeline-world.js';
import { checkBatch } from './invariants.js';

const BATCH = 256;
const RUNS = 400; // 102,400 frames

let core: PacketCore;
let stages: number[];
beforeAll(async () => {
  core = await loadWasmCore({ slots: 1024, traceCapacity: 4096 });
  stages = presentStages(core);
});

describe('the data plane never traps', () => {
  it('has the core stages in its pipeline', () => {
    for (const s of [abi.STAGE_PARSE, abi.STAGE_VLAN_IN, abi.STAGE_VLAN_OUT, abi.STAGE_MAC_REWRITE, abi.STAGE_SWITCH, abi.STAGE_ROUTE, abi.STAGE_GUARD]) {
      expect(stages).toContain(s);
    }
  });

  it(`${RUNS} batches of ${BATCH} random, valid and mutated frames through random programs`, () => {
    let frames = 0;
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.uint8Array({ maxLength: 160 }), { maxLength: 24 }), (seed, raw) => {
        const r = rng(seed);
        const pools = randomPools(r, 12, 16, 3);
        const world = loadWorld([core], r, pools, stages);
        const batch: Uint8Array[] = raw.slice();
        while (batch.length < BATCH) {
          const f = randomFrame(r, pools, { tagged: 0.3, arp: 0.2 });
          batch.push(r() < 0.5 ? f : mutateFrame(r, f));
        }
        const inPorts = batch.map(() => randInt(r, 0, world.ports));
        const ctx = batch.map(() => (r() < 0.7 ? world.networks[randInt(r, 0, 1)] : randInt(r, 0, 300)));
        writeBatch(core, batch, inPorts, ctx);
        core.resetCounters();
        core.setTracing(r() < 0.1);
        const program = randomProgram(r, world);
        const n = core.run(BATCH, program);
        core.setTracing(false);
        frames += BATCH;
        if (n < BATCH || n > core.slots) throw new Error(`batch size ${n} after ${JSON.stringify(program)}`);
        const broken = checkBatch(core, n);
        if (broken) throw new Error(`${broken} after ${JSON.stringify(program)}`);
      }),
      { numRuns: RUNS },
    );
    expect(frames).toBeGreaterThanOrEqual(100_000);
  });
});
