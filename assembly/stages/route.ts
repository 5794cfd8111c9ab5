// Stage route (STAGE_ROUTE): IPv4 forwarding in one routing domain — a container compartment or the
// host stack — as the Windows TCP/IP stack forwards between its interfaces (RFC 1812 §5.2-5.3).
//
// Arguments: a0 = routing domain id (loadRoutes / loadNeighbors); a1 = ROUTE_ORIGINATE (1) when the
//   packets were sent by this stack itself: a host does not decrement the TTL of its own packets
//   (RFC 1122 §3.2.1.7 sets it; RFC 1812 decrements it when forwarding), so no TTL check or rewrite.
// Preconditions: parse ran (D_L3, D_ETHERTYPE, F_ARP; the IPv4 header is valid).
// IPv4: longest-prefix match on the destination. A local route (an address of this stack) makes the
//   packet NEXT_LOCAL (consumed: no TTL check, no rewrite). Otherwise TTL ≤ 1 is ROUTE_TTL_EXPIRED;
//   the next hop (the route's gateway, or the destination when on-link) is looked up in the
//   neighbour cache; then Ethernet source := the route's interface MAC, destination := the next
//   hop's MAC, TTL - 1 with the header checksum patched (RFC 1624 eqn. 3, no recompute),
//   D_OUT_PORT := the route's interface, and the packet stays NEXT_CONTINUE for the egress stages.
// ARP: a request or reply whose target protocol address is local is NEXT_LOCAL (the stack answers
//   or learns it); any other ARP frame passes untouched (it is not routed). Other frames pass.
// Drops: ROUTE_NO_ROUTE, ROUTE_TTL_EXPIRED, ROUTE_NO_NEIGHBOR (entry = the route index).
// Trace: A_ROUTE (entry = route index in the loaded list, after = interface), then FIELD_ETH_SRC,
//   FIELD_ETH_DST, FIELD_OUT_PORT when changed and FIELD_IP_TTL; A_LOCAL for local delivery; A_PASS.
// Allocation: none.
import {
  D_DATA, D_L3, D_NEXT, D_FLAGS, D_ETHERTYPE, D_OUT_PORT, NEXT_CONTINUE, NEXT_LOCAL, F_ARP,
  STAGE_ROUTE, A_PASS, A_ROUTE, A_LOCAL, FIELD_NONE, FIELD_ETH_SRC, FIELD_ETH_DST, FIELD_IP_TTL,
  FIELD_OUT_PORT,
} from '../abi';
import { DROP_ROUTE_NO_ROUTE, DROP_ROUTE_TTL_EXPIRED, DROP_ROUTE_NO_NEIGHBOR } from '../drops';
import { desc } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent, isTraced, Traced, Untraced } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_DST, ETH_SRC, ETHERTYPE_IPV4, loadMac } from '../wire/ethernet';
import { ARP_TPA } from '../wire/arp';
import { IP_TTL, IP_CHECKSUM, IP_DST } from '../wire/ipv4';
import { csumUpdate16 } from '../wire/checksum';
import { lpmLookup } from '../tables/lpm';
import { domainRoutes, domainNeighbors, routesNodes, routeRecord, ROUTE_LOCAL } from '../tables/route-domain';
import { ipMacFind, slotMacHi, slotMacLo } from '../tables/ip-mac-map';

// @ts-ignore: decorator
@inline function macValue(hi: u16, lo: u32): u64 {
  return (<u64>bswap<u16>(hi) << 32) | <u64>bswap<u32>(lo);
}

// @ts-ignore: decorator
@inline function routeLoop<T>(n: i32, domain: u32, originate: bool): void {
  const img = domainRoutes(domain);
  const nodes = img != 0 ? routesNodes(img) : 0;
  const neigh = domainNeighbors(domain);
  let inN = 0;
  let pass = 0;
  let drop = 0;
  let done = 0;
  // One-entry last-hit caches: destination → route, next hop → neighbour slot.
  let lastDst: u32 = 0;
  let lastRoute: i32 = -2;
  let lastHop: u32 = 0;
  let lastSlot: usize = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const p = <usize>load<u32>(d, D_DATA);
    const l3 = p + <usize>load<u8>(d, D_L3);
    if ((load<u8>(d, D_FLAGS) & F_ARP) != 0) {
      const r = nodes != 0 ? lpmLookup(nodes, bswap<u32>(load<u32>(l3, ARP_TPA))) : -1;
      if (r >= 0 && load<u8>(routeRecord(img, r), 6) == ROUTE_LOCAL) {
        store<u8>(d, <u8>NEXT_LOCAL, D_NEXT);
        done++;
        if (isTraced<T>()) traceEvent(i, STAGE_ROUTE, A_LOCAL, r, FIELD_NONE, 0, 0);
      } else {
        pass++;
        if (isTraced<T>()) traceEvent(i, STAGE_ROUTE, A_PASS, -1, FIELD_NONE, 0, 0);
      }
      continue;
    }
    if (load<u16>(d, D_ETHERTYPE) != ETHERTYPE_IPV4 || load<u8>(d, D_L3) == 0) {
      pass++;
      if (isTraced<T>()) traceEvent(i, STAGE_ROUTE, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    const dst = bswap<u32>(load<u32>(l3, IP_DST));
    let r = lastRoute;
    if (r == -2 || dst != lastDst) {
      r = nodes != 0 ? lpmLookup(nodes, dst) : -1;
      lastDst = dst;
      lastRoute = r;
    }
    if (r < 0) {
      dropPacket(d, i, STAGE_ROUTE, DROP_ROUTE_NO_ROUTE);
      drop++;
      continue;
    }
    const rec = routeRecord(img, r);
    if (load<u8>(rec, 6) == ROUTE_LOCAL) {
      store<u8>(d, <u8>NEXT_LOCAL, D_NEXT);
      done++;
      if (isTraced<T>()) traceEvent(i, STAGE_ROUTE, A_LOCAL, r, FIELD_NONE, 0, 0);
      continue;
    }
    const ttl = load<u8>(l3, IP_TTL);
    if (!originate && ttl <= 1) {
      dropPacket(d, i, STAGE_ROUTE, DROP_ROUTE_TTL_EXPIRED, r);
      drop++;
      continue;
    }
    const gw = load<u32>(rec);
    const hop = gw != 0 ? gw : dst;
    let s = lastSlot;
    if (s == 0 || hop != lastHop) {
      s = ipMacFind(neigh, bswap<u32>(hop));
      if (s == 0) {
        dropPacket(d, i, STAGE_ROUTE, DROP_ROUTE_NO_NEIGHBOR, r);
        drop++;
        continue;
      }
      lastHop = hop;
      lastSlot = s;
    }
    const srcBefore = isTraced<T>() ? loadMac(p + ETH_SRC) : 0;
    const dstBefore = isTraced<T>() ? loadMac(p + ETH_DST) : 0;
    const ifHi = load<u16>(rec, 8);
    const ifLo = load<u32>(rec, 12);
    const nhHi = slotMacHi(s);
    const nhLo = slotMacLo(s);
    store<u16>(p, nhHi, ETH_DST);
    store<u32>(p, nhLo, ETH_DST + 2);
    store<u16>(p, ifHi, ETH_SRC);
    store<u32>(p, ifLo, ETH_SRC + 2);
    // TTL is the first byte of the TTL/protocol word: as loaded little-endian it is the low byte,
    // and ttl ≥ 2 so subtracting 1 never borrows into the protocol.
    if (!originate) {
      const word = load<u16>(l3, IP_TTL);
      store<u16>(l3, word - 1, IP_TTL);
      store<u16>(l3, csumUpdate16(load<u16>(l3, IP_CHECKSUM), word, word - 1), IP_CHECKSUM);
    }
    const out = <i32>load<u16>(rec, 4);
    const oldOut = <i32>load<u16>(d, D_OUT_PORT);
    store<u16>(d, <u16>out, D_OUT_PORT);
    pass++;
    if (isTraced<T>()) {
      traceEvent(i, STAGE_ROUTE, A_ROUTE, r, FIELD_NONE, 0, <u64>out);
      const ifMac = macValue(ifHi, ifLo);
      const nhMac = macValue(nhHi, nhLo);
      if (srcBefore != ifMac) traceEvent(i, STAGE_ROUTE, A_ROUTE, r, FIELD_ETH_SRC, srcBefore, ifMac);
      if (dstBefore != nhMac) traceEvent(i, STAGE_ROUTE, A_ROUTE, r, FIELD_ETH_DST, dstBefore, nhMac);
      if (!originate) traceEvent(i, STAGE_ROUTE, A_ROUTE, r, FIELD_IP_TTL, <u64>ttl, <u64>(ttl - 1));
      if (oldOut != out) traceEvent(i, STAGE_ROUTE, A_ROUTE, r, FIELD_OUT_PORT, <u64>oldOut, <u64>out);
    }
  }
  countBatch(STAGE_ROUTE, inN, pass, drop, done);
}

/** Routes descriptors [0, n) in domain a0. Called by pipeline_run once per batch. */
export function stage_route(n: i32, a0: u32, a1: u32): i32 {
  const originate = (a1 & 1) != 0;
  if (tracing) routeLoop<Traced>(n, a0, originate);
  else routeLoop<Untraced>(n, a0, originate);
  return n;
}
