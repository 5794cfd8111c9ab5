// Stages vlan-in (STAGE_VLAN_IN) and vlan-out (STAGE_VLAN_OUT): 802.1Q per vSwitch port, as the
// Hyper-V vSwitch applies a port's VLAN setting (access: one VID; trunk: allowed VIDs + native VID;
// untagged: a port that is not VLAN-aware, such as a host NIC not in trunk mode).
//
// Arguments: a0 = vSwitch id (the port table loaded by loadVlanPorts); a1 = 0 to use the
//   descriptor's port (D_IN_PORT for vlan-in, D_OUT_PORT for vlan-out), or VLAN_PORT_FIXED | port.
// Preconditions: parse ran (D_FLAGS has F_VLAN_TAGGED exactly when the frame holds a tag; D_L3 set).
// Next stages: vlan-in leaves every frame untagged in memory with its VLAN in D_VLAN (0 = the
//   untagged domain of VLAN-unaware ports); vlan-out leaves it tagged or untagged for the wire. The
//   frame moves by 4 bytes (the 12 MAC bytes move, never the payload); D_DATA, D_LEN, D_L3, D_L4 and
//   F_VLAN_TAGGED follow.
// Ingress: trunk — tagged VID (VID 0, a priority tag, means the native VID) must be the native VID
//   or allowed, else VLAN_NOT_ALLOWED; untagged takes the native VID, or VLAN_NOT_ALLOWED without
//   one. Access — untagged or priority-tagged or tagged with the port's VID takes the port's VID;
//   another VID is VLAN_ACCESS_MISMATCH. Untagged/absent port — any tag is VLAN_TAGGED_ON_NON_TRUNK.
// Egress: trunk — D_VLAN equal to the native VID leaves untagged; an allowed VID is pushed (or the
//   tag's VID rewritten, PCP kept); anything else VLAN_NOT_ALLOWED. Access — D_VLAN must be the
//   port's VID (else VLAN_ACCESS_MISMATCH), frame leaves untagged. Untagged/absent port — D_VLAN
//   must be 0 (else VLAN_TAGGED_ON_NON_TRUNK). A push without 4 bytes of headroom: VLAN_NO_HEADROOM.
// Drops: VLAN_NOT_ALLOWED, VLAN_ACCESS_MISMATCH, VLAN_TAGGED_ON_NON_TRUNK, VLAN_NO_HEADROOM.
// Trace: a decision (A_PASS, entry = port, after = VLAN) then A_PUSH / A_POP / A_REWRITE on
//   FIELD_VLAN_ID (before/after VID, 0 = no tag).
// Allocation: none.
import {
  D_DATA, D_LEN, D_L3, D_L4, D_IN_PORT, D_OUT_PORT, D_VLAN, D_NEXT, D_FLAGS, NEXT_CONTINUE,
  F_VLAN_TAGGED, STAGE_VLAN_IN, STAGE_VLAN_OUT, A_PASS, A_PUSH, A_POP, A_REWRITE,
  FIELD_NONE, FIELD_VLAN_ID,
} from '../abi';
import {
  DROP_VLAN_NOT_ALLOWED, DROP_VLAN_ACCESS_MISMATCH, DROP_VLAN_TAGGED_ON_NON_TRUNK, DROP_VLAN_NO_HEADROOM,
} from '../drops';
import { desc, slotStart } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent, isTraced, Traced, Untraced } from '../trace';
import { dropPacket } from '../verdict';
import { ETHERTYPE_VLAN } from '../wire/ethernet';
import { VLAN_TPID, VLAN_TCI, VLAN_TAG_LEN, VLAN_VID_MASK } from '../wire/vlan';
import {
  vlanPortTable, portRecord, recMode, recPvid, trunkBitmapHas, PORT_ACCESS, PORT_TRUNK,
} from '../tables/vlan-ports';

/** a1 flag: the port is a1's low 16 bits rather than the descriptor's. */
const VLAN_PORT_FIXED: u32 = 0x10000;
/** Moves the 12 MAC address bytes from `src` to `dst` (overlapping by 4 bytes either way): both
 *  loads come before the stores, and two plain loads beat a memory.copy call for 12 bytes. */
// @ts-ignore: decorator
@inline function moveMacs(dst: usize, src: usize): void {
  const a = load<u64>(src);
  const b = load<u32>(src, 8);
  store<u64>(dst, a);
  store<u32>(dst, b, 8);
}

/** Shifts the descriptor's offsets by `delta` bytes (+4 push, -4 pop); D_L4 stays 0 when unset. */
// @ts-ignore: decorator
@inline function shiftOffsets(d: usize, delta: i32): void {
  store<u16>(d, <u16>(<i32>load<u16>(d, D_LEN) + delta), D_LEN);
  const l3 = <i32>load<u8>(d, D_L3);
  if (l3 != 0) store<u8>(d, <u8>(l3 + delta), D_L3);
  const l4 = <i32>load<u8>(d, D_L4);
  if (l4 != 0) store<u8>(d, <u8>(l4 + delta), D_L4);
}

/** Removes the tag of the frame at `p`: the MAC addresses move 4 bytes towards the payload. */
// @ts-ignore: decorator
@inline function popTag(d: usize, p: usize): void {
  moveMacs(p + VLAN_TAG_LEN, p);
  store<u32>(d, <u32>(p + VLAN_TAG_LEN), D_DATA);
  shiftOffsets(d, -VLAN_TAG_LEN);
  store<u8>(d, load<u8>(d, D_FLAGS) & ~(<u8>F_VLAN_TAGGED), D_FLAGS);
}

/** Inserts a tag with `vid` (PCP 0) in front of the EtherType: the MAC addresses move into the headroom. */
// @ts-ignore: decorator
@inline function pushTag(d: usize, p: usize, vid: i32): void {
  const q = p - VLAN_TAG_LEN;
  moveMacs(q, p);
  store<u16>(q, bswap<u16>(ETHERTYPE_VLAN), VLAN_TPID);
  store<u16>(q, bswap<u16>(<u16>vid), VLAN_TCI);
  store<u32>(d, <u32>q, D_DATA);
  shiftOffsets(d, VLAN_TAG_LEN);
  store<u8>(d, load<u8>(d, D_FLAGS) | <u8>F_VLAN_TAGGED, D_FLAGS);
}

// @ts-ignore: decorator
@inline function vlanInLoop<T>(n: i32, t: usize, a1: u32): void {
  const fixed = (a1 & VLAN_PORT_FIXED) != 0;
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const port = fixed ? <i32>(a1 & 0xffff) : <i32>load<u16>(d, D_IN_PORT);
    const r = portRecord(t, port);
    const mode = recMode(r);
    const p = <usize>load<u32>(d, D_DATA);
    const tagged = (load<u8>(d, D_FLAGS) & F_VLAN_TAGGED) != 0;
    const tagVid = tagged ? <i32>(bswap<u16>(load<u16>(p, VLAN_TCI)) & VLAN_VID_MASK) : 0;
    let vid = 0;
    if (mode == PORT_TRUNK) {
      const native = recPvid(r);
      vid = tagVid != 0 ? tagVid : native;
      if (vid == 0 || (vid != native && !trunkBitmapHas(t, r, vid))) {
        dropPacket(d, i, STAGE_VLAN_IN, DROP_VLAN_NOT_ALLOWED, port);
        drop++;
        continue;
      }
    } else if (mode == PORT_ACCESS) {
      vid = recPvid(r);
      if (tagVid != 0 && tagVid != vid) {
        dropPacket(d, i, STAGE_VLAN_IN, DROP_VLAN_ACCESS_MISMATCH, port);
        drop++;
        continue;
      }
    } else if (tagged) {
      dropPacket(d, i, STAGE_VLAN_IN, DROP_VLAN_TAGGED_ON_NON_TRUNK, port);
      drop++;
      continue;
    }
    if (isTraced<T>()) traceEvent(i, STAGE_VLAN_IN, A_PASS, port, FIELD_NONE, 0, <u64>vid);
    if (tagged) {
      popTag(d, p);
      if (isTraced<T>()) traceEvent(i, STAGE_VLAN_IN, A_POP, port, FIELD_VLAN_ID, <u64>tagVid, 0);
    }
    store<u16>(d, <u16>vid, D_VLAN);
  }
  countBatch(STAGE_VLAN_IN, inN, inN - drop, drop, 0);
}

// @ts-ignore: decorator
@inline function vlanOutLoop<T>(n: i32, t: usize, a1: u32): void {
  const fixed = (a1 & VLAN_PORT_FIXED) != 0;
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const port = fixed ? <i32>(a1 & 0xffff) : <i32>load<u16>(d, D_OUT_PORT);
    const r = portRecord(t, port);
    const mode = recMode(r);
    const vid = <i32>load<u16>(d, D_VLAN);
    let wantTag = false;
    let reason: u8 = 0;
    if (mode == PORT_TRUNK) {
      const native = recPvid(r);
      if (vid == 0 || vid > <i32>VLAN_VID_MASK) reason = DROP_VLAN_NOT_ALLOWED;
      else if (vid != native) {
        if (trunkBitmapHas(t, r, vid)) wantTag = true;
        else reason = DROP_VLAN_NOT_ALLOWED;
      }
    } else if (mode == PORT_ACCESS) {
      if (vid != recPvid(r)) reason = DROP_VLAN_ACCESS_MISMATCH;
    } else if (vid != 0) {
      reason = DROP_VLAN_TAGGED_ON_NON_TRUNK;
    }
    const p = <usize>load<u32>(d, D_DATA);
    const tagged = (load<u8>(d, D_FLAGS) & F_VLAN_TAGGED) != 0;
    if (reason == 0 && wantTag && !tagged && p - VLAN_TAG_LEN < slotStart(i)) reason = DROP_VLAN_NO_HEADROOM;
    if (reason != 0) {
      dropPacket(d, i, STAGE_VLAN_OUT, reason, port);
      drop++;
      continue;
    }
    if (isTraced<T>()) traceEvent(i, STAGE_VLAN_OUT, A_PASS, port, FIELD_NONE, 0, <u64>vid);
    if (wantTag) {
      if (tagged) {
        const tci = bswap<u16>(load<u16>(p, VLAN_TCI));
        const old = <i32>(tci & VLAN_VID_MASK);
        if (old != vid) {
          store<u16>(p, bswap<u16>((tci & ~VLAN_VID_MASK) | <u16>vid), VLAN_TCI);
          if (isTraced<T>()) traceEvent(i, STAGE_VLAN_OUT, A_REWRITE, port, FIELD_VLAN_ID, <u64>old, <u64>vid);
        }
      } else {
        pushTag(d, p, vid);
        if (isTraced<T>()) traceEvent(i, STAGE_VLAN_OUT, A_PUSH, port, FIELD_VLAN_ID, 0, <u64>vid);
      }
    } else if (tagged) {
      const old = <u64>(bswap<u16>(load<u16>(p, VLAN_TCI)) & VLAN_VID_MASK);
      popTag(d, p);
      if (isTraced<T>()) traceEvent(i, STAGE_VLAN_OUT, A_POP, port, FIELD_VLAN_ID, old, 0);
    }
  }
  countBatch(STAGE_VLAN_OUT, inN, inN - drop, drop, 0);
}

/** Ingress VLAN filter/pop over descriptors [0, n). Called by pipeline_run once per batch. */
export function stage_vlan_in(n: i32, a0: u32, a1: u32): i32 {
  const t = vlanPortTable(a0);
  if (tracing) vlanInLoop<Traced>(n, t, a1);
  else vlanInLoop<Untraced>(n, t, a1);
  return n;
}

/** Egress VLAN filter/push over descriptors [0, n). Called by pipeline_run once per batch. */
export function stage_vlan_out(n: i32, a0: u32, a1: u32): i32 {
  const t = vlanPortTable(a0);
  if (tracing) vlanOutLoop<Traced>(n, t, a1);
  else vlanOutLoop<Untraced>(n, t, a1);
  return n;
}
