// Stage mac-rewrite (STAGE_MAC_REWRITE): the l2bridge Layer-2 address translation VFP applies on a
// container's port, so that every container frame on the wire carries the host's MAC.
//
// Arguments: a0 = network table id (setHostMac / loadEndpointMap); a1 = 0 egress (container → wire),
//   a1 = 1 (any non-zero) ingress (wire → container).
// Egress: Ethernet source → the host MAC. ARP (request or reply) also gets its sender hardware
//   address rewritten to the host MAC, as VFP does for l2bridge: peers then resolve every container
//   IP of this host to the host MAC, which is what makes the ingress rewrite by IP necessary.
//   A network without a host MAC set passes frames untouched.
// Ingress: broadcast/multicast destinations pass untouched (the switch floods them). A unicast IPv4
//   frame's destination MAC → the MAC of the endpoint owning the destination IP; a unicast ARP frame
//   is looked up by its target protocol address, and an ARP reply also gets its target hardware
//   address rewritten. No such endpoint: MAC_REWRITE_UNKNOWN_ENDPOINT. Other EtherTypes pass.
// Preconditions: parse ran (D_L3, D_ETHERTYPE, F_ARP).
// Next stages: unchanged offsets; usually switch (ingress) or the wire (egress).
// Drops: MAC_REWRITE_UNKNOWN_ENDPOINT.
// Trace: decision A_REWRITE (entry = the endpoint's index in the loaded list, -1 egress) or A_PASS,
//   then FIELD_ETH_SRC / FIELD_ETH_DST / FIELD_ARP_SHA / FIELD_ARP_THA for each field whose value changed.
// Allocation: none.
import {
  DESC_SIZE, D_DATA, D_L3, D_NEXT, D_FLAGS, D_ETHERTYPE, NEXT_CONTINUE, F_ARP, STAGE_MAC_REWRITE,
  A_PASS, A_REWRITE, FIELD_NONE, FIELD_ETH_SRC, FIELD_ETH_DST, FIELD_ARP_SHA, FIELD_ARP_THA,
} from '../abi';
import { DROP_MAC_REWRITE_UNKNOWN_ENDPOINT } from '../drops';
import { desc, descBase } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent, isTraced, Traced, Untraced } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_DST, ETH_SRC, ETHERTYPE_IPV4, loadMac } from '../wire/ethernet';
import { ARP_OPER, ARP_OP_REPLY, ARP_SHA, ARP_THA, ARP_TPA } from '../wire/arp';
import { IP_DST } from '../wire/ipv4';
import { endpointNetwork, netHasHostMac, netHostMacHi, netHostMacLo, netEndpointMap } from '../tables/endpoint-map';
import { ipMacProbeMasked, slotIndex, slotMacHi, slotMacLo } from '../tables/ip-mac-map';

/** Writes a MAC given as its two stored parts (bytes 0-1, bytes 2-5) at `p`. */
// @ts-ignore: decorator
@inline function putMac(p: usize, hi: u16, lo: u32): void {
  store<u16>(p, hi);
  store<u32>(p, lo, 2);
}

/** The 48-bit host-order value of a MAC given as its two stored parts. */
// @ts-ignore: decorator
@inline function macValue(hi: u16, lo: u32): u64 {
  return (<u64>bswap<u16>(hi) << 32) | <u64>bswap<u32>(lo);
}

// @ts-ignore: decorator
@inline function egressLoop<T>(n: i32, net: usize): void {
  let inN = 0;
  if (!netHasHostMac(net)) {
    for (let i = 0; i < n; i++) {
      if (load<u8>(desc(i), D_NEXT) != NEXT_CONTINUE) continue;
      inN++;
      if (isTraced<T>()) traceEvent(i, STAGE_MAC_REWRITE, A_PASS, -1, FIELD_NONE, 0, 0);
    }
  } else {
    const hi = netHostMacHi(net);
    const lo = netHostMacLo(net);
    const host = macValue(hi, lo);
    for (let i = 0; i < n; i++) {
      const d = desc(i);
      if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
      inN++;
      const p = <usize>load<u32>(d, D_DATA);
      const src = isTraced<T>() ? loadMac(p + ETH_SRC) : 0;
      putMac(p + ETH_SRC, hi, lo);
      const isArp = (load<u8>(d, D_FLAGS) & F_ARP) != 0;
      const a = p + <usize>load<u8>(d, D_L3);
      const sha = isTraced<T>() && isArp ? loadMac(a + ARP_SHA) : 0;
      if (isArp) putMac(a + ARP_SHA, hi, lo);
      if (isTraced<T>()) {
        traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, -1, FIELD_NONE, 0, 0);
        if (src != host) traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, -1, FIELD_ETH_SRC, src, host);
        if (isArp && sha != host) traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, -1, FIELD_ARP_SHA, sha, host);
      }
    }
  }
  countBatch(STAGE_MAC_REWRITE, inN, inN, 0, 0);
}

// @ts-ignore: decorator
@inline function ingressLoop<T>(n: i32, net: usize): void {
  const map = netEndpointMap(net);
  // Per batch, in locals: the map's hash mask and shift, the descriptor base and end (globals are
  // not kept in registers across the loop's stores). Every packet probes the map: a one-entry
  // last-hit cache in front of it cost more than it saved (random endpoints: 168 -> 190 Mpps
  // without it here, 218 -> 232 Mpps in C).
  const bits: u32 = map == 0 ? 0 : load<u32>(map);
  const mask = (<u32>1 << bits) - 1;
  const shift = 32 - bits;
  const base = descBase;
  const end = base + <usize>(n * DESC_SIZE);
  // Packets in (low 16 bits) and dropped (high 16 bits) in one register: a batch is below 65,536.
  let tally: u32 = 0;
  for (let d = base; d < end; d += DESC_SIZE) {
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    tally++;
    const p = <usize>load<u32>(d, D_DATA);
    const arp = <u32>load<u8>(d, D_FLAGS) & F_ARP;
    // Each test its own branch: a condition made of || and && becomes flags computed into
    // registers (and spilled) by V8, where a branch costs nothing when predicted.
    if ((load<u8>(p, ETH_DST) & 1) != 0) {
      if (isTraced<T>()) traceEvent(<i32>((d - base) >> 5), STAGE_MAC_REWRITE, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    if (arp == 0) {
      if (load<u16>(d, D_ETHERTYPE) != ETHERTYPE_IPV4) {
        if (isTraced<T>()) traceEvent(<i32>((d - base) >> 5), STAGE_MAC_REWRITE, A_PASS, -1, FIELD_NONE, 0, 0);
        continue;
      }
    }
    const l3 = p + <usize>load<u8>(d, D_L3);
    const ip = load<u32>(l3 + <usize>(arp != 0 ? ARP_TPA : IP_DST)); // wire order, as the map keeps it
    const s = map == 0 ? 0 : ipMacProbeMasked(map, mask, shift, ip);
    if (s == 0) {
      dropPacket(d, <i32>((d - base) >> 5), STAGE_MAC_REWRITE, DROP_MAC_REWRITE_UNKNOWN_ENDPOINT);
      tally += 0x10000;
      continue;
    }
    const hi = slotMacHi(s);
    const lo = slotMacLo(s);
    const dst = isTraced<T>() ? loadMac(p + ETH_DST) : 0;
    putMac(p + ETH_DST, hi, lo);
    let reply = false;
    if (arp != 0) reply = load<u16>(l3, ARP_OPER) == bswap<u16>(<u16>ARP_OP_REPLY);
    const tha = isTraced<T>() && reply ? loadMac(l3 + ARP_THA) : 0;
    if (reply) putMac(l3 + ARP_THA, hi, lo);
    if (isTraced<T>()) {
      const i = <i32>((d - base) >> 5);
      const mac = macValue(hi, lo);
      const entry = slotIndex(s);
      traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, entry, FIELD_NONE, 0, 0);
      if (dst != mac) traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, entry, FIELD_ETH_DST, dst, mac);
      if (reply && tha != mac) traceEvent(i, STAGE_MAC_REWRITE, A_REWRITE, entry, FIELD_ARP_THA, tha, mac);
    }
  }
  const inN = <i32>(tally & 0xffff);
  const drop = <i32>(tally >> 16);
  countBatch(STAGE_MAC_REWRITE, inN, inN - drop, drop, 0);
}

// The two ingress loops are functions of their own: a small function of one loop is what V8's
// optimizing compiler keeps in registers (inlined into one function with the egress and traced
// loops, the untraced loop spilled its locals to the stack and ran 25% slower).
function ingressUntraced(n: i32, net: usize): void {
  ingressLoop<Untraced>(n, net);
}

function ingressTraced(n: i32, net: usize): void {
  ingressLoop<Traced>(n, net);
}

/** l2bridge MAC rewrite over descriptors [0, n). Called by pipeline_run once per batch. */
export function stage_mac_rewrite(n: i32, a0: u32, a1: u32): i32 {
  const net = endpointNetwork(a0);
  if (a1 == 0) {
    if (tracing) egressLoop<Traced>(n, net);
    else egressLoop<Untraced>(n, net);
  } else {
    if (tracing) ingressTraced(n, net);
    else ingressUntraced(n, net);
  }
  return n;
}
