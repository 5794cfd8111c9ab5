/**
 * The golden frames (tests/golden/*.hex, made with Scapy and checked with tshark) through the data
 * plane's parse stage: the descriptor's offsets, EtherType, protocol, flags, VLAN and flow hash must
 * match both a table written from the fixtures' descriptions and the TypeScript wire decoder's view
 * of the same bytes (src/wire/build.ts decodeFrame, an independent parser). Damaged copies of each
 * golden frame must drop with the right reason. Both cores run every case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { DROP_REASONS } from '../../src/engine/drops.js';
import { decodeFrame } from '../../src/wire/build.js';
import { ipToInt } from '../../src/wire/ipv4.js';
import { flowHash } from '../../src/table-images/flow-hash.js';
import { makePair, runBoth, type CorePair } from '../support/diff-harness.js';
import { goldenNames, loadGolden } from './load.js';

const code = (name: string) => DROP_REASONS.find((d) => d.name === name)!.code;

interface Expect {
  l3: number;
  l4: number;
  ethertype: number;
  proto: number;
  flags: number;
  vlan: number;
}

/** What each fixture's comment says it is. */
const TABLE: Record<string, Expect> = {
  arp_reply: { l3: 14, l4: 0, ethertype: 0x0806, proto: 0, flags: abi.F_ARP, vlan: 0 },
  arp_request: { l3: 14, l4: 0, ethertype: 0x0806, proto: 0, flags: abi.F_ARP | abi.F_BCAST, vlan: 0 },
  icmp_echo_reply: { l3: 14, l4: 34, ethertype: 0x0800, proto: 1, flags: 0, vlan: 0 },
  icmp_echo_request: { l3: 14, l4: 34, ethertype: 0x0800, proto: 1, flags: 0, vlan: 0 },
  ipv4_options: { l3: 14, l4: 14 + 36, ethertype: 0x0800, proto: 1, flags: 0, vlan: 0 },
  tcp_rst: { l3: 14, l4: 34, ethertype: 0x0800, proto: 6, flags: 0, vlan: 0 },
  tcp_syn: { l3: 14, l4: 34, ethertype: 0x0800, proto: 6, flags: 0, vlan: 0 },
  tcp_synack: { l3: 14, l4: 34, ethertype: 0x0800, proto: 6, flags: 0, vlan: 0 },
  udp_dns_query: { l3: 14, l4: 34, ethertype: 0x0800, proto: 17, flags: 0, vlan: 0 },
  vlan_ipv4_icmp: { l3: 18, l4: 38, ethertype: 0x0800, proto: 1, flags: abi.F_VLAN_TAGGED, vlan: 100 },
  vxlan_tcp: { l3: 14, l4: 34, ethertype: 0x0800, proto: 17, flags: abi.F_VXLAN, vlan: 0 },
};

/** The same facts and the flow hash, from the TypeScript wire decoder. */
function fromDecoder(bytes: Uint8Array): Expect & { hash: number } {
  const layers = decodeFrame(bytes).layers.filter((l) => l.depth === 0);
  const get = (name: string) => layers.find((l) => l.layer === name);
  const eth = get('eth')!;
  const vlan = get('vlan');
  const arp = get('arp');
  const ip = get('ip');
  const l4 = get('tcp') ?? get('udp') ?? get('icmp');
  let flags = 0;
  if (vlan) flags |= abi.F_VLAN_TAGGED;
  if (arp) flags |= abi.F_ARP;
  if (parseInt(String(eth.fields['eth.dst']).slice(0, 2), 16) & 1) flags |= abi.F_BCAST;
  if (get('vxlan')) flags |= abi.F_VXLAN;
  if (ip && (ip.fields['ip.flags.mf'] || ip.fields['ip.frag_offset'])) flags |= abi.F_FRAGMENT;
  const proto = ip ? Number(ip.fields['ip.proto']) : 0;
  let ports = 0;
  if (l4?.layer === 'tcp') ports = Number(l4.fields['tcp.sport']) * 0x10000 + Number(l4.fields['tcp.dport']);
  if (l4?.layer === 'udp') ports = Number(l4.fields['udp.sport']) * 0x10000 + Number(l4.fields['udp.dport']);
  if (l4?.layer === 'icmp' && l4.fields['icmp.id'] !== undefined) ports = Number(l4.fields['icmp.id']) * 0x10000;
  return {
    l3: (arp ?? ip)?.offset ?? 0,
    l4: flags & abi.F_FRAGMENT ? 0 : (l4?.offset ?? 0),
    ethertype: vlan ? Number(vlan.fields['vlan.etype']) : Number(eth.fields['eth.type']),
    proto,
    flags,
    vlan: vlan ? Number(vlan.fields['vlan.id']) : 0,
    hash: ip ? flowHash(ipToInt(String(ip.fields['ip.src'])), ipToInt(String(ip.fields['ip.dst'])), ports >>> 0, proto) : 0,
  };
}

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 64 });
});

describe('golden frames through the parse stage', () => {
  it('every fixture of the table is present', () => {
    expect(goldenNames()).toEqual(expect.arrayContaining(Object.keys(TABLE)));
  });

  for (const name of goldenNames()) {
    it(`${name}: offsets, flags, VLAN and hash`, () => {
      const bytes = loadGolden(name);
      const out = runBoth(pair, [bytes], [{ stage: abi.STAGE_PARSE }], { seed: 0, trace: true });
      const d = out.descriptors[0];
      expect(d.next, `${name} passes parse`).toBe(abi.NEXT_CONTINUE);
      const got = { l3: d.l3, l4: d.l4, ethertype: d.ethertype, proto: d.proto, flags: d.flags, vlan: d.vlan };
      const dec = fromDecoder(bytes);
      expect(got).toEqual({ l3: dec.l3, l4: dec.l4, ethertype: dec.ethertype, proto: dec.proto, flags: dec.flags, vlan: dec.vlan });
      expect(d.hash).toBe(dec.hash);
      if (TABLE[name]) expect(got).toEqual(TABLE[name]);
      expect(out.frames[0]).toBe(Buffer.from(bytes).toString('hex'));
    });

    it(`${name}: damaged copies drop with their reason`, () => {
      const bytes = loadGolden(name);
      const dec = fromDecoder(bytes);
      const cases: [Uint8Array, string][] = [[bytes.slice(0, 13), 'PARSE_TRUNCATED_ETHERNET']];
      if (dec.flags & abi.F_ARP) {
        cases.push([bytes.slice(0, dec.l3 + 27), 'PARSE_BAD_ARP']);
      } else {
        const badSum = bytes.slice();
        badSum[dec.l3 + 10] ^= 0x40;
        cases.push([badSum, 'PARSE_BAD_IP_CHECKSUM'], [bytes.slice(0, dec.l3 + 19), 'PARSE_TRUNCATED_IPV4']);
        const v6 = bytes.slice();
        v6[dec.l3] = 0x65;
        cases.push([v6, 'PARSE_BAD_IP_VERSION']);
        // Cut inside the payload: the total length now runs past the frame.
        cases.push([bytes.slice(0, dec.l4 + 4), 'PARSE_BAD_TOTAL_LENGTH']);
      }
      const out = runBoth(pair, cases.map((c) => c[0]), [{ stage: abi.STAGE_PARSE }], { seed: 0 });
      expect(out.descriptors.map((x) => x.drop)).toEqual(cases.map((c) => code(c[1])));
    });
  }
});
