/**
 * Differential test of parse: seeded random batches — valid frames of every kind the data plane
 * handles, mutated frames (truncations, bad versions, lengths, checksums, offsets, tags), random
 * bytes — through the WebAssembly core and the reference core must give identical descriptors,
 * bytes, counters and trace events. Also checks that the run reached every parse drop reason and
 * that the descriptor fields of a few known frames are right.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { buildFrame } from '../../src/wire/build.js';
import { flowHash } from '../../src/table-images/flow-hash.js';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { randomBatch, randomPools } from '../support/random-frames.js';

const BATCHES = 24;
const BATCH = 256;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 512, traceCapacity: 1 << 16 });
});

describe('parse: wasm and reference agree', () => {
  it(`${BATCHES} seeded batches of ${BATCH} frames`, () => {
    const reasons = new Set<number>();
    const flags = new Set<number>();
    for (let b = 0; b < BATCHES; b++) {
      const seed = 0x9a75e000 + b;
      const r = rng(seed);
      const pools = randomPools(r);
      const frames = randomBatch(r, pools, BATCH, 0.5);
      for (const c of [pair.wasm, pair.ref]) c.resetCounters();
      const out = runBoth(pair, frames, [{ stage: abi.STAGE_PARSE }], { seed, trace: b % 3 === 0, inPorts: b });
      for (const [code] of out.counters.drops) reasons.add(code);
      for (const d of out.descriptors) if (d.next === abi.NEXT_CONTINUE) flags.add(d.flags);
      const [inN, pass, drop, done] = out.counters.stages[abi.STAGE_PARSE];
      expect(inN, `seed ${seed}`).toBe(BATCH);
      expect(pass + drop + done, `seed ${seed}`).toBe(inN);
    }
    const parseReasons = DROP_REASONS.filter((d) => d.name.startsWith('PARSE_')).map((d) => d.code);
    expect([...reasons].filter((c) => parseReasons.includes(c)).sort((a, b) => a - b)).toEqual(parseReasons);
    for (const f of [abi.F_VLAN_TAGGED, abi.F_BCAST, abi.F_ARP, abi.F_FRAGMENT, abi.F_VXLAN]) {
      expect([...flags].some((x) => x & f), `some passing frame has flag ${f}`).toBe(true);
    }
  });

  it('fills the descriptor of known frames', () => {
    const tcp = buildFrame({
      eth: { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' },
      vlan: { vid: 42 },
      ipv4: { src: '172.16.0.2', dst: '172.16.0.3', options: new Uint8Array(8).fill(1) },
      tcp: { sport: 49152, dport: 80, flags: 'S' },
      minLength: 90,
    });
    const vx = buildFrame({
      eth: { src: '00:15:5d:00:00:01', dst: 'ff:ff:ff:ff:ff:ff' },
      ipv4: { src: '10.0.0.1', dst: '10.0.0.2' },
      vxlan: { vni: 4096, inner: { eth: { src: '00:15:5d:00:00:03', dst: '00:15:5d:00:00:04' }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: {} } },
    });
    const ping = buildFrame({ eth: { src: 2, dst: 4 }, ipv4: { src: '1.2.3.4', dst: '5.6.7.8' }, icmp: { id: 0x1234, seq: 9 } });
    for (const c of [pair.wasm, pair.ref]) c.resetCounters();
    const out = runBoth(pair, [tcp, vx, ping], [{ stage: abi.STAGE_PARSE }], { seed: 0 });
    const [t, v, p] = out.descriptors;
    expect({ l3: t.l3, l4: t.l4, et: t.ethertype, proto: t.proto, flags: t.flags, vlan: t.vlan }).toEqual({
      l3: 18, l4: 18 + 28, et: 0x0800, proto: 6, flags: abi.F_VLAN_TAGGED, vlan: 42,
    });
    expect(t.hash).toBe(flowHash(0xac100002, 0xac100003, (49152 << 16 | 80) >>> 0, 6));
    expect({ l3: v.l3, l4: v.l4, proto: v.proto, flags: v.flags }).toEqual({ l3: 14, l4: 34, proto: 17, flags: abi.F_VXLAN | abi.F_BCAST });
    expect(p.hash).toBe(flowHash(0x01020304, 0x05060708, 0x1234 << 16, 1));
    expect(p.hash).not.toBe(flowHash(0x05060708, 0x01020304, 0x1234 << 16, 1));
  });
});
