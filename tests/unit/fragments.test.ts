/**
 * IPv4 fragmentation and reassembly of the stations (src/sim/fragments.ts), by RFC 791 §2.3/§3.2
 * (offsets in 8-byte units, MF on all but the last fragment, the same identification, each fragment
 * its own header checksum; the first fragment carries the L4 header) and RFC 815 (reassembly is
 * complete when the data from 0 to the end of the MF-clear fragment is there).
 */
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../../src/wire/build.js';
import { checksumValid } from '../../src/wire/checksum.js';
import { fragmentFrame, fragmentInfo, Reassembler, isFragmentFrame } from '../../src/sim/fragments.js';

function ping(size: number, opts: { df?: boolean; ident?: number } = {}): Uint8Array {
  const payload = new Uint8Array(size).map((_, i) => 97 + (i % 23));
  return buildFrame({
    eth: { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' },
    ipv4: { src: '172.16.0.2', dst: '8.8.8.8', ttl: 128, ident: opts.ident ?? 0x1234, dontFragment: opts.df ?? false },
    icmp: { type: 'echo-request', id: 1, seq: 1 }, payload,
  });
}

const asList = (x: Uint8Array[] | 'df'): Uint8Array[] => {
  if (x === 'df') throw new Error('unexpected DF');
  return x;
};

describe('fragmentFrame', () => {
  it('leaves a datagram that fits the MTU alone (ping -l 1472 at 1500)', () => {
    const f = ping(1472);
    expect(asList(fragmentFrame(f, 1500))).toEqual([f]);
  });

  it('cuts ping -l 65500 at MTU 1500 into 45 fragments of 1480 data bytes, as RFC 791 says', () => {
    const f = ping(65500);
    const frags = asList(fragmentFrame(f, 1500));
    // 8 + 65500 = 65508 bytes of ICMP: 44 × 1480 + 388.
    expect(frags.length).toBe(45);
    frags.forEach((x, k) => {
      const info = fragmentInfo(x)!;
      expect(info.id).toBe(0x1234);
      expect(info.offset).toBe(k * 1480);
      expect(info.offset % 8).toBe(0);
      expect(info.more).toBe(k < 44);
      expect(info.totalLength).toBe(k < 44 ? 1500 : 20 + 388);
      expect(checksumValid(x, 14, 20), `header checksum of fragment ${k}`).toBe(true);
      expect(isFragmentFrame(x)).toBe(true);
    });
    // The first fragment carries the ICMP header (type 8, identifier 1).
    expect(frags[0][34]).toBe(8);
    expect((frags[0][38] << 8) | frags[0][39]).toBe(1);
  });

  it('uses the smaller MTU of an overlay vNIC (1450: 1424 data bytes per fragment)', () => {
    const frags = asList(fragmentFrame(ping(1473), 1450));
    expect(frags.map((x) => fragmentInfo(x)!.offset)).toEqual([0, 1424]);
    expect(frags.map((x) => fragmentInfo(x)!.totalLength)).toEqual([1444, 20 + 1481 - 1424]);
  });

  it('refuses to fragment a datagram with DF set', () => {
    expect(fragmentFrame(ping(1473, { df: true }), 1500)).toBe('df');
    expect(asList(fragmentFrame(ping(1472, { df: true }), 1500)).length).toBe(1);
  });
});

describe('Reassembler', () => {
  it('gives back the very datagram, whatever order the fragments come in', () => {
    const f = ping(4000);
    const frags = asList(fragmentFrame(f, 1500));
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const r = new Reassembler();
      const got = order.map((k) => r.add(frags[k]));
      expect(got.slice(0, 2)).toEqual([null, null]);
      expect(got[2]).toEqual(f);
      expect(r.size).toBe(0);
    }
  });

  it('never completes a datagram that lost a fragment (no reply: the reassembly timeout)', () => {
    const frags = asList(fragmentFrame(ping(4000), 1500));
    const r = new Reassembler();
    expect(r.add(frags[0])).toBeNull();
    expect(r.add(frags[2])).toBeNull();
    expect(r.size).toBe(1);
    r.clear();
    expect(r.add(frags[1])).toBeNull();
  });

  it('keeps datagrams with different identifications apart, and passes whole frames through', () => {
    const a = asList(fragmentFrame(ping(2000, { ident: 1 }), 1500));
    const b = asList(fragmentFrame(ping(2000, { ident: 2 }), 1500));
    const r = new Reassembler();
    expect(r.add(a[0])).toBeNull();
    expect(r.add(b[1])).toBeNull();
    expect(r.add(b[0])).toEqual(ping(2000, { ident: 2 }));
    expect(r.add(a[1])).toEqual(ping(2000, { ident: 1 }));
    const whole = ping(32);
    expect(r.add(whole)).toBe(whole);
  });

  it('refuses overlapping fragments and a datagram beyond 65,535 bytes', () => {
    const f = ping(4000);
    const frags = asList(fragmentFrame(f, 1500));
    const r = new Reassembler();
    expect(r.add(frags[0])).toBeNull();
    // The second fragment moved back by 8 bytes, with other data: it overlaps the first and is refused.
    const overlap = frags[1].slice();
    overlap[20] = 0x20;
    overlap[21] = (1480 - 8) / 8;
    overlap.fill(0xee, 34);
    expect(r.add(overlap)).toBeNull();
    expect(r.add(frags[1])).toBeNull();
    expect(r.add(frags[2])).toEqual(f);
    // The last fragment at offset 65,528: past 65,535 bytes, nothing is held.
    const huge = frags[2].slice();
    huge[20] = 0x1f;
    huge[21] = 0xff;
    const r2 = new Reassembler();
    expect(r2.add(huge)).toBeNull();
    expect(r2.size).toBe(0);
    expect(r2.add(frags[2])).toBeNull();
    expect(r2.size).toBe(1);
  });
});
