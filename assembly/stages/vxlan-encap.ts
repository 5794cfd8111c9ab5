// Stage vxlan-encap: wraps the frames of an overlay network in VXLAN (RFC 7348 §5) towards the
// host that holds the destination endpoint, as VFP's encap layer does for HNS overlay networks.
//
// Preconditions: parse ran (D_HASH is the inner flow hash); D_CTX holds the overlay network id (the
//   id the VTEP table maps to a VNI; decap writes the same id); the frame starts at D_DATA inside its
//   ring slot. a0 = VTEP table id (one per host, loaded with vtep_table_load).
// What it does: looks up (D_CTX, inner destination MAC) in the tunnel table (a hash of 2-slot
//   buckets), copies the tunnel's precomputed 50-byte outer header (VPP's
//   rewrite, built by src/table-images/vxlan.ts) into the headroom just before the frame (no payload
//   move), fills in the outer IPv4 total length and checksum (RFC 1624 from the template's
//   precomputed sum), the UDP length and the UDP source port (0xC000 | 14 bits of D_HASH folded:
//   RFC 7348 §5 asks for a hash of the inner flow, in 49152-65535).
//   The outer UDP checksum stays 0 (allowed over IPv4, RFC 7348 §5). The outer header has TTL 128
//   (Windows' default), DF set and IP id 0 (a VTEP must not fragment, RFC 7348 §4.3; id per RFC 6864
//   §4.1 for atomic datagrams).
// After it, the descriptor describes the OUTER frame: D_DATA/D_LEN cover the outer frame, D_L3 = 14,
//   D_L4 = 34, D_ETHERTYPE 0x0800, D_PROTO 17, D_FLAGS = F_VXLAN | F_ENCAPPED (| F_BCAST if the next
//   hop MAC is a group address), D_AUX = tunnel index. D_CTX and D_HASH are kept.
//   Broadcast and unknown destinations are not flooded: HNS answers ARP for remote endpoints locally
//   and programs one encap rule per remote endpoint, so a miss is a drop.
// Packets with F_ENCAPPED (already wrapped in this pass) pass untouched.
// Next stages: the stages of the underlay (switch / vlan-out / wire) see an ordinary UDP packet.
// Drops: VXLAN_UNKNOWN_VNI (D_CTX has no VNI in this table), VXLAN_NO_TUNNEL (no remote endpoint
//   with that MAC on the network: broadcast, multicast, unknown unicast), VXLAN_TOO_BIG (fewer than
//   50 bytes of headroom left in the slot, or outer IPv4 length above the underlay MTU).
// Allocation: none.
import {
  DESC_SIZE, D_DATA, D_VLAN, D_ETHERTYPE, D_CTX, F_ENCAPPED,
  SLOT_SIZE, STAGE_VXLAN_ENCAP, A_ENCAP, A_PASS, FIELD_NONE, FIELD_VXLAN_VNI, FIELD_OUTER_IP_SRC,
  FIELD_OUTER_IP_DST, FIELD_OUTER_SPORT, FIELD_OUTER_ETH_SRC, FIELD_OUTER_ETH_DST, FIELD_LEN,
} from '../abi';
import { DROP_VXLAN_NO_TUNNEL, DROP_VXLAN_UNKNOWN_VNI, DROP_VXLAN_TOO_BIG } from '../drops';
import { descBase, ringBase } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_HEADER_LEN, loadMac } from '../wire/ethernet';
import { IP_SRC, IP_DST, IP_MIN_HEADER_LEN } from '../wire/ipv4';
import { UDP_HEADER_LEN } from '../wire/udp';
import { VXLAN_ENCAP_LEN, VXLAN_HEADER_LEN, VXLAN_VNI } from '../wire/vxlan';
import {
  vtepTable, findTunnel, macKey, hasNetwork, H_MTU, H_TUNNEL_MASK, H_TUNNEL_SHIFT, H_TUNNEL_SLOTS,
  T_SUM, T_DESC_WORDS, T_INDEX,
} from '../tables/vtep-table';
import { uftRecording, uftNote, N_TUNNEL } from '../tables/uft';

const STAGE: i32 = STAGE_VXLAN_ENCAP;
const OUTER_IP: i32 = ETH_HEADER_LEN;
const OUTER_UDP: i32 = ETH_HEADER_LEN + IP_MIN_HEADER_LEN;
const OUTER_VXLAN: i32 = OUTER_UDP + UDP_HEADER_LEN;
/** Outer IPv4 total length minus the inner frame length: IPv4 + UDP + VXLAN headers. */
const IP_OVERHEAD: u32 = <u32>(IP_MIN_HEADER_LEN + UDP_HEADER_LEN + VXLAN_HEADER_LEN);
const UDP_OVERHEAD: u32 = <u32>(UDP_HEADER_LEN + VXLAN_HEADER_LEN);
/** D_LEN grows by 50 and D_L3/D_L4 become 14/34: added to / or-ed into the descriptor's first u64
 *  (D_DATA u32, D_LEN u16, D_L3 u8, D_L4 u8) in one store. */
const DESC_LEN_GROWTH: u64 = <u64>VXLAN_ENCAP_LEN << 32;
const DESC_OUTER_OFFSETS: u64 = (<u64>OUTER_IP << 48) | (<u64>OUTER_UDP << 56);
const DESC_DATA_LEN_MASK: u64 = 0x0000_ffff_ffff_ffff;
/** In the u64 at D_VLAN: D_NEXT is bits 16..23, D_FLAGS bits 56..63. */
const NEXT_MASK: u64 = 0xff << 16;
const NEXT_OR_ENCAPPED: u64 = NEXT_MASK | (<u64>F_ENCAPPED << 56);

/** `v` (16 bits) as load<u16> reads it when stored in network order. */
// @ts-ignore: decorator
@inline function be16(v: u32): u32 {
  return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
}

/**
 * Wraps one packet (descriptor `d`, its first and fourth descriptor words `w0` and `w24`) in the
 * tunnel `rec`'s outer header and updates the descriptor; returns the outer frame's address. The
 * caller checked headroom and MTU. Also the UFT's fast path (assembly/stages/uft.ts).
 */
// @ts-ignore: decorator
@inline export function encapWrite(d: usize, w0: u64, w24: u64, rec: usize): usize {
  const data = <usize><u32>w0;
  const len = <u32>(w0 >> 32) & 0xffff;
  // The per-packet fields, as load<u16> of network-order bytes reads them.
  const ipLen = be16(len + IP_OVERHEAD);
  const udpLen = be16(len + UDP_OVERHEAD);
  const h = <u32>(w24 >> 32);
  const sport = 0xc000 | ((h ^ (h >> 16)) & 0x3fff);
  // RFC 1624 eqn. 3 from the template's length 0: HC' = ~(~HC + m'), and ~HC is the template's
  // folded sum. Two 16-bit addends: one fold suffices. Byte order does not matter (RFC 1071).
  const sum = <u32>load<u16>(rec, T_SUM) + ipLen;
  const csum = ~(sum + (sum >> 16)) & 0xffff;
  // The template, 8 bytes at a time, with the fields or-ed into the words that hold them (the
  // template has zeros there): total length (16), checksum (24), UDP source port and length (32).
  const o = data - <usize>VXLAN_ENCAP_LEN;
  store<u64>(o, load<u64>(rec, 0), 0);
  store<u64>(o, load<u64>(rec, 8), 8);
  store<u64>(o, load<u64>(rec, 16) | <u64>ipLen, 16);
  store<u64>(o, load<u64>(rec, 24) | <u64>csum, 24);
  store<u64>(o, load<u64>(rec, 32) | (<u64>be16(sport) << 16) | (<u64>udpLen << 48), 32);
  store<u64>(o, load<u64>(rec, 40), 40);
  store<u16>(o, load<u16>(rec, 48), 48);
  // D_DATA -= 50, D_LEN += 50, D_L3 = 14, D_L4 = 34 in one store; then D_ETHERTYPE, D_PROTO,
  // D_FLAGS of the outer frame and D_AUX = tunnel index, precomputed in the record.
  store<u64>(d, ((w0 & DESC_DATA_LEN_MASK) + DESC_LEN_GROWTH - <u64>VXLAN_ENCAP_LEN) | DESC_OUTER_OFFSETS, D_DATA);
  store<u64>(d, load<u64>(rec, T_DESC_WORDS), D_ETHERTYPE);
  return o;
}

/** Pipeline stage (assembly/pipeline.ts), once per batch. a0 = VTEP table id. */
export function stage_vxlan_encap(n: i32, a0: u32, a1: u32): i32 {
  const t = vtepTable(a0);
  if (tracing) encapBatch(n, t, true);
  else encapBatch(n, t, false);
  return n;
}

// @ts-ignore: decorator
@inline function encapBatch(n: i32, t: usize, traced: bool): void {
  const mtu = load<u32>(t, H_MTU);
  const slots = t + <usize>load<u32>(t, H_TUNNEL_SLOTS);
  const mask = load<u32>(t, H_TUNNEL_MASK);
  const shift = load<u32>(t, H_TUNNEL_SHIFT);
  const ring = ringBase;
  let inN = 0;
  let pass = 0;
  let drop = 0;
  let d = descBase;
  // The start of packet i's slot: a frame never leaves its slot, so its headroom is data - slot.
  let slot = ring;
  for (let i = 0; i < n; i++, d += DESC_SIZE, slot += <usize>SLOT_SIZE) {
    // D_NEXT (bits 16..23) and D_FLAGS (bits 56..63) in one load: in flight and not yet wrapped?
    const w12 = load<u64>(d, D_VLAN);
    if ((w12 & NEXT_OR_ENCAPPED) != 0) {
      if ((w12 & NEXT_MASK) != 0) continue;
      inN++;
      pass++;
      if (traced) traceEvent(i, STAGE, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    inN++;
    const w0 = load<u64>(d, D_DATA);
    const data = <usize><u32>w0;
    const len = <u32>(w0 >> 32) & 0xffff;
    const w24 = load<u64>(d, D_CTX);
    const net = <u32>w24;
    const key = macKey(data);
    // Every packet probes the table (no last-hit cache: it cost more than it saved on random
    // tunnels), and each test is its own branch (V8 computes a condition made of || into flags).
    const rec = findTunnel(t, slots, mask, shift, net, key);
    if (rec == 0) {
      drop++;
      dropPacket(d, i, STAGE, hasNetwork(t, net) ? DROP_VXLAN_NO_TUNNEL : DROP_VXLAN_UNKNOWN_VNI);
      continue;
    }
    if (<i32>(data - slot) < VXLAN_ENCAP_LEN) {
      drop++;
      dropPacket(d, i, STAGE, DROP_VXLAN_TOO_BIG, <i32>load<u32>(rec, T_INDEX));
      continue;
    }
    if (len + IP_OVERHEAD > mtu) {
      drop++;
      dropPacket(d, i, STAGE, DROP_VXLAN_TOO_BIG, <i32>load<u32>(rec, T_INDEX));
      continue;
    }
    const o = encapWrite(d, w0, w24, rec);
    if (uftRecording) store<u32>(uftNote(i), <u32>rec, N_TUNNEL);
    pass++;
    if (traced) {
      const e = <i32>load<u32>(rec, T_INDEX);
      const vni = <u64>(bswap<u32>(load<u32>(o, OUTER_VXLAN + VXLAN_VNI)) >> 8);
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_NONE, <u64>net, vni);
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_OUTER_ETH_DST, 0, loadMac(o));
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_OUTER_ETH_SRC, 0, loadMac(o + 6));
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_OUTER_IP_SRC, 0, <u64>bswap<u32>(load<u32>(o, OUTER_IP + IP_SRC)));
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_OUTER_IP_DST, 0, <u64>bswap<u32>(load<u32>(o, OUTER_IP + IP_DST)));
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_OUTER_SPORT, 0, <u64>bswap<u16>(load<u16>(o, OUTER_UDP)));
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_VXLAN_VNI, 0, vni);
      traceEvent(i, STAGE, A_ENCAP, e, FIELD_LEN, <u64>len, <u64>(len + <u32>VXLAN_ENCAP_LEN));
    }
  }
  countBatch(STAGE, inN, pass, drop, 0);
}
