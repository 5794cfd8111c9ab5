/**
 * The acl stage: the WebAssembly classifier (tuple-space search + verdict cache) against the reference
 * twin (a linear scan in decision order), on seeded random rule sets of both semantics with every
 * field kind, overlaps, priority ties and defaults, and packets biased to hit the rules (TCP, UDP,
 * ICMP, GRE, fragments, ARP, 802.1Q-tagged, malformed). Frames go through parse first, as in the
 * data path. Both cores must agree on bytes, descriptors, counters, trace events and hit counters;
 * the hand-written cases below pin the semantics themselves.
 */
import { maskOf } from '../../src/addr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { readDescriptor, type ProgramStep } from '../../src/engine/core.js';
import { loadAcl, aclHitCounts, aclDefaultHits, aclResetHits, unloadAcl } from '../../src/engine/loaders/acl.js';
import type { AclPrefix, AclRule, AclRuleSet, PortRange } from '../../src/table-images/acl-rules.js';
import { ACL_MAX_RULE_SETS } from '../../src/table-images/acl-rules.js';

import { buildFrame } from '../../src/wire/build.js';
import { makePair, randInt, rng, runBoth, type CorePair } from '../support/diff-harness.js';

const DROP_ACL_BLOCKED = 30;
const DROP_ACL_DEFAULT_BLOCK = 31;
const ip = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0;

interface Header {
  src: number;
  dst: number;
  proto: number;
  sport: number;
  dport: number;
  /** tcp/udp/icmp/raw follow from proto; these change the frame's shape. */
  kind?: 'fragment' | 'arp' | 'vlan' | 'bad-checksum';
}

function frame(h: Header): Uint8Array {
  const eth = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
  if (h.kind === 'arp') return buildFrame({ eth: { src: eth.src, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: h.src, targetIp: h.dst } });
  const ipv4 = { src: h.src, dst: h.dst, ttl: 128, protocol: h.proto, moreFragments: h.kind === 'fragment' };
  const vlan = h.kind === 'vlan' ? { vid: 7 } : undefined;
  let f: Uint8Array;
  if (h.proto === 6) f = buildFrame({ eth, vlan, ipv4, tcp: { sport: h.sport, dport: h.dport, flags: 'S' }, minLength: 60 });
  else if (h.proto === 17) f = buildFrame({ eth, vlan, ipv4, udp: { sport: h.sport, dport: h.dport }, payload: 'acl', minLength: 60 });
  else if (h.proto === 1) f = buildFrame({ eth, vlan, ipv4, icmp: { id: h.sport, seq: 1 }, minLength: 60 });
  else f = buildFrame({ eth, vlan, ipv4, payload: new Uint8Array(24).fill(0x47), minLength: 60 });
  if (h.kind === 'bad-checksum') f[24] ^= 0xff;
  return f;
}

// ---- random rule sets -------------------------------------------------------------------------

const SITES = ['10.1.0.0', '10.2.0.0', '172.16.0.0', '192.168.5.0', '93.184.216.0'].map(ip);
const PORTS = [22, 53, 80, 443, 3389, 8080, 49152];

function randAddr(r: () => number): number {
  return (SITES[randInt(r, 0, SITES.length - 1)] + randInt(r, 0, 1023)) >>> 0;
}

function randPrefix(r: () => number): AclPrefix {
  const len = r() < 0.7 ? [8, 12, 16, 20, 24, 28, 30, 31, 32, 32, 32][randInt(r, 0, 10)] : randInt(r, 0, 32);
  return { base: (randAddr(r) & maskOf(len)) >>> 0, len };
}

function randPrefixes(r: () => number): AclPrefix[] {
  const x = r();
  if (x < 0.4) return [];
  return Array.from({ length: x < 0.85 ? 1 : randInt(r, 2, 3) }, () => randPrefix(r));
}

function randPorts(r: () => number): PortRange[] {
  const x = r();
  if (x < 0.5) return [];
  const one = (): PortRange => {
    if (r() < 0.7) {
      const p = PORTS[randInt(r, 0, PORTS.length - 1)];
      return { lo: p, hi: p };
    }
    const lo = randInt(r, 0, 60000);
    return { lo, hi: Math.min(65535, lo + randInt(r, 0, r() < 0.5 ? 10 : 5000)) };
  };
  return Array.from({ length: x < 0.92 ? 1 : 2 }, one);
}

function randRule(r: () => number, i: number): AclRule {
  const protocol = ((): AclRule['protocol'] => {
    const x = r();
    if (x < 0.25) return 'any';
    if (x < 0.6) return 6;
    if (x < 0.8) return 17;
    if (x < 0.9) return 1;
    if (x < 0.95) return 47;
    return [6, 17];
  })();
  const ported = protocol === 'any' || protocol === 6 || protocol === 17 || Array.isArray(protocol);
  // Ports on a protocol without them are legal in the model and must simply never match.
  const withPorts = ported || r() < 0.1;
  return {
    id: `rule-${i}`,
    priority: r() < 0.8 ? randInt(r, 0, 20) * 100 : randInt(r, 0, 65535),
    direction: (['in', 'out', 'both'] as const)[randInt(r, 0, 2)],
    protocol,
    local: randPrefixes(r),
    remote: randPrefixes(r),
    localPorts: withPorts ? randPorts(r) : [],
    remotePorts: withPorts ? randPorts(r) : [],
    action: r() < 0.5 ? 'allow' : 'block',
  };
}

function randRuleSet(r: () => number, count: number): AclRuleSet {
  const rules = Array.from({ length: count }, (_, i) => randRule(r, i));
  // Exact duplicates in other actions and priorities: ties and shadowing.
  for (let k = 0; k < count / 10; k++) {
    const src = rules[randInt(r, 0, count - 1)];
    rules.splice(randInt(r, 0, rules.length), 0, { ...src, id: `dup-${k}`, action: r() < 0.5 ? 'allow' : 'block', priority: r() < 0.5 ? src.priority : randInt(r, 0, 2000) });
  }
  const d = r();
  return {
    semantics: r() < 0.5 ? 'firewall' : 'vfp',
    defaultAction: d < 0.35 ? 'allow' : d < 0.7 ? 'block' : { in: r() < 0.5 ? 'allow' : 'block', out: r() < 0.5 ? 'allow' : 'block' },
    rules,
  };
}

// ---- packets biased to the rules --------------------------------------------------------------

function inPrefixes(r: () => number, ps: readonly AclPrefix[]): number {
  if (ps.length === 0 || r() < 0.05) return randAddr(r);
  const p = ps[randInt(r, 0, ps.length - 1)];
  return (p.base + (p.len === 32 ? 0 : Math.floor(r() * 2 ** (32 - p.len)))) >>> 0;
}

function inPorts(r: () => number, ps: readonly PortRange[]): number {
  if (ps.length === 0 || r() < 0.05) return r() < 0.5 ? PORTS[randInt(r, 0, PORTS.length - 1)] : randInt(r, 1, 65535);
  const p = ps[randInt(r, 0, ps.length - 1)];
  // The range's edges and just outside them.
  const x = r();
  if (x < 0.15) return p.lo;
  if (x < 0.3) return p.hi;
  if (x < 0.36) return Math.max(0, p.lo - 1);
  if (x < 0.42) return Math.min(65535, p.hi + 1);
  return randInt(r, p.lo, p.hi);
}

function randHeader(r: () => number, set: AclRuleSet, outbound: boolean): Header {
  const rule = set.rules.length > 0 && r() < 0.85 ? set.rules[randInt(r, 0, set.rules.length - 1)] : undefined;
  let proto: number;
  if (rule && rule.protocol !== 'any' && r() < 0.9) proto = typeof rule.protocol === 'number' ? rule.protocol : rule.protocol[randInt(r, 0, rule.protocol.length - 1)];
  else proto = [6, 6, 17, 1, 47][randInt(r, 0, 4)];
  const local = inPrefixes(r, rule?.local ?? []);
  const remote = inPrefixes(r, rule?.remote ?? []);
  const lport = inPorts(r, rule?.localPorts ?? []);
  const rport = inPorts(r, rule?.remotePorts ?? []);
  const h: Header = outbound
    ? { src: local, dst: remote, proto, sport: lport, dport: rport }
    : { src: remote, dst: local, proto, sport: rport, dport: lport };
  const x = r();
  if (x < 0.03) h.kind = 'arp';
  else if (x < 0.07 && (proto === 6 || proto === 17)) h.kind = 'fragment';
  else if (x < 0.1) h.kind = 'vlan';
  else if (x < 0.11) h.kind = 'bad-checksum';
  return h;
}

function aclProgram(set: number, outbound: boolean): ProgramStep[] {
  return [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ACL, a0: set, a1: outbound ? 1 : 0 }];
}

// ---- differential -----------------------------------------------------------------------------

describe('acl: WebAssembly classifier vs linear reference', () => {
  const SEEDS = Array.from({ length: 14 }, (_, k) => 0xac10 + k * 7919);
  const SIZES = [0, 1, 3, 12, 40, 150, 400];
  const CACHES = [0, 2, 64, 1024];
  let packets = 0;

  for (const seed of SEEDS) {
    it(`agrees on random rule sets and traffic (seed ${seed})`, async () => {
      const r = rng(seed);
      const pair = await makePair({ slots: 256 });
      const sets = new Map<number, AclRuleSet>();
      // Two rule sets per core, loaded under ids far apart.
      for (const id of [randInt(r, 0, 50), 4095]) {
        const set = randRuleSet(r, SIZES[randInt(r, 0, SIZES.length - 1)]);
        sets.set(id, set);
        loadAcl(pair.wasm, id, set, { verdictCache: CACHES[randInt(r, 0, CACHES.length - 1)] });
        loadAcl(pair.ref, id, set);
      }
      const ids = [...sets.keys()];
      for (let b = 0; b < 8; b++) {
        const id = ids[b % ids.length];
        const outbound = r() < 0.5;
        const n = b === 0 ? 256 : randInt(r, 1, 256);
        const frames = Array.from({ length: n }, () => frame(randHeader(r, sets.get(id)!, outbound)));
        const opts = { seed, trace: b % 3 === 0 };
        runBoth(pair, frames, aclProgram(id, outbound), opts);
        // The same batch again: verdict-cache hits on the WebAssembly side must decide the same.
        if (b % 2 === 1) runBoth(pair, frames, aclProgram(id, outbound), opts);
        packets += n * (b % 2 === 1 ? 2 : 1);
      }
      for (const id of ids) {
        expect(aclHitCounts(pair.wasm, id), `hit counters of rule set ${id} (seed ${seed})`).toEqual(aclHitCounts(pair.ref, id));
        expect(aclDefaultHits(pair.wasm, id), `default hits of rule set ${id} (seed ${seed})`).toEqual(aclDefaultHits(pair.ref, id));
      }
      // Every IP packet that reached the stage counted once: on a rule or on a default.
      const c = pair.wasm.counters();
      const decided = ids.reduce((a, id) => a + aclHitCounts(pair.wasm, id).reduce((x, y) => x + y, 0) + aclDefaultHits(pair.wasm, id).in + aclDefaultHits(pair.wasm, id).out, 0);
      expect(decided, `seed ${seed}`).toBeLessThanOrEqual(c.stages[abi.STAGE_ACL][abi.C_IN]);
      expect(c.stages[abi.STAGE_ACL][abi.C_PASS] + c.stages[abi.STAGE_ACL][abi.C_DROP]).toBe(c.stages[abi.STAGE_ACL][abi.C_IN]);
    });
  }

  it('ran at least 20,000 packets through both cores', () => {
    expect(packets).toBeGreaterThanOrEqual(20_000);
  });
});

describe('acl: classifier shapes', () => {
  // Tuning changes the classifier's shape, never a decision: finer merging steps and one-entry
  // buckets give more tuples than the prefilter masks cover (ACL_MASKED_TUPLES), coarse ones give
  // long shared buckets.
  const variants = [
    { maxBucket: 1, steps: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30], protoKey: true },
    { maxBucket: 64, steps: [0], protoKey: false },
    { maxBucket: 2, steps: [0, 16, 24], protoKey: false },
  ];
  for (const [k, tuples] of variants.entries()) {
    it(`decides the same with tuple parameters ${JSON.stringify(tuples)}`, async () => {
      const seed = 0x7a9 + k;
      const r = rng(seed);
      const pair = await makePair({ slots: 256 });
      const set = randRuleSet(r, 600);
      const info = loadAcl(pair.wasm, 2, set, { tuples, verdictCache: 0 });
      loadAcl(pair.ref, 2, set);
      if (k === 0) expect(Math.max(info.inbound!.tuples, info.outbound!.tuples)).toBeGreaterThan(64);
      if (k === 1) expect(info.inbound!.maxBucket).toBeGreaterThan(20);
      for (let b = 0; b < 6; b++) {
        const outbound = b % 2 === 1;
        const frames = Array.from({ length: 256 }, () => frame(randHeader(r, set, outbound)));
        runBoth(pair, frames, aclProgram(2, outbound), { seed, trace: b === 0 });
      }
      expect(aclHitCounts(pair.wasm, 2), `seed ${seed}`).toEqual(aclHitCounts(pair.ref, 2));
    });
  }
});

describe('acl: ClassBench-like rule sets, both cores', () => {
  it('agrees on a 2000-rule set with mixed directions', async () => {
    const { classbenchRules, classbenchTrace, headerFrame } = await import('../../src/bench/classbench.js');
    for (const semantics of ['vfp', 'firewall'] as const) {
      const seed = semantics === 'vfp' ? 5 : 6;
      const set = classbenchRules({ rules: 2000, seed, semantics, direction: 'mixed' });
      const pair = await makePair({ slots: 256 });
      loadAcl(pair.wasm, 3, set, { verdictCache: 0 });
      loadAcl(pair.ref, 3, set);
      for (const dir of ['in', 'out'] as const) {
        const hs = classbenchTrace(set, { count: 1024, seed: seed * 10, direction: dir, random: 0.2 });
        for (let at = 0; at < hs.length; at += 256) {
          runBoth(pair, hs.slice(at, at + 256).map((h, k) => headerFrame(h, 64, k)), aclProgram(3, dir === 'out'), { seed });
        }
      }
      expect(aclHitCounts(pair.wasm, 3)).toEqual(aclHitCounts(pair.ref, 3));
      expect(aclDefaultHits(pair.wasm, 3)).toEqual(aclDefaultHits(pair.ref, 3));
      // The trace really exercised the rules, not only the default.
      expect(aclHitCounts(pair.ref, 3).filter((x) => x > 0).length).toBeGreaterThan(200);
    }
  });
});

describe("acl: the classifier's walk (each packet probes its viable tuples in rank order and stops early)", () => {
  // Rule sets built so that the stop matters: many tuple shapes whose best ranks interleave (nested
  // prefixes /8../32 on one site, port ranges nested and overlapping, protocols and wildcards), so a
  // packet's best match often sits in a tuple after one that already matched at a worse rank, and
  // the first viable tuple is rarely the deciding one. Traffic lands inside the rules, on their port
  // edges, without ports (ICMP, GRE, fragments of TCP/UDP) and outside every rule (no viable tuple).
  function nestedSet(r: () => number, count: number): AclRuleSet {
    const site = ip('10.20.0.0');
    const rules: AclRule[] = [];
    for (let i = 0; i < count; i++) {
      const llen = [8, 12, 16, 20, 24, 26, 28, 30, 32][randInt(r, 0, 8)];
      const rlen = [0, 0, 8, 16, 24, 32][randInt(r, 0, 5)];
      const proto = ([6, 17, 1, 'any', 6, 6] as const)[randInt(r, 0, 5)];
      const ported = proto === 6 || proto === 17;
      const lo = [0, 80, 443, 1000, 1024, 8000][randInt(r, 0, 5)];
      const width = [0, 0, 1, 16, 1000, 65535][randInt(r, 0, 5)];
      const lp: PortRange[] = ported && r() < 0.7 ? [{ lo, hi: Math.min(65535, lo + width) }] : [];
      const rp: PortRange[] = ported && r() < 0.3 ? [{ lo: 1024, hi: randInt(r, 1024, 65535) }] : [];
      rules.push(rule({
        // Mostly specific before broad, with noise: ranks interleave across tuple shapes.
        id: `n${i}`, priority: (64 - llen - rlen) * 4 + randInt(r, 0, 120), direction: (['in', 'out', 'both'] as const)[randInt(r, 0, 2)], protocol: proto,
        local: [{ base: ((site + (randInt(r, 0, 0xffff) & ~(2 ** (32 - Math.max(llen, 16)) - 1))) & maskOf(llen)) >>> 0, len: llen }],
        remote: rlen === 0 ? [] : [{ base: ((ip('93.184.0.0') + randInt(r, 0, 0xffff)) & maskOf(rlen)) >>> 0, len: rlen }],
        localPorts: lp, remotePorts: rp, action: r() < 0.5 ? 'allow' : 'block',
      }));
    }
    return { semantics: r() < 0.5 ? 'vfp' : 'firewall', defaultAction: r() < 0.5 ? 'allow' : 'block', rules };
  }
  function nestedHeader(r: () => number, set: AclRuleSet, outbound: boolean): Header {
    const h = randHeader(r, set, outbound);
    const x = r();
    if (x < 0.1) h.kind = 'fragment';
    else if (x < 0.15) {
      // Outside every rule's local prefix: no tuple keyed on a local prefix is viable.
      if (outbound) h.src = ip('203.0.113.9');
      else h.dst = ip('203.0.113.9');
    }
    return h;
  }
  for (const seed of [0x51, 0x52, 0x53, 0x54]) {
    it(`agrees with the linear reference on nested, overlapping rule sets (seed ${seed})`, async () => {
      const r = rng(seed);
      const pair = await makePair({ slots: 256 });
      const set = nestedSet(r, [60, 300, 900, 2500][seed & 3]);
      const info = loadAcl(pair.wasm, 9, set, { verdictCache: 0, tuples: seed & 1 ? { maxBucket: 2 } : {} });
      loadAcl(pair.ref, 9, set);
      expect(Math.max(info.inbound!.tuples, info.outbound!.tuples), 'many tuple shapes').toBeGreaterThan(8);
      for (let b = 0; b < 8; b++) {
        const outbound = b % 2 === 1;
        const frames = Array.from({ length: 256 }, () => frame(nestedHeader(r, set, outbound)));
        runBoth(pair, frames, aclProgram(9, outbound), { seed, trace: b === 0 });
      }
      expect(aclHitCounts(pair.wasm, 9)).toEqual(aclHitCounts(pair.ref, 9));
      expect(aclDefaultHits(pair.wasm, 9)).toEqual(aclDefaultHits(pair.ref, 9));
      expect(aclHitCounts(pair.ref, 9).filter((x) => x > 0).length, 'the traffic reached many rules').toBeGreaterThan(set.rules.length / 20);
    });
  }

  it('decides by the new rules after a rule set is edited and reloaded under the same id (cached flows too)', async () => {
    const r = rng(0x77);
    const pair = await makePair({ slots: 256 });
    let set = nestedSet(r, 400);
    const flows = Array.from({ length: 256 }, () => nestedHeader(r, set, false));
    for (let gen = 0; gen < 6; gen++) {
      loadAcl(pair.wasm, 5, set, { verdictCache: 1024 });
      loadAcl(pair.ref, 5, set);
      // Twice: the second pass decides from the verdict cache the first one filled.
      for (let pass = 0; pass < 2; pass++) runBoth(pair, flows.map(frame), aclProgram(5, false), { seed: 0x77 + gen });
      expect(aclHitCounts(pair.wasm, 5), `generation ${gen}`).toEqual(aclHitCounts(pair.ref, 5));
      // The edit: a block rule for some of the flows put first, one rule's ports changed, one removed.
      const target = flows[randInt(r, 0, flows.length - 1)];
      const rules = set.rules.filter((_, i) => i !== randInt(r, 0, set.rules.length - 1));
      const k = randInt(r, 0, rules.length - 1);
      rules[k] = { ...rules[k], localPorts: rules[k].protocol === 6 ? [{ lo: 1, hi: randInt(r, 1, 65535) }] : rules[k].localPorts };
      rules.unshift(rule({ id: `edit${gen}`, priority: 0, direction: 'in', local: [{ base: (target.dst & maskOf(24)) >>> 0, len: 24 }], action: 'block' }));
      set = { ...set, rules };
    }
  });
});

// ---- the semantics, case by case -----------------------------------------------------------------

function rule(over: Partial<AclRule>): AclRule {
  return {
    id: 'r', priority: 1000, direction: 'both', protocol: 'any', local: [], remote: [], localPorts: [], remotePorts: [],
    action: 'allow', ...over,
  };
}

const C1 = ip('172.16.0.2'); // the endpoint
const PEER = ip('10.0.0.20');
const tcpIn = (dport: number, src = PEER): Header => ({ src, dst: C1, proto: 6, sport: 50000, dport });
const pfx = (s: string): AclPrefix[] => [{ base: ip(s.split('/')[0]), len: Number(s.split('/')[1] ?? 32) }];

describe('acl semantics', () => {
  let pair: CorePair;
  beforeAll(async () => {
    pair = await makePair({ slots: 64 });
  });

  /** Loads `set` as rule set 9 on both cores, runs the headers, returns per packet [next, drop reason, aux]. */
  function decide(set: AclRuleSet, hs: Header[], outbound = false, trace = false): { d: [number, number, number][]; trace: string[] } {
    loadAcl(pair.wasm, 9, set);
    loadAcl(pair.ref, 9, set);
    const out = runBoth(pair, hs.map(frame), aclProgram(9, outbound), { seed: 0, trace });
    return {
      d: hs.map((_, i) => {
        const x = readDescriptor(pair.wasm, i);
        return [x.next, x.drop, x.aux];
      }),
      trace: out.trace,
    };
  }

  const ALLOWED = (rule: number): [number, number, number] => [abi.NEXT_CONTINUE, 0, rule >>> 0];
  const BLOCKED = (rule: number): [number, number, number] => [abi.NEXT_DROP, DROP_ACL_BLOCKED, rule >>> 0];
  const DEFAULT_BLOCKED: [number, number, number] = [abi.NEXT_DROP, DROP_ACL_DEFAULT_BLOCK, 0xffffffff];

  it('firewall: a matching block rule beats an allow rule wherever it sits', () => {
    const set: AclRuleSet = {
      semantics: 'firewall',
      defaultAction: 'block',
      rules: [
        rule({ id: 'allow-web', protocol: 6, localPorts: [{ lo: 80, hi: 80 }], priority: 1 }),
        rule({ id: 'allow-all-tcp', protocol: 6, priority: 1 }),
        rule({ id: 'block-peer', remote: pfx('10.0.0.20'), action: 'block', priority: 65000 }),
      ],
    };
    const { d } = decide(set, [tcpIn(80), tcpIn(80, ip('10.0.0.21')), tcpIn(22, ip('10.0.0.21')), { ...tcpIn(53, ip('10.0.0.21')), proto: 17 }]);
    expect(d).toEqual([BLOCKED(2), ALLOWED(0), ALLOWED(1), DEFAULT_BLOCKED]);
  });

  it('vfp: the lowest priority number wins, ties go to the earlier rule', () => {
    const set: AclRuleSet = {
      semantics: 'vfp',
      defaultAction: 'allow',
      rules: [
        rule({ id: 'allow-all', priority: 65500 }),
        rule({ id: 'block-web', protocol: 6, localPorts: [{ lo: 80, hi: 80 }], action: 'block', priority: 200 }),
        rule({ id: 'allow-web-from-peer', protocol: 6, remote: pfx('10.0.0.0/24'), localPorts: [{ lo: 80, hi: 80 }], priority: 200 }),
        rule({ id: 'allow-host', remote: pfx('10.0.0.20'), priority: 100 }),
      ],
    };
    const { d } = decide(set, [tcpIn(80), tcpIn(80, ip('10.0.0.21')), tcpIn(80, ip('10.9.0.1')), tcpIn(22, ip('10.9.0.1'))]);
    expect(d).toEqual([ALLOWED(3), BLOCKED(1), BLOCKED(1), ALLOWED(0)]);
    // Swap the two priority-200 rules: now the allow comes first among the tied.
    const swapped = { ...set, rules: [set.rules[0], set.rules[2], set.rules[1], set.rules[3]] };
    expect(decide(swapped, [tcpIn(80, ip('10.0.0.21'))]).d).toEqual([ALLOWED(1)]);
  });

  it('ports exist only for TCP and UDP with their header: ICMP, GRE and fragments miss port rules', () => {
    const set: AclRuleSet = {
      semantics: 'vfp',
      defaultAction: 'block',
      rules: [
        rule({ id: 'any-proto-port-0-65535', localPorts: [{ lo: 0, hi: 65535 }], priority: 1 }),
        rule({ id: 'icmp', protocol: 1, priority: 2 }),
      ],
    };
    const { d } = decide(set, [
      tcpIn(7),
      { src: PEER, dst: C1, proto: 17, sport: 1, dport: 65535 },
      { src: PEER, dst: C1, proto: 1, sport: 9, dport: 0 },
      { src: PEER, dst: C1, proto: 47, sport: 0, dport: 0 },
      { ...tcpIn(7), kind: 'fragment' },
    ]);
    expect(d).toEqual([ALLOWED(0), ALLOWED(0), ALLOWED(1), DEFAULT_BLOCKED, DEFAULT_BLOCKED]);
  });

  it('direction: inbound matches local = destination, outbound local = source; rules apply per direction', () => {
    const set: AclRuleSet = {
      semantics: 'vfp',
      defaultAction: { in: 'block', out: 'allow' },
      rules: [
        rule({ id: 'in-web', direction: 'in', protocol: 6, local: pfx('172.16.0.2'), localPorts: [{ lo: 80, hi: 80 }], remotePorts: [{ lo: 50000, hi: 50000 }] }),
        rule({ id: 'out-block-peer', direction: 'out', remote: pfx('10.0.0.20'), action: 'block' }),
      ],
    };
    expect(decide(set, [tcpIn(80), tcpIn(81)]).d).toEqual([ALLOWED(0), DEFAULT_BLOCKED]);
    // The reply (C1:80 → PEER:50000) seen outbound: local is the source now.
    const reply: Header = { src: C1, dst: PEER, proto: 6, sport: 80, dport: 50000 };
    const other: Header = { src: C1, dst: ip('10.0.0.99'), proto: 6, sport: 80, dport: 50000 };
    expect(decide(set, [reply, other], true).d).toEqual([BLOCKED(1), ALLOWED(0xffffffff)]);
  });

  it('lets non-IP frames pass untouched and skips packets parse dropped', () => {
    const set: AclRuleSet = { semantics: 'vfp', defaultAction: 'block', rules: [] };
    const arp: Header = { src: PEER, dst: C1, proto: 0, sport: 0, dport: 0, kind: 'arp' };
    const bad: Header = { ...tcpIn(80), kind: 'bad-checksum' };
    const { d, trace } = decide(set, [arp, bad, tcpIn(80)], false, true);
    expect(d[0]).toEqual([abi.NEXT_CONTINUE, 0, 0]);
    expect(d[1][0]).toBe(abi.NEXT_DROP);
    expect(d[1][1]).not.toBe(DROP_ACL_DEFAULT_BLOCK);
    expect(d[2]).toEqual(DEFAULT_BLOCKED);
    const acl = trace.filter((t) => t.includes(` s${abi.STAGE_ACL} `));
    expect(acl).toEqual([
      `0 s${abi.STAGE_ACL} a${abi.A_PASS} e-1 f0 0>0`,
      `2 s${abi.STAGE_ACL} a${abi.A_BLOCK} e-1 f0 0>0`,
      `2 s${abi.STAGE_ACL} a${abi.A_DROP} e-1 f0 0>${DROP_ACL_DEFAULT_BLOCK}`,
    ]);
  });

  it('traces one decision per packet with the rule index', () => {
    const set: AclRuleSet = {
      semantics: 'vfp',
      defaultAction: 'allow',
      rules: [rule({ id: 'x', localPorts: [{ lo: 1, hi: 1 }] }), rule({ id: 'ssh', protocol: 6, localPorts: [{ lo: 22, hi: 22 }], action: 'block' })],
    };
    const { trace } = decide(set, [tcpIn(22), tcpIn(443)], false, true);
    expect(trace.filter((t) => t.includes(` s${abi.STAGE_ACL} `))).toEqual([
      `0 s${abi.STAGE_ACL} a${abi.A_BLOCK} e1 f0 0>0`,
      `0 s${abi.STAGE_ACL} a${abi.A_DROP} e1 f0 0>${DROP_ACL_BLOCKED}`,
      `1 s${abi.STAGE_ACL} a${abi.A_ALLOW} e-1 f0 0>0`,
    ]);
  });

  it('allows everything on a rule-set id with nothing loaded', () => {
    const arp: Header = { src: PEER, dst: C1, proto: 0, sport: 0, dport: 0, kind: 'arp' };
    const out = runBoth(pair, [tcpIn(80), arp].map(frame), aclProgram(4000, false), { seed: 0, trace: true });
    expect(readDescriptor(pair.wasm, 0).next).toBe(abi.NEXT_CONTINUE);
    expect(readDescriptor(pair.wasm, 0).aux).toBe(0xffffffff);
    expect(out.trace.filter((t) => t.includes(` s${abi.STAGE_ACL} `))).toEqual([
      `0 s${abi.STAGE_ACL} a${abi.A_ALLOW} e-1 f0 0>0`,
      `1 s${abi.STAGE_ACL} a${abi.A_PASS} e-1 f0 0>0`,
    ]);
    expect(aclHitCounts(pair.wasm, 4000)).toEqual([]);
  });

  it('rule sets under ids far apart (the directory grows) keep their own rules; an unloaded set allows', () => {
    const block: AclRuleSet = { semantics: 'vfp', defaultAction: 'block', rules: [] };
    const web: AclRuleSet = { semantics: 'vfp', defaultAction: 'block', rules: [rule({ id: 'web', protocol: 6, localPorts: [{ lo: 80, hi: 80 }] })] };
    const ids = [5, 70, 300_000, ACL_MAX_RULE_SETS - 1];
    for (const core of [pair.wasm, pair.ref]) ids.forEach((id, k) => loadAcl(core, id, k % 2 ? web : block));
    ids.forEach((id, k) => {
      runBoth(pair, [tcpIn(80)].map(frame), aclProgram(id, false), { seed: 0 });
      expect(readDescriptor(pair.wasm, 0).next, `set ${id}`).toBe(k % 2 ? abi.NEXT_CONTINUE : abi.NEXT_DROP);
    });
    for (const core of [pair.wasm, pair.ref]) unloadAcl(core, 300_000);
    runBoth(pair, [tcpIn(81)].map(frame), aclProgram(300_000, false), { seed: 0 });
    expect(readDescriptor(pair.wasm, 0).next).toBe(abi.NEXT_CONTINUE);
    expect(aclHitCounts(pair.wasm, 300_000)).toEqual([]);
  });

  it('counts hits per rule and per default; reloading or resetting zeroes them', () => {
    const set: AclRuleSet = {
      semantics: 'vfp',
      defaultAction: 'allow',
      rules: [rule({ id: 'web', protocol: 6, localPorts: [{ lo: 80, hi: 80 }] }), rule({ id: 'dns', protocol: 17, localPorts: [{ lo: 53, hi: 53 }] })],
    };
    decide(set, [tcpIn(80), tcpIn(80), tcpIn(81), { src: PEER, dst: C1, proto: 17, sport: 1, dport: 53 }]);
    for (const core of [pair.wasm, pair.ref]) {
      expect(aclHitCounts(core, 9), core.kind).toEqual([2, 1]);
      expect(aclDefaultHits(core, 9), core.kind).toEqual({ in: 1, out: 0 });
    }
    runBoth(pair, [tcpIn(80)].map(frame), aclProgram(9, false), { seed: 0 });
    expect(aclHitCounts(pair.wasm, 9)).toEqual([3, 1]);
    for (const core of [pair.wasm, pair.ref]) {
      aclResetHits(core, 9);
      expect(aclHitCounts(core, 9), core.kind).toEqual([0, 0]);
      expect(aclDefaultHits(core, 9), core.kind).toEqual({ in: 0, out: 0 });
    }
    decide(set, [tcpIn(80)]);
    expect(aclHitCounts(pair.wasm, 9)).toEqual([1, 0]);
    expect(aclHitCounts(pair.ref, 9)).toEqual([1, 0]);
  });

  it('refuses rule-set ids and rule sets out of range on both cores', () => {
    for (const core of [pair.wasm, pair.ref]) {
      expect(() => loadAcl(core, ACL_MAX_RULE_SETS, { semantics: 'vfp', defaultAction: 'allow', rules: [] })).toThrow(RangeError);
      expect(() => loadAcl(core, -1, { semantics: 'vfp', defaultAction: 'allow', rules: [] })).toThrow(RangeError);
      expect(() => loadAcl(core, 1, { semantics: 'vfp', defaultAction: 'allow', rules: [rule({ priority: 70000 })] })).toThrow(RangeError);
      expect(() => aclHitCounts(core, ACL_MAX_RULE_SETS + 904)).toThrow(RangeError);
    }
  });
});
