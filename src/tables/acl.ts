/**
 * ACL tables: the rule model (what HNS ACL policies and Windows Firewall rules say), parsing of the
 * strings Windows uses for them, and the compiler that turns a rule set into the classifier image the
 * WebAssembly stage (assembly/stages/acl.ts) searches.
 *
 * Semantics (both cores implement exactly this; the reference twin by a linear scan):
 * - A rule set has a `semantics`:
 *   - `vfp` (HNS / VFP switch ACLs): the matching rule with the lowest `priority` number wins; ties are
 *     broken by rule order (the earlier rule in `rules` wins; VFP's own tie order is not documented).
 *   - `firewall` (Windows Firewall, HNS `RuleType: Host`): a matching block rule beats every allow rule;
 *     `priority` is ignored. The rule reported (trace entry, hit counter) is the first matching block
 *     rule in rule order, else the first matching allow rule.
 *   Both are compiled to one total order ("rank"): the packet's decision is its lowest-ranked match.
 * - No matching rule: the rule set's default action for the direction (`defaultAction`).
 * - Direction: the stage is told whether the packet goes to the endpoint (inbound: local = destination)
 *   or leaves it (outbound: local = source). A rule applies to `in`, `out` or `both`.
 * - Ports exist only for TCP and UDP packets that carry their L4 header (not for ICMP, other protocols
 *   or non-first fragments): a rule whose local or remote port list is not "any" never matches those.
 * - Lists (addresses, ports, protocols) match when any member matches; an empty list means any.
 */

// ---- the rule model ----------------------------------------------------------------------------

export type AclAction = 'allow' | 'block';
export type AclDirection = 'in' | 'out' | 'both';
export type AclSemantics = 'firewall' | 'vfp';

/** An IPv4 prefix: `base` is a host-order u32 with the host bits clear, `len` 0..32. */
export interface AclPrefix {
  base: number;
  len: number;
}

/** An inclusive port range 0..65535. */
export interface PortRange {
  lo: number;
  hi: number;
}

export interface AclRule {
  /** The rule's name (HNS ACL `Id`, firewall rule name): shown in traces and tables. */
  id: string;
  /** 0..65535; lower wins under `vfp` semantics; ignored under `firewall`. */
  priority: number;
  direction: AclDirection;
  /** IANA protocol number(s) 0..255, or any (HNS writes 256 for any). */
  protocol: 'any' | number | readonly number[];
  /** Local / remote addresses; [] = any. */
  local: readonly AclPrefix[];
  remote: readonly AclPrefix[];
  /** Local / remote port ranges; [] = any (and then the rule also matches packets without ports). */
  localPorts: readonly PortRange[];
  remotePorts: readonly PortRange[];
  action: AclAction;
}

export interface AclRuleSet {
  semantics: AclSemantics;
  /** Action when no rule matches: one for both directions, or one per direction. */
  defaultAction: AclAction | { in: AclAction; out: AclAction };
  rules: readonly AclRule[];
}

/** Rule sets per engine, by id 0..ACL_MAX_RULE_SETS-1 (the stage's a0). */
export const ACL_MAX_RULE_SETS = 4096;
/** Classifier entries (the cross product of a rule's lists) a rule set may expand to, per direction. */
export const ACL_MAX_ENTRIES = 1 << 20;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

// ---- parsing the strings Windows uses -----------------------------------------------------------

/** A rule field that does not parse; `field` names it the way the source did (`localport`, `RemoteAddresses`). */
export class AclSyntaxError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    detail: string,
  ) {
    super(`${field}=${value}: ${detail}`);
    this.name = 'AclSyntaxError';
  }
}

function isAny(s: string): boolean {
  const t = s.trim().toLowerCase();
  return t === '' || t === 'any' || t === '*';
}

function parseAddr(s: string): number | undefined {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function prefixMask(len: number): number {
  return len <= 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Splits an inclusive address range into the fewest covering prefixes. */
export function rangeToPrefixes(first: number, last: number): AclPrefix[] {
  const out: AclPrefix[] = [];
  let a = first;
  while (a <= last) {
    // The largest aligned block starting at a that stays within last.
    let len = 32;
    while (len > 0) {
      const size = 2 ** (32 - (len - 1));
      if (a % size !== 0 || a + size - 1 > last) break;
      len--;
    }
    out.push({ base: a, len });
    a += 2 ** (32 - len);
  }
  return out;
}

/**
 * Parses an address list as netsh, New-NetFirewallRule and HNS write it: `Any` (or empty), `10.0.0.5`,
 * `10.0.0.0/24`, `10.0.0.0/255.255.255.0`, `10.0.0.1-10.0.0.9`, comma-separated lists of those.
 * Returns [] for any. Keywords that need host context (`LocalSubnet`, `DNS`, `DefaultGateway`, ...)
 * are refused: the caller resolves them to addresses first.
 */
export function parseAddresses(text: string, field = 'address'): AclPrefix[] {
  if (isAny(text)) return [];
  const out: AclPrefix[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (isAny(item)) return [];
    const bad = (why: string) => new AclSyntaxError(field, text, why);
    const dash = item.indexOf('-');
    if (dash >= 0) {
      const a = parseAddr(item.slice(0, dash));
      const b = parseAddr(item.slice(dash + 1));
      if (a === undefined || b === undefined) throw bad(`"${item}" is not an IPv4 address range`);
      if (a > b) throw bad(`range "${item}" ends before it starts`);
      out.push(...rangeToPrefixes(a, b));
      continue;
    }
    const slash = item.indexOf('/');
    if (slash >= 0) {
      const a = parseAddr(item.slice(0, slash));
      const m = item.slice(slash + 1).trim();
      if (a === undefined) throw bad(`"${item}" is not an IPv4 subnet`);
      let len: number;
      if (/^\d{1,2}$/.test(m) && Number(m) <= 32) len = Number(m);
      else {
        const mask = parseAddr(m);
        if (mask === undefined) throw bad(`"${m}" is not a prefix length or a netmask`);
        len = Math.clz32(~mask);
        if (prefixMask(len) !== mask) throw bad(`netmask "${m}" is not contiguous`);
      }
      out.push({ base: (a & prefixMask(len)) >>> 0, len });
      continue;
    }
    const a = parseAddr(item);
    if (a === undefined) {
      if (/^[a-z]+$/i.test(item)) throw bad(`keyword "${item}" must be resolved to addresses before it reaches the ACL table`);
      throw bad(`"${item}" is not an IPv4 address`);
    }
    out.push({ base: a, len: 32 });
  }
  return out;
}

/**
 * Parses a port list: `Any` (or empty, or HNS's `0`), `80`, `80-90`, `80,443,8000-8080`. A leading
 * `localport=` / `remoteport=` key (netsh's form) is accepted and dropped. Returns [] for any.
 */
export function parsePorts(text: string, field = 'port'): PortRange[] {
  let t = text.trim();
  const eq = t.indexOf('=');
  if (eq >= 0) {
    field = t.slice(0, eq).trim() || field;
    t = t.slice(eq + 1).trim();
  }
  if (isAny(t)) return [];
  const out: PortRange[] = [];
  for (const raw of t.split(',')) {
    const item = raw.trim();
    if (isAny(item)) return [];
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
    if (!m) throw new AclSyntaxError(field, text, `"${item}" is not a port or a port range`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535) throw new AclSyntaxError(field, text, `port ${Math.max(lo, hi)} is beyond 65535`);
    if (lo > hi) throw new AclSyntaxError(field, text, `range "${item}" ends before it starts`);
    out.push({ lo, hi });
  }
  // HNS writes port 0 for "no port given".
  if (out.length === 1 && out[0].lo === 0 && out[0].hi === 0) return [];
  return out;
}

const PROTOCOL_NAMES: Record<string, number | 'any'> = {
  any: 'any',
  tcp: PROTO_TCP,
  udp: PROTO_UDP,
  icmp: PROTO_ICMP,
  icmpv4: PROTO_ICMP,
  igmp: 2,
  gre: 47,
};

/**
 * Parses a protocol: `TCP`, `UDP`, `ICMPv4` (netsh's `icmpv4:8,any` type/code suffix is accepted and
 * ignored: the table matches the protocol only), `Any`, a number 0..255, HNS's 256 (any), or an HNS
 * `Protocols` comma list (`"6,17"`).
 */
export function parseProtocol(text: string | number, field = 'protocol'): 'any' | number | number[] {
  if (typeof text === 'number') {
    if (text === 256) return 'any';
    if (!Number.isInteger(text) || text < 0 || text > 255) throw new AclSyntaxError(field, String(text), 'not a protocol number 0..255 (256 = any)');
    return text;
  }
  // netsh's `icmpv4:type,code` carries its own comma: the suffix goes before the list is split.
  const items = text.replace(/^\s*(icmpv4|icmp):.*$/i, '$1').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return 'any';
  const out: number[] = [];
  for (const item of items) {
    const name = item.toLowerCase();
    let v: number | 'any' | undefined = PROTOCOL_NAMES[name];
    if (v === undefined && /^\d{1,3}$/.test(name)) v = Number(name) === 256 ? 'any' : Number(name) <= 255 ? Number(name) : undefined;
    if (v === undefined) throw new AclSyntaxError(field, text, `"${item}" is not a protocol (TCP, UDP, ICMPv4, Any or 0..255)`);
    if (v === 'any') return 'any';
    if (!out.includes(v)) out.push(v);
  }
  return out.length === 1 ? out[0] : out;
}

export function parseAction(text: string, field = 'action'): AclAction {
  const t = text.trim().toLowerCase();
  if (t === 'allow') return 'allow';
  if (t === 'block' || t === 'deny') return 'block';
  throw new AclSyntaxError(field, text, 'expected Allow or Block');
}

export function parseDirection(text: string, field = 'direction'): AclDirection {
  const t = text.trim().toLowerCase();
  if (t === 'in' || t === 'inbound') return 'in';
  if (t === 'out' || t === 'outbound') return 'out';
  if (t === 'both' || t === 'any' || t === '') return 'both';
  throw new AclSyntaxError(field, text, 'expected In or Out');
}

/** A rule as text, with the field names HNS (ACL policy) and the firewall cmdlets use. */
export interface AclRuleText {
  id?: string;
  /** Firewall rule name (used when `id` is absent). */
  name?: string;
  action: string;
  direction?: string;
  /** `TCP`, `6`, `256`, `Any`, `6,17`. */
  protocol?: string | number;
  localAddresses?: string;
  remoteAddresses?: string;
  localPorts?: string;
  remotePorts?: string;
  priority?: number | string;
}

/**
 * Builds a rule from its textual fields (an HNS ACL policy, a firewall rule as the model stores it).
 * Ports with a protocol that has none (ICMP, or a protocol list without TCP/UDP) are refused, as
 * netsh refuses them.
 */
export function parseAclRule(t: AclRuleText): AclRule {
  const id = t.id ?? t.name ?? '';
  const protocol = parseProtocol(t.protocol ?? 'any');
  const localPorts = parsePorts(t.localPorts ?? 'any', 'localport');
  const remotePorts = parsePorts(t.remotePorts ?? 'any', 'remoteport');
  if ((localPorts.length > 0 || remotePorts.length > 0) && protocol !== 'any') {
    const list = typeof protocol === 'number' ? [protocol] : protocol;
    if (!list.some((p) => p === PROTO_TCP || p === PROTO_UDP)) {
      throw new AclSyntaxError('protocol', String(t.protocol), 'ports can be given only with protocol TCP or UDP');
    }
  }
  let priority = 0;
  if (t.priority !== undefined && t.priority !== '') {
    priority = Number(t.priority);
    if (!Number.isInteger(priority) || priority < 0 || priority > 65535) {
      throw new AclSyntaxError('priority', String(t.priority), 'expected a number 0..65535');
    }
  }
  return {
    id,
    priority,
    direction: parseDirection(t.direction ?? 'both'),
    protocol,
    local: parseAddresses(t.localAddresses ?? 'any', 'localip'),
    remote: parseAddresses(t.remoteAddresses ?? 'any', 'remoteip'),
    localPorts,
    remotePorts,
    action: parseAction(t.action),
  };
}

/**
 * Parses the `key=value` arguments of `netsh advfirewall firewall add rule` (e.g.
 * `name="Open 80" dir=in action=allow protocol=TCP localport=80 remoteip=10.0.0.0/8`). Keys the
 * table does not model (profile, program, service, enable, interfacetype, edge, security, description)
 * are accepted and ignored; unknown keys are refused. `action=bypass` is refused (needs IPsec).
 */
export function parseNetshRule(args: string | readonly string[]): AclRule {
  const tokens = typeof args === 'string' ? splitNetshArgs(args) : args;
  const kv = new Map<string, string>();
  for (const tok of tokens) {
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new AclSyntaxError('rule', tok, 'expected key=value');
    const key = tok.slice(0, eq).trim().toLowerCase();
    let value = tok.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    kv.set(key, value);
  }
  const ignored = new Set(['profile', 'program', 'service', 'enable', 'interfacetype', 'edge', 'security', 'description', 'rmtcomputergrp', 'rmtusrgrp', 'localip6', 'remoteip6']);
  const known = new Set(['name', 'dir', 'action', 'protocol', 'localport', 'remoteport', 'localip', 'remoteip']);
  for (const k of kv.keys()) if (!known.has(k) && !ignored.has(k)) throw new AclSyntaxError(k, kv.get(k)!, 'unknown parameter');
  for (const required of ['name', 'dir', 'action']) {
    if (!kv.has(required)) throw new AclSyntaxError(required, '', 'parameter is required');
  }
  const action = kv.get('action')!;
  if (action.toLowerCase() === 'bypass') throw new AclSyntaxError('action', action, 'bypass rules need IPsec, which is not modelled');
  const dir = kv.get('dir')!.toLowerCase();
  if (dir !== 'in' && dir !== 'out') throw new AclSyntaxError('dir', kv.get('dir')!, 'expected in or out');
  return parseAclRule({
    name: kv.get('name'),
    action,
    direction: dir,
    protocol: kv.get('protocol') ?? 'any',
    localPorts: kv.get('localport') ?? 'any',
    remotePorts: kv.get('remoteport') ?? 'any',
    localAddresses: kv.get('localip') ?? 'any',
    remoteAddresses: kv.get('remoteip') ?? 'any',
  });
}

/** Splits netsh arguments on blanks, keeping `key="a b"` together. */
function splitNetshArgs(s: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of s.matchAll(re)) out.push(m[0]);
  return out;
}

// ---- validation and order ----------------------------------------------------------------------

function checkPrefix(p: AclPrefix, where: string): void {
  if (!Number.isInteger(p.len) || p.len < 0 || p.len > 32) throw new RangeError(`${where}: prefix length ${p.len} not in 0..32`);
  if (!Number.isInteger(p.base) || p.base < 0 || p.base > 0xffffffff) throw new RangeError(`${where}: address ${p.base} is not a u32`);
  if (((p.base & prefixMask(p.len)) >>> 0) !== p.base) throw new RangeError(`${where}: host bits set in ${p.base}/${p.len}`);
}

function checkPorts(r: PortRange, where: string): void {
  if (!Number.isInteger(r.lo) || !Number.isInteger(r.hi) || r.lo < 0 || r.hi > 65535 || r.lo > r.hi) {
    throw new RangeError(`${where}: bad port range ${r.lo}-${r.hi}`);
  }
}

/** The protocols of a rule as a list; [] = any. */
export function ruleProtocols(r: AclRule): readonly number[] {
  if (r.protocol === 'any') return [];
  return typeof r.protocol === 'number' ? [r.protocol] : r.protocol;
}

/** Throws RangeError when a rule set has a value out of range (a programming error, not user input). */
export function validateRuleSet(set: AclRuleSet): void {
  if (set.semantics !== 'firewall' && set.semantics !== 'vfp') throw new RangeError(`unknown ACL semantics ${String(set.semantics)}`);
  const defs = typeof set.defaultAction === 'string' ? [set.defaultAction] : [set.defaultAction.in, set.defaultAction.out];
  for (const d of defs) if (d !== 'allow' && d !== 'block') throw new RangeError(`unknown default action ${String(d)}`);
  set.rules.forEach((r, i) => {
    const where = `ACL rule ${i} (${r.id})`;
    if (r.action !== 'allow' && r.action !== 'block') throw new RangeError(`${where}: unknown action ${String(r.action)}`);
    if (r.direction !== 'in' && r.direction !== 'out' && r.direction !== 'both') throw new RangeError(`${where}: unknown direction ${String(r.direction)}`);
    if (!Number.isInteger(r.priority) || r.priority < 0 || r.priority > 65535) throw new RangeError(`${where}: priority ${r.priority} not in 0..65535`);
    if (r.protocol !== 'any') {
      const ps = typeof r.protocol === 'number' ? [r.protocol] : r.protocol;
      if (typeof r.protocol !== 'number' && ps.length === 0) throw new RangeError(`${where}: empty protocol list (use 'any')`);
      for (const p of ps) if (!Number.isInteger(p) || p < 0 || p > 255) throw new RangeError(`${where}: protocol ${p} not in 0..255`);
    }
    for (const p of r.local) checkPrefix(p, where);
    for (const p of r.remote) checkPrefix(p, where);
    for (const p of r.localPorts) checkPorts(p, where);
    for (const p of r.remotePorts) checkPorts(p, where);
  });
}

export function defaultActionFor(set: AclRuleSet, outbound: boolean): AclAction {
  return typeof set.defaultAction === 'string' ? set.defaultAction : outbound ? set.defaultAction.out : set.defaultAction.in;
}

/**
 * The rule indices in decision order (rank 0 first): vfp by priority then rule order; firewall all
 * blocks (in rule order) then all allows (in rule order).
 */
export function rankOrder(set: AclRuleSet): number[] {
  const idx = set.rules.map((_, i) => i);
  if (set.semantics === 'vfp') return idx.sort((a, b) => set.rules[a].priority - set.rules[b].priority || a - b);
  return idx.sort((a, b) => (set.rules[a].action === 'block' ? 0 : 1) - (set.rules[b].action === 'block' ? 0 : 1) || a - b);
}

// ---- the classifier ----------------------------------------------------------------------------
//
// Tuple-space search with tuple merging and tuple pruning (after Srinivasan, Suri and Varghese,
// "Packet Classification using Tuple Space Search", SIGCOMM 1999, and Daly and Torng's TupleMerge).
// Each rule expands into entries (one per member of the cross product of its lists). A tuple is a key
// shape: how many leading bits of the local and remote address, and whether the protocol, the local
// port and the remote port take part in the hash key. An entry goes into a tuple whose shape it
// covers (its prefixes at least that long, its protocol/port exact when the tuple keys on them); the
// tuple's hash table maps the masked key to the entries sharing it, sorted by rank, where the full
// fields are checked. Merged tuples (prefix lengths rounded down to 0/8/16/24, ports not keyed) keep
// the tuple count low; a bucket past `maxBucket` entries sends the next entry one refinement further
// (key the local port, the protocol, longer prefixes on 8/16/24/32, the remote port). Lookup visits
// tuples in order of their best rank and stops once the best match found ranks before every entry a
// tuple holds; a bitmap per prefix length in use (the image's prefilters) skips the tuples that hold
// none of the packet's masked addresses.

/** One classifier entry: one member of a rule's cross product. */
export interface AclEntry {
  rank: number;
  lnet: number;
  llen: number;
  rnet: number;
  rlen: number;
  /** -1 = any protocol. */
  proto: number;
  lports: PortRange | null;
  rports: PortRange | null;
}

export interface TupleShape {
  llen: number;
  rlen: number;
  proto: boolean;
  lport: boolean;
  rport: boolean;
}

export interface AclTuple extends TupleShape {
  minRank: number;
  buckets: Map<string, AclEntry[]>;
}

export interface AclClassifier {
  /** In order of their best rank. */
  tuples: AclTuple[];
  entries: number;
  /** Distinct non-zero local / remote prefix lengths of the tuples: each gets a prefilter bitmap. */
  localLens: number[];
  remoteLens: number[];
}

/** Lengths a tuple's prefixes may have: the prefilter keeps one bitmap per length in use. */
const LADDER = [0, 8, 16, 24, 32];
/** Tuples the per-packet viability masks (u64) describe; tuples after them are probed for every packet. */
export const ACL_MASKED_TUPLES = 64;

export interface AclTupleParams {
  /** Entries past this count in one bucket send later entries to a tuple of their exact shape. */
  maxBucket: number;
  /** Prefix lengths merged tuples start from (a prefix of length l goes to the longest step <= l);
   *  overflowing buckets refine towards 8/16/24/32. */
  steps: readonly number[];
  /** Whether merged tuples key on an exact protocol. */
  protoKey: boolean;
}

export const ACL_TUPLE_DEFAULTS: AclTupleParams = { maxBucket: 8, steps: [0, 8, 16, 24], protoKey: true };

function relaxLen(len: number, steps: readonly number[]): number {
  let out = 0;
  for (const s of steps) if (s <= len && s > out) out = s;
  return out;
}

/** One step from `s` towards `exact`: key on the local port, then the protocol, then longer address
 *  prefixes (the next length of LADDER), then the remote port. */
function refine(s: TupleShape, exact: TupleShape): TupleShape | undefined {
  if (exact.lport && !s.lport) return { ...s, lport: true };
  if (exact.proto && !s.proto) return { ...s, proto: true };
  const up = (len: number, max: number) => {
    for (const st of LADDER) if (st > len && st <= max) return st;
    return max;
  };
  if (s.llen < exact.llen) return { ...s, llen: up(s.llen, exact.llen) };
  if (s.rlen < exact.rlen) return { ...s, rlen: up(s.rlen, exact.rlen) };
  if (exact.rport && !s.rport) return { ...s, rport: true };
  return undefined;
}

function shapeKey(s: TupleShape): string {
  return `${s.llen}/${s.rlen}/${+s.proto}${+s.lport}${+s.rport}`;
}

function fits(e: AclEntry, s: TupleShape): boolean {
  return (
    e.llen >= s.llen &&
    e.rlen >= s.rlen &&
    (!s.proto || e.proto >= 0) &&
    (!s.lport || (e.lports !== null && e.lports.lo === e.lports.hi)) &&
    (!s.rport || (e.rports !== null && e.rports.lo === e.rports.hi))
  );
}

/** Masks of a tuple as the image stores them. */
export function tupleMasks(s: TupleShape): { lmask: number; rmask: number; pmask: number; portmask: number } {
  return {
    lmask: prefixMask(s.llen),
    rmask: prefixMask(s.rlen),
    pmask: s.proto ? 0xff : 0,
    portmask: ((s.lport ? 0xffff0000 : 0) | (s.rport ? 0xffff : 0)) >>> 0,
  };
}

export function entryKeyParts(e: AclEntry, s: TupleShape): [number, number, number, number] {
  const m = tupleMasks(s);
  const ports = (((e.lports?.lo ?? 0) << 16) | (e.rports?.lo ?? 0)) >>> 0;
  return [(e.lnet & m.lmask) >>> 0, (e.rnet & m.rmask) >>> 0, (ports & m.portmask) >>> 0, e.proto < 0 ? 0 : e.proto & m.pmask];
}

/** The entries of a rule set for one direction, in rank order. */
export function expandEntries(set: AclRuleSet, outbound: boolean, order = rankOrder(set)): AclEntry[] {
  const out: AclEntry[] = [];
  const anyPrefix: AclPrefix[] = [{ base: 0, len: 0 }];
  order.forEach((ruleIndex, rank) => {
    const r = set.rules[ruleIndex];
    if (r.direction !== 'both' && r.direction !== (outbound ? 'out' : 'in')) return;
    const locals = r.local.length ? r.local : anyPrefix;
    const remotes = r.remote.length ? r.remote : anyPrefix;
    const protos = ruleProtocols(r).length ? ruleProtocols(r) : [-1];
    const lps: (PortRange | null)[] = r.localPorts.length ? [...r.localPorts] : [null];
    const rps: (PortRange | null)[] = r.remotePorts.length ? [...r.remotePorts] : [null];
    const count = locals.length * remotes.length * protos.length * lps.length * rps.length;
    if (out.length + count > ACL_MAX_ENTRIES) {
      throw new RangeError(`ACL rule set expands to more than ${ACL_MAX_ENTRIES} classifier entries (rule ${ruleIndex}, ${r.id})`);
    }
    for (const l of locals) for (const m of remotes) for (const p of protos) for (const lp of lps) for (const rp of rps) {
      out.push({ rank, lnet: l.base, llen: l.len, rnet: m.base, rlen: m.len, proto: p, lports: lp, rports: rp });
    }
  });
  return out;
}

/** Groups entries (in rank order) into tuples. */
export function buildClassifier(entries: readonly AclEntry[], params: AclTupleParams = ACL_TUPLE_DEFAULTS): AclClassifier {
  const tuples: AclTuple[] = [];
  const byShape = new Map<string, AclTuple>();
  const specificity = (s: TupleShape) => s.llen + s.rlen + (s.proto ? 8 : 0) + (s.lport ? 16 : 0) + (s.rport ? 16 : 0);
  const insert = (t: AclTuple, e: AclEntry) => {
    const key = entryKeyParts(e, t).join(',');
    let b = t.buckets.get(key);
    if (!b) t.buckets.set(key, (b = []));
    b.push(e); // entries arrive in rank order, so buckets stay sorted
    if (e.rank < t.minRank) t.minRank = e.rank;
  };
  const newTuple = (s: TupleShape): AclTuple => {
    const t: AclTuple = { ...s, minRank: Infinity, buckets: new Map() };
    tuples.push(t);
    byShape.set(shapeKey(s), t);
    return t;
  };
  for (const e of entries) {
    let best: AclTuple | undefined;
    let bestSpec = -1;
    let fallback: AclTuple | undefined;
    let fallbackSize = Infinity;
    for (const t of tuples) {
      if (!fits(e, t)) continue;
      const size = t.buckets.get(entryKeyParts(e, t).join(','))?.length ?? 0;
      if (size < params.maxBucket) {
        const sp = specificity(t);
        if (sp > bestSpec) {
          best = t;
          bestSpec = sp;
        }
      } else if (size < fallbackSize) {
        fallback = t;
        fallbackSize = size;
      }
    }
    if (!best) {
      const relaxed: TupleShape = { llen: relaxLen(e.llen, params.steps), rlen: relaxLen(e.rlen, params.steps), proto: params.protoKey && e.proto >= 0, lport: false, rport: false };
      const exact: TupleShape = {
        llen: relaxLen(e.llen, LADDER),
        rlen: relaxLen(e.rlen, LADDER),
        proto: e.proto >= 0,
        lport: e.lports !== null && e.lports.lo === e.lports.hi,
        rport: e.rports !== null && e.rports.lo === e.rports.hi,
      };
      // Walk from the relaxed shape towards the exact one, one refinement at a time, and take the
      // first shape with no tuple yet or with room in the entry's bucket.
      let shape = relaxed;
      for (;;) {
        const t = byShape.get(shapeKey(shape));
        if (!t) {
          best = newTuple(shape);
          break;
        }
        if ((t.buckets.get(entryKeyParts(e, t).join(','))?.length ?? 0) < params.maxBucket) {
          best = t;
          break;
        }
        const next = refine(shape, exact);
        if (!next) {
          best = fallback ?? t;
          break;
        }
        shape = next;
      }
    }
    insert(best, e);
  }
  tuples.sort((a, b) => a.minRank - b.minRank);
  const lens = (f: (t: AclTuple) => number) => [...new Set(tuples.map(f))].filter((l) => l > 0).sort((a, b) => a - b);
  return { tuples, entries: entries.length, localLens: lens((t) => t.llen), remoteLens: lens((t) => t.rlen) };
}

// ---- the image ---------------------------------------------------------------------------------
//
// Layout (little-endian; all pointers absolute addresses in the core's memory). Mirrored by
// assembly/tables/acl-classifier.ts; tests/unit/acl-image.test.ts checks the two agree.
//
// Header (ACL_HEADER_SIZE):
//   0 magic ACL_MAGIC   4 nRules   8 default action inbound (A_ALLOW/A_BLOCK)   12 default outbound
//  16 hits: u64[nRules + 2] (per rule, then default inbound, default outbound)
//  20 ranks: u32[nRules], rank → (rule index << 2) | action
//  24 classifier inbound   28 classifier outbound
//  32 flow cache inbound   36 flow cache outbound (0 when off)   40 flow cache shift (32 - log2 slots)
// Classifier: 0 tuple count  4 local lengths  8 remote lengths (each with a prefilter)
//  16 u64: tuples (of the first ACL_MASKED_TUPLES) with local length 0   24 u64: remote length 0
//  then at +ACL_CLS_TUPLES the tuples (ACL_TUPLE_SIZE each):
//   0 local mask  4 remote mask  8 protocol mask  12 ports mask (local << 16 | remote)
//  16 min rank   20 slots   24 shift: the slot is aclHash(masked key) >>> shift (32 - log2 slots)
//  then the prefilters (ACL_LEN_SIZE each; local lengths, then remote lengths):
//   0 mask  4 shift  8 bitmap (u32 words; bit (masked address * ACL_BLOOM_MUL) >>> shift is set for
//   every masked address some tuple of that length holds)  16 u64: the tuples of that length
// Slot (ACL_SLOT_SIZE; the masked key's aclHash picks it; no probing):
//   0 fingerprint (the key's full hash)  4 entries  8 count (0 = empty)
//  12 shared: 1 when keys of several buckets landed here (their entries merged; no fingerprint test)
// Entry (ACL_ENTRY_SIZE each, sorted by rank within a slot):
//   0 rank  4 local net  8 local mask  12 remote net  16 remote mask
//  20 protocol word: value (bits 0-8) | mask << 16, bit 8 = "packet has no ports"
//  24 local ports lo | hi << 16   28 remote ports lo | hi << 16
// Flow cache (per direction, ACL_CACHE_ENTRY_SIZE each, direct-mapped by aclHash of the packet's
// local, remote, ports and protocol word, >>> the cache shift; zero = empty):
//   0 local  4 remote  8 ports  12 valid << 31 | protocol word << 22 | rank (ACL_CACHE_NO_RULE: default)

export const ACL_MAGIC = 0x314c4341; // 'ACL1'
export const ACL_HEADER_SIZE = 48;
export const AH_MAGIC = 0;
export const AH_NRULES = 4;
export const AH_DEFAULT_IN = 8;
export const AH_DEFAULT_OUT = 12;
export const AH_HITS = 16;
export const AH_RANKS = 20;
export const AH_CLASS_IN = 24;
export const AH_CLASS_OUT = 28;
export const AH_CACHE_IN = 32;
export const AH_CACHE_OUT = 36;
export const AH_CACHE_SHIFT = 40;
export const ACL_CLS_TUPLES = 32;
export const AC_NTUPLES = 0;
export const AC_NLOCAL = 4;
export const AC_NREMOTE = 8;
export const AC_LOCAL0 = 16;
export const AC_REMOTE0 = 24;
export const ACL_LEN_SIZE = 32;
export const AL_MASK = 0;
export const AL_SHIFT = 4;
export const AL_BITMAP = 8;
export const AL_TUPLES = 16;
export const ACL_BLOOM_MUL = 0x9e3779b1;
export const ACL_TUPLE_SIZE = 32;
export const AT_LMASK = 0;
export const AT_RMASK = 4;
export const AT_PMASK = 8;
export const AT_PORTMASK = 12;
export const AT_MINRANK = 16;
export const AT_SLOTS = 20;
export const AT_SHIFT = 24;
export const ACL_SLOT_SIZE = 16;
export const AS_FP = 0;
export const AS_ENTRIES = 4;
export const AS_COUNT = 8;
export const AS_SHARED = 12;
export const ACL_ENTRY_SIZE = 32;
export const AE_RANK = 0;
export const AE_LNET = 4;
export const AE_LMASK = 8;
export const AE_RNET = 12;
export const AE_RMASK = 16;
export const AE_PROTO = 20;
export const AE_LPORTS = 24;
export const AE_RPORTS = 28;
export const ACL_CACHE_ENTRY_SIZE = 16;
/** Rank stored in a flow-cache entry for "no rule matched". */
export const ACL_CACHE_NO_RULE = 0x3fffff;
/** Bit of the packet's protocol word set when it carries no ports. */
export const ACL_NO_PORTS = 0x100;
/** Rules a rule set may hold (ranks must fit the flow cache's 22 bits). */
export const ACL_MAX_RULES = ACL_CACHE_NO_RULE;
/** Slots per bucket a tuple's table gets (a power of two): few collisions, so few shared slots. */
const SLOTS_PER_BUCKET = 4;

const A_ALLOW = 1;
const A_BLOCK = 2;

/**
 * The hash of a masked key (and of a flow, for the flow cache); assembly/tables/acl-classifier.ts
 * computes the same. A sum of products: its top bits depend on every key bit, so tables index with
 * `h >>> shift`; the whole value is the slot's fingerprint.
 */
export function aclHash(l: number, r: number, ports: number, proto: number): number {
  return (Math.imul(l, 0x9e3779b1) + Math.imul(r, 0x85ebca77) + Math.imul(ports ^ (proto << 24), 0xc2b2ae3d)) >>> 0;
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

/** Options of a compiled rule set. */
export interface AclCompileOptions {
  /** Flow-cache slots per direction (a power of two; 0 = no cache). Default ACL_FLOW_CACHE_DEFAULT. */
  flowCache?: number;
  /** Classifier tuning (tests and the bench). */
  tuples?: Partial<AclTupleParams>;
}

/** Default flow-cache size per direction: VFP's unified flow table caches each flow's first decision. */
export const ACL_FLOW_CACHE_DEFAULT = 1024;

/** A rule set compiled for the WebAssembly core: both directions' classifiers and the rank table. */
export interface CompiledAcl {
  nRules: number;
  defaultIn: AclAction;
  defaultOut: AclAction;
  /** rank → rule index */
  order: number[];
  actions: AclAction[];
  inbound: AclClassifier;
  outbound: AclClassifier;
  flowCache: number;
}

export function compileAcl(set: AclRuleSet, opts: AclCompileOptions = {}): CompiledAcl {
  validateRuleSet(set);
  if (set.rules.length > ACL_MAX_RULES) throw new RangeError(`ACL rule set has ${set.rules.length} rules; at most ${ACL_MAX_RULES}`);
  const flowCache = opts.flowCache ?? ACL_FLOW_CACHE_DEFAULT;
  if (flowCache !== 0 && (!Number.isInteger(flowCache) || flowCache < 2 || (flowCache & (flowCache - 1)) !== 0 || flowCache > 1 << 22)) {
    throw new RangeError(`flow cache size ${flowCache} is not 0 or a power of two in 2..2^22`);
  }
  const params = { ...ACL_TUPLE_DEFAULTS, ...opts.tuples };
  const order = rankOrder(set);
  return {
    nRules: set.rules.length,
    defaultIn: defaultActionFor(set, false),
    defaultOut: defaultActionFor(set, true),
    order,
    actions: set.rules.map((r) => r.action),
    inbound: buildClassifier(expandEntries(set, false, order), params),
    outbound: buildClassifier(expandEntries(set, true, order), params),
    flowCache,
  };
}

function slotCount(buckets: number): number {
  let n = 2;
  while (n < buckets * SLOTS_PER_BUCKET) n *= 2;
  return n;
}

function classifierSize(c: AclClassifier): number {
  let size = ACL_CLS_TUPLES + c.tuples.length * ACL_TUPLE_SIZE + (c.localLens.length + c.remoteLens.length) * ACL_LEN_SIZE;
  for (const t of c.tuples) size += slotCount(t.buckets.size) * ACL_SLOT_SIZE;
  for (const f of prefilters(c)) size += f.bits / 8;
  return size + c.entries * ACL_ENTRY_SIZE;
}

interface Prefilter {
  mask: number;
  bits: number;
  keys: Set<number>;
  /** Tuple indices (below ACL_MASKED_TUPLES) of this length. */
  tuples: number[];
}

/** One bitmap per distinct non-zero length of each address: the masked addresses the tuples hold. */
function prefilters(c: AclClassifier): Prefilter[] {
  const out: Prefilter[] = [];
  for (const [lens, local] of [[c.localLens, true], [c.remoteLens, false]] as const) {
    for (const len of lens) {
      const mask = prefixMask(len);
      const keys = new Set<number>();
      const tuples: number[] = [];
      c.tuples.forEach((t, k) => {
        if ((local ? t.llen : t.rlen) !== len) return;
        if (k < ACL_MASKED_TUPLES) tuples.push(k);
        for (const b of t.buckets.values()) for (const e of b) keys.add(((local ? e.lnet : e.rnet) & mask) >>> 0);
      });
      let bits = 256;
      while (bits < keys.size * 8) bits *= 2;
      out.push({ mask, bits, keys, tuples });
    }
  }
  return out;
}

/** Low and high words of the u64 set of tuple indices. */
function tupleSet(ks: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const k of ks) {
    if (k < 32) lo |= 1 << k;
    else if (k < 64) hi |= 1 << (k - 32);
  }
  return [lo >>> 0, hi >>> 0];
}

/** Bytes the image of a compiled rule set needs. */
export function aclImageSize(c: CompiledAcl): number {
  const hits = (c.nRules + 2) * 8;
  const ranks = (c.nRules * 4 + 15) & ~15;
  return ACL_HEADER_SIZE + hits + ranks + 2 * c.flowCache * ACL_CACHE_ENTRY_SIZE + classifierSize(c.inbound) + classifierSize(c.outbound);
}

/** Writes the image of `c` at address `base` (16-byte aligned, aclImageSize(c) bytes, zero-filled). */
export function encodeAclImage(c: CompiledAcl, dv: DataView, base: number): void {
  let p = base + ACL_HEADER_SIZE;
  const hits = p;
  p += (c.nRules + 2) * 8;
  const ranks = p;
  p += (c.nRules * 4 + 15) & ~15;
  dv.setUint32(base + AH_MAGIC, ACL_MAGIC, true);
  dv.setUint32(base + AH_NRULES, c.nRules, true);
  dv.setUint32(base + AH_DEFAULT_IN, c.defaultIn === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_DEFAULT_OUT, c.defaultOut === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_HITS, hits, true);
  dv.setUint32(base + AH_RANKS, ranks, true);
  c.order.forEach((ruleIndex, rank) => {
    dv.setUint32(ranks + rank * 4, ((ruleIndex << 2) | (c.actions[ruleIndex] === 'allow' ? A_ALLOW : A_BLOCK)) >>> 0, true);
  });
  if (c.flowCache > 0) {
    dv.setUint32(base + AH_CACHE_IN, p, true);
    p += c.flowCache * ACL_CACHE_ENTRY_SIZE;
    dv.setUint32(base + AH_CACHE_OUT, p, true);
    p += c.flowCache * ACL_CACHE_ENTRY_SIZE;
    dv.setUint32(base + AH_CACHE_SHIFT, 32 - log2(c.flowCache), true);
  }
  dv.setUint32(base + AH_CLASS_IN, p, true);
  p = encodeClassifier(c.inbound, dv, p);
  dv.setUint32(base + AH_CLASS_OUT, p, true);
  encodeClassifier(c.outbound, dv, p);
}

function encodeClassifier(c: AclClassifier, dv: DataView, base: number): number {
  const filters = prefilters(c);
  dv.setUint32(base + AC_NTUPLES, c.tuples.length, true);
  dv.setUint32(base + AC_NLOCAL, c.localLens.length, true);
  dv.setUint32(base + AC_NREMOTE, c.remoteLens.length, true);
  const zero = (local: boolean) => tupleSet(c.tuples.map((t, k) => ((local ? t.llen : t.rlen) === 0 ? k : -1)).filter((k) => k >= 0 && k < ACL_MASKED_TUPLES));
  const [l0lo, l0hi] = zero(true);
  const [r0lo, r0hi] = zero(false);
  dv.setUint32(base + AC_LOCAL0, l0lo, true);
  dv.setUint32(base + AC_LOCAL0 + 4, l0hi, true);
  dv.setUint32(base + AC_REMOTE0, r0lo, true);
  dv.setUint32(base + AC_REMOTE0 + 4, r0hi, true);
  const lensBase = base + ACL_CLS_TUPLES + c.tuples.length * ACL_TUPLE_SIZE;
  let p = lensBase + filters.length * ACL_LEN_SIZE;
  filters.forEach((f, j) => {
    const lp = lensBase + j * ACL_LEN_SIZE;
    const shift = 32 - log2(f.bits);
    dv.setUint32(lp + AL_MASK, f.mask, true);
    dv.setUint32(lp + AL_SHIFT, shift, true);
    dv.setUint32(lp + AL_BITMAP, p, true);
    const [lo, hi] = tupleSet(f.tuples);
    dv.setUint32(lp + AL_TUPLES, lo, true);
    dv.setUint32(lp + AL_TUPLES + 4, hi, true);
    for (const key of f.keys) {
      const bit = Math.imul(key, ACL_BLOOM_MUL) >>> shift;
      const w = p + (bit >>> 5) * 4;
      dv.setUint32(w, (dv.getUint32(w, true) | (1 << (bit & 31))) >>> 0, true);
    }
    p += f.bits / 8;
  });
  let e = p;
  for (const t of c.tuples) e += slotCount(t.buckets.size) * ACL_SLOT_SIZE;
  c.tuples.forEach((t, k) => {
    const tp = base + ACL_CLS_TUPLES + k * ACL_TUPLE_SIZE;
    const m = tupleMasks(t);
    const nSlots = slotCount(t.buckets.size);
    dv.setUint32(tp + AT_LMASK, m.lmask, true);
    dv.setUint32(tp + AT_RMASK, m.rmask, true);
    dv.setUint32(tp + AT_PMASK, m.pmask, true);
    dv.setUint32(tp + AT_PORTMASK, m.portmask, true);
    dv.setUint32(tp + AT_MINRANK, t.minRank, true);
    dv.setUint32(tp + AT_SLOTS, p, true);
    dv.setUint32(tp + AT_SHIFT, 32 - log2(nSlots), true);
    // Group buckets by slot; buckets that collide share the slot and their entries merge.
    const bySlot = new Map<number, { fp: number; entries: AclEntry[]; shared: boolean }>();
    for (const bucket of t.buckets.values()) {
      const h = aclHash(...entryKeyParts(bucket[0], t));
      const s = h >>> (32 - log2(nSlots));
      const cur = bySlot.get(s);
      if (!cur) bySlot.set(s, { fp: h, entries: bucket.slice(), shared: false });
      else {
        cur.entries.push(...bucket);
        cur.shared = true;
      }
    }
    for (const [s, slot] of bySlot) {
      if (slot.shared) slot.entries.sort((a, b) => a.rank - b.rank);
      const sp = p + s * ACL_SLOT_SIZE;
      dv.setUint32(sp + AS_FP, slot.fp, true);
      dv.setUint32(sp + AS_ENTRIES, e, true);
      dv.setUint32(sp + AS_COUNT, slot.entries.length, true);
      dv.setUint32(sp + AS_SHARED, slot.shared ? 1 : 0, true);
      for (const en of slot.entries) {
        writeEntry(en, dv, e);
        e += ACL_ENTRY_SIZE;
      }
    }
    p += nSlots * ACL_SLOT_SIZE;
  });
  return e;
}

function writeEntry(en: AclEntry, dv: DataView, p: number): void {
  const lmask = prefixMask(en.llen);
  const rmask = prefixMask(en.rlen);
  const needPorts = en.lports !== null || en.rports !== null;
  const pval = en.proto < 0 ? 0 : en.proto;
  const pmask = (en.proto < 0 ? 0 : 0xff) | (needPorts ? ACL_NO_PORTS : 0);
  const lp = en.lports ?? { lo: 0, hi: 0xffff };
  const rp = en.rports ?? { lo: 0, hi: 0xffff };
  dv.setUint32(p + AE_RANK, en.rank, true);
  dv.setUint32(p + AE_LNET, (en.lnet & lmask) >>> 0, true);
  dv.setUint32(p + AE_LMASK, lmask, true);
  dv.setUint32(p + AE_RNET, (en.rnet & rmask) >>> 0, true);
  dv.setUint32(p + AE_RMASK, rmask, true);
  dv.setUint32(p + AE_PROTO, (pval | (pmask << 16)) >>> 0, true);
  dv.setUint32(p + AE_LPORTS, (lp.lo | (lp.hi << 16)) >>> 0, true);
  dv.setUint32(p + AE_RPORTS, (rp.lo | (rp.hi << 16)) >>> 0, true);
}

/** Statistics of a compiled classifier (for tests and the bench report). */
export function classifierStats(c: AclClassifier): { tuples: number; entries: number; buckets: number; maxBucket: number } {
  let buckets = 0;
  let maxBucket = 0;
  for (const t of c.tuples) {
    buckets += t.buckets.size;
    for (const b of t.buckets.values()) maxBucket = Math.max(maxBucket, b.length);
  }
  return { tuples: c.tuples.length, entries: c.entries, buckets, maxBucket };
}

/** A flow as the ACL sees it (null ports: the packet carries none). */
export interface AclFlow {
  local: number;
  remote: number;
  proto: number;
  localPort: number | null;
  remotePort: number | null;
}

/**
 * The rule index a compiled rule set decides for a flow (-1: the default action), by the same
 * tuple-space search the WebAssembly stage runs, in TypeScript: for setup work that must know a
 * verdict in advance for many flows (the bench draws allowed flows; a linear scan of 10k rules per
 * flow would take minutes).
 */
export function aclLookup(c: CompiledAcl, outbound: boolean, f: AclFlow): number {
  const cls = outbound ? c.outbound : c.inbound;
  const hasPorts = f.localPort !== null && f.remotePort !== null;
  const ports = hasPorts ? ((f.localPort! << 16) | f.remotePort!) >>> 0 : 0;
  const lp = f.localPort ?? 0;
  const rp = f.remotePort ?? 0;
  let best = Infinity;
  for (const t of cls.tuples) {
    if (best <= t.minRank) break;
    const m = tupleMasks(t);
    const key = [(f.local & m.lmask) >>> 0, (f.remote & m.rmask) >>> 0, (ports & m.portmask) >>> 0, f.proto & m.pmask].join(',');
    for (const e of t.buckets.get(key) ?? []) {
      if (e.rank >= best) break;
      const ok =
        ((f.local & prefixMask(e.llen)) >>> 0) === e.lnet &&
        ((f.remote & prefixMask(e.rlen)) >>> 0) === e.rnet &&
        (e.proto < 0 || e.proto === f.proto) &&
        (e.lports === null || (hasPorts && lp >= e.lports.lo && lp <= e.lports.hi)) &&
        (e.rports === null || (hasPorts && rp >= e.rports.lo && rp <= e.rports.hi));
      if (ok) {
        best = e.rank;
        break;
      }
    }
  }
  return best === Infinity ? -1 : c.order[best];
}
