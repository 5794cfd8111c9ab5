// ACL classifier: the rule-set directory, the image layout (built by src/tables/acl.ts, which documents
// it; tests/unit/acl-image.test.ts checks the constants agree) and the batch lookup the acl stage runs.
//
// Lookup is tuple-space search over a batch, tuple-major: for each tuple (in order of its best rank),
// every packet still able to improve its match hashes its key under the tuple's masks and probes the
// tuple's table. Consecutive probes belong to different packets and are independent, so their cache
// misses overlap; the tuple's masks stay in registers for the whole batch.
import { alloc, ringSlots } from '../memory';

export const ACL_MAX_RULE_SETS: i32 = 4096;
export const ACL_MAGIC: u32 = 0x314c4341;
export const ACL_HEADER_SIZE: i32 = 32;
export const AH_MAGIC: i32 = 0;
export const AH_NRULES: i32 = 4;
export const AH_DEFAULT_IN: i32 = 8;
export const AH_DEFAULT_OUT: i32 = 12;
export const AH_HITS: i32 = 16;
export const AH_RANKS: i32 = 20;
export const AH_CLASS_IN: i32 = 24;
export const AH_CLASS_OUT: i32 = 28;
export const ACL_CLS_TUPLES: i32 = 16;
export const ACL_TUPLE_SIZE: i32 = 32;
export const AT_LMASK: i32 = 0;
export const AT_RMASK: i32 = 4;
export const AT_PMASK: i32 = 8;
export const AT_PORTMASK: i32 = 12;
export const AT_MINRANK: i32 = 16;
export const AT_SLOTS: i32 = 20;
export const AT_SLOTMASK: i32 = 24;
export const ACL_SLOT_SIZE: i32 = 32;
export const AS_L: i32 = 0;
export const AS_R: i32 = 4;
export const AS_PORTS: i32 = 8;
export const AS_PROTO: i32 = 12;
export const AS_ENTRIES: i32 = 16;
export const AS_COUNT: i32 = 20;
export const ACL_ENTRY_SIZE: i32 = 32;
export const AE_RANK: i32 = 0;
export const AE_LNET: i32 = 4;
export const AE_LMASK: i32 = 8;
export const AE_RNET: i32 = 12;
export const AE_RMASK: i32 = 16;
export const AE_PROTO: i32 = 20;
export const AE_LPORTS: i32 = 24;
export const AE_RPORTS: i32 = 28;
export const ACL_NO_PORTS: u32 = 0x100;

/** Rank of "no rule matched" in the scratch: above every real rank. */
export const ACL_NO_MATCH: u32 = 0xffffffff;

// Per-packet scratch of one batch (ACL_KEY_SIZE bytes per active packet), filled by the stage's
// gather pass: the packet's fields as the rules see them, its best rank so far, its packet index.
export const ACL_KEY_SIZE: i32 = 32;
export const K_LOCAL: i32 = 0;
export const K_REMOTE: i32 = 4;
export const K_PORTS: i32 = 8; // local port << 16 | remote port (0 when the packet has no ports)
export const K_PROTO: i32 = 12; // protocol | ACL_NO_PORTS when the packet has no ports
export const K_BEST: i32 = 16;
export const K_INDEX: i32 = 20;
export const K_FLAGS: i32 = 24; // ACL_KEY_NON_IP for frames the ACL lets pass untouched
export const ACL_KEY_NON_IP: u32 = 1;

let directory: usize = 0;
export let aclScratch: usize = 0;

/** Called by the engine's loadAcl (src/engine/tables/acl.ts) once per rule-set load, after it wrote
 *  the image at `image`. Returns 0, or -1 for an id out of range or an image without the magic. */
export function acl_load(id: u32, image: usize): i32 {
  if (id >= <u32>ACL_MAX_RULE_SETS) return -1;
  if (image != 0 && load<u32>(image, AH_MAGIC) != ACL_MAGIC) return -1;
  if (directory == 0) directory = alloc(<u32>(ACL_MAX_RULE_SETS * 4));
  if (aclScratch == 0) aclScratch = alloc(<u32>(ringSlots * ACL_KEY_SIZE));
  store<u32>(directory + (<usize>id << 2), <u32>image);
  return 0;
}

/** Called by the engine when it reads hit counters (on demand): the image of rule set `id`, 0 if none. */
export function acl_image(id: u32): usize {
  return aclImage(id);
}

// @ts-ignore: decorator
@inline export function aclImage(id: u32): usize {
  if (directory == 0 || id >= <u32>ACL_MAX_RULE_SETS) return 0;
  return <usize>load<u32>(directory + (<usize>id << 2));
}

// @ts-ignore: decorator
@inline export function aclHash(l: u32, r: u32, ports: u32, proto: u32): u32 {
  let h = rotl<u32>(l * 0xcc9e2d51, 15);
  h ^= r * 0x1b873593;
  h = rotl<u32>(h, 13) * 5 + 0xe6546b64;
  h ^= (ports ^ (proto << 24)) * 0xcc9e2d51;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Finds, for each of the m scratch records, the lowest-ranked matching entry of classifier `cls`
 *  (K_BEST stays ACL_NO_MATCH when none matches). Records whose K_BEST starts at 0 are skipped. */
export function aclClassify(cls: usize, m: i32): void {
  const nTuples = <i32>load<u32>(cls);
  const keys = aclScratch;
  const keysEnd = keys + <usize>(m * ACL_KEY_SIZE);
  for (let t = 0; t < nTuples; t++) {
    const tp = cls + <usize>(ACL_CLS_TUPLES + t * ACL_TUPLE_SIZE);
    const lmask = load<u32>(tp, AT_LMASK);
    const rmask = load<u32>(tp, AT_RMASK);
    const pmask = load<u32>(tp, AT_PMASK);
    const portmask = load<u32>(tp, AT_PORTMASK);
    const minRank = load<u32>(tp, AT_MINRANK);
    const slots = <usize>load<u32>(tp, AT_SLOTS);
    const slotMask = load<u32>(tp, AT_SLOTMASK);
    for (let k = keys; k < keysEnd; k += ACL_KEY_SIZE) {
      const best = load<u32>(k, K_BEST);
      // Every entry of this tuple ranks at or after minRank: no better match can come from it.
      if (best <= minRank) continue;
      const local = load<u32>(k, K_LOCAL);
      const remote = load<u32>(k, K_REMOTE);
      const ports = load<u32>(k, K_PORTS);
      const proto = load<u32>(k, K_PROTO);
      const kl = local & lmask;
      const kr = remote & rmask;
      const kports = ports & portmask;
      const kproto = proto & pmask;
      let s = aclHash(kl, kr, kports, kproto) & slotMask;
      while (true) {
        const sp = slots + (<usize>s << 5);
        const count = load<u32>(sp, AS_COUNT);
        if (count == 0) break;
        if (load<u32>(sp, AS_L) == kl && load<u32>(sp, AS_R) == kr && load<u32>(sp, AS_PORTS) == kports && load<u32>(sp, AS_PROTO) == kproto) {
          const lport = ports >>> 16;
          const rport = ports & 0xffff;
          let e = <usize>load<u32>(sp, AS_ENTRIES);
          const end = e + <usize>(count << 5);
          for (; e < end; e += ACL_ENTRY_SIZE) {
            const rank = load<u32>(e, AE_RANK);
            if (rank >= best) break;
            const pw = load<u32>(e, AE_PROTO);
            const lp = load<u32>(e, AE_LPORTS);
            const rp = load<u32>(e, AE_RPORTS);
            const ok =
              (i32((local & load<u32>(e, AE_LMASK)) == load<u32>(e, AE_LNET)) &
                i32((remote & load<u32>(e, AE_RMASK)) == load<u32>(e, AE_RNET)) &
                i32((proto & (pw >>> 16)) == (pw & 0xffff)) &
                i32(lport >= (lp & 0xffff)) &
                i32(lport <= (lp >>> 16)) &
                i32(rport >= (rp & 0xffff)) &
                i32(rport <= (rp >>> 16))) != 0;
            if (ok) {
              store<u32>(k, rank, K_BEST);
              break;
            }
          }
          break;
        }
        s = (s + 1) & slotMask;
      }
    }
  }
}
