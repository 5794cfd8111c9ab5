/**
 * Reference twin of assembly/stages/vxlan-encap.ts and vxlan-decap.ts: the same semantics written
 * the plain way (a Map per lookup, the outer header built field by field, the IPv4 checksum summed in
 * full) so differential tests catch a wrong template, a wrong incremental checksum or a wrong offset.
 * The stage header comments in assembly/stages/ are the specification; this file follows them.
 */
import * as abi from '../../abi.js';
import type { NormalVtepTable, VtepTableView } from '../../table-images/vxlan.js';
import { vtepTableView } from '../../table-images/vxlan.js';
import { DROP } from '../drops.js';
import { RefCore, registerStage, refTablesChanged } from './core.js';

const ENCAP_LEN = 50;
const VXLAN_PORT = 4789;


const DROP_NO_TUNNEL = DROP.VXLAN_NO_TUNNEL;
const DROP_UNKNOWN_VNI = DROP.VXLAN_UNKNOWN_VNI;
const DROP_BAD_FLAGS = DROP.VXLAN_BAD_FLAGS;
const DROP_BAD_OUTER = DROP.VXLAN_BAD_OUTER;
const DROP_TOO_BIG = DROP.VXLAN_TOO_BIG;

interface RefTunnel {
  index: number;
  network: number;
  vni: number;
  remoteAddress: number;
  localAddress: number;
  nextHopMac: number;
  localMac: number;
}

interface RefVtepTable {
  source: NormalVtepTable;
  locals: Set<number>;
  mtu: number;
  /** VNI → [network entry index, network id] */
  byVni: Map<number, [number, number]>;
  networks: Set<number>;
  /** network → MAC → tunnel */
  tunnels: Map<number, Map<number, RefTunnel>>;
}

function tables(core: RefCore): Map<number, RefVtepTable> {
  let m = core.tables.get('vxlan') as Map<number, RefVtepTable> | undefined;
  if (!m) {
    m = new Map();
    core.tables.set('vxlan', m);
  }
  return m;
}

function table(core: RefCore, id: number): RefVtepTable {
  const t = tables(core).get(id);
  if (!t) throw new Error('data plane invariant broken (vtep table not loaded)');
  return t;
}

/** Loads a (validated) VTEP table as table `id` of the reference core. */
export function loadRefVtepTable(core: RefCore, id: number, t: NormalVtepTable): void {
  refTablesChanged(core);
  const byVni = new Map<number, [number, number]>();
  t.networks.forEach((n, k) => byVni.set(n.vni, [k, n.network]));
  const tunnels = new Map<number, Map<number, RefTunnel>>();
  t.tunnels.forEach((tu, index) => {
    let byMac = tunnels.get(tu.network);
    if (!byMac) tunnels.set(tu.network, (byMac = new Map()));
    byMac.set(tu.mac, { index, ...tu });
  });
  tables(core).set(id, {
    source: t,
    locals: new Set(t.localAddresses),
    mtu: t.underlayMtu,
    byVni,
    networks: new Set(t.networks.map((n) => n.network)),
    tunnels,
  });
}

export function refVtepTableView(core: RefCore, id: number): VtepTableView | undefined {
  const t = tables(core).get(id);
  return t ? vtepTableView(t.source) : undefined;
}

function readMac(u8: Uint8Array, p: number): number {
  let m = 0;
  for (let k = 0; k < 6; k++) m = m * 256 + u8[p + k];
  return m;
}

function writeMac(u8: Uint8Array, p: number, m: number): void {
  for (let k = 5; k >= 0; k--) {
    u8[p + k] = m % 256;
    m = Math.floor(m / 256);
  }
}

function ipv4Checksum(u8: Uint8Array, p: number): number {
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += (u8[p + k] << 8) | u8[p + k + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function encap(core: RefCore, n: number, a0: number): number {
  const S = abi.STAGE_VXLAN_ENCAP;
  const t = table(core, a0);
  const dv = core.view();
  const u8 = core.bytes();
  let inN = 0;
  let pass = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = core.desc(i);
    if (dv.getUint8(d + abi.D_NEXT) !== abi.NEXT_CONTINUE) continue;
    inN++;
    if (dv.getUint8(d + abi.D_FLAGS) & abi.F_ENCAPPED) {
      pass++;
      core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const data = dv.getUint32(d + abi.D_DATA, true);
    const net = dv.getUint32(d + abi.D_CTX, true);
    const tu = t.tunnels.get(net)?.get(readMac(u8, data));
    if (!tu) {
      drop++;
      core.drop(i, S, t.networks.has(net) ? DROP_NO_TUNNEL : DROP_UNKNOWN_VNI);
      continue;
    }
    const len = dv.getUint16(d + abi.D_LEN, true);
    const headroom = (data - core.ringBase) % abi.SLOT_SIZE;
    const ipLen = len + 20 + 8 + 8;
    if (headroom < ENCAP_LEN || ipLen > t.mtu) {
      drop++;
      core.drop(i, S, DROP_TOO_BIG, tu.index);
      continue;
    }
    const hash = dv.getUint32(d + abi.D_HASH, true);
    const sport = 49152 + (((hash ^ (hash >>> 16)) >>> 0) % 16384);
    const o = data - ENCAP_LEN;
    // Ethernet
    writeMac(u8, o, tu.nextHopMac);
    writeMac(u8, o + 6, tu.localMac);
    dv.setUint16(o + 12, 0x0800);
    // IPv4: version 4, IHL 5, DSCP 0, id 0, DF, TTL 128, UDP
    const ip = o + 14;
    dv.setUint8(ip, 0x45);
    dv.setUint8(ip + 1, 0);
    dv.setUint16(ip + 2, ipLen);
    dv.setUint16(ip + 4, 0);
    dv.setUint16(ip + 6, 0x4000);
    dv.setUint8(ip + 8, 128);
    dv.setUint8(ip + 9, 17);
    dv.setUint16(ip + 10, 0);
    dv.setUint32(ip + 12, tu.localAddress);
    dv.setUint32(ip + 16, tu.remoteAddress);
    dv.setUint16(ip + 10, ipv4Checksum(u8, ip));
    // UDP, checksum 0
    const udp = ip + 20;
    dv.setUint16(udp, sport);
    dv.setUint16(udp + 2, VXLAN_PORT);
    dv.setUint16(udp + 4, len + 16);
    dv.setUint16(udp + 6, 0);
    // VXLAN: flags I, reserved 0, VNI, reserved 0
    dv.setUint32(udp + 8, 0x0800_0000);
    dv.setUint32(udp + 12, tu.vni * 256);
    // The descriptor now describes the outer frame.
    const nextHopGroup = Math.floor(tu.nextHopMac / 0x100_0000_0000) % 2 === 1;
    dv.setUint32(d + abi.D_DATA, o, true);
    dv.setUint16(d + abi.D_LEN, len + ENCAP_LEN, true);
    dv.setUint8(d + abi.D_L3, 14);
    dv.setUint8(d + abi.D_L4, 34);
    dv.setUint16(d + abi.D_ETHERTYPE, 0x0800, true);
    dv.setUint8(d + abi.D_PROTO, 17);
    dv.setUint8(d + abi.D_FLAGS, abi.F_VXLAN | abi.F_ENCAPPED | (nextHopGroup ? abi.F_BCAST : 0));
    dv.setUint32(d + abi.D_AUX, tu.index, true);
    if (core.uftNotes?.[i]) core.uftNotes[i].tunnelMtu = t.mtu;
    pass++;
    if (core.tracing) {
      const e = tu.index;
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_NONE, BigInt(net), BigInt(tu.vni));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_OUTER_ETH_DST, 0n, BigInt(tu.nextHopMac));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_OUTER_ETH_SRC, 0n, BigInt(tu.localMac));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_OUTER_IP_SRC, 0n, BigInt(tu.localAddress));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_OUTER_IP_DST, 0n, BigInt(tu.remoteAddress));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_OUTER_SPORT, 0n, BigInt(sport));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_VXLAN_VNI, 0n, BigInt(tu.vni));
      core.trace(i, S, abi.A_ENCAP, e, abi.FIELD_LEN, BigInt(len), BigInt(len + ENCAP_LEN));
    }
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, pass);
  core.count(S, abi.C_DROP, drop);
  return n;
}

function decap(core: RefCore, n: number, a0: number): number {
  const S = abi.STAGE_VXLAN_DECAP;
  const t = table(core, a0);
  const dv = core.view();
  const u8 = core.bytes();
  let inN = 0;
  let pass = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = core.desc(i);
    if (dv.getUint8(d + abi.D_NEXT) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const flags = dv.getUint8(d + abi.D_FLAGS);
    if (!(flags & abi.F_VXLAN) || flags & abi.F_ENCAPPED) {
      pass++;
      core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const data = dv.getUint32(d + abi.D_DATA, true);
    const l3 = dv.getUint8(d + abi.D_L3);
    const l4 = dv.getUint8(d + abi.D_L4);
    const len = dv.getUint16(d + abi.D_LEN, true);
    const ip = data + l3;
    const udp = data + l4;
    const udpLen = dv.getUint16(udp + 4);
    const outerOk =
      l3 !== 0 &&
      l4 !== 0 &&
      dv.getUint8(d + abi.D_PROTO) === 17 &&
      dv.getUint16(udp + 2) === VXLAN_PORT &&
      udpLen >= 8 + 8 + 14 &&
      l4 + udpLen <= len &&
      t.locals.has(dv.getUint32(ip + 16));
    if (!outerOk) {
      drop++;
      core.drop(i, S, DROP_BAD_OUTER);
      continue;
    }
    const vx = udp + 8;
    // Flags must be exactly I with the three reserved bytes zero, and the byte after the VNI zero.
    if (dv.getUint32(vx) !== 0x0800_0000 || u8[vx + 7] !== 0) {
      drop++;
      core.drop(i, S, DROP_BAD_FLAGS);
      continue;
    }
    const vni = dv.getUint32(vx + 4) >>> 8;
    const hit = t.byVni.get(vni);
    if (!hit) {
      drop++;
      core.drop(i, S, DROP_UNKNOWN_VNI);
      continue;
    }
    const [entry, net] = hit;
    const strip = l4 + 16;
    const innerLen = udpLen - 16;
    dv.setUint32(d + abi.D_DATA, data + strip, true);
    dv.setUint16(d + abi.D_LEN, innerLen, true);
    dv.setUint8(d + abi.D_L3, 0);
    dv.setUint8(d + abi.D_L4, 0);
    dv.setUint16(d + abi.D_ETHERTYPE, 0, true);
    dv.setUint8(d + abi.D_PROTO, 0);
    dv.setUint8(d + abi.D_FLAGS, 0);
    dv.setUint32(d + abi.D_AUX, entry, true);
    dv.setUint32(d + abi.D_CTX, net, true);
    pass++;
    if (core.tracing) {
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_NONE, BigInt(vni), BigInt(net));
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_OUTER_ETH_DST, BigInt(readMac(u8, data)), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_OUTER_ETH_SRC, BigInt(readMac(u8, data + 6)), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_OUTER_IP_SRC, BigInt(dv.getUint32(ip + 12)), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_OUTER_IP_DST, BigInt(dv.getUint32(ip + 16)), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_OUTER_SPORT, BigInt(dv.getUint16(udp)), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_VXLAN_VNI, BigInt(vni), 0n);
      core.trace(i, S, abi.A_DECAP, entry, abi.FIELD_LEN, BigInt(len), BigInt(innerLen));
    }
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, pass);
  core.count(S, abi.C_DROP, drop);
  return n;
}

registerStage(abi.STAGE_VXLAN_ENCAP, (core, n, a0) => encap(core, n, a0));
registerStage(abi.STAGE_VXLAN_DECAP, (core, n, a0) => decap(core, n, a0));
