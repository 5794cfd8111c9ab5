// Stage nat: WinNAT. a0 = NAT instance id (nat_configure), a1 = direction: 0 outbound (internal →
// external: source NAT, and the replies of published-port flows), 1 inbound (external → internal:
// replies of outbound flows, and destination NAT of published ports).
//
// Preconditions: parse ran: D_L3, D_L4, D_ETHERTYPE, D_PROTO, D_FLAGS describe the packet and D_HASH
//   is the flow hash of its 5-tuple (assembly/tables/flow-hash.ts). D_HASH is only the probe hint of
//   the fast path: a stale or zero D_HASH costs a full lookup, never a wrong answer.
// What it does, per packet:
//   - not IPv4; outbound with a source outside the instance's internal prefixes or a destination
//     inside them; inbound to another address than the external one → passes untranslated (A_PASS).
//   - a protocol other than TCP/UDP/ICMP, an ICMP type other than echo request (out) / echo reply
//     (in), any ICMP when the instance does not translate ICMP (VFP outbound NAT) → NAT_UNSUPPORTED.
//   - fragments (nothing here reassembles): a first fragment (offset 0, MF) is translated by the L4
//     header it carries like a whole packet (NAT_UNSUPPORTED when it is too short to hold one) and
//     its session is remembered for the datagram (assembly/tables/nat-fragments.ts); a later
//     fragment is translated by that session (address and IPv4 checksum only), else
//     NAT_FRAGMENT_UNKNOWN (it came before its first fragment, or the first was dropped).
//   - looks the packet's 5-tuple up in the session table (lazy expiry: an expired session found is
//     reclaimed and counts as absent). Outbound miss: a session is created (published port of the
//     internal endpoint, else its live endpoint mapping, else a port from the pool) → NAT_TABLE_FULL /
//     NAT_POOL_EXHAUSTED when nothing can be reclaimed. Inbound miss: a published port (static
//     mapping of that protocol and port, to an internal address, from a sender outside the internal
//     prefixes) creates a session, else NAT_NO_MAPPING. Inbound matching is on the whole 5-tuple
//     (address- and port-dependent filtering). With the instance's inboundMissPasses, inbound packets
//     that would be NAT_NO_MAPPING or NAT_UNSUPPORTED pass untranslated (they are the host's own).
//   - hairpin (a container to the host's address and a published port) works when the program runs
//     nat outbound then nat inbound: the first rewrites the source, the second the destination.
//   - rewrites source address + port (or echo identifier) outbound, destination address + port
//     inbound; IPv4, TCP, UDP and ICMP checksums by RFC 1624 (a zero UDP checksum stays zero, a
//     result of zero is sent as 0xFFFF, RFC 768); refreshes the session's timeout; D_AUX = session.
//   Trace: one decision (A_TRANSLATE, or A_CREATE when the packet opened the session; entry = the
//   session index; A_PASS; A_DROP), then one event per changed field with host-order values.
// Batching: without tracing, three passes over the batch: (1) take D_HASH and touch the home slot
//   of the index, (2) walk to the first slot with that hash and direction and touch the session
//   record, (3) verify the key and rewrite, in packet order; anything unusual (miss, creation,
//   expiry, ICMP type, fragment) takes the full per-packet path, so state changes keep packet order.
//   The independent loads of passes 1 and 2 overlap (DESIGN.md: the touch loop is the prefetch).
// Next stages: any; the packet's addresses and ports are the translated ones; D_HASH is not updated.
// Drops: NAT_NO_MAPPING, NAT_POOL_EXHAUSTED, NAT_TABLE_FULL, NAT_UNSUPPORTED, NAT_FRAGMENT_UNKNOWN.
// Allocation: none.
import {
  DESC_SIZE, D_DATA, D_L3, D_L4, D_NEXT, D_ETHERTYPE, D_PROTO, D_FLAGS, D_AUX, D_HASH, NEXT_CONTINUE, F_FRAGMENT,
  STAGE_NAT, A_PASS, A_TRANSLATE, A_CREATE, FIELD_NONE, FIELD_IP_SRC, FIELD_IP_DST, FIELD_SPORT, FIELD_DPORT,
  FIELD_ICMP_ID,
} from '../abi';
import { DROP_NAT_UNSUPPORTED, DROP_NAT_NO_MAPPING, DROP_NAT_FRAGMENT_UNKNOWN } from '../drops';
import { desc, descBase } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent } from '../trace';
import { dropPacket } from '../verdict';
import { csumUpdate16, csumUpdate32 } from '../wire/checksum';
import {
  IP_SRC, IP_DST, IP_CHECKSUM, IP_ID, IP_FLAGS_FRAG, IP_FRAG_OFFSET_MASK, IP_TOTAL_LEN, PROTO_ICMP, PROTO_TCP, PROTO_UDP,
} from '../wire/ipv4';
import { TCP_CHECKSUM, TCP_FLAGS, TCP_FIN, TCP_RST } from '../wire/tcp';
import { UDP_CHECKSUM, UDP_DPORT } from '../wire/udp';
import { ICMP_TYPE, ICMP_ID, ICMP_CHECKSUM, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY } from '../wire/icmp';
import {
  NatInstance, natInstance, natNow, natClock, natScratch, isInternal, keyHash, sessionRec, sessionFindLive,
  createOutbound, createInbound, sessionTouch, S_INT, S_REM, S_EXT, S_INT_PORT, S_REM_PORT, S_EXT_PORT,
  S_PROTO, S_FLAGS, S_EXPIRY, SF_IN_USE,
} from '../tables/nat-table';
import { uftRecording, uftNote, N_NAT_SESSION } from '../tables/uft';
import { fragRemember, fragFind } from '../tables/nat-fragments';

const STAGE: i32 = STAGE_NAT;
const TCP_FIN_RST: u8 = TCP_FIN | TCP_RST;
const ETHERTYPE_IPV4: u32 = 0x0800;
// Pass-1/2 scratch states of a packet (i32 at scratch + 8i + 4); >= 0 is a candidate session.
const SLOW: i32 = -1;
const SKIP: i32 = -2;
const PENDING: i32 = -3;

/** Keeps the touch loads of passes 1 and 2 observable so the optimizer cannot drop them. */
let natSink: u32 = 0;

/** Pipeline stage (assembly/pipeline.ts), once per batch. a0 = NAT instance, a1 = 0 out / 1 in. */
export function stage_nat(n: i32, a0: u32, a1: u32): i32 {
  const p = natInstance(a0);
  if (p == 0) abort('nat: instance not configured');
  if (a1 > 1) abort('nat: direction must be 0 or 1');
  const inst = changetype<NatInstance>(p);
  if (tracing) tracedBatch(n, inst, a1);
  else fastBatch(n, inst, a1);
  return n;
}

function tracedBatch(n: i32, inst: NatInstance, dir: u32): void {
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    drop += natPacket(inst, i, d, dir);
  }
  countBatch(STAGE, inN, inN - drop, drop, 0);
}

/** Packets per chunk of fastBatch's passes: enough misses in flight, few enough that the lines a
 *  pass brought in are still in L1 for the next (64 measured faster than the whole batch of 256). */
const NAT_CHUNK: i32 = 64;

function fastBatch(n: i32, inst: NatInstance, dir: u32): void {
  const scratch = natScratch;
  const index = inst.index;
  const mask = inst.indexMask;
  const sessions = inst.sessions;
  // The descriptor base in a local: a global is reloaded every iteration of a loop that stores.
  const base = descBase;
  let sink: u32 = 0;
  let inN = 0;
  let drop = 0;
  for (let c0 = 0; c0 < n; c0 += NAT_CHUNK) {
    const c1 = min(n, c0 + NAT_CHUNK);
    // Pass 1: which packets may take the fast path, and their hash. Each test is its own branch
    // (V8 computes a condition made of || into flags in registers).
    for (let i = c0; i < c1; i++) {
      const d = base + <usize>(i * DESC_SIZE);
      const sp = scratch + (<usize>i << 3);
      store<i32>(sp, SLOW, 4);
      if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) {
        store<i32>(sp, SKIP, 4);
        continue;
      }
      const typeProtoFlags = load<u32>(d, D_ETHERTYPE); // ethertype u16, proto u8, flags u8
      if ((typeProtoFlags & 0xffff) != ETHERTYPE_IPV4) continue;
      if (((typeProtoFlags >> 24) & F_FRAGMENT) != 0) continue;
      if (load<u8>(d, D_L3) == 0) continue;
      const proto = (typeProtoFlags >> 16) & 0xff;
      if (proto != PROTO_TCP) {
        if (proto != PROTO_UDP) {
          if (proto != PROTO_ICMP) continue;
        }
      }
      store<u32>(sp, load<u32>(d, D_HASH), 0);
      store<i32>(sp, PENDING, 4);
    }
    // The home slots' loads in a loop of their own: a few instructions per packet, so that the
    // out-of-order window holds many of these misses at once.
    for (let i = c0; i < c1; i++) {
      const sp = scratch + (<usize>i << 3);
      if (load<i32>(sp, 4) == PENDING) sink += load<u32>(index + (<usize>(load<u32>(sp) & mask) << 3), 4);
    }
    // Pass 2: the first slot with this hash and direction names the candidate.
    for (let i = c0; i < c1; i++) {
      const sp = scratch + (<usize>i << 3);
      if (load<i32>(sp, 4) != PENDING) continue;
      const h = load<u32>(sp, 0);
      let pos = h & mask;
      let cand = SLOW;
      while (true) {
        const v = load<u64>(index + (<usize>pos << 3));
        const ref = <u32>(v >> 32);
        if (ref == 0) break;
        if (<u32>v == h) {
          if (((ref - 1) & 1) == dir) {
            cand = <i32>((ref - 1) >> 1);
            break;
          }
        }
        pos = (pos + 1) & mask;
      }
      store<i32>(sp, cand, 4);
    }
    // The candidates' session loads, in a loop of their own likewise.
    for (let i = c0; i < c1; i++) {
      const cand = load<i32>(scratch + (<usize>i << 3), 4);
      if (cand >= 0) sink += load<u32>(sessions + (<usize>cand << 5), S_EXPIRY);
    }
    // Pass 3: in packet order, verify and rewrite; everything else takes the full path.
    for (let i = c0; i < c1; i++) {
      const cand = load<i32>(scratch + (<usize>i << 3), 4);
      if (cand == SKIP) continue;
      inN++;
      const d = base + <usize>(i * DESC_SIZE);
      if (cand >= 0) {
        if (fastHit(inst, i, d, dir, <u32>cand)) continue;
      }
      drop += natPacket(inst, i, d, dir);
    }
  }
  natSink = sink;
  countBatch(STAGE, inN, inN - drop, drop, 0);
}

/** The common case without tracing: the candidate session is live and its key is the packet's. */
// @ts-ignore: decorator
@inline function fastHit(inst: NatInstance, i: i32, d: usize, dir: u32, s: u32): bool {
  const r = sessionRec(inst, s);
  const data = <usize>load<u32>(d, D_DATA);
  const ip = data + <usize>load<u8>(d, D_L3);
  const l4 = data + <usize>load<u8>(d, D_L4);
  const proto = <u32>load<u8>(d, D_PROTO);
  if ((load<u8>(r, S_FLAGS) & SF_IN_USE) == 0 || <u32>load<u8>(r, S_PROTO) != proto) return false;
  let ports: u32;
  if (proto == PROTO_ICMP) {
    if (<u32>load<u8>(l4, ICMP_TYPE) != (dir == 0 ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY)) return false;
    const id = <u32>load<u16>(l4, ICMP_ID);
    ports = dir == 0 ? id : id << 16;
  } else {
    ports = load<u32>(l4);
  }
  const addrs = load<u64>(ip, IP_SRC);
  if (dir == 0) {
    if (load<u64>(r, S_INT) != addrs || load<u32>(r, S_INT_PORT) != ports) return false;
  } else {
    if (load<u64>(r, S_REM) != addrs || load<u32>(r, S_REM_PORT) != ports) return false;
  }
  if (natNow >= load<u32>(r, S_EXPIRY)) return false;
  sessionTouch(inst, r, dir, proto, l4, false);
  rewrite(ip, l4, proto, dir, r, 0, 0, 0, false);
  store<u32>(d, s, D_AUX);
  if (uftRecording) store<u32>(uftNote(i), s, N_NAT_SESSION);
  return true;
}

/**
 * The UFT's fast path (assembly/stages/uft.ts): is session `s` still the live session of the TCP or
 * UDP packet at `d` (in use, same key, not expired)? What fastHit checks, for a session the entry
 * names instead of one the index found.
 */
export function natSessionHolds(inst: NatInstance, d: usize, dir: u32, s: u32): bool {
  if (s >= inst.capacity) return false;
  const r = sessionRec(inst, s);
  const data = <usize>load<u32>(d, D_DATA);
  const ports = load<u32>(data + <usize>load<u8>(d, D_L4));
  const addrs = load<u64>(data + <usize>load<u8>(d, D_L3), IP_SRC);
  if ((load<u8>(r, S_FLAGS) & SF_IN_USE) == 0 || <u32>load<u8>(r, S_PROTO) != <u32>load<u8>(d, D_PROTO)) return false;
  if (dir == 0) {
    if (load<u64>(r, S_INT) != addrs || load<u32>(r, S_INT_PORT) != ports) return false;
  } else {
    if (load<u64>(r, S_REM) != addrs || load<u32>(r, S_REM_PORT) != ports) return false;
  }
  return natNow < load<u32>(r, S_EXPIRY);
}

/** The UFT's fast path: what the stage does to a packet of session `s` once found (natSessionHolds
 *  said yes): refresh the session, translate, D_AUX = session; traced, the field events too. */
export function natApplySession(inst: NatInstance, i: i32, d: usize, dir: u32, s: u32): void {
  const r = sessionRec(inst, s);
  const data = <usize>load<u32>(d, D_DATA);
  const ip = data + <usize>load<u8>(d, D_L3);
  const l4 = data + <usize>load<u8>(d, D_L4);
  const proto = <u32>load<u8>(d, D_PROTO);
  sessionTouch(inst, r, dir, proto, l4, false);
  if (tracing) rewrite(ip, l4, proto, dir, r, i, <i32>s, A_TRANSLATE, true);
  else rewrite(ip, l4, proto, dir, r, 0, 0, 0, false);
  store<u32>(d, s, D_AUX);
}

/** What a UFT entry keeps of session `s` (assembly/tables/uft.ts): the address and port its packets
 *  get (as loaded: the network-order bytes), address | port << 32. */
export function natKeptTranslation(inst: NatInstance, s: u32, dir: u32): u64 {
  const r = sessionRec(inst, s);
  if (dir == 0) return <u64>load<u32>(r, S_EXT) | (<u64>load<u16>(r, S_EXT_PORT) << 32);
  return <u64>load<u32>(r, S_INT) | (<u64>load<u16>(r, S_INT_PORT) << 32);
}

/** The NAT clock stamp (low 16 bits of natClock) a UFT entry keeps once its flow refreshed session
 *  `s` under it, or 0 when the session is not live after the refresh (a zero timeout). */
export function natKeptStamp(inst: NatInstance, s: u32): u32 {
  return natNow < load<u32>(sessionRec(inst, s), S_EXPIRY) ? natClock & 0xffff : 0;
}

/** Does this TCP or UDP packet's refresh of its session change more than the clock does (a TCP FIN
 *  or RST: the session starts closing)? Such a packet takes natApplySession. */
// @ts-ignore: decorator
@inline export function natClosing(d: usize): bool {
  return <u32>load<u8>(d, D_PROTO) == PROTO_TCP &&
    (load<u8>(<usize>load<u32>(d, D_DATA) + <usize>load<u8>(d, D_L4), TCP_FLAGS) & TCP_FIN_RST) != 0;
}

/** The UFT's fast path for a flow whose entry's stamp is the current one: the session needs no
 *  refresh (natKeptStamp), so the entry's kept translation is written and D_AUX = session, as
 *  natApplySession would. Untraced only. */
// @ts-ignore: decorator
@inline export function natApplyKept(d: usize, dir: u32, s: u32, newAddr: u32, newPort: u16): void {
  const data = <usize>load<u32>(d, D_DATA);
  rewriteTo(data + <usize>load<u8>(d, D_L3), data + <usize>load<u8>(d, D_L4), <u32>load<u8>(d, D_PROTO), dir, newAddr, newPort, 0, 0, 0, false);
  store<u32>(d, s, D_AUX);
}

/** The whole per-packet semantics (the reference twin's algorithm); returns 1 when it dropped. */
function natPacket(inst: NatInstance, i: i32, d: usize, dir: u32): i32 {
  const data = <usize>load<u32>(d, D_DATA);
  const l3 = <usize>load<u8>(d, D_L3);
  if (<u32>load<u16>(d, D_ETHERTYPE) != ETHERTYPE_IPV4 || l3 == 0) return passUntranslated(i);
  const ip = data + l3;
  const src = load<u32>(ip, IP_SRC);
  const dst = load<u32>(ip, IP_DST);
  if (dir == 0) {
    if (!isInternal(inst, src) || isInternal(inst, dst)) return passUntranslated(i);
  } else if (dst != inst.extAddr) {
    return passUntranslated(i);
  }
  const proto = <u32>load<u8>(d, D_PROTO);
  let l4 = data + <usize>load<u8>(d, D_L4);
  let ipId: i32 = -1; // a first fragment: its IP identification, remembered once translated
  if ((load<u8>(d, D_FLAGS) & F_FRAGMENT) != 0) {
    const frag = bswap<u16>(load<u16>(ip, IP_FLAGS_FRAG));
    if ((frag & IP_FRAG_OFFSET_MASK) != 0) return laterFragment(inst, i, d, dir, ip, src, dst, proto);
    // The first fragment carries the L4 header (parse reads no ports of any fragment).
    const ihl = (<u32>load<u8>(ip) & 15) << 2;
    const need: u32 = proto == PROTO_TCP ? 20 : 8;
    if (<u32>bswap<u16>(load<u16>(ip, IP_TOTAL_LEN)) < ihl + need) return refuse(inst, i, d, dir, DROP_NAT_UNSUPPORTED);
    l4 = ip + <usize>ihl;
    ipId = <i32>bswap<u16>(load<u16>(ip, IP_ID));
  }
  let ports: u32;
  if (proto == PROTO_TCP || proto == PROTO_UDP) {
    ports = load<u32>(l4);
  } else if (
    proto == PROTO_ICMP && inst.translateIcmp != 0 &&
    <u32>load<u8>(l4, ICMP_TYPE) == (dir == 0 ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY)
  ) {
    const id = <u32>load<u16>(l4, ICMP_ID);
    ports = dir == 0 ? id : id << 16;
  } else {
    return refuse(inst, i, d, dir, DROP_NAT_UNSUPPORTED);
  }
  const h = keyHash(src, dst, ports, proto);
  let s = sessionFindLive(inst, h, dir, load<u64>(ip, IP_SRC), ports, proto);
  let created = false;
  if (s < 0) {
    s = dir == 0 ? createOutbound(inst, src, dst, ports, proto, h) : createInbound(inst, src, ports, proto, h);
    if (s < 0) return refuse(inst, i, d, dir, <u8>(-s));
    created = true;
  }
  const r = sessionRec(inst, <u32>s);
  sessionTouch(inst, r, dir, proto, l4, created);
  const action = created ? A_CREATE : A_TRANSLATE;
  if (tracing) {
    traceEvent(i, STAGE, action, s, FIELD_NONE, 0, 0);
    rewrite(ip, l4, proto, dir, r, i, s, action, true);
  } else {
    rewrite(ip, l4, proto, dir, r, i, s, action, false);
  }
  store<u32>(d, <u32>s, D_AUX);
  if (uftRecording) store<u32>(uftNote(i), <u32>s, N_NAT_SESSION);
  if (ipId >= 0) fragRemember(changetype<usize>(inst), dir, src, dst, proto, <u32>ipId, <u32>s, natNow);
  return 0;
}

/**
 * A later fragment (offset > 0, no L4 header): translated by the session its first fragment used
 * (assembly/tables/nat-fragments.ts) while that session is live with the same key — the address
 * only, and the IPv4 checksum; the L4 checksum travels in the first fragment. Else
 * NAT_FRAGMENT_UNKNOWN.
 */
function laterFragment(inst: NatInstance, i: i32, d: usize, dir: u32, ip: usize, src: u32, dst: u32, proto: u32): i32 {
  const s = fragFind(changetype<usize>(inst), dir, src, dst, proto, <u32>bswap<u16>(load<u16>(ip, IP_ID)), natNow);
  if (s < 0 || <u32>s >= inst.capacity) return refuse(inst, i, d, dir, DROP_NAT_FRAGMENT_UNKNOWN);
  const r = sessionRec(inst, <u32>s);
  const addrs = load<u64>(ip, IP_SRC);
  if (
    (load<u8>(r, S_FLAGS) & SF_IN_USE) == 0 || <u32>load<u8>(r, S_PROTO) != proto || natNow >= load<u32>(r, S_EXPIRY) ||
    (dir == 0 ? load<u64>(r, S_INT) : load<u64>(r, S_REM)) != addrs
  ) {
    return refuse(inst, i, d, dir, DROP_NAT_FRAGMENT_UNKNOWN);
  }
  const oldAddr = dir == 0 ? src : dst;
  const newAddr = dir == 0 ? load<u32>(r, S_EXT) : load<u32>(r, S_INT);
  store<u32>(ip + <usize>(dir == 0 ? IP_SRC : IP_DST), newAddr);
  store<u16>(ip, csumUpdate32(load<u16>(ip, IP_CHECKSUM), oldAddr, newAddr), IP_CHECKSUM);
  if (tracing) {
    traceEvent(i, STAGE, A_TRANSLATE, s, FIELD_NONE, 0, 0);
    if (oldAddr != newAddr) {
      traceEvent(i, STAGE, A_TRANSLATE, s, dir == 0 ? FIELD_IP_SRC : FIELD_IP_DST, <u64>bswap<u32>(oldAddr), <u64>bswap<u32>(newAddr));
    }
  }
  store<u32>(d, <u32>s, D_AUX);
  return 0;
}

/** A packet NAT will not translate: dropped, or with inboundMissPasses an inbound one that found no
 *  session or mapping (or is not translatable) passes on untranslated, to the host's own stack. */
function refuse(inst: NatInstance, i: i32, d: usize, dir: u32, reason: u8): i32 {
  if (
    dir == 1 && inst.inboundMissPasses != 0 &&
    (reason == DROP_NAT_NO_MAPPING || reason == DROP_NAT_UNSUPPORTED || reason == DROP_NAT_FRAGMENT_UNKNOWN)
  ) {
    return passUntranslated(i);
  }
  dropPacket(d, i, STAGE, reason);
  return 1;
}

function passUntranslated(i: i32): i32 {
  if (tracing) traceEvent(i, STAGE, A_PASS, -1, FIELD_NONE, 0, 0);
  return 0;
}

/**
 * Writes the session's translation into the packet and patches the checksums (RFC 1624 eqn. 3 on
 * the words as loaded: the ones'-complement sum does not depend on byte order, RFC 1071 §2(B)).
 * TCP and UDP checksums cover the addresses through the pseudo-header; ICMP's does not.
 */
// @ts-ignore: decorator
@inline function rewrite(ip: usize, l4: usize, proto: u32, dir: u32, r: usize, i: i32, s: i32, action: i32, traced: bool): void {
  const newAddr = dir == 0 ? load<u32>(r, S_EXT) : load<u32>(r, S_INT);
  const newPort = dir == 0 ? load<u16>(r, S_EXT_PORT) : load<u16>(r, S_INT_PORT);
  rewriteTo(ip, l4, proto, dir, newAddr, newPort, i, s, action, traced);
}

/** Writes `newAddr` and `newPort` (as loaded from a session) over the source (outbound) or the
 *  destination (inbound) and updates the checksums. */
// @ts-ignore: decorator
@inline function rewriteTo(
  ip: usize, l4: usize, proto: u32, dir: u32, newAddr: u32, newPort: u16, i: i32, s: i32, action: i32, traced: bool,
): void {
  let oldAddr: u32;
  let portAt: usize;
  if (dir == 0) {
    oldAddr = load<u32>(ip, IP_SRC);
    store<u32>(ip, newAddr, IP_SRC);
    portAt = proto == PROTO_ICMP ? l4 + <usize>ICMP_ID : l4;
  } else {
    oldAddr = load<u32>(ip, IP_DST);
    store<u32>(ip, newAddr, IP_DST);
    portAt = proto == PROTO_ICMP ? l4 + <usize>ICMP_ID : l4 + <usize>UDP_DPORT;
  }
  const oldPort = load<u16>(portAt);
  store<u16>(portAt, newPort);
  store<u16>(ip, csumUpdate32(load<u16>(ip, IP_CHECKSUM), oldAddr, newAddr), IP_CHECKSUM);
  if (proto == PROTO_TCP) {
    const c = csumUpdate32(load<u16>(l4, TCP_CHECKSUM), oldAddr, newAddr);
    store<u16>(l4, csumUpdate16(c, oldPort, newPort), TCP_CHECKSUM);
  } else if (proto == PROTO_UDP) {
    const c0 = load<u16>(l4, UDP_CHECKSUM);
    if (c0 != 0) {
      const c = csumUpdate16(csumUpdate32(c0, oldAddr, newAddr), oldPort, newPort);
      store<u16>(l4, c == 0 ? <u16>0xffff : c, UDP_CHECKSUM);
    }
  } else {
    store<u16>(l4, csumUpdate16(load<u16>(l4, ICMP_CHECKSUM), oldPort, newPort), ICMP_CHECKSUM);
  }
  if (traced) {
    if (oldAddr != newAddr) {
      traceEvent(i, STAGE, action, s, dir == 0 ? FIELD_IP_SRC : FIELD_IP_DST,
        <u64>bswap<u32>(oldAddr), <u64>bswap<u32>(newAddr));
    }
    if (oldPort != newPort) {
      const field = proto == PROTO_ICMP ? FIELD_ICMP_ID : dir == 0 ? FIELD_SPORT : FIELD_DPORT;
      traceEvent(i, STAGE, action, s, field, <u64>bswap<u16>(oldPort), <u64>bswap<u16>(newPort));
    }
  }
}
