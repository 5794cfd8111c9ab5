/**
 * Loading ACL rule sets into either core, and reading their hit counters back.
 *
 *   loadAcl(core, id, ruleSet)      → compiles and loads rule set `id` (the acl stage's a0)
 *   aclHitCounts(core, id)          → number[]: hits per rule, indexed like ruleSet.rules
 *   aclDefaultHits(core, id)        → { in, out }: packets decided by the default action
 *   aclResetHits(core, id)
 *   aclAddHits(core, id, rules, defaults) → adds hits counted on another core (a flood's replica)
 *
 * Loading again under the same id replaces the rule set and starts its counters at zero. On the
 * WebAssembly core each load takes a fresh image from the core's allocator and frees the previous one:
 * reload per configuration change, not per packet batch.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadAcl, refAclHits, refAclResetHits, refUnloadAcl, refAclAddHits } from '../reference/acl.js';
import { type AclRuleSet, ACL_MAX_RULE_SETS } from '../../table-images/acl-rules.js';
import { compileAcl, classifierStats, type AclCompileOptions } from '../../table-images/acl-classifier.js';
import { AH_HITS, AH_NRULES, aclImageSize, encodeAclImage } from '../../table-images/acl-image.js';

export interface AclLoadInfo {
  rules: number;
  /** WebAssembly core only: the classifier's shape per direction and the image size in bytes. */
  inbound?: AclClassifierShape;
  outbound?: AclClassifierShape;
  bytes?: number;
}

/** Tuples, classifier entries, hash buckets, largest bucket. */
export type AclClassifierShape = ReturnType<typeof classifierStats>;

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= ACL_MAX_RULE_SETS) {
    throw new RangeError(`ACL rule-set id ${id} not in 0..${ACL_MAX_RULE_SETS - 1}`);
  }
}

interface AclExports {
  acl_load(id: number, image: number): number;
  acl_image(id: number): number;
}

function wasmExports(core: PacketCore): AclExports {
  return (core as WasmCore).exports as unknown as AclExports;
}

/**
 * Compiles `set` and loads it as rule set `id` into `core`. Throws RangeError on invalid input.
 * `opts` tunes the WebAssembly core only (verdict-cache size, classifier parameters); the reference core
 * has no cache and scans the rules, and both decide identically whatever the options.
 */
export function loadAcl(core: PacketCore, id: number, set: AclRuleSet, opts: AclCompileOptions = {}): AclLoadInfo {
  checkId(id);
  if (core.kind === 'reference') {
    refLoadAcl(core as RefCore, id, set);
    return { rules: set.rules.length };
  }
  const compiled = compileAcl(set, opts);
  const size = aclImageSize(compiled);
  const base = core.alloc(size);
  encodeAclImage(compiled, core.view(), base);
  if (wasmExports(core).acl_load(id, base) !== 0) throw new Error(`core refused ACL image for rule set ${id}`);
  return {
    rules: set.rules.length,
    inbound: classifierStats(compiled.inbound),
    outbound: classifierStats(compiled.outbound),
    bytes: size,
  };
}

/** Removes rule set `id` (its image is freed): what a port or compartment that is gone held. */
export function unloadAcl(core: PacketCore, id: number): void {
  checkId(id);
  if (core.kind === 'reference') return refUnloadAcl(core as RefCore, id);
  wasmExports(core).acl_load(id, 0);
}

function wasmHits(core: PacketCore, id: number): { hits: number; nRules: number } | undefined {
  const image = wasmExports(core).acl_image(id) >>> 0;
  if (image === 0) return undefined;
  const dv = core.view();
  return { hits: dv.getUint32(image + AH_HITS, true), nRules: dv.getUint32(image + AH_NRULES, true) };
}

/** Hit counters of rule set `id`, one per rule in the order of `rules` ([] when nothing is loaded). */
export function aclHitCounts(core: PacketCore, id: number): number[] {
  checkId(id);
  if (core.kind === 'reference') return refAclHits(core as RefCore, id)?.rules ?? [];
  const h = wasmHits(core, id);
  if (!h) return [];
  const dv = core.view();
  const out: number[] = [];
  for (let r = 0; r < h.nRules; r++) out.push(Number(dv.getBigUint64(h.hits + r * 8, true)));
  return out;
}

/** Packets of rule set `id` decided by the default action, per direction. */
export function aclDefaultHits(core: PacketCore, id: number): { in: number; out: number } {
  checkId(id);
  if (core.kind === 'reference') {
    const r = refAclHits(core as RefCore, id);
    return { in: r?.defaultIn ?? 0, out: r?.defaultOut ?? 0 };
  }
  const h = wasmHits(core, id);
  if (!h) return { in: 0, out: 0 };
  const dv = core.view();
  return {
    in: Number(dv.getBigUint64(h.hits + h.nRules * 8, true)),
    out: Number(dv.getBigUint64(h.hits + (h.nRules + 1) * 8, true)),
  };
}

/** Sets every hit counter of rule set `id` (rules and defaults) to zero. */
export function aclResetHits(core: PacketCore, id: number): void {
  checkId(id);
  if (core.kind === 'reference') return refAclResetHits(core as RefCore, id);
  const h = wasmHits(core, id);
  if (h) core.bytes().fill(0, h.hits, h.hits + (h.nRules + 2) * 8);
}

/** Adds hits counted on another core with the same rule set (a flood worker's replica) to `id`'s. */
export function aclAddHits(core: PacketCore, id: number, rules: readonly number[], defaults: { in: number; out: number }): void {
  checkId(id);
  if (core.kind === 'reference') return refAclAddHits(core as RefCore, id, rules, defaults);
  const h = wasmHits(core, id);
  if (!h) return;
  const dv = core.view();
  const add = (k: number, v: number) => {
    if (v) dv.setBigUint64(h.hits + k * 8, dv.getBigUint64(h.hits + k * 8, true) + BigInt(v), true);
  };
  for (let r = 0; r < Math.min(h.nRules, rules.length); r++) add(r, rules[r]!);
  add(h.nRules, defaults.in);
  add(h.nRules + 1, defaults.out);
}
