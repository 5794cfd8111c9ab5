/**
 * Differential test of the switch: seeded random vSwitches (port tables with access, trunk and
 * untagged ports; FDBs small enough to fill or large enough for the two-pass path; static entries)
 * and batches that learn, move stations, hit known unicast, hairpin, and flood broadcast / unknown
 * unicast into the ring's free slots until it is full. Both cores must agree on every frame and
 * descriptor (replicas included), counters, traces, and the FDB contents and statistics afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { loadVlanPorts } from '../../src/engine/loaders/vlan-ports.js';
import { loadFdb, readFdb, fdbStats } from '../../src/engine/loaders/fdb.js';
import type { VlanPort } from '../../src/table-images/vlan-ports.js';
import type { FdbEntry } from '../../src/table-images/fdb.js';
import { buildFrame } from '../../src/wire/build.js';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { pick, randInt, randomBatch, randomPools, unicastMac, type R } from '../support/random-frames.js';

const BATCHES = 28;
const BATCH = 200;
const code = (name: string) => DROP_REASONS.find((d) => d.name === name)!.code;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 512, traceCapacity: 1 << 17 });
});

function randomPorts(r: R, vlans: number[], count: number): VlanPort[] {
  const ports: VlanPort[] = [];
  for (let port = 0; port < count; port++) {
    const x = r();
    if (x < 0.05) continue;
    if (x < 0.25) ports.push({ port, mode: 'untagged' });
    else if (x < 0.65) ports.push({ port, mode: 'access', vid: pick(r, vlans) });
    else ports.push({ port, mode: 'trunk', allowed: vlans.filter(() => r() < 0.7), native: r() < 0.3 ? pick(r, vlans) : undefined });
  }
  return ports;
}

describe('switch: wasm and reference agree', () => {
  it(`${BATCHES} seeded batches of ${BATCH} frames, FDB state carried across batches`, () => {
    const seen = new Map<number, number>();
    let replicas = 0;
    let learned = 0;
    let refused = 0;
    for (let world = 0; world < 4; world++) {
      const seed0 = 0x5e170000 + world * 0x100;
      const r = rng(seed0);
      const pools = randomPools(r, world === 3 ? 3000 : 24, 16, 3);
      const nports = world === 2 ? 14 : randInt(r, 3, 10);
      const ports = randomPorts(r, pools.vlans, nports);
      const vs = world;
      const statics: FdbEntry[] = pools.macs.slice(0, 4).map((mac) => ({ mac, vlan: pick(r, [0, ...pools.vlans]), port: randInt(r, 0, nports) }));
      // World 3: a large FDB (two-pass path); world 1: a tiny one that fills up.
      const capacity = world === 3 ? 65536 : world === 1 ? 10 : 256;
      for (const c of [pair.wasm, pair.ref]) {
        loadVlanPorts(c, vs, ports);
        loadFdb(c, vs, { capacity, entries: statics });
      }
      for (let b = 0; b < BATCHES / 4; b++) {
        const seed = seed0 + b;
        const rb = rng(seed);
        for (const c of [pair.wasm, pair.ref]) c.resetCounters();
        const frames = randomBatch(rb, pools, BATCH, 0.95, { tagged: 0.3, group: world === 2 ? 0.6 : 0.08 });
        const inPorts = frames.map(() => randInt(rb, 0, nports));
        const program = [{ stage: abi.STAGE_PARSE }, ...(b % 3 === 2 ? [] : [{ stage: abi.STAGE_VLAN_IN, a0: vs }]), { stage: abi.STAGE_SWITCH, a0: vs }];
        const out = runBoth(pair, frames, program, { seed, inPorts, trace: b % 2 === 0 });
        replicas += out.frames.length - BATCH;
        for (const [c, k] of out.counters.drops) seen.set(c, (seen.get(c) ?? 0) + k);
        const [inN, pass, drop, done] = out.counters.stages[abi.STAGE_SWITCH];
        expect(pass + drop + done, `switch conserves packets (seed ${seed})`).toBe(inN);
        const before = out.counters.stages[b % 3 === 2 ? abi.STAGE_PARSE : abi.STAGE_VLAN_IN][abi.C_PASS];
        expect(inN, `switch in = packets reaching it + replicas (seed ${seed})`).toBe(before + out.frames.length - BATCH);
        expect(readFdb(pair.wasm, vs), `FDB rows (seed ${seed})`).toEqual(readFdb(pair.ref, vs));
        expect(fdbStats(pair.wasm, vs), `FDB stats (seed ${seed})`).toEqual(fdbStats(pair.ref, vs));
        learned += out.trace.filter((t) => / s9 a9 /.test(t)).length;
      }
      refused += fdbStats(pair.wasm, vs)!.learnRefused;
      if (world === 3) expect(fdbStats(pair.wasm, vs)!.entries).toBeGreaterThan(500);
    }
    for (const name of ['SWITCH_HAIRPIN', 'SWITCH_FLOOD_NO_SLOT', 'SWITCH_NO_PORT']) expect(seen.get(code(name)) ?? 0, name).toBeGreaterThan(0);
    expect(replicas).toBeGreaterThan(1000);
    expect(learned).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('switch: exact cases', () => {
  const A = 0x00155d_000001;
  const B = 0x00155d_000002;
  const ports: VlanPort[] = [
    { port: 0, mode: 'trunk', allowed: [10, 20] },
    { port: 1, mode: 'access', vid: 10 },
    { port: 2, mode: 'access', vid: 10 },
    { port: 3, mode: 'access', vid: 20 },
    { port: 5, mode: 'untagged' },
  ];
  const f = (src: number, dst: number) => buildFrame({ eth: { src, dst }, ipv4: { src: '10.0.0.1', dst: '10.0.0.2' }, udp: { sport: 1, dport: 2 } });
  const program = [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: 11 }, { stage: abi.STAGE_SWITCH, a0: 11 }];

  it('floods unknown unicast within the VLAN, learns, then forwards; hairpin and VLAN isolation hold', () => {
    for (const c of [pair.wasm, pair.ref]) {
      loadVlanPorts(c, 11, ports);
      loadFdb(c, 11, { capacity: 100, entries: [{ mac: 0x00155d_0000ff, vlan: 10, port: 3 }] });
      c.resetCounters();
    }
    // A on port 1 (VLAN 10) → B unknown: flood to ports 0 and 2 (not 3: VLAN 20, not 5: untagged).
    const out1 = runBoth(pair, [f(A, B)], program, { seed: 4, inPorts: [1], trace: true });
    expect(out1.descriptors.map((d) => d.outPort)).toEqual([0, 2]);
    expect(out1.frames[1]).toBe(out1.frames[0]);
    expect(out1.trace).toEqual([
      '0 s1 a0 e-1 f0 0>0', '0 s2 a0 e1 f0 0>10',
      `0 s9 a9 e-1 f0 65535>1`, '0 s9 a8 e2 f0 0>0', '0 s9 a8 e-1 f14 65534>0', '1 s9 a8 e0 f14 65534>2',
    ]);
    expect(out1.counters.stages[abi.STAGE_SWITCH]).toEqual([2, 2, 0, 0]);
    // B answers from port 2: A is known on port 1.
    const out2 = runBoth(pair, [f(B, A), f(A, A), f(B, 0x00155d_0000ff)], program, { seed: 5, inPorts: [2, 1, 2], trace: true });
    expect(out2.descriptors[0].outPort).toBe(1);
    expect(out2.descriptors[1].drop).toBe(code('SWITCH_HAIRPIN'));
    // A static entry on a port outside the VLAN is unreachable.
    expect(out2.descriptors[2].drop).toBe(code('SWITCH_NO_PORT'));
    expect(readFdb(pair.wasm, 11)).toEqual([
      { mac: A, vlan: 10, port: 1, static: false },
      { mac: B, vlan: 10, port: 2, static: false },
      { mac: 0x00155d_0000ff, vlan: 10, port: 3, static: true },
    ]);
    // Same MAC in another VLAN is another entry; a station move is traced.
    const out3 = runBoth(pair, [f(A, 0xffff_ffff_ffff), f(A, B)], program, { seed: 6, inPorts: [3, 2], trace: true });
    expect(out3.trace).toContain('1 s9 a9 e-1 f0 1>2');
    expect(readFdb(pair.ref, 11)!.filter((e) => e.mac === A)).toEqual([
      { mac: A, vlan: 10, port: 2, static: false },
      { mac: A, vlan: 20, port: 3, static: false },
    ]);
    expect(out3.descriptors[0].outPort).toBe(0); // VLAN 20 broadcast: only the trunk
  });

  it('a full FDB refuses to learn and counts it', () => {
    for (const c of [pair.wasm, pair.ref]) {
      loadVlanPorts(c, 11, ports);
      loadFdb(c, 11, { capacity: 2 });
    }
    const frames = [1, 2, 3, 4].map((k) => f(0x00155d_000100 + k * 2, B));
    runBoth(pair, frames, program, { seed: 7, inPorts: [1, 1, 2, 2] });
    expect(fdbStats(pair.wasm, 11)).toEqual({ capacity: 2, entries: 2, learnRefused: 2 });
    expect(fdbStats(pair.ref, 11)).toEqual({ capacity: 2, entries: 2, learnRefused: 2 });
  });
});
