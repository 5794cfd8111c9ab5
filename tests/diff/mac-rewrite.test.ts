/**
 * Differential test of mac-rewrite (l2bridge): seeded random networks (host MAC set or not,
 * endpoint maps with duplicate and missing addresses) and batches of IPv4 and ARP frames, unicast
 * and broadcast, through both cores in both directions must agree on bytes, descriptors, counters
 * and traces. Exact cases pin the egress / ingress / ARP semantics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { loadEndpointMap, setHostMac } from '../../src/engine/loaders/endpoint-map.js';
import { buildFrame } from '../../src/wire/build.js';
import { readMac } from '../../src/wire/ethernet.js';
import { makePair, rng, runBoth, type CorePair } from '../support/diff-harness.js';
import { pick, randInt, randomBatch, randomPools, unicastMac } from '../support/random-frames.js';

const BATCHES = 24;
const BATCH = 256;
const UNKNOWN = DROP_REASONS.find((d) => d.name === 'MAC_REWRITE_UNKNOWN_ENDPOINT')!.code;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 512, traceCapacity: 1 << 16 });
});

describe('mac-rewrite: wasm and reference agree', () => {
  it(`${BATCHES} seeded batches of ${BATCH} frames`, () => {
    let rewritten = 0;
    let unknown = 0;
    for (let b = 0; b < BATCHES; b++) {
      const seed = 0x3ac00000 + b;
      const r = rng(seed);
      const pools = randomPools(r, 16, 24, 2);
      const net = randInt(r, 0, 1023);
      const entries = pools.ips.filter(() => r() < 0.7).map((ip) => ({ ip, mac: unicastMac(r) }));
      if (entries.length && r() < 0.5) entries.push({ ip: pick(r, entries).ip, mac: unicastMac(r) }); // duplicate: last wins
      const host = pick(r, pools.macs);
      for (const c of [pair.wasm, pair.ref]) {
        if (b % 4 !== 3) setHostMac(c, net, host);
        loadEndpointMap(c, net, entries);
        c.resetCounters();
      }
      const frames = randomBatch(r, pools, BATCH, 0.9, { arp: 0.3, group: 0.15 });
      const program = [
        { stage: abi.STAGE_PARSE },
        { stage: abi.STAGE_MAC_REWRITE, a0: net, a1: b % 2 },
        ...(b % 5 === 0 ? [{ stage: abi.STAGE_MAC_REWRITE, a0: net, a1: 1 - (b % 2) }] : []),
      ];
      const out = runBoth(pair, frames, program, { seed, trace: b % 3 !== 2 });
      const [inN, pass, drop, done] = out.counters.stages[abi.STAGE_MAC_REWRITE];
      expect(pass + drop + done, `seed ${seed}`).toBe(inN);
      unknown += out.counters.drops.find(([c]) => c === UNKNOWN)?.[1] ?? 0;
      rewritten += out.trace.filter((t) => / s8 a6 e\d+ f[12] /.test(t)).length;
    }
    expect(unknown).toBeGreaterThan(50);
    expect(rewritten).toBeGreaterThan(500);
  });
});

describe('mac-rewrite: exact cases', () => {
  const HOST = 0x00155d_aa0001;
  const C1 = 0x00155d_000001;
  const PEER = 0x00155d_bb0002;
  beforeAll(() => {
    for (const c of [pair.wasm, pair.ref]) {
      setHostMac(c, 7, HOST);
      loadEndpointMap(c, 7, [{ ip: 0x0a000005, mac: 0x00155d_000009 }, { ip: 0x0a000002, mac: C1 }]);
      c.resetCounters();
    }
  });

  it('egress: source MAC and ARP sender hardware address become the host MAC', () => {
    const ip = buildFrame({ eth: { src: C1, dst: PEER }, ipv4: { src: '10.0.0.2', dst: '10.0.0.3' }, udp: { sport: 1, dport: 2 } });
    const arp = buildFrame({ eth: { src: C1, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.2', targetIp: '10.0.0.3' } });
    const out = runBoth(pair, [ip, arp], [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_MAC_REWRITE, a0: 7, a1: 0 }], { seed: 2, trace: true });
    const f0 = Buffer.from(out.frames[0], 'hex');
    const f1 = Buffer.from(out.frames[1], 'hex');
    expect(readMac(f0, 6)).toBe(HOST);
    expect(readMac(f0, 0)).toBe(PEER);
    expect(readMac(f1, 6)).toBe(HOST);
    expect(readMac(f1, 14 + 8)).toBe(HOST); // ARP SHA
    expect(out.trace).toContain(`1 s8 a6 e-1 f${abi.FIELD_ARP_SHA} ${C1}>${HOST}`);
  });

  it('ingress: destination MAC by destination IP (ARP: by target IP, replies also THA); broadcast untouched', () => {
    const toC1 = buildFrame({ eth: { src: PEER, dst: HOST }, ipv4: { src: '10.0.0.3', dst: '10.0.0.2' }, icmp: {} });
    const reply = buildFrame({ eth: { src: PEER, dst: HOST }, arp: { op: 'reply', senderIp: '10.0.0.3', targetIp: '10.0.0.2', targetMac: HOST } });
    const bcast = buildFrame({ eth: { src: PEER, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.3', targetIp: '10.0.0.2' } });
    const stranger = buildFrame({ eth: { src: PEER, dst: HOST }, ipv4: { src: '10.0.0.3', dst: '10.0.0.77' }, icmp: {} });
    const out = runBoth(pair, [toC1, reply, bcast, stranger], [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_MAC_REWRITE, a0: 7, a1: 1 }], { seed: 3, trace: true });
    const f = out.frames.map((h) => Buffer.from(h, 'hex'));
    expect(readMac(f[0], 0)).toBe(C1);
    expect(readMac(f[1], 0)).toBe(C1);
    expect(readMac(f[1], 14 + 18)).toBe(C1); // ARP THA
    expect(out.frames[2]).toBe(Buffer.from(bcast).toString('hex'));
    expect(out.descriptors[3].drop).toBe(UNKNOWN);
    expect(out.trace).toContain(`0 s8 a6 e1 f${abi.FIELD_ETH_DST} ${HOST}>${C1}`);
  });
});
