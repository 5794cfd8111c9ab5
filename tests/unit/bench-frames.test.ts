/**
 * The bench's frame generators (src/bench/frames.ts): the template path gives exactly the bytes of
 * the general frame builder for any flow, sizes are exact, checksums verify, the PRNG is seeded,
 * and pushFrames reports each frame's disposition across ring-sized chunks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as abi from '../../src/abi.js';
import { RefCore } from '../../src/engine/reference/index.js';
import { buildTcpFrame, buildUdpFrame, pushFrames, rng, tcpFrame, udpFrame, type FlowFrame } from '../../src/bench/frames.js';
import { frameFields } from '../../src/wire/build.js';
import { checksumValid, csumFold, csumPartial, pseudoHeaderSum } from '../../src/wire/checksum.js';

const u48 = fc.integer({ min: 0, max: 0xffff_ffff_ffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 0, max: 65535 });
const flow: fc.Arbitrary<FlowFrame> = fc.record({ srcMac: u48, dstMac: u48, src: u32, dst: u32, sport: port, dport: port });

function l4Valid(b: Uint8Array, proto: number): boolean {
  const src = new DataView(b.buffer, b.byteOffset).getUint32(26);
  const dst = new DataView(b.buffer, b.byteOffset).getUint32(30);
  const len = b.length - 34;
  return csumFold(csumPartial(b, 34, len, pseudoHeaderSum(src, dst, proto, len))) === 0xffff;
}

describe('bench frames', () => {
  it('udpFrame equals the general builder byte for byte, any flow and size', () => {
    fc.assert(
      fc.property(flow, fc.integer({ min: 42, max: 1514 }), (f, size) => {
        const a = udpFrame(f, size);
        expect(Buffer.compare(a, buildUdpFrame(f, size))).toBe(0);
        expect(a.length).toBe(size);
        expect(checksumValid(a, 14, 20)).toBe(true);
        expect(l4Valid(a, 17)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('tcpFrame equals the general builder byte for byte, any flow, size and flags', () => {
    fc.assert(
      fc.property(flow, fc.integer({ min: 54, max: 1514 }), fc.constantFrom('S', 'PA', 'A', 'FA'), (f, size, flags) => {
        const a = tcpFrame(f, size, flags);
        expect(Buffer.compare(a, buildTcpFrame(f, size, flags))).toBe(0);
        expect(a.length).toBe(size);
        expect(checksumValid(a, 14, 20)).toBe(true);
        expect(l4Valid(a, 6)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('frames decode as the flow they were given', () => {
    const f = { srcMac: 0x00155d000001, dstMac: 0x00155d000002, src: 0xac100002, dst: 0x0a010002, sport: 49152, dport: 443 };
    const fields = frameFields(tcpFrame(f, 64, 'S', 0));
    expect(fields['ip.src']).toBe('172.16.0.2');
    expect(fields['ip.dst']).toBe('10.1.0.2');
    expect(fields['tcp.sport']).toBe(49152);
    expect(fields['tcp.dport']).toBe(443);
  });

  it('rng is deterministic in its seed', () => {
    const a = rng(7);
    const b = rng(7);
    const c = rng(8);
    const xs = Array.from({ length: 8 }, () => a());
    expect(Array.from({ length: 8 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('pushFrames runs more frames than the ring holds and reports every disposition', () => {
    const core = new RefCore({ slots: 64, traceCapacity: 0 });
    const frames = Array.from({ length: 150 }, (_, k) => {
      const f = udpFrame({ srcMac: 2, dstMac: 4, src: 0x0a000001, dst: 0x0a000002, sport: k, dport: 53 }, 64);
      if (k % 7 === 3) f[14] = 0x55; // IPv4 version 5: parse drops it
      return f;
    });
    const next = pushFrames(core, frames, [{ stage: abi.STAGE_PARSE }]);
    expect(next.length).toBe(150);
    next.forEach((x, k) => expect(x).toBe(k % 7 === 3 ? abi.NEXT_DROP : abi.NEXT_CONTINUE));
    const bad = frames.filter((_, k) => k % 7 === 3).length;
    expect(bad).toBe(21);
    expect(core.counters().stages[abi.STAGE_PARSE].slice(0, 3)).toEqual([150, 150 - bad, bad]);
  });
});
