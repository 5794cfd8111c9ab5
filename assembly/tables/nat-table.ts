// WinNAT's tables for the nat stage: per NAT instance a session table (fixed capacity, chosen at
// load), an endpoint-independent mapping table (one external port per internal endpoint, RFC 4787
// REQ-1, shared by all of that endpoint's sessions), the static mappings of published ports, and
// the external port pools. The control-plane half (nat_configure, nat_flush) and the slow path
// (lookup with lazy expiry, session creation) live here; the stage's batch loop is in
// assembly/stages/nat.ts. The twin is src/engine/reference/nat.ts: same allocation order, same
// expiry and reclaim order, same capacity behaviour.
//
// Byte order: addresses and ports are kept as `load<u32>`/`load<u16>` return them from a packet
// (network order bytes), so keys compare with one u64 and one u32 load. Host order appears only in
// hashes (the parse stage's flow hash, assembly/tables/flow-hash.ts), in the pools and in traces.
//
// Session record (SESSION_SIZE bytes):
//    0 u32 internal address        4 u32 remote address         8 u32 external address
//   12 u16 internal port / echo id 14 u16 remote port (ICMP: 0) 16 u16 external port / echo id
//   18 u8 protocol                 19 u8 flags (SF_*)           20 u32 expiry (NAT clock, seconds)
//   24 u32 dynamic mapping index (NO_MAPPING_INDEX for a published port's session)
//   28 u32 creation time
// Keys, as a packet carries them (ports word = load<u32> at the L4 header; ICMP: the identifier):
//   forward (outbound lookup) = (proto, internal, remote, internal port | remote port << 16)
//   reverse (inbound lookup)  = (proto, remote, external, remote port | external port << 16)
// so the forward key is the u64 at 0 and the u32 at 12, the reverse key the u64 at 4 and the u32
// at 14. ICMP echo: outbound ports word = identifier, inbound = identifier << 16.
import { tablesChanged } from './generation';
import { flowHash } from './flow-hash';
import { indexSlotsFor, indexInsert, indexRemove, indexNext, indexRef } from './nat-index';
import { alloc, Directory, dirFind, dirRecord, free, ringSlots } from '../memory';
import { MAX_BATCH } from '../abi';
import { DROP_NAT_NO_MAPPING, DROP_NAT_POOL_EXHAUSTED, DROP_NAT_TABLE_FULL } from '../drops';

/** Instance ids (numbering: WinNAT, VFP outbound NAT, localhost, then one per service VIP). */
export const NAT_MAX_INSTANCES: u32 = 1 << 18;
/** Internal prefixes of one instance (WinNAT: one per nat network): more than a script can create. */
export const NAT_MAX_PREFIXES: u32 = 1 << 18;
export const NAT_MAX_CAPACITY: u32 = 1 << 22;
export const NAT_MAX_STATICS: u32 = 2 * 65536;
export const NAT_IMAGE_MAGIC: u32 = 0x3154414e; // "NAT1"
export const NAT_IMAGE_HEADER: u32 = 64;
export const NAT_PREFIX_SIZE: u32 = 8;
export const NAT_STATIC_IMAGE_SIZE: u32 = 12;
// The configuration image's header fields (byte offsets; src/table-images/nat.ts writes them).
export const NI_MAGIC: i32 = 0;
export const NI_EXTERNAL: i32 = 4;
export const NI_CAPACITY: i32 = 8;
export const NI_PORT_FIRST: i32 = 12;
export const NI_PORT_LAST: i32 = 16;
export const NI_TCP_ESTABLISHED: i32 = 20;
export const NI_TCP_TRANSIENT: i32 = 24;
export const NI_UDP_IDLE: i32 = 28;
export const NI_ICMP_QUERY: i32 = 32;
export const NI_FLAGS: i32 = 36;
export const NI_PREFIX_COUNT: i32 = 40;
export const NI_STATIC_COUNT: i32 = 44;
export const NI_LB_SEED: i32 = 48;
// NI_FLAGS bits.
export const NIF_UDP_INBOUND_REFRESH: u32 = 1;
export const NIF_NO_ICMP: u32 = 2;
export const NIF_INBOUND_MISS_PASSES: u32 = 4;
// A load balancer (VFP's, of a service VIP or a published ingress port): consecutive static mappings
// of one (protocol, external port) are its backends; a new inbound flow goes to the backend
// fmix32(flow hash ^ NI_LB_SEED) % count, and keeps it for the session's life.
export const NIF_LOAD_BALANCE: u32 = 8;
// A prefix record: network, mask. A static mapping record: internal address, internal port,
// external port, protocol.
export const NP_NETWORK: i32 = 0;
export const NP_MASK: i32 = 4;
export const NS_INT_ADDR: i32 = 0;
export const NS_INT_PORT: i32 = 4;
export const NS_EXT_PORT: i32 = 6;
export const NS_PROTO: i32 = 8;

// nat_configure results (src/table-images/nat.ts names them).
export const NAT_OK: i32 = 0;
export const NAT_ERR_INSTANCE: i32 = 1;
export const NAT_ERR_IMAGE: i32 = 2;
export const NAT_ERR_DUPLICATE_PORT: i32 = 3;

export const SESSION_SIZE: i32 = 32;
export const S_INT: i32 = 0;
export const S_REM: i32 = 4;
export const S_EXT: i32 = 8;
export const S_INT_PORT: i32 = 12;
export const S_REM_PORT: i32 = 14;
export const S_EXT_PORT: i32 = 16;
export const S_PROTO: i32 = 18;
export const S_FLAGS: i32 = 19;
export const S_EXPIRY: i32 = 20;
export const S_MAPPING: i32 = 24;
export const S_CREATED: i32 = 28;

export const SF_IN_USE: u8 = 1;
export const SF_STATIC: u8 = 2;
export const SF_SEEN_OUT: u8 = 4;
export const SF_SEEN_IN: u8 = 8;
export const SF_CLOSING: u8 = 16;

export const MAPPING_SIZE: i32 = 16;
export const M_INT: i32 = 0;
export const M_INT_PORT: i32 = 4;
export const M_EXT_PORT: i32 = 6;
export const M_REFS: i32 = 8;
export const M_PROTO: i32 = 12;
export const M_IN_USE: i32 = 13;

const STATIC_SIZE: i32 = 12;
const T_INT: i32 = 0;
const T_INT_PORT: i32 = 4;
const T_EXT_PORT: i32 = 6;
const T_PROTO: i32 = 8;
/** On the first mapping of a load balancer's group: how many backends the group has (else 1). */
const T_GROUP: i32 = 10;

export const NO_MAPPING_INDEX: u32 = 0xffffffff;
const NEVER: u32 = 0xffffffff;
const PORT_SPACE: u32 = 65536;
const PROTO_ICMP: u32 = 1;
const PROTO_TCP: u32 = 6;
const PROTO_UDP: u32 = 17;
const TCP_FIN_RST: u8 = 0x05;

/** One NAT instance (a WinNAT with its internal prefixes); laid out in linear memory. */
@unmanaged export class NatInstance {
  configured: u32;
  extAddr: u32;
  prefixCount: u32;
  prefixes: usize;
  capacity: u32;
  allocCapacity: u32;
  sessions: usize;
  sessionCount: u32;
  freeSessions: usize;
  freeSessionTop: u32;
  index: usize;
  indexMask: u32;
  mapCapacity: u32;
  maps: usize;
  mapCount: u32;
  freeMaps: usize;
  freeMapTop: u32;
  mapIndex: usize;
  mapIndexMask: u32;
  staticCount: u32;
  staticAlloc: u32;
  statics: usize;
  staticExt: usize;
  staticIndex: usize;
  staticIndexMask: u32;
  portFirst: u32;
  portCount: u32;
  pools: usize;
  poolState: usize;
  tcpEstablished: u32;
  tcpTransient: u32;
  udpIdle: u32;
  icmpQuery: u32;
  udpInboundRefresh: u32;
  translateIcmp: u32;
  inboundMissPasses: u32;
  nextExpiry: u32;
  loadBalance: u32;
  lbSeed: u32;
  /** What alloc returned for `sessions` and `index` (they start on the next cache line), to free them. */
  sessionsRaw: usize;
  indexRaw: usize;
  /** Prefixes the `prefixes` region holds. */
  prefixAlloc: u32;
  /** Ports each class's ring in `pools` holds (the largest port range configured). */
  poolStride: u32;
  /** Sessions (mappings) from this index on were never used: free without being on the stack, so a
   *  table costs memory for the records it reached, not its capacity. */
  sessionNext: u32;
  mapNext: u32;
}

/** The NAT clock (seconds), set by the engine; shared by every instance. */
export let natNow: u32 = 0;
/** Instances by id, grown to the highest id loaded. */
export const natDirectory = changetype<Directory>(memory.data(16, 16));
/** Per-packet scratch of the batch passes: u32 hash, i32 candidate (see stages/nat.ts). */
export let natScratch: usize = 0;
/** Set while nat_configure rebuilds the pools: freed ports are not queued one by one. */
let poolsFrozen = false;
let heldPorts: usize = 0;

/**
 * The NAT clock's stamp: moved whenever natNow changes (never 0 in its low 16 bits). A UFT entry
 * keeps the low 16 bits of the stamp under which its flow last refreshed its session
 * (assembly/tables/uft.ts E_NAT_CLOCK): under the same stamp the session cannot have expired (its
 * expiry lies after natNow) nor been freed (only an expired session is freed, and a NAT
 * reconfiguration or flush moves the tables generation), and refreshing it again changes nothing
 * (a refresh sets the expiry from natNow and flags that only grow). When the low 16 bits wrap, the
 * tables generation moves, so no entry can mistake an old stamp for the current one.
 */
export let natClock: u32 = 1;

export function setNatNow(seconds: u32): void {
  if (seconds == natNow) return;
  natNow = seconds;
  natClock++;
  if ((natClock & 0xffff) == 0) {
    natClock++;
    tablesChanged();
  }
}

/** The configured instance `id`, or 0. */
export function natInstance(id: u32): usize {
  const r = dirFind(natDirectory, id, 4);
  const p = r == 0 ? 0 : <usize>load<u32>(r);
  if (p == 0 || changetype<NatInstance>(p).configured == 0) return 0;
  return p;
}

// ---- small helpers ------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function portClass(proto: u32): u32 {
  return proto == PROTO_TCP ? 0 : proto == PROTO_UDP ? 1 : 2;
}

// @ts-ignore: decorator
@inline export function sessionRec(inst: NatInstance, s: u32): usize {
  return inst.sessions + (<usize>s << 5);
}

// @ts-ignore: decorator
@inline function mapRec(inst: NatInstance, m: u32): usize {
  return inst.maps + (<usize>m << 4);
}

// @ts-ignore: decorator
@inline function staticRec(inst: NatInstance, t: u32): usize {
  return inst.statics + <usize>(t * <u32>STATIC_SIZE);
}

/** Static mapping index + 1 for (class, external port in host order); 0 = none. */
// @ts-ignore: decorator
@inline function staticExtSlot(inst: NatInstance, cls: u32, portHost: u32): usize {
  return inst.staticExt + (<usize>(cls * PORT_SPACE + portHost) << 2);
}

/** The published mapping (index + 1) of an external port, 0 when none. An instance that never had
 *  a published port has no external-port map (a 512 KiB region only WinNAT with ports needs). */
// @ts-ignore: decorator
@inline function staticAt(inst: NatInstance, cls: u32, portHost: u32): u32 {
  return inst.staticExt == 0 ? 0 : load<u32>(staticExtSlot(inst, cls, portHost));
}

// @ts-ignore: decorator
@inline function saturatingAdd(a: u32, b: u32): u32 {
  const s = <u64>a + <u64>b;
  return s > <u64>NEVER ? NEVER : <u32>s;
}

/** The flow hash's ports word (host order, as parse builds it) of a key's ports word. */
// @ts-ignore: decorator
@inline function hashPorts(ports: u32, proto: u32): u32 {
  if (proto == PROTO_ICMP) return bswap<u32>((ports | (ports >> 16)) & 0xffff);
  return bswap<u32>(ports);
}

/** The hash of a key (addresses and ports as loaded): equals the D_HASH parse gives a packet. */
// @ts-ignore: decorator
@inline export function keyHash(src: u32, dst: u32, ports: u32, proto: u32): u32 {
  return flowHash(bswap<u32>(src), bswap<u32>(dst), hashPorts(ports, proto), proto);
}

// @ts-ignore: decorator
@inline function endpointHash(addr: u32, port: u32, proto: u32): u32 {
  return flowHash(bswap<u32>(addr), 0, <u32>bswap<u16>(<u16>port), proto | 0x100);
}

export function isInternal(inst: NatInstance, addr: u32): bool {
  const p = inst.prefixes;
  const k = inst.prefixCount;
  for (let i: u32 = 0; i < k; i++) {
    const e = p + (<usize>i << 3);
    if ((addr & load<u32>(e, 4)) == load<u32>(e, 0)) return true;
  }
  return false;
}

// ---- pools --------------------------------------------------------------------------------------
// One FIFO ring of host-order ports per class (TCP, UDP, ICMP identifiers): allocation takes the
// head, a released port joins the tail, so a port is reused as late as possible. A fresh pool holds
// the range in ascending order without the published (static) ports of its protocol.

// @ts-ignore: decorator
@inline function poolRing(inst: NatInstance, cls: u32): usize {
  return inst.pools + (<usize>(cls * inst.poolStride) << 1);
}

export function poolFree(inst: NatInstance, cls: u32): u32 {
  return load<u32>(inst.poolState + (<usize>cls << 3), 4);
}

function poolPush(inst: NatInstance, cls: u32, portHost: u32): void {
  if (poolsFrozen) return;
  const st = inst.poolState + (<usize>cls << 3);
  const head = load<u32>(st, 0);
  const count = load<u32>(st, 4);
  if (count >= inst.portCount) return;
  let pos = head + count;
  if (pos >= inst.portCount) pos -= inst.portCount;
  store<u16>(poolRing(inst, cls) + (<usize>pos << 1), <u16>portHost);
  store<u32>(st, count + 1, 4);
}

function poolPop(inst: NatInstance, cls: u32): u32 {
  const st = inst.poolState + (<usize>cls << 3);
  const head = load<u32>(st, 0);
  const port = <u32>load<u16>(poolRing(inst, cls) + (<usize>head << 1));
  let next = head + 1;
  if (next >= inst.portCount) next = 0;
  store<u32>(st, next, 0);
  store<u32>(st, load<u32>(st, 4) - 1, 4);
  return port;
}

/** Refills the pools in ascending order: the range minus published ports minus live mappings' ports. */
function rebuildPools(inst: NatInstance): void {
  memory.fill(heldPorts, 0, 3 * PORT_SPACE);
  for (let m: u32 = 0; m < inst.mapCapacity; m++) {
    const r = mapRec(inst, m);
    if (load<u8>(r, M_IN_USE) == 0) continue;
    const cls = portClass(<u32>load<u8>(r, M_PROTO));
    store<u8>(heldPorts + <usize>(cls * PORT_SPACE + <u32>bswap<u16>(load<u16>(r, M_EXT_PORT))), 1);
  }
  for (let cls: u32 = 0; cls < 3; cls++) {
    const st = inst.poolState + (<usize>cls << 3);
    store<u32>(st, 0, 0);
    store<u32>(st, 0, 4);
    for (let k: u32 = 0; k < inst.portCount; k++) {
      const port = inst.portFirst + k;
      if (cls < 2 && staticAt(inst, cls, port) != 0) continue;
      if (load<u8>(heldPorts + <usize>(cls * PORT_SPACE + port)) != 0) continue;
      poolPush(inst, cls, port);
    }
  }
}

// ---- endpoint mappings (dynamic) and static mappings ----------------------------------------------

function mapFind(inst: NatInstance, proto: u32, addr: u32, port: u32): i32 {
  const h = endpointHash(addr, port, proto);
  const idx = inst.mapIndex;
  const mask = inst.mapIndexMask;
  let pos = indexNext(idx, mask, h, h & mask);
  while (pos >= 0) {
    const m = indexRef(idx, <u32>pos) - 1;
    const r = mapRec(inst, m);
    if (load<u32>(r, M_INT) == addr && <u32>load<u16>(r, M_INT_PORT) == port && <u32>load<u8>(r, M_PROTO) == proto) {
      return <i32>m;
    }
    pos = indexNext(idx, mask, h, (<u32>pos + 1) & mask);
  }
  return -1;
}

function mapAdd(inst: NatInstance, proto: u32, addr: u32, port: u32, extPort: u32): u32 {
  let m: u32;
  if (inst.freeMapTop > 0) {
    inst.freeMapTop--;
    m = load<u32>(inst.freeMaps + (<usize>inst.freeMapTop << 2));
  } else m = inst.mapNext++;
  const r = mapRec(inst, m);
  store<u32>(r, addr, M_INT);
  store<u16>(r, <u16>port, M_INT_PORT);
  store<u16>(r, <u16>extPort, M_EXT_PORT);
  store<u32>(r, 0, M_REFS);
  store<u8>(r, <u8>proto, M_PROTO);
  store<u8>(r, 1, M_IN_USE);
  indexInsert(inst.mapIndex, inst.mapIndexMask, endpointHash(addr, port, proto), m + 1);
  inst.mapCount++;
  return m;
}

/** Drops one session's reference; the last one frees the mapping and queues its port. */
function mapRelease(inst: NatInstance, m: u32): void {
  const r = mapRec(inst, m);
  const refs = load<u32>(r, M_REFS) - 1;
  store<u32>(r, refs, M_REFS);
  if (refs != 0) return;
  const proto = <u32>load<u8>(r, M_PROTO);
  const addr = load<u32>(r, M_INT);
  const port = <u32>load<u16>(r, M_INT_PORT);
  indexRemove(inst.mapIndex, inst.mapIndexMask, endpointHash(addr, port, proto), m + 1);
  store<u8>(r, 0, M_IN_USE);
  store<u32>(inst.freeMaps + (<usize>inst.freeMapTop << 2), m);
  inst.freeMapTop++;
  inst.mapCount--;
  poolPush(inst, portClass(proto), <u32>bswap<u16>(load<u16>(r, M_EXT_PORT)));
}

/** The first static mapping (in load order) of internal endpoint (proto, addr, port), or -1. */
function staticFindInt(inst: NatInstance, proto: u32, addr: u32, port: u32): i32 {
  if (inst.staticCount == 0) return -1;
  const h = endpointHash(addr, port, proto);
  const idx = inst.staticIndex;
  const mask = inst.staticIndexMask;
  let pos = indexNext(idx, mask, h, h & mask);
  while (pos >= 0) {
    const t = indexRef(idx, <u32>pos) - 1;
    const r = staticRec(inst, t);
    if (load<u32>(r, T_INT) == addr && <u32>load<u16>(r, T_INT_PORT) == port && <u32>load<u8>(r, T_PROTO) == proto) {
      return <i32>t;
    }
    pos = indexNext(idx, mask, h, (<u32>pos + 1) & mask);
  }
  return -1;
}

// ---- sessions -------------------------------------------------------------------------------------

/** The session whose key in direction `dir` (0 forward, 1 reverse) is the given one, or -1. */
export function sessionFind(inst: NatInstance, h: u32, dir: u32, addrs: u64, ports: u32, proto: u32): i32 {
  const idx = inst.index;
  const mask = inst.indexMask;
  let pos = indexNext(idx, mask, h, h & mask);
  while (pos >= 0) {
    const ref = indexRef(idx, <u32>pos) - 1;
    if ((ref & 1) == dir) {
      const s = ref >> 1;
      const r = sessionRec(inst, s);
      if (<u32>load<u8>(r, S_PROTO) == proto) {
        if (dir == 0) {
          if (load<u64>(r, S_INT) == addrs && load<u32>(r, S_INT_PORT) == ports) return <i32>s;
        } else {
          if (load<u64>(r, S_REM) == addrs && load<u32>(r, S_REM_PORT) == ports) return <i32>s;
        }
      }
    }
    pos = indexNext(idx, mask, h, (<u32>pos + 1) & mask);
  }
  return -1;
}

/** sessionFind, then lazy expiry: an expired session is reclaimed on the spot and reported absent. */
export function sessionFindLive(inst: NatInstance, h: u32, dir: u32, addrs: u64, ports: u32, proto: u32): i32 {
  const s = sessionFind(inst, h, dir, addrs, ports, proto);
  if (s < 0) return -1;
  if (natNow >= load<u32>(sessionRec(inst, <u32>s), S_EXPIRY)) {
    sessionFree(inst, <u32>s);
    return -1;
  }
  return s;
}

export function sessionFree(inst: NatInstance, s: u32): void {
  const r = sessionRec(inst, s);
  const proto = <u32>load<u8>(r, S_PROTO);
  const flags = load<u8>(r, S_FLAGS);
  const fwd = keyHash(load<u32>(r, S_INT), load<u32>(r, S_REM), load<u32>(r, S_INT_PORT), proto);
  const rev = keyHash(load<u32>(r, S_REM), load<u32>(r, S_EXT), load<u32>(r, S_REM_PORT), proto);
  indexRemove(inst.index, inst.indexMask, fwd, (s << 1) + 1);
  indexRemove(inst.index, inst.indexMask, rev, (s << 1) + 2);
  if ((flags & SF_STATIC) == 0) mapRelease(inst, load<u32>(r, S_MAPPING));
  store<u8>(r, 0, S_FLAGS);
  store<u32>(inst.freeSessions + (<usize>inst.freeSessionTop << 2), s);
  inst.freeSessionTop++;
  inst.sessionCount--;
}

/**
 * Reclaims every expired session, in ascending index order, when the table or a pool runs short.
 * `nextExpiry` is a lower bound of every live session's expiry, so the scan is skipped while
 * nothing can have expired (it changes nothing then).
 */
export function reclaimExpired(inst: NatInstance): void {
  const now = natNow;
  if (now < inst.nextExpiry) return;
  let next = NEVER;
  const cap = inst.capacity;
  for (let s: u32 = 0; s < cap; s++) {
    const r = sessionRec(inst, s);
    if ((load<u8>(r, S_FLAGS) & SF_IN_USE) == 0) continue;
    const e = load<u32>(r, S_EXPIRY);
    if (now >= e) sessionFree(inst, s);
    else if (e < next) next = e;
  }
  inst.nextExpiry = next;
}

function sessionAdd(
  inst: NatInstance, intAddr: u32, remAddr: u32, intPort: u32, remPort: u32, extPort: u32, proto: u32,
  flags: u8, mapping: u32, fwdHash: u32, revHash: u32,
): u32 {
  let s: u32;
  if (inst.freeSessionTop > 0) {
    inst.freeSessionTop--;
    s = load<u32>(inst.freeSessions + (<usize>inst.freeSessionTop << 2));
  } else s = inst.sessionNext++;
  const r = sessionRec(inst, s);
  store<u32>(r, intAddr, S_INT);
  store<u32>(r, remAddr, S_REM);
  store<u32>(r, inst.extAddr, S_EXT);
  store<u16>(r, <u16>intPort, S_INT_PORT);
  store<u16>(r, <u16>remPort, S_REM_PORT);
  store<u16>(r, <u16>extPort, S_EXT_PORT);
  store<u8>(r, <u8>proto, S_PROTO);
  store<u8>(r, flags | SF_IN_USE, S_FLAGS);
  store<u32>(r, natNow, S_EXPIRY);
  store<u32>(r, mapping, S_MAPPING);
  store<u32>(r, natNow, S_CREATED);
  indexInsert(inst.index, inst.indexMask, fwdHash, (s << 1) + 1);
  indexInsert(inst.index, inst.indexMask, revHash, (s << 1) + 2);
  inst.sessionCount++;
  return s;
}

/**
 * First outbound packet of a flow: the internal endpoint's translation is its published port when
 * it has one, else its live dynamic mapping, else a new mapping with the pool's next port.
 * Returns the session index, or -(drop reason).
 */
export function createOutbound(inst: NatInstance, src: u32, dst: u32, ports: u32, proto: u32, h: u32): i32 {
  if (inst.sessionCount >= inst.capacity) {
    reclaimExpired(inst);
    if (inst.sessionCount >= inst.capacity) return -(<i32>DROP_NAT_TABLE_FULL);
  }
  const intPort = ports & 0xffff;
  const remPort = ports >> 16;
  let extPort: u32;
  let mapping = NO_MAPPING_INDEX;
  let flags: u8 = 0;
  const t = proto == PROTO_ICMP ? -1 : staticFindInt(inst, proto, src, intPort);
  if (t >= 0) {
    extPort = <u32>load<u16>(staticRec(inst, <u32>t), T_EXT_PORT);
    flags = SF_STATIC;
  } else {
    let m = mapFind(inst, proto, src, intPort);
    if (m < 0) {
      const cls = portClass(proto);
      if (poolFree(inst, cls) == 0) {
        reclaimExpired(inst);
        if (poolFree(inst, cls) == 0) return -(<i32>DROP_NAT_POOL_EXHAUSTED);
      }
      m = <i32>mapAdd(inst, proto, src, intPort, <u32>bswap<u16>(<u16>poolPop(inst, cls)));
    }
    const r = mapRec(inst, <u32>m);
    store<u32>(r, load<u32>(r, M_REFS) + 1, M_REFS);
    extPort = <u32>load<u16>(r, M_EXT_PORT);
    mapping = <u32>m;
  }
  const revPorts = remPort | (extPort << 16);
  const rev = keyHash(dst, inst.extAddr, revPorts, proto);
  return <i32>sessionAdd(inst, src, dst, intPort, remPort, extPort, proto, flags, mapping, h, rev);
}

/** A load balancer's choice among `count` backends for a new flow of hash `h`: deterministic in the
 *  5-tuple and the seed (the twin is lbPick in src/engine/reference/nat.ts). */
export function lbPick(h: u32, seed: u32, count: u32): u32 {
  let x = h ^ seed;
  x ^= x >> 16;
  x *= 0x85ebca6b;
  x ^= x >> 13;
  x *= 0xc2b2ae35;
  x ^= x >> 16;
  return x % count;
}

/**
 * Unsolicited inbound packet: a published port (static mapping) of its protocol opens a session to
 * the internal endpoint. Returns the session index, or -(drop reason).
 */
export function createInbound(inst: NatInstance, src: u32, ports: u32, proto: u32, h: u32): i32 {
  if (proto == PROTO_ICMP) return -(<i32>DROP_NAT_NO_MAPPING);
  const remPort = ports & 0xffff;
  const extPort = ports >> 16;
  const slot = staticAt(inst, portClass(proto), <u32>bswap<u16>(<u16>extPort));
  if (slot == 0) return -(<i32>DROP_NAT_NO_MAPPING);
  let tr = staticRec(inst, slot - 1);
  const group = <u32>load<u16>(tr, T_GROUP);
  if (group > 1) tr = staticRec(inst, slot - 1 + lbPick(h, inst.lbSeed, group));
  const intAddr = load<u32>(tr, T_INT);
  const intPort = <u32>load<u16>(tr, T_INT_PORT);
  // Every session joins an internal endpoint to an outside one (the fast path relies on it): a
  // mapping to an address outside the internal prefixes, or a sender inside them, gets nothing.
  if (!isInternal(inst, intAddr) || isInternal(inst, src)) return -(<i32>DROP_NAT_NO_MAPPING);
  if (inst.sessionCount >= inst.capacity) {
    reclaimExpired(inst);
    if (inst.sessionCount >= inst.capacity) return -(<i32>DROP_NAT_TABLE_FULL);
  }
  const fwdPorts = intPort | (remPort << 16);
  const fwd = keyHash(intAddr, src, fwdPorts, proto);
  // The internal endpoint already talks to this remote endpoint through another external port
  // (it is published twice): one forward key cannot carry two translations.
  if (sessionFindLive(inst, fwd, 0, <u64>intAddr | (<u64>src << 32), fwdPorts, proto) >= 0) {
    return -(<i32>DROP_NAT_NO_MAPPING);
  }
  return <i32>sessionAdd(inst, intAddr, src, intPort, remPort, extPort, proto, SF_STATIC, NO_MAPPING_INDEX, fwd, h);
}

/**
 * After a session carried a packet (or was created by it): marks the direction seen, notes a TCP
 * FIN/RST, and sets the expiry from the timeout of the session's state. UDP sessions are refreshed
 * by inbound packets only with udpInboundRefresh (Get-NetNat UdpInboundRefresh, False by default).
 */
// @ts-ignore: decorator
@inline export function sessionTouch(inst: NatInstance, r: usize, dir: u32, proto: u32, l4: usize, created: bool): void {
  let flags = load<u8>(r, S_FLAGS) | (dir == 0 ? SF_SEEN_OUT : SF_SEEN_IN);
  let exp = load<u32>(r, S_EXPIRY);
  if (proto == PROTO_TCP) {
    if ((load<u8>(l4, 13) & TCP_FIN_RST) != 0) flags |= SF_CLOSING;
    const established = (flags & (SF_SEEN_OUT | SF_SEEN_IN | SF_CLOSING)) == (SF_SEEN_OUT | SF_SEEN_IN);
    exp = saturatingAdd(natNow, established ? inst.tcpEstablished : inst.tcpTransient);
  } else if (proto == PROTO_UDP) {
    if (created || dir == 0 || inst.udpInboundRefresh != 0) exp = saturatingAdd(natNow, inst.udpIdle);
  } else {
    exp = saturatingAdd(natNow, inst.icmpQuery);
  }
  // Most packets of a flow change neither (same second, same state): leave the line clean then.
  if (flags != load<u8>(r, S_FLAGS)) store<u8>(r, flags, S_FLAGS);
  if (exp != load<u32>(r, S_EXPIRY)) {
    store<u32>(r, exp, S_EXPIRY);
    if (exp < inst.nextExpiry) inst.nextExpiry = exp;
  }
}

// ---- control plane --------------------------------------------------------------------------------

/** Back to the empty state: no sessions, no dynamic mappings, free lists in their initial order. */
/** Empties the sessions and mappings; `zeroed` when the regions were just allocated (zero already). */
function resetSessions(inst: NatInstance, zeroed: bool = false): void {
  if (!zeroed) {
    // Only what was ever used can be non-zero.
    memory.fill(inst.sessions, 0, <usize>inst.sessionNext << 5);
    memory.fill(inst.index, 0, (<usize>inst.indexMask + 1) << 3);
    memory.fill(inst.maps, 0, <usize>inst.mapNext << 4);
    memory.fill(inst.mapIndex, 0, (<usize>inst.mapIndexMask + 1) << 3);
  }
  // Pop order 0, 1, 2, ...: records never used are taken in ascending order, freed ones first.
  inst.freeSessionTop = 0;
  inst.sessionNext = 0;
  inst.sessionCount = 0;
  inst.freeMapTop = 0;
  inst.mapNext = 0;
  inst.mapCount = 0;
  inst.nextExpiry = NEVER;
}

/** Does a live session still agree with the (new) configuration? */
function sessionConsistent(inst: NatInstance, r: usize): bool {
  const intAddr = load<u32>(r, S_INT);
  if (!isInternal(inst, intAddr) || isInternal(inst, load<u32>(r, S_REM))) return false;
  const proto = <u32>load<u8>(r, S_PROTO);
  if (proto == PROTO_ICMP && inst.translateIcmp == 0) return false;
  const cls = portClass(proto);
  const intPort = <u32>load<u16>(r, S_INT_PORT);
  const extHost = <u32>bswap<u16>(load<u16>(r, S_EXT_PORT));
  if ((load<u8>(r, S_FLAGS) & SF_STATIC) != 0) {
    const slot = staticAt(inst, cls, extHost);
    if (slot == 0) return false;
    const group = <u32>load<u16>(staticRec(inst, slot - 1), T_GROUP);
    for (let k: u32 = 0; k < group; k++) {
      const tr = staticRec(inst, slot - 1 + k);
      if (load<u32>(tr, T_INT) == intAddr && <u32>load<u16>(tr, T_INT_PORT) == intPort) return true;
    }
    return false;
  }
  if (extHost < inst.portFirst || extHost >= inst.portFirst + inst.portCount) return false;
  if (cls < 2) {
    if (staticAt(inst, cls, extHost) != 0) return false;
    if (staticFindInt(inst, proto, intAddr, intPort) >= 0) return false;
  }
  return true;
}

/** The first cache line of a region from alloc(size + 64), so a 32-byte session record never straddles two. */
// @ts-ignore: decorator
@inline function lineOf(raw: usize): usize {
  return (raw + 63) & ~(<usize>63);
}

function ensureScratch(): void {
  if (natScratch == 0) {
    const slots = ringSlots > MAX_BATCH ? ringSlots : MAX_BATCH;
    natScratch = alloc(<u32>slots << 3);
    heldPorts = alloc(3 * PORT_SPACE);
  }
}

/** Whether two static mapping image records name the same (protocol, external port). */
// @ts-ignore: decorator
@inline function sameStaticPort(a: usize, b: usize): bool {
  return load<u8>(a, NS_PROTO) == load<u8>(b, NS_PROTO) && load<u16>(a, NS_EXT_PORT) == load<u16>(b, NS_EXT_PORT);
}

/**
 * Loads (or reloads) instance `id` from a configuration image (layout: src/table-images/nat.ts). A new
 * capacity or external address starts from an empty table; otherwise live sessions are kept except
 * those the new configuration contradicts (expired ones, internal address no longer inside a prefix,
 * dynamic port now outside the range or published, published mapping gone or changed), reclaimed in
 * ascending index order, and the pools are rebuilt in ascending order.
 */
export function natConfigure(id: u32, image: usize, len: u32): i32 {
  if (id >= NAT_MAX_INSTANCES) return NAT_ERR_INSTANCE;
  if (len < NAT_IMAGE_HEADER || load<u32>(image, NI_MAGIC) != NAT_IMAGE_MAGIC) return NAT_ERR_IMAGE;
  const capacity = load<u32>(image, NI_CAPACITY);
  const portFirst = load<u32>(image, NI_PORT_FIRST);
  const portLast = load<u32>(image, NI_PORT_LAST);
  const prefixCount = load<u32>(image, NI_PREFIX_COUNT);
  const staticCount = load<u32>(image, NI_STATIC_COUNT);
  if (capacity == 0 || capacity > NAT_MAX_CAPACITY) return NAT_ERR_IMAGE;
  if (portFirst == 0 || portFirst > portLast || portLast > 65535) return NAT_ERR_IMAGE;
  if (prefixCount > NAT_MAX_PREFIXES || staticCount > NAT_MAX_STATICS) return NAT_ERR_IMAGE;
  for (let k = NI_TCP_ESTABLISHED; k <= NI_ICMP_QUERY; k += 4) if (load<u32>(image + <usize>k) == 0) return NAT_ERR_IMAGE;
  const prefixBase = image + NAT_IMAGE_HEADER;
  const staticBase = prefixBase + <usize>(prefixCount * NAT_PREFIX_SIZE);
  if (<u64>len < <u64>NAT_IMAGE_HEADER + <u64>prefixCount * NAT_PREFIX_SIZE + <u64>staticCount * NAT_STATIC_IMAGE_SIZE) {
    return NAT_ERR_IMAGE;
  }
  for (let t: u32 = 0; t < staticCount; t++) {
    const e = staticBase + <usize>(t * NAT_STATIC_IMAGE_SIZE);
    const proto = <u32>load<u8>(e, NS_PROTO);
    if (proto != PROTO_TCP && proto != PROTO_UDP) return NAT_ERR_IMAGE;
    if (load<u16>(e, NS_EXT_PORT) == 0) return NAT_ERR_IMAGE;
  }

  ensureScratch();
  // An external port maps to one internal endpoint per protocol (WinNAT): refuse duplicates before
  // touching the instance, so a refused image leaves the previous configuration in force.
  // A load balancer's backends of one port are consecutive mappings; a port seen again later is a duplicate.
  const lb = (load<u32>(image, NI_FLAGS) & NIF_LOAD_BALANCE) != 0;
  memory.fill(heldPorts, 0, 2 * PORT_SPACE);
  for (let t: u32 = 0; t < staticCount; t++) {
    const e = staticBase + <usize>(t * NAT_STATIC_IMAGE_SIZE);
    if (lb && t > 0 && sameStaticPort(e, e - NAT_STATIC_IMAGE_SIZE)) continue;
    const seen = heldPorts + <usize>(portClass(<u32>load<u8>(e, NS_PROTO)) * PORT_SPACE + <u32>load<u16>(e, NS_EXT_PORT));
    if (load<u8>(seen) != 0) return NAT_ERR_DUPLICATE_PORT;
    store<u8>(seen, 1);
  }
  const slotAddr = dirRecord(natDirectory, id, 4);
  let p = <usize>load<u32>(slotAddr);
  if (p == 0) {
    p = alloc(<u32>offsetof<NatInstance>());
    store<u32>(slotAddr, <u32>p);
    const fresh = changetype<NatInstance>(p);
    fresh.poolState = alloc(3 * 8);
  }
  const inst = changetype<NatInstance>(p);

  // Published ports: clear the old ones, then add the new ones (checked for duplicates above).
  for (let t: u32 = 0; t < inst.staticCount; t++) {
    const r = staticRec(inst, t);
    store<u32>(staticExtSlot(inst, portClass(<u32>load<u8>(r, T_PROTO)), <u32>bswap<u16>(load<u16>(r, T_EXT_PORT))), 0);
  }
  inst.staticCount = 0;
  if (staticCount > 0 && inst.staticExt == 0) inst.staticExt = alloc(2 * PORT_SPACE * 4);
  for (let t: u32 = 0; t < staticCount; t++) {
    const e = staticBase + <usize>(t * NAT_STATIC_IMAGE_SIZE);
    if (lb && t > 0 && sameStaticPort(e, e - NAT_STATIC_IMAGE_SIZE)) continue;
    store<u32>(staticExtSlot(inst, portClass(<u32>load<u8>(e, NS_PROTO)), <u32>load<u16>(e, NS_EXT_PORT)), t + 1);
  }
  if (staticCount > inst.staticAlloc || inst.staticIndex == 0) {
    free(inst.statics);
    free(inst.staticIndex);
    inst.statics = alloc(staticCount * <u32>STATIC_SIZE + 16);
    inst.staticIndex = alloc(indexSlotsFor(staticCount) << 3);
    inst.staticAlloc = staticCount;
  }
  const sslots = indexSlotsFor(inst.staticAlloc);
  inst.staticIndexMask = sslots - 1;
  memory.fill(inst.staticIndex, 0, <usize>sslots << 3);
  for (let t: u32 = 0; t < staticCount; t++) {
    const e = staticBase + <usize>(t * NAT_STATIC_IMAGE_SIZE);
    const r = staticRec(inst, t);
    const addr = bswap<u32>(load<u32>(e, NS_INT_ADDR));
    const intPort = <u32>bswap<u16>(load<u16>(e, NS_INT_PORT));
    const proto = <u32>load<u8>(e, NS_PROTO);
    store<u32>(r, addr, T_INT);
    store<u16>(r, <u16>intPort, T_INT_PORT);
    store<u16>(r, bswap<u16>(load<u16>(e, NS_EXT_PORT)), T_EXT_PORT);
    store<u8>(r, <u8>proto, T_PROTO);
    let group: u32 = 1;
    if (lb && (t == 0 || !sameStaticPort(e, e - NAT_STATIC_IMAGE_SIZE))) {
      while (t + group < staticCount && sameStaticPort(e, e + <usize>(group * NAT_STATIC_IMAGE_SIZE))) group++;
    }
    store<u16>(r, <u16>group, T_GROUP);
    inst.staticCount = t;
    // Only the first mapping of an internal endpoint translates its outbound flows; a load balancer's
    // backends share a port, so their own outbound flows take pool ports (else two sessions could
    // share one reverse key).
    if (!lb && staticFindInt(inst, proto, addr, intPort) < 0) {
      indexInsert(inst.staticIndex, inst.staticIndexMask, endpointHash(addr, intPort, proto), t + 1);
    }
  }
  inst.staticCount = staticCount;

  const extAddr = bswap<u32>(load<u32>(image, NI_EXTERNAL));
  const fresh = inst.configured == 0 || inst.capacity != capacity || inst.extAddr != extAddr;
  let zeroed = false;
  if (inst.capacity != capacity) {
    const mcap = capacity < 3 * PORT_SPACE ? capacity : 3 * PORT_SPACE;
    // A larger capacity returns the regions of the smaller one; a smaller one keeps the larger regions.
    if (capacity > inst.allocCapacity) {
      free(inst.sessionsRaw);
      free(inst.freeSessions);
      free(inst.indexRaw);
      free(inst.maps);
      free(inst.freeMaps);
      free(inst.mapIndex);
      inst.sessionsRaw = alloc((capacity << 5) + 64);
      inst.sessions = lineOf(inst.sessionsRaw);
      inst.freeSessions = alloc(capacity << 2);
      inst.indexRaw = alloc((indexSlotsFor(2 * capacity) << 3) + 64);
      inst.index = lineOf(inst.indexRaw);
      inst.maps = alloc(mcap << 4);
      inst.freeMaps = alloc(mcap << 2);
      inst.mapIndex = alloc(indexSlotsFor(mcap) << 3);
      zeroed = true;
      inst.allocCapacity = capacity;
    }
    inst.capacity = capacity;
    inst.indexMask = indexSlotsFor(2 * capacity) - 1;
    inst.mapCapacity = mcap;
    inst.mapIndexMask = indexSlotsFor(mcap) - 1;
  }
  inst.extAddr = extAddr;
  if (prefixCount > inst.prefixAlloc || inst.prefixes == 0) {
    free(inst.prefixes);
    inst.prefixAlloc = prefixCount > 16 ? prefixCount : 16;
    inst.prefixes = alloc(inst.prefixAlloc * NAT_PREFIX_SIZE);
  }
  inst.prefixCount = prefixCount;
  for (let k: u32 = 0; k < prefixCount; k++) {
    const e = prefixBase + <usize>(k * NAT_PREFIX_SIZE);
    const mask = bswap<u32>(load<u32>(e, NP_MASK));
    store<u32>(inst.prefixes + (<usize>k << 3), bswap<u32>(load<u32>(e, NP_NETWORK)) & mask, 0);
    store<u32>(inst.prefixes + (<usize>k << 3), mask, 4);
  }
  inst.portFirst = portFirst;
  inst.portCount = portLast - portFirst + 1;
  // Each class's ring holds the range (rebuildPools below refills it): a larger range takes a larger region.
  if (inst.portCount > inst.poolStride) {
    free(inst.pools);
    inst.pools = alloc(3 * inst.portCount * 2);
    inst.poolStride = inst.portCount;
  }
  inst.tcpEstablished = load<u32>(image, NI_TCP_ESTABLISHED);
  inst.tcpTransient = load<u32>(image, NI_TCP_TRANSIENT);
  inst.udpIdle = load<u32>(image, NI_UDP_IDLE);
  inst.icmpQuery = load<u32>(image, NI_ICMP_QUERY);
  const flags = load<u32>(image, NI_FLAGS);
  inst.udpInboundRefresh = flags & NIF_UDP_INBOUND_REFRESH ? 1 : 0;
  inst.translateIcmp = flags & NIF_NO_ICMP ? 0 : 1;
  inst.inboundMissPasses = flags & NIF_INBOUND_MISS_PASSES ? 1 : 0;
  inst.loadBalance = lb ? 1 : 0;
  inst.lbSeed = load<u32>(image, NI_LB_SEED);

  if (fresh) {
    resetSessions(inst, zeroed);
  } else {
    poolsFrozen = true;
    const now = natNow;
    let next = NEVER;
    for (let s: u32 = 0; s < inst.capacity; s++) {
      const r = sessionRec(inst, s);
      if ((load<u8>(r, S_FLAGS) & SF_IN_USE) == 0) continue;
      const e = load<u32>(r, S_EXPIRY);
      if (now >= e || !sessionConsistent(inst, r)) sessionFree(inst, s);
      else if (e < next) next = e;
    }
    inst.nextExpiry = next;
    poolsFrozen = false;
  }
  rebuildPools(inst);
  inst.configured = 1;
  return NAT_OK;
}

/** Empties instance `id` (sessions and dynamic mappings) and refills its pools; keeps its configuration. */
export function natFlush(id: u32): void {
  const p = natInstance(id);
  if (p == 0) return;
  const inst = changetype<NatInstance>(p);
  resetSessions(inst);
  rebuildPools(inst);
}

// ---- exported ABI (re-exported by assembly/index.ts) -----------------------------------------------

/** Called by loadNat (src/engine/loaders/nat.ts) once per configuration change. 0 = loaded. */
export function nat_configure(id: u32, image: usize, len: u32): i32 {
  tablesChanged();
  return natConfigure(id, image, len);
}

/** Called by flushNat and the bench's reset, between scenarios. */
export function nat_flush(id: u32): void {
  tablesChanged();
  natFlush(id);
}

/** Called by setNatClock whenever the simulated time moves (seconds). */
export function nat_set_now(seconds: u32): void {
  setNatNow(seconds);
}

export function nat_now(): u32 {
  return natNow;
}

/** The readers below are called by readNatSessions / readNatMappings / natPoolFree (UI tables). */
export function nat_sessions(id: u32): usize {
  const p = natInstance(id);
  return p == 0 ? 0 : changetype<NatInstance>(p).sessions;
}

export function nat_capacity(id: u32): u32 {
  const p = natInstance(id);
  return p == 0 ? 0 : changetype<NatInstance>(p).capacity;
}

export function nat_session_count(id: u32): u32 {
  const p = natInstance(id);
  return p == 0 ? 0 : changetype<NatInstance>(p).sessionCount;
}

export function nat_mappings(id: u32): usize {
  const p = natInstance(id);
  return p == 0 ? 0 : changetype<NatInstance>(p).maps;
}

export function nat_mapping_capacity(id: u32): u32 {
  const p = natInstance(id);
  return p == 0 ? 0 : changetype<NatInstance>(p).mapCapacity;
}

/** Free ports (identifiers for class 2) in pool `cls`: 0 TCP, 1 UDP, 2 ICMP. */
export function nat_pool_free(id: u32, cls: u32): u32 {
  const p = natInstance(id);
  return p == 0 || cls > 2 ? 0 : poolFree(changetype<NatInstance>(p), cls);
}
