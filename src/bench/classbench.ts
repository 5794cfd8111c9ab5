/**
 * A seeded, ClassBench-like generator of ACL rule sets and of the traffic that exercises them (after
 * Taylor & Turner, "ClassBench: A Packet Classification Benchmark", INFOCOM 2005: rules drawn from
 * seed distributions of prefix lengths, protocols and port classes; headers generated inside randomly
 * chosen rules). The distributions below imitate the ACL seeds' shape — destination (local) prefixes
 * mostly hosts and subnets nested in a few site blocks, sources mostly wildcards or hosts, TCP-heavy
 * protocols, well-known exact destination ports, wildcard source ports — without copying any seed
 * file. Everything is deterministic in the seed.
 */
import { maskOf } from '../addr.js';
import type { AclAction, AclDirection, AclPrefix, AclRule, AclRuleSet, AclSemantics, PortRange } from '../table-images/acl-rules.js';


/** mulberry32: a small seedable PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Picks from weighted alternatives `[weight, value]`. */
function weighted<T>(r: Rand, table: readonly (readonly [number, T])[]): T {
  let total = 0;
  for (const [w] of table) total += w;
  let x = r() * total;
  for (const [w, v] of table) {
    x -= w;
    if (x < 0) return v;
  }
  return table[table.length - 1][1];
}

const WELL_KNOWN_PORTS = [80, 443, 22, 25, 53, 110, 123, 135, 139, 143, 389, 445, 993, 1433, 3306, 3389, 5432, 5985, 5986, 6379, 8080, 8443, 9090, 27017];
const PORT_RANGES: readonly PortRange[] = [
  { lo: 1024, hi: 65535 },
  { lo: 0, hi: 1023 },
  { lo: 49152, hi: 65535 },
  { lo: 6000, hi: 6063 },
  { lo: 8000, hi: 8099 },
  { lo: 5000, hi: 5010 },
  { lo: 1024, hi: 5000 },
];

export interface ClassBenchOptions {
  rules: number;
  seed: number;
  semantics?: AclSemantics;
  /** Rule directions: one for all rules, or `mixed` (60 % in, 25 % out, 15 % both). Default `in`. */
  direction?: AclDirection | 'mixed';
  defaultAction?: AclAction | { in: AclAction; out: AclAction };
}

/** A seeded rule set of `rules` rules. */
export function classbenchRules(opts: ClassBenchOptions): AclRuleSet {
  const r = mulberry32(opts.seed);
  // Site blocks (local side): a few /16s, each with /24 subnets that rules refine into hosts and
  // sub-subnets, so that rules nest and overlap the way an enterprise ACL's do.
  const sites: number[] = [];
  const nSites = Math.max(2, Math.ceil(Math.sqrt(opts.rules) / 4));
  for (let k = 0; k < nSites; k++) {
    const block = pick(r, [0x0a000000, 0xac100000, 0xc0a80000]) as number;
    sites.push((block + (k % 2 === 0 ? int(r, 0, 255) << 16 : int(r, 0, 15) << 16)) >>> 0);
  }
  const subnets: number[] = [];
  const nSubnets = Math.max(4, Math.ceil(opts.rules / 6));
  for (let k = 0; k < nSubnets; k++) subnets.push((pick(r, sites) + (int(r, 0, 255) << 8)) >>> 0);
  // Remote side: partner hosts and networks.
  const partners: number[] = [];
  const nPartners = Math.max(4, Math.ceil(opts.rules / 4));
  for (let k = 0; k < nPartners; k++) partners.push((int(r, 1, 223) * 0x1000000 + int(r, 0, 0xffffff)) >>> 0);

  const localPrefix = (): AclPrefix[] => {
    const len = weighted(r, [
      [45, 32],
      [25, int(r, 24, 31)],
      [14, int(r, 16, 23)],
      [8, int(r, 8, 15)],
      [8, 0],
    ] as const);
    if (len === 0) return [];
    const base = len >= 24 ? pick(r, subnets) + int(r, 0, 255) : len >= 16 ? pick(r, sites) + (int(r, 0, 255) << 8) : pick(r, sites);
    return [{ base: (base & maskOf(len)) >>> 0, len }];
  };
  const remotePrefix = (): AclPrefix[] => {
    const len = weighted(r, [
      [35, 0],
      [25, 32],
      [25, int(r, 16, 24)],
      [15, int(r, 8, 15)],
    ] as const);
    if (len === 0) return [];
    return [{ base: (pick(r, partners) & maskOf(len)) >>> 0, len }];
  };

  const out: AclRule[] = [];
  let priority = 100;
  for (let i = 0; i < opts.rules; i++) {
    const protocol = weighted<AclRule['protocol']>(r, [
      [60, 6],
      [25, 17],
      [8, 1],
      [5, 'any'],
      [2, 47],
    ]);
    const ported = protocol === 6 || protocol === 17;
    const localPorts: PortRange[] = !ported
      ? []
      : weighted(r, [
          [55, () => { const p = pick(r, WELL_KNOWN_PORTS); return [{ lo: p, hi: p }]; }],
          [15, () => [pick(r, PORT_RANGES)]],
          [30, () => []],
        ] as const)();
    const remotePorts: PortRange[] = !ported
      ? []
      : weighted(r, [
          [75, () => []],
          [15, () => [{ lo: 1024, hi: 65535 }]],
          [10, () => { const p = int(r, 1024, 65535); return [{ lo: p, hi: p }]; }],
        ] as const)();
    const direction: AclDirection =
      opts.direction === 'mixed' ? weighted(r, [[60, 'in'], [25, 'out'], [15, 'both']] as const) : (opts.direction ?? 'in');
    // Mostly increasing priorities with occasional ties, as HNS policy lists are written.
    if (r() > 0.1) priority = Math.min(65535, priority + int(r, 1, 5));
    out.push({
      id: `cb-${i}`,
      priority,
      direction,
      protocol,
      local: localPrefix(),
      remote: remotePrefix(),
      localPorts,
      remotePorts,
      action: r() < 0.7 ? 'allow' : 'block',
    });
  }
  // ACLs list specific rules before broad ones (the broad ones would hide them): order by a
  // specificity score with noise, so that the order is mostly, not strictly, specific-first. Then
  // renumber: ids and priorities follow the final order.
  const spec = (x: AclRule) =>
    (x.local[0]?.len ?? 0) + (x.remote[0]?.len ?? 0) + (x.protocol === 'any' ? 0 : 8) +
    portSpec(x.localPorts) + portSpec(x.remotePorts) + r() * 24;
  const scored = out.map((x) => ({ x, s: spec(x) })).sort((a, b) => b.s - a.s);
  return {
    semantics: opts.semantics ?? 'vfp',
    defaultAction: opts.defaultAction ?? 'block',
    rules: scored.map(({ x }, i) => ({ ...x, id: `cb-${i}`, priority: out[i].priority })),
  };
}

function portSpec(ps: readonly PortRange[]): number {
  if (ps.length === 0) return 0;
  return ps[0].lo === ps[0].hi ? 16 : 16 - Math.log2(ps[0].hi - ps[0].lo + 1);
}

/** An IPv4 5-tuple as it appears in the packet (src/dst, not local/remote). */
export interface FlowHeader {
  src: number;
  dst: number;
  proto: number;
  /** 0 for protocols without ports. */
  sport: number;
  dport: number;
}

function inPrefixes(r: Rand, ps: readonly AclPrefix[]): number {
  if (ps.length === 0) return int(r, 0x01000000, 0xdfffffff) >>> 0;
  const p = pick(r, ps);
  return (p.base + (p.len === 32 ? 0 : Math.floor(r() * 2 ** (32 - p.len)))) >>> 0;
}

function inPorts(r: Rand, ps: readonly PortRange[]): number {
  if (ps.length === 0) return int(r, 1, 65535);
  const p = pick(r, ps);
  return int(r, p.lo, p.hi);
}

export interface TraceOptions {
  /** Packets to generate. */
  count: number;
  seed: number;
  /** Direction the packets travel relative to the endpoint: `in` (local = destination) or `out`. */
  direction: 'in' | 'out';
  /** Share of headers drawn uniformly at random instead of inside a rule (likely default hits). */
  random?: number;
}

/**
 * ClassBench-style header trace: each header is generated inside a rule chosen uniformly among those
 * that apply to the direction (so it matches that rule or an earlier-ranked one), or, for a share
 * `random`, drawn at random.
 */
export function classbenchTrace(set: AclRuleSet, opts: TraceOptions): FlowHeader[] {
  const r = mulberry32(opts.seed);
  const rules = set.rules.filter((x) => x.direction === 'both' || x.direction === opts.direction);
  const out: FlowHeader[] = [];
  for (let k = 0; k < opts.count; k++) {
    const rule = rules.length > 0 && r() >= (opts.random ?? 0.1) ? pick(r, rules) : undefined;
    let proto: number;
    if (rule && rule.protocol !== 'any') proto = typeof rule.protocol === 'number' ? rule.protocol : pick(r, rule.protocol);
    else proto = weighted(r, [[60, 6], [30, 17], [10, 1]] as const);
    const ported = proto === 6 || proto === 17;
    const local = inPrefixes(r, rule?.local ?? []);
    const remote = inPrefixes(r, rule?.remote ?? []);
    const lport = ported ? inPorts(r, rule?.localPorts ?? []) : 0;
    const rport = ported ? inPorts(r, rule?.remotePorts ?? []) : 0;
    out.push(
      opts.direction === 'in'
        ? { src: remote, dst: local, proto, sport: rport, dport: lport }
        : { src: local, dst: remote, proto, sport: lport, dport: rport },
    );
  }
  return out;
}

function csum(bytes: Uint8Array, off: number, len: number, sum = 0): number {
  for (let i = 0; i + 1 < len; i += 2) sum += (bytes[off + i] << 8) | bytes[off + i + 1];
  if (len & 1) sum += bytes[off + len - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * An Ethernet II / IPv4 frame of `size` bytes (≥ 54) carrying the header: TCP SYN, UDP, ICMP echo
 * request, or a bare IPv4 payload for other protocols; IPv4 and L4 checksums valid, payload zero.
 */
export function headerFrame(h: FlowHeader, size = 64, ipId = 1): Uint8Array {
  const f = new Uint8Array(Math.max(size, 54));
  const dv = new DataView(f.buffer);
  f.set([0x00, 0x15, 0x5d, 0x00, 0x00, 0x02, 0x00, 0x15, 0x5d, 0x00, 0x00, 0x01], 0);
  dv.setUint16(12, 0x0800);
  const ip = 14;
  const ipLen = f.length - ip;
  f[ip] = 0x45;
  dv.setUint16(ip + 2, ipLen);
  dv.setUint16(ip + 4, ipId & 0xffff);
  dv.setUint16(ip + 6, 0x4000);
  f[ip + 8] = 64;
  f[ip + 9] = h.proto;
  dv.setUint32(ip + 12, h.src >>> 0);
  dv.setUint32(ip + 16, h.dst >>> 0);
  dv.setUint16(ip + 10, ~csum(f, ip, 20) & 0xffff);
  const l4 = ip + 20;
  const l4Len = ipLen - 20;
  const pseudo = (): number => {
    let s = (h.src >>> 16) + (h.src & 0xffff) + (h.dst >>> 16) + (h.dst & 0xffff) + h.proto + l4Len;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return s;
  };
  if (h.proto === 6) {
    dv.setUint16(l4, h.sport);
    dv.setUint16(l4 + 2, h.dport);
    dv.setUint32(l4 + 4, 0x1000);
    f[l4 + 12] = 5 << 4;
    f[l4 + 13] = 0x02;
    dv.setUint16(l4 + 14, 65535);
    dv.setUint16(l4 + 16, ~csum(f, l4, l4Len, pseudo()) & 0xffff);
  } else if (h.proto === 17) {
    dv.setUint16(l4, h.sport);
    dv.setUint16(l4 + 2, h.dport);
    dv.setUint16(l4 + 4, l4Len);
    const c = ~csum(f, l4, l4Len, pseudo()) & 0xffff;
    dv.setUint16(l4 + 6, c === 0 ? 0xffff : c);
  } else if (h.proto === 1) {
    f[l4] = 8;
    dv.setUint16(l4 + 4, 0x0001);
    dv.setUint16(l4 + 6, ipId & 0xffff);
    dv.setUint16(l4 + 2, ~csum(f, l4, l4Len) & 0xffff);
  }
  return f;
}
