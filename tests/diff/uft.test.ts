/**
 * Differential test of the unified flow table: the WebAssembly core's UFT (fast path for known
 * flows) against the reference twin (which walks the layers for every packet and keeps the same
 * table, so its hits and misses are the wasm core's): the same frames, descriptors, counters, ACL
 * hit counters, NAT sessions and UFT statistics, batch after batch, across a rule change, the
 * expiry of the NAT sessions and a flush, a clock tick, FIN packets, a nearly full table, and the
 * wrap of the NAT clock stamp UFT entries keep.
 */
import { describe, expect, it } from 'vitest';
import { makePair } from '../support/diff-harness.js';
import { runUftScenario, type UftScenario } from '../support/uft-scenario.js';

const scenarios: UftScenario[] = [
  { seed: 1, batches: 12, batch: 64, sessions: 96, capacity: 256, events: [[4, 'rules'], [7, 'expire'], [10, 'flush']] },
  // Fewer entries than flows: ways are replaced all the time.
  { seed: 2, batches: 8, batch: 128, sessions: 400, capacity: 16, events: [[3, 'expire'], [5, 'rules']] },
  // The ACL blocks most flows: cached drops, then a rule set that allows them.
  { seed: 3, batches: 8, batch: 64, sessions: 64, capacity: 128, events: [[5, 'rules']], aclDefault: 'block' },
  // Guard steps in the layer program (nested, on the flow key): decided once per flow.
  { seed: 4, batches: 8, batch: 64, sessions: 96, capacity: 256, events: [[3, 'rules'], [5, 'expire']], guards: 'key' },
  { seed: 5, batches: 7, batch: 128, sessions: 64, capacity: 64, events: [[5, 'rules']], aclDefault: 'block', guards: 'key' },
  // A guard on the source MAC: no packet it judges leaves an entry, every one walks.
  { seed: 6, batches: 4, batch: 64, sessions: 32, capacity: 128, events: [], guards: 'mac' },
  // Nearly full (60 flows, 8 buckets of 8 ways): flows move to their other bucket to make room; the
  // NAT clock ticks (hits refresh their sessions again) and FIN packets start closing sessions.
  { seed: 7, batches: 10, batch: 64, sessions: 60, capacity: 64, events: [[3, 'tick'], [5, 'fin'], [7, 'expire']] },
  // The NAT clock's stamp wraps (65,536 changes, sessions still live): every entry dies on both cores.
  { seed: 8, batches: 6, batch: 64, sessions: 40, capacity: 256, events: [[3, 'wrap']] },
];

describe('uft: wasm fast path vs reference twin', () => {
  for (const sc of scenarios) {
    it(`scenario ${sc.seed}: same bytes, descriptors, counters and table statistics`, async () => {
      const pair = await makePair();
      const w = runUftScenario(pair.wasm, sc, true);
      const r = runUftScenario(pair.ref, sc, true);
      for (let b = 0; b < sc.batches; b++) {
        expect(w.batches[b].frames, `batch ${b} frames`).toEqual(r.batches[b].frames);
        expect(w.batches[b].descriptors, `batch ${b} descriptors`).toEqual(r.batches[b].descriptors);
        expect(w.batches[b].counters, `batch ${b} counters`).toEqual(r.batches[b].counters);
        expect(w.batches[b].aclHits, `batch ${b} ACL hits`).toEqual(r.batches[b].aclHits);
        expect(w.batches[b].nat, `batch ${b} NAT sessions`).toEqual(r.batches[b].nat);
      }
      expect(w.stats).toEqual(r.stats);
      if (sc.guards === 'mac') {
        expect(w.stats).toMatchObject({ hits: 0, inserts: 0 });
        expect(w.stats!.lookups).toBe(sc.batches * sc.batch);
        return;
      }
      // The fast path really ran, entries were built, and the events retired entries.
      expect(w.stats!.hits).toBeGreaterThan(0);
      expect(w.stats!.inserts).toBeGreaterThan(0);
      expect(w.stats!.stale).toBeGreaterThan(0);
      if (sc.capacity < sc.sessions) expect(w.stats!.evictions).toBeGreaterThan(0);
      if (sc.aclDefault === 'block') expect(w.batches[4].counters.drops.length).toBeGreaterThan(0);
    });
  }
});
