// Stage parse (STAGE_PARSE): validates each frame once and fills its descriptor's offsets, so later
// stages trust D_L3/D_L4 without re-checking lengths.
//
// Preconditions: D_DATA/D_LEN describe the frame (writeBatch, or a stage that moved it).
// Next stages: every stage; a passing packet keeps NEXT_CONTINUE with D_L3, D_L4 (0 when there is
//   no L4 header: ARP, fragments, IPv4 protocols other than ICMP/TCP/UDP), D_ETHERTYPE (after the
//   tag), D_PROTO, D_FLAGS (F_VLAN_TAGGED, F_BCAST, F_ARP, F_FRAGMENT, F_VXLAN; F_ENCAPPED is kept),
//   D_VLAN (the tag's VID, 0 untagged) and D_HASH (assembly/tables/flow-hash.ts; 0 for ARP).
// Drops: PARSE_* (1-13) for anything malformed; a dropped packet's other descriptor fields are left
//   as they were. Bytes beyond the IPv4 total length are accepted (Ethernet pads short frames to
//   60 bytes). The IPv4 header checksum is verified, as a host or a checksumming vSwitch port does
//   (RFC 1122 §3.2.1.2: "a host MUST verify the IP header checksum"): a bad one is PARSE_BAD_IP_CHECKSUM.
//   F_VXLAN needs UDP destination 4789 and the VXLAN I flag; a 4789 payload too short for VXLAN +
//   inner Ethernet is PARSE_TRUNCATED_VXLAN whatever its flags.
// Allocation: none.
import {
  D_DATA, D_LEN, D_L3, D_L4, D_VLAN, D_NEXT, D_ETHERTYPE, D_PROTO, D_FLAGS, D_HASH,
  NEXT_CONTINUE, F_VLAN_TAGGED, F_VXLAN, F_BCAST, F_FRAGMENT, F_ARP, F_ENCAPPED,
  STAGE_PARSE, A_PASS, FIELD_NONE,
} from '../abi';
import {
  DROP_PARSE_TRUNCATED_ETHERNET, DROP_PARSE_TRUNCATED_VLAN, DROP_PARSE_UNSUPPORTED_ETHERTYPE,
  DROP_PARSE_BAD_ARP, DROP_PARSE_TRUNCATED_IPV4, DROP_PARSE_BAD_IP_VERSION, DROP_PARSE_BAD_IHL,
  DROP_PARSE_BAD_TOTAL_LENGTH, DROP_PARSE_BAD_IP_CHECKSUM, DROP_PARSE_TRUNCATED_L4,
  DROP_PARSE_BAD_TCP_OFFSET, DROP_PARSE_BAD_UDP_LENGTH, DROP_PARSE_TRUNCATED_VXLAN,
} from '../drops';
import { desc } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent, isTraced, Traced, Untraced } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_HEADER_LEN, ETHERTYPE_IPV4, ETHERTYPE_ARP, ETHERTYPE_VLAN } from '../wire/ethernet';
import { VLAN_TCI, VLAN_INNER_TYPE, VLAN_TAG_LEN, VLAN_VID_MASK } from '../wire/vlan';
import { ARP_LEN, ARP_OPER, ARP_OP_REQUEST, ARP_OP_REPLY } from '../wire/arp';
import {
  IP_TOTAL_LEN, IP_FLAGS_FRAG, IP_PROTO, IP_SRC, IP_DST, IP_MIN_HEADER_LEN,
  PROTO_ICMP, PROTO_TCP, PROTO_UDP,
} from '../wire/ipv4';
import { ICMP_TYPE, ICMP_ID, ICMP_HEADER_LEN, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../wire/icmp';
import { TCP_DATA_OFFSET, TCP_MIN_HEADER_LEN } from '../wire/tcp';
import { UDP_DPORT, UDP_LEN, UDP_HEADER_LEN, UDP_PORT_VXLAN } from '../wire/udp';
import { VXLAN_FLAGS, VXLAN_HEADER_LEN, VXLAN_FLAG_I } from '../wire/vxlan';
import { csumPartial, csumFold } from '../wire/checksum';
import { flowHash } from '../tables/flow-hash';

/** ARP hardware type 1 (Ethernet) and protocol type 0x0800 as one little-endian u32 load. */
const ARP_ETH_IPV4: u32 = 0x00080100;
/** ARP hardware length 6 and protocol length 4 as one little-endian u16 load. */
const ARP_LENS_6_4: u16 = 0x0406;
/** The same constants as a little-endian load of the network-order field sees them. */
const NET_VLAN: u16 = bswap<u16>(ETHERTYPE_VLAN);
const NET_ARP: u16 = bswap<u16>(ETHERTYPE_ARP);
const NET_IPV4: u16 = bswap<u16>(ETHERTYPE_IPV4);
const NET_VXLAN_PORT: u16 = bswap<u16>(UDP_PORT_VXLAN);
/** Fragment offset and MF bits of the flags/offset word (0x3fff), as loaded. */
const NET_FRAG_BITS: u16 = bswap<u16>(0x3fff);

/** True when the IPv4 header at `ip` of `ihl` bytes sums to 0xffff (a valid header checksum). */
// @ts-ignore: decorator
@inline function ipv4ChecksumOk(ip: usize, ihl: i32): bool {
  if (ihl == IP_MIN_HEADER_LEN) {
    // Five 32-bit words: their one's-complement sum folds to the same 16 bits as ten 16-bit words.
    let s: u64 =
      <u64>load<u32>(ip) + <u64>load<u32>(ip, 4) + <u64>load<u32>(ip, 8) +
      <u64>load<u32>(ip, 12) + <u64>load<u32>(ip, 16);
    s = (s & 0xffffffff) + (s >> 32);
    s = (s & 0xffffffff) + (s >> 32);
    return csumFold(<u32>s) == 0xffff;
  }
  return csumFold(csumPartial(ip, ihl, 0)) == 0xffff;
}

/** Validates one frame; fills the descriptor and returns 0, or returns a drop reason (descriptor untouched). */
// @ts-ignore: decorator
@inline function parseOne(d: usize): u8 {
  const p = <usize>load<u32>(d, D_DATA);
  const len = <i32>load<u16>(d, D_LEN);
  if (len < ETH_HEADER_LEN) return DROP_PARSE_TRUNCATED_ETHERNET;
  let flags = <i32>load<u8>(d, D_FLAGS) & F_ENCAPPED;
  if ((load<u8>(p) & 1) != 0) flags |= F_BCAST;
  // EtherTypes are compared as loaded (network order) against swapped constants: no swap per packet.
  let et = load<u16>(p, 12);
  let l3 = ETH_HEADER_LEN;
  let vid: u16 = 0;
  if (et == NET_VLAN) {
    if (len < ETH_HEADER_LEN + VLAN_TAG_LEN) return DROP_PARSE_TRUNCATED_VLAN;
    vid = bswap<u16>(load<u16>(p, VLAN_TCI)) & VLAN_VID_MASK;
    et = load<u16>(p, VLAN_INNER_TYPE);
    l3 = ETH_HEADER_LEN + VLAN_TAG_LEN;
    flags |= F_VLAN_TAGGED;
  }
  if (et == NET_ARP) {
    if (len < l3 + ARP_LEN) return DROP_PARSE_BAD_ARP;
    const a = p + <usize>l3;
    const op = bswap<u16>(load<u16>(a, ARP_OPER));
    if (load<u32>(a) != ARP_ETH_IPV4 || load<u16>(a, 4) != ARP_LENS_6_4 || (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)) {
      return DROP_PARSE_BAD_ARP;
    }
    store<u8>(d, <u8>l3, D_L3);
    store<u8>(d, 0, D_L4);
    store<u16>(d, ETHERTYPE_ARP, D_ETHERTYPE);
    store<u8>(d, 0, D_PROTO);
    store<u8>(d, <u8>(flags | F_ARP), D_FLAGS);
    store<u16>(d, vid, D_VLAN);
    store<u32>(d, 0, D_HASH);
    return 0;
  }
  if (et != NET_IPV4) return DROP_PARSE_UNSUPPORTED_ETHERTYPE;
  if (len < l3 + IP_MIN_HEADER_LEN) return DROP_PARSE_TRUNCATED_IPV4;
  const ip = p + <usize>l3;
  const vihl = <i32>load<u8>(ip);
  if ((vihl >> 4) != 4) return DROP_PARSE_BAD_IP_VERSION;
  const ihl = (vihl & 15) << 2;
  if (ihl < IP_MIN_HEADER_LEN || l3 + ihl > len) return DROP_PARSE_BAD_IHL;
  const tot = <i32>bswap<u16>(load<u16>(ip, IP_TOTAL_LEN));
  if (tot < ihl || l3 + tot > len) return DROP_PARSE_BAD_TOTAL_LENGTH;
  if (!ipv4ChecksumOk(ip, ihl)) return DROP_PARSE_BAD_IP_CHECKSUM;
  const proto = <u32>load<u8>(ip, IP_PROTO);
  const end = l3 + tot;
  let l4 = l3 + ihl;
  let ports: u32 = 0;
  if ((load<u16>(ip, IP_FLAGS_FRAG) & NET_FRAG_BITS) != 0) {
    // Only the first fragment carries the L4 header: treat every fragment alike (no ports).
    flags |= F_FRAGMENT;
    l4 = 0;
  } else if (proto == PROTO_TCP) {
    if (l4 + TCP_MIN_HEADER_LEN > end) return DROP_PARSE_TRUNCATED_L4;
    const t = p + <usize>l4;
    const doff = (<i32>load<u8>(t, TCP_DATA_OFFSET) >> 4) << 2;
    if (doff < TCP_MIN_HEADER_LEN || l4 + doff > end) return DROP_PARSE_BAD_TCP_OFFSET;
    ports = bswap<u32>(load<u32>(t));
  } else if (proto == PROTO_UDP) {
    if (l4 + UDP_HEADER_LEN > end) return DROP_PARSE_TRUNCATED_L4;
    const u = p + <usize>l4;
    const ulen = <i32>bswap<u16>(load<u16>(u, UDP_LEN));
    if (ulen < UDP_HEADER_LEN || l4 + ulen > end) return DROP_PARSE_BAD_UDP_LENGTH;
    if (load<u16>(u, UDP_DPORT) == NET_VXLAN_PORT) {
      if (ulen < UDP_HEADER_LEN + VXLAN_HEADER_LEN + ETH_HEADER_LEN) return DROP_PARSE_TRUNCATED_VXLAN;
      if ((load<u8>(u, UDP_HEADER_LEN + VXLAN_FLAGS) & VXLAN_FLAG_I) != 0) flags |= F_VXLAN;
    }
    ports = bswap<u32>(load<u32>(u));
  } else if (proto == PROTO_ICMP) {
    if (l4 + ICMP_HEADER_LEN > end) return DROP_PARSE_TRUNCATED_L4;
    const c = p + <usize>l4;
    const type = load<u8>(c, ICMP_TYPE);
    if (type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY) ports = <u32>bswap<u16>(load<u16>(c, ICMP_ID)) << 16;
  } else {
    l4 = 0;
  }
  store<u8>(d, <u8>l3, D_L3);
  store<u8>(d, <u8>l4, D_L4);
  store<u16>(d, ETHERTYPE_IPV4, D_ETHERTYPE);
  store<u8>(d, <u8>proto, D_PROTO);
  store<u8>(d, <u8>flags, D_FLAGS);
  store<u16>(d, vid, D_VLAN);
  const src = bswap<u32>(load<u32>(ip, IP_SRC));
  const dst = bswap<u32>(load<u32>(ip, IP_DST));
  store<u32>(d, flowHash(src, dst, ports, proto), D_HASH);
  return 0;
}

// @ts-ignore: decorator
@inline function parseLoop<T>(n: i32): void {
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const reason = parseOne(d);
    if (reason != 0) {
      dropPacket(d, i, STAGE_PARSE, reason);
      drop++;
    } else if (isTraced<T>()) {
      traceEvent(i, STAGE_PARSE, A_PASS, -1, FIELD_NONE, 0, 0);
    }
  }
  countBatch(STAGE_PARSE, inN, inN - drop, drop, 0);
}

/** Runs parse over descriptors [0, n). Called by pipeline_run once per batch; a0/a1 unused. */
export function stage_parse(n: i32, a0: u32, a1: u32): i32 {
  if (tracing) parseLoop<Traced>(n);
  else parseLoop<Untraced>(n);
  return n;
}
