/**
 * Windows Firewall as the model keeps it: the profile's defaults (computed, never stored),
 * rules from published ports, `netsh advfirewall firewall add|delete rule` and
 * `New-NetFirewallRule`, on the host (default compartment) and inside each container.
 */
import type { ToolCommand } from '../script/ast.js';
import { fail } from './errors.js';
import { osProfile } from './os.js';
import type { FirewallRule, Host } from './types.js';

/** The defaults of a profile, host and container alike (windows-facts §2.3). */
export function defaultFirewallRules(host: Host): FirewallRule[] {
  const base = { localPorts: 'Any', remotePorts: 'Any', localAddresses: 'Any', remoteAddresses: 'Any', enabled: true, profile: 'Any', origin: 'default' as const, line: 0 };
  const out: FirewallRule[] = [{ ...base, name: 'Default outbound: allow all', direction: 'Out', action: 'Allow', protocol: 'Any' }];
  if (osProfile(host.os).inboundDefault === 'deny-all') {
    out.push({ ...base, name: 'Default inbound: block all', direction: 'In', action: 'Block', protocol: 'Any' });
  } else {
    for (const p of ['TCP', 'UDP', 'ICMPv4', 'IGMP'])
      out.push({ ...base, name: `Default inbound: allow ${p}`, direction: 'In', action: 'Allow', protocol: p });
    out.push({ ...base, name: 'Default inbound: block other protocols', direction: 'In', action: 'Block', protocol: 'Any' });
  }
  return out;
}

function normProtocol(v: string): string {
  const u = v.toUpperCase();
  if (u === 'ANY') return 'Any';
  if (u === 'TCP' || u === '6') return 'TCP';
  if (u === 'UDP' || u === '17') return 'UDP';
  if (u === 'ICMPV4' || u === 'ICMP' || u === '1') return 'ICMPv4';
  if (u === 'IGMP' || u === '2') return 'IGMP';
  if (/^\d+$/.test(u)) return u;
  return fail(`The parameter is incorrect.\n\nprotocol=${v} is not a valid protocol.`);
}

/**
 * `netsh advfirewall firewall add rule name=X dir=in|out action=allow|block [protocol=] [localport=]
 * [remoteport=] [localip=] [remoteip=] [enable=yes|no]` and `delete rule name=X [...]`.
 * Returns the text netsh prints.
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
  for (const req of ['name', 'dir', 'action']) if (!kv[req]) fail(`\nA specified value is not valid.\n\nUsage: add rule name=<string>\n      dir=in|out\n      action=allow|block|bypass`);
  const dir = kv.dir!.toLowerCase();
  const action = kv.action!.toLowerCase();
  if (dir !== 'in' && dir !== 'out') fail("\nA specified value is not valid.\n\n'dir' must be 'in' or 'out'.");
  if (action !== 'allow' && action !== 'block') fail("\nA specified value is not valid.\n\n'action' must be 'allow', 'block' or 'bypass'.");
  const protocol = normProtocol(kv.protocol ?? 'any');
  if ((kv.localport || kv.remoteport) && protocol !== 'TCP' && protocol !== 'UDP')
    fail('\nA specified port value is not valid.\n\nPorts can only be specified when protocol=TCP or UDP.');
  const rule: FirewallRule = {
    name: kv.name!,
    direction: dir === 'in' ? 'In' : 'Out',
    action: action === 'allow' ? 'Allow' : 'Block',
    protocol,
    localPorts: kv.localport ?? 'Any',
    remotePorts: kv.remoteport ?? 'Any',
    localAddresses: kv.localip ?? 'Any',
    remoteAddresses: kv.remoteip ?? 'Any',
    enabled: (kv.enable ?? 'yes').toLowerCase() !== 'no',
    profile: kv.profile ?? 'Any',
    origin: 'user',
    line: cmd.line,
  };
  return { output: 'Ok.\n', rules: [...rules, rule] };
}

/** `New-NetFirewallRule -DisplayName X -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80`. */
export function newNetFirewallRule(
  rules: FirewallRule[], params: Record<string, string>, line: number,
): { rule: FirewallRule; rules: FirewallRule[] } {
  const name = params.displayname ?? params.name;
  if (!name) fail("New-NetFirewallRule : Cannot validate argument on parameter 'DisplayName'. The argument is null or empty.");
  const dirv = (params.direction ?? 'Inbound').toLowerCase();
  if (dirv !== 'inbound' && dirv !== 'outbound')
    fail(`New-NetFirewallRule : Cannot process argument transformation on parameter 'Direction'. Cannot convert value "${params.direction}" to type "Direction".`);
  const actv = (params.action ?? 'Allow').toLowerCase();
  if (actv !== 'allow' && actv !== 'block')
    fail(`New-NetFirewallRule : Cannot process argument transformation on parameter 'Action'. Cannot convert value "${params.action}" to type "Action".`);
  const protocol = normProtocol(params.protocol ?? 'Any');
  if ((params.localport || params.remoteport) && protocol !== 'TCP' && protocol !== 'UDP')
    fail('New-NetFirewallRule : The port is only valid when the protocol is TCP or UDP.');
  const rule: FirewallRule = {
    name,
    direction: dirv === 'inbound' ? 'In' : 'Out',
    action: actv === 'allow' ? 'Allow' : 'Block',
    protocol,
    localPorts: params.localport ?? 'Any',
    remotePorts: params.remoteport ?? 'Any',
    localAddresses: params.localaddress ?? 'Any',
    remoteAddresses: params.remoteaddress ?? 'Any',
    enabled: (params.enabled ?? 'True').toLowerCase() !== 'false',
    profile: params.profile ?? 'Any',
    origin: 'user',
    line,
  };
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
    line,
  };
}
