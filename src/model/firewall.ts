/**
 * Windows Firewall as the model keeps it: the profile's defaults (computed, never stored),
 * rules from published ports, `netsh advfirewall firewall add|delete|show rule` and
 * `New-NetFirewallRule`, on the host (default compartment) and inside each container.
 *
 * A rule is parsed once, here, when its command runs: the text each tool shows stays as typed, and
 * the typed match (src/model/rule-match.ts) is what the data plane enforces. A value Windows refuses
 * fails the command with the tool's own message; a value the data plane cannot express fails it
 * with a message that says so. Every stored rule therefore reaches the data plane as it is.
 */
import type { ToolCommand } from '../script/ast.js';
import { fail } from './errors.js';
import { osProfile } from './os.js';
import {
  ACL_MAX_ENTRIES, NETSH_FIELDS, PROTO_ICMP, PROTO_IGMP, PROTO_TCP, PROTO_UDP, RuleTextError, firewallRuleMatch, ruleMatchEntries, unsupportedRuleText,
  type RuleFieldNames, type RuleMatchText,
} from './rule-match.js';
import type { FirewallRule, Host, RuleMatch } from './types.js';

/** The match of a rule with one protocol and no other condition. */
function protocolMatch(protocols: number[]): RuleMatch {
  return { protocols, local: [], remote: [], localPorts: [], remotePorts: [] };
}

const PROTOCOL_NUMBERS: Record<string, number[]> = { Any: [], TCP: [PROTO_TCP], UDP: [PROTO_UDP], ICMPv4: [PROTO_ICMP], IGMP: [PROTO_IGMP] };

/** The defaults of a profile, host and container alike (windows-facts §2.3). */
export function defaultFirewallRules(host: Host): FirewallRule[] {
  const base = { localPorts: 'Any', remotePorts: 'Any', localAddresses: 'Any', remoteAddresses: 'Any', enabled: true, profile: 'Any', origin: 'default' as const, line: 0 };
  const rule = (name: string, direction: 'In' | 'Out', action: 'Allow' | 'Block', protocol: string): FirewallRule =>
    ({ ...base, name, direction, action, protocol, match: protocolMatch(PROTOCOL_NUMBERS[protocol]!) });
  const out: FirewallRule[] = [rule('Default outbound: allow all', 'Out', 'Allow', 'Any')];
  if (osProfile(host.os).inboundDefault === 'deny-all') {
    out.push(rule('Default inbound: block all', 'In', 'Block', 'Any'));
  } else {
    for (const p of ['TCP', 'UDP', 'ICMPv4', 'IGMP']) out.push(rule(`Default inbound: allow ${p}`, 'In', 'Allow', p));
    out.push(rule('Default inbound: block other protocols', 'In', 'Block', 'Any'));
  }
  return out;
}

/** The protocol as netsh and Get-NetFirewallRule show it. */
function protocolText(protocols: readonly number[]): string {
  if (protocols.length === 0) return 'Any';
  const p = protocols[0]!;
  return p === PROTO_TCP ? 'TCP' : p === PROTO_UDP ? 'UDP' : p === PROTO_ICMP ? 'ICMPv4' : p === PROTO_IGMP ? 'IGMP' : String(p);
}

/**
 * Parses a rule's match from the command's values (keyed by the lowercased field names); a
 * RuleTextError becomes the command's failure: the Packet Path message for what the data plane
 * cannot express, else the tool's own message for the problem. Absent fields are `Any`.
 */
function parseMatch(
  values: Record<string, string | undefined>, names: RuleFieldNames, toolMessage: (e: RuleTextError) => string, prefix = '',
): { text: RuleMatchText; match: RuleMatch } {
  const get = (field: keyof RuleFieldNames) => values[names[field].toLowerCase()];
  const text: RuleMatchText = {
    protocol: get('protocol') ?? 'Any',
    localPorts: get('localPorts') ?? 'Any',
    remotePorts: get('remotePorts') ?? 'Any',
    localAddresses: get('localAddresses') ?? 'Any',
    remoteAddresses: get('remoteAddresses') ?? 'Any',
  };
  try {
    return { text, match: firewallRuleMatch(text, names, { local: get('localPorts') !== undefined, remote: get('remotePorts') !== undefined }) };
  } catch (e) {
    if (!(e instanceof RuleTextError)) throw e;
    const unsupported = unsupportedRuleText(e);
    return fail(unsupported === undefined ? toolMessage(e) : prefix + unsupported);
  }
}

/**
 * Refuses a rule whose lists would overflow the compartment's classifier (per direction): Windows
 * takes it, the data plane could not load it.
 */
function checkClassifierRoom(rules: readonly FirewallRule[], rule: FirewallRule, prefix = ''): void {
  if (!rule.enabled) return;
  const inUse = rules.filter((r) => r.enabled && r.direction === rule.direction).reduce((n, r) => n + ruleMatchEntries(r.match), 0);
  const needed = ruleMatchEntries(rule.match);
  if (inUse + needed > ACL_MAX_ENTRIES) {
    fail(`${prefix}Packet Path's ACL classifier holds ${ACL_MAX_ENTRIES} entries per compartment and direction; this rule's lists (addresses × protocols × ports) expand to ${needed} and ${inUse} are in use.`);
  }
}

/** A rule a user added: the text as typed (the protocol as Windows shows it) and its match. */
function userRule(
  head: Pick<FirewallRule, 'name' | 'direction' | 'action' | 'enabled' | 'profile' | 'line'>, parsed: { text: RuleMatchText; match: RuleMatch },
): FirewallRule {
  return { ...head, ...parsed.text, protocol: protocolText(parsed.match.protocols), origin: 'user', match: parsed.match };
}

// ---- netsh advfirewall firewall ----------------------------------------------------------------

/** The head of netsh's usage text for `add rule`, printed after each of its errors. */
const NETSH_ADD_USAGE = 'Usage: add rule name=<string>\n      dir=in|out\n      action=allow|block|bypass';

type NetshRefused = 'value' | 'port value' | 'protocol value' | 'IP address or address keyword';

/** netsh's answer to a value it refuses: `A specified <what> is not valid.` and the usage. */
function netshNotValidText(what: NetshRefused): string {
  return `\nA specified ${what} is not valid.\n\n${NETSH_ADD_USAGE}`;
}

function netshNotValid(what: NetshRefused): never {
  return fail(netshNotValidText(what));
}

function netshRuleTextMessage(e: RuleTextError): string {
  return netshNotValidText(e.problem === 'protocol' ? 'protocol value' : e.problem === 'address' ? 'IP address or address keyword' : 'port value');
}

/** The keys of `add rule` (netsh advfirewall firewall add rule help). */
const NETSH_ADD_KEYS = new Set([
  'name', 'dir', 'action', 'program', 'service', 'description', 'enable', 'profile', 'localip', 'remoteip', 'localport',
  'remoteport', 'protocol', 'interfacetype', 'rmtcomputergrp', 'rmtusrgrp', 'rmtmachgrp', 'edge', 'security',
]);

/**
 * Refuses the conditions Windows accepts but the data plane cannot express: a rule that applies to
 * one program, service, interface type or IPsec-authenticated peer would otherwise match all traffic.
 */
function netshScopeSupported(kv: Record<string, string>): void {
  if (kv.program !== undefined) fail(`program=${kv.program}: Packet Path does not simulate per-program firewall rules; the rule would apply to every program's traffic.`);
  if (kv.service !== undefined && kv.service.toLowerCase() !== 'any') fail(`service=${kv.service}: Packet Path does not simulate per-service firewall rules; the rule would apply to every service's traffic.`);
  const itype = (kv.interfacetype ?? 'any').toLowerCase();
  if (itype === 'wireless' || itype === 'ras') fail(`interfacetype=${kv.interfacetype}: Packet Path simulates LAN interfaces only; the rule would match no simulated traffic.`);
  if (itype !== 'any' && itype !== 'lan') netshNotValid('value');
  const security = (kv.security ?? 'notrequired').toLowerCase();
  if (!/^(notrequired|authenticate|authenc|authdynenc|authnoencap)$/.test(security)) netshNotValid('value');
  const ipsecKey = ['rmtcomputergrp', 'rmtusrgrp', 'rmtmachgrp'].find((k) => kv[k] !== undefined);
  if (security !== 'notrequired' || ipsecKey)
    fail(`${ipsecKey ?? 'security'}=${kv[ipsecKey ?? 'security']}: Packet Path does not simulate IPsec-authenticated firewall rules.`);
}

/** `add rule name=X dir=in|out action=allow|block [protocol=] [localport=] [remoteport=] [localip=] [remoteip=] [enable=] [profile=] ...`. */
function netshAddRule(kv: Record<string, string>, line: number): FirewallRule {
  for (const k of Object.keys(kv)) if (!NETSH_ADD_KEYS.has(k)) netshNotValid('value');
  if (!kv.name || !kv.dir || !kv.action) netshNotValid('value');
  const dir = kv.dir.toLowerCase();
  const action = kv.action.toLowerCase();
  if (dir !== 'in' && dir !== 'out') netshNotValid('value');
  if (action === 'bypass') fail(`action=${kv.action}: Packet Path does not simulate bypass rules (they need IPsec authentication).`);
  if (action !== 'allow' && action !== 'block') netshNotValid('value');
  const enable = (kv.enable ?? 'yes').toLowerCase();
  if (enable !== 'yes' && enable !== 'no') netshNotValid('value');
  if (kv.profile !== undefined && !kv.profile.split(',').every((p) => /^(public|private|domain|any)$/i.test(p.trim()))) netshNotValid('value');
  if (kv.edge !== undefined && !/^(yes|deferapp|deferuser|no)$/i.test(kv.edge)) netshNotValid('value');
  netshScopeSupported(kv);
  const parsed = parseMatch(kv, NETSH_FIELDS, netshRuleTextMessage);
  return userRule({
    name: kv.name, direction: dir === 'in' ? 'In' : 'Out', action: action === 'allow' ? 'Allow' : 'Block',
    enabled: enable === 'yes', profile: kv.profile ?? 'Any', line,
  }, parsed);
}

/**
 * `netsh advfirewall firewall add|delete|show rule ...`: the one netsh parser. Returns the text netsh
 * prints and the compartment's rules after the command.
 */
export function netshFirewall(rules: FirewallRule[], cmd: ToolCommand): { output: string; rules: FirewallRule[] } {
  const ws = cmd.words.map((w) => w.value);
  const lower = ws.map((w) => w.toLowerCase());
  if (lower[0] !== 'advfirewall' || lower[1] !== 'firewall' || (lower[2] !== 'add' && lower[2] !== 'delete' && lower[2] !== 'show') || lower[3] !== 'rule')
    fail(`The following command was not found: ${ws.join(' ')}.`);
  const kv: Record<string, string> = {};
  for (const w of ws.slice(4)) {
    const i = w.indexOf('=');
    if (i < 0) fail(`The following command was not found: ${ws.join(' ')}.`);
    kv[w.slice(0, i).toLowerCase()] = w.slice(i + 1).replace(/^"|"$/g, '');
  }
  if (lower[2] === 'show') {
    const match = rules.filter((r) => kv.name === undefined || kv.name.toLowerCase() === 'all' || r.name === kv.name);
    if (!match.length) fail('No rules match the specified criteria.');
    const out: string[] = [''];
    for (const r of match) {
      out.push(`Rule Name:                            ${r.name}`, '----------------------------------------------------------------------',
        `Enabled:                              ${r.enabled ? 'Yes' : 'No'}`, `Direction:                            ${r.direction}`,
        `Profiles:                             Domain,Private,Public`, `Grouping:                             `,
        `LocalIP:                              ${r.localAddresses}`, `RemoteIP:                             ${r.remoteAddresses}`,
        `Protocol:                             ${r.protocol}`, `LocalPort:                            ${r.localPorts}`,
        `RemotePort:                           ${r.remotePorts}`, `Edge traversal:                       No`,
        `Action:                               ${r.action}`, '');
    }
    out.push('Ok.', '');
    return { output: out.join('\n'), rules };
  }
  if (lower[2] === 'delete') {
    if (!kv.name) fail('The parameter is incorrect.');
    const keep = rules.filter((r) => !(r.name === kv.name && r.origin === 'user' && (!kv.dir || r.direction.toLowerCase() === kv.dir.toLowerCase())));
    const n = rules.length - keep.length;
    if (n === 0) fail('\nNo rules match the specified criteria.\n');
    return { output: `\nDeleted ${n} rule(s).\nOk.\n`, rules: keep };
  }
  const rule = netshAddRule(kv, cmd.line);
  checkClassifierRoom(rules, rule);
  return { output: 'Ok.\n', rules: [...rules, rule] };
}

// ---- New-NetFirewallRule -----------------------------------------------------------------------

const PS_FIELDS: RuleFieldNames = {
  protocol: 'Protocol', localPorts: 'LocalPort', remotePorts: 'RemotePort', localAddresses: 'LocalAddress', remoteAddresses: 'RemoteAddress',
};

/** The CIM provider's messages for values it refuses (HRESULT 0x80070057). */
function psRuleTextMessage(e: RuleTextError): string {
  switch (e.problem) {
    case 'address':
      return 'New-NetFirewallRule : The address is invalid.  Addresses may be specified as IP addresses, ranges, or subnets.  Also, the following address keywords are allowed in certain places: LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, Intranet, IntranetRemoteAccess, PlayToDevice.  Keywords can be restricted to IPv4 or IPv6 by appending a 4 or 6.';
    case 'ports-need-tcp-udp':
      return 'New-NetFirewallRule : The port is only valid when the protocol is TCP or UDP.';
    case 'port':
      // A word that is not a number is taken for a port keyword.
      return /^[\d\s,-]*$/.test(e.value) ? 'New-NetFirewallRule : The parameter is incorrect.' : 'New-NetFirewallRule : One of the port keywords is invalid.';
    default:
      return 'New-NetFirewallRule : The parameter is incorrect.';
  }
}

/**
 * PowerShell's binding error for a NetSecurity enumeration parameter. The script parser reports it
 * first, with the same text; this covers commands built without it (the library API).
 */
function psEnumError(param: string, value: string, names: string[]): never {
  return fail(`New-NetFirewallRule : Cannot bind parameter '${param}'. Cannot convert value "${value}" to type "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.${param}". Error: "Unable to match the identifier name ${value} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${names.join(', ')}"`);
}

/** `New-NetFirewallRule -DisplayName X -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80`. */
export function newNetFirewallRule(
  rules: FirewallRule[], params: Record<string, string>, line: number,
): { rule: FirewallRule; rules: FirewallRule[] } {
  const name = params.displayname ?? params.name;
  if (!name) fail("New-NetFirewallRule : Cannot validate argument on parameter 'DisplayName'. The argument is null or empty.");
  const dirv = (params.direction ?? 'Inbound').toLowerCase();
  if (dirv !== 'inbound' && dirv !== 'outbound') psEnumError('Direction', params.direction!, ['Inbound', 'Outbound']);
  const actv = (params.action ?? 'Allow').toLowerCase();
  if (actv === 'notconfigured') fail('New-NetFirewallRule : Packet Path does not simulate rules whose Action is NotConfigured (they take their action from Group Policy).');
  if (actv !== 'allow' && actv !== 'block') psEnumError('Action', params.action!, ['NotConfigured', 'Allow', 'Block']);
  if (params.program !== undefined) fail(`New-NetFirewallRule : -Program ${params.program}: Packet Path does not simulate per-program firewall rules; the rule would apply to every program's traffic.`);
  const rule = userRule({
    name, direction: dirv === 'inbound' ? 'In' : 'Out', action: actv === 'allow' ? 'Allow' : 'Block',
    enabled: (params.enabled ?? 'True').toLowerCase() !== 'false', profile: params.profile ?? 'Any', line,
  }, parseMatch(params, PS_FIELDS, psRuleTextMessage, 'New-NetFirewallRule : '));
  checkClassifierRoom(rules, rule, 'New-NetFirewallRule : ');
  return { rule, rules: [...rules, rule] };
}

/** The rule HNS adds for a published port of a nat network (architecture.md: "with the corresponding Windows Firewall ALLOW rules"). */
export function publishRule(protocol: 'tcp' | 'udp', port: number, container: string, line: number): FirewallRule {
  return {
    name: `Docker published port ${protocol.toUpperCase()} ${port} (${container})`,
    direction: 'In',
    action: 'Allow',
    protocol: protocol.toUpperCase(),
    localPorts: String(port),
    remotePorts: 'Any',
    localAddresses: 'Any',
    remoteAddresses: 'Any',
    enabled: true,
    profile: 'Any',
    origin: 'publish',
    match: { ...protocolMatch([protocol === 'tcp' ? PROTO_TCP : PROTO_UDP]), localPorts: [{ lo: port, hi: port }] },
    line,
  };
}
