/**
 * ACL rules: the rule model the data plane enforces (what HNS ACL policies and Windows Firewall rules
 * say), its construction from the model's typed rules, and validation. The text of the rules is
 * parsed once, by the model, when the command runs (src/model/rule-match.ts); this layer only
 * converts and encodes. src/table-images/acl-classifier.ts compiles a rule set into the classifier and
 * src/table-images/acl-image.ts lays it out for the WebAssembly stage (assembly/stages/acl.ts).
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
import { maskOf } from '../addr.js';
import type { Prefix } from '../addr.js';
import { PROTO_IGMP, hnsAclMatch, parseRuleAddresses, parseRulePorts, parseRuleProtocol } from '../model/rule-match.js';
import type { AclPolicy, FirewallRule, PortRange as ModelPortRange, RuleMatch } from '../model/types.js';

// ---- the rule model ----------------------------------------------------------------------------

export type AclAction = 'allow' | 'block';
export type AclDirection = 'in' | 'out' | 'both';
export type AclSemantics = 'firewall' | 'vfp';

/** An IPv4 prefix: `base` is a host-order u32 with the host bits clear, `len` 0..32. */
export type AclPrefix = Prefix;

/** An inclusive port range 0..65535. */
export type PortRange = ModelPortRange;

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
export const ACL_MAX_RULE_SETS = 1 << 22;
/** Classifier entries (the cross product of a rule's lists) a rule set may expand to, per direction. */
export { ACL_MAX_ENTRIES } from '../model/rule-match.js';

// ---- from the model's typed rules --------------------------------------------------------------

/** A rule set and, per rule, the script line that made it (traces and the tables view name it). */
export interface SourcedAclRuleSet {
  set: AclRuleSet;
  lines: number[];
}

function protocolOf(protocols: readonly number[]): AclRule['protocol'] {
  return protocols.length === 0 ? 'any' : protocols.length === 1 ? protocols[0]! : protocols;
}

function aclRule(id: string, priority: number, direction: 'In' | 'Out', action: 'Allow' | 'Block', m: RuleMatch): AclRule {
  return {
    id,
    priority,
    direction: direction === 'In' ? 'in' : 'out',
    protocol: protocolOf(m.protocols),
    local: m.local,
    remote: m.remote,
    localPorts: m.localPorts,
    remotePorts: m.remotePorts,
    action: action === 'Allow' ? 'allow' : 'block',
  };
}

/**
 * A Windows Firewall rule set (host or container compartment) from the model's rules: every enabled
 * rule, in order, under `firewall` semantics (a block beats every allow); outbound default allow.
 * Total: the model parsed and validated each rule when its command ran.
 */
export function firewallRuleSet(rules: readonly FirewallRule[], defaultInbound: AclAction): SourcedAclRuleSet {
  const enabled = rules.filter((r) => r.enabled);
  return {
    set: { semantics: 'firewall', defaultAction: { in: defaultInbound, out: 'allow' }, rules: enabled.map((r) => aclRule(r.name, 0, r.direction, r.action, r.match)) },
    lines: enabled.map((r) => r.line),
  };
}

/**
 * An endpoint's VFP ACL rule set from its HNS ACL policies, under `vfp` semantics (lowest priority
 * number wins) over a default allow (HNS's own default policies sit at priority 65500).
 */
export function vfpRuleSet(policies: readonly AclPolicy[]): SourcedAclRuleSet {
  return {
    set: { semantics: 'vfp', defaultAction: 'allow', rules: policies.map((a) => aclRule(a.id, a.priority, a.direction, a.action, a.match)) },
    lines: policies.map((a) => a.line),
  };
}


// ---- validation --------------------------------------------------------------------------------

function checkPrefix(p: AclPrefix, where: string): void {
  if (!Number.isInteger(p.len) || p.len < 0 || p.len > 32) throw new RangeError(`${where}: prefix length ${p.len} not in 0..32`);
  if (!Number.isInteger(p.base) || p.base < 0 || p.base > 0xffffffff) throw new RangeError(`${where}: address ${p.base} is not a u32`);
  if (((p.base & maskOf(p.len)) >>> 0) !== p.base) throw new RangeError(`${where}: host bits set in ${p.base}/${p.len}`);
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
