/**
 * The ACL classifier image: the layout constants of the TypeScript tables (src/table-images/acl-image.ts,
 * with the classifier's and the rule model's shared ones) and assembly/tables/acl-classifier.ts agree,
 * the tuple-space build places every entry exactly once in a tuple whose shape it covers, and the encoder writes exactly the bytes it sized. (That the two
 * aclHash implementations agree is shown by tests/diff/acl.test.ts: with a different hash the
 * WebAssembly lookup would find no fingerprint and decide differently from the reference.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as rules from '../../src/table-images/acl-rules.js';
import * as classifier from '../../src/table-images/acl-classifier.js';
import * as image from '../../src/table-images/acl-image.js';
import { classbenchRules } from '../../src/bench/classbench.js';
import { maskOf } from '../../src/addr.js';
import { parseRuleAddresses, parseRulePorts } from '../../src/model/rule-match.js';

/** The three ACL table modules as one namespace: the layout test names constants from each. */
const acl = { ...rules, ...classifier, ...image };

function asConstants(): Map<string, number> {
  const text = readFileSync(new URL('../../assembly/tables/acl-classifier.ts', import.meta.url), 'utf8');
  const out = new Map<string, number>();
  // A constant is a number, or a power of two written `1 << N`.
  for (const m of text.matchAll(/^export const (\w+): \w+ = (?:(0x[0-9a-f]+|\d+)|1 << (\d+));/gim)) out.set(m[1], m[2] !== undefined ? Number(m[2]) : 2 ** Number(m[3]));
  return out;
}

describe('ACL image layout', () => {
  it('uses the same constants in TypeScript and AssemblyScript', () => {
    const as = asConstants();
    const shared = [
      'ACL_MAGIC', 'ACL_HEADER_SIZE', 'AH_MAGIC', 'AH_NRULES', 'AH_DEFAULT_IN', 'AH_DEFAULT_OUT', 'AH_HITS', 'AH_RANKS',
      'AH_CLASS_IN', 'AH_CLASS_OUT', 'AH_CACHE_IN', 'AH_CACHE_OUT', 'AH_CACHE_SHIFT', 'ACL_CLS_TUPLES', 'ACL_TUPLE_SIZE',
      'AT_LMASK', 'AT_RMASK', 'AT_PMASK', 'AT_PORTMASK', 'AT_MINRANK', 'AT_SLOTS', 'AT_SHIFT', 'ACL_SLOT_SIZE', 'AS_FP',
      'AS_ENTRIES', 'AS_COUNT', 'AS_SHARED', 'ACL_ENTRY_SIZE', 'AE_RANK', 'AE_LNET', 'AE_LMASK', 'AE_RNET', 'AE_RMASK',
      'AE_PROTO', 'AE_LPORTS', 'AE_RPORTS', 'ACL_CACHE_ENTRY_SIZE', 'ACL_CACHE_NO_RULE', 'ACL_NO_PORTS', 'ACL_MAX_RULE_SETS',
      'AC_NTUPLES', 'AC_NLOCAL', 'AC_NREMOTE', 'AC_LOCAL0', 'AC_REMOTE0', 'ACL_LEN_SIZE', 'AL_MASK', 'AL_SHIFT', 'AL_TABLE',
      'ACL_BLOOM_MUL', 'ACL_MASKED_TUPLES',
    ] as const;
    for (const name of shared) expect(as.get(name), name).toBe((acl as unknown as Record<string, number>)[name]);
  });
});

describe('tuple-space build', () => {
  for (const semantics of ['vfp', 'firewall'] as const) {
    it(`places every entry once, in a tuple it fits, buckets in rank order (${semantics})`, () => {
      const set = classbenchRules({ rules: 3000, seed: 17, semantics, direction: 'mixed' });
      const c = acl.compileAcl(set);
      for (const [outbound, cls] of [[false, c.inbound], [true, c.outbound]] as const) {
        const entries = acl.expandEntries(set, outbound);
        expect(cls.entries).toBe(entries.length);
        let placed = 0;
        for (let k = 0; k < cls.tuples.length; k++) {
          const t = cls.tuples[k];
          if (k > 0) expect(t.minRank).toBeGreaterThanOrEqual(cls.tuples[k - 1].minRank);
          for (const [key, bucket] of t.buckets) {
            placed += bucket.length;
            expect(t.minRank).toBeLessThanOrEqual(bucket[0].rank);
            for (let i = 0; i < bucket.length; i++) {
              const e = bucket[i];
              if (i > 0) expect(e.rank).toBeGreaterThanOrEqual(bucket[i - 1].rank);
              expect(e.llen).toBeGreaterThanOrEqual(t.llen);
              expect(e.rlen).toBeGreaterThanOrEqual(t.rlen);
              if (t.proto) expect(e.proto).toBeGreaterThanOrEqual(0);
              if (t.lport) expect(e.lports !== null && e.lports.lo === e.lports.hi).toBe(true);
              if (t.rport) expect(e.rports !== null && e.rports.lo === e.rports.hi).toBe(true);
              expect(acl.entryKeyParts(e, t).join(',')).toBe(key);
            }
          }
        }
        expect(placed).toBe(entries.length);
        // Merging keeps the tuple count far below the rule count.
        expect(cls.tuples.length).toBeLessThan(100);
      }
      // Ranks cover the rules once each.
      expect([...c.order].sort((a, b) => a - b)).toEqual(set.rules.map((_, i) => i));
    });
  }

  it('expands list fields into the cross product, all under the rule rank', () => {
    const set: rules.AclRuleSet = {
      semantics: 'vfp',
      defaultAction: 'allow',
      rules: [
        {
          id: 'x', priority: 1, direction: 'in', protocol: [6, 17],
          local: parseRuleAddresses('10.0.0.1-10.0.0.2'), remote: [], localPorts: parseRulePorts('80,443'), remotePorts: [],
          action: 'block',
        },
      ],
    };
    const es = acl.expandEntries(set, false);
    expect(es).toHaveLength(1 * 2 * 2 * 2);
    expect(new Set(es.map((e) => e.rank))).toEqual(new Set([0]));
    expect(acl.expandEntries(set, true)).toHaveLength(0);
  });

  it('writes exactly the bytes it sizes, with and without a verdict cache', () => {
    const set = classbenchRules({ rules: 500, seed: 3, direction: 'mixed' });
    for (const verdictCache of [0, 2, 1024]) {
      const c = acl.compileAcl(set, { verdictCache });
      const size = acl.aclImageSize(c);
      const base = 64;
      const buf = new ArrayBuffer(base + size);
      // A DataView exactly the image's size: a write past the end throws.
      acl.encodeAclImage(c, new DataView(buf, 0, base + size), base);
      const dv = new DataView(buf);
      expect(dv.getUint32(base + acl.AH_MAGIC, true)).toBe(acl.ACL_MAGIC);
      expect(dv.getUint32(base + acl.AH_NRULES, true)).toBe(500);
      expect(dv.getUint32(base + acl.AH_CACHE_SHIFT, true)).toBe(verdictCache === 0 ? 0 : 32 - Math.log2(verdictCache));
      expect(dv.getUint32(base + acl.AH_CACHE_IN, true) === 0).toBe(verdictCache === 0);
    }
  });

  it('refuses verdict-cache sizes that are not powers of two', () => {
    const set: rules.AclRuleSet = { semantics: 'vfp', defaultAction: 'allow', rules: [] };
    expect(() => acl.compileAcl(set, { verdictCache: 3 })).toThrow(RangeError);
    expect(() => acl.compileAcl(set, { verdictCache: 1 })).toThrow(RangeError);
    expect(() => acl.compileAcl(set, { verdictCache: 1 << 23 })).toThrow(RangeError);
  });
});

describe('prefilters (one table per address prefix length in use)', () => {
  // Read back from the encoded image: for each classifier, its prefilter tables, and per tuple k (of
  // the first ACL_MASKED_TUPLES) the masked addresses of its entries on each side.
  function decode(rulesCount: number, seed: number) {
    const set = classbenchRules({ rules: rulesCount, seed, direction: 'mixed' });
    const c = acl.compileAcl(set, { verdictCache: 0 });
    const size = acl.aclImageSize(c);
    const dv = new DataView(new ArrayBuffer(size + 64));
    acl.encodeAclImage(c, dv, 64);
    return ([[c.inbound, acl.AH_CLASS_IN], [c.outbound, acl.AH_CLASS_OUT]] as const).map(([cls, at]) => {
      const base = dv.getUint32(64 + at, true);
      const nTuples = dv.getUint32(base + acl.AC_NTUPLES, true);
      const nLocal = dv.getUint32(base + acl.AC_NLOCAL, true);
      const nRemote = dv.getUint32(base + acl.AC_NREMOTE, true);
      const lens = base + acl.ACL_CLS_TUPLES + nTuples * acl.ACL_TUPLE_SIZE;
      const tables = Array.from({ length: nLocal + nRemote }, (_, j) => {
        const lp = lens + j * acl.ACL_LEN_SIZE;
        const mask = dv.getUint32(lp + acl.AL_MASK, true);
        const shift = dv.getUint32(lp + acl.AL_SHIFT, true);
        const table = dv.getUint32(lp + acl.AL_TABLE, true);
        const bits = (addr: number): bigint => {
          const slot = Math.imul((addr & mask) >>> 0, acl.ACL_BLOOM_MUL) >>> shift;
          return dv.getBigUint64(table + slot * 8, true);
        };
        return { local: j < nLocal, mask, shift, bits };
      });
      return { cls, tables };
    });
  }

  it('let through every tuple that holds the masked address (no false negatives)', () => {
    for (const { cls, tables } of decode(3000, 21)) {
      let checked = 0;
      cls.tuples.slice(0, acl.ACL_MASKED_TUPLES).forEach((t, k) => {
        for (const bucket of t.buckets.values()) {
          for (const e of bucket) {
            for (const f of tables) {
              const len = f.local ? t.llen : t.rlen;
              if (f.mask !== maskOf(len) || len === 0) continue;
              expect((f.bits(f.local ? e.lnet : e.rnet) >> BigInt(k)) & 1n).toBe(1n);
              checked++;
            }
          }
        }
      });
      expect(checked).toBeGreaterThan(1000);
    }
  });

  it('keep collisions between masked addresses rare (a collision sends a packet to probe a tuple it cannot match)', () => {
    // acl bench (1k/10k ClassBench-like rules, fresh flows): 8 table slots per masked address instead
    // of 2 cut the probes that miss from 1.05 to 0.71 a packet at 1k, 2.61 to 2.05 at 10k.
    for (const { cls, tables } of decode(10000, 22)) {
      for (const f of tables) {
        const keys = new Set<number>();
        cls.tuples.slice(0, acl.ACL_MASKED_TUPLES).forEach((t) => {
          if ((f.local ? t.llen : t.rlen) === 0 || maskOf(f.local ? t.llen : t.rlen) !== f.mask) return;
          for (const b of t.buckets.values()) for (const e of b) keys.add(((f.local ? e.lnet : e.rnet) & f.mask) >>> 0);
        });
        const slots = new Map<number, number>();
        for (const key of keys) {
          const s = Math.imul(key, acl.ACL_BLOOM_MUL) >>> f.shift;
          slots.set(s, (slots.get(s) ?? 0) + 1);
        }
        const sharing = [...keys].filter((key) => slots.get(Math.imul(key, acl.ACL_BLOOM_MUL) >>> f.shift)! > 1).length;
        expect(2 ** (32 - f.shift), 'table slots').toBeGreaterThanOrEqual(keys.size * 8);
        if (keys.size >= 64) expect(sharing / keys.size, `len mask ${f.mask.toString(16)}: ${sharing} of ${keys.size} share a slot`).toBeLessThan(0.2);
      }
    }
  });
});
