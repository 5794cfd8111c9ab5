/**
 * The VTEP table: validation, loading on both cores, reading it back for the UI, replacing it, and
 * large tables whose hash slots collide and wrap around.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { readDescriptor, writeBatch, type PacketCore } from '../../src/engine/core.js';
import { loadVtepTable, readVtepTable } from '../../src/engine/loaders/vxlan.js';
import { encodeVtepTable, normalizeVtepTable, type VtepTable } from '../../src/table-images/vxlan.js';
import { fillParseFields, udpFrame, vxlanFrame } from '../../src/bench/workloads/vxlan.js';
import { makePair } from '../support/diff-harness.js';

const TABLE: VtepTable = {
  localAddresses: ['10.0.0.10', 0xc0a80001],
  localMac: '00:15:5d:00:00:0a',
  underlayMtu: 9000,
  networks: [
    { network: 1, vni: 4096 },
    { network: 0xffffffff, vni: 0xffffff },
  ],
  tunnels: [
    { network: 1, mac: '00-15-5D-12-30-02', remoteAddress: '10.0.0.11', nextHopMac: '00-15-5D-00-00-0B' },
    { network: 0xffffffff, mac: 0x00155d123003, remoteAddress: '10.0.1.12', nextHopMac: '00-15-5D-00-00-01', localAddress: '192.168.0.1', localMac: 0x00155d0000aa },
  ],
};

const VIEW = {
  localAddresses: ['10.0.0.10', '192.168.0.1'],
  underlayMtu: 9000,
  networks: [
    { network: 1, vni: 4096 },
    { network: 0xffffffff, vni: 0xffffff },
  ],
  tunnels: [
    { index: 0, network: 1, vni: 4096, mac: '00-15-5D-12-30-02', remoteAddress: '10.0.0.11', localAddress: '10.0.0.10', nextHopMac: '00-15-5D-00-00-0B', localMac: '00-15-5D-00-00-0A' },
    { index: 1, network: 0xffffffff, vni: 0xffffff, mac: '00-15-5D-12-30-03', remoteAddress: '10.0.1.12', localAddress: '192.168.0.1', nextHopMac: '00-15-5D-00-00-01', localMac: '00-15-5D-00-00-AA' },
  ],
};

let cores: PacketCore[];
beforeAll(async () => {
  const pair = await makePair();
  cores = [pair.wasm, pair.ref];
});

describe('VTEP table validation', () => {
  const bad: [string, Partial<VtepTable>, RegExp][] = [
    ['nine local addresses', { localAddresses: Array.from({ length: 9 }, (_, k) => `10.0.0.${k + 1}`) }, /at most 8/],
    ['a malformed address', { localAddresses: ['10.0.0'] }, /not an IPv4 address/],
    ['a VNI beyond 24 bits', { networks: [{ network: 1, vni: 0x1000000 }] }, /VNI/],
    ['a VNI on two networks', { networks: [{ network: 1, vni: 4096 }, { network: 2, vni: 4096 }], tunnels: [] }, /VNI 4096 given to networks 1 and 2/],
    ['a network listed twice', { networks: [{ network: 1, vni: 4096 }, { network: 1, vni: 4097 }], tunnels: [] }, /listed twice/],
    ['a tunnel on a network without VNI', { networks: [{ network: 2, vni: 4096 }] }, /network 1 has no VNI/],
    ['a tunnel to a group MAC', { tunnels: [{ network: 1, mac: 'ff-ff-ff-ff-ff-ff', remoteAddress: '10.0.0.2', nextHopMac: 2 }] }, /group MAC/],
    ['two tunnels for one endpoint', {
      tunnels: [
        { network: 1, mac: 5, remoteAddress: '10.0.0.2', nextHopMac: 2 },
        { network: 1, mac: 5, remoteAddress: '10.0.0.3', nextHopMac: 3 },
      ],
    }, /already has a tunnel/],
    ['a tunnel without any local address', { localAddresses: [], tunnels: [{ network: 1, mac: 5, remoteAddress: '10.0.0.2', nextHopMac: 2 }] }, /no local address/],
    ['an MTU below IPv4’s minimum', { underlayMtu: 60 }, /MTU/],
  ];
  const base: VtepTable = {
    localAddresses: ['10.0.0.10'],
    localMac: 1,
    networks: [{ network: 1, vni: 4096 }],
    tunnels: [{ network: 1, mac: 5, remoteAddress: '10.0.0.2', nextHopMac: 2 }],
  };
  it.each(bad)('refuses %s on both cores', (_, change, message) => {
    const t = { ...base, ...change };
    expect(() => normalizeVtepTable(t)).toThrow(message);
    for (const c of cores) expect(() => loadVtepTable(c, 0, t)).toThrow(RangeError);
  });

  it('refuses table ids outside 0..255', () => {
    for (const c of cores) {
      expect(() => loadVtepTable(c, 256, base)).toThrow(RangeError);
      expect(() => loadVtepTable(c, -1, base)).toThrow(RangeError);
    }
  });
});

describe('VTEP table loading and reading back', () => {
  it('reads back what was loaded, the same on both cores', () => {
    for (const c of cores) {
      loadVtepTable(c, 9, TABLE);
      expect(readVtepTable(c, 9)).toEqual(VIEW);
      expect(readVtepTable(c, 10)).toBeUndefined();
    }
  });

  it('lays each tunnel record on its own 64-byte line in a position-independent image', () => {
    const img = encodeVtepTable(TABLE);
    const dv = new DataView(img.buffer);
    const offTunnels = dv.getUint32(40, true);
    expect(offTunnels % 64).toBe(0);
    expect(img.length).toBe(offTunnels + 2 * 64);
    // The second tunnel's template: outer source 192.168.0.1, destination 10.0.1.12, VNI 0xffffff.
    const rec = offTunnels + 64;
    expect([...img.subarray(rec + 26, rec + 34)]).toEqual([192, 168, 0, 1, 10, 0, 1, 12]);
    expect([...img.subarray(rec + 46, rec + 50)]).toEqual([0xff, 0xff, 0xff, 0]);
  });

  it('replaces a table on reload and keeps tables of other ids apart', () => {
    const frame = udpFrame({ srcMac: 0x00155d000001, dstMac: 0x00155d123002, srcIp: 1, dstIp: 2, sport: 1, dport: 2 }, 64);
    const moved: VtepTable = { ...TABLE, tunnels: [{ ...TABLE.tunnels[0], remoteAddress: '10.0.0.99' }] };
    for (const c of cores) {
      loadVtepTable(c, 11, TABLE);
      loadVtepTable(c, 12, moved);
      const outerDst = (id: number) => {
        writeBatch(c, [frame], 0, 1);
        fillParseFields(c, 1);
        c.run(1, [{ stage: abi.STAGE_VXLAN_ENCAP, a0: id }]);
        const d = readDescriptor(c, 0);
        return [...c.bytes().subarray(d.data + 30, d.data + 34)].join('.');
      };
      expect(outerDst(11)).toBe('10.0.0.11');
      expect(outerDst(12)).toBe('10.0.0.99');
      loadVtepTable(c, 11, moved);
      expect(outerDst(11)).toBe('10.0.0.99');
      expect(readVtepTable(c, 11)?.tunnels[0].remoteAddress).toBe('10.0.0.99');
    }
  });

  it('finds every tunnel and VNI of a large table (collisions, wrap-around)', () => {
    const networks = Array.from({ length: 300 }, (_, k) => ({ network: k * 977, vni: 4096 + k * 13 }));
    const tunnels = Array.from({ length: 3000 }, (_, k) => ({
      network: networks[k % 300].network,
      // Few distinct MACs, many networks: keys differ only in the network id for some pairs.
      mac: 0x00155d000000 + Math.floor(k / 7),
      remoteAddress: (10 << 24) + k,
      nextHopMac: 0x00155d990000 + k,
    }));
    const big: VtepTable = { localAddresses: ['10.0.0.10'], localMac: 1, networks, tunnels };
    const frames = tunnels.map((t) => udpFrame({ srcMac: 2, dstMac: t.mac, srcIp: 1, dstIp: 2, sport: 1, dport: 2 }, 60));
    // Decap: every VNI of the table maps to its network; a VNI just beside each does not.
    const vxFrames = networks.flatMap((n) => [n.vni, n.vni + 1].map((vni) =>
      vxlanFrame({ srcMac: 3, dstMac: 4, srcIp: 5, dstIp: (10 << 24) | 10, sport: 50000, vni, inner: frames[0] })));
    const known = new Set(networks.map((n) => n.vni));
    for (const c of cores) {
      loadVtepTable(c, 13, big);
      writeBatch(c, vxFrames, 0, 0);
      fillParseFields(c, vxFrames.length);
      c.run(vxFrames.length, [{ stage: abi.STAGE_VXLAN_DECAP, a0: 13 }]);
      vxFrames.forEach((_, i) => {
        const n = networks[i >> 1];
        const vni = i % 2 ? n.vni + 1 : n.vni;
        const d = readDescriptor(c, i);
        if (known.has(vni)) {
          expect(d.drop, `VNI ${vni} on ${c.kind}`).toBe(0);
          expect(d.ctx, `VNI ${vni} on ${c.kind}`).toBe(networks.find((x) => x.vni === vni)!.network);
        } else {
          expect(d.drop, `VNI ${vni} on ${c.kind}`).toBe(51);
        }
      });
      for (let at = 0; at < frames.length; at += 1000) {
        const batch = frames.slice(at, at + 1000);
        writeBatch(c, batch, 0, tunnels.slice(at, at + 1000).map((t) => t.network));
        fillParseFields(c, batch.length);
        c.run(batch.length, [{ stage: abi.STAGE_VXLAN_ENCAP, a0: 13 }]);
        batch.forEach((_, i) => {
          const d = readDescriptor(c, i);
          expect(d.drop, `tunnel ${at + i} on ${c.kind}`).toBe(0);
          expect(d.aux, `tunnel ${at + i} on ${c.kind}`).toBe(at + i);
        });
      }
    }
  });
});
