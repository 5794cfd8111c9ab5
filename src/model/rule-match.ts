/**
 * What a Windows Firewall rule or an HNS ACL policy matches, parsed once when the command runs: the
 * address, port and protocol text of netsh, New-NetFirewallRule and HNS becomes a typed RuleMatch
 * (IPv4 prefixes, port ranges, protocol numbers) that the model stores beside the text it shows.
 * The tables layer encodes RuleMatch as it is and never parses text.
 *
 * A value Windows refuses throws a RuleTextError naming the field and the problem; each command
 * turns it into its own tool's message. A value Windows accepts but the data plane cannot express
 * (IPv6 addresses, address and port keywords that need host context, ICMP type/code filters) is
 * refused too, with a message that says so: a rule the model keeps always reaches the data plane
 * with the meaning it has on Windows.
 */
import { maskOf, parseIp, type Prefix } from '../addr.js';
import type { PortRange, RuleMatch } from './types.js';

export const PROTO_ICMP = 1;
export const PROTO_IGMP = 2;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
/** HNS ACL policies write 256 for "any protocol". */
export const HNS_PROTOCOL_ANY = 256;

export type RuleTextProblem =
  /** Not an IPv4 address, subnet or range. */
  | 'address'
  /** A keyword Windows resolves from the host's configuration (LocalSubnet, DNS, DefaultGateway, ...). */
  | 'address-keyword'
  | 'ipv6'
  /** Not a port number 0..65535 or a range of them. */
  | 'port'
  /** A port keyword (RPC, RPC-EPMap, IPHTTPS, Teredo, PlayToDiscovery). */
  | 'port-keyword'
  | 'protocol'
  /** `icmpv4:type,code` with a type or code other than any. */
  | 'icmp-type'
  /** Ports given with a protocol other than TCP or UDP. */
  | 'ports-need-tcp-udp';

/** A rule field Windows (or the data plane) cannot take; `field` is named as the command spells it. */
export class RuleTextError extends Error {
  constructor(
    readonly problem: RuleTextProblem,
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field}=${value}: ${problem}`);
    this.name = 'RuleTextError';
  }
}

/** The rule's text fields as the model stores them (netsh and New-NetFirewallRule both). */
export interface RuleMatchText {
  protocol: string;
  localPorts: string;
  remotePorts: string;
  localAddresses: string;
  remoteAddresses: string;
}

/** Field names each command uses in its messages. */
export interface RuleFieldNames {
  protocol: string;
  localPorts: string;
  remotePorts: string;
  localAddresses: string;
  remoteAddresses: string;
}

export const NETSH_FIELDS: RuleFieldNames = {
  protocol: 'protocol', localPorts: 'localport', remotePorts: 'remoteport', localAddresses: 'localip', remoteAddresses: 'remoteip',
};

function isAny(s: string): boolean {
  const t = s.trim().toLowerCase();
  return t === '' || t === 'any' || t === '*';
}

/** Address keywords of netsh and New-NetFirewallRule, each optionally restricted with a 4 or 6 suffix. */
const ADDRESS_KEYWORDS = /^(localsubnet|dns|dhcp|wins|defaultgateway|internet|intranet|intranetremoteaccess|playtodevice|captiveportaladdresses)[46]?$/i;
const PORT_KEYWORDS = /^(rpc|rpc-epmap|rpcepmap|iphttps|iphttpsin|iphttpsout|teredo|playtodiscovery)$/i;

/** Splits an inclusive address range into the fewest covering prefixes. */
export function rangeToPrefixes(first: number, last: number): Prefix[] {
  const out: Prefix[] = [];
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

/** A comma list; `Any` anywhere (or an empty text) makes it any, []. */
function parseList<T>(text: string, item: (s: string) => T[]): T[] {
  if (isAny(text)) return [];
  const out: T[] = [];
  for (const raw of text.split(',')) {
    const s = raw.trim();
    if (isAny(s)) return [];
    out.push(...item(s));
  }
  return out;
}

/**
 * An address list: `Any` (or empty, or `*`), `10.0.0.5`, `10.0.0.0/24`, `10.0.0.0/255.255.255.0`,
 * `10.0.0.1-10.0.0.9`, comma-separated lists of those. Returns [] for any. Host bits of a subnet are
 * cleared (Windows stores the network).
 */
export function parseRuleAddresses(text: string, field = 'address'): Prefix[] {
  const bad = (problem: RuleTextProblem) => new RuleTextError(problem, field, text);
  return parseList(text, (item) => {
    if (item.includes(':')) throw bad('ipv6');
    if (ADDRESS_KEYWORDS.test(item)) throw bad('address-keyword');
    const dash = item.indexOf('-');
    if (dash >= 0) {
      const a = parseIp(item.slice(0, dash));
      const b = parseIp(item.slice(dash + 1));
      if (a === null || b === null || a > b) throw bad('address');
      return rangeToPrefixes(a, b);
    }
    const slash = item.indexOf('/');
    if (slash < 0) {
      const a = parseIp(item);
      if (a === null) throw bad('address');
      return [{ base: a, len: 32 }];
    }
    const a = parseIp(item.slice(0, slash));
    const m = item.slice(slash + 1).trim();
    if (a === null) throw bad('address');
    let len: number;
    if (/^\d{1,2}$/.test(m) && Number(m) <= 32) len = Number(m);
    else {
      const mask = parseIp(m);
      if (mask === null) throw bad('address');
      len = Math.clz32(~mask);
      if (maskOf(len) !== mask) throw bad('address');
    }
    return [{ base: (a & maskOf(len)) >>> 0, len }];
  });
}

/** A port list: `Any` (or empty), `80`, `80-90`, `80,443,8000-8080`. Returns [] for any. */
export function parseRulePorts(text: string, field = 'port'): PortRange[] {
  return parseList(text, (item) => {
    if (PORT_KEYWORDS.test(item)) throw new RuleTextError('port-keyword', field, text);
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
    if (!m) throw new RuleTextError('port', field, text);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi > 65535 || lo > hi) throw new RuleTextError('port', field, text);
    return [{ lo, hi }];
  });
}

/**
 * A protocol as netsh and New-NetFirewallRule take it: `Any`, `TCP`, `UDP`, `ICMPv4` (netsh also
 * `icmpv4:any,any`), or a number 0..255. Returns the protocol numbers, [] for any. `ICMPv6` is
 * refused as IPv6; a type/code filter other than any as 'icmp-type'.
 */
export function parseRuleProtocol(text: string, field = 'protocol'): number[] {
  const t = text.trim().toLowerCase();
  if (t === 'any' || t === '') return [];
  if (t === 'tcp') return [PROTO_TCP];
  if (t === 'udp') return [PROTO_UDP];
  const icmp = /^icmpv4(?::(.*))?$/.exec(t);
  if (icmp) {
    if (icmp[1] !== undefined && !/^\s*any\s*,\s*any\s*$/.test(icmp[1])) throw new RuleTextError('icmp-type', field, text);
    return [PROTO_ICMP];
  }
  if (/^icmpv6(:.*)?$/.test(t)) throw new RuleTextError('ipv6', field, text);
  if (/^\d{1,3}$/.test(t) && Number(t) <= 255) return [Number(t)];
  throw new RuleTextError('protocol', field, text);
}

/**
 * Classifier entries the data plane holds per rule set and direction (the tables layer's limit,
 * src/table-images/acl-classifier.ts; defined here so the model can refuse a rule that would not fit).
 */
export const ACL_MAX_ENTRIES = 1 << 20;

/** Classifier entries a rule expands to: the cross product of its lists (an empty list is one, any). */
export function ruleMatchEntries(m: RuleMatch): number {
  return [m.local, m.remote, m.protocols, m.localPorts, m.remotePorts].reduce((n, list) => n * Math.max(1, list.length), 1);
}

/** Whether ports may be given with these protocols: only TCP or UDP carry them. */
function portsAllowed(protocols: readonly number[]): boolean {
  return protocols.length > 0 && protocols.every((p) => p === PROTO_TCP || p === PROTO_UDP);
}

/**
 * The typed match of a firewall rule's text fields. `portsGiven` says which port fields the command
 * named at all: Windows refuses a port field, even `any`, unless the protocol is TCP or UDP.
 */
export function firewallRuleMatch(
  t: RuleMatchText, names: RuleFieldNames, portsGiven: { local: boolean; remote: boolean },
): RuleMatch {
  const protocols = parseRuleProtocol(t.protocol, names.protocol);
  if ((portsGiven.local || portsGiven.remote) && !portsAllowed(protocols)) {
    const field = portsGiven.local ? names.localPorts : names.remotePorts;
    throw new RuleTextError('ports-need-tcp-udp', field, portsGiven.local ? t.localPorts : t.remotePorts);
  }
  return {
    protocols,
    local: parseRuleAddresses(t.localAddresses, names.localAddresses),
    remote: parseRuleAddresses(t.remoteAddresses, names.remoteAddresses),
    localPorts: parseRulePorts(t.localPorts, names.localPorts),
    remotePorts: parseRulePorts(t.remotePorts, names.remotePorts),
  };
}

/**
 * The message for a value Windows accepts but Packet Path's data plane cannot express, or undefined
 * when the problem is one Windows itself reports (the command then uses its own text).
 */
export function unsupportedRuleText(e: RuleTextError): string | undefined {
  switch (e.problem) {
    case 'ipv6':
      return `${e.field}=${e.value}: Packet Path simulates IPv4 only; this rule would match IPv6 traffic.`;
    case 'address-keyword':
      return `${e.field}=${e.value}: Packet Path does not resolve address keywords (LocalSubnet, DNS, DHCP, WINS, DefaultGateway, ...) in firewall rules; give IPv4 addresses, subnets or ranges.`;
    case 'port-keyword':
      return `${e.field}=${e.value}: Packet Path does not simulate port keywords (RPC, RPC-EPMap, IPHTTPS, Teredo, PlayToDiscovery); give port numbers or ranges.`;
    case 'icmp-type':
      return `${e.field}=${e.value}: Packet Path matches ICMPv4 rules on the protocol only; give icmpv4 without a type and code.`;
    default:
      return undefined;
  }
}

/** An HNS ACL policy's fields as HNS writes them: `Protocols` a number (256 = any), '' = any. */
export interface HnsAclText {
  protocol: number;
  localAddresses: string;
  remoteAddresses: string;
  localPorts: string;
  remotePorts: string;
}

/**
 * The match of an HNS ACL policy. HNS writes port 0 for "no port given"; ports need protocol TCP
 * or UDP as in the firewall.
 */
export function hnsAclMatch(t: HnsAclText): RuleMatch {
  const p = t.protocol;
  if (!Number.isInteger(p) || p < 0 || p > HNS_PROTOCOL_ANY) throw new RuleTextError('protocol', 'Protocols', String(p));
  const protocols = p === HNS_PROTOCOL_ANY ? [] : [p];
  const ports = (text: string, field: string) => (text.trim() === '0' ? [] : parseRulePorts(text, field));
  const localPorts = ports(t.localPorts, 'LocalPorts');
  const remotePorts = ports(t.remotePorts, 'RemotePorts');
  if ((localPorts.length || remotePorts.length) && !portsAllowed(protocols)) {
    throw new RuleTextError('ports-need-tcp-udp', localPorts.length ? 'LocalPorts' : 'RemotePorts', localPorts.length ? t.localPorts : t.remotePorts);
  }
  return {
    protocols,
    local: parseRuleAddresses(t.localAddresses, 'LocalAddresses'),
    remote: parseRuleAddresses(t.remoteAddresses, 'RemoteAddresses'),
    localPorts,
    remotePorts,
  };
}
