/**
 * The guard stage's semantics, pinned by hand on both cores: every term field, negation, the empty
 * and the unloaded guard, the park window of k steps (nested and consecutive guards), counters, no
 * trace events, the parse precondition, loader validation, the image layout shared with
 * assembly/tables/guard-table.ts, and reloads that reuse memory. Then the defining property: on a
 * packet, `parse, guard(g, k), S1..Sk, rest` is exactly `parse, S1..Sk, rest` when the packet passes g
 * and `parse, rest` when it does not (two WebAssembly cores in lockstep, so stage state agrees).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { readDescriptor, writeBatch, type PacketCore, type ProgramStep } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import * as guardTable from '../../src/table-images/guard.js';
import { loadGuard } from '../../src/engine/loaders/guard.js';
import { normalizeGuard, type Guard } from '../../src/table-images/guard.js';
import { loadRoutes, loadNeighbors } from '../../src/engine/loaders/routes.js';
import { refGuardPasses } from '../../src/engine/reference/guard.js';
import type { RefCore } from '../../src/engine/reference/core.js';
import { buildFrame } from '../../src/wire/build.js';
import { makePair, outcome, rng, type CorePair } from '../support/diff-harness.js';
import { randInt, randomFrame, randomPools } from '../support/random-frames.js';
import { randomGuard } from '../support/random-guards.js';
import { loadWorld, presentStages, randomProgram } from '../support/pipeline-world.js';

const ip = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0;
const MAC_A = 0x00155d000001;
const MAC_B = 0x00155d000002;
const eth = { src: MAC_A, dst: MAC_B };
const ipv4 = { src: '10.0.1.5', dst: '172.16.0.9' };

const F = {
  syn: buildFrame({ eth, ipv4, tcp: { sport: 40000, dport: 80, flags: 'S' } }),
  synAck: buildFrame({ eth, ipv4, tcp: { sport: 80, dport: 40000, flags: 'SA' } }),
  udpDns: buildFrame({ eth, ipv4, udp: { sport: 50001, dport: 53 } }),
  udpHigh: buildFrame({ eth, ipv4, udp: { sport: 53, dport: 50001 } }),
  echo: buildFrame({ eth, ipv4, icmp: { type: 'echo-request', id: 7, seq: 1 } }),
  echoReply: buildFrame({ eth, ipv4, icmp: { type: 'echo-reply', id: 7, seq: 1 } }),
  gre: buildFrame({ eth, ipv4: { ...ipv4, protocol: 47 }, payload: new Uint8Array(8) }),
  fragment: buildFrame({ eth, ipv4: { ...ipv4, moreFragments: true }, udp: { sport: 1, dport: 53 } }),
  echoFragment: buildFrame({ eth, ipv4: { ...ipv4, moreFragments: true }, icmp: { type: 'echo-request', id: 7, seq: 1 }, payload: new Uint8Array(8) }),
  replyFragment: buildFrame({ eth, ipv4: { ...ipv4, moreFragments: true }, icmp: { type: 'echo-reply', id: 7, seq: 1 }, payload: new Uint8Array(8) }),
  laterFragment: buildFrame({ eth, ipv4: { ...ipv4, protocol: 1, fragOffset: 1480 }, payload: new Uint8Array(16).fill(8) }),
  arp: buildFrame({ eth: { src: MAC_A, dst: 0xffffffffffff }, arp: { op: 'request', senderIp: '10.0.1.5', targetIp: '10.0.1.1' } }),
  tagged: buildFrame({ eth: { src: MAC_A, dst: 0xffffffffffff }, vlan: { vid: 5 }, ipv4, udp: { sport: 68, dport: 67 } }),
  vxlan: buildFrame({ eth, ipv4, vxlan: { vni: 4096, inner: { eth, ipv4, icmp: { id: 1 } } } }),
};

const G = 9;
const UNLOADED = 4095;
/** An ACL step on a rule set nobody loads: it allows everything and counts what it saw. */
const WITNESS: ProgramStep = { stage: abi.STAGE_ACL, a0: 77, a1: 0 };
const guard = (a0: number, a1: number): ProgramStep => ({ stage: abi.STAGE_GUARD, a0, a1 });

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 64, traceCapacity: 4096 });
});
const cores = (): PacketCore[] => [pair.wasm, pair.ref];

/** Runs `program` over `frames` on `core` with fresh counters; returns the counters after it. */
function run(core: PacketCore, frames: Uint8Array[], program: ProgramStep[]): number[][] {
  writeBatch(core, frames);
  core.resetCounters();
  core.run(frames.length, program);
  return core.counters().stages;
}

/** Whether `frame` passes guard `g` on `core`: the witness step behind the guard saw it. */
function passes(core: PacketCore, g: Guard | undefined, frame: Uint8Array): boolean {
  if (g) loadGuard(core, G, g);
  const c = run(core, [frame], [{ stage: abi.STAGE_PARSE }, guard(g ? G : UNLOADED, 1), WITNESS]);
  expect(c[abi.STAGE_GUARD], 'guard counters: in = pass').toEqual([1, 1, 0, 0]);
  expect(readDescriptor(core, 0).next, 'no packet stays parked').toBe(abi.NEXT_CONTINUE);
  return c[abi.STAGE_ACL][abi.C_IN] === 1;
}

function expectPasses(g: Guard | undefined, yes: (keyof typeof F)[], no: (keyof typeof F)[]): void {
  for (const core of cores()) {
    for (const f of yes) expect(passes(core, g, F[f]), `${core.kind}: ${f} passes`).toBe(true);
    for (const f of no) expect(passes(core, g, F[f]), `${core.kind}: ${f} is parked`).toBe(false);
  }
}

describe('guard terms', () => {
  it('an empty guard passes nothing, negated everything; an id never loaded is the empty guard', () => {
    expectPasses({ terms: [] }, [], ['syn', 'arp', 'gre']);
    expectPasses({ terms: [], negate: true }, ['syn', 'arp', 'gre'], []);
    expectPasses(undefined, [], ['syn', 'arp']);
  });

  it('IPv4 prefixes (base masked to its length); non-IPv4 never matches an address', () => {
    expectPasses({ terms: [{ srcIp: { base: ip('10.0.1.77'), len: 24 } }] }, ['syn', 'echo', 'gre', 'fragment'], ['arp']);
    expectPasses({ terms: [{ srcIp: { base: ip('10.0.2.0'), len: 24 } }] }, [], ['syn']);
    expectPasses({ terms: [{ dstIp: { base: 0, len: 0 } }] }, ['syn', 'udpDns', 'gre'], ['arp']);
    expectPasses({ terms: [{ dstIp: { base: ip('172.16.0.9'), len: 32 } }] }, ['syn'], ['arp']);
    expectPasses({ terms: [{ dstIp: { base: ip('172.16.0.8'), len: 32 } }] }, [], ['syn']);
  });

  it('protocol, and port ranges inclusive at both ends; no ports for ICMP, fragments, ARP', () => {
    expectPasses({ terms: [{ proto: 6 }] }, ['syn', 'synAck'], ['udpDns', 'echo', 'arp']);
    expectPasses({ terms: [{ proto: 17 }] }, ['udpDns', 'fragment', 'vxlan'], ['syn']);
    expectPasses({ terms: [{ dport: { lo: 53, hi: 80 } }] }, ['syn', 'udpDns'], ['synAck', 'udpHigh', 'echo', 'fragment', 'arp']);
    expectPasses({ terms: [{ dport: { lo: 0, hi: 65535 } }] }, ['syn', 'udpHigh'], ['echo', 'gre', 'fragment', 'arp']);
    expectPasses({ terms: [{ sport: { lo: 40000, hi: 40000 } }] }, ['syn'], ['synAck']);
    expectPasses({ terms: [{ sport: { lo: 40001, hi: 65535 } }] }, ['udpDns'], ['syn']);
  });

  it('MACs (the outer Ethernet header, ARP included) and D_FLAGS bits (all of them)', () => {
    expectPasses({ terms: [{ srcMac: MAC_A }] }, ['syn', 'arp', 'tagged'], []);
    expectPasses({ terms: [{ dstMac: MAC_B }] }, ['syn', 'vxlan'], ['arp', 'tagged']);
    expectPasses({ terms: [{ flags: abi.F_VXLAN }] }, ['vxlan'], ['udpDns', 'syn']);
    expectPasses({ terms: [{ flags: abi.F_ARP }] }, ['arp'], ['syn']);
    expectPasses({ terms: [{ flags: abi.F_VLAN_TAGGED | abi.F_BCAST }] }, ['tagged'], ['arp', 'syn']);
    expectPasses({ terms: [{ flags: abi.F_FRAGMENT }] }, ['fragment'], ['udpDns']);
  });

  it('opensFlow: TCP SYN without ACK, ICMP echo request, UDP below 49152, other IPv4 protocols', () => {
    // A first fragment opens a flow as its datagram would (the firewall judges whole datagrams, headed
    // by the first fragment's L4 header, RFC 791 §3.2); a later fragment (data only, here bytes that
    // would read as an echo request) never does.
    expectPasses({ terms: [{ opensFlow: true }] }, ['syn', 'echo', 'udpDns', 'gre', 'vxlan', 'fragment', 'echoFragment'], ['synAck', 'echoReply', 'udpHigh', 'arp', 'replyFragment', 'laterFragment']);
    expectPasses({ terms: [{ opensFlow: false }] }, ['synAck', 'echoReply', 'udpHigh', 'arp', 'replyFragment', 'laterFragment'], ['syn', 'echo', 'udpDns', 'gre', 'fragment', 'echoFragment']);
  });

  it('a term needs every field it sets, a guard any term; negate inverts the whole guard', () => {
    const both = { proto: 6, dport: { lo: 80, hi: 80 } };
    expectPasses({ terms: [both] }, ['syn'], ['synAck', 'udpDns']);
    expectPasses({ terms: [both, { flags: abi.F_ARP }] }, ['syn', 'arp'], ['synAck', 'udpDns']);
    expectPasses({ terms: [both, { flags: abi.F_ARP }], negate: true }, ['synAck', 'udpDns'], ['syn', 'arp']);
    expectPasses({ terms: [{ srcIp: { base: ip('10.0.0.0'), len: 8 } }], negate: true }, ['arp'], ['syn']);
  });

  it('sees the header as the steps before it left it (after route, not as it arrived)', () => {
    const MAC_GW = 0x00155d0000aa;
    for (const core of cores()) {
      loadRoutes(core, 7, [{ prefix: 0, len: 0, kind: 'forward', ifIndex: 1, ifMac: 0x00155d0000ff, gateway: ip('10.0.1.1') }]);
      loadNeighbors(core, 7, [{ ip: ip('10.0.1.1'), mac: MAC_GW }]);
      loadGuard(core, G, { terms: [{ dstMac: MAC_GW }] });
      const P = { stage: abi.STAGE_PARSE };
      const c = run(core, [F.syn], [P, guard(G, 1), WITNESS, { stage: abi.STAGE_ROUTE, a0: 7 }, guard(G, 1), WITNESS]);
      expect(c[abi.STAGE_ACL][abi.C_IN], core.kind).toBe(1);
      expect(c[abi.STAGE_ROUTE][abi.C_PASS], core.kind).toBe(1);
    }
  });
});

describe('the park window', () => {
  const never: Guard = { terms: [] };
  const always: Guard = { terms: [], negate: true };

  /** How many of the witness steps each packet of `frames` went through. */
  function witnessed(core: PacketCore, frames: Uint8Array[], program: ProgramStep[]): number {
    return run(core, frames, program)[abi.STAGE_ACL][abi.C_IN];
  }

  it('skips exactly the next k steps, also past the end of the program', () => {
    for (const core of cores()) {
      loadGuard(core, 1, never);
      for (let k = 0; k <= 6; k++) {
        const n = witnessed(core, [F.syn], [{ stage: abi.STAGE_PARSE }, guard(1, k), WITNESS, WITNESS, WITNESS, WITNESS]);
        expect(n, `${core.kind} k=${k}`).toBe(Math.max(0, 4 - k));
        expect(readDescriptor(core, 0).next).toBe(abi.NEXT_CONTINUE);
      }
    }
  });

  it('nested and consecutive guards: each packet wakes at its own step', () => {
    for (const core of cores()) {
      loadGuard(core, 1, never);
      loadGuard(core, 2, always);
      const P = { stage: abi.STAGE_PARSE };
      // Outer passes, inner parks over one witness.
      expect(witnessed(core, [F.syn], [P, guard(2, 3), guard(1, 1), WITNESS, WITNESS, WITNESS])).toBe(2);
      // Outer parks over the inner guard, which then never sees the packet.
      const c = run(core, [F.syn], [P, guard(1, 1), guard(1, 5), WITNESS, WITNESS]);
      expect(c[abi.STAGE_ACL][abi.C_IN]).toBe(2);
      expect(c[abi.STAGE_GUARD]).toEqual([1, 1, 0, 0]);
      // An inner window reaching past the outer one.
      expect(witnessed(core, [F.syn], [P, guard(2, 1), guard(1, 3), WITNESS, WITNESS, WITNESS, WITNESS])).toBe(1);
      // Consecutive guards, the second parks what the first let through.
      loadGuard(core, 3, { terms: [{ proto: 6 }] });
      loadGuard(core, 4, { terms: [{ dport: { lo: 80, hi: 80 } }] });
      const mixed = [F.syn, F.synAck, F.udpDns, F.arp];
      expect(witnessed(core, mixed, [P, guard(3, 2), guard(4, 1), WITNESS, WITNESS])).toBe(1 + 2 + 1 + 1);
    }
  });

  it('counts parked packets as passed by the guard, and traces nothing for it', () => {
    for (const core of cores()) {
      loadGuard(core, 3, { terms: [{ proto: 6 }] });
      writeBatch(core, [F.syn, F.udpDns, F.arp]);
      core.resetCounters();
      core.setTracing(true);
      core.run(3, [{ stage: abi.STAGE_PARSE }, guard(3, 1), WITNESS]);
      const events = core.traceEvents();
      core.setTracing(false);
      expect(events.filter((e) => e.stage === abi.STAGE_GUARD)).toEqual([]);
      expect(events.filter((e) => e.stage === abi.STAGE_ACL).map((e) => e.pkt)).toEqual([0]);
      const c = core.counters();
      expect(c.stages[abi.STAGE_GUARD]).toEqual([3, 3, 0, 0]);
      expect(c.drops.size).toBe(0);
    }
  });

  it('a guard over a packet parse has not read is a program error', () => {
    for (const core of cores()) {
      loadGuard(core, 1, always);
      writeBatch(core, [F.syn]);
      expect(() => core.run(1, [guard(1, 1), WITNESS]), core.kind).toThrow();
      writeBatch(core, [F.syn]);
      // The program after the error starts clean: nothing stays parked.
      core.run(1, [{ stage: abi.STAGE_PARSE }, guard(1, 1)]);
      expect(readDescriptor(core, 0).next).toBe(abi.NEXT_CONTINUE);
    }
  });
});

describe('loadGuard', () => {
  it('refuses ids, prefixes, ranges, protocols, MACs and flags out of range', () => {
    const bad: [number, Guard][] = [
      [-1, { terms: [] }], [guardTable.GUARD_MAX_GUARDS, { terms: [] }], [1.5, { terms: [] }],
      [0, { terms: [{ srcIp: { base: 1, len: 33 } }] }], [0, { terms: [{ dstIp: { base: -1, len: 8 } }] }],
      [0, { terms: [{ dport: { lo: 90, hi: 80 } }] }], [0, { terms: [{ sport: { lo: 0, hi: 65536 } }] }],
      [0, { terms: [{ proto: 256 }] }], [0, { terms: [{ srcMac: 2 ** 48 }] }], [0, { terms: [{ flags: 256 }] }],
      [0, { terms: Array.from({ length: guardTable.GUARD_MAX_TERMS + 1 }, () => ({})) }],
    ];
    for (const core of cores()) for (const [id, g] of bad) expect(() => loadGuard(core, id, g), JSON.stringify([id, g]).slice(0, 80)).toThrow(RangeError);
  });

  it('masks prefix bases to their length', () => {
    expect(normalizeGuard({ terms: [{ srcIp: { base: ip('10.1.2.3'), len: 16 } }] }).terms[0].srcIp).toEqual({ base: ip('10.1.0.0'), len: 16 });
  });

  it('mirrors the image layout of assembly/tables/guard-table.ts', () => {
    const text = readFileSync(new URL('../../assembly/tables/guard-table.ts', import.meta.url), 'utf8');
    const asc = new Map([...text.matchAll(/^export const (\w+): [iu]32 = (\d+);/gm)].map((m) => [m[1], Number(m[2])]));
    const ts = Object.entries(guardTable).filter(([, v]) => typeof v === 'number') as [string, number][];
    expect(ts.length).toBeGreaterThan(20);
    for (const [name, value] of ts) expect(asc.get(name), name).toBe(value);
  });

  it('replaces a guard on reload, and reloads reuse memory instead of growing it', () => {
    const core = pair.wasm;
    const mark = (): number => core.alloc(16);
    // Each id first holds its largest guard; then thousands of reloads of every size.
    for (let t = 0; t <= 40; t++) loadGuard(core, 100 + t, { terms: Array.from({ length: 40 }, () => ({ proto: 6 })) });
    const before = mark();
    for (let round = 0; round < 2000; round++) {
      const t = (round * 7) % 41;
      loadGuard(core, 100 + (round % 41), { terms: Array.from({ length: t }, () => ({ proto: 6 })) });
    }
    const after = mark();
    // Two marks of 16 (+16 alignment) bytes lie between: anything more would be a leaked image.
    expect(after - before).toBeLessThanOrEqual(64);
    for (const c of cores()) {
      loadGuard(c, 5, { terms: [{ proto: 6 }] });
      loadGuard(c, 5, { terms: [{ proto: 17 }] });
      loadGuard(c, G, { terms: [{ proto: 17 }] });
      expect(passes(c, undefined, F.syn)).toBe(false);
    }
  });
});

describe('a guard is the program without the steps it skips', () => {
  it('two WebAssembly cores in lockstep, 3000 random packets, random guards and programs', async () => {
    const a = await loadWasmCore({ slots: 64, traceCapacity: 4096 });
    const b = await loadWasmCore({ slots: 64, traceCapacity: 4096 });
    const ref = pair.ref as RefCore;
    const stages = presentStages(a).filter((s) => s !== abi.STAGE_GUARD);
    let passed = 0;
    let parked = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed * 7919);
      const pools = randomPools(r, 8, 8, 2);
      const world = loadWorld([a, b], r, pools, stages);
      for (let p = 0; p < 100; p++) {
        const g = randomGuard(r, pools);
        loadGuard(a, G, g);
        loadGuard(ref, G, g);
        const rest = randomProgram(r, world).slice(1);
        const k = randInt(r, 0, rest.length);
        const frame = randomFrame(r, pools, { tagged: 0.3, arp: 0.2 });
        const inPort = randInt(r, 0, world.ports);
        const ctx = world.networks[randInt(r, 0, 1)];
        // The guard's verdict comes from the reference evaluator over the parsed packet.
        writeBatch(ref, [frame], inPort, ctx);
        ref.run(1, [{ stage: abi.STAGE_PARSE }]);
        if (ref.next(0) !== abi.NEXT_CONTINUE) continue;
        const ok = refGuardPasses(ref, 0, normalizeGuard(g));
        if (ok) passed++;
        else parked++;
        const P = { stage: abi.STAGE_PARSE };
        const withGuard = [P, guard(G, k), ...rest];
        const without = ok ? [P, ...rest] : [P, ...rest.slice(k)];
        const outs = ([[a, withGuard], [b, without]] as const).map(([core, program]) => {
          writeBatch(core, [frame], inPort, ctx);
          core.resetCounters();
          core.setTracing(true);
          const n = core.run(1, [...program]);
          const o = outcome(core, n, true);
          core.setTracing(false);
          o.counters.stages[abi.STAGE_GUARD] = [];
          return o;
        });
        expect(outs[0], `seed ${seed} packet ${p}: ${JSON.stringify({ g, k, rest })}`).toEqual(outs[1]);
      }
    }
    expect(passed).toBeGreaterThan(300);
    expect(parked).toBeGreaterThan(300);
  });
});
