/**
 * The ACL rule model: parsing the strings HNS, netsh and New-NetFirewallRule use for addresses, ports,
 * protocols, actions and directions; validation; the decision order of both semantics.
 */
import { describe, expect, it } from 'vitest';
import {
  AclSyntaxError, parseAddresses, parsePorts, parseProtocol, parseAction, parseDirection, parseAclRule,
  parseNetshRule, rangeToPrefixes, validateRuleSet, defaultActionFor, prefixMask,
  type AclRule, type AclRuleSet,
} from '../../src/tables/acl-rules.js';
import { rankOrder } from '../../src/tables/acl-classifier.js';
import { mulberry32 } from '../../src/bench/classbench.js';

const ip = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

function rule(over: Partial<AclRule>): AclRule {
  return {
    id: 'r', priority: 100, direction: 'in', protocol: 'any', local: [], remote: [], localPorts: [], remotePorts: [],
    action: 'allow', ...over,
  };
}

describe('addresses', () => {
  it('reads Any, hosts, CIDR, dotted netmasks and lists', () => {
    expect(parseAddresses('Any')).toEqual([]);
    expect(parseAddresses('')).toEqual([]);
    expect(parseAddresses('*')).toEqual([]);
    expect(parseAddresses('10.0.0.5')).toEqual([{ base: ip('10.0.0.5'), len: 32 }]);
    expect(parseAddresses('10.1.2.3/24')).toEqual([{ base: ip('10.1.2.0'), len: 24 }]);
    expect(parseAddresses('172.16.0.0/255.240.0.0')).toEqual([{ base: ip('172.16.0.0'), len: 12 }]);
    expect(parseAddresses('0.0.0.0/0')).toEqual([{ base: 0, len: 0 }]);
    expect(parseAddresses('10.0.0.1, 192.168.0.0/16')).toEqual([
      { base: ip('10.0.0.1'), len: 32 },
      { base: ip('192.168.0.0'), len: 16 },
    ]);
    // Any anywhere in a list makes the list any (netsh accepts it only alone; HNS never mixes).
    expect(parseAddresses('10.0.0.1,Any')).toEqual([]);
  });

  it('splits a range into the fewest covering prefixes', () => {
    expect(parseAddresses('10.0.0.0-10.0.0.255')).toEqual([{ base: ip('10.0.0.0'), len: 24 }]);
    expect(parseAddresses('10.0.0.1-10.0.0.6')).toEqual([
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
        expect((p.base & prefixMask(p.len)) >>> 0).toBe(p.base);
        next = p.base + 2 ** (32 - p.len);
      }
      expect(next - 1, `range ${a}-${b}`).toBe(b);
      expect(ps.length).toBeLessThanOrEqual(62);
    }
  });

  it('refuses malformed addresses and unresolved keywords, naming the field', () => {
    expect(() => parseAddresses('10.0.0.256')).toThrow(AclSyntaxError);
    expect(() => parseAddresses('10.0.0.0/33')).toThrow(/prefix length or a netmask/);
    expect(() => parseAddresses('10.0.0.0/255.0.255.0')).toThrow(/not contiguous/);
    expect(() => parseAddresses('10.0.0.9-10.0.0.1')).toThrow(/ends before it starts/);
    expect(() => parseAddresses('LocalSubnet', 'remoteip')).toThrow(/remoteip=LocalSubnet: keyword "LocalSubnet" must be resolved/);
    try {
      parseAddresses('x.y', 'localip');
    } catch (e) {
      expect(e).toBeInstanceOf(AclSyntaxError);
      expect((e as AclSyntaxError).field).toBe('localip');
    }
  });
});

describe('ports', () => {
  it('reads the forms Windows writes', () => {
    expect(parsePorts('Any')).toEqual([]);
    expect(parsePorts('80')).toEqual([{ lo: 80, hi: 80 }]);
    expect(parsePorts('80-90')).toEqual([{ lo: 80, hi: 90 }]);
    expect(parsePorts('80, 443,8000-8080')).toEqual([
      { lo: 80, hi: 80 },
      { lo: 443, hi: 443 },
      { lo: 8000, hi: 8080 },
    ]);
    expect(parsePorts('localport=80')).toEqual([{ lo: 80, hi: 80 }]);
    expect(parsePorts('remoteport=1024-65535')).toEqual([{ lo: 1024, hi: 65535 }]);
    // HNS ACL policies carry 0 for "no port".
    expect(parsePorts('0')).toEqual([]);
    expect(parsePorts('0-0')).toEqual([]);
    expect(parsePorts('0-10')).toEqual([{ lo: 0, hi: 10 }]);
  });

  it('refuses what is not a port, and names the key given', () => {
    expect(() => parsePorts('65536')).toThrow(/beyond 65535/);
    expect(() => parsePorts('90-80')).toThrow(/ends before it starts/);
    expect(() => parsePorts('http')).toThrow(AclSyntaxError);
    expect(() => parsePorts('localport=8o')).toThrow(/^localport=localport=8o/);
  });
});

describe('protocols, actions, directions', () => {
  it('reads names, numbers, HNS 256 and lists', () => {
    expect(parseProtocol('TCP')).toBe(6);
    expect(parseProtocol('udp')).toBe(17);
    expect(parseProtocol('ICMPv4')).toBe(1);
    expect(parseProtocol('icmpv4:8,any')).toBe(1);
    expect(parseProtocol('Any')).toBe('any');
    expect(parseProtocol(256)).toBe('any');
    expect(parseProtocol('256')).toBe('any');
    expect(parseProtocol(47)).toBe(47);
    expect(parseProtocol('6,17')).toEqual([6, 17]);
    expect(parseProtocol('6,6')).toBe(6);
    expect(() => parseProtocol('sctp')).toThrow(AclSyntaxError);
    expect(() => parseProtocol(300)).toThrow(AclSyntaxError);
  });

  it('reads actions and directions in either spelling', () => {
    expect(parseAction('Allow')).toBe('allow');
    expect(parseAction('BLOCK')).toBe('block');
    expect(parseAction('deny')).toBe('block');
    expect(() => parseAction('bypass')).toThrow(AclSyntaxError);
    expect(parseDirection('In')).toBe('in');
    expect(parseDirection('Outbound')).toBe('out');
    expect(parseDirection('')).toBe('both');
    expect(() => parseDirection('sideways')).toThrow(AclSyntaxError);
  });
});

describe('whole rules', () => {
  it('builds a rule from an HNS ACL policy as Get-HnsEndpoint shows it', () => {
    // Action=Allow; Direction=In; Id=allow-host-to-endpoint; LocalPort=0; Priority=900; Protocol=256;
    // RemoteAddresses=10.156.233.218/32; RemotePort=0 (windows-facts §2.1).
    const r = parseAclRule({
      id: 'allow-host-to-endpoint', action: 'Allow', direction: 'In', protocol: 256, localAddresses: '',
      remoteAddresses: '10.156.233.218/32', localPorts: '0', remotePorts: '0', priority: 900,
    });
    expect(r).toEqual({
      id: 'allow-host-to-endpoint', priority: 900, direction: 'in', protocol: 'any', local: [],
      remote: [{ base: ip('10.156.233.218'), len: 32 }], localPorts: [], remotePorts: [], action: 'allow',
    });
  });

  it('refuses ports on a protocol that has none, and bad priorities', () => {
    expect(() => parseAclRule({ action: 'Allow', protocol: 'ICMPv4', localPorts: '80' })).toThrow(/only with protocol TCP or UDP/);
    expect(parseAclRule({ action: 'Allow', protocol: '1,6', localPorts: '80' }).protocol).toEqual([1, 6]);
    expect(() => parseAclRule({ action: 'Allow', priority: 70000 })).toThrow(AclSyntaxError);
    expect(() => parseAclRule({ action: 'Allow', priority: 'x' })).toThrow(AclSyntaxError);
  });

  it('parses a netsh advfirewall rule, quoted name and all', () => {
    const r = parseNetshRule('name="Open Port 80" dir=in action=allow protocol=TCP localport=80 remoteip=10.0.0.0/8 profile=any enable=yes');
    expect(r).toEqual({
      id: 'Open Port 80', priority: 0, direction: 'in', protocol: 6, local: [], remote: [{ base: ip('10.0.0.0'), len: 8 }],
      localPorts: [{ lo: 80, hi: 80 }], remotePorts: [], action: 'allow',
    });
    const out = parseNetshRule(['name=block-dns', 'dir=out', 'action=block', 'protocol=UDP', 'remoteport=53']);
    expect(out.direction).toBe('out');
    expect(out.action).toBe('block');
    expect(out.remotePorts).toEqual([{ lo: 53, hi: 53 }]);
  });

  it('refuses netsh rules without the required keys or with unknown ones', () => {
    expect(() => parseNetshRule('dir=in action=allow')).toThrow(/name=: parameter is required/);
    expect(() => parseNetshRule('name=x dir=in action=allow colour=red')).toThrow(/unknown parameter/);
    expect(() => parseNetshRule('name=x dir=both action=allow')).toThrow(/expected in or out/);
    expect(() => parseNetshRule('name=x dir=in action=bypass')).toThrow(/IPsec/);
    expect(() => parseNetshRule('name=x dir=in action=allow protocol=ICMPv4 localport=80')).toThrow(/TCP or UDP/);
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
