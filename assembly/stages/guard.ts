// Stage guard (STAGE_GUARD): a per-packet decision inside a program, so one program compiled per world
// change takes the right steps for every packet of a mixed batch ("decap only VXLAN", "the firewall
// judges only packets that open a flow", "the VIP's load balancer only for packets to the VIP").
//
// a0 = guard id (loaded by loadGuard, src/engine/loaders/guard.ts); a1 = k. A packet in flight that does
// not pass guard a0 is parked (D_NEXT = NEXT_PARKED) for the next k steps of the program: no stage
// touches a parked packet, and the pipeline (assembly/pipeline.ts) returns it to NEXT_CONTINUE once
// those k steps have run, or at the end of the program when k runs past it. Guards nest and follow
// each other: each parked packet remembers the step it wakes at.
//
// A guard passes when (some term matches) XOR negate; no term matches nothing, and an id never loaded
// is that empty guard (nothing passes). A term matches when every field it sets matches: IPv4 source /
// destination prefix, protocol, TCP/UDP source / destination port range (a packet without ports, ICMP
// and fragments included, matches no term that sets one), Ethernet source / destination MAC (the
// outermost header), D_FLAGS bits (all set), and "opens a flow": TCP with SYN and without ACK, ICMP
// echo request, UDP to a port below 49152 (the firewall's first packet of a flow, docs/behaviour.md),
// any other IPv4 protocol; not ARP. A TCP / UDP / ICMP first fragment (offset 0) opens a flow as its
// datagram would, read from the L4 header it carries; a later fragment never does.
// A packet that is not IPv4 matches no term that sets an address, the protocol or a port.
//
// Preconditions: parse ran since the frame was written or decapsulated (D_L3 != 0): a guard over an
//   unparsed packet is a program error and aborts. IP addresses and ports are read from the frame at
//   D_L3 / D_L4, so a guard after NAT sees the translated header.
// Next stages: a passing packet keeps NEXT_CONTINUE; a failing one is NEXT_PARKED until its wake step.
//   No other descriptor field and no frame byte changes.
// Drops: none.
// Trace: none: a guard is invisible in traces (the steps it skipped simply did not run).
// Counters: in = packets in flight, pass = the same (parked packets are passed on, never dropped).
// Allocation: the wake-step array (4 bytes a ring slot) at the core's first guard step.
import {
  D_DATA, D_L3, D_L4, D_NEXT, D_ETHERTYPE, D_PROTO, D_FLAGS, NEXT_CONTINUE, NEXT_PARKED, STAGE_GUARD, F_FRAGMENT, F_ARP,
} from '../abi';
import { alloc, desc, ringSlots } from '../memory';
import { countBatch } from '../counters';
import { loadMac, ETH_DST, ETH_SRC, ETHERTYPE_IPV4 } from '../wire/ethernet';
import {
  IP_SRC, IP_DST, IP_FLAGS_FRAG, IP_FRAG_OFFSET_MASK, IP_TOTAL_LEN, PROTO_ICMP, PROTO_TCP, PROTO_UDP,
} from '../wire/ipv4';
import { TCP_FLAGS, TCP_SYN, TCP_ACK_FLAG } from '../wire/tcp';
import { ICMP_TYPE } from '../wire/icmp';
import {
  guardImage, GH_TERMS, GH_NEGATE, GUARD_HEADER_SIZE, GUARD_TERM_SIZE, GT_FIELDS, GT_SRC_NET, GT_SRC_MASK,
  GT_DST_NET, GT_DST_MASK, GT_SPORT, GT_DPORT, GT_PROTO, GT_FLAGS, GT_OPENS, GT_SRC_MAC, GT_DST_MAC,
  G_SRC_IP, G_DST_IP, G_PROTO, G_SPORT, G_DPORT, G_SRC_MAC, G_DST_MAC, G_FLAGS, G_OPENS_FLOW, G_IPV4_ONLY,
} from '../tables/guard-table';
import { uftRecording, uftNote, N_NO_CACHE } from '../tables/uft';

const ICMP_ECHO_REQUEST: u8 = 8;
/** First port of the dynamic range (IANA; Windows' default ephemeral ports): UDP to a port below it
 *  opens a flow. */
const UDP_EPHEMERAL_FIRST: u32 = 49152;
/** "No packet is parked": above every wake step. */
export const NO_WAKE: u32 = 0xffffffff;

/** Smallest wake step of the packets parked now (NO_WAKE when none is). */
export let parkWake: u32 = NO_WAKE;
/** u32 per ring slot: the step before which a parked packet returns to NEXT_CONTINUE. */
let wakeAt: usize = 0;

/** Called by the pipeline before each step (when `step` >= parkWake) and after the last step (with
 *  NO_WAKE): packets whose park ends by `step` continue. */
export function unparkDue(n: i32, step: u32): void {
  let next = NO_WAKE;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_PARKED) continue;
    const w = load<u32>(wakeAt + (<usize>i << 2));
    if (w <= step) store<u8>(d, <u8>NEXT_CONTINUE, D_NEXT);
    else if (w < next) next = w;
  }
  parkWake = next;
}

/** Called by the pipeline at the start of a program: nothing is parked (a program that aborted may
 *  have left parkWake set). */
export function parkReset(): void {
  parkWake = NO_WAKE;
}

/** Runs guard `id` as step `step` of a program: failing packets are parked until step step + 1 + k. */
export function stage_guard(n: i32, id: u32, k: u32, step: i32): i32 {
  if (wakeAt == 0) wakeAt = alloc(<u32>(ringSlots * 4));
  const image = guardImage(id);
  const terms = image == 0 ? 0 : <i32>load<u32>(image, GH_TERMS);
  const negate = image != 0 && load<u32>(image, GH_NEGATE) != 0;
  const t0 = image + <usize>GUARD_HEADER_SIZE;
  const wake64 = <u64>step + 1 + <u64>k;
  const wake = wake64 >= <u64>NO_WAKE ? NO_WAKE - 1 : <u32>wake64;
  let inN = 0;
  let parked = 0;
  // In a unified flow table's walk (assembly/stages/uft.ts), a guard that reads more than the flow
  // key decides per packet: the packets it judges leave no entry.
  const perPacket = uftRecording && !keyOnly(t0, terms);
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    if (perPacket) store<u8>(uftNote(i), 1, N_NO_CACHE);
    if (load<u8>(d, D_L3) == 0) abort('guard step over a packet parse has not read');
    if (anyTermMatches(d, t0, terms) == negate) {
      store<u8>(d, <u8>NEXT_PARKED, D_NEXT);
      store<u32>(wakeAt + (<usize>i << 2), wake);
      parked++;
    }
  }
  if (parked > 0 && wake < parkWake) parkWake = wake;
  countBatch(STAGE_GUARD, inN, inN, 0, 0);
  return n;
}

/** Whether every term reads only a UFT entry's key: addresses, protocol, ports, and the flags no
 *  flow the UFT keeps has (F_FRAGMENT, F_ARP: such a term never matches one). */
function keyOnly(t0: usize, terms: i32): bool {
  for (let k = 0; k < terms; k++) {
    const t = t0 + <usize>(k * GUARD_TERM_SIZE);
    const fields = load<u32>(t, GT_FIELDS);
    if ((fields & (G_SRC_MAC | G_DST_MAC | G_OPENS_FLOW)) != 0) return false;
    if ((fields & G_FLAGS) != 0 && (<u32>load<u8>(t, GT_FLAGS) & ~<u32>(F_FRAGMENT | F_ARP)) != 0) return false;
  }
  return true;
}

function anyTermMatches(d: usize, t0: usize, terms: i32): bool {
  if (terms == 0) return false;
  const data = <usize>load<u32>(d, D_DATA);
  const l3 = <usize>load<u8>(d, D_L3);
  const l4 = <usize>load<u8>(d, D_L4);
  const ipv4 = load<u16>(d, D_ETHERTYPE) == ETHERTYPE_IPV4;
  const proto = <u32>load<u8>(d, D_PROTO);
  const flags = <u32>load<u8>(d, D_FLAGS);
  let src: u32 = 0;
  let dst: u32 = 0;
  let hasPorts = false;
  let sport: u32 = 0;
  let dport: u32 = 0;
  let opens = false;
  if (ipv4) {
    src = bswap<u32>(load<u32>(data + l3, IP_SRC));
    dst = bswap<u32>(load<u32>(data + l3, IP_DST));
    hasPorts = l4 != 0 && (proto == <u32>PROTO_TCP || proto == <u32>PROTO_UDP);
    if (hasPorts) {
      sport = <u32>bswap<u16>(load<u16>(data + l4, 0));
      dport = <u32>bswap<u16>(load<u16>(data + l4, 2));
    }
    const h = l4 != 0 ? data + l4 : firstFragmentL4(data + l3, flags, proto);
    if (proto == <u32>PROTO_TCP) opens = h != 0 && (load<u8>(h, TCP_FLAGS) & (TCP_SYN | TCP_ACK_FLAG)) == TCP_SYN;
    else if (proto == <u32>PROTO_UDP) opens = h != 0 && <u32>bswap<u16>(load<u16>(h, 2)) < UDP_EPHEMERAL_FIRST;
    else if (proto == <u32>PROTO_ICMP) opens = h != 0 && load<u8>(h, ICMP_TYPE) == ICMP_ECHO_REQUEST;
    else opens = true;
  }
  const srcMac = loadMac(data + <usize>ETH_SRC);
  const dstMac = loadMac(data + <usize>ETH_DST);
  for (let t = 0; t < terms; t++) {
    const tp = t0 + <usize>(t * GUARD_TERM_SIZE);
    const f = load<u32>(tp, GT_FIELDS);
    if ((f & G_IPV4_ONLY) != 0 && !ipv4) continue;
    if ((f & G_SRC_IP) != 0 && (src & load<u32>(tp, GT_SRC_MASK)) != load<u32>(tp, GT_SRC_NET)) continue;
    if ((f & G_DST_IP) != 0 && (dst & load<u32>(tp, GT_DST_MASK)) != load<u32>(tp, GT_DST_NET)) continue;
    if ((f & G_PROTO) != 0 && proto != <u32>load<u8>(tp, GT_PROTO)) continue;
    if ((f & (G_SPORT | G_DPORT)) != 0 && !hasPorts) continue;
    if ((f & G_SPORT) != 0 && !inRange(sport, load<u32>(tp, GT_SPORT))) continue;
    if ((f & G_DPORT) != 0 && !inRange(dport, load<u32>(tp, GT_DPORT))) continue;
    if ((f & G_SRC_MAC) != 0 && srcMac != load<u64>(tp, GT_SRC_MAC)) continue;
    if ((f & G_DST_MAC) != 0 && dstMac != load<u64>(tp, GT_DST_MAC)) continue;
    const want = <u32>load<u8>(tp, GT_FLAGS);
    if ((f & G_FLAGS) != 0 && (flags & want) != want) continue;
    if ((f & G_OPENS_FLOW) != 0 && opens != (load<u8>(tp, GT_OPENS) != 0)) continue;
    return true;
  }
  return false;
}

/**
 * The L4 header of a first fragment (offset 0) long enough to hold what "opens a flow" reads, else 0:
 * the first fragment opens its datagram's flow as the whole datagram would (the firewall judges
 * whole datagrams, which carry that header first); a later fragment opens none (it follows its
 * first), so a datagram the firewall refused never completes.
 */
function firstFragmentL4(ip: usize, flags: u32, proto: u32): usize {
  if ((flags & <u32>F_FRAGMENT) == 0 || (bswap<u16>(load<u16>(ip, IP_FLAGS_FRAG)) & IP_FRAG_OFFSET_MASK) != 0) return 0;
  const hl = (<u32>load<u8>(ip) & 15) << 2;
  const need: u32 = proto == <u32>PROTO_TCP ? 14 : 8;
  return <u32>bswap<u16>(load<u16>(ip, IP_TOTAL_LEN)) >= hl + need ? ip + <usize>hl : 0;
}

/** `range` = lo | hi << 16, inclusive. */
// @ts-ignore: decorator
@inline function inRange(port: u32, range: u32): bool {
  const lo = range & 0xffff;
  return port - lo <= (range >>> 16) - lo;
}
