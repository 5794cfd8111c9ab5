/**
 * The ACL rule sets of a plane from the model's rules: an endpoint's HNS ACL policies over VFP's
 * default allow-all (priority 65500), and a Windows Firewall's rules over its profile defaults.
 */
import type { AclPolicy, FirewallRule, Host } from '../model/types.js';
import { osProfile } from '../model/os.js';
import { parseAclRule, type AclRule, type AclRuleSet } from '../tables/acl.js';

export interface RuleSetWithLines {
  set: AclRuleSet;
  /** Script line of each rule, by rule index. */
  lines: number[];
}

/** VFP ACLs of an endpoint: its HNS ACL policies over the default allow-all (priority 65500). */
export function vfpRuleSet(policies: readonly AclPolicy[]): RuleSetWithLines {
  const rules: AclRule[] = [];
  const lines: number[] = [];
  for (const a of policies) {
    try {
      rules.push(parseAclRule({ id: a.id, action: a.action, direction: a.direction, protocol: a.protocol === 256 ? 'any' : a.protocol, localAddresses: a.localAddresses || 'any', remoteAddresses: a.remoteAddresses || 'any', localPorts: a.localPorts || 'any', remotePorts: a.remotePorts || 'any', priority: a.priority }));
      lines.push(a.line);
    } catch {
      // A policy the model accepted but the classifier cannot express is skipped (never silently allowed: the default stays).
    }
  }
  return { set: { semantics: 'vfp', defaultAction: 'allow', rules }, lines };
}

/** A Windows Firewall rule set: profile defaults (in the model's rules) and the rules added by commands. */
export function firewallRuleSet(h: Host, rulesIn: readonly FirewallRule[]): RuleSetWithLines {
  const rules: AclRule[] = [];
  const lines: number[] = [];
  for (const r of rulesIn) {
    if (!r.enabled) continue;
    try {
      rules.push(parseAclRule({ name: r.name, action: r.action, direction: r.direction, protocol: r.protocol === 'ICMPv4' ? 1 : r.protocol, localAddresses: r.localAddresses, remoteAddresses: r.remoteAddresses, localPorts: r.localPorts, remotePorts: r.remotePorts }));
      lines.push(r.line);
    } catch {
      // See vfpRuleSet.
    }
  }
  const inbound = osProfile(h.os).inboundDefault === 'deny-all' ? 'block' : 'allow';
  return { set: { semantics: 'firewall', defaultAction: { in: inbound, out: 'allow' }, rules }, lines };
}
