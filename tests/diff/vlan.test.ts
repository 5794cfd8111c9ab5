/**
 * Differential test of vlan-in and vlan-out: seeded random port tables (untagged, access, trunk
 * with and without a native VLAN, absent ports) and batches of tagged, priority-tagged and untagged
 * frames through both cores — ingress filter and pop, egress by the descriptor's port (after the
 * switch) or by a fixed port (a1), push, VID rewrite, pop — must agree on bytes, descriptors,
 * counters and traces. A few exact cases pin the semantics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { writeBatch, readFrame, readDescriptor, type PacketCore } from '../../src/engine/core.js';
import { loadVlanPorts } from '../../src/engine/loaders/vlan-ports.js';
import { loadFdb } from '../../src/engine/loaders/fdb.js';
import { type VlanPort, VLAN_PORT_FIXED } from '../../src/table-images/vlan-ports.js';
import { buildFrame } from '../../src/wire/build.js';
import { makePair, outcome, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { pick, randInt, randomBatch, randomPools, type R } from '../support/random-frames.js';

const BATCHES = 24;
const BATCH = 256;
const code = (name: string) => DROP_REASONS.find((d) => d.name === name)!.code;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 1024, traceCapacity: 1 << 16 });
});

function randomPorts(r: R, vlans: number[]): VlanPort[] {
  const ports: VlanPort[] = [];
  for (let port = 0; port < randInt(r, 2, 12); port++) {
    const x = r();
    if (x < 0.1) continue; // absent
    if (x < 0.3) ports.push({ port, mode: 'untagged' });
    else if (x < 0.6) ports.push({ port, mode: 'access', vid: pick(r, vlans) });
    else ports.push({ port, mode: 'trunk', allowed: vlans.filter(() => r() < 0.6), native: r() < 0.4 ? pick(r, vlans) : undefined });
  }
  return ports;
}

const seen = new Set<number>();

describe('vlan: wasm and reference agree', () => {
  it(`${BATCHES} seeded batches of ${BATCH} frames`, () => {
    for (let b = 0; b < BATCHES; b++) {
      const seed = 0x71a40000 + b;
      const r = rng(seed);
      const pools = randomPools(r, 12, 12, 4);
      const ports = randomPorts(r, pools.vlans);
      const vs = randInt(r, 0, 3);
      for (const c of [pair.wasm, pair.ref]) {
        loadVlanPorts(c, vs, ports);
        loadFdb(c, vs, { capacity: 64 });
        c.resetCounters();
      }
      const frames = randomBatch(r, pools, BATCH, 0.9, { tagged: 0.5 });
      const inPorts = frames.map(() => randInt(r, 0, 12));
      const mode = b % 3;
      const program =
        mode === 0
          ? [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: vs }, { stage: abi.STAGE_VLAN_OUT, a0: vs, a1: VLAN_PORT_FIXED | randInt(r, 0, 12) }]
          : mode === 1
            ? [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: vs }, { stage: abi.STAGE_SWITCH, a0: vs }, { stage: abi.STAGE_VLAN_OUT, a0: vs }]
            : [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_OUT, a0: vs, a1: VLAN_PORT_FIXED | randInt(r, 0, 12) }];
      const out = runBoth(pair, frames, program, { seed, inPorts, trace: b % 2 === 0 });
      for (const [c] of out.counters.drops) seen.add(c);
      for (const s of [abi.STAGE_VLAN_IN, abi.STAGE_VLAN_OUT]) {
        const [inN, pass, drop, done] = out.counters.stages[s];
        expect(pass + drop + done, `stage ${s} conserves packets (seed ${seed})`).toBe(inN);
      }
    }
    for (const name of ['VLAN_NOT_ALLOWED', 'VLAN_ACCESS_MISMATCH', 'VLAN_TAGGED_ON_NON_TRUNK']) {
      expect(seen.has(code(name)), `the run reached ${name}`).toBe(true);
    }
  });
});

const M1 = '00:15:5d:00:00:01';
const M2 = '00:15:5d:00:00:02';
const ping = (vid?: number) =>
  buildFrame({ eth: { src: M1, dst: M2 }, vlan: vid === undefined ? undefined : { vid, pcp: 5 }, ipv4: { src: '10.0.0.1', dst: '10.0.0.2' }, icmp: { id: 7 } });

describe('vlan: exact cases', () => {
  const ports: VlanPort[] = [
    { port: 1, mode: 'access', vid: 10 },
    { port: 2, mode: 'trunk', allowed: [10, 20], native: 30 },
    { port: 3, mode: 'untagged' },
    { port: 4, mode: 'trunk', allowed: [10] },
  ];
  beforeAll(() => {
    for (const c of [pair.wasm, pair.ref]) loadVlanPorts(c, 9, ports);
  });
  const run = (frames: Uint8Array[], inPorts: number[], program: { stage: number; a0?: number; a1?: number }[]) => {
    for (const c of [pair.wasm, pair.ref]) c.resetCounters();
    return runBoth(pair, frames, [{ stage: abi.STAGE_PARSE }, ...program], { seed: 1, inPorts, trace: true });
  };

  it('ingress: access assigns its VID, trunks pop allowed tags, untagged ports refuse tags', () => {
    const out = run(
      [ping(), ping(10), ping(20), ping(20), ping(), ping(40), ping(10), ping(), ping(0), ping()],
      [1, 1, 1, 2, 2, 2, 3, 3, 2, 4],
      [{ stage: abi.STAGE_VLAN_IN, a0: 9 }],
    );
    const d = out.descriptors;
    expect(d.map((x) => (x.next === abi.NEXT_DROP ? -x.drop : x.vlan))).toEqual([
      10, 10, -code('VLAN_ACCESS_MISMATCH'), 20, 30, -code('VLAN_NOT_ALLOWED'), -code('VLAN_TAGGED_ON_NON_TRUNK'), 0, 30,
      -code('VLAN_NOT_ALLOWED'),
    ]);
    // Popped frames are the untagged frame, moved 4 bytes into the slot.
    expect(out.frames[1]).toBe(Buffer.from(ping()).toString('hex'));
    expect(d[1].data).toBe(abi.HEADROOM + 4);
    expect(d[1]).toMatchObject({ len: ping().length, l3: 14, l4: 34, flags: 0 });
    expect(out.trace).toContain('1 s2 a13 e1 f3 10>0');
  });

  it('egress: trunk pushes (or rewrites) the VID, native VLAN leaves untagged, access pops', () => {
    const out = run(
      [ping(), ping(), ping(), ping(20), ping(10), ping(20)],
      [1, 1, 1, 1, 1, 1],
      [{ stage: abi.STAGE_VLAN_OUT, a0: 9, a1: VLAN_PORT_FIXED | 2 }],
    );
    // Untagged frames have D_VLAN 0: not allowed on a trunk. Tagged 20 keeps its tag; rewrite needs D_VLAN.
    expect(out.descriptors.map((x) => x.drop)).toEqual([code('VLAN_NOT_ALLOWED'), code('VLAN_NOT_ALLOWED'), code('VLAN_NOT_ALLOWED'), 0, 0, 0]);
    expect(out.frames[3]).toBe(Buffer.from(ping(20)).toString('hex'));

    const out2 = run([ping(), ping(10), ping(30)], [1, 1, 2], [
      { stage: abi.STAGE_VLAN_IN, a0: 9 },
      { stage: abi.STAGE_VLAN_OUT, a0: 9, a1: VLAN_PORT_FIXED | 2 },
    ]);
    const pushed = ping(10);
    pushed[14] = 0; // PCP 0 on push
    pushed[15] = 10;
    expect(out2.frames[0]).toBe(Buffer.from(pushed).toString('hex'));
    expect(out2.descriptors[0]).toMatchObject({ data: abi.HEADROOM - 4, l3: 18, l4: 38, flags: abi.F_VLAN_TAGGED });
    expect(out2.frames[2]).toBe(Buffer.from(ping()).toString('hex')); // native 30 leaves untagged
    expect(out2.trace).toContain('0 s3 a12 e2 f3 0>10');

    // A tagged frame (no vlan-in) to an access port of its VLAN leaves untagged.
    const out3 = run([ping(10), ping(20)], [0, 0], [{ stage: abi.STAGE_VLAN_OUT, a0: 9, a1: VLAN_PORT_FIXED | 1 }]);
    expect(out3.frames[0]).toBe(Buffer.from(ping()).toString('hex'));
    expect(out3.descriptors[1].drop).toBe(code('VLAN_ACCESS_MISMATCH'));
  });

  it('a push without headroom is a counted drop on both cores', () => {
    const f = ping();
    const results = [pair.wasm, pair.ref].map((c: PacketCore) => {
      c.resetCounters();
      writeBatch(c, [f, f], 1);
      // Packet 0's frame starts at its slot's first byte: nowhere to push a tag.
      const dv = c.view();
      const d0 = c.descBase;
      const start = c.ringBase;
      c.bytes().set(f, start);
      dv.setUint32(d0 + abi.D_DATA, start, true);
      c.run(2, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: 9 }, { stage: abi.STAGE_VLAN_OUT, a0: 9, a1: VLAN_PORT_FIXED | 4 }]);
      return { o: outcome(c, 2, false), d: readDescriptor(c, 0), f1: readFrame(c, 1) };
    });
    expect(results[0].o).toEqual(results[1].o);
    expect(results[0].d.drop).toBe(code('VLAN_NO_HEADROOM'));
    expect(results[0].f1.length).toBe(f.length + 4);
  });
});
