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
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return 'any';
  const out: number[] = [];
  for (const item of items) {
    const name = item.toLowerCase().replace(/:.*$/, '');
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
// A decision tree with multi-way equal-size cuts (HiCuts: Gupta & McKeown, "Packet Classification
// using Hierarchical Intelligent Cuttings", Hot Interconnects 1999), with HyperCuts' region
// compaction and rule-overlap pruning. Each rule expands into entries (one per member of the cross
// product of its lists); an entry is a box in five dimensions: local address, remote address, local
// port, remote port (0..65536, where 65536 stands for "the packet has no ports", inside only the
// "any port" boxes) and protocol.
// A node covers an aligned power-of-two region per dimension and cuts one dimension into 2^k equal
// parts; a child holds the entries whose box meets its part, in rank order. Building stops at
// ACL_LEAF_SIZE entries; an entry that covers the whole region hides every entry ranked after it.
// Lookup walks from the root by shifting and masking one packet field per level (no comparisons,
// no branches) to a leaf, then checks the leaf's entries in rank order; the first match decides.

export const DIM_LOCAL = 0;
export const DIM_REMOTE = 1;
export const DIM_LPORT = 2;
export const DIM_RPORT = 3;
export const DIM_PROTO = 4;
const DIMS = 5;
const DIM_BITS = [32, 32, 17, 17, 8];
/** The port, in the tree's port dimensions, of a packet that has none. */
export const ACL_NO_PORT_VALUE = 65536;

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

export interface AclTreeParams {
  /** Entries at or below which a node becomes a leaf. */
  leafSize: number;
  /** Space factor: a cut may at most multiply the entries of a node by this (plus its child count). */
  spaceFactor: number;
  /** Most cut bits per node (2^bits children). */
  maxCutBits: number;
  /** Deepest level; a node there is a leaf whatever its size. */
  maxDepth: number;
}

export const ACL_TREE_DEFAULTS: AclTreeParams = { leafSize: 8, spaceFactor: 4, maxCutBits: 8, maxDepth: 24 };

export type AclNode =
  | { kind: 'leaf'; entries: AclEntry[] }
  | { kind: 'cut'; dim: number; shift: number; bits: number; children: AclNode[] };

export interface AclClassifier {
  root: AclNode;
  /** Levels a lookup walks (the deepest leaf's depth). */
  depth: number;
  entries: number;
  /** Distinct cut nodes and leaves, descriptor slots, leaf entry copies, largest leaf. */
  cuts: number;
  leaves: number;
  slots: number;
  leafEntries: number;
  maxLeaf: number;
}

interface Item {
  id: number;
  e: AclEntry;
  lo: number[];
  hi: number[];
}

function entryItem(e: AclEntry, id: number): Item {
  const lsize = 2 ** (32 - e.llen);
  const rsize = 2 ** (32 - e.rlen);
  return {
    id,
    e,
    lo: [e.lnet, e.rnet, e.lports ? e.lports.lo : 0, e.rports ? e.rports.lo : 0, e.proto < 0 ? 0 : e.proto],
    hi: [
      e.lnet + lsize - 1,
      e.rnet + rsize - 1,
      e.lports ? e.lports.hi : ACL_NO_PORT_VALUE,
      e.rports ? e.rports.hi : ACL_NO_PORT_VALUE,
      e.proto < 0 ? 255 : e.proto,
    ],
  };
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

/** Builds the decision tree over entries given in rank order. */
export function buildClassifier(entries: readonly AclEntry[], params: AclTreeParams = ACL_TREE_DEFAULTS): AclClassifier {
  const stats = { cuts: 0, leaves: 0, slots: 1, leafEntries: 0, maxLeaf: 0, depth: 0 };
  const items = entries.map(entryItem);
  const root = buildNode(items, DIM_BITS.map(() => 0), DIM_BITS.slice(), 0, params, stats);
  return { root, entries: entries.length, ...stats };
}

function buildNode(
  input: Item[],
  lo: number[],
  bits: number[],
  depth: number,
  params: AclTreeParams,
  stats: { cuts: number; leaves: number; slots: number; leafEntries: number; maxLeaf: number; depth: number },
): AclNode {
  // Region compaction: shrink each dimension to the aligned block holding every entry's part of it.
  // A packet outside it matches no entry of this node, so wherever it lands it is rejected.
  lo = lo.slice();
  bits = bits.slice();
  if (input.length > 0) {
    for (let d = 0; d < DIMS; d++) {
      const regionHi = lo[d] + 2 ** bits[d] - 1;
      let mn = Infinity;
      let mx = -Infinity;
      for (const it of input) {
        mn = Math.min(mn, Math.max(it.lo[d], lo[d]));
        mx = Math.max(mx, Math.min(it.hi[d], regionHi));
      }
      const b = mn === mx ? 0 : 32 - Math.clz32((mn ^ mx) >>> 0);
      // The values fit in 32 bits, so XOR and clz32 see them whole.
      bits[d] = b;
      lo[d] = b === 32 ? 0 : mn - (mn % 2 ** b);
    }
  }
  // Overlap pruning: the first entry (in rank order) covering the whole region hides the rest.
  const items: Item[] = [];
  for (const it of input) {
    items.push(it);
    let covers = true;
    for (let d = 0; d < DIMS && covers; d++) covers = it.lo[d] <= lo[d] && it.hi[d] >= lo[d] + 2 ** bits[d] - 1;
    if (covers) break;
  }
  const n = items.length;
  const leaf = (): AclNode => {
    stats.leaves++;
    stats.leafEntries += n;
    stats.maxLeaf = Math.max(stats.maxLeaf, n);
    stats.depth = Math.max(stats.depth, depth);
    return { kind: 'leaf', entries: items.map((it) => it.e) };
  };
  if (n <= params.leafSize || depth >= params.maxDepth) return leaf();

  // Choose the cut: per dimension the most cuts the space factor allows, then the dimension whose
  // largest child is smallest (then the least replication).
  let best: { d: number; k: number; maxChild: number; sum: number } | undefined;
  for (let d = 0; d < DIMS; d++) {
    if (bits[d] === 0) continue;
    let cand: { d: number; k: number; maxChild: number; sum: number } | undefined;
    for (let k = 1; k <= Math.min(bits[d], params.maxCutBits); k++) {
      const np = 2 ** k;
      const size = 2 ** (bits[d] - k);
      const diff = new Int32Array(np + 1);
      let sum = 0;
      for (const it of items) {
        const a = Math.floor((Math.max(it.lo[d], lo[d]) - lo[d]) / size);
        const b = Math.floor((Math.min(it.hi[d], lo[d] + 2 ** bits[d] - 1) - lo[d]) / size);
        diff[a]++;
        diff[b + 1]--;
        sum += b - a + 1;
      }
      if (k > 1 && sum + np > params.spaceFactor * n) break;
      let run = 0;
      let maxChild = 0;
      for (let c = 0; c < np; c++) {
        run += diff[c];
        if (run > maxChild) maxChild = run;
      }
      cand = { d, k, maxChild, sum };
    }
    if (cand && (!best || cand.maxChild < best.maxChild || (cand.maxChild === best.maxChild && cand.sum < best.sum))) best = cand;
  }
  // Every cut leaves some child with all the entries and the region cannot usefully shrink.
  if (!best || (best.maxChild === n && best.sum >= n * 2 ** best.k)) return leaf();

  const { d, k } = best;
  const np = 2 ** k;
  const shift = bits[d] - k;
  const size = 2 ** shift;
  const children: AclNode[] = [];
  // Children with the same entries cut the same way relative to their part share one subtree.
  const shared = new Map<string, AclNode>();
  stats.cuts++;
  stats.slots += np;
  for (let c = 0; c < np; c++) {
    const clo = lo.slice();
    const cbits = bits.slice();
    clo[d] = lo[d] + c * size;
    cbits[d] = shift;
    const chi = clo[d] + size - 1;
    const sub = items.filter((it) => it.lo[d] <= chi && it.hi[d] >= clo[d]);
    const key = sub.map((it) => `${it.id}:${Math.max(it.lo[d], clo[d]) - clo[d]}:${Math.min(it.hi[d], chi) - clo[d]}`).join(',');
    let node = shared.get(key);
    if (!node) {
      node = buildNode(sub, clo, cbits, depth + 1, params, stats);
      shared.set(key, node);
    }
    children.push(node);
  }
  return { kind: 'cut', dim: d, shift, bits: k, children };
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
// Classifier: 0 depth (levels to walk)   4 descriptor table (slot 0 = the root)
// Descriptor (ACL_DESC_SIZE): 0 control: field << 0 (packet field index, 3 bits) | shift << 3 (5 bits)
//   | mask << 8 (24 bits)   4 base: slot of the child array, or for a leaf its own slot (mask 0: the
//   walk stays there)   8 leaf entries (0 for a cut)   12 leaf entry count
//   The walk: slot = base + ((field >>> shift) & mask).
// Entry (ACL_ENTRY_SIZE, rank order within a leaf):
//   0 rank  4 local net  8 local mask  12 remote net  16 remote mask
//  20 protocol word: value (bits 0-8) | mask << 16; bit 8 = "packet has no ports"
//  24 local ports lo | hi << 16   28 remote ports lo | hi << 16

export const ACL_MAGIC = 0x314c4341; // 'ACL1'
export const ACL_HEADER_SIZE = 32;
export const AH_MAGIC = 0;
export const AH_NRULES = 4;
export const AH_DEFAULT_IN = 8;
export const AH_DEFAULT_OUT = 12;
export const AH_HITS = 16;
export const AH_RANKS = 20;
export const AH_CLASS_IN = 24;
export const AH_CLASS_OUT = 28;
export const AC_DEPTH = 0;
export const AC_TABLE = 4;
export const ACL_CLASSIFIER_SIZE = 16;
export const ACL_DESC_SIZE = 16;
export const AD_CONTROL = 0;
export const AD_BASE = 4;
export const AD_ENTRIES = 8;
export const AD_COUNT = 12;
export const ACL_ENTRY_SIZE = 32;
export const AE_RANK = 0;
export const AE_LNET = 4;
export const AE_LMASK = 8;
export const AE_RNET = 12;
export const AE_RMASK = 16;
export const AE_PROTO = 20;
export const AE_LPORTS = 24;
export const AE_RPORTS = 28;
/** Bit of the packet's protocol word set when it carries no ports. */
export const ACL_NO_PORTS = 0x100;

const A_ALLOW = 1;
const A_BLOCK = 2;

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
}

export function compileAcl(set: AclRuleSet, params: AclTreeParams = ACL_TREE_DEFAULTS): CompiledAcl {
  validateRuleSet(set);
  const order = rankOrder(set);
  return {
    nRules: set.rules.length,
    defaultIn: defaultActionFor(set, false),
    defaultOut: defaultActionFor(set, true),
    order,
    actions: set.rules.map((r) => r.action),
    inbound: buildClassifier(expandEntries(set, false, order), params),
    outbound: buildClassifier(expandEntries(set, true, order), params),
  };
}

function classifierSize(c: AclClassifier): number {
  return ACL_CLASSIFIER_SIZE + c.slots * ACL_DESC_SIZE + c.leafEntries * ACL_ENTRY_SIZE;
}

/** Bytes the image of a compiled rule set needs. */
export function aclImageSize(c: CompiledAcl): number {
  const hits = (c.nRules + 2) * 8;
  const ranks = (c.nRules * 4 + 7) & ~7;
  return ACL_HEADER_SIZE + hits + ranks + classifierSize(c.inbound) + classifierSize(c.outbound);
}

/** Writes the image of `c` at address `base` (16-byte aligned, aclImageSize(c) bytes, zero-filled). */
export function encodeAclImage(c: CompiledAcl, dv: DataView, base: number): void {
  let p = base + ACL_HEADER_SIZE;
  const hits = p;
  p += (c.nRules + 2) * 8;
  const ranks = p;
  p += (c.nRules * 4 + 7) & ~7;
  dv.setUint32(base + AH_MAGIC, ACL_MAGIC, true);
  dv.setUint32(base + AH_NRULES, c.nRules, true);
  dv.setUint32(base + AH_DEFAULT_IN, c.defaultIn === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_DEFAULT_OUT, c.defaultOut === 'allow' ? A_ALLOW : A_BLOCK, true);
  dv.setUint32(base + AH_HITS, hits, true);
  dv.setUint32(base + AH_RANKS, ranks, true);
  c.order.forEach((ruleIndex, rank) => {
    dv.setUint32(ranks + rank * 4, ((ruleIndex << 2) | (c.actions[ruleIndex] === 'allow' ? A_ALLOW : A_BLOCK)) >>> 0, true);
  });
  dv.setUint32(base + AH_CLASS_IN, p, true);
  p = encodeClassifier(c.inbound, dv, p);
  dv.setUint32(base + AH_CLASS_OUT, p, true);
  encodeClassifier(c.outbound, dv, p);
}

function encodeClassifier(c: AclClassifier, dv: DataView, base: number): number {
  const table = base + ACL_CLASSIFIER_SIZE;
  let entryPtr = table + c.slots * ACL_DESC_SIZE;
  dv.setUint32(base + AC_DEPTH, c.depth, true);
  dv.setUint32(base + AC_TABLE, table, true);
  let nextSlot = 1;
  const arrays = new Map<AclNode, number>();
  const lists = new Map<AclNode, number>();
  const writeDesc = (slot: number, node: AclNode): void => {
    const q = table + slot * ACL_DESC_SIZE;
    if (node.kind === 'leaf') {
      let list = lists.get(node);
      if (list === undefined) {
        list = entryPtr;
        for (const en of node.entries) {
          writeEntry(en, dv, entryPtr);
          entryPtr += ACL_ENTRY_SIZE;
        }
        lists.set(node, list);
      }
      dv.setUint32(q + AD_CONTROL, 0, true);
      dv.setUint32(q + AD_BASE, slot, true);
      dv.setUint32(q + AD_ENTRIES, list, true);
      dv.setUint32(q + AD_COUNT, node.entries.length, true);
      return;
    }
    let arr = arrays.get(node);
    const fresh = arr === undefined;
    if (arr === undefined) {
      arr = nextSlot;
      nextSlot += node.children.length;
      arrays.set(node, arr);
    }
    dv.setUint32(q + AD_CONTROL, (node.dim | (node.shift << 3) | (((1 << node.bits) - 1) << 8)) >>> 0, true);
    dv.setUint32(q + AD_BASE, arr, true);
    if (fresh) node.children.forEach((child, i) => writeDesc(arr + i, child));
  };
  writeDesc(0, c.root);
  if (nextSlot !== c.slots) throw new Error(`ACL image: ${nextSlot} descriptor slots written, ${c.slots} sized`);
  return entryPtr;
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
