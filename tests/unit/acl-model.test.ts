/**
 * The ACL rule model: the rule text HNS, netsh and New-NetFirewallRule use for addresses, ports and
 * protocols, parsed by the model (src/model/rule-match.ts); the conversion of the model's typed rules
 * into rule sets (src/table-images/acl-rules.ts); validation; the decision order of both semantics.
 */
import { maskOf } from '../../src/addr.js';
import { describe, expect, it } from 'vitest';
import {firewallRuleSet, validateRuleSet, vfpRuleSet, defaultActionFor, type AclRule, type AclRuleSet } from '../../src/table-images/acl-rules.js';
import { rankOrder } from '../../src/table-images/acl-classifier.js';
import {
  RuleTextError, hnsAclMatch, parseRuleAddresses, parseRulePorts, parseRuleProtocol, rangeToPrefixes, type RuleTextProblem,
} from '../../src/model/rule-match.js';
import type { AclPolicy, FirewallRule } from '../../src/model/types.js';
import { mulberry32 } from '../../src/bench/classbench.js';

const ip = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

function rule(over: Partial<AclRule>): AclRule {
  return {
    id: 'r', priority: 100, direction: 'in', protocol: 'any', local: [], remote: [], localPorts: [], remotePorts: [],
    action: 'allow', ...over,
  };
}

/** The problem a parse reports, or 'none' when it parses. */
function problem(f: () => unknown): RuleTextProblem | 'none' {
  try {
    f();
    return 'none';
  } catch (e) {
    if (e instanceof RuleTextError) return e.problem;
    throw e;
  }
}

function expectRefusals(parse: (text: string) => unknown, cases: [string, RuleTextProblem][]): void {
  for (const [text, expected] of cases) expect(problem(() => parse(text)), text).toBe(expected);
}

describe('addresses', () => {
  it('reads Any, hosts, CIDR, dotted netmasks and lists', () => {
    expect(parseRuleAddresses('Any')).toEqual([]);
    expect(parseRuleAddresses('')).toEqual([]);
    expect(parseRuleAddresses('*')).toEqual([]);
    expect(parseRuleAddresses('10.0.0.5')).toEqual([{ base: ip('10.0.0.5'), len: 32 }]);
    expect(parseRuleAddresses('10.1.2.3/24')).toEqual([{ base: ip('10.1.2.0'), len: 24 }]);
    expect(parseRuleAddresses('172.16.0.0/255.240.0.0')).toEqual([{ base: ip('172.16.0.0'), len: 12 }]);
    expect(parseRuleAddresses('0.0.0.0/0')).toEqual([{ base: 0, len: 0 }]);
    expect(parseRuleAddresses('10.0.0.1, 192.168.0.0/16')).toEqual([
      { base: ip('10.0.0.1'), len: 32 },
      { base: ip('192.168.0.0'), len: 16 },
    ]);
    // Any anywhere in a list makes the list any (netsh accepts it only alone; HNS never mixes).
    expect(parseRuleAddresses('10.0.0.1,Any')).toEqual([]);
  });

  it('splits a range into the fewest covering prefixes', () => {
    expect(parseRuleAddresses('10.0.0.0-10.0.0.255')).toEqual([{ base: ip('10.0.0.0'), len: 24 }]);
    expect(parseRuleAddresses('10.0.0.1-10.0.0.6')).toEqual([
      { base: ip('10.0.0.1'), len: 32 },
      { base: ip('10.0.0.2'), len: 31 },
      { base: ip('10.0.0.4'), len: 31 },
      { base: ip('10.0.0.6'), len: 32 },
    ]);
    expect(rangeToPrefixes(0, 0xffffffff)).toEqual([{ base: 0, len: 0 }]);
  });

  it('covers exactly the range, for random ranges', () => {
    const r = mulberry32(11);
    for (let k = 0; k < 300; k++) {
      const a = Math.floor(r() * 2 ** 32);
      const b = Math.min(0xffffffff, a + Math.floor(r() * (k % 3 === 0 ? 2 ** 20 : 5000)));
      const ps = rangeToPrefixes(a, b);
      let next = a;
      for (const p of ps) {
        expect(p.base, `range ${a}-${b}`).toBe(next);
        expect((p.base & maskOf(p.len)) >>> 0).toBe(p.base);
        next = p.base + 2 ** (32 - p.len);
      }
      expect(next - 1, `range ${a}-${b}`).toBe(b);
      expect(ps.length).toBeLessThanOrEqual(62);
    }
  });

  it('refuses malformed addresses; keywords and IPv6 as what the data plane cannot express; names the field', () => {
    expectRefusals(parseRuleAddresses, [['10.0.0.256', 'address'], ['10.0.0.0/33', 'address'], ['10.0.0.0/255.0.255.0', 'address'], ['10.0.0.9-10.0.0.1', 'address'], ['x.y', 'address'], ['LocalSubnet', 'address-keyword'], ['10.0.0.1,DefaultGateway4', 'address-keyword'], ['::1/128', 'ipv6']]);
    try {
      parseRuleAddresses('x.y', 'localip');
      expect.unreachable();
    } catch (e) {
      expect((e as RuleTextError).field).toBe('localip');
      expect((e as RuleTextError).value).toBe('x.y');
    }
  });
});

describe('ports', () => {
  it('reads the forms Windows writes', () => {
    expect(parseRulePorts('Any')).toEqual([]);
    expect(parseRulePorts('80')).toEqual([{ lo: 80, hi: 80 }]);
    expect(parseRulePorts('80-90')).toEqual([{ lo: 80, hi: 90 }]);
    expect(parseRulePorts('80, 443,8000-8080')).toEqual([
      { lo: 80, hi: 80 },
      { lo: 443, hi: 443 },
      { lo: 8000, hi: 8080 },
    ]);
    expect(parseRulePorts('0-10')).toEqual([{ lo: 0, hi: 10 }]);
    // A firewall rule's port 0 is port 0; only HNS writes 0 for "no port" (see hnsAclMatch).
    expect(parseRulePorts('0')).toEqual([{ lo: 0, hi: 0 }]);
  });

  it('refuses what is not a port; port keywords as what the data plane cannot express', () => {
    expectRefusals(parseRulePorts, [['65536', 'port'], ['333221', 'port'], ['90-80', 'port'], ['http', 'port'], ['RPC', 'port-keyword'], ['80,PlayToDiscovery', 'port-keyword']]);
  });
});

describe('protocols', () => {
  it('reads the names and numbers netsh and New-NetFirewallRule take', () => {
    expect(parseRuleProtocol('TCP')).toEqual([6]);
    expect(parseRuleProtocol('udp')).toEqual([17]);
    expect(parseRuleProtocol('ICMPv4')).toEqual([1]);
    expect(parseRuleProtocol('icmpv4:any,any')).toEqual([1]);
    expect(parseRuleProtocol('Any')).toEqual([]);
    expect(parseRuleProtocol('47')).toEqual([47]);
    expect(parseRuleProtocol('0')).toEqual([0]);
  });

  it('refuses other words (netsh takes icmpv4, not icmp), numbers past 255, ICMPv6 and ICMP type filters', () => {
    expectRefusals(parseRuleProtocol, [['TCPs', 'protocol'], ['icmp', 'protocol'], ['256', 'protocol'], ['6,17', 'protocol'], ['icmpv6', 'ipv6'], ['icmpv4:8,any', 'icmp-type']]);
  });
});

describe('HNS ACL policies', () => {
  it('reads a policy as Get-HnsEndpoint shows it: 256 = any protocol, port 0 = none given', () => {
    // Action=Allow; Direction=In; Id=allow-host-to-endpoint; LocalPort=0; Priority=900; Protocol=256;
    // RemoteAddresses=10.156.233.218/32; RemotePort=0 (windows-facts §2.1).
    expect(hnsAclMatch({ protocol: 256, localAddresses: '', remoteAddresses: '10.156.233.218/32', localPorts: '0', remotePorts: '0' })).toEqual({
      protocols: [], local: [], remote: [{ base: ip('10.156.233.218'), len: 32 }], localPorts: [], remotePorts: [],
    });
    expect(hnsAclMatch({ protocol: 6, localAddresses: '', remoteAddresses: '', localPorts: '80', remotePorts: '' }).localPorts).toEqual([{ lo: 80, hi: 80 }]);
  });

  it('refuses protocols past 256 and ports on a protocol that has none', () => {
    expect(problem(() => hnsAclMatch({ protocol: 257, localAddresses: '', remoteAddresses: '', localPorts: '', remotePorts: '' }))).toBe('protocol');
    expect(problem(() => hnsAclMatch({ protocol: 1, localAddresses: '', remoteAddresses: '', localPorts: '80', remotePorts: '' }))).toBe('ports-need-tcp-udp');
  });
});

describe('rule sets from the model', () => {
  const match = { protocols: [6], local: [], remote: [{ base: ip('10.0.0.0'), len: 8 }], localPorts: [{ lo: 80, hi: 80 }], remotePorts: [] };
  const fw = (over: Partial<FirewallRule>): FirewallRule => ({
    name: 'r', direction: 'In', action: 'Allow', protocol: 'TCP', localPorts: '80', remotePorts: 'Any', localAddresses: 'Any',
    remoteAddresses: '10.0.0.0/8', enabled: true, profile: 'Any', origin: 'user', match, line: 3, ...over,
  });

  it('firewallRuleSet: enabled rules in order, their lines, firewall semantics, the inbound default given', () => {
    const out = firewallRuleSet([fw({ name: 'a' }), fw({ name: 'off', enabled: false }), fw({ name: 'b', direction: 'Out', action: 'Block', line: 5 })], 'block');
    expect(out.lines).toEqual([3, 5]);
    expect(out.set).toEqual({
      semantics: 'firewall',
      defaultAction: { in: 'block', out: 'allow' },
      rules: [
        { id: 'a', priority: 0, direction: 'in', protocol: 6, local: [], remote: [{ base: ip('10.0.0.0'), len: 8 }], localPorts: [{ lo: 80, hi: 80 }], remotePorts: [], action: 'allow' },
        { id: 'b', priority: 0, direction: 'out', protocol: 6, local: [], remote: [{ base: ip('10.0.0.0'), len: 8 }], localPorts: [{ lo: 80, hi: 80 }], remotePorts: [], action: 'block' },
      ],
    });
    expect(firewallRuleSet([fw({ match: { ...match, protocols: [] } })], 'allow').set.rules[0]!.protocol).toBe('any');
  });

  it('vfpRuleSet: every policy with its priority, vfp semantics over a default allow', () => {
    const policy: AclPolicy = {
      id: 'default-allow-in', action: 'Allow', direction: 'In', protocol: 256, localAddresses: '', remoteAddresses: '', localPorts: '', remotePorts: '',
      priority: 65500, ruleType: 'Switch', match: { protocols: [], local: [], remote: [], localPorts: [], remotePorts: [] }, line: 2,
    };
    const out = vfpRuleSet([policy, { ...policy, id: 'deny', action: 'Block', priority: 100, line: 4 }]);
    expect(out.lines).toEqual([2, 4]);
    expect(out.set.semantics).toBe('vfp');
    expect(out.set.defaultAction).toBe('allow');
    expect(out.set.rules.map((r) => [r.id, r.priority, r.action, r.protocol])).toEqual([['default-allow-in', 65500, 'allow', 'any'], ['deny', 100, 'block', 'any']]);
  });

});

describe('validation', () => {
  const ok: AclRuleSet = { semantics: 'vfp', defaultAction: 'allow', rules: [rule({})] };

  it('accepts a well-formed set and refuses out-of-range values', () => {
    expect(() => validateRuleSet(ok)).not.toThrow();
    const bad = (r: Partial<AclRule>) => () => validateRuleSet({ ...ok, rules: [rule(r)] });
    expect(bad({ priority: -1 })).toThrow(RangeError);
    expect(bad({ protocol: 256 })).toThrow(/protocol 256/);
    expect(bad({ protocol: [] })).toThrow(/empty protocol list/);
    expect(bad({ local: [{ base: ip('10.0.0.1'), len: 24 }] })).toThrow(/host bits/);
    expect(bad({ remote: [{ base: 0, len: 33 }] })).toThrow(/prefix length/);
    expect(bad({ localPorts: [{ lo: 9, hi: 8 }] })).toThrow(/port range/);
    expect(bad({ action: 'drop' as never })).toThrow(/unknown action/);
    expect(() => validateRuleSet({ ...ok, semantics: 'iptables' as never })).toThrow(/semantics/);
    expect(() => validateRuleSet({ ...ok, defaultAction: { in: 'allow', out: 'reject' as never } })).toThrow(/default action/);
  });

  it('gives the default per direction', () => {
    const set: AclRuleSet = { ...ok, defaultAction: { in: 'block', out: 'allow' } };
    expect(defaultActionFor(set, false)).toBe('block');
    expect(defaultActionFor(set, true)).toBe('allow');
    expect(defaultActionFor(ok, false)).toBe('allow');
  });
});

describe('decision order', () => {
  const rules = [
    rule({ id: 'a', priority: 300, action: 'allow' }),
    rule({ id: 'b', priority: 100, action: 'block' }),
    rule({ id: 'c', priority: 200, action: 'allow' }),
    rule({ id: 'd', priority: 100, action: 'allow' }),
    rule({ id: 'e', priority: 50, action: 'block' }),
  ];

  it('vfp: lowest priority number first, ties in rule order', () => {
    expect(rankOrder({ semantics: 'vfp', defaultAction: 'allow', rules })).toEqual([4, 1, 3, 2, 0]);
  });

  it('firewall: every block rule before every allow rule, each in rule order, priority ignored', () => {
    expect(rankOrder({ semantics: 'firewall', defaultAction: 'allow', rules })).toEqual([1, 4, 0, 2, 3]);
  });
});
