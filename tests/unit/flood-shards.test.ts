/**
 * The pieces a flood on several workers is made of (src/sim/flood-shards.ts): each flow's frame,
 * the symmetric hash that picks a flow's worker, the NAT pool slices, and which packets a worker sends.
 */
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../../src/wire/build.js';
import { runScript } from '../../src/index.js';
import {
  FLOOD_PARALLEL_THRESHOLD, MAX_FLOOD_FLOWS, defaultFloodWorkers, flowField, flowPatch, patchFlow, roundsCount, slicePool, symmetricFlowHash,
  flowHashes, frameFlowHash, shardOf, type FloodProto,
} from '../../src/sim/flood-shards.js';

function frame(proto: FloodProto, f: number, size: number): Uint8Array {
  const base = { eth: { src: 0x00155d000001, dst: 0x00155d000002 }, ipv4: { src: 0x0a000032, dst: 0xac100005, ttl: 128 } };
  const payload = new Uint8Array(Math.max(0, size - (proto === 'tcp' ? 54 : 42)));
  const v = flowField(proto, f);
  if (proto === 'icmp') return buildFrame({ ...base, icmp: { type: 'echo-request', id: v, seq: 1 }, payload, minLength: size });
  if (proto === 'udp') return buildFrame({ ...base, udp: { sport: v, dport: 53 }, payload, minLength: size });
  return buildFrame({ ...base, tcp: { sport: v, dport: 8080, flags: 'S', seq: 1 }, payload, minLength: size });
}

describe("a flow's frame", () => {
  it('is flow 0 patched: the same bytes (checksums included) as building it', () => {
    for (const proto of ['tcp', 'udp', 'icmp'] as const) {
      for (const size of [64, 1514]) {
        const template = frame(proto, 0, size);
        const p = flowPatch(template, proto);
        for (const f of [0, 1, 2, 255, 4095, 25535, 25536, 40000, MAX_FLOOD_FLOWS - 1]) {
          const mem = new Uint8Array(template.length + 10);
          mem.set(template, 10);
          patchFlow(mem, 10, p, f);
          expect(Buffer.from(mem.subarray(10)).equals(Buffer.from(frame(proto, f, size))), `${proto} ${size} B flow ${f}`).toBe(true);
        }
      }
    }
  });

  it('every flow has its own source port above 1023 (40000 first, then wrapping to 1024)', () => {
    expect(flowField('tcp', 0)).toBe(40000);
    expect(flowField('tcp', 25535)).toBe(65535);
    expect(flowField('tcp', 25536)).toBe(1024);
    const ports = new Set<number>();
    for (let f = 0; f < MAX_FLOOD_FLOWS; f++) ports.add(flowField('udp', f));
    expect(ports.size).toBe(MAX_FLOOD_FLOWS);
    expect(Math.min(...ports)).toBe(1024);
    const ids = new Set<number>();
    for (let f = 0; f < MAX_FLOOD_FLOWS; f++) ids.add(flowField('icmp', f));
    expect(ids.size).toBe(MAX_FLOOD_FLOWS);
    expect(ids.has(0)).toBe(false);
  });
});

describe('the symmetric flow hash', () => {
  it('gives a flow and its reply the same worker', () => {
    for (let k = 0; k < 200; k++) {
      const a = (0x0a000000 + k * 7919) >>> 0;
      const b = (0xac100000 + k * 104729) >>> 0;
      const sp = 1024 + ((k * 31) % 60000);
      const dp = [80, 443, 53, 8080][k % 4]!;
      expect(symmetricFlowHash(a, b, sp, dp, 6)).toBe(symmetricFlowHash(b, a, dp, sp, 6));
    }
  });

  it('spreads a flood\'s flows over the workers', () => {
    const template = frame('tcp', 0, 64);
    const p = flowPatch(template, 'tcp');
    const per = [0, 0, 0, 0];
    for (let f = 0; f < 4096; f++) {
      const m = template.slice();
      patchFlow(m, 0, p, f);
      per[frameFlowHash(m, p) % 4]!++;
    }
    for (const n of per) expect(n).toBeGreaterThan(4096 / 4 * 0.85);
    // The reply of flow 7 (addresses and ports swapped) hashes like flow 7.
    const m = template.slice();
    patchFlow(m, 0, p, 7);
    const dv = new DataView(m.buffer);
    expect(frameFlowHash(m, p)).toBe(symmetricFlowHash(dv.getUint32(30), dv.getUint32(26), dv.getUint16(36), dv.getUint16(34), 6));
  });

  it("flowHashes gives each flow its frame's hash without building the frame (tcp, udp, icmp, tagged)", () => {
    for (const proto of ['tcp', 'udp', 'icmp'] as const) {
      for (const tagged of [false, true]) {
        let template = frame(proto, 0, 64);
        if (tagged) template = Uint8Array.from([...template.subarray(0, 12), 0x81, 0x00, 0x00, 0x05, ...template.subarray(12)]);
        const p = flowPatch(template, proto);
        const hashOf = flowHashes(template, p);
        for (const f of [0, 1, 7, 4095, 25535, 25536, MAX_FLOOD_FLOWS - 1]) {
          const m = template.slice();
          patchFlow(m, 0, p, f);
          expect(hashOf(f)).toBe(frameFlowHash(m, p));
        }
      }
    }
  });
});

describe('the shard of a flow', () => {
  const hashes = Array.from({ length: 20000 }, (_, k) => symmetricFlowHash(0x0a000032, 0xac100005, flowField('tcp', k % MAX_FLOOD_FLOWS), 8080, 6) ^ Math.imul(k, 0x9e3779b9));
  const split = (pick: (h: number) => number, w: number) => {
    const n = new Array<number>(w).fill(0);
    for (const h of hashes) n[pick(h)]!++;
    return n.map((x) => x / hashes.length);
  };

  it('is even when starting a worker costs nothing, and always a shard', () => {
    for (const w of [2, 3, 4, 8]) {
      for (const x of split(shardOf(w, 1e6, 0), w)) expect(Math.abs(x - 1 / w)).toBeLessThan(0.03);
    }
  });

  it("gives the coordinator's thread the packets it sends while the workers start", () => {
    // 2 shards, 2,000,000 packets: the first takes 1/2 + 200,000 / (2 × 2,000,000) = 55 %.
    const [a, b] = split(shardOf(2, 2_000_000, 200_000), 2);
    expect(a).toBeCloseTo(0.55, 1);
    expect(b).toBeCloseTo(0.45, 1);
    // A small flood stays on the coordinator's thread.
    expect(split(shardOf(4, 100_000, 200_000), 4)).toEqual([1, 0, 0, 0]);
  });
});

describe('NAT pool slices', () => {
  it('are disjoint, cover the pool in order, and follow the shares', () => {
    const range = { first: 49152, last: 65535 };
    for (const shares of [[1, 1], [1000, 3000], [5, 0, 7, 9], [1]]) {
      const s = slicePool(range, shares);
      expect(s[0]!.first).toBe(range.first);
      expect(s.at(-1)!.last).toBe(range.last);
      for (let k = 1; k < s.length; k++) expect(s[k]!.first).toBe(s[k - 1]!.last + 1);
      const size = range.last - range.first + 1;
      const total = shares.reduce((a, b) => a + b, 0);
      s.forEach((x, k) => {
        expect(x.last).toBeGreaterThanOrEqual(x.first);
        if (shares[k]) expect(x.last - x.first + 1).toBeGreaterThanOrEqual(Math.floor((size * shares[k]!) / total) - 1);
      });
    }
  });
});

describe("a worker's packets", () => {
  it('are the packets after the opening ones whose flow it holds', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let t = 0; t < 200; t++) {
      const flows = 1 + rnd(50);
      const total = flows + rnd(300);
      const mine = [...Array(flows).keys()].filter(() => rnd(3) === 0);
      const set = new Set(mine);
      let brute = 0;
      for (let k = flows; k < total; k++) if (set.has(k % flows)) brute++;
      expect(roundsCount({ template: new Uint8Array(0), patch: { proto: 'tcp', field: 0, checksum: 0 }, flows, total, mine })).toBe(brute);
    }
  });
});

describe('how many workers', () => {
  it('one for a small flood or a single flow, else the cores up to 8', () => {
    expect(defaultFloodWorkers(FLOOD_PARALLEL_THRESHOLD - 1, 4096, 16)).toBe(1);
    expect(defaultFloodWorkers(2_000_000, 1, 16)).toBe(1);
    expect(defaultFloodWorkers(2_000_000, 4096, 2)).toBe(2);
    expect(defaultFloodWorkers(2_000_000, 4096, 32)).toBe(8);
    expect(defaultFloodWorkers(2_000_000, 3, 32)).toBe(3);
  });

  it('--workers and --flows are checked at the command', async () => {
    const r = await runScript(['client bing --ip 204.79.197.200 --internet', 'docker run -d --name web microsoft/iis', 'flood web bing udp/53 --workers 0', 'flood web bing udp/53 --workers 65', `flood web bing udp/53 --flows ${MAX_FLOOD_FLOWS + 1}`].join('\n'), { seed: 1 });
    const floods = r.steps.filter((s) => s.command.startsWith('flood'));
    expect(floods.map((s) => s.error)).toEqual([
      // The parser's check of an int flag, as for --packets 0.
      '--workers must be a positive number, got "0"',
      'flood: --workers must be an integer from 1 to 64',
      `flood: --flows must be an integer from 1 to ${MAX_FLOOD_FLOWS}`,
    ]);
  });
});
