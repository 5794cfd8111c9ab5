/**
 * Bench workloads for the VXLAN stages: `vxlan-encap` and `vxlan-decap` with 64 tunnels (64 remote
 * endpoints on 16 remote hosts, 8 overlay networks), batches of 256 uniformly random tunnels, 64 B
 * and 1500 B inner frames. Also the frame builders and the parse stand-in the VXLAN tests share.
 *
 * Each stage reads descriptor fields that parse fills (D_HASH for encap; D_L3, D_L4, D_PROTO and
 * F_VXLAN for decap). writeBatch does not fill them, so a workload's `prepare(core)` (run by the
 * runner once after writeBatch and before the snapshot) fills them the way parse does
 * (fillParseFields), and the timed program is the one stage alone.
 *
 * The 1500 B encap workload uses a jumbo underlay (MTU 9000, as VXLAN fabrics are configured for
 * full-size inner frames); with the default 1500 every 1500 B inner frame would be VXLAN_TOO_BIG.
 */
import { mulberry32 as prng } from '../classbench.js';
import * as abi from '../../abi.js';
import { descAddr, type PacketCore, type ProgramStep } from '../../engine/core.js';
import { loadVtepTable } from '../../engine/loaders/vxlan.js';
import type { VtepTable } from '../../table-images/vxlan.js';
import { flowHash } from '../../table-images/flow-hash.js';
import { buildFrame } from '../../wire/build.js';
import type { Prepared } from '../types.js';

/** Table id the workloads load their VTEP table as. */
export const VXLAN_BENCH_TABLE = 0;
export const LOCAL_PA = '10.0.0.10';
export const LOCAL_MAC = 0x00155d00000a;

export interface VxlanPrepared extends Prepared {
  /** Fills the parse-derived descriptor fields (fillParseFields); run after writeBatch, before the
   *  snapshot, so the timed program is the VXLAN stage alone. */
  prepare(core: PacketCore): void;
}

// ---- the parse stand-in --------------------------------------------------------------------------

/**
 * Fills D_ETHERTYPE, D_L3, D_L4, D_PROTO, D_FLAGS and D_HASH of packets [0, n) from their bytes as
 * the parse stage does for well-formed frames (no validation, no drops, no D_VLAN): a stand-in so
 * the VXLAN stages can be tested and measured alone. Unlike parse, F_VXLAN is set for UDP to port
 * 4789 whatever the VXLAN flags say, so decap's own flag check is exercised.
 */
export function fillParseFields(core: PacketCore, n: number): void {
  const u8 = core.bytes();
  const dv = core.view();
  for (let i = 0; i < n; i++) {
    const d = descAddr(core, i);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const len = dv.getUint16(d + abi.D_LEN, true);
    let flags = 0;
    let l3 = 0;
    let l4 = 0;
    let proto = 0;
    let hash = 0;
    let et = 0;
    if (len >= 14) {
      if (u8[p] & 1) flags |= abi.F_BCAST;
      et = dv.getUint16(p + 12);
      let off = 14;
      if (et === 0x8100 && len >= 18) {
        flags |= abi.F_VLAN_TAGGED;
        et = dv.getUint16(p + 16);
        off = 18;
      }
      if (et === 0x0806) flags |= abi.F_ARP;
      if (et === 0x0800 && len >= off + 20) {
        l3 = off;
        const ihl = (u8[p + off] & 15) * 4;
        proto = u8[p + off + 9];
        const src = dv.getUint32(p + off + 12);
        const dst = dv.getUint32(p + off + 16);
        let ports = 0;
        if (dv.getUint16(p + off + 6) & 0x3fff) {
          flags |= abi.F_FRAGMENT;
        } else if ((proto === 6 || proto === 17) && len >= off + ihl + 8) {
          l4 = off + ihl;
          ports = dv.getUint32(p + l4);
          if (proto === 17 && dv.getUint16(p + l4 + 2) === 4789) flags |= abi.F_VXLAN;
        } else if (proto === 1 && len >= off + ihl + 8) {
          l4 = off + ihl;
          const type = u8[p + l4];
          if (type === 0 || type === 8) ports = (dv.getUint16(p + l4 + 4) << 16) >>> 0;
        }
        hash = flowHash(src, dst, ports, proto);
      }
    }
    dv.setUint16(d + abi.D_ETHERTYPE, et, true);
    dv.setUint8(d + abi.D_L3, l3);
    dv.setUint8(d + abi.D_L4, l4);
    dv.setUint8(d + abi.D_PROTO, proto);
    dv.setUint8(d + abi.D_FLAGS, flags);
    dv.setUint32(d + abi.D_HASH, hash, true);
  }
}

// ---- frames --------------------------------------------------------------------------------------

export interface InnerFlow {
  srcMac: number;
  dstMac: number;
  srcIp: number;
  dstIp: number;
  sport: number;
  dport: number;
}

/** An Ethernet/IPv4/UDP frame of exactly `size` bytes (>= 42) carrying `flow`, checksums valid. */
export function udpFrame(flow: InnerFlow, size: number): Uint8Array {
  const payload = new Uint8Array(Math.max(0, size - 42)).fill(0x2a);
  return buildFrame({
    eth: { src: flow.srcMac, dst: flow.dstMac },
    ipv4: { src: flow.srcIp, dst: flow.dstIp, ttl: 128 },
    udp: { sport: flow.sport, dport: flow.dport },
    payload,
  });
}

/** A VXLAN frame as a remote VTEP sends it: outer Ethernet/IPv4/UDP 4789/VXLAN around `inner`. */
export function vxlanFrame(o: {
  srcMac: number;
  dstMac: number;
  srcIp: number;
  dstIp: number;
  sport: number;
  vni: number;
  inner: Uint8Array;
}): Uint8Array {
  return buildFrame({
    eth: { src: o.srcMac, dst: o.dstMac },
    ipv4: { src: o.srcIp, dst: o.dstIp, ttl: 128, dontFragment: true },
    udp: { sport: o.sport, dport: 4789, checksum: false },
    vxlan: { vni: o.vni, inner: o.inner },
  });
}

// ---- the bench table -----------------------------------------------------------------------------

/** Host k (0..15) of the underlay: provider address 10.0.0.(20+k), NIC MAC 00-15-5D-00-01-kk. */
function remoteHost(k: number): { pa: number; mac: number } {
  return { pa: (10 << 24) | (20 + k), mac: 0x00155d000100 + k };
}

/** Overlay network j (0..7): id 100+j, VNI 4096+j, subnet 10.(j+1).0.0/24. */
function overlay(j: number): { network: number; vni: number; subnet: number } {
  return { network: 100 + j, vni: 4096 + j, subnet: ((10 << 24) | ((j + 1) << 16)) >>> 0 };
}

export interface BenchTunnel {
  network: number;
  vni: number;
  mac: number;
  ip: number;
  remotePa: number;
  remoteMac: number;
}

/** `count` remote endpoints over 8 networks and 16 remote hosts, and the table that reaches them. */
export function benchVtepTable(count = 64, underlayMtu = 1500): { table: VtepTable; tunnels: BenchTunnel[] } {
  const tunnels: BenchTunnel[] = [];
  for (let k = 0; k < count; k++) {
    const net = overlay(k % 8);
    const host = remoteHost(k % 16);
    const hostIndex = 2 + Math.floor(k / 8);
    tunnels.push({
      network: net.network,
      vni: net.vni,
      // HNS-pool style endpoint MACs, distinct per tunnel.
      mac: 0x00155d100000 + k * 0x100 + hostIndex,
      ip: (net.subnet + hostIndex) >>> 0,
      remotePa: host.pa >>> 0,
      remoteMac: host.mac,
    });
  }
  const table: VtepTable = {
    localAddresses: [LOCAL_PA],
    localMac: LOCAL_MAC,
    underlayMtu,
    networks: Array.from({ length: 8 }, (_, j) => ({ network: overlay(j).network, vni: overlay(j).vni })),
    tunnels: tunnels.map((t) => ({ network: t.network, mac: t.mac, remoteAddress: t.remotePa, nextHopMac: t.remoteMac })),
  };
  return { table, tunnels };
}


export interface VxlanBenchOptions {
  /** Inner frame size in bytes (64 or 1500 in the bench). */
  size: number;
  batch?: number;
  tunnels?: number;
  seed?: number;
}

/** A local endpoint of network `t.network` sending to remote endpoint `t`, flow `k`. */
function flowTo(t: BenchTunnel, k: number): InnerFlow {
  const srcHost = 2 + (k % 200);
  return {
    srcMac: 0x00155d200000 + srcHost,
    dstMac: t.mac,
    srcIp: ((t.ip & 0xffffff00) | srcHost) >>> 0,
    dstIp: t.ip,
    sport: 49152 + ((k * 7919) % 16384),
    dport: 5000 + (k % 100),
  };
}

/** Loads the bench table on `core` and returns the encap workload: 256 inner frames to random tunnels. */
export function setupVxlanEncap(core: PacketCore, o: VxlanBenchOptions): VxlanPrepared {
  const batch = o.batch ?? 256;
  const { table, tunnels } = benchVtepTable(o.tunnels ?? 64, o.size + 36 > 1500 ? 9000 : 1500);
  loadVtepTable(core, VXLAN_BENCH_TABLE, table);
  const r = prng(o.seed ?? 0x7e1);
  const frames: Uint8Array[] = [];
  const ctx: number[] = [];
  for (let k = 0; k < batch; k++) {
    const t = tunnels[Math.floor(r() * tunnels.length)];
    frames.push(udpFrame(flowTo(t, k), o.size));
    ctx.push(t.network);
  }
  const program: ProgramStep[] = [{ stage: abi.STAGE_VXLAN_ENCAP, a0: VXLAN_BENCH_TABLE }];
  // Encap writes only the headroom in front of each frame, all of it each time: nothing to restore.
  return { program, frames, ctx, restoreBytes: 0, prepare: (c) => fillParseFields(c, frames.length) };
}

/** Loads the bench table on `core` and returns the decap workload: 256 VXLAN frames from random
 *  tunnels to this host's provider address. */
export function setupVxlanDecap(core: PacketCore, o: VxlanBenchOptions): VxlanPrepared {
  const batch = o.batch ?? 256;
  const { table, tunnels } = benchVtepTable(o.tunnels ?? 64);
  loadVtepTable(core, VXLAN_BENCH_TABLE, table);
  const r = prng(o.seed ?? 0xdec);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < batch; k++) {
    const t = tunnels[Math.floor(r() * tunnels.length)];
    const f = flowTo(t, k);
    // The reverse direction: the remote endpoint answers a local one.
    const inner = udpFrame({ srcMac: f.dstMac, dstMac: f.srcMac, srcIp: f.dstIp, dstIp: f.srcIp, sport: f.dport, dport: f.sport }, o.size);
    frames.push(
      vxlanFrame({
        srcMac: t.remoteMac,
        dstMac: LOCAL_MAC,
        srcIp: t.remotePa,
        dstIp: (10 << 24) | 10,
        sport: 49152 + (k % 16384),
        vni: t.vni,
        inner,
      }),
    );
  }
  const program: ProgramStep[] = [{ stage: abi.STAGE_VXLAN_DECAP, a0: VXLAN_BENCH_TABLE }];
  // Decap changes descriptors only.
  return { program, frames, restoreBytes: 0, prepare: (c) => fillParseFields(c, frames.length) };
}
