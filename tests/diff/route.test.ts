/**
 * Differential test of route: seeded random routing domains (nested prefixes of every length from
 * /0 to /32, local and forward routes, gateways and on-link routes, partial neighbour caches) and
 * batches of IPv4 and ARP frames (TTL 0..255, addresses inside and outside the routes) through both
 * cores. The reference finds the longest prefix by a linear scan and recomputes the IPv4 checksum in
 * full, so agreement checks the trie and the RFC 1624 incremental update. Exact cases pin the
 * semantics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { loadRoutes, loadNeighbors } from '../../src/engine/loaders/routes.js';
import type { Route } from '../../src/table-images/routes.js';
import { maskOf } from '../../src/addr.js';
import { buildFrame } from '../../src/wire/build.js';
import { readMac } from '../../src/wire/ethernet.js';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { onesComplementSum, pick, randInt, randomBatch, randomPools, unicastMac, type R } from '../support/random-frames.js';

const BATCHES = 24;
const BATCH = 256;
const code = (name: string) => DROP_REASONS.find((d) => d.name === name)!.code;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 512, traceCapacity: 1 << 16 });
});

function randomRoutes(r: R, ips: number[]): Route[] {
  const routes: Route[] = [];
  for (let k = randInt(r, 0, 60); k > 0; k--) {
    const base = r() < 0.8 ? pick(r, ips) : randInt(r, 0, 0xffffffff);
    const len = pick(r, [0, 8, 16, 24, 32, randInt(r, 0, 32), randInt(r, 0, 32)]);
    const local = r() < 0.1;
    routes.push({
      prefix: r() < 0.5 ? (base & maskOf(len)) >>> 0 : base,
      len,
      kind: local ? 'local' : r() < 0.5 ? 'forward' : undefined,
      ifIndex: local ? undefined : randInt(r, 0, 20),
      ifMac: local ? undefined : unicastMac(r),
      gateway: r() < 0.5 ? pick(r, ips) : r() < 0.5 ? 0 : undefined,
    });
  }
  return routes;
}

describe('route: wasm and reference agree', () => {
  it(`${BATCHES} seeded batches of ${BATCH} frames`, () => {
    const seen = new Map<number, number>();
    let routed = 0;
    let local = 0;
    for (let b = 0; b < BATCHES; b++) {
      const seed = 0x40a7e000 + b;
      const r = rng(seed);
      const pools = randomPools(r, 8, 40, 2);
      const routes = randomRoutes(r, pools.ips);
      const neighbors = pools.ips.filter(() => r() < 0.8).map((ip) => ({ ip, mac: unicastMac(r) }));
      const domain = randInt(r, 0, 1023);
      for (const c of [pair.wasm, pair.ref]) {
        loadRoutes(c, domain, routes);
        if (b % 6 !== 5) loadNeighbors(c, domain, neighbors);
        c.resetCounters();
      }
      const dstIp = (rr: R) => (rr() < 0.7 ? pick(rr, pools.ips) : rr() < 0.5 ? (pick(rr, pools.ips) ^ randInt(rr, 0, 0xffff)) >>> 0 : randInt(rr, 0, 0xffffffff));
      const frames = randomBatch(r, pools, BATCH, 0.9, { dstIp, arp: 0.1 });
      // a1 = 1 (the stack's own packets: no TTL check or decrement) in every fourth batch.
      const out = runBoth(pair, frames, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: domain, a1: b % 4 === 3 ? 1 : 0 }], { seed, trace: b % 2 === 0 });
      for (const [c, k] of out.counters.drops) seen.set(c, (seen.get(c) ?? 0) + k);
      const [inN, pass, drop, done] = out.counters.stages[abi.STAGE_ROUTE];
      expect(pass + drop + done, `seed ${seed}`).toBe(inN);
      local += done;
      routed += out.descriptors.filter((d) => d.next === abi.NEXT_CONTINUE && d.outPort !== 0xfffe).length;
    }
    for (const name of ['ROUTE_NO_ROUTE', 'ROUTE_TTL_EXPIRED', 'ROUTE_NO_NEIGHBOR']) expect(seen.get(code(name)) ?? 0, name).toBeGreaterThan(0);
    expect(routed).toBeGreaterThan(1000);
    expect(local).toBeGreaterThan(20);
  });

  it('agrees on 2,000 random lookups in a table of 3,000 routes', () => {
    const seed = 0x40a7f000;
    const r = rng(seed);
    const pools = randomPools(r, 4, 400, 1);
    const routes = Array.from({ length: 3000 }, (): Route => {
      const len = randInt(r, 0, 32);
      return { prefix: r() < 0.7 ? pick(r, pools.ips) : randInt(r, 0, 0xffffffff), len, ifIndex: randInt(r, 0, 1000), ifMac: unicastMac(r) };
    });
    for (const c of [pair.wasm, pair.ref]) {
      loadRoutes(c, 1, routes);
      loadNeighbors(c, 1, []);
    }
    for (let b = 0; b < 8; b++) {
      const frames = Array.from({ length: 250 }, () =>
        buildFrame({ eth: { src: 2, dst: 4 }, ipv4: { src: '1.1.1.1', dst: r() < 0.6 ? (pick(r, pools.ips) ^ randInt(r, 0, 0xff)) >>> 0 : randInt(r, 0, 0xffffffff) }, icmp: {} }),
      );
      // No neighbours: every matched route drops with its index in the trace, every miss without.
      const out = runBoth(pair, frames, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: 1 }], { seed: seed + b, trace: true });
      expect(out.trace.filter((t) => / s10 a10 e\d+ /.test(t)).length).toBeGreaterThan(100);
    }
  });
});

describe('route: exact cases', () => {
  const IF_MAC = 0x00155d_0a0001;
  const GW_MAC = 0x00155d_0a00fe;
  const H_MAC = 0x00155d_0b0007;
  const routes: Route[] = [
    { prefix: 0, len: 0, ifIndex: 1, ifMac: IF_MAC, gateway: 0x0a0000fe }, // default via 10.0.0.254
    { prefix: 0x0a000000, len: 24, ifIndex: 1, ifMac: IF_MAC }, // 10.0.0.0/24 on-link
    { prefix: 0x0a000001, len: 32, kind: 'local' }, // 10.0.0.1 is ours
    { prefix: 0xac100000, len: 16, ifIndex: 2, ifMac: 0x00155d_ac0001 }, // 172.16/16, no neighbours
  ];
  beforeAll(() => {
    for (const c of [pair.wasm, pair.ref]) {
      loadRoutes(c, 3, routes);
      loadNeighbors(c, 3, [{ ip: 0x0a0000fe, mac: GW_MAC }, { ip: 0x0a000007, mac: H_MAC }]);
      c.resetCounters();
    }
  });
  const pkt = (dst: string, ttl = 64) => buildFrame({ eth: { src: 0x00155d_999999, dst: IF_MAC }, ipv4: { src: '10.0.0.9', dst, ttl }, udp: { sport: 5, dport: 6 } });

  it('forwards with LPM, rewrites MACs, decrements TTL with a valid checksum; local, expiry, no neighbour', () => {
    const arpLocal = buildFrame({ eth: { src: 2, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.9', targetIp: '10.0.0.1' } });
    const arpOther = buildFrame({ eth: { src: 2, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.9', targetIp: '10.0.0.8' } });
    const out = runBoth(
      pair,
      [pkt('8.8.8.8'), pkt('10.0.0.7'), pkt('10.0.0.1'), pkt('8.8.8.8', 1), pkt('172.16.0.5'), pkt('10.0.0.8'), arpLocal, arpOther],
      [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: 3 }],
      { seed: 9, trace: true },
    );
    const f = out.frames.map((h) => Buffer.from(h, 'hex'));
    expect([readMac(f[0], 0), readMac(f[0], 6), f[0][22], out.descriptors[0].outPort]).toEqual([GW_MAC, IF_MAC, 63, 1]);
    expect(readMac(f[1], 0)).toBe(H_MAC);
    for (const k of [0, 1]) expect(onesComplementSum(f[k], 14, 20), `checksum of packet ${k}`).toBe(0xffff);
    expect(out.descriptors.map((d) => [d.next, d.drop])).toEqual([
      [abi.NEXT_CONTINUE, 0], [abi.NEXT_CONTINUE, 0], [abi.NEXT_LOCAL, 0], [abi.NEXT_DROP, code('ROUTE_TTL_EXPIRED')],
      [abi.NEXT_DROP, code('ROUTE_NO_NEIGHBOR')], [abi.NEXT_DROP, code('ROUTE_NO_NEIGHBOR')], [abi.NEXT_LOCAL, 0], [abi.NEXT_CONTINUE, 0],
    ]);
    expect(out.counters.stages[abi.STAGE_ROUTE]).toEqual([8, 3, 3, 2]);
    expect(out.trace).toContain('0 s10 a11 e0 f6 64>63');
    expect(out.trace).toContain('1 s10 a11 e1 f0 0>1');
    expect(out.trace).toContain('4 s10 a10 e3 f0 0>82');
  });
});
