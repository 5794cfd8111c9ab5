/**
 * Every rule the model accepts reaches the data plane (issue 8, item 5). Generated netsh and
 * New-NetFirewallRule commands, valid and malformed, run through the real script parser and model;
 * for each rule the model kept, the tables layer converts it without throwing (firewallRuleSet), the
 * rule set validates and compiles for the classifier. HNS ACL policies likewise.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firewallRuleSet, validateRuleSet, vfpRuleSet } from '../../src/table-images/acl-rules.js';
import { compileAcl, expandEntries } from '../../src/table-images/acl-classifier.js';
import { hnsAclMatch, ruleMatchEntries, RuleTextError } from '../../src/model/rule-match.js';
import type { AclPolicy, FirewallRule } from '../../src/model/types.js';
import { run } from './model-helpers.js';

/** Mostly `good`, sometimes `bad`: enough accepted rules to test conversion, enough refused to test the edge. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });

const octet = mostly(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 256, max: 260 }));
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const addressItem = mostly(
  fc.oneof(
    ipv4,
    fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`),
    fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${[24, 16, 8, 0].map((s) => ((0xffffffff << (32 - l)) >>> s) & 255).join('.')}`),
    fc.tuple(ipv4, ipv4).map(([a, b]) => `${a}-${b}`),
    fc.constantFrom('any', 'Any'),
  ),
  fc.constantFrom('LocalSubnet', 'DefaultGateway4', '::1', 'fe80::1/64', '10.0.0', 'x', '10.0.0.0/33', '10.0.0.0/255.0.255.0'),
);
const addresses = fc.array(addressItem, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const port = mostly(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 65536, max: 70000 }));
const portItem = mostly(
  fc.oneof(port.map(String), fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`), fc.constantFrom('any', '0')),
  fc.oneof(fc.tuple(port, port).map(([a, b]) => `${a}-${b}`), fc.constantFrom('RPC', 'Teredo', 'http', '80-')),
);
const ports = fc.array(portItem, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const protocol = mostly(
  fc.oneof(
    { arbitrary: fc.constantFrom('TCP', 'udp', '6', '17'), weight: 4 },
    { arbitrary: fc.constantFrom('ICMPv4', 'icmpv4:any,any', 'any'), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 1 },
  ),
  fc.oneof(fc.constantFrom('icmpv4:8,any', 'icmp', 'icmpv6', 'TCPs', 'igmp'), fc.integer({ min: 256, max: 300 }).map(String)),
);

/** One optional `key=value` word of a netsh rule, or an empty string. */
const opt = (key: string, value: fc.Arbitrary<string>) => fc.option(value.map((v) => `${key}=${v}`), { nil: '' });

const netshRule = fc
  .tuple(
    mostly(fc.constantFrom('in', 'out'), fc.constant('sideways')),
    mostly(fc.constantFrom('allow', 'block'), fc.constantFrom('bypass', 'deny')),
    opt('protocol', protocol),
    opt('localport', ports),
    opt('remoteport', ports),
    opt('localip', addresses),
    opt('remoteip', addresses),
    opt('enable', mostly(fc.constantFrom('yes', 'no'), fc.constant('maybe'))),
  )
  .map(([dir, action, ...rest]) => `netsh advfirewall firewall add rule name=r dir=${dir} action=${action} ${rest.filter((w) => w).join(' ')}`.trim());

const psOpt = (name: string, value: fc.Arbitrary<string>) => fc.option(value.map((v) => `-${name} ${v}`), { nil: '' });
const psRule = fc
  .tuple(
    fc.constantFrom('Inbound', 'Outbound'),
    fc.constantFrom('Allow', 'Block'),
    psOpt('Protocol', protocol),
    psOpt('LocalPort', ports),
    psOpt('RemotePort', ports),
    psOpt('LocalAddress', addresses),
    psOpt('RemoteAddress', addresses),
  )
  .map(([dir, action, ...rest]) => `New-NetFirewallRule -DisplayName r -Direction ${dir} -Action ${action} ${rest.filter((w) => w).join(' ')}`.trim());

function checkAccepted(command: string): boolean {
  const r = run(command);
  if (!r.last.ok) return false;
  const rules = r.world.hosts[0]!.firewall.filter((x) => x.origin === 'user');
  expect(rules).toHaveLength(1);
  const { set } = firewallRuleSet(rules, 'allow');
  expect(() => validateRuleSet(set)).not.toThrow();
  expect(() => compileAcl(set, { verdictCache: 0 })).not.toThrow();
  // The model's count of classifier entries (its capacity check) is the classifier's.
  expect(expandEntries(set, rules[0]!.direction === 'Out').length).toBe(rules[0]!.enabled ? ruleMatchEntries(rules[0]!.match) : 0);
  return true;
}

describe('every rule the model accepts converts for the data plane', () => {
  for (const [command, rules] of [['netsh advfirewall firewall add rule', netshRule], ['New-NetFirewallRule', psRule]] as const) {
    it(command, () => {
      let accepted = 0;
      fc.assert(fc.property(rules, (cmd) => {
        if (checkAccepted(cmd)) accepted++;
      }), { numRuns: 400, seed: 8 });
      // The generator reaches both sides: a run where the model refused everything would prove nothing.
      expect(accepted).toBeGreaterThan(20);
    });
  }

  it('HNS ACL policies', () => {
    const hnsPort = fc.oneof(fc.constant(''), ports);
    const hnsAddresses = fc.oneof(fc.constant(''), addresses);
    let accepted = 0;
    fc.assert(fc.property(
      fc.record({
        protocol: fc.integer({ min: 0, max: 300 }), localAddresses: hnsAddresses, remoteAddresses: hnsAddresses,
        localPorts: hnsPort, remotePorts: hnsPort, priority: fc.integer({ min: 0, max: 65535 }),
      }),
      (f) => {
        let match;
        try {
          match = hnsAclMatch(f);
        } catch (e) {
          expect(e).toBeInstanceOf(RuleTextError);
          return;
        }
        accepted++;
        const policy: AclPolicy = { ...f, id: 'p', action: 'Block', direction: 'In', ruleType: 'Switch', match, line: 1 };
        const { set } = vfpRuleSet([policy]);
        expect(() => compileAcl(set, { verdictCache: 0 })).not.toThrow();
      },
    ), { numRuns: 400, seed: 8 });
    expect(accepted).toBeGreaterThan(20);
  });
});
