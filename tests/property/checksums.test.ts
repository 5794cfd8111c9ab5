/**
 * Property: every checksum the data plane patches incrementally (RFC 1624) equals a full recompute
 * (RFC 1071). Valid frames (every checksum right, as buildFrame makes them) go through programs that
 * rewrite headers — route (TTL), and NAT (addresses, ports, echo ids) and VXLAN encap (outer header)
 * when those stages are in the tree; afterwards, in every frame still alive, each IPv4 header
 * checksum and each TCP / UDP / ICMP checksum (of unfragmented packets; VXLAN inner frames too) must
 * be exactly what a recompute gives (UDP: 0 stays "no checksum", a computed 0 is sent as 0xFFFF).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as abi from '../../src/abi.js';
import { writeBatch, readFrame, readDescriptor, type PacketCore, type ProgramStep } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { rng } from '../support/diff-harness.js';
import { onesComplementSum, randInt, randomFrame, randomPools } from '../support/random-frames.js';
import { loadWorld, presentStages } from '../support/pipeline-world.js';

const BATCH = 256;

const rd16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

/** Recomputes checksums of the frame at `off` (recursing into VXLAN); returns a mismatch, or undefined. */
export function checkFrameChecksums(b: Uint8Array, off: number, depth = 0): string | undefined {
  if (b.length < off + 14) return undefined;
  let l3 = off + 14;
  let et = rd16(b, off + 12);
  if (et === 0x8100) {
    et = rd16(b, off + 16);
    l3 += 4;
  }
  if (et !== 0x0800 || b.length < l3 + 20) return undefined;
  const ihl = (b[l3] & 15) * 4;
  const tot = rd16(b, l3 + 2);
  if (ihl < 20 || l3 + tot > b.length || tot < ihl) return undefined;
  const stored = rd16(b, l3 + 10);
  const copy = b.slice(l3, l3 + ihl);
  copy[10] = copy[11] = 0;
  const want = ~onesComplementSum(copy, 0, ihl) & 0xffff;
  if (stored !== want) return `depth ${depth}: IPv4 checksum ${stored.toString(16)}, recompute ${want.toString(16)}`;
  if (rd16(b, l3 + 6) & 0x3fff) return undefined;
  const proto = b[l3 + 9];
  const l4 = l3 + ihl;
  const len = tot - ihl;
  const seg = b.slice(l4, l4 + len);
  const pseudo = new Uint8Array(12 + len);
  pseudo.set(b.subarray(l3 + 12, l3 + 20), 0);
  pseudo[9] = proto;
  pseudo[10] = len >> 8;
  pseudo[11] = len & 0xff;
  pseudo.set(seg, 12);
  if (proto === 6 && len >= 20) {
    const s = rd16(seg, 16);
    pseudo[12 + 16] = pseudo[12 + 17] = 0;
    const w = ~onesComplementSum(pseudo, 0, pseudo.length) & 0xffff;
    if (s !== w) return `depth ${depth}: TCP checksum ${s.toString(16)}, recompute ${w.toString(16)}`;
  } else if (proto === 17 && len >= 8) {
    const s = rd16(seg, 6);
    if (s !== 0) {
      pseudo[12 + 6] = pseudo[12 + 7] = 0;
      const w = ~onesComplementSum(pseudo, 0, 12 + rd16(seg, 4)) & 0xffff || 0xffff;
      if (s !== w) return `depth ${depth}: UDP checksum ${s.toString(16)}, recompute ${w.toString(16)}`;
    }
    if (rd16(seg, 2) === 4789 && len >= 16 + 14 && seg[8] & 0x08) return checkFrameChecksums(b.subarray(0, l4 + len), l4 + 16, depth + 1);
  } else if (proto === 1 && len >= 8) {
    const s = rd16(seg, 2);
    seg[2] = seg[3] = 0;
    const w = ~onesComplementSum(seg, 0, len) & 0xffff;
    if (s !== w) return `depth ${depth}: ICMP checksum ${s.toString(16)}, recompute ${w.toString(16)}`;
  }
  return undefined;
}

let core: PacketCore;
let stages: number[];
beforeAll(async () => {
  core = await loadWasmCore({ slots: 1024 });
  stages = presentStages(core);
});

/** Programs that rewrite checksummed fields, over the stages present. */
function programs(): ProgramStep[][] {
  const p: ProgramStep[][] = [[{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: 7 }]];
  if (stages.includes(abi.STAGE_NAT)) {
    p.push([{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_NAT, a0: 1, a1: 0 }]);
    p.push([{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_NAT, a0: 1, a1: 0 }, { stage: abi.STAGE_ROUTE, a0: 7 }]);
  }
  if (stages.includes(abi.STAGE_VXLAN_ENCAP)) {
    p.push([{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ROUTE, a0: 7 }, { stage: abi.STAGE_VXLAN_ENCAP, a0: 4 }]);
  }
  return p;
}

describe('incremental checksums equal a full recompute', () => {
  it('route, and nat / vxlan-encap when present', () => {
    const progs = programs();
    let checked = 0;
    let changed = 0;
    fc.assert(
      fc.property(fc.integer(), fc.nat(progs.length - 1), (seed, which) => {
        const r = rng(seed);
        const pools = randomPools(r, 12, 16, 3);
        const world = loadWorld([core], r, pools, stages);
        // Low TTLs are rarer here: the point is the forwarded packets.
        const frames = Array.from({ length: BATCH }, () => randomFrame(r, pools, { tagged: 0.2, arp: 0.05 }));
        const ctx = frames.map(() => world.networks[randInt(r, 0, 1)]);
        writeBatch(core, frames, 0, ctx);
        const n = core.run(BATCH, progs[which]);
        for (let i = 0; i < n; i++) {
          if (readDescriptor(core, i).next === abi.NEXT_DROP) continue;
          const f = readFrame(core, i);
          const bad = checkFrameChecksums(f, 0);
          if (bad) throw new Error(`packet ${i} after ${JSON.stringify(progs[which])}: ${bad}`);
          checked++;
          if (i < BATCH && Buffer.compare(Buffer.from(f), Buffer.from(frames[i])) !== 0) changed++;
        }
      }),
      { numRuns: 120 },
    );
    expect(checked).toBeGreaterThan(5000);
    expect(changed).toBeGreaterThan(1000);
  });

  it('the checker itself catches a wrong checksum', () => {
    const r = rng(7);
    const pools = randomPools(r);
    let caught = 0;
    for (let k = 0; k < 200; k++) {
      const f = randomFrame(r, pools, { arp: 0 });
      expect(checkFrameChecksums(f, 0)).toBeUndefined();
      const l3 = f[12] === 0x81 ? 18 : 14;
      f[l3 + 8] ^= 1; // TTL changed, checksum not
      if (checkFrameChecksums(f, 0)) caught++;
    }
    expect(caught).toBe(200);
  });
});
