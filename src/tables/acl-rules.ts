/**
 * ACL rules: the rule model (what HNS ACL policies and Windows Firewall rules say), parsing of the
 * strings Windows uses for them, and validation. src/tables/acl-classifier.ts compiles a rule set into
 * the classifier and src/tables/acl-image.ts lays it out for the WebAssembly stage
 * (assembly/stages/acl.ts).
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

// ---- validation --------------------------------------------------------------------------------

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
