// Stage vxlan-decap: removes the VXLAN encapsulation (RFC 7348 §5) of frames addressed to one of
// this host's VTEPs and puts the inner frame in its overlay network, as VFP does for HNS overlay.
//
// Preconditions: parse ran on the outer frame (D_L3, D_L4, D_PROTO, D_FLAGS with F_VXLAN for UDP
//   to port 4789). a0 = VTEP table id (one per host, loaded with vtep_table_load).
// What it does, for packets with F_VXLAN (and without F_ENCAPPED, i.e. not wrapped in this pass):
//   checks that the outer IPv4 destination is a local VTEP address and the UDP destination port is
//   4789, that the VXLAN flags word is exactly the I flag and the reserved byte after the VNI is
//   zero (strict, as Linux's vxlan_rcv without extensions: RFC 7348 lets a receiver ignore reserved
//   bits, but a header with unknown bits is more likely another encapsulation such as VXLAN-GPE or
//   GBP than plain VXLAN; parse sets F_VXLAN only with the I flag, so a header without it never gets
//   here), maps the VNI to the network id, then strips the outer headers by advancing D_DATA (no
//   bytes move). The strip length is D_L4 + 16, so an outer 802.1Q tag or IPv4 options are
//   stripped too (50 bytes in the plain case); the inner length is the UDP length minus 16.
// After it, the descriptor describes the INNER frame but carries no parse results: D_L3 = D_L4 = 0,
//   D_ETHERTYPE = D_PROTO = D_FLAGS = 0. The program must run parse again after decap (the inner
//   headers were never validated, and later stages trust parse's offsets). D_CTX = the network id,
//   D_AUX = the network entry index of the VNI. Other packets pass untouched.
// Next stages: parse (inner frame), then the overlay network's switch / ACL / delivery.
// Drops: VXLAN_BAD_OUTER (not for a local VTEP, not UDP 4789, UDP length below VXLAN + inner
//   Ethernet or beyond the frame), VXLAN_BAD_FLAGS, VXLAN_UNKNOWN_VNI.
// Allocation: none.
import {
  DESC_SIZE, D_DATA, D_VLAN, D_ETHERTYPE, D_AUX,
  F_VXLAN, F_ENCAPPED, STAGE_VXLAN_DECAP, A_DECAP, A_PASS, FIELD_NONE, FIELD_VXLAN_VNI,
  FIELD_OUTER_IP_SRC, FIELD_OUTER_IP_DST, FIELD_OUTER_SPORT, FIELD_OUTER_ETH_SRC,
  FIELD_OUTER_ETH_DST, FIELD_LEN,
} from '../abi';
import { DROP_VXLAN_BAD_OUTER, DROP_VXLAN_BAD_FLAGS, DROP_VXLAN_UNKNOWN_VNI } from '../drops';
import { descBase } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_HEADER_LEN, loadMac } from '../wire/ethernet';
import { IP_SRC, IP_DST, PROTO_UDP } from '../wire/ipv4';
import { UDP_SPORT, UDP_DPORT, UDP_LEN, UDP_HEADER_LEN } from '../wire/udp';
import { VXLAN_FLAGS, VXLAN_VNI, VXLAN_HEADER_LEN, VXLAN_FLAG_I } from '../wire/vxlan';
import {
  vtepTable, findVni, isOtherLocalVtep, H_LOCAL, H_LOCAL_COUNT, H_NETS, H_VNI_MASK, H_VNI_SLOTS,
} from '../tables/vtep-table';

const STAGE: i32 = STAGE_VXLAN_DECAP;
/** UDP destination port 4789 (0x12B5) as load<u16> reads it from the wire. */
const VXLAN_PORT_WIRE: u16 = 0xb512;
/** The only accepted first word of the VXLAN header as load<u32> reads it: flags = I, reserved 0. */
const VXLAN_WORD0: u32 = <u32>VXLAN_FLAG_I;
const ENCAP_AFTER_UDP: u32 = <u32>(UDP_HEADER_LEN + VXLAN_HEADER_LEN);
/** In the u64 at D_VLAN: D_NEXT is bits 16..23, D_FLAGS bits 56..63. A packet to decap is in
 *  flight (D_NEXT = NEXT_CONTINUE = 0), VXLAN, and not wrapped in this pass. */
const NEXT_MASK: u64 = 0xff << 16;
const NEXT_VXLAN_ENCAPPED: u64 = NEXT_MASK | (<u64>(F_VXLAN | F_ENCAPPED) << 56);
const VXLAN_IN_FLIGHT: u64 = <u64>F_VXLAN << 56;
/** Smallest UDP length: UDP + VXLAN headers and an inner Ethernet header. */
const MIN_UDP_LEN: u32 = ENCAP_AFTER_UDP + <u32>ETH_HEADER_LEN;

/** Pipeline stage (assembly/pipeline.ts), once per batch. a0 = VTEP table id. */
export function stage_vxlan_decap(n: i32, a0: u32, a1: u32): i32 {
  const t = vtepTable(a0);
  if (tracing) decapBatch(n, t, true);
  else decapBatch(n, t, false);
  return n;
}

// @ts-ignore: decorator
@inline function decapBatch(n: i32, t: usize, traced: bool): void {
  const nets = t + <usize>load<u32>(t, H_NETS);
  const vniSlots = t + <usize>load<u32>(t, H_VNI_SLOTS);
  const vniMask = load<u32>(t, H_VNI_MASK);
  const localCount = load<u32>(t, H_LOCAL_COUNT);
  // The first local address, compared inline; a table without any accepts nothing.
  const local0 = load<u32>(t, H_LOCAL);
  const hasLocal0 = localCount != 0;
  let inN = 0;
  let pass = 0;
  let drop = 0;
  let lastVni: u32 = 0xffffffff;
  let lastEntry: i32 = -1;
  let lastNet: u32 = 0;
  let d = descBase;
  for (let i = 0; i < n; i++, d += DESC_SIZE) {
    // D_NEXT (bits 16..23), D_PROTO (48..55) and D_FLAGS (56..63) in one load.
    const w12 = load<u64>(d, D_VLAN);
    if ((w12 & NEXT_VXLAN_ENCAPPED) != VXLAN_IN_FLIGHT) {
      if ((w12 & NEXT_MASK) != 0) continue;
      inN++;
      pass++;
      if (traced) traceEvent(i, STAGE, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    inN++;
    // D_DATA u32, D_LEN u16, D_L3 u8, D_L4 u8 in one load.
    const w0 = load<u64>(d, D_DATA);
    const data = <usize><u32>w0;
    const len = <u32>(w0 >> 32) & 0xffff;
    const l3 = <u32>(w0 >> 48) & 0xff;
    const l4 = <u32>(w0 >> 56);
    const ip = data + <usize>l3;
    const udp = data + <usize>l4;
    const udpLen = <u32>bswap<u16>(load<u16>(udp, UDP_LEN));
    const dst = load<u32>(ip, IP_DST);
    // Every check evaluated (all loads stay inside the ring) and combined without branches.
    const malformed =
      <i32>(l3 == 0) | <i32>(l4 == 0) | <i32>((<u32>(w12 >> 48) & 0xff) != <u32>PROTO_UDP) |
      <i32>(load<u16>(udp, UDP_DPORT) != VXLAN_PORT_WIRE) | <i32>(udpLen < MIN_UDP_LEN) | <i32>(l4 + udpLen > len);
    const notLocal0 = <i32>(dst != local0) | <i32>!hasLocal0;
    if ((malformed | notLocal0) != 0 && (malformed != 0 || localCount < 2 || !isOtherLocalVtep(t, dst))) {
      drop++;
      dropPacket(d, i, STAGE, DROP_VXLAN_BAD_OUTER);
      continue;
    }
    const vx = udp + <usize>UDP_HEADER_LEN;
    const w1 = load<u32>(vx, VXLAN_VNI);
    if (((load<u32>(vx, VXLAN_FLAGS) ^ VXLAN_WORD0) | (w1 >> 24)) != 0) {
      drop++;
      dropPacket(d, i, STAGE, DROP_VXLAN_BAD_FLAGS);
      continue;
    }
    const vni = bswap<u32>(w1) >> 8;
    let entry = lastEntry;
    let net = lastNet;
    if (vni != lastVni) {
      entry = findVni(vniSlots, vniMask, vni);
      if (entry < 0) {
        drop++;
        dropPacket(d, i, STAGE, DROP_VXLAN_UNKNOWN_VNI);
        continue;
      }
      net = load<u32>(nets + (<usize>entry << 4));
      lastVni = vni;
      lastEntry = entry;
      lastNet = net;
    }
    const innerLen = udpLen - ENCAP_AFTER_UDP;
    // D_DATA advances past the outer headers, D_LEN is the inner length, D_L3 = D_L4 = 0; then
    // EtherType, protocol and flags cleared for parse; D_AUX = the VNI entry and D_CTX = network.
    store<u64>(d, <u64><u32>(data + <usize>(l4 + ENCAP_AFTER_UDP)) | (<u64>innerLen << 32), D_DATA);
    store<u32>(d, 0, D_ETHERTYPE);
    store<u64>(d, <u64><u32>entry | (<u64>net << 32), D_AUX);
    pass++;
    if (traced) {
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_NONE, <u64>vni, <u64>net);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_OUTER_ETH_DST, loadMac(data), 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_OUTER_ETH_SRC, loadMac(data + 6), 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_OUTER_IP_SRC, <u64>bswap<u32>(load<u32>(ip, IP_SRC)), 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_OUTER_IP_DST, <u64>bswap<u32>(dst), 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_OUTER_SPORT, <u64>bswap<u16>(load<u16>(udp, UDP_SPORT)), 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_VXLAN_VNI, <u64>vni, 0);
      traceEvent(i, STAGE, A_DECAP, entry, FIELD_LEN, <u64>len, <u64>innerLen);
    }
  }
  countBatch(STAGE, inN, pass, drop, 0);
}
