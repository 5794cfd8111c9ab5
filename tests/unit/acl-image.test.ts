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
