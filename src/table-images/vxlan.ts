/**
 * VXLAN tables: the VTEP table of one host (overlay networks, HNS remote endpoints) and the compiler
 * that turns it into the image the WebAssembly stages vxlan-encap / vxlan-decap search
 * (layout: assembly/tables/vtep-table.ts, which this file must agree with).
 *
 * The model, as HNS programs an overlay host:
 * - `localAddresses`: the host's provider addresses (HNS `ManagementIP` / the `PA` policy). Decap
 *   accepts VXLAN only to one of them; encap uses the first as the outer source unless a tunnel
 *   names its own.
 * - `networks`: overlay network id (the value the data plane carries in D_CTX) ↔ VNI (the network's
 *   VSID; swarm hands them out from 4096). Both are unique in a table.
 * - `tunnels`: one per remote endpoint (Docker's `IsRemoteEndpoint` with a `PA` policy): the overlay
 *   network, the endpoint's MAC (the inner destination), the remote host's provider address (outer
 *   destination) and the MAC of the next hop towards it on the underlay (outer Ethernet destination).
 *   Broadcast and unknown destinations have no tunnel: HNS answers ARP for remote endpoints itself
 *   and does not flood over VXLAN, so encap drops them (VXLAN_NO_TUNNEL).
 *
 * The outer header every tunnel precomputes (50 bytes): Ethernet (next hop MAC ← local NIC MAC,
 * 0x0800), IPv4 (DSCP 0, id 0, DF, TTL 128 as Windows sends, protocol 17), UDP (source port per
 * packet from the inner flow hash, destination 4789, checksum 0), VXLAN (flags I, the VNI).
 */
import { ipOf, macOf, type IpLike, type MacLike } from '../addr.js';
import { F_BCAST, F_ENCAPPED, F_VXLAN } from '../abi.js';
import { formatMac, isMulticastMac, macToInt } from '../wire/ethernet.js';
import { intToIp, ipToInt } from '../wire/ipv4.js';

/** A MAC as text (`00-15-5D-00-00-0A`, `00:15:5d:00:00:0a`) or a 48-bit integer. */
/** An IPv4 address as a dotted quad or a host-order u32. */

export interface VxlanNetwork {
  /** Overlay network id: the D_CTX value of its packets (encap input, decap output). */
  network: number;
  /** VXLAN network identifier, 0..2^24-1. */
  vni: number;
}

export interface VxlanTunnel {
  network: number;
  /** MAC of the remote endpoint: the inner destination MAC that selects this tunnel. */
  mac: MacLike;
  /** Provider address of the host holding the endpoint: the outer IPv4 destination. */
  remoteAddress: IpLike;
  /** MAC of the underlay next hop towards `remoteAddress`: the outer Ethernet destination. */
  nextHopMac: MacLike;
  /** Outer IPv4 source; default `localAddresses[0]`. */
  localAddress?: IpLike;
  /** Outer Ethernet source; default the table's `localMac`. */
  localMac?: MacLike;
}

export interface VtepTable {
  /** This host's VTEP (provider) addresses, at most VTEP_MAX_LOCAL. */
  localAddresses: readonly IpLike[];
  /** MAC of the host NIC the overlay traffic leaves through. */
  localMac: MacLike;
  /** Largest outer IPv4 packet the underlay carries; default 1500 (so inner frames up to 1464 bytes,
   *  the 1450-byte container MTU plus Ethernet). */
  underlayMtu?: number;
  networks: readonly VxlanNetwork[];
  tunnels: readonly VxlanTunnel[];
}

/** A table with every address as a number, validated (what both cores load). */
export interface NormalVtepTable {
  localAddresses: number[];
  underlayMtu: number;
  networks: VxlanNetwork[];
  tunnels: NormalVxlanTunnel[];
}

export interface NormalVxlanTunnel {
  network: number;
  vni: number;
  mac: number;
  remoteAddress: number;
  nextHopMac: number;
  localAddress: number;
  localMac: number;
}

/** A loaded table as the UI shows it (read back from either core). */
export interface VtepTableView {
  localAddresses: string[];
  underlayMtu: number;
  networks: VxlanNetwork[];
  tunnels: VtepTunnelView[];
}

export interface VtepTunnelView {
  /** Position in the table: the trace entry and D_AUX of packets encapsulated through it. */
  index: number;
  network: number;
  vni: number;
  /** Windows style, `00-15-5D-00-00-0A`. */
  mac: string;
  remoteAddress: string;
  localAddress: string;
  nextHopMac: string;
  localMac: string;
}

export const VTEP_MAX_TABLES = 256;
export const VTEP_MAX_LOCAL = 8;
export const VTEP_DEFAULT_MTU = 1500;
export const VXLAN_OUTER_TTL = 128;
export const VXLAN_UDP_PORT = 4789;
export const VNI_MAX = 0xff_ffff;

// ---- validation --------------------------------------------------------------------------------



function u32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RangeError(`${what}: not a u32: ${v}`);
  return v;
}

/** Validates a table and resolves every address; throws RangeError on a table no core can load. */
export function normalizeVtepTable(t: VtepTable): NormalVtepTable {
  if (t.localAddresses.length > VTEP_MAX_LOCAL) {
    throw new RangeError(`vtep table: ${t.localAddresses.length} local addresses, at most ${VTEP_MAX_LOCAL}`);
  }
  const localAddresses = t.localAddresses.map((a) => ipOf(a, 'vtep local address'));
  const localMac = macOf(t.localMac, 'vtep local MAC');
  const underlayMtu = t.underlayMtu ?? VTEP_DEFAULT_MTU;
  if (!Number.isInteger(underlayMtu) || underlayMtu < 68 || underlayMtu > 0xffff) {
    throw new RangeError(`vtep table: underlay MTU ${underlayMtu} outside 68..65535`);
  }
  const vniOf = new Map<number, number>();
  const netOfVni = new Map<number, number>();
  const networks: VxlanNetwork[] = [];
  for (const n of t.networks) {
    const network = u32(n.network, 'vtep network id');
    if (!Number.isInteger(n.vni) || n.vni < 0 || n.vni > VNI_MAX) throw new RangeError(`vtep network ${network}: VNI ${n.vni} outside 0..${VNI_MAX}`);
    if (vniOf.has(network)) throw new RangeError(`vtep table: network ${network} listed twice`);
    if (netOfVni.has(n.vni)) throw new RangeError(`vtep table: VNI ${n.vni} given to networks ${netOfVni.get(n.vni)} and ${network}`);
    vniOf.set(network, n.vni);
    netOfVni.set(n.vni, network);
    networks.push({ network, vni: n.vni });
  }
  const keys = new Set<string>();
  const tunnels = t.tunnels.map((tu, k): NormalVxlanTunnel => {
    const network = u32(tu.network, `vtep tunnel ${k} network`);
    const vni = vniOf.get(network);
    if (vni === undefined) throw new RangeError(`vtep tunnel ${k}: network ${network} has no VNI in this table`);
    const m = macOf(tu.mac, `vtep tunnel ${k} MAC`);
    if (isMulticastMac(m)) throw new RangeError(`vtep tunnel ${k}: ${formatMac(m, 'windows')} is a group MAC; only unicast endpoints have tunnels`);
    const key = `${network}/${m}`;
    if (keys.has(key)) throw new RangeError(`vtep tunnel ${k}: network ${network} already has a tunnel for ${formatMac(m, 'windows')}`);
    keys.add(key);
    const localAddress = tu.localAddress !== undefined ? ipOf(tu.localAddress, `vtep tunnel ${k} local address`) : localAddresses[0];
    if (localAddress === undefined) throw new RangeError(`vtep tunnel ${k}: no local address (the table has none)`);
    return {
      network,
      vni,
      mac: m,
      remoteAddress: ipOf(tu.remoteAddress, `vtep tunnel ${k} remote address`),
      nextHopMac: macOf(tu.nextHopMac, `vtep tunnel ${k} next hop MAC`),
      localAddress,
      localMac: tu.localMac !== undefined ? macOf(tu.localMac, `vtep tunnel ${k} local MAC`) : localMac,
    };
  });
  return { localAddresses, underlayMtu, networks, tunnels };
}

// ---- the image (assembly/tables/vtep-table.ts) ---------------------------------------------------

export const VTEP_MAGIC = 0x50455456;
const HEADER_LEN = 96;
const H_MAGIC = 0;
const H_LOCAL_COUNT = 4;
const H_MTU = 8;
const H_NET_COUNT = 12;
const H_VNI_MASK = 16;
const H_TUNNEL_COUNT = 20;
const H_TUNNEL_MASK = 24;
const H_VNI_SLOTS = 28;
const H_NETS = 32;
const H_TUNNEL_SLOTS = 36;
const H_TUNNELS = 40;
const H_TUNNEL_SHIFT = 44;
const H_LOCAL = 64;
const VNI_BUCKET_SIZE = 16;
const VNI_USED = 0x0100_0000;
const NET_ENTRY_SIZE = 16;
const TUNNEL_BUCKET_SIZE = 32;
const TUNNEL_SIZE = 64;
const T_SUM = 50;
const T_DESC_WORD = 52;
const T_INDEX = 56;
const T_NET = 60;
const T_VNI_FIELD = 46;
/** The image must start on this boundary so every tunnel record is one cache line. */
export const VTEP_IMAGE_ALIGN = 64;

/** The tunnel slot key of a MAC as two u32 halves: the MAC's bytes read little-endian as
 *  load<u64> reads them from a frame, with the top 16 bits set (the used marker). */
export function vtepTunnelKey(mac: number): { lo: number; hi: number } {
  const b = [0, 0, 0, 0, 0, 0];
  let v = mac;
  for (let k = 5; k >= 0; k--) {
    b[k] = v % 256;
    v = Math.floor(v / 256);
  }
  return { lo: (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0, hi: (b[4] | (b[5] << 8) | 0xffff0000) >>> 0 };
}

/** Twin of tunnelHash in assembly/tables/vtep-table.ts. */
export function vtepTunnelHash(net: number, key: { lo: number; hi: number }): number {
  const rot = ((key.hi << 16) | (key.hi >>> 16)) >>> 0;
  return Math.imul(key.lo ^ rot ^ Math.imul(net, 0x85ebca6b), 0x9e3779b1) >>> 0;
}

export function vtepVniHash(vni: number): number {
  const h = Math.imul(vni, 0x9e3779b1) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Buckets (of two slots) for n keys: a power of two, at least 2n, so few buckets overflow. */
function bucketCount(n: number): number {
  let b = 2;
  while (b < 2 * n) b *= 2;
  return b;
}

/** The slot for a new key: the first free one of its home bucket or of the buckets after it
 *  (assembly/tables/vtep-table.ts searches in the same order). `used(slot)` tells a taken slot. */
function freeSlot(home: number, mask: number, base: number, bucketSize: number, used: (slot: number) => boolean): number {
  for (let b = home; ; b = (b + 1) & mask) {
    const p = base + b * bucketSize;
    if (!used(p)) return p;
    if (!used(p + bucketSize / 2)) return p + bucketSize / 2;
  }
}

/** Ones'-complement checksum of the 20-byte IPv4 header at `off` (as stored, big-endian). */
function ipv4HeaderChecksum(b: Uint8Array, off: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) if (i !== 10) sum += (b[off + i] << 8) | b[off + i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function putMac(dv: DataView, off: number, m: number): void {
  dv.setUint16(off, Math.floor(m / 0x1_0000_0000));
  dv.setUint32(off + 2, m >>> 0);
}

/** The 50-byte outer header template of a tunnel (IPv4 total length and checksum, UDP source port
 *  and length 0) and the folded sum of its IPv4 header. */
function writeTemplate(dv: DataView, off: number, t: NormalVxlanTunnel): void {
  putMac(dv, off, t.nextHopMac);
  putMac(dv, off + 6, t.localMac);
  dv.setUint16(off + 12, 0x0800);
  const ip = off + 14;
  dv.setUint8(ip, 0x45);
  dv.setUint16(ip + 6, 0x4000); // DF: VTEPs must not fragment (RFC 7348 §4.3)
  dv.setUint8(ip + 8, VXLAN_OUTER_TTL);
  dv.setUint8(ip + 9, 17);
  dv.setUint32(ip + 12, t.localAddress);
  dv.setUint32(ip + 16, t.remoteAddress);
  // The checksum field stays 0; the stage adds the length to this sum (RFC 1624) per packet.
  dv.setUint16(off + T_SUM, ~ipv4HeaderChecksum(new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength), ip) & 0xffff);
  dv.setUint16(off + 36, VXLAN_UDP_PORT);
  dv.setUint8(off + 42, 0x08);
  dv.setUint32(off + 46, t.vni << 8);
}

/** Compiles a table into the image the data plane loads (position independent, VTEP_IMAGE_ALIGN). */
export function encodeVtepTable(table: VtepTable | NormalVtepTable): Uint8Array {
  const t = 'localMac' in table ? normalizeVtepTable(table) : table;
  const vniBuckets = bucketCount(t.networks.length);
  const tunnelBuckets = bucketCount(t.tunnels.length);
  const offVni = HEADER_LEN;
  const offNets = offVni + vniBuckets * VNI_BUCKET_SIZE;
  const offTunnelSlots = Math.ceil((offNets + t.networks.length * NET_ENTRY_SIZE) / TUNNEL_BUCKET_SIZE) * TUNNEL_BUCKET_SIZE;
  const offTunnels = Math.ceil((offTunnelSlots + tunnelBuckets * TUNNEL_BUCKET_SIZE) / TUNNEL_SIZE) * TUNNEL_SIZE;
  const size = offTunnels + t.tunnels.length * TUNNEL_SIZE;
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);

  dv.setUint32(H_MAGIC, VTEP_MAGIC, true);
  dv.setUint32(H_LOCAL_COUNT, t.localAddresses.length, true);
  dv.setUint32(H_MTU, t.underlayMtu, true);
  dv.setUint32(H_NET_COUNT, t.networks.length, true);
  dv.setUint32(H_VNI_MASK, vniBuckets - 1, true);
  dv.setUint32(H_TUNNEL_COUNT, t.tunnels.length, true);
  dv.setUint32(H_TUNNEL_MASK, tunnelBuckets - 1, true);
  dv.setUint32(H_TUNNEL_SHIFT, 32 - Math.log2(tunnelBuckets), true);
  dv.setUint32(H_VNI_SLOTS, offVni, true);
  dv.setUint32(H_NETS, offNets, true);
  dv.setUint32(H_TUNNEL_SLOTS, offTunnelSlots, true);
  dv.setUint32(H_TUNNELS, offTunnels, true);
  // Local addresses in wire order: the stage compares them with load<u32> of the IPv4 destination.
  t.localAddresses.forEach((a, k) => dv.setUint32(H_LOCAL + 4 * k, a, false));

  t.networks.forEach((n, k) => {
    dv.setUint32(offNets + k * NET_ENTRY_SIZE, n.network, true);
    dv.setUint32(offNets + k * NET_ENTRY_SIZE + 4, n.vni, true);
    const slot = freeSlot(vtepVniHash(n.vni) & (vniBuckets - 1), vniBuckets - 1, offVni, VNI_BUCKET_SIZE, (p) => dv.getUint32(p, true) !== 0);
    dv.setUint32(slot, (n.vni | VNI_USED) >>> 0, true);
    dv.setUint32(slot + 4, k, true);
  });

  t.tunnels.forEach((tu, k) => {
    const rec = offTunnels + k * TUNNEL_SIZE;
    writeTemplate(dv, rec, tu);
    // What the descriptor holds at D_ETHERTYPE (u16), D_PROTO, D_FLAGS after encap.
    const flags = F_VXLAN | F_ENCAPPED | (isMulticastMac(tu.nextHopMac) ? F_BCAST : 0);
    dv.setUint32(rec + T_DESC_WORD, (0x0800 | (17 << 16) | (flags << 24)) >>> 0, true);
    dv.setUint32(rec + T_INDEX, k, true);
    dv.setUint32(rec + T_NET, tu.network, true);
    const key = vtepTunnelKey(tu.mac);
    // Multiplicative hashing: the home bucket is the product's top bits (its low bits are weak).
    const home = vtepTunnelHash(tu.network, key) >>> (32 - Math.log2(tunnelBuckets));
    const slot = freeSlot(home, tunnelBuckets - 1, offTunnelSlots, TUNNEL_BUCKET_SIZE, (p) => dv.getUint32(p + 4, true) !== 0);
    dv.setUint32(slot, key.lo, true);
    dv.setUint32(slot + 4, key.hi, true);
    dv.setUint32(slot + 8, tu.network, true);
    dv.setUint32(slot + 12, rec, true);
  });
  return bytes;
}

/** Reads an image back (from the data plane's memory at `base`) into the UI's view. */
export function decodeVtepTable(mem: Uint8Array, base: number): VtepTableView {
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  if (dv.getUint32(base + H_MAGIC, true) !== VTEP_MAGIC) throw new Error(`no vtep table image at ${base}`);
  const localCount = dv.getUint32(base + H_LOCAL_COUNT, true);
  const netCount = dv.getUint32(base + H_NET_COUNT, true);
  const tunnelCount = dv.getUint32(base + H_TUNNEL_COUNT, true);
  const offNets = base + dv.getUint32(base + H_NETS, true);
  const offTunnelSlots = base + dv.getUint32(base + H_TUNNEL_SLOTS, true);
  const offTunnels = base + dv.getUint32(base + H_TUNNELS, true);
  const tunnelSlots = (dv.getUint32(base + H_TUNNEL_MASK, true) + 1) * 2;

  const localAddresses: string[] = [];
  for (let k = 0; k < localCount; k++) localAddresses.push(intToIp(dv.getUint32(base + H_LOCAL + 4 * k, false)));
  const networks: VxlanNetwork[] = [];
  for (let k = 0; k < netCount; k++) {
    networks.push({ network: dv.getUint32(offNets + k * NET_ENTRY_SIZE, true), vni: dv.getUint32(offNets + k * NET_ENTRY_SIZE + 4, true) });
  }
  const macOf = new Map<number, number>();
  for (let s = 0; s < tunnelSlots; s++) {
    const slot = offTunnelSlots + s * (TUNNEL_BUCKET_SIZE / 2);
    if (dv.getUint32(slot + 4, true) === 0) continue;
    // The key's low 6 bytes are the MAC in wire order.
    const m = dv.getUint16(slot) * 0x1_0000_0000 + dv.getUint32(slot + 2);
    macOf.set(base + dv.getUint32(slot + 12, true), m);
  }
  const readMac = (off: number) => dv.getUint16(off) * 0x1_0000_0000 + dv.getUint32(off + 2);
  const tunnels: VtepTunnelView[] = [];
  for (let k = 0; k < tunnelCount; k++) {
    const rec = offTunnels + k * TUNNEL_SIZE;
    tunnels.push({
      index: dv.getUint32(rec + T_INDEX, true),
      network: dv.getUint32(rec + T_NET, true),
      vni: dv.getUint32(rec + T_VNI_FIELD) >>> 8,
      mac: formatMac(macOf.get(rec) ?? 0, 'windows'),
      remoteAddress: intToIp(dv.getUint32(rec + 14 + 16)),
      localAddress: intToIp(dv.getUint32(rec + 14 + 12)),
      nextHopMac: formatMac(readMac(rec), 'windows'),
      localMac: formatMac(readMac(rec + 6), 'windows'),
    });
  }
  return { localAddresses, underlayMtu: dv.getUint32(base + H_MTU, true), networks, tunnels };
}

/** The view of a normalized table (what a loaded table reads back as). */
export function vtepTableView(t: NormalVtepTable): VtepTableView {
  return {
    localAddresses: t.localAddresses.map(intToIp),
    underlayMtu: t.underlayMtu,
    networks: t.networks.map((n) => ({ ...n })),
    tunnels: t.tunnels.map((tu, index) => ({
      index,
      network: tu.network,
      vni: tu.vni,
      mac: formatMac(tu.mac, 'windows'),
      remoteAddress: intToIp(tu.remoteAddress),
      localAddress: intToIp(tu.localAddress),
      nextHopMac: formatMac(tu.nextHopMac, 'windows'),
      localMac: formatMac(tu.localMac, 'windows'),
    })),
  };
}
