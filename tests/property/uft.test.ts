/**
 * Property: the unified flow table changes nothing but speed. For random scenarios (flows drawn
 * among few sessions, a small table, rule changes, NAT session expiry, flushes, an ACL that blocks
 * by default or allows, the NAT clock moving a second (a hit refreshes its session again), packets
 * with FIN), the pipeline behind a UFT gives the same frames, descriptors, per-stage and
 * per-drop counters (the UFT's own row aside), ACL hit counters and NAT sessions as the same layers
 * without it — on the WebAssembly core, where the fast path really applies cached entries.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { layerCounters, runUftScenario, type UftEvent, type UftScenario } from '../support/uft-scenario.js';

const scenario: fc.Arbitrary<UftScenario> = fc.record({
  seed: fc.integer({ min: 1, max: 1 << 30 }),
  batches: fc.integer({ min: 2, max: 7 }),
  batch: fc.constantFrom(16, 64, 256),
  sessions: fc.integer({ min: 4, max: 300 }),
  capacity: fc.constantFrom(8, 64, 1024),
  events: fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom<UftEvent>('rules', 'expire', 'tick', 'fin', 'flush')), { maxLength: 4 }),
  aclDefault: fc.constantFrom<'allow' | 'block'>('allow', 'block'),
  guards: fc.constantFrom<UftScenario['guards']>(undefined, 'key', 'mac'),
});

describe('uft: fast path == slow path', () => {
  it('gives the layers\' own bytes, verdicts and counters', async () => {
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const fast = runUftScenario(await loadWasmCore({ traceCapacity: 0 }), sc, true);
        const slow = runUftScenario(await loadWasmCore({ traceCapacity: 0 }), sc, false);
        hits += fast.stats!.hits;
        for (let b = 0; b < sc.batches; b++) {
          expect(fast.batches[b].frames).toEqual(slow.batches[b].frames);
          expect(fast.batches[b].descriptors).toEqual(slow.batches[b].descriptors);
          expect(layerCounters(fast.batches[b])).toEqual(layerCounters(slow.batches[b]));
          expect(fast.batches[b].counters.drops).toEqual(slow.batches[b].counters.drops);
          expect(fast.batches[b].aclHits).toEqual(slow.batches[b].aclHits);
          expect(fast.batches[b].nat).toEqual(slow.batches[b].nat);
        }
      }),
      { numRuns: 25, seed: 0x0f7 },
    );
    expect(hits).toBeGreaterThan(0);
  }, 120_000);
});
