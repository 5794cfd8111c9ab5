/**
 * The Internet checksum: RFC 1071's worked example, the pseudo-header sums of UDP/TCP, and the
 * RFC 1624 incremental updates checked against a full recomputation (as a NAT rewrite and the
 * VXLAN length patch use them).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  csumPartial, csumFold, csumFinish, internetChecksum, checksumValid, pseudoHeaderSum, csumUpdate16, csumUpdate32,
  buildFrame, computeTcpChecksum, computeUdpChecksum, tcpChecksum, udpChecksum, ipv4Checksum, rd16, rd32, wr16, wr32,
  IPV4_FIELD, TCP_FIELD, UDP_FIELD, intToIp,
} from '../../src/wire/index.js';

describe('RFC 1071', () => {
  it('§3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, checksum 0x220d', () => {
    const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(csumFold(csumPartial(b, 0, 8))).toBe(0xddf2);
    expect(internetChecksum(b, 0, 8)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero on the right', () => {
    expect(csumPartial(Uint8Array.from([0xab]), 0, 1)).toBe(0xab00);
    expect(internetChecksum(Uint8Array.from([1, 2, 3]), 0, 3)).toBe(~(0x0102 + 0x0300) & 0xffff);
  });

  it('fold carries end-around, repeatedly', () => {
    expect(csumFold(0x1_fffe)).toBe(0xffff);
    expect(csumFold(0xffff_ffff)).toBe(0xffff);
    expect(csumFold(0x2_0000_0001)).toBe(0x0003);
    expect(csumFinish(0xffff)).toBe(0);
  });

  it('data plus its checksum verifies (sums to 0xffff), for any data', () => fc.assert(fc.property(
    fc.uint8Array({ minLength: 2, maxLength: 100 }).filter((b) => b.some((x) => x !== 0)),
    (data) => {
      const even = data.length % 2 === 0 ? data : Uint8Array.from([...data, 0]);
      const withSum = new Uint8Array(even.length + 2);
      withSum.set(even);
      wr16(withSum, even.length, internetChecksum(even, 0, even.length));
      expect(checksumValid(withSum, 0, withSum.length)).toBe(true);
      withSum[0] ^= 0x01;
      expect(checksumValid(withSum, 0, withSum.length)).toBe(false);
    },
  ), { numRuns: 300 }));

  it('pseudo-header sum equals the sum of the 12 pseudo-header bytes', () => fc.assert(fc.property(
    fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }),
    (a, b, c, d, proto, len) => {
      const src = a * 0x10000 + b;
      const dst = c * 0x10000 + d;
      const bytes = new Uint8Array(12);
      wr32(bytes, 0, src);
      wr32(bytes, 4, dst);
      bytes[9] = proto;
      wr16(bytes, 10, len);
      expect(csumFold(pseudoHeaderSum(src, dst, proto, len))).toBe(csumFold(csumPartial(bytes, 0, 12)));
    },
  ), { numRuns: 300 }));
});

describe('RFC 1624 incremental update equals a full recomputation', () => {
  it('any 16-bit word of an IPv4 header (version nibble kept, so the data is never all zero)', () => fc.assert(fc.property(
    fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 0xffff }),
    (hdr, word, value) => {
      if (word === 5) return; // the checksum word itself
      hdr[0] = 0x45;
      wr16(hdr, 10, 0);
      const csum = internetChecksum(hdr, 0, 20);
      const oldWord = rd16(hdr, word * 2);
      const newWord = word === 0 ? 0x4500 | (value & 0xff) : value;
      wr16(hdr, word * 2, newWord);
      expect(csumUpdate16(csum, oldWord, newWord)).toBe(internetChecksum(hdr, 0, 20));
    },
  ), { numRuns: 1000 }));

  it('NAT: a new source address and port fixes the IPv4 and TCP checksums incrementally', () => fc.assert(fc.property(
    fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }),
    fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 0xffff }),
    (hi, lo, port, payload, seqLo) => {
      const f = buildFrame({
        eth: { src: 1, dst: 2 }, ipv4: { src: '172.16.0.2', dst: '93.184.216.34' },
        tcp: { sport: 49152, dport: 443, seq: seqLo, flags: 'PA' }, payload,
      });
      const ip = 14;
      const l4 = 34;
      const newSrc = hi * 0x10000 + lo;
      const oldSrc = rd32(f, ip + IPV4_FIELD.SRC);
      const ipSum = csumUpdate32(ipv4Checksum(f, ip), oldSrc, newSrc);
      let tcpSum = csumUpdate32(tcpChecksum(f, l4), oldSrc, newSrc);
      tcpSum = csumUpdate16(tcpSum, rd16(f, l4 + TCP_FIELD.SRC_PORT), port);
      wr32(f, ip + IPV4_FIELD.SRC, newSrc);
      wr16(f, l4 + TCP_FIELD.SRC_PORT, port);
      wr16(f, ip + IPV4_FIELD.CHECKSUM, 0);
      expect(ipSum, `ip checksum for ${intToIp(newSrc)}`).toBe(internetChecksum(f, ip, 20));
      expect(tcpSum).toBe(computeTcpChecksum(f, l4, f.length - l4, newSrc, rd32(f, ip + IPV4_FIELD.DST)));
    },
  ), { numRuns: 500 }));

  it('NAT on UDP: same, with a computed 0 sent as 0xffff (RFC 768)', () => fc.assert(fc.property(
    fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }),
    fc.uint8Array({ maxLength: 40 }),
    (hi, lo, port, payload) => {
      const f = buildFrame({ eth: { src: 1, dst: 2 }, ipv4: { src: '172.16.0.2', dst: '8.8.8.8' }, udp: { sport: 50000, dport: 53 }, payload });
      const newSrc = hi * 0x10000 + lo;
      const oldSrc = rd32(f, 14 + IPV4_FIELD.SRC);
      let sum = csumUpdate32(udpChecksum(f, 34), oldSrc, newSrc);
      sum = csumUpdate16(sum, rd16(f, 34 + UDP_FIELD.SRC_PORT), port);
      wr32(f, 14 + IPV4_FIELD.SRC, newSrc);
      wr16(f, 34 + UDP_FIELD.SRC_PORT, port);
      expect(sum === 0 ? 0xffff : sum).toBe(computeUdpChecksum(f, 34, newSrc, rd32(f, 14 + IPV4_FIELD.DST)));
    },
  ), { numRuns: 500 }));

  it('VXLAN encap: patching the outer total length from a template header', () => fc.assert(fc.property(
    fc.integer({ min: 50, max: 1500 }),
    (innerLen) => {
      // The template is built for a 0-byte inner frame; the encap stage patches the length word.
      const tmpl = buildFrame({ eth: { src: 1, dst: 2 }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, udp: { sport: 1, dport: 4789, checksum: false } });
      const oldLen = rd16(tmpl, 14 + IPV4_FIELD.TOTAL_LEN);
      const newLen = oldLen + innerLen;
      const sum = csumUpdate16(ipv4Checksum(tmpl, 14), oldLen, newLen);
      wr16(tmpl, 14 + IPV4_FIELD.TOTAL_LEN, newLen);
      wr16(tmpl, 14 + IPV4_FIELD.CHECKSUM, 0);
      expect(sum).toBe(internetChecksum(tmpl, 14, 20));
    },
  ), { numRuns: 300 }));
});
