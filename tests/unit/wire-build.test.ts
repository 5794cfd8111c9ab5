/** buildFrame / decodeFrame / describeFrame: lengths, checksums, summaries, fields, and robustness. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildFrame, decodeFrame, describeFrame, frameFields, parseIpv4, parseUdp, WireError, rd16, wr16,
  IPV4_FIELD, TCP_FIELD, VXLAN_ENCAP_LEN, type FrameSpec,
} from '../../src/wire/index.js';
import { goldenNames, loadGolden } from '../golden/load.js';

const A = '00:15:5d:00:00:0a';
const B = '00:15:5d:00:00:0b';

describe('buildFrame', () => {
  it('sets every length: IPv4 total, UDP length, frame size', () => {
    const f = buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '10.0.0.5', dst: '8.8.8.8' }, udp: { sport: 5000, dport: 53 }, payload: 'hello' });
    expect(f.length).toBe(14 + 20 + 8 + 5);
    expect(rd16(f, 14 + IPV4_FIELD.TOTAL_LEN)).toBe(33);
    expect(rd16(f, 34 + 4)).toBe(13);
    const tagged = buildFrame({ eth: { src: A, dst: B }, vlan: { vid: 7 }, ipv4: { src: '10.0.0.5', dst: '8.8.8.8' }, tcp: { sport: 1, dport: 2, flags: 'S' } });
    expect(tagged.length).toBe(14 + 4 + 20 + 20);
    expect(rd16(tagged, 12)).toBe(0x8100);
    expect(rd16(tagged, 16)).toBe(0x0800);
  });

  it('VXLAN adds exactly 50 bytes in front of the inner frame', () => {
    const inner = buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, icmp: { id: 9, seq: 3 } });
    const outer = buildFrame({ eth: { src: B, dst: A }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, vxlan: { vni: 4096, inner } });
    expect(outer.length).toBe(inner.length + VXLAN_ENCAP_LEN);
    expect(Array.from(outer.subarray(VXLAN_ENCAP_LEN))).toEqual(Array.from(inner));
    const udp = parseUdp(outer, 34);
    expect(udp).toEqual({ srcPort: 49152, dstPort: 4789, payloadLen: 8 + inner.length });
    expect(rd16(outer, 34 + 6)).toBe(0); // RFC 7348 § 5: zero UDP checksum by default
    const withSum = buildFrame({ eth: { src: B, dst: A }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, udp: { sport: 50000, dport: 4789, checksum: true }, vxlan: { vni: 1, inner } });
    expect(frameFields(withSum)['udp.checksum.status']).toBe('good');
  });

  it('pads to minLength without changing the IPv4 length', () => {
    const f = buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, tcp: { sport: 1, dport: 2, flags: 'R' }, minLength: 60 });
    expect(f.length).toBe(60);
    expect(rd16(f, 16)).toBe(40);
    expect(describeFrame(f)).toBe('TCP 1.1.1.1:1 > 2.2.2.2:2 [R]');
    expect(frameFields(f)['tcp.checksum.status']).toBe('good');
  });

  it('defaults: TTL 64, ARP request target MAC zero, ARP reply target MAC = eth.dst', () => {
    const p = buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: {} });
    expect((parseIpv4(p, 14) as { ttl: number }).ttl).toBe(64);
    const req = frameFields(buildFrame({ eth: { src: A, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.10', targetIp: '10.0.0.1' } }));
    expect(req['arp.dst.hw_mac']).toBe('00:00:00:00:00:00');
    expect(req['arp.src.hw_mac']).toBe(A);
    const rep = frameFields(buildFrame({ eth: { src: B, dst: A }, arp: { op: 'reply', senderIp: '10.0.0.1', targetIp: '10.0.0.10' } }));
    expect(rep['arp.dst.hw_mac']).toBe(A);
    expect(rep['arp.opcode']).toBe(2);
  });

  it('accepts MACs and addresses as integers too', () => {
    const f = buildFrame({ eth: { src: 0x00155d00000a, dst: 0xffffffffffff }, arp: { op: 1, senderIp: 0x0a00000a, targetIp: 0x0a000001 } });
    expect(describeFrame(f)).toBe('ARP who-has 10.0.0.1 tell 10.0.0.10');
  });

  it('rejects specs that cannot be built', () => {
    const eth = { src: A, dst: B };
    const ip = { src: '1.1.1.1', dst: '2.2.2.2' };
    const bad: FrameSpec[] = [
      { eth, arp: { op: 'request', senderIp: '1.1.1.1', targetIp: '2.2.2.2' }, ipv4: ip },
      { eth, ipv4: ip, tcp: { sport: 1, dport: 2, flags: 'S' }, udp: { sport: 1, dport: 2 } },
      { eth, tcp: { sport: 1, dport: 2, flags: 'S' } },
      { eth, ipv4: ip, tcp: { sport: 1, dport: 2, flags: 'SQ' } },
      { eth, ipv4: ip },
      { eth },
      { eth, ipv4: ip, vxlan: { vni: 1, inner: new Uint8Array(14) }, payload: 'x' },
      { eth: { src: 'nope', dst: B }, ipv4: ip, icmp: {} },
      { eth, ipv4: { src: '1.1.1', dst: '2.2.2.2' }, icmp: {} },
      { eth, ipv4: ip, udp: { sport: 70000, dport: 1 } },
    ];
    for (const s of bad) expect(() => buildFrame(s), JSON.stringify(s)).toThrow(RangeError);
  });

  it('raw frames: an EtherType with a payload, an IPv4 protocol with a payload', () => {
    const raw = buildFrame({ eth: { src: A, dst: B, ethertype: 0x86dd }, payload: new Uint8Array(40) });
    expect(describeFrame(raw)).toBe(`ETH ${A} > ${B} type 0x86dd len=40`);
    const gre = buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2', protocol: 47 }, payload: new Uint8Array(4) });
    expect(describeFrame(gre)).toBe('IPv4 1.1.1.1 > 2.2.2.2 proto 47 len=4');
  });
});

describe('describeFrame', () => {
  const eth = { src: A, dst: B };
  it.each<[string, FrameSpec]>([
    ['TCP 172.16.0.2:49152 > 172.16.0.3:80 [S]', { eth, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, tcp: { sport: 49152, dport: 80, flags: 'S' } }],
    ['TCP 172.16.0.3:80 > 172.16.0.2:49152 [S.]', { eth, ipv4: { src: '172.16.0.3', dst: '172.16.0.2' }, tcp: { sport: 80, dport: 49152, flags: 'SA' } }],
    ['TCP 172.16.0.2:49152 > 172.16.0.3:80 [P.] len=18', { eth, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, tcp: { sport: 49152, dport: 80, flags: 'PA' }, payload: 'GET / HTTP/1.1\r\n\r\n' }],
    ['ICMP 10.0.0.5 > 8.8.8.8 echo request id=1 seq=1', { eth, ipv4: { src: '10.0.0.5', dst: '8.8.8.8' }, icmp: { id: 1, seq: 1 } }],
    ['ICMP 8.8.8.8 > 10.0.0.5 echo reply id=1 seq=1', { eth, ipv4: { src: '8.8.8.8', dst: '10.0.0.5' }, icmp: { type: 'echo-reply', id: 1, seq: 1 } }],
    ['ICMP 10.0.0.1 > 10.0.0.5 port unreachable', { eth, ipv4: { src: '10.0.0.1', dst: '10.0.0.5' }, icmp: { type: 3, code: 3 }, payload: new Uint8Array(28) }],
    ['ICMP 10.0.0.1 > 10.0.0.5 time exceeded in transit', { eth, ipv4: { src: '10.0.0.1', dst: '10.0.0.5' }, icmp: { type: 11 } }],
    ['UDP 172.16.0.2:51000 > 172.16.0.1:53 len=3', { eth, ipv4: { src: '172.16.0.2', dst: '172.16.0.1' }, udp: { sport: 51000, dport: 53 }, payload: 'abc' }],
    ['ARP who-has 10.0.0.1 tell 10.0.0.10', { eth, arp: { op: 'request', senderIp: '10.0.0.10', targetIp: '10.0.0.1' } }],
    ['ARP 10.0.0.1 is-at 00:15:5d:00:00:0a', { eth, arp: { op: 'reply', senderIp: '10.0.0.1', targetIp: '10.0.0.10' } }],
    ['VLAN 42: ARP who-has 10.0.0.1 tell 10.0.0.10', { eth, vlan: { vid: 42 }, arp: { op: 'request', senderIp: '10.0.0.10', targetIp: '10.0.0.1' } }],
    ['VXLAN vni 4096: TCP 172.16.0.2:49152 > 172.16.0.3:80 [S]', {
      eth, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' },
      vxlan: { vni: 4096, inner: { eth, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, tcp: { sport: 49152, dport: 80, flags: 'S' } } },
    }],
    ['VXLAN vni 5001: VLAN 10: ICMP 172.16.0.2 > 172.16.0.3 echo request id=0 seq=0', {
      eth, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' },
      vxlan: { vni: 5001, inner: { eth, vlan: { vid: 10 }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, icmp: {} } },
    }],
    ['IPv4 10.0.0.1 > 10.0.0.2 frag id=7 off=1480 proto 17 len=100', { eth, ipv4: { src: '10.0.0.1', dst: '10.0.0.2', ident: 7, fragOffset: 1480, protocol: 17 }, payload: new Uint8Array(100) }],
    ['UDP 10.0.0.1:1 > 10.0.0.2:2 len=10 frag id=8 [MF]', { eth, ipv4: { src: '10.0.0.1', dst: '10.0.0.2', ident: 8, moreFragments: true }, udp: { sport: 1, dport: 2 }, payload: new Uint8Array(10) }],
  ])('%s', (summary, spec) => {
    const f = buildFrame(spec);
    expect(describeFrame(f)).toBe(summary);
    const d = decodeFrame(f);
    expect(d.error).toBeUndefined();
    expect(d.badChecksum).toBe(false);
  });

  it('flags bad checksums, per layer', () => {
    const tcp = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, tcp: { sport: 1, dport: 2, flags: 'S' } });
    tcp[34 + TCP_FIELD.CHECKSUM] ^= 0xff;
    expect(describeFrame(tcp)).toBe('TCP 1.1.1.1:1 > 2.2.2.2:2 [S] [bad tcp checksum]');
    expect(decodeFrame(tcp).badChecksum).toBe(true);
    const ip = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: { id: 1, seq: 2 } });
    wr16(ip, 14 + IPV4_FIELD.CHECKSUM, rd16(ip, 14 + IPV4_FIELD.CHECKSUM) + 1);
    expect(describeFrame(ip)).toBe('ICMP 1.1.1.1 > 2.2.2.2 echo request id=1 seq=2 [bad ip checksum]');
    expect(frameFields(ip)['ip.checksum.status']).toBe('bad');
    const udp = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, udp: { sport: 1, dport: 2 }, payload: 'x' });
    udp[udp.length - 1] ^= 1;
    expect(describeFrame(udp)).toMatch(/\[bad udp checksum\]$/);
    const icmp = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: {}, payload: 'x' });
    icmp[icmp.length - 1] ^= 1;
    expect(describeFrame(icmp)).toMatch(/\[bad icmp checksum\]$/);
  });

  it('names what is malformed and keeps the layers before it', () => {
    const f = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, tcp: { sport: 1, dport: 2, flags: 'S' } });
    expect(describeFrame(f.subarray(0, 30))).toBe('malformed ipv4: header needs 20 bytes, 16 left');
    const d = decodeFrame(f.subarray(0, 30));
    expect(d.layers.map((l) => l.layer)).toEqual(['eth']);
    expect(d.error).toBeInstanceOf(WireError);
    const shortTcp = f.slice();
    wr16(shortTcp, 14 + IPV4_FIELD.TOTAL_LEN, 30); // IPv4 says only 10 bytes of TCP
    expect(describeFrame(shortTcp)).toBe('IPv4 1.1.1.1 > 2.2.2.2 malformed tcp: header needs 20 bytes, 10 left');
    expect(describeFrame(new Uint8Array(5))).toBe('malformed ethernet: header needs 14 bytes, 5 left');
  });

  it('shows a VXLAN header with the I flag clear', () => {
    const f = buildFrame({ eth, ipv4: { src: '10.0.0.1', dst: '10.0.0.2' }, vxlan: { vni: 77, flags: 0, inner: { eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: {} } } });
    expect(frameFields(f)).toMatchObject({ 'vxlan.i': false, 'vxlan.flags': 0, 'vxlan.vni': 77 });
  });
});

describe('decodeFrame', () => {
  it('gives layers in order with absolute offsets and the field names of the project', () => {
    const f = buildFrame({
      eth: { src: A, dst: B }, vlan: { vid: 300, pcp: 5 }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3', ttl: 128 },
      udp: { sport: 1234, dport: 5678 }, payload: 'data',
    });
    const d = decodeFrame(f);
    expect(d.layers.map((l) => [l.layer, l.offset, l.length])).toEqual([
      ['eth', 0, 14], ['vlan', 14, 4], ['ip', 18, 20], ['udp', 38, 8], ['data', 46, 4],
    ]);
    expect(frameFields(f)).toMatchObject({
      'eth.src': A, 'eth.dst': B, 'eth.type': 0x8100, 'vlan.id': 300, 'vlan.priority': 5, 'vlan.etype': 0x0800,
      'ip.src': '172.16.0.2', 'ip.dst': '172.16.0.3', 'ip.ttl': 128, 'ip.proto': 17, 'ip.len': 32,
      'udp.sport': 1234, 'udp.dport': 5678, 'udp.length': 12, 'udp.checksum.status': 'good',
      'data.len': 4, 'data.hex': '64617461',
    });
  });

  it('tcp and icmp fields', () => {
    const t = frameFields(buildFrame({
      eth: { src: A, dst: B }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' },
      tcp: { sport: 80, dport: 49152, seq: 100, ack: 200, flags: 'SA', window: 8192, options: Uint8Array.from([2, 4, 5, 0xb4]) },
    }));
    expect(t).toMatchObject({
      'tcp.sport': 80, 'tcp.dport': 49152, 'tcp.seq': 100, 'tcp.ack': 200, 'tcp.flags': 'S.', 'tcp.window': 8192,
      'tcp.hdr_len': 24, 'tcp.options': '020405b4', 'tcp.len': 0, 'tcp.checksum.status': 'good',
    });
    const i = frameFields(buildFrame({ eth: { src: A, dst: B }, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: { id: 0x1234, seq: 9 }, payload: 'ab' }));
    expect(i).toMatchObject({ 'icmp.type': 8, 'icmp.code': 0, 'icmp.id': 0x1234, 'icmp.seq': 9, 'icmp.data.len': 2 });
  });

  it('recovers what buildFrame was given, for random specs', () => {
    const ip = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
      .map((p) => p.join('.'));
    const port = fc.integer({ min: 0, max: 0xffff });
    const l4 = fc.oneof(
      fc.record({ kind: fc.constant('tcp' as const), sport: port, dport: port, flags: fc.constantFrom('S', 'SA', 'R', 'RA', 'PA', 'FA', 'A') }),
      fc.record({ kind: fc.constant('udp' as const), sport: port, dport: port.filter((p) => p !== 4789) }),
      fc.record({ kind: fc.constant('icmp' as const), id: port, seq: port }),
    );
    fc.assert(fc.property(
      ip, ip, fc.integer({ min: 1, max: 255 }), fc.option(fc.integer({ min: 1, max: 4094 }), { nil: undefined }), l4,
      fc.uint8Array({ maxLength: 64 }), fc.option(fc.integer({ min: 0, max: 0xffffff }), { nil: undefined }),
      (src, dst, ttl, vid, t, payload, vni) => {
        const inner: FrameSpec = {
          eth: { src: A, dst: B }, vlan: vid === undefined ? undefined : { vid }, ipv4: { src, dst, ttl }, payload,
          tcp: t.kind === 'tcp' ? { sport: t.sport, dport: t.dport, flags: t.flags } : undefined,
          udp: t.kind === 'udp' ? { sport: t.sport, dport: t.dport } : undefined,
          icmp: t.kind === 'icmp' ? { id: t.id, seq: t.seq } : undefined,
        };
        const spec: FrameSpec = vni === undefined ? inner
          : { eth: { src: B, dst: A }, ipv4: { src: '10.0.0.1', dst: '10.0.0.2' }, vxlan: { vni, inner } };
        const f = buildFrame(spec);
        const d = decodeFrame(f);
        expect(d.error).toBeUndefined();
        expect(d.badChecksum).toBe(false);
        const depth = vni === undefined ? 0 : 1;
        if (vni !== undefined) expect(frameFields(f)['vxlan.vni']).toBe(vni);
        const fl = frameFields(f, depth);
        expect(fl['ip.src']).toBe(src);
        expect(fl['ip.dst']).toBe(dst);
        expect(fl['ip.ttl']).toBe(ttl);
        if (vid !== undefined) expect(fl['vlan.id']).toBe(vid);
        if (t.kind === 'tcp') expect([fl['tcp.sport'], fl['tcp.dport'], fl['tcp.len']]).toEqual([t.sport, t.dport, payload.length]);
        if (t.kind === 'udp') expect([fl['udp.sport'], fl['udp.dport'], fl['udp.length']]).toEqual([t.sport, t.dport, 8 + payload.length]);
        if (t.kind === 'icmp') expect([fl['icmp.id'], fl['icmp.seq'], fl['icmp.data.len']]).toEqual([t.id, t.seq, payload.length]);
      },
    ), { numRuns: 300 });
  });

  it('never throws on random bytes', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    const d = decodeFrame(b);
    expect(d.summary.length).toBeGreaterThan(0);
    for (const l of d.layers) expect(l.offset + l.length).toBeLessThanOrEqual(b.length);
  }), { numRuns: 1000 }));

  it('never throws on mutated and truncated golden frames', () => {
    const goldens = goldenNames().map(loadGolden);
    fc.assert(fc.property(
      fc.integer({ min: 0, max: goldens.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(),
      (gi, flips, cut) => {
        const f = goldens[gi].slice();
        for (const [pos, v] of flips) f[pos % f.length] = v;
        const t = f.subarray(0, cut % (f.length + 1));
        const d = decodeFrame(t);
        expect(d.summary).toBe(describeFrame(t));
        expect(d.summary.length).toBeGreaterThan(0);
        expect(d.error === undefined || d.error instanceof WireError).toBe(true);
        for (const l of d.layers) expect(l.offset + l.length).toBeLessThanOrEqual(t.length);
      },
    ), { numRuns: 2000 });
  });
});
