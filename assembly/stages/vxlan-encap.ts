// Stage vxlan-encap: wraps the frames of an overlay network in VXLAN (RFC 7348 §5) towards the
// host that holds the destination endpoint, as VFP's encap layer does for HNS overlay networks.
//
// Preconditions: parse ran (D_HASH is the inner flow hash); D_CTX holds the overlay network id (the
//   id the VTEP table maps to a VNI; decap writes the same id); the frame starts at D_DATA inside its
//   ring slot. a0 = VTEP table id (one per host, loaded with vtep_table_load).
// What it does: looks up (D_CTX, inner destination MAC) in the tunnel table (one-entry last-hit
//   cache, then an open-addressing hash), copies the tunnel's precomputed 50-byte outer header into
//   the headroom just before the frame (no payload move), patches the outer IPv4 total length and
//   checksum (RFC 1624 from the template's checksum), the UDP length and the UDP source port
//   (0xC000 | 14 bits of D_HASH: RFC 7348 §5 asks for a hash of the inner flow in 49152-65535).
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
  D_DATA, D_LEN, D_L3, D_NEXT, D_ETHERTYPE, D_FLAGS, D_AUX, D_CTX, D_HASH, NEXT_CONTINUE, F_ENCAPPED,
  SLOT_SIZE, STAGE_VXLAN_ENCAP, A_ENCAP, A_PASS, FIELD_NONE, FIELD_VXLAN_VNI, FIELD_OUTER_IP_SRC,
  FIELD_OUTER_IP_DST, FIELD_OUTER_SPORT, FIELD_OUTER_ETH_SRC, FIELD_OUTER_ETH_DST, FIELD_LEN,
} from '../abi';
import { DROP_VXLAN_NO_TUNNEL, DROP_VXLAN_UNKNOWN_VNI, DROP_VXLAN_TOO_BIG } from '../drops';
import { desc, ringBase } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent } from '../trace';
import { dropPacket } from '../verdict';
import { csumUpdate16 } from '../wire/checksum';
import { ETH_HEADER_LEN, loadMac } from '../wire/ethernet';
import { IP_TOTAL_LEN, IP_CHECKSUM, IP_SRC, IP_DST, IP_MIN_HEADER_LEN } from '../wire/ipv4';
import { UDP_SPORT, UDP_LEN, UDP_HEADER_LEN } from '../wire/udp';
import { VXLAN_ENCAP_LEN, VXLAN_HEADER_LEN } from '../wire/vxlan';
import {
  vtepTable, findTunnel, tunnelHash, macKey, hasNetwork, H_MTU, H_TUNNELS, T_FLAGS, T_VNI,
} from '../tables/vtep-table';

const STAGE: i32 = STAGE_VXLAN_ENCAP;
const OUTER_IP: i32 = ETH_HEADER_LEN;
const OUTER_UDP: i32 = ETH_HEADER_LEN + IP_MIN_HEADER_LEN;
/** Outer IPv4 total length minus the inner frame length: IPv4 + UDP + VXLAN headers. */
const IP_OVERHEAD: u32 = <u32>(IP_MIN_HEADER_LEN + UDP_HEADER_LEN + VXLAN_HEADER_LEN);
const UDP_OVERHEAD: u32 = <u32>(UDP_HEADER_LEN + VXLAN_HEADER_LEN);
/** D_ETHERTYPE (u16 0x0800), D_PROTO (17) and D_FLAGS written as one u32; flags come from the tunnel. */
const OUTER_TYPE_PROTO: u32 = 0x0800 | (17 << 16);
/** D_L3 = 14 and D_L4 = 34 written as one u16. */
const OUTER_L3_L4: u16 = <u16>(OUTER_IP | (OUTER_UDP << 8));

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
  const tunnels = t + <usize>load<u32>(t, H_TUNNELS);
  const ring = ringBase;
  let inN = 0;
  let pass = 0;
  let drop = 0;
  let lastKey: u64 = 0;
  let lastNet: u32 = 0;
  let lastRec: usize = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    if ((<i32>load<u8>(d, D_FLAGS) & F_ENCAPPED) != 0) {
      pass++;
      if (traced) traceEvent(i, STAGE, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    const data = <usize>load<u32>(d, D_DATA);
    const net = load<u32>(d, D_CTX);
    const key = macKey(data);
    let rec = lastRec;
    if (key != lastKey || net != lastNet) {
      rec = findTunnel(t, net, key, tunnelHash(net, <u32>load<u16>(data), load<u32>(data, 2)));
      if (rec == 0) {
        drop++;
        dropPacket(d, i, STAGE, hasNetwork(t, net) ? DROP_VXLAN_NO_TUNNEL : DROP_VXLAN_UNKNOWN_VNI);
        continue;
      }
      lastKey = key;
      lastNet = net;
      lastRec = rec;
    }
    const tunnel = <i32>((rec - tunnels) >> 6);
    const len = <u32>load<u16>(d, D_LEN);
    if (<i32>((data - ring) & <usize>(SLOT_SIZE - 1)) < VXLAN_ENCAP_LEN || len + IP_OVERHEAD > mtu) {
      drop++;
      dropPacket(d, i, STAGE, DROP_VXLAN_TOO_BIG, tunnel);
      continue;
    }
    const o = data - <usize>VXLAN_ENCAP_LEN;
    // The template, 8 bytes at a time (a call to memory.copy costs more than these 7 moves).
    store<u64>(o, load<u64>(rec, 0), 0);
    store<u64>(o, load<u64>(rec, 8), 8);
    store<u64>(o, load<u64>(rec, 16), 16);
    store<u64>(o, load<u64>(rec, 24), 24);
    store<u64>(o, load<u64>(rec, 32), 32);
    store<u64>(o, load<u64>(rec, 40), 40);
    store<u16>(o, load<u16>(rec, 48), 48);
    // Lengths and checksum: the template holds total length 0, so RFC 1624 eqn. 3 with m = 0.
    const ipLen = bswap<u16>(<u16>(len + IP_OVERHEAD));
    store<u16>(o, ipLen, OUTER_IP + IP_TOTAL_LEN);
    store<u16>(o, csumUpdate16(load<u16>(rec, OUTER_IP + IP_CHECKSUM), 0, ipLen), OUTER_IP + IP_CHECKSUM);
    const h = load<u32>(d, D_HASH);
    const sport = <u16>(0xc000 | ((h ^ (h >> 16)) & 0x3fff));
    store<u16>(o, bswap<u16>(sport), OUTER_UDP + UDP_SPORT);
    store<u16>(o, bswap<u16>(<u16>(len + UDP_OVERHEAD)), OUTER_UDP + UDP_LEN);
    store<u32>(d, <u32>o, D_DATA);
    store<u16>(d, <u16>(len + <u32>VXLAN_ENCAP_LEN), D_LEN);
    store<u16>(d, OUTER_L3_L4, D_L3);
    store<u32>(d, OUTER_TYPE_PROTO | (<u32>load<u8>(rec, T_FLAGS) << 24), D_ETHERTYPE);
    store<u32>(d, <u32>tunnel, D_AUX);
    pass++;
    if (traced) {
      const vni = <u64>load<u32>(rec, T_VNI);
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_NONE, <u64>net, vni);
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_OUTER_ETH_DST, 0, loadMac(o));
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_OUTER_ETH_SRC, 0, loadMac(o + 6));
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_OUTER_IP_SRC, 0, <u64>bswap<u32>(load<u32>(o, OUTER_IP + IP_SRC)));
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_OUTER_IP_DST, 0, <u64>bswap<u32>(load<u32>(o, OUTER_IP + IP_DST)));
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_OUTER_SPORT, 0, <u64>sport);
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_VXLAN_VNI, 0, vni);
      traceEvent(i, STAGE, A_ENCAP, tunnel, FIELD_LEN, <u64>len, <u64>(len + <u32>VXLAN_ENCAP_LEN));
    }
  }
  countBatch(STAGE, inN, pass, drop, 0);
}
