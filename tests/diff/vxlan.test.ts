/**
 * Differential test of vxlan-encap and vxlan-decap: seeded random VTEP tables and batches (valid
 * traffic, unknown endpoints and VNIs, broadcast, bad outer headers, bad flags, oversize frames,
 * exhausted headroom, packets already done or already encapsulated) through the WebAssembly core
 * and the reference core must give identical bytes, descriptors, counters and trace events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { descAddr, type PacketCore } from '../../src/engine/core.js';
import { loadVtepTable } from '../../src/engine/loaders/vxlan.js';
import type { VtepTable, VxlanTunnel } from '../../src/table-images/vxlan.js';
import { fillParseFields, udpFrame, vxlanFrame } from '../../src/bench/workloads/vxlan.js';
import { buildFrame } from '../../src/wire/build.js';
import { makePair, randInt, rng, runBoth, type CorePair } from '../support/diff-harness.js';

const SEEDS = 60;
const TABLE_ID = 5;

let pair: CorePair;
beforeAll(async () => {
  pair = await makePair({ slots: 512, traceCapacity: 1 << 16 });
});

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const u32 = (r: R) => Math.floor(r() * 0x1_0000_0000);
/** A unicast MAC: even first octet. */
const unicastMac = (r: R) => (Math.floor(r() * 0x80) * 2) * 0x100_0000_0000 + Math.floor(r() * 0x100_0000_0000);

interface World {
  table: VtepTable;
  locals: number[];
  networks: { network: number; vni: number }[];
  tunnels: (VxlanTunnel & { mac: number; network: number })[];
}

function randomWorld(r: R): World {
  const locals = Array.from({ length: randInt(r, 1, 3) }, () => ((10 << 24) | randInt(r, 1, 0xffffff)) >>> 0);
  const networks: { network: number; vni: number }[] = [];
  const usedNet = new Set<number>();
  const usedVni = new Set<number>();
  for (let k = randInt(r, 1, 6); k > 0; k--) {
    const network = r() < 0.5 ? randInt(r, 0, 20) : u32(r);
    const vni = r() < 0.8 ? randInt(r, 4096, 4200) : randInt(r, 0, 0xffffff);
    if (usedNet.has(network) || usedVni.has(vni)) continue;
    usedNet.add(network);
    usedVni.add(vni);
    networks.push({ network, vni });
  }
  const tunnels: World['tunnels'] = [];
  const keys = new Set<string>();
  const macs: number[] = [];
  for (let k = randInt(r, 0, 40); k > 0; k--) {
    const network = pick(r, networks).network;
    // Reuse a MAC of another network now and then: keys differ only by the network.
    const mac = macs.length && r() < 0.2 ? pick(r, macs) : unicastMac(r);
    if (keys.has(`${network}/${mac}`)) continue;
    keys.add(`${network}/${mac}`);
    macs.push(mac);
    const t: World['tunnels'][number] = {
      network,
      mac,
      remoteAddress: u32(r),
      // A group next hop now and then (F_BCAST on the outer frame).
      nextHopMac: r() < 0.05 ? 0x01005e000000 + randInt(r, 0, 0xffff) : unicastMac(r),
    };
    if (r() < 0.2) t.localAddress = r() < 0.5 ? pick(r, locals) : u32(r);
    if (r() < 0.2) t.localMac = unicastMac(r);
    tunnels.push(t);
  }
  const table: VtepTable = {
    localAddresses: locals,
    localMac: unicastMac(r),
    underlayMtu: pick(r, [1500, 1500, 1400, 9000, undefined]),
    networks,
    tunnels,
  };
  return { table, locals, networks, tunnels };
}

function innerFrame(r: R, dstMac: number): Uint8Array {
  if (r() < 0.1) {
    // Not IPv4/UDP: any bytes behind an Ethernet header (ARP-sized, odd sizes, runt payloads).
    const f = new Uint8Array(randInt(r, 14, 80));
    for (let k = 0; k < f.length; k++) f[k] = randInt(r, 0, 255);
    for (let k = 0; k < 6; k++) f[k] = Math.floor(dstMac / 256 ** (5 - k)) % 256;
    return f;
  }
  const size = r() < 0.1 ? randInt(r, 1400, 1900) : randInt(r, 42, 1400);
  return udpFrame({ srcMac: unicastMac(r), dstMac, srcIp: u32(r), dstIp: u32(r), sport: randInt(r, 0, 65535), dport: randInt(r, 0, 65535) }, size);
}

function load(w: World): void {
  loadVtepTable(pair.wasm, TABLE_ID, w.table);
  loadVtepTable(pair.ref, TABLE_ID, w.table);
}

/** Random descriptor changes, the same on both cores (seeded per batch). */
function mutate(seed: number, n: number, opts: { headroom: boolean; udpLength: boolean }): (core: PacketCore) => void {
  return (core) => {
    fillParseFields(core, n);
    const r = rng(seed * 7919 + 1);
    const dv = core.view();
    const u8 = core.bytes();
    for (let i = 0; i < n; i++) {
      const d = descAddr(core, i);
      const x = r();
      if (x < 0.04) dv.setUint8(d + abi.D_NEXT, pick(r, [abi.NEXT_DROP, abi.NEXT_TX, abi.NEXT_LOCAL]));
      else if (x < 0.07) dv.setUint8(d + abi.D_FLAGS, dv.getUint8(d + abi.D_FLAGS) | abi.F_ENCAPPED);
      else if (x < 0.12 && opts.headroom) {
        // Move the frame towards the slot start: some keep 50 bytes of headroom, some do not.
        const slot = core.ringBase + i * abi.SLOT_SIZE;
        const data = dv.getUint32(d + abi.D_DATA, true);
        const len = dv.getUint16(d + abi.D_LEN, true);
        const off = randInt(r, 40, 60);
        u8.copyWithin(slot + off, data, data + len);
        dv.setUint32(d + abi.D_DATA, slot + off, true);
      } else if (x < 0.17 && opts.udpLength) {
        const data = dv.getUint32(d + abi.D_DATA, true);
        const l4 = dv.getUint8(d + abi.D_L4);
        const room = dv.getUint16(d + abi.D_LEN, true) - l4;
        // Around both bounds: the smallest legal length (30) and the frame's end.
        if (l4) dv.setUint16(data + l4 + 4, pick(r, [randInt(r, 0, 2000), 29, 30, room, room + 1]));
      } else if (x < 0.2) {
        dv.setUint8(d + abi.D_PROTO, pick(r, [1, 6, 17, 0]));
      }
      if (r() < 0.5) dv.setUint32(d + abi.D_HASH, u32(r), true);
    }
  };
}

let packets = 0;

describe('vxlan differential (wasm vs reference)', () => {
  it('encap: random tables and batches', () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = rng(seed);
      const w = randomWorld(r);
      load(w);
      const n = randInt(r, 1, 256);
      const frames: Uint8Array[] = [];
      const ctx: number[] = [];
      for (let i = 0; i < n; i++) {
        const x = r();
        if (x < 0.7 && w.tunnels.length) {
          const t = pick(r, w.tunnels);
          frames.push(innerFrame(r, t.mac));
          ctx.push(t.network);
        } else if (x < 0.8) {
          frames.push(innerFrame(r, unicastMac(r)));
          ctx.push(pick(r, w.networks).network);
        } else if (x < 0.9) {
          frames.push(innerFrame(r, pick(r, [0xffffffffffff, 0x01005e0000fb, 0x333300000001])));
          ctx.push(pick(r, w.networks).network);
        } else {
          frames.push(innerFrame(r, w.tunnels.length ? pick(r, w.tunnels).mac : unicastMac(r)));
          ctx.push(u32(r));
        }
      }
      runBoth(pair, frames, [{ stage: abi.STAGE_VXLAN_ENCAP, a0: TABLE_ID }], {
        seed, ctx, trace: seed % 3 === 0, prepare: mutate(seed, n, { headroom: true, udpLength: false }),
      });
      packets += n;
    }
  });

  it('decap: random tables and VXLAN batches, good and bad', () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = rng(1000 + seed);
      const w = randomWorld(r);
      load(w);
      const n = randInt(r, 1, 256);
      const frames: Uint8Array[] = [];
      for (let i = 0; i < n; i++) {
        const x = r();
        const net = pick(r, w.networks);
        const inner = innerFrame(r, unicastMac(r));
        const base = {
          srcMac: unicastMac(r), dstMac: unicastMac(r), srcIp: u32(r), dstIp: pick(r, w.locals), sport: randInt(r, 49152, 65535), vni: net.vni, inner,
        };
        if (inner.length > 1800) {
          frames.push(inner.subarray(0, 1800));
        } else if (x < 0.55) {
          frames.push(vxlanFrame(base));
        } else if (x < 0.62) {
          frames.push(vxlanFrame({ ...base, vni: randInt(r, 0, 0xffffff) }));
        } else if (x < 0.7) {
          frames.push(vxlanFrame({ ...base, dstIp: u32(r) }));
        } else if (x < 0.8) {
          // Bad flags or reserved bits.
          const f = vxlanFrame(base);
          f[pick(r, [42, 42, 43, 44, 45, 49])] ^= 1 << randInt(r, 0, 7);
          frames.push(f);
        } else if (x < 0.88) {
          frames.push(buildFrame({
            eth: { src: base.srcMac, dst: base.dstMac },
            vlan: r() < 0.5 ? { vid: randInt(r, 1, 4094) } : undefined,
            ipv4: { src: base.srcIp, dst: base.dstIp, options: r() < 0.5 ? new Uint8Array([1, 1, 1, 0]) : undefined },
            udp: { sport: base.sport, dport: 4789, checksum: false },
            vxlan: { vni: base.vni, inner },
          }));
        } else {
          // Not VXLAN: plain UDP (to 4789 from the wrong side, or another port) and raw frames.
          frames.push(r() < 0.5 ? inner : udpFrame({ srcMac: 1, dstMac: 2, srcIp: base.srcIp, dstIp: base.dstIp, sport: 4789, dport: randInt(r, 1, 4788) }, randInt(r, 42, 200)));
        }
      }
      runBoth(pair, frames, [{ stage: abi.STAGE_VXLAN_DECAP, a0: TABLE_ID }], {
        seed, trace: seed % 3 === 1, prepare: mutate(seed, n, { headroom: false, udpLength: true }),
      });
      packets += n;
    }
  });

  it('decap then encap in one program (a VTEP relaying between networks)', () => {
    for (let seed = 1; seed <= SEEDS / 2; seed++) {
      const r = rng(2000 + seed);
      const w = randomWorld(r);
      if (!w.tunnels.length) continue;
      load(w);
      const n = randInt(r, 1, 256);
      const frames: Uint8Array[] = [];
      const ctx: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = pick(r, w.tunnels);
        const vni = w.networks.find((x) => x.network === t.network)!.vni;
        const inner = innerFrame(r, r() < 0.8 ? t.mac : unicastMac(r));
        if (inner.length + 50 > 1900 || r() < 0.3) {
          frames.push(inner.length > 1800 ? inner.subarray(0, 1800) : inner);
          ctx.push(t.network);
        } else {
          frames.push(vxlanFrame({ srcMac: unicastMac(r), dstMac: unicastMac(r), srcIp: u32(r), dstIp: pick(r, w.locals), sport: 50000, vni, inner }));
          ctx.push(u32(r));
        }
      }
      runBoth(pair, frames, [
        { stage: abi.STAGE_VXLAN_DECAP, a0: TABLE_ID },
        { stage: abi.STAGE_VXLAN_ENCAP, a0: TABLE_ID },
      ], { seed, ctx, trace: seed % 2 === 0, prepare: mutate(seed, n, { headroom: false, udpLength: false }) });
      packets += n;
    }
  });

  it('covered at least 10,000 packets', () => {
    expect(packets).toBeGreaterThanOrEqual(10_000);
    // Every outcome class occurred on both cores (the counters are equal, checked above).
    const drops = pair.wasm.counters().drops;
    for (const code of [50, 51, 52, 53, 54]) expect(drops.get(code) ?? 0, `drop ${code}`).toBeGreaterThan(0);
  });
});
