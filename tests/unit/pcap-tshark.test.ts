/**
 * tshark judges our bytes: frames of every kind made by buildFrame, and every golden frame, are
 * written with PcapWriter and decoded by tshark with checksum validation on. No frame may be
 * malformed or carry a bad checksum, and tshark must read the same VNI, VLAN id, addresses and
 * ports we put in. Negative tests show the check can fail: frames with a wrong checksum or a
 * lying length are flagged.
 *
 * Needs tshark; as root it is installed on first run (`ensureTshark`). Set PP_SKIP_TSHARK=1 to skip
 * on a machine where that cannot be done (the skip is then visible in the test report).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFrame, decodeFrame, IPV4_FIELD, TCP_FIELD, type FrameSpec } from '../../src/wire/index.js';
import { PcapWriter } from '../../src/engine/pcap.js';
import { goldenNames, loadGolden } from '../golden/load.js';
import { ensureTshark, field, tsharkCheck, tsharkCheckFrames, type TsharkReport } from '../support/tshark.js';

const skip = process.env.PP_SKIP_TSHARK === '1';
const A = '00:15:5d:00:00:0a';
const B = '00:15:5d:00:00:14';
const C1 = '00:15:5d:4e:00:02';
const C2 = '00:15:5d:4e:00:03';

const synInner: FrameSpec = {
  eth: { src: C1, dst: C2 }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3', ttl: 128 },
  tcp: { sport: 49152, dport: 80, seq: 1, flags: 'S', options: Uint8Array.from([2, 4, 5, 0xb4]) },
};

/** One frame of every kind, with what tshark must see in it. */
const KINDS: Array<{ name: string; spec: FrameSpec; protocols: string; expect: Record<string, string[]> }> = [
  {
    name: 'arp request', protocols: 'eth:ethertype:arp',
    spec: { eth: { src: A, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '10.0.0.10', targetIp: '10.0.0.1' } },
    expect: { 'arp.opcode': ['1'], 'arp.src.proto_ipv4': ['10.0.0.10'], 'arp.dst.proto_ipv4': ['10.0.0.1'], 'eth.src': [A] },
  },
  {
    name: 'arp reply', protocols: 'eth:ethertype:arp',
    spec: { eth: { src: B, dst: A }, arp: { op: 'reply', senderIp: '10.0.0.1', targetIp: '10.0.0.10' }, minLength: 60 },
    expect: { 'arp.opcode': ['2'], 'arp.src.hw_mac': [B] },
  },
  {
    name: '802.1Q icmp echo request', protocols: 'eth:ethertype:vlan:ethertype:ip:icmp:data',
    spec: { eth: { src: A, dst: B }, vlan: { vid: 100, pcp: 3 }, ipv4: { src: '10.0.0.5', dst: '8.8.8.8', ttl: 128 }, icmp: { id: 1, seq: 1 }, payload: 'abcdefghijklmnopqrstuvwabcdefghi' },
    expect: { 'vlan.id': ['100'], 'vlan.priority': ['3'], 'ip.src': ['10.0.0.5'], 'ip.ttl': ['128'], 'icmp.type': ['8'], 'icmp.ident': ['1'], 'icmp.seq': ['1'], 'icmp.checksum.status': ['1'] },
  },
  {
    name: 'icmp echo reply', protocols: 'eth:ethertype:ip:icmp:data',
    spec: { eth: { src: B, dst: A }, ipv4: { src: '8.8.8.8', dst: '10.0.0.5' }, icmp: { type: 'echo-reply', id: 1, seq: 1 }, payload: 'abcdefghijklmnopqrstuvwabcdefghi' },
    expect: { 'icmp.type': ['0'], 'ip.checksum.status': ['1'], 'icmp.checksum.status': ['1'] },
  },
  {
    name: 'ipv4 with options', protocols: 'eth:ethertype:ip:icmp:data',
    spec: { eth: { src: A, dst: B }, ipv4: { src: '10.0.0.10', dst: '10.0.0.1', options: Uint8Array.from([0x94, 4, 0, 0, 1, 1, 1, 0]) }, icmp: { id: 2, seq: 3 }, payload: 'x' },
    expect: { 'ip.hdr_len': ['28'], 'ip.checksum.status': ['1'], 'icmp.seq': ['3'] },
  },
  {
    name: 'udp dns query', protocols: 'eth:ethertype:ip:udp:dns',
    spec: {
      eth: { src: C1, dst: A }, ipv4: { src: '172.16.0.2', dst: '172.16.0.1' }, udp: { sport: 51000, dport: 53 },
      payload: Uint8Array.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 100, 98, 0, 0, 1, 0, 1]),
    },
    expect: { 'udp.srcport': ['51000'], 'udp.dstport': ['53'], 'udp.checksum.status': ['1'], 'dns.qry.name': ['db'] },
  },
  {
    name: 'tcp syn', protocols: 'eth:ethertype:ip:tcp', spec: synInner,
    expect: { 'ip.src': ['172.16.0.2'], 'ip.dst': ['172.16.0.3'], 'tcp.srcport': ['49152'], 'tcp.dstport': ['80'], 'tcp.flags': ['0x0002'], 'tcp.checksum.status': ['1'] },
  },
  {
    name: 'tcp syn-ack', protocols: 'eth:ethertype:ip:tcp',
    spec: { eth: { src: C2, dst: C1 }, ipv4: { src: '172.16.0.3', dst: '172.16.0.2' }, tcp: { sport: 80, dport: 49152, seq: 7, ack: 2, flags: 'SA' } },
    expect: { 'tcp.flags': ['0x0012'], 'tcp.ack_raw': ['2'], 'tcp.checksum.status': ['1'] },
  },
  {
    name: 'tcp rst', protocols: 'eth:ethertype:ip:tcp',
    spec: { eth: { src: C2, dst: C1 }, ipv4: { src: '172.16.0.3', dst: '172.16.0.2' }, tcp: { sport: 81, dport: 49153, ack: 2, flags: 'RA', window: 0 } },
    expect: { 'tcp.flags': ['0x0014'], 'tcp.checksum.status': ['1'] },
  },
  {
    name: 'tcp data', protocols: 'eth:ethertype:ip:tcp:http',
    spec: { eth: { src: C1, dst: C2 }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, tcp: { sport: 49152, dport: 80, seq: 2, ack: 8, flags: 'PA' }, payload: 'GET / HTTP/1.1\r\nHost: db\r\n\r\n' },
    expect: { 'tcp.len': ['28'], 'tcp.checksum.status': ['1'] },
  },
  {
    name: 'vxlan tcp', protocols: 'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp',
    spec: { eth: { src: A, dst: B }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, vxlan: { vni: 4096, inner: synInner } },
    expect: { 'vxlan.vni': ['4096'], 'vxlan.flags': ['0x0800'], 'ip.src': ['10.0.0.10', '172.16.0.2'], 'udp.dstport': ['4789'], 'tcp.dstport': ['80'], 'ip.checksum.status': ['1', '1'] },
  },
  {
    name: 'vxlan with outer udp checksum, inner 802.1Q udp', protocols: 'eth:ethertype:ip:udp:vxlan:eth:ethertype:vlan:ethertype:ip:udp:data',
    spec: {
      eth: { src: A, dst: B }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, udp: { sport: 60000, dport: 4789, checksum: true },
      vxlan: { vni: 0xabcdef, inner: { eth: { src: C1, dst: C2 }, vlan: { vid: 4000 }, ipv4: { src: '172.16.0.2', dst: '172.16.0.3' }, udp: { sport: 40000, dport: 40001 }, payload: 'hi' } },
    },
    expect: { 'vxlan.vni': [String(0xabcdef)], 'vlan.id': ['4000'], 'udp.checksum.status': ['1', '1'] },
  },
];

function expectClean(report: TsharkReport, count: number): void {
  expect(report.problems).toEqual([]);
  expect(report.frames.length).toBe(count);
}

describe.skipIf(skip)('tshark decodes our frames cleanly', () => {
  let dir = '';
  beforeAll(() => {
    ensureTshark();
    dir = mkdtempSync(join(tmpdir(), 'pp-pcap-'));
    return () => rmSync(dir, { recursive: true, force: true });
  }, 900_000);

  it('every kind of frame: no malformed or bad-checksum notes, and the fields we put in', () => {
    const w = new PcapWriter();
    KINDS.forEach((k, i) => w.add(buildFrame(k.spec), 1_700_000_000_000_000 + i * 1000));
    const path = join(dir, 'kinds.pcap');
    writeFileSync(path, w.toBytes());
    const report = tsharkCheck(path);
    expectClean(report, KINDS.length);
    KINDS.forEach((k, i) => {
      const fr = report.frames[i];
      expect(fr.number).toBe(i + 1);
      expect(fr.protocols.join(':'), k.name).toBe(k.protocols);
      for (const [name, values] of Object.entries(k.expect)) expect(fr.fields[name], `${k.name}: ${name}`).toEqual(values);
    });
  });

  it('every golden frame', () => {
    const names = goldenNames();
    const report = tsharkCheckFrames(names.map(loadGolden));
    expectClean(report, names.length);
    const byName = Object.fromEntries(names.map((n, i) => [n, report.frames[i]]));
    expect(field(byName.vxlan_tcp, 'vxlan.vni')).toBe('4096');
    expect(byName.vxlan_tcp.fields['ip.src']).toEqual(['10.0.0.10', '172.16.0.2']);
    expect(field(byName.vlan_ipv4_icmp, 'vlan.id')).toBe('100');
    expect(field(byName.udp_dns_query, 'dns.qry.name')).toBe('db.example.com');
    expect(field(byName.ipv4_options, 'ip.hdr_len')).toBe('36');
    expect(field(byName.arp_reply, 'frame.len')).toBe('60');
  });

  it('random frames (seeded): tshark agrees with decodeFrame on addresses, ports and VNI', () => {
    const octet = fc.integer({ min: 1, max: 254 });
    const ip = fc.tuple(octet, octet, octet, octet).map((p) => p.join('.'));
    const port = fc.integer({ min: 1024, max: 65535 }).filter((p) => p !== 4789);
    const spec = fc.record({
      src: ip, dst: ip, sport: port, dport: port, udp: fc.boolean(), payload: fc.uint8Array({ maxLength: 40 }),
      vni: fc.option(fc.integer({ min: 1, max: 0xffffff }), { nil: undefined }), vid: fc.option(fc.integer({ min: 1, max: 4094 }), { nil: undefined }),
    }).map((r): FrameSpec => {
      const inner: FrameSpec = {
        eth: { src: C1, dst: C2 }, vlan: r.vid ? { vid: r.vid } : undefined, ipv4: { src: r.src, dst: r.dst }, payload: r.payload,
        udp: r.udp ? { sport: r.sport, dport: r.dport } : undefined,
        tcp: r.udp ? undefined : { sport: r.sport, dport: r.dport, flags: 'PA', seq: 1, ack: 1 },
      };
      return r.vni === undefined ? inner : { eth: { src: A, dst: B }, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, vxlan: { vni: r.vni, inner } };
    });
    const specs = fc.sample(spec, { seed: 20240501, numRuns: 60 });
    const frames = specs.map(buildFrame);
    const report = tsharkCheckFrames(frames);
    expectClean(report, frames.length);
    frames.forEach((f, i) => {
      const fr = report.frames[i];
      const d = decodeFrame(f);
      const ours = (name: string) => d.layers.flatMap((l) => (name in l.fields ? [String(l.fields[name])] : []));
      expect(fr.fields['ip.src']).toEqual(ours('ip.src'));
      expect(fr.fields['ip.dst']).toEqual(ours('ip.dst'));
      expect(fr.fields['vxlan.vni']).toEqual(ours('vxlan.vni'));
      expect(fr.fields['vlan.id']).toEqual(ours('vlan.id'));
      expect([...fr.fields['tcp.srcport'], ...fr.fields['udp.srcport']].sort()).toEqual([...ours('tcp.sport'), ...ours('udp.sport')].sort());
    });
  });

  describe('the check can fail', () => {
    const eth = { src: A, dst: B };
    it('flags a wrong IPv4 header checksum', () => {
      const f = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: {} });
      f[14 + IPV4_FIELD.CHECKSUM] ^= 0x01;
      const r = tsharkCheckFrames([f]);
      expect(r.problems.join('\n')).toMatch(/checksum\/error: Bad checksum/);
      expect(r.problems).toContain('frame 1: ip.checksum.status = bad');
    });

    it('flags a wrong TCP checksum, also inside VXLAN', () => {
      const plain = buildFrame(synInner);
      plain[34 + TCP_FIELD.CHECKSUM + 1] ^= 0x01;
      const enc = buildFrame({ eth, ipv4: { src: '10.0.0.10', dst: '10.0.0.20' }, vxlan: { vni: 4096, inner: plain } });
      const r = tsharkCheckFrames([plain, enc]);
      expect(r.frames[0].problems).toContain('tcp.checksum.status = bad');
      expect(r.frames[1].problems).toContain('tcp.checksum.status = bad');
      expect(field(r.frames[1], 'vxlan.vni')).toBe('4096');
    });

    it('flags wrong UDP and ICMP checksums', () => {
      const udp = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, udp: { sport: 1, dport: 2 }, payload: 'x' });
      udp[udp.length - 1] ^= 0x01;
      const icmp = buildFrame({ eth, ipv4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: { id: 1 }, payload: 'x' });
      icmp[icmp.length - 1] ^= 0x01;
      const r = tsharkCheckFrames([udp, icmp]);
      expect(r.frames[0].problems).toContain('udp.checksum.status = bad');
      expect(r.frames[1].problems).toContain('icmp.checksum.status = bad');
    });

    it('flags a frame shorter than its IPv4 total length as malformed', () => {
      const f = buildFrame(synInner).subarray(0, 44);
      const r = tsharkCheckFrames([f]);
      expect(r.problems.some((p) => /malformed/.test(p))).toBe(true);
    });
  });
});
