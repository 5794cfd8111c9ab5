// The VTEP table of one host: its local VXLAN tunnel endpoint addresses (provider addresses), the
// VNI <-> network map and the remote tunnels, each with a precomputed outer header (VPP's
// `t->rewrite`, src/plugins/vxlan/vxlan.c). The image is built by src/table-images/vxlan.ts, which is the
// other half of this layout; offsets inside the image are relative to its start.
//
// Image layout (all integers little-endian unless marked "wire"):
//
//   header (VTEP_HEADER_LEN = 96 bytes)
//     0 u32 magic VTEP_MAGIC           4 u32 local address count (<= VTEP_MAX_LOCAL)
//     8 u32 underlay MTU (max outer IPv4 total length)
//    12 u32 network count             16 u32 VNI bucket mask (bucket count - 1, a power of two - 1)
//    20 u32 tunnel count              24 u32 tunnel bucket mask
//    28 u32 offset of the VNI slots   32 u32 offset of the network entries
//    36 u32 offset of the tunnel buckets 40 u32 offset of the tunnel records (64-byte aligned)
//    44 u32 tunnel hash shift (32 - log2 of the tunnel bucket count)
//    64 u32[8] local addresses (wire order, as load<u32> reads them from an IPv4 header)
//   Both hash tables are arrays of 2-slot buckets: a key goes to the first free slot of its home
//   bucket or, when that is full, of the buckets after it; a lookup stops at the first bucket that
//   is not full (rare: the encoder sizes the tables to at least twice as many buckets as keys).
//   Home buckets: tunnels, the top bits of a multiplicative hash (tunnelHash >> shift); VNIs,
//   vniHash & mask. Slot compares are branches: measured faster than a branch-free select, since
//   a predicted branch lets the record loads start before the key compare is known.
//   VNI buckets, 2 x 8 bytes:
//     0 u32 VNI | VNI_USED (0 = empty)   4 u32 network entry index
//   network entries, 16 bytes each:
//     0 u32 network id (the D_CTX value)   4 u32 VNI   8..16 zero
//   tunnel buckets, 2 x 16 bytes (keyed by network id + inner MAC):
//     0 u64 key: the MAC's 6 bytes as load<u64> reads them from a frame (bytes 0..5 in the low 48
//           bits), with the top 16 bits all ones so that a used slot is never 0
//     8 u32 network id             12 u32 offset of the tunnel record
//   tunnel records, VTEP_TUNNEL_SIZE = 64 bytes each (one cache line):
//     0..50 outer header template: Ethernet + IPv4 + UDP + VXLAN with zeros in the fields encap
//           fills per packet (IPv4 total length and checksum, UDP source port, length, checksum)
//    50 u16 the folded one's-complement sum of the template's IPv4 header (network order), i.e.
//           the complement of its checksum with total length 0
//    52 u32 descriptor word at D_ETHERTYPE after encap: 0x0800 | 17 << 16 | D_FLAGS << 24
//    56 u32 tunnel index (the descriptor's D_AUX: bytes 52..60 are stored as one u64)
//    60 u32 network id
import { tablesChanged } from './generation';
import { Directory, dirFind, dirRecord, replaced } from '../memory';
export const VTEP_MAGIC: u32 = 0x50455456; // "VTEP"
export const VTEP_HEADER_LEN: i32 = 96;
export const VTEP_MAX_LOCAL: i32 = 8;
export const VTEP_MAX_TABLES: i32 = 256;

export const H_MAGIC: i32 = 0;
export const H_LOCAL_COUNT: i32 = 4;
export const H_MTU: i32 = 8;
export const H_NET_COUNT: i32 = 12;
export const H_VNI_MASK: i32 = 16;
export const H_TUNNEL_COUNT: i32 = 20;
export const H_TUNNEL_MASK: i32 = 24;
export const H_VNI_SLOTS: i32 = 28;
export const H_NETS: i32 = 32;
export const H_TUNNEL_SLOTS: i32 = 36;
export const H_TUNNELS: i32 = 40;
export const H_TUNNEL_SHIFT: i32 = 44;
export const H_LOCAL: i32 = 64;

export const VNI_BUCKET_SIZE: i32 = 16;
export const VNI_USED: u32 = 0x01000000;
export const NET_ENTRY_SIZE: i32 = 16;
export const TUNNEL_BUCKET_SIZE: i32 = 32;
export const VTEP_TUNNEL_SIZE: i32 = 64;
export const T_SUM: i32 = 50;
export const T_DESC_WORDS: i32 = 52;
export const T_INDEX: i32 = 56;
export const T_NET: i32 = 60;
/** Marks a used tunnel slot: the top 16 bits of the key. */
export const KEY_USED: u64 = 0xffff_0000_0000_0000;

/** Table id -> u32 image address (0 = not loaded), u32 the region alloc() returned that holds it
 *  (the image is aligned up inside it), to free it. */
export const vtepDirectory = changetype<Directory>(memory.data(16, 16));

/** Called by the engine (src/engine/loaders/vxlan.ts) once per table load, after it wrote the image
 *  at `image`, inside `region` (from alloc()). Replacing a table frees the region of the one it
 *  replaces and takes effect at the next batch. */
export function vtep_table_load(id: u32, image: usize, region: usize): void {
  tablesChanged();
  if (id >= <u32>VTEP_MAX_TABLES) abort('vtep table id out of range');
  if (load<u32>(image, H_MAGIC) != VTEP_MAGIC) abort('not a vtep table image');
  if (load<u32>(image, H_LOCAL_COUNT) > <u32>VTEP_MAX_LOCAL) abort('too many local vtep addresses');
  const shift = load<u32>(image, H_TUNNEL_SHIFT);
  if (shift < 1 || shift > 31 || load<u32>(image, H_TUNNEL_MASK) != (<u32>0xffffffff >> shift)) abort('bad vtep tunnel hash shift');
  const r = dirRecord(vtepDirectory, id, 8);
  store<u32>(r, <u32>image);
  replaced(<usize>load<u32>(r, 4), region);
  store<u32>(r, <u32>region, 4);
}

/** Called by the engine's table reader (UI, tests): the image address of table `id`, 0 when none. */
export function vtep_table_image(id: u32): usize {
  const r = dirFind(vtepDirectory, id, 8);
  return r == 0 ? 0 : <usize>load<u32>(r);
}

/** The image of table `id` for a stage; a program naming a table that was never loaded is a broken
 *  invariant of the control plane, not bad packet input. */
export function vtepTable(id: u32): usize {
  const t = vtep_table_image(id);
  if (t == 0) abort('vtep table not loaded');
  return t;
}

/** Hash of (network id, tunnel key): one multiply on the MAC's path (the network's product does not
 *  wait for the frame). src/table-images/vxlan.ts computes the same function to place keys. */
// @ts-ignore: decorator
@inline export function tunnelHash(net: u32, key: u64): u32 {
  return (<u32>key ^ rotl<u32>(<u32>(key >> 32), 16) ^ net * 0x85ebca6b) * 0x9e3779b1;
}

// @ts-ignore: decorator
@inline export function vniHash(vni: u32): u32 {
  const h = vni * 0x9e3779b1;
  return h ^ (h >> 16);
}

/** The tunnel key of the destination MAC of the frame at `p` (frames are at least 14 bytes long). */
// @ts-ignore: decorator
@inline export function macKey(p: usize): u64 {
  return load<u64>(p) | KEY_USED;
}

/** Address of the tunnel record for (net, key), or 0. `slots`, `mask` and `shift` are the table's
 *  tunnel buckets, bucket mask and hash shift (hoisted by the caller, once per batch). */
// @ts-ignore: decorator
@inline export function findTunnel(t: usize, slots: usize, mask: u32, shift: u32, net: u32, key: u64): usize {
  let b = tunnelHash(net, key) >> shift;
  while (true) {
    const p = slots + (<usize>b << 5);
    // Nested tests, not &&: V8 turns a condition made of && into flags in registers.
    if (load<u64>(p) == key) {
      if (load<u32>(p, 8) == net) return t + <usize>load<u32>(p, 12);
    }
    const k1 = load<u64>(p, 16);
    if (k1 == key) {
      if (load<u32>(p, 24) == net) return t + <usize>load<u32>(p, 28);
    }
    if (k1 == 0) return 0;
    b = (b + 1) & mask;
  }
}

/** Index of the network entry for `vni`, or -1. `slots` and `mask` hoisted by the caller. */
// @ts-ignore: decorator
@inline export function findVni(slots: usize, mask: u32, vni: u32): i32 {
  const key = vni | VNI_USED;
  let b = vniHash(vni) & mask;
  while (true) {
    const p = slots + (<usize>b << 4);
    if (load<u32>(p) == key) return load<i32>(p, 4);
    const k1 = load<u32>(p, 8);
    if (k1 == key) return load<i32>(p, 12);
    if (k1 == 0) return -1;
    b = (b + 1) & mask;
  }
}

/** True when network id `net` has a VNI in this table (cold path: diagnoses an encap miss). */
export function hasNetwork(t: usize, net: u32): bool {
  const count = load<u32>(t, H_NET_COUNT);
  const nets = t + <usize>load<u32>(t, H_NETS);
  for (let i: u32 = 0; i < count; i++) {
    if (load<u32>(nets + (<usize>i << 4)) == net) return true;
  }
  return false;
}

/** True when `addr` (wire order) is one of this host's VTEP addresses after the first (the
 *  caller compares the first itself, hoisted). */
export function isOtherLocalVtep(t: usize, addr: u32): bool {
  const count = load<u32>(t, H_LOCAL_COUNT);
  for (let i: u32 = 1; i < count; i++) {
    if (load<u32>(t + (<usize>i << 2), H_LOCAL) == addr) return true;
  }
  return false;
}
