/** The libpcap writer and reader (src/engine/pcap.ts): exact header bytes, records, timestamps, errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PcapWriter, readPcap, PcapError, PCAP_MAGIC_MICROS, LINKTYPE_ETHERNET, type PcapFile } from '../../src/engine/pcap.js';

function ok(r: PcapFile | PcapError): PcapFile {
  if (r instanceof PcapError) throw new Error(`unexpected pcap error: ${r.message}`);
  return r;
}

describe('PcapWriter', () => {
  it('writes the 24-byte global header: magic, v2.4, zone 0, sigfigs 0, snaplen, Ethernet', () => {
    const b = new PcapWriter().toBytes();
    expect(Array.from(b)).toEqual([
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
    ]);
  });

  it('writes a 16-byte record header with seconds, microseconds, lengths, then the frame', () => {
    const w = new PcapWriter();
    w.add(Uint8Array.from([1, 2, 3]), 1_700_000_123_456_789);
    const b = w.toBytes();
    expect(b.length).toBe(24 + 16 + 3);
    const dv = new DataView(b.buffer);
    expect(dv.getUint32(24, true)).toBe(1_700_000_123);
    expect(dv.getUint32(28, true)).toBe(456_789);
    expect(dv.getUint32(32, true)).toBe(3);
    expect(dv.getUint32(36, true)).toBe(3);
    expect(Array.from(b.subarray(40))).toEqual([1, 2, 3]);
    expect(w.count).toBe(1);
  });

  it('copies frames on add (later changes to the caller buffer do not leak in)', () => {
    const f = Uint8Array.from([9, 9]);
    const w = new PcapWriter();
    w.add(f, 0);
    f[0] = 0;
    expect(ok(readPcap(w.toBytes())).records[0].data[0]).toBe(9);
  });

  it('cuts frames at snaplen and keeps the original length', () => {
    const w = new PcapWriter(4);
    w.add(new Uint8Array(10).fill(7), 5);
    const r = ok(readPcap(w.toBytes()));
    expect(r.snaplen).toBe(4);
    expect(r.records[0]).toEqual({ tsMicros: 5, data: new Uint8Array(4).fill(7), origLen: 10 });
  });

  it('rejects negative and non-finite timestamps', () => {
    const w = new PcapWriter();
    expect(() => w.add(new Uint8Array(1), -1)).toThrow(RangeError);
    expect(() => w.add(new Uint8Array(1), NaN)).toThrow(RangeError);
  });

  it('round-trips any frames and timestamps through the reader', () => fc.assert(fc.property(
    fc.array(fc.tuple(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 0, max: 2 ** 31 }).map((s) => s * 1_000_000 + (s % 999_999))), { maxLength: 20 }),
    (recs) => {
      const w = new PcapWriter();
      for (const [data, ts] of recs) w.add(data, ts);
      const r = ok(readPcap(w.toBytes()));
      expect(r.linkType).toBe(LINKTYPE_ETHERNET);
      expect(r.nanos).toBe(false);
      expect(r.records).toEqual(recs.map(([data, ts]) => ({ tsMicros: ts, data, origLen: data.length })));
    },
  ), { numRuns: 200 }));
});

describe('readPcap', () => {
  it('reads big-endian files and nanosecond files', () => {
    const b = new Uint8Array(24 + 16 + 2);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 0xa1b23c4d, false);
    dv.setUint16(4, 2, false);
    dv.setUint16(6, 4, false);
    dv.setUint32(16, 262144, false);
    dv.setUint32(20, 1, false);
    dv.setUint32(24, 10, false);
    dv.setUint32(28, 123_456_789, false);
    dv.setUint32(32, 2, false);
    dv.setUint32(36, 60, false);
    b[40] = 0xaa;
    b[41] = 0xbb;
    const r = ok(readPcap(b));
    expect(r.nanos).toBe(true);
    expect(r.snaplen).toBe(262144);
    expect(r.records).toEqual([{ tsMicros: 10_123_456, data: Uint8Array.from([0xaa, 0xbb]), origLen: 60 }]);
  });

  it('returns errors for a short file, a bad magic, a bad version and a truncated record', () => {
    expect(readPcap(new Uint8Array(10))).toBeInstanceOf(PcapError);
    const bad = new PcapWriter().toBytes();
    bad[0] = 0;
    expect((readPcap(bad) as PcapError).message).toMatch(/bad magic/);
    const v = new PcapWriter().toBytes();
    v[4] = 3;
    expect((readPcap(v) as PcapError).message).toMatch(/version 3/);
    const w = new PcapWriter();
    w.add(new Uint8Array(10), 0);
    const t = w.toBytes();
    expect((readPcap(t.subarray(0, t.length - 1)) as PcapError).message).toMatch(/runs past the end/);
    expect((readPcap(t.subarray(0, 30)) as PcapError).message).toMatch(/truncated record header/);
    expect(new DataView(t.buffer).getUint32(0, true)).toBe(PCAP_MAGIC_MICROS);
  });
});
