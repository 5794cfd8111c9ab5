/**
 * Golden frames through the TypeScript wire layer (smoltcp's test_deconstruct / test_construct):
 * every .hex file (made by Scapy, checked by tshark, see make-golden.py) is parsed layer by layer
 * and its fields compared with the values it was made from; then every header is emitted again
 * into a buffer pre-filled with 0xa5 (an unwritten byte shows) and must give the same bytes; and
 * buildFrame, given the same spec, must reproduce the whole frame byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { goldenNames, loadGolden, goldenComment, parseGoldenHex } from './load.js';
import {
  parseEthernet, emitEthernet, parseVlan, emitVlan, parseArp, emitArp, parseIpv4, emitIpv4, ipv4ChecksumValid,
  parseIcmp, emitIcmp, icmpChecksumValid, parseUdp, emitUdp, fillUdpChecksum, udpChecksumStatus, parseTcp, emitTcp,
  fillTcpChecksum, tcpChecksumValid, parseVxlan, emitVxlan, buildFrame, describeFrame, decodeFrame, frameFields,
  macToInt, ipToInt, intToIp, formatMac, WireError, TCP_SYN, TCP_ACK, TCP_RST, ETHERTYPE_ARP, ETHERTYPE_IPV4,
  ETHERTYPE_VLAN, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ARP_OP_REQUEST, ARP_OP_REPLY, VXLAN_FLAG_I,
  type FrameSpec, type Ipv4Repr, type TcpRepr,
} from '../../src/wire/index.js';

const HOST_A = '00:15:5d:00:00:0a';
const HOST_B = '00:15:5d:00:00:14';
const GW = '00:15:5d:00:00:01';
const C1 = '00:15:5d:4e:00:02';
const C2 = '00:15:5d:4e:00:03';
const WIN_PING = 'abcdefghijklmnopqrstuvwabcdefghi';
const WIN_SYN_OPTS = Uint8Array.from([2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2]);
const SYNACK_OPTS = Uint8Array.from([2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7]);
const DNS_QUERY = Uint8Array.from([
  0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  2, ...'db'.split('').map((c) => c.charCodeAt(0)), 7, ...'example'.split('').map((c) => c.charCodeAt(0)),
  3, ...'com'.split('').map((c) => c.charCodeAt(0)), 0, 0x00, 0x01, 0x00, 0x01,
]);

function ok<T>(r: T | WireError): T {
  if (r instanceof WireError) throw new Error(`unexpected parse error: ${r}`);
  return r;
}

const SYN_SPEC: FrameSpec = {
  eth: { src: C1, dst: C2 },
  ipv4: { src: '172.16.0.2', dst: '172.16.0.3', ttl: 128, ident: 0x1234, dontFragment: true },
  tcp: { sport: 49152, dport: 80, seq: 0x1000, flags: 'S', window: 64240, options: WIN_SYN_OPTS },
};

/** The spec each golden frame was made from (the Scapy expression in its header comment). */
const SPECS: Record<string, FrameSpec> = {
  arp_request: {
    eth: { src: HOST_A, dst: 'ff:ff:ff:ff:ff:ff' },
    arp: { op: 'request', senderIp: '10.0.0.10', targetIp: '10.0.0.1' },
  },
  arp_reply: {
    eth: { src: GW, dst: HOST_A }, arp: { op: 'reply', senderIp: '10.0.0.1', targetIp: '10.0.0.10' }, minLength: 60,
  },
  vlan_ipv4_icmp: {
    eth: { src: HOST_A, dst: HOST_B }, vlan: { vid: 100, pcp: 3 },
    ipv4: { src: '10.0.0.10', dst: '10.0.0.20', ttl: 128, ident: 0x0100 }, icmp: { id: 1, seq: 7 }, payload: WIN_PING,
  },
  ipv4_options: {
    eth: { src: HOST_A, dst: GW },
    ipv4: {
      src: '10.0.0.10', dst: '10.0.0.1', ttl: 64, ident: 0x0200,
      options: Uint8Array.from([7, 11, 4, 10, 0, 0, 10, 0, 0, 0, 0, 0x94, 4, 0, 0, 0]),
    },
    icmp: { id: 0x99, seq: 1 }, payload: 'options',
  },
  icmp_echo_request: {
    eth: { src: C1, dst: GW }, ipv4: { src: '172.16.0.2', dst: '8.8.8.8', ttl: 128, ident: 0x4d2 },
    icmp: { type: 'echo-request', id: 1, seq: 1 }, payload: WIN_PING,
  },
  icmp_echo_reply: {
    eth: { src: GW, dst: C1 }, ipv4: { src: '8.8.8.8', dst: '172.16.0.2', ttl: 117, ident: 0 },
    icmp: { type: 'echo-reply', id: 1, seq: 1 }, payload: WIN_PING,
  },
  udp_dns_query: {
    eth: { src: C1, dst: GW }, ipv4: { src: '172.16.0.2', dst: '172.16.0.1', ttl: 128, ident: 0x777 },
    udp: { sport: 51000, dport: 53 }, payload: DNS_QUERY,
  },
  tcp_syn: SYN_SPEC,
  tcp_synack: {
    eth: { src: C2, dst: C1 },
    ipv4: { src: '172.16.0.3', dst: '172.16.0.2', ttl: 128, ident: 0x2345, dontFragment: true },
    tcp: { sport: 80, dport: 49152, seq: 0xabcdef01, ack: 0x1001, flags: 'SA', window: 65160, options: SYNACK_OPTS },
  },
  tcp_rst: {
    eth: { src: C2, dst: C1 }, ipv4: { src: '172.16.0.3', dst: '172.16.0.2', ttl: 128, ident: 0x2346 },
    tcp: { sport: 81, dport: 49153, seq: 0, ack: 0x2001, flags: 'RA', window: 0 },
  },
  vxlan_tcp: {
    eth: { src: HOST_A, dst: HOST_B }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20', ttl: 128, ident: 0x3456 },
    udp: { sport: 52000, dport: 4789, checksum: false }, vxlan: { vni: 4096, inner: SYN_SPEC },
  },
};

describe('golden files', () => {
  it('are all present, each with a description and its provenance', () => {
    expect(goldenNames()).toEqual(Object.keys(SPECS).sort());
    for (const n of goldenNames()) {
      const c = goldenComment(n);
      expect(c.length, n).toBeGreaterThanOrEqual(2);
      expect(c.some((l) => l.startsWith('scapy:')), n).toBe(true);
    }
  });

  it('loader rejects a broken fixture and ignores comments', () => {
    expect(Array.from(parseGoldenHex('# x\n0a ff # tail\n\n01'))).toEqual([0x0a, 0xff, 0x01]);
    expect(() => parseGoldenHex('0a 0g', 'bad')).toThrow(/bad\.hex line 1/);
    expect(() => parseGoldenHex('abc', 'bad')).toThrow(/not a hex byte/);
  });

  it.each(Object.keys(SPECS))('%s: buildFrame reproduces the frame byte for byte', (name) => {
    expect(Array.from(buildFrame(SPECS[name]))).toEqual(Array.from(loadGolden(name)));
  });
});

/** Re-emit a header into a 0xa5-filled copy and compare the header's bytes with the golden ones. */
function expectReemit(golden: Uint8Array, off: number, len: number, emit: (buf: Uint8Array) => void): void {
  const buf = new Uint8Array(golden.length).fill(0xa5);
  emit(buf);
  expect(Array.from(buf.subarray(off, off + len))).toEqual(Array.from(golden.subarray(off, off + len)));
}

describe('ethernet + arp', () => {
  it('arp_request: fields', () => {
    const b = loadGolden('arp_request');
    expect(b.length).toBe(42);
    const eth = ok(parseEthernet(b, 0));
    expect(eth).toEqual({ dst: 0xffff_ffff_ffff, src: macToInt(HOST_A), ethertype: ETHERTYPE_ARP });
    const arp = ok(parseArp(b, 14));
    expect(arp).toEqual({
      operation: ARP_OP_REQUEST, senderMac: macToInt(HOST_A), senderIp: ipToInt('10.0.0.10'),
      targetMac: 0, targetIp: ipToInt('10.0.0.1'),
    });
    expectReemit(b, 0, 14, (buf) => emitEthernet(eth, buf, 0));
    expectReemit(b, 14, 28, (buf) => emitArp(arp, buf, 14));
    expect(describeFrame(b)).toBe('ARP who-has 10.0.0.1 tell 10.0.0.10');
  });

  it('arp_reply: fields, and the 18 bytes of Ethernet padding are not ARP', () => {
    const b = loadGolden('arp_reply');
    expect(b.length).toBe(60);
    const eth = ok(parseEthernet(b));
    expect(formatMac(eth.src)).toBe(GW);
    expect(formatMac(eth.dst, 'windows')).toBe('00-15-5D-00-00-0A');
    const arp = ok(parseArp(b, 14));
    expect(arp.operation).toBe(ARP_OP_REPLY);
    expect(formatMac(arp.senderMac)).toBe(GW);
    expect(intToIp(arp.senderIp)).toBe('10.0.0.1');
    expect(formatMac(arp.targetMac)).toBe(HOST_A);
    expect(intToIp(arp.targetIp)).toBe('10.0.0.10');
    expectReemit(b, 14, 28, (buf) => emitArp(arp, buf, 14));
    expect(describeFrame(b)).toBe('ARP 10.0.0.1 is-at 00:15:5d:00:00:01');
    const d = decodeFrame(b);
    expect(d.layers.map((l) => l.layer)).toEqual(['eth', 'arp']);
    expect(d.layers[1].fields['arp.dst.proto_ipv4']).toBe('10.0.0.10');
  });
});

describe('802.1Q', () => {
  it('vlan_ipv4_icmp: tag fields and the IPv4 header after it', () => {
    const b = loadGolden('vlan_ipv4_icmp');
    const eth = ok(parseEthernet(b));
    expect(eth.ethertype).toBe(ETHERTYPE_VLAN);
    const tag = ok(parseVlan(b, 14));
    expect(tag).toEqual({ pcp: 3, dei: false, vid: 100, ethertype: ETHERTYPE_IPV4 });
    expectReemit(b, 14, 4, (buf) => emitVlan(tag, buf, 14));
    const ip = ok(parseIpv4(b, 18));
    expect(intToIp(ip.src)).toBe('10.0.0.10');
    expect(intToIp(ip.dst)).toBe('10.0.0.20');
    expect(ip.ttl).toBe(128);
    expect(ipv4ChecksumValid(b, 18)).toBe(true);
    const icmp = ok(parseIcmp(b.subarray(0, 18 + 20 + ip.payloadLen), 38));
    expect([icmp.type, icmp.ident, icmp.seq]).toEqual([ICMP_ECHO_REQUEST, 1, 7]);
    expect(describeFrame(b)).toBe('VLAN 100: ICMP 10.0.0.10 > 10.0.0.20 echo request id=1 seq=7');
    expect(frameFields(b)).toMatchObject({ 'vlan.id': 100, 'vlan.priority': 3, 'ip.src': '10.0.0.10', 'icmp.seq': 7 });
  });
});

describe('ipv4', () => {
  it('ipv4_options: IHL 9, options kept as bytes, checksum over the 36-byte header', () => {
    const b = loadGolden('ipv4_options');
    const ip = ok(parseIpv4(b, 14));
    const expected: Ipv4Repr = {
      dscp: 0, ecn: 0, ident: 0x0200, dontFragment: false, moreFragments: false, fragOffset: 0, ttl: 64, protocol: 1,
      src: ipToInt('10.0.0.10'), dst: ipToInt('10.0.0.1'),
      options: Uint8Array.from([7, 11, 4, 10, 0, 0, 10, 0, 0, 0, 0, 0x94, 4, 0, 0, 0]), payloadLen: 15,
    };
    expect(ip).toEqual(expected);
    expect(b[14] & 0x0f).toBe(9);
    expect(ipv4ChecksumValid(b, 14)).toBe(true);
    expectReemit(b, 14, 36, (buf) => emitIpv4(ip, buf, 14));
    const icmp = ok(parseIcmp(b, 14 + 36));
    expect(new TextDecoder().decode(icmp.data)).toBe('options');
    expect(icmpChecksumValid(b, 50, 15)).toBe(true);
    expect(frameFields(b)['ip.options']).toBe('070b040a00000a000000009404000000');
  });
});

describe('icmp', () => {
  it.each([
    ['icmp_echo_request', ICMP_ECHO_REQUEST, '172.16.0.2', '8.8.8.8', 128, 'ICMP 172.16.0.2 > 8.8.8.8 echo request id=1 seq=1'],
    ['icmp_echo_reply', ICMP_ECHO_REPLY, '8.8.8.8', '172.16.0.2', 117, 'ICMP 8.8.8.8 > 172.16.0.2 echo reply id=1 seq=1'],
  ] as const)('%s: type, id/seq, data, checksum', (name, type, src, dst, ttl, summary) => {
    const b = loadGolden(name);
    const ip = ok(parseIpv4(b, 14));
    expect([intToIp(ip.src), intToIp(ip.dst), ip.ttl, ip.protocol, ip.payloadLen]).toEqual([src, dst, ttl, 1, 40]);
    const icmp = ok(parseIcmp(b, 34));
    expect(icmp.type).toBe(type);
    expect(icmp.code).toBe(0);
    expect(icmp.ident).toBe(1);
    expect(icmp.seq).toBe(1);
    expect(new TextDecoder().decode(icmp.data)).toBe(WIN_PING);
    expect(icmpChecksumValid(b, 34, 40)).toBe(true);
    expectReemit(b, 34, 40, (buf) => emitIcmp(icmp, buf, 34));
    expect(describeFrame(b)).toBe(summary);
    const f = frameFields(b);
    expect(f).toMatchObject({ 'icmp.id': 1, 'icmp.seq': 1, 'icmp.checksum.status': 'good', 'ip.checksum.status': 'good' });
  });
});

describe('udp', () => {
  it('udp_dns_query: ports, length, checksum, payload', () => {
    const b = loadGolden('udp_dns_query');
    const ip = ok(parseIpv4(b, 14));
    const udp = ok(parseUdp(b, 34));
    expect(udp).toEqual({ srcPort: 51000, dstPort: 53, payloadLen: DNS_QUERY.length });
    expect(udpChecksumStatus(b, 34, ip.src, ip.dst)).toBe('good');
    expect(Array.from(b.subarray(42))).toEqual(Array.from(DNS_QUERY));
    expectReemit(b, 34, 8 + DNS_QUERY.length, (buf) => {
      emitUdp(udp, buf, 34);
      buf.set(DNS_QUERY, 42);
      fillUdpChecksum(buf, 34, ip.src, ip.dst);
    });
    expect(describeFrame(b)).toBe(`UDP 172.16.0.2:51000 > 172.16.0.1:53 len=${DNS_QUERY.length}`);
  });
});

describe('tcp', () => {
  const cases: Array<[string, Partial<TcpRepr>, string]> = [
    ['tcp_syn', { srcPort: 49152, dstPort: 80, seq: 0x1000, ack: 0, flags: TCP_SYN, window: 64240, urgent: 0, options: WIN_SYN_OPTS },
      'TCP 172.16.0.2:49152 > 172.16.0.3:80 [S]'],
    ['tcp_synack', { srcPort: 80, dstPort: 49152, seq: 0xabcdef01, ack: 0x1001, flags: TCP_SYN | TCP_ACK, window: 65160, options: SYNACK_OPTS },
      'TCP 172.16.0.3:80 > 172.16.0.2:49152 [S.]'],
    ['tcp_rst', { srcPort: 81, dstPort: 49153, seq: 0, ack: 0x2001, flags: TCP_RST | TCP_ACK, window: 0, options: new Uint8Array(0) },
      'TCP 172.16.0.3:81 > 172.16.0.2:49153 [R.]'],
  ];
  it.each(cases)('%s: fields, options, checksum', (name, want, summary) => {
    const b = loadGolden(name);
    const ip = ok(parseIpv4(b, 14));
    const tcp = ok(parseTcp(b.subarray(0, 14 + 20 + ip.payloadLen), 34));
    expect(tcp).toMatchObject(want);
    expect(tcp.options).toEqual(want.options);
    expect(tcpChecksumValid(b, 34, ip.payloadLen, ip.src, ip.dst)).toBe(true);
    expectReemit(b, 34, ip.payloadLen, (buf) => {
      emitTcp(tcp, buf, 34);
      fillTcpChecksum(buf, 34, ip.payloadLen, ip.src, ip.dst);
    });
    expect(describeFrame(b)).toBe(summary);
  });

  it('tcp_syn: DF set, TTL 128 (a Windows sender)', () => {
    const ip = ok(parseIpv4(loadGolden('tcp_syn'), 14));
    expect(ip.dontFragment).toBe(true);
    expect(ip.ttl).toBe(128);
  });
});

describe('vxlan', () => {
  it('vxlan_tcp: outer headers, VNI 4096, inner frame equals tcp_syn', () => {
    const b = loadGolden('vxlan_tcp');
    const outerIp = ok(parseIpv4(b, 14));
    expect([intToIp(outerIp.src), intToIp(outerIp.dst), outerIp.protocol]).toEqual(['10.0.0.10', '10.0.0.20', 17]);
    const udp = ok(parseUdp(b, 34));
    expect(udp).toEqual({ srcPort: 52000, dstPort: 4789, payloadLen: 8 + 66 });
    expect(udpChecksumStatus(b, 34, outerIp.src, outerIp.dst)).toBe('none');
    const vx = ok(parseVxlan(b, 42));
    expect(vx).toEqual({ flags: VXLAN_FLAG_I, vni: 4096 });
    expectReemit(b, 42, 8, (buf) => emitVxlan(vx, buf, 42));
    expect(b.length - 50).toBe(66);
    expect(Array.from(b.subarray(50))).toEqual(Array.from(loadGolden('tcp_syn')));
    expect(describeFrame(b)).toBe('VXLAN vni 4096: TCP 172.16.0.2:49152 > 172.16.0.3:80 [S]');
    const d = decodeFrame(b);
    expect(d.layers.map((l) => `${l.depth}:${l.layer}`)).toEqual(['0:eth', '0:ip', '0:udp', '0:vxlan', '1:eth', '1:ip', '1:tcp']);
    expect(d.layers[3].fields['vxlan.vni']).toBe(4096);
    expect(frameFields(b, 1)).toMatchObject({ 'ip.src': '172.16.0.2', 'tcp.dport': 80, 'tcp.flags': 'S', 'tcp.checksum.status': 'good' });
    expect(d.badChecksum).toBe(false);
    expect(d.error).toBeUndefined();
  });
});

describe('every golden frame', () => {
  it.each(goldenNames())('%s decodes without error and with good checksums', (name) => {
    const d = decodeFrame(loadGolden(name));
    expect(d.error).toBeUndefined();
    expect(d.badChecksum).toBe(false);
    for (const l of d.layers) {
      for (const [k, v] of Object.entries(l.fields)) if (k.endsWith('checksum.status')) expect(['good', 'none'], `${name} ${k}`).toContain(v);
    }
  });
});
