// Stage acl: HNS/VFP switch ACLs and Windows Firewall rules on an endpoint's port.
//
// a0 = rule-set id (loaded by loadAcl, src/engine/loaders/acl.ts); a1 = direction: 0 inbound (the
// packet goes to the endpoint: local = destination address/port, remote = source), otherwise outbound
// (local = source). Semantics (firewall vs vfp order, default actions, ports only for TCP/UDP) are
// documented in src/table-images/acl-rules.ts; both compile to one rank order: the lowest-ranked match decides.
//
// Algorithm (the classifier's cost follows the number of distinct rule shapes, not of rules):
//   1. gather: one 64-byte scratch record per packet (local/remote address, ports, protocol word)
//      and a look into the rule set's per-direction verdict cache (direct-mapped, keyed by the whole
//      flow; it remembers this rule set's decision only, and is not VFP's unified flow table, which
//      is assembly/stages/uft.ts): a hit takes the cached rank and skips 2.
//   2. classify the misses (assembly/tables/acl-classifier.ts): tuple-space search with merged tuples
//      and tuple pruning. A table per address prefix length in use tells, per packet, which tuples
//      hold its masked address of that length (a u64 mask over the first 64 tuples; local and remote
//      masks ANDed), in a pass over all the misses before any probe. Then the packet walks the set
//      bits (tuples are numbered in order of their best rank), hashes its masked key and reads one
//      slot per tuple, scans a fingerprint-matching slot's entries in rank order, and stops at the
//      first tuple whose best entry ranks after its best match so far: the cost follows the tuples
//      the packet can match (~2.5 probes at 1k ClassBench-like rules, ~4.9 at 10k), not the tuples
//      there are (~30 / ~37).
//   3. verdicts in packet order: verdict-cache fill, hit counter, D_AUX, trace, drop.
// The build (src/table-images/acl-classifier.ts) merges prefix lengths into 0/8/16/24 tuples and refines only
// buckets past 8 entries. Measured with the acl bench workloads (src/bench/workloads/acl.ts:
// ClassBench-like sets, batch 256, 64 B, Node 20, process CPU time, on a shared 2-vCPU VM with a
// load average near 20, so roughly): fresh flows (classifier) ~46 / 64 / 95 / 160-270 ns a packet at
// 10 / 100 / 1k / 10k rules, of which the bench harness ~6-9; flows in the verdict cache ~15-17 ns at
// every size. A linear scan costs ~0.85 ns a rule on a quiet machine.
//
// Preconditions: parse ran (D_L3, D_L4, D_ETHERTYPE, D_PROTO, D_FLAGS valid); the IPv4 header lies in
//   the frame. Frames that are not IPv4 (ARP) pass untouched: HNS ACLs filter IP traffic, and ARP must
//   work for the endpoint to be reachable at all. A rule set id with no loaded rule set allows every
//   packet (a VFP port without ACL policies forwards).
// Next stages: unchanged for allowed and passed packets (D_AUX = matched rule index, 0xFFFFFFFF for the
//   default action or no rule set; untouched for non-IP frames).
// Drops: ACL_BLOCKED (a block rule decided; trace entry = rule index), ACL_DEFAULT_BLOCK (no rule
//   matched and the default action blocks).
// Trace: one decision event per packet: A_ALLOW / A_BLOCK with entry = rule index or -1 for the
//   default; A_PASS with entry -1 for non-IP frames. Blocked packets get dropPacket's A_DROP event too.
// Counters: per-rule u64 hit counters in the image (per direction default hits after them).
// Allocation: none.
import {
  D_DATA, D_L3, D_L4, D_NEXT, D_ETHERTYPE, D_PROTO, D_FLAGS, D_AUX, NEXT_CONTINUE, F_FRAGMENT,
  STAGE_ACL, A_ALLOW, A_BLOCK, A_PASS, FIELD_NONE,
} from '../abi';
import { DROP_ACL_BLOCKED, DROP_ACL_DEFAULT_BLOCK } from '../drops';
import { desc } from '../memory';
import { countBatch } from '../counters';
import { tracing, traceEvent } from '../trace';
import { dropPacket } from '../verdict';
import {
  aclImage, aclClassify, aclHash, aclRecords, aclMisses, ACL_KEY_SIZE, K_LOCAL, K_REMOTE, K_PORTS, K_PROTO,
  K_BEST, K_INDEX, K_FLAGS, K_CACHE, ACL_KEY_NON_IP, ACL_KEY_CACHED, ACL_NO_MATCH, ACL_NO_PORTS,
  ACL_CACHE_NO_RULE, AH_NRULES, AH_DEFAULT_IN, AH_DEFAULT_OUT, AH_HITS, AH_RANKS, AH_CLASS_IN, AH_CLASS_OUT,
  AH_CACHE_IN, AH_CACHE_OUT, AH_CACHE_SHIFT,
} from '../tables/acl-classifier';
import { uftRecording, uftNote, N_ACL_HITS } from '../tables/uft';

const ETHERTYPE_IPV4: u32 = 0x0800;
const PROTO_TCP: u32 = 6;
const PROTO_UDP: u32 = 17;
const CACHE_VALID: u32 = 0x80000000;

export function stage_acl(n: i32, a0: u32, a1: u32): i32 {
  const image = aclImage(a0);
  if (image == 0) return noRuleSet(n);
  const outbound = a1 != 0;
  const cache = <usize>load<u32>(image + <usize>(outbound ? AH_CACHE_OUT : AH_CACHE_IN));
  const m = gather(n, outbound, cache, load<u32>(image, AH_CACHE_SHIFT));
  const misses = missCount;
  if (misses > 0) aclClassify(<usize>load<u32>(image + <usize>(outbound ? AH_CLASS_OUT : AH_CLASS_IN)), misses);
  if (tracing) verdicts(image, outbound, m, true);
  else verdicts(image, outbound, m, false);
  return n;
}

/** Set by gather: how many records it listed at aclMisses. */
let missCount: i32 = 0;

/** Pass 1: one record per packet in flight (returns how many); verdict-cache hits take their decision,
 *  the others are listed for the classifier. */
function gather(n: i32, outbound: bool, cache: usize, cacheShift: u32): i32 {
  let r = aclRecords;
  let miss = aclMisses;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    m++;
    store<u32>(r, <u32>i, K_INDEX);
    const l3 = <usize>load<u8>(d, D_L3);
    if (<u32>load<u16>(d, D_ETHERTYPE) != ETHERTYPE_IPV4 || l3 == 0) {
      store<u32>(r, ACL_KEY_NON_IP, K_FLAGS);
      r += ACL_KEY_SIZE;
      continue;
    }
    const data = <usize>load<u32>(d, D_DATA);
    const src = bswap<u32>(load<u32>(data + l3, 12));
    const dst = bswap<u32>(load<u32>(data + l3, 16));
    const proto = <u32>load<u8>(d, D_PROTO);
    const l4 = <usize>load<u8>(d, D_L4);
    let ports: u32 = 0;
    let pw = proto | ACL_NO_PORTS;
    if ((proto == PROTO_TCP || proto == PROTO_UDP) && l4 != 0 && (<u32>load<u8>(d, D_FLAGS) & F_FRAGMENT) == 0) {
      const sport = <u32>bswap<u16>(load<u16>(data + l4, 0));
      const dport = <u32>bswap<u16>(load<u16>(data + l4, 2));
      ports = outbound ? (sport << 16) | dport : (dport << 16) | sport;
      pw = proto;
    }
    const local = outbound ? src : dst;
    const remote = outbound ? dst : src;
    store<u32>(r, local, K_LOCAL);
    store<u32>(r, remote, K_REMOTE);
    store<u32>(r, ports, K_PORTS);
    store<u32>(r, pw, K_PROTO);
    let flags: u32 = 0;
    let best = ACL_NO_MATCH;
    let ce: usize = 0;
    if (cache != 0) {
      ce = cache + (<usize>(aclHash(local, remote, ports, pw) >>> cacheShift) << 4);
      const meta = load<u32>(ce, 12);
      if (load<u32>(ce, 0) == local && load<u32>(ce, 4) == remote && load<u32>(ce, 8) == ports && (meta >>> 22) == (CACHE_VALID >>> 22 | pw)) {
        flags = ACL_KEY_CACHED;
        const rank = meta & ACL_CACHE_NO_RULE;
        best = rank == ACL_CACHE_NO_RULE ? ACL_NO_MATCH : rank;
      }
    }
    store<u32>(r, flags, K_FLAGS);
    store<u32>(r, best, K_BEST);
    store<u32>(r, <u32>ce, K_CACHE);
    if (flags == 0) {
      store<u32>(miss, <u32>r);
      miss += 4;
    }
    r += ACL_KEY_SIZE;
  }
  missCount = <i32>((miss - aclMisses) >>> 2);
  return m;
}

/** Pass 3: decisions in packet order (the gather pass kept it), verdict-cache fills, hit counters,
 *  drops, trace. */
// @ts-ignore: decorator
@inline function verdicts(image: usize, outbound: bool, m: i32, traced: bool): void {
  const nRules = load<u32>(image, AH_NRULES);
  const defaultAction = <i32>load<u32>(image + <usize>(outbound ? AH_DEFAULT_OUT : AH_DEFAULT_IN));
  const hits = <usize>load<u32>(image, AH_HITS);
  const ranks = <usize>load<u32>(image, AH_RANKS);
  const defaultHits = hits + (<usize>(nRules + (outbound ? 1 : 0)) << 3);
  let pass = 0;
  let drop = 0;
  let r = aclRecords;
  for (let j = 0; j < m; j++, r += ACL_KEY_SIZE) {
    const i = <i32>load<u32>(r, K_INDEX);
    const flags = load<u32>(r, K_FLAGS);
    if (flags & ACL_KEY_NON_IP) {
      pass++;
      if (traced) traceEvent(i, STAGE_ACL, A_PASS, -1, FIELD_NONE, 0, 0);
      continue;
    }
    const d = desc(i);
    const best = load<u32>(r, K_BEST);
    const ce = <usize>load<u32>(r, K_CACHE);
    if (ce != 0 && flags == 0) {
      store<u32>(ce, load<u32>(r, K_LOCAL), 0);
      store<u32>(ce, load<u32>(r, K_REMOTE), 4);
      store<u32>(ce, load<u32>(r, K_PORTS), 8);
      store<u32>(ce, CACHE_VALID | (load<u32>(r, K_PROTO) << 22) | (best == ACL_NO_MATCH ? ACL_CACHE_NO_RULE : best), 12);
    }
    let rule: i32 = -1;
    let action = defaultAction;
    let h = defaultHits;
    if (best != ACL_NO_MATCH) {
      const rv = load<u32>(ranks + (<usize>best << 2));
      rule = <i32>(rv >>> 2);
      action = <i32>(rv & 3);
      h = hits + (<usize>rule << 3);
    }
    store<u64>(h, load<u64>(h) + 1);
    if (uftRecording) store<u32>(uftNote(i), <u32>h, N_ACL_HITS);
    store<u32>(d, <u32>rule, D_AUX);
    if (traced) traceEvent(i, STAGE_ACL, action, rule, FIELD_NONE, 0, 0);
    if (action == A_BLOCK) {
      dropPacket(d, i, STAGE_ACL, rule < 0 ? DROP_ACL_DEFAULT_BLOCK : DROP_ACL_BLOCKED, rule);
      drop++;
    } else {
      pass++;
    }
  }
  countBatch(STAGE_ACL, m, pass, drop, 0);
}

/** A rule-set id with nothing loaded: every IP packet is allowed by "the default", non-IP passes. */
function noRuleSet(n: i32): i32 {
  if (tracing) allowAll(n, true);
  else allowAll(n, false);
  return n;
}

// @ts-ignore: decorator
@inline function allowAll(n: i32, traced: bool): void {
  let inN = 0;
  for (let i = 0; i < n; i++) {
    const d = desc(i);
    if (<i32>load<u8>(d, D_NEXT) != NEXT_CONTINUE) continue;
    inN++;
    const ip = <u32>load<u16>(d, D_ETHERTYPE) == ETHERTYPE_IPV4 && load<u8>(d, D_L3) != 0;
    if (ip) store<u32>(d, 0xffffffff, D_AUX);
    if (traced) traceEvent(i, STAGE_ACL, ip ? A_ALLOW : A_PASS, -1, FIELD_NONE, 0, 0);
  }
  countBatch(STAGE_ACL, inN, inN, 0, 0);
}
