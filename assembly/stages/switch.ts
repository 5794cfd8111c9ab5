// Stage switch (STAGE_SWITCH): the Hyper-V vSwitch's Layer-2 forwarding, VLAN-aware: per vSwitch a
// forwarding database keyed by (MAC, VLAN), learning and flooding over the ports of one VLAN.
//
// Arguments: a0 = vSwitch id (loadFdb and loadVlanPorts with the same id); a1 unused.
// Preconditions: parse ran; D_IN_PORT is the ingress port and D_VLAN its VLAN (vlan-in ran, or 0).
// Learning: a unicast source MAC is learned on D_IN_PORT in D_VLAN; a learned entry moves with the
//   station, a static entry (loaded) never moves; a full FDB learns nothing and counts the refusal
//   (fdbStats().learnRefused), it never evicts.
// Forwarding: a known unicast destination sets D_OUT_PORT and stays NEXT_CONTINUE: the caller's
//   program continues with the egress stages (vlan-out, mac-rewrite, …) for that port. Broadcast,
//   multicast and unknown unicast are flooded to every other port that is a member of D_VLAN
//   (ascending port id): the packet itself takes the first, a copy of frame and descriptor goes into
//   free ring slots n, n+1, … for each further port (frame at the same offset in its slot), and the
//   stage returns the new batch size. Each copy counts as one packet in and one passed.
// Drops: SWITCH_HAIRPIN (known destination on the ingress port), SWITCH_NO_PORT (the destination's
//   port is not in D_VLAN, or the flood has no port to go to), SWITCH_FLOOD_NO_SLOT (the ring has
//   no room for every copy: the flood is all-or-nothing, so a dropped flood left no partial copies).
// Trace: A_LEARN (before = the old port or 0xffff, after = the ingress port) when an entry is created
//   or moved; then A_FORWARD (after = port) or A_FLOOD (entry = number of ports), FIELD_OUT_PORT when
//   D_OUT_PORT changes; each copy j gets (j, A_FLOOD, entry = original index, FIELD_OUT_PORT).
// Large FDBs: a first pass hashes every packet's source and destination keys and touches their
//   home slots, a second learns and forwards, so the first pass's cache misses overlap.
// Allocation: none.
import {
  D_DATA, D_LEN, D_IN_PORT, D_OUT_PORT, D_VLAN, D_NEXT, NEXT_CONTINUE, DESC_SIZE, STAGE_SWITCH,
  A_FORWARD, A_FLOOD, A_LEARN, FIELD_NONE, FIELD_OUT_PORT,
} from '../abi';
import { DROP_SWITCH_NO_PORT, DROP_SWITCH_FLOOD_NO_SLOT, DROP_SWITCH_HAIRPIN } from '../drops';
import { desc, slotStart, ringSlots } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent, isTraced, Traced, Untraced } from '../trace';
import { dropPacket } from '../verdict';
import { ETH_DST, ETH_SRC, loadMac } from '../wire/ethernet';
import {
  fdbTable, fdbKey, fdbHome, fdbProbe, fdbSlotAddr, fdbSlotCount, fdbSlotPort, fdbLearn, fdbScratch,
  LEARN_KEPT, LEARN_FULL, LEARN_NEW,
} from '../tables/fdb';
import { tablesChanged } from '../tables/generation';
import { uftRecording, uftNote, N_NO_CACHE } from '../tables/uft';
import { vlanPortTable, portRecord, recIsMember, portListLen, portListAt } from '../tables/vlan-ports';

/** FDBs with more slots than this (256 KiB) get the hash-and-touch first pass. */
const PREFETCH_SLOTS: u32 = 16384;
/** Keeps the touch loads of the first pass alive through the optimiser. */
let touchSink: u64 = 0;

/** Number of ports other than `inPort` that are members of `vlan`. */
// @ts-ignore: decorator
@inline function floodCount(ports: usize, inPort: i32, vlan: i32): i32 {
  const L = portListLen(ports);
  let k = 0;
  for (let j = 0; j < L; j++) {
    const q = portListAt(ports, j);
    if (q != inPort && recIsMember(ports, portRecord(ports, q), vlan)) k++;
  }
  return k;
}

// @ts-ignore: decorator
@inline function switchLoop<T>(n: i32, vswitch: u32): i32 {
  const t = fdbTable(vswitch);
  const ports = vlanPortTable(vswitch);
  const prefetch = t != 0 && fdbSlotCount(t) > PREFETCH_SLOTS;
  if (prefetch) {
    // Scratch per packet, 32 bytes: u64 source key, u64 destination key (0 = group address: no
    // learning / flood), u32 source home slot, u32 destination home slot.
    let sink: u64 = 0;
    for (let i = 0; i < n; i++) {
      const d = desc(i);
      if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
      const p = <usize>load<u32>(d, D_DATA);
      const vlan = <i32>load<u16>(d, D_VLAN);
      const sc = fdbScratch + <usize>(i << 5);
      const sk = (load<u8>(p, ETH_SRC) & 1) == 0 ? fdbKey(loadMac(p + ETH_SRC), vlan) : 0;
      const dk = (load<u8>(p, ETH_DST) & 1) == 0 ? fdbKey(loadMac(p + ETH_DST), vlan) : 0;
      const hs = fdbHome(t, sk);
      const hd = fdbHome(t, dk);
      store<u64>(sc, sk);
      store<u64>(sc, dk, 8);
      store<u32>(sc, hs, 16);
      store<u32>(sc, hd, 20);
      sink ^= load<u64>(fdbSlotAddr(t, hs)) ^ load<u64>(fdbSlotAddr(t, hd));
    }
    touchSink = sink;
  }
  let m = n;
  let inN = 0;
  let pass = 0;
  let drop = 0;
  // One-entry last-hit cache of destination lookups (hits and misses); any learning clears it.
  let lastKey: u64 = 0;
  let lastPort: i32 = -1;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const p = <usize>load<u32>(d, D_DATA);
    const inPort = <i32>load<u16>(d, D_IN_PORT);
    const vlan = <i32>load<u16>(d, D_VLAN);
    const sc = fdbScratch + <usize>(i << 5);
    let srcKey: u64 = 0;
    let dstKey: u64 = 0;
    if (prefetch) {
      srcKey = load<u64>(sc);
      dstKey = load<u64>(sc, 8);
    } else if (t != 0) {
      if ((load<u8>(p, ETH_SRC) & 1) == 0) srcKey = fdbKey(loadMac(p + ETH_SRC), vlan);
      if ((load<u8>(p, ETH_DST) & 1) == 0) dstKey = fdbKey(loadMac(p + ETH_DST), vlan);
    }
    if (srcKey != 0) {
      const home = prefetch ? load<u32>(sc, 16) : fdbHome(t, srcKey);
      const r = fdbLearn(t, fdbProbe(t, srcKey, home), srcKey, inPort);
      // A MAC moving port changes where cached flows to it go: UFT entries die. A refused learn
      // must happen again for every packet: such a flow is not cached.
      if (r >= 0) tablesChanged();
      if (r == LEARN_FULL && uftRecording) store<u8>(uftNote(i), 1, N_NO_CACHE);
      if (r != LEARN_KEPT && r != LEARN_FULL) {
        lastKey = 0;
        if (isTraced<T>()) traceEvent(i, STAGE_SWITCH, A_LEARN, -1, FIELD_NONE, r == LEARN_NEW ? 0xffff : <u64>r, <u64>inPort);
      }
    }
    let port = -1;
    if (dstKey != 0) {
      if (dstKey == lastKey) {
        port = lastPort;
      } else {
        const home = prefetch ? load<u32>(sc, 20) : fdbHome(t, dstKey);
        const s = fdbProbe(t, dstKey, home);
        port = load<u64>(s) == dstKey ? fdbSlotPort(s) : -1;
        lastKey = dstKey;
        lastPort = port;
      }
    }
    const oldOut = <i32>load<u16>(d, D_OUT_PORT);
    if (port >= 0) {
      if (port == inPort) {
        dropPacket(d, i, STAGE_SWITCH, DROP_SWITCH_HAIRPIN);
        drop++;
      } else if (!recIsMember(ports, portRecord(ports, port), vlan)) {
        dropPacket(d, i, STAGE_SWITCH, DROP_SWITCH_NO_PORT);
        drop++;
      } else {
        store<u16>(d, <u16>port, D_OUT_PORT);
        pass++;
        if (isTraced<T>()) {
          traceEvent(i, STAGE_SWITCH, A_FORWARD, -1, FIELD_NONE, 0, <u64>port);
          if (oldOut != port) traceEvent(i, STAGE_SWITCH, A_FORWARD, -1, FIELD_OUT_PORT, <u64>oldOut, <u64>port);
        }
      }
      continue;
    }
    const k = floodCount(ports, inPort, vlan);
    if (k == 0) {
      dropPacket(d, i, STAGE_SWITCH, DROP_SWITCH_NO_PORT);
      drop++;
      continue;
    }
    if (m + k - 1 > ringSlots) {
      dropPacket(d, i, STAGE_SWITCH, DROP_SWITCH_FLOOD_NO_SLOT);
      drop++;
      continue;
    }
    if (isTraced<T>()) traceEvent(i, STAGE_SWITCH, A_FLOOD, k, FIELD_NONE, 0, 0);
    if (uftRecording) store<u8>(uftNote(i), 1, N_NO_CACHE);
    const L = portListLen(ports);
    const len = <usize>load<u16>(d, D_LEN);
    const offset = p - slotStart(i);
    let first = true;
    for (let jj = 0; jj < L; jj++) {
      const q = portListAt(ports, jj);
      if (q == inPort || !recIsMember(ports, portRecord(ports, q), vlan)) continue;
      if (first) {
        first = false;
        store<u16>(d, <u16>q, D_OUT_PORT);
        if (isTraced<T>() && oldOut != q) traceEvent(i, STAGE_SWITCH, A_FLOOD, -1, FIELD_OUT_PORT, <u64>oldOut, <u64>q);
        continue;
      }
      const j = m++;
      const dj = desc(j);
      const pj = slotStart(j) + offset;
      memory.copy(pj, p, len);
      memory.copy(dj, d, DESC_SIZE);
      store<u32>(dj, <u32>pj, D_DATA);
      store<u16>(dj, <u16>q, D_OUT_PORT);
      if (isTraced<T>()) traceEvent(j, STAGE_SWITCH, A_FLOOD, i, FIELD_OUT_PORT, <u64>oldOut, <u64>q);
    }
    pass += k;
    inN += k - 1;
  }
  countBatch(STAGE_SWITCH, inN, pass, drop, 0);
  return m;
}

/** Learns, forwards and floods descriptors [0, n); returns the batch size with the flood copies.
 *  Called by pipeline_run once per batch. */
export function stage_switch(n: i32, a0: u32, a1: u32): i32 {
  if (tracing) return switchLoop<Traced>(n, a0);
  return switchLoop<Untraced>(n, a0);
}
