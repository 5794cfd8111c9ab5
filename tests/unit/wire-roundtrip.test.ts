/**
 * The wire law, per header: parse(emit(r)) == r, for any repr, at any offset, in a buffer
 * pre-filled with 0xa5 (emit must touch exactly its own bytes). And the parsers' contract:
 * no input bytes make them throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  emitEthernet, parseEthernet, emitVlan, parseVlan, emitArp, parseArp, emitIpv4, parseIpv4, ipv4ChecksumValid,
  emitIcmp, parseIcmp, icmpChecksumValid, emitUdp, parseUdp, emitTcp, parseTcp, emitVxlan, parseVxlan, WireError,
  ETH_HEADER_LEN, VLAN_HEADER_LEN, ARP_LEN, ipv4HeaderLen, icmpLen, UDP_HEADER_LEN, tcpHeaderLen, VXLAN_HEADER_LEN,
  type EthernetRepr, type VlanRepr, type ArpRepr, type Ipv4Repr, type IcmpRepr, type UdpRepr, type TcpRepr, type VxlanRepr,
} from '../../src/wire/index.js';

const RUNS = { numRuns: 300 };
const u16 = fc.integer({ min: 0, max: 0xffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const u32 = fc.tuple(u16, u16).map(([h, l]) => h * 0x10000 + l);
const mac = fc.tuple(u16, u16, u16).map(([a, b, c]) => (a * 0x10000 + b) * 0x10000 + c);
/** Option bytes: 0..10 words. */
const options = fc.integer({ min: 0, max: 10 }).chain((w) => fc.uint8Array({ minLength: w * 4, maxLength: w * 4 }));
const offset = fc.integer({ min: 0, max: 40 });

const ethernet: fc.Arbitrary<EthernetRepr> = fc.record({ dst: mac, src: mac, ethertype: u16 });
const vlan: fc.Arbitrary<VlanRepr> = fc.record({
  pcp: fc.integer({ min: 0, max: 7 }), dei: fc.boolean(), vid: fc.integer({ min: 0, max: 4095 }), ethertype: u16,
});
const arp: fc.Arbitrary<ArpRepr> = fc.record({ operation: u16, senderMac: mac, senderIp: u32, targetMac: mac, targetIp: u32 });
const ipv4: fc.Arbitrary<Ipv4Repr> = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }), ecn: fc.integer({ min: 0, max: 3 }), ident: u16,
  dontFragment: fc.boolean(), moreFragments: fc.boolean(), fragOffset: fc.integer({ min: 0, max: 0x1fff }).map((x) => x * 8),
  ttl: u8, protocol: u8, src: u32, dst: u32, options, payloadLen: fc.integer({ min: 0, max: 1500 }),
});
const icmp: fc.Arbitrary<IcmpRepr> = fc.record({
  type: u8, code: u8, ident: u16, seq: u16, data: fc.uint8Array({ maxLength: 64 }),
});
const udp: fc.Arbitrary<UdpRepr> = fc.record({ srcPort: u16, dstPort: u16, payloadLen: fc.integer({ min: 0, max: 1500 }) });
const tcp: fc.Arbitrary<TcpRepr> = fc.record({
  srcPort: u16, dstPort: u16, seq: u32, ack: u32, flags: u8, window: u16, urgent: u16, options,
});
const vxlan: fc.Arbitrary<VxlanRepr> = fc.record({ flags: u8, vni: fc.integer({ min: 0, max: 0xffffff }) });

/**
 * Emit `repr` at `off` into a 0xa5 buffer with `room` bytes after it; check the returned length,
 * that no byte outside [off, off+len) changed, and that parse gives the repr back.
 */
function law<R>(
  repr: R, off: number, len: number, room: number,
  emit: (r: R, b: Uint8Array, o: number) => number, parse: (b: Uint8Array, o: number) => R | WireError,
): Uint8Array {
  const buf = new Uint8Array(off + room + 8).fill(0xa5);
  expect(emit(repr, buf, off)).toBe(len);
  const outside = [...buf.subarray(0, off), ...buf.subarray(off + len)];
  expect(outside.every((x) => x === 0xa5), 'emit wrote outside its header').toBe(true);
  const back = parse(buf.subarray(0, off + room), off);
  expect(back).toEqual(repr);
  return buf;
}

describe('parse(emit(r)) == r', () => {
  it('ethernet', () => fc.assert(fc.property(ethernet, offset, (r, o) => {
    law(r, o, ETH_HEADER_LEN, ETH_HEADER_LEN, emitEthernet, parseEthernet);
  }), RUNS));

  it('802.1Q tag', () => fc.assert(fc.property(vlan, offset, (r, o) => {
    law(r, o, VLAN_HEADER_LEN, VLAN_HEADER_LEN, emitVlan, parseVlan);
  }), RUNS));

  it('arp', () => fc.assert(fc.property(arp, offset, (r, o) => {
    law(r, o, ARP_LEN, ARP_LEN, emitArp, parseArp);
  }), RUNS));

  it('ipv4, with a valid header checksum', () => fc.assert(fc.property(ipv4, offset, (r, o) => {
    const hl = ipv4HeaderLen(r);
    // The payload bytes are not emitted by the header; leave them as poison, parse only needs them present.
    const buf = new Uint8Array(o + hl + r.payloadLen).fill(0xa5);
    expect(emitIpv4(r, buf, o)).toBe(hl);
    expect(buf.subarray(0, o).every((x) => x === 0xa5)).toBe(true);
    expect(buf.subarray(o + hl).every((x) => x === 0xa5)).toBe(true);
    expect(parseIpv4(buf, o)).toEqual(r);
    expect(ipv4ChecksumValid(buf, o)).toBe(true);
  }), RUNS));

  it('icmp, with a valid checksum', () => fc.assert(fc.property(icmp, offset, (r, o) => {
    const buf = law(r, o, icmpLen(r), icmpLen(r), emitIcmp, parseIcmp);
    expect(icmpChecksumValid(buf, o, icmpLen(r))).toBe(true);
  }), RUNS));

  it('udp', () => fc.assert(fc.property(udp, offset, (r, o) => {
    const buf = new Uint8Array(o + UDP_HEADER_LEN + r.payloadLen).fill(0xa5);
    expect(emitUdp(r, buf, o)).toBe(UDP_HEADER_LEN);
    expect(parseUdp(buf, o)).toEqual(r);
  }), RUNS));

  it('tcp', () => fc.assert(fc.property(tcp, offset, (r, o) => {
    law(r, o, tcpHeaderLen(r), tcpHeaderLen(r), emitTcp, parseTcp);
  }), RUNS));

  it('vxlan', () => fc.assert(fc.property(vxlan, offset, (r, o) => {
    law(r, o, VXLAN_HEADER_LEN, VXLAN_HEADER_LEN, emitVxlan, parseVxlan);
  }), RUNS));
});

describe('parsers never throw', () => {
  const parsers = { parseEthernet, parseVlan, parseArp, parseIpv4, parseIcmp, parseUdp, parseTcp, parseVxlan };
  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name} on any bytes at any offset returns a repr or a WireError`, () => fc.assert(fc.property(
      fc.uint8Array({ maxLength: 80 }), fc.integer({ min: -2, max: 90 }),
      (bytes, off) => {
        const r = parse(bytes, off);
        expect(r).toBeTypeOf('object');
        if (r instanceof WireError) expect(r.message.length).toBeGreaterThan(0);
      },
    ), { numRuns: 500 }));
  }

  it('report truncation and malformed lengths as errors, naming the layer', () => {
    const ip = new Uint8Array(20);
    ip[0] = 0x45;
    ip[3] = 60; // total length 60 > 20 bytes given
    const e1 = parseIpv4(ip);
    expect(e1).toBeInstanceOf(WireError);
    expect((e1 as WireError).code).toBe('truncated');
    ip[0] = 0x44; // IHL 4
    expect((parseIpv4(ip) as WireError).message).toMatch(/header length 16 below 20/);
    ip[0] = 0x65;
    expect((parseIpv4(ip) as WireError).message).toMatch(/version 6/);
    const u = Uint8Array.from([0, 1, 0, 2, 0, 4, 0, 0]); // UDP length 4 < 8
    expect((parseUdp(u) as WireError).code).toBe('malformed');
    const t = new Uint8Array(20);
    t[12] = 0x40; // data offset 16
    expect((parseTcp(t) as WireError).layer).toBe('tcp');
    const a = new Uint8Array(28);
    a[1] = 6; // hardware type 6 (IEEE 802)
    expect((parseArp(a) as WireError).code).toBe('unsupported');
    expect((parseEthernet(new Uint8Array(13)) as WireError).toString()).toBe('ethernet: header needs 14 bytes, 13 left');
  });
});

describe('emit rejects reprs it cannot write (a caller bug)', () => {
  it('throws RangeError on out-of-range fields, bad option lengths and a short buffer', () => {
    const good: Ipv4Repr = {
      dscp: 0, ecn: 0, ident: 0, dontFragment: false, moreFragments: false, fragOffset: 0, ttl: 64, protocol: 6,
      src: 1, dst: 2, options: new Uint8Array(0), payloadLen: 0,
    };
    expect(() => emitIpv4({ ...good, ttl: 256 }, new Uint8Array(20))).toThrow(RangeError);
    expect(() => emitIpv4({ ...good, options: new Uint8Array(3) }, new Uint8Array(40))).toThrow(/multiple of 4/);
    expect(() => emitIpv4({ ...good, fragOffset: 12 }, new Uint8Array(20))).toThrow(/multiple of 8/);
    expect(() => emitIpv4(good, new Uint8Array(19))).toThrow(/needs 20 bytes/);
    expect(() => emitVlan({ pcp: 0, dei: false, vid: 4096, ethertype: 0x800 }, new Uint8Array(4))).toThrow(/vid/);
    expect(() => emitVxlan({ flags: 8, vni: 1 << 24 }, new Uint8Array(8))).toThrow(/vni/);
    expect(() => emitEthernet({ dst: 2 ** 48, src: 0, ethertype: 0 }, new Uint8Array(14))).toThrow(/dst/);
  });
});
