import { describe, expect, it } from 'vitest';
import { aclPolicies, endpoints, firewallRules, resolveName } from '../../src/model/index.js';
import { runScript } from '../../src/index.js';
import { newNetFirewallRule } from '../../src/model/firewall.js';
import { run, runOk } from './model-helpers.js';

describe('Windows Firewall model', () => {
  it('defaults per profile: ws2016/1703 block all inbound; from 1709 allow TCP/UDP/ICMP/IGMP and block the rest', () => {
    const inbound = (os: string) => firewallRules(runOk(`host h --os ${os}\ndocker ps`).world, 'h').host.filter((r) => r.direction === 'In').map((r) => `${r.action} ${r.protocol}`);
    expect(inbound('ws2016')).toEqual(['Block Any']);
    expect(inbound('win10-1703')).toEqual(['Block Any']);
    for (const os of ['ws1709', 'ws2019', 'ws2022']) expect(inbound(os)).toEqual(['Allow TCP', 'Allow UDP', 'Allow ICMPv4', 'Allow IGMP', 'Block Any']);
    expect(firewallRules(runOk('docker ps').world, 'host1').host.filter((r) => r.direction === 'Out').map((r) => r.action)).toEqual(['Allow']);
  });

  it('netsh advfirewall inside a container adds a rule to that compartment, with its script line; delete removes it', () => {
    const r = runOk('docker run -d --name web img\ndocker run -d --name other img\ndocker exec web netsh advfirewall firewall add rule name="block80" dir=in action=block protocol=TCP localport=80');
    expect(r.last.output).toBe('Ok.\n');
    const fw = firewallRules(r.world, 'host1');
    const web = fw.compartments.find((c) => c.container === 'web')!;
    expect(web.rules.filter((x) => x.origin === 'user')).toMatchObject([{ name: 'block80', direction: 'In', action: 'Block', protocol: 'TCP', localPorts: '80', line: 3 }]);
    expect(fw.compartments.find((c) => c.container === 'other')!.rules.some((x) => x.origin === 'user')).toBe(false);
    expect(fw.host.some((x) => x.origin === 'user')).toBe(false);
    const del = run('docker exec web netsh advfirewall firewall delete rule name=block80', { world: r.world });
    expect(del.last.output).toBe('\nDeleted 1 rule(s).\nOk.\n');
    expect(run('docker exec web netsh advfirewall firewall delete rule name=block80', { world: r.world }).last.error).toBe('\nNo rules match the specified criteria.\n');
  });

  it('New-NetFirewallRule on the host; Remove-NetFirewallRule', () => {
    const r = runOk('New-NetFirewallRule -DisplayName "Allow 80" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80');
    expect(r.last.output).toMatch(/DisplayName\s+: Allow 80\n/);
    expect(firewallRules(r.world, 'host1').host.filter((x) => x.origin === 'user')).toMatchObject([{ name: 'Allow 80', protocol: 'TCP', localPorts: '80', line: 1 }]);
    runOk('Remove-NetFirewallRule -DisplayName "Allow 80"', { world: r.world });
    expect(firewallRules(r.world, 'host1').host.some((x) => x.origin === 'user')).toBe(false);
    expect(run('Remove-NetFirewallRule -Name web', { world: r.world }).last.error)
      .toBe("Remove-NetFirewallRule : No MSFT_NetFirewallRule objects found with property 'Name' equal to 'web'.  Verify the value of the property and retry.");
    // The default parameter set (GetAll) would remove every rule, defaults included: refused, not half done.
    expect(run('Remove-NetFirewallRule', { world: r.world }).last.error).toMatch(/^Remove-NetFirewallRule : Packet Path does not simulate removing every firewall rule/);
  });

  it('HNS ACL policies exist on VFP/transparent endpoints, not on nat (WinNAT + firewall there)', () => {
    const r = runOk('docker run -d --name n img\ndocker network create -d transparent --subnet 10.0.0.0/24 --gateway 10.0.0.1 t\ndocker run -d --name t --network t --ip 10.0.0.60 img');
    expect(aclPolicies(r.world, 'host1').map((a) => a.container)).toEqual(['t']);
  });
});

/** netsh's usage head, printed after each of its `add rule` errors. */
const NETSH_USAGE = '\n\nUsage: add rule name=<string>\n      dir=in|out\n      action=allow|block|bypass';
const NETSH_ADD = 'netsh advfirewall firewall add rule name=x dir=in';
const PS_ADDRESS_INVALID =
  'New-NetFirewallRule : The address is invalid.  Addresses may be specified as IP addresses, ranges, or subnets.  Also, the following address keywords are allowed in certain places: LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, Intranet, IntranetRemoteAccess, PlayToDevice.  Keywords can be restricted to IPv4 or IPv6 by appending a 4 or 6.';

describe('firewall rules are parsed once, at the command (issue 8)', () => {
  // Each malformed rule fails its own step, on its line, with the tool's text; nothing is stored.
  const cases: [string, string][] = [
    [`${NETSH_ADD} action=block protocol=TCP localport=333221`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block protocol=TCP localport=90-80`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block protocol=TCP remoteport=http`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block protocol=TCPs localport=80`, `\nA specified protocol value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow protocol=icmp`, `\nA specified protocol value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow protocol=300`, `\nA specified protocol value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block1`, `\nA specified value is not valid.${NETSH_USAGE}`],
    ['netsh advfirewall firewall add rule name=x dir=sideways action=allow', `\nA specified value is not valid.${NETSH_USAGE}`],
    ['netsh advfirewall firewall add rule name=x action=allow', `\nA specified value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow enable=maybe`, `\nA specified value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow profile=home`, `\nA specified value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow colour=red`, `\nA specified value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block remoteip=10.0.0.256`, `\nA specified IP address or address keyword is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block localip=10.0.0.0/255.0.255.0`, `\nA specified IP address or address keyword is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=block remoteip=10.0.0.9-10.0.0.1`, `\nA specified IP address or address keyword is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow protocol=icmpv4 localport=80`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow protocol=1 localport=any remoteport=any`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    [`${NETSH_ADD} action=allow localport=80`, `\nA specified port value is not valid.${NETSH_USAGE}`],
    // Valid on Windows, not expressible by the data plane: refused with a message that says so.
    [`${NETSH_ADD} action=block remoteip=::1/128`, 'remoteip=::1/128: Packet Path simulates IPv4 only; this rule would match IPv6 traffic.'],
    [`${NETSH_ADD} action=allow protocol=icmpv6`, 'protocol=icmpv6: Packet Path simulates IPv4 only; this rule would match IPv6 traffic.'],
    [`${NETSH_ADD} action=block remoteip=LocalSubnet`, 'remoteip=LocalSubnet: Packet Path does not resolve address keywords (LocalSubnet, DNS, DHCP, WINS, DefaultGateway, ...) in firewall rules; give IPv4 addresses, subnets or ranges.'],
    [`${NETSH_ADD} action=allow protocol=TCP localport=RPC`, 'localport=RPC: Packet Path does not simulate port keywords (RPC, RPC-EPMap, IPHTTPS, Teredo, PlayToDiscovery); give port numbers or ranges.'],
    [`${NETSH_ADD} action=allow protocol=icmpv4:8,any`, 'protocol=icmpv4:8,any: Packet Path matches ICMPv4 rules on the protocol only; give icmpv4 without a type and code.'],
    [`${NETSH_ADD} action=bypass`, 'action=bypass: Packet Path does not simulate bypass rules (they need IPsec authentication).'],
    [`${NETSH_ADD} action=allow program=app.exe`, "program=app.exe: Packet Path does not simulate per-program firewall rules; the rule would apply to every program's traffic."],
    [`${NETSH_ADD} action=allow service=w3svc`, "service=w3svc: Packet Path does not simulate per-service firewall rules; the rule would apply to every service's traffic."],
    [`${NETSH_ADD} action=allow interfacetype=wireless`, 'interfacetype=wireless: Packet Path simulates LAN interfaces only; the rule would match no simulated traffic.'],
    [`${NETSH_ADD} action=allow security=authenticate`, 'security=authenticate: Packet Path does not simulate IPsec-authenticated firewall rules.'],
    // New-NetFirewallRule: the CIM provider's messages.
    ['New-NetFirewallRule -DisplayName x -Protocol TCP -LocalPort 99999', 'New-NetFirewallRule : The parameter is incorrect.'],
    ['New-NetFirewallRule -DisplayName x -Protocol TCP -LocalPort http', 'New-NetFirewallRule : One of the port keywords is invalid.'],
    ['New-NetFirewallRule -DisplayName x -Protocol XYZ', 'New-NetFirewallRule : The parameter is incorrect.'],
    ['New-NetFirewallRule -DisplayName x -RemoteAddress 10.0.0.300', PS_ADDRESS_INVALID],
    ['New-NetFirewallRule -DisplayName x -Protocol ICMPv4 -LocalPort 80', 'New-NetFirewallRule : The port is only valid when the protocol is TCP or UDP.'],
    ['New-NetFirewallRule -DisplayName x -RemoteAddress LocalSubnet', 'New-NetFirewallRule : RemoteAddress=LocalSubnet: Packet Path does not resolve address keywords (LocalSubnet, DNS, DHCP, WINS, DefaultGateway, ...) in firewall rules; give IPv4 addresses, subnets or ranges.'],
    ['New-NetFirewallRule -DisplayName x -Protocol TCP -LocalPort Teredo', 'New-NetFirewallRule : LocalPort=Teredo: Packet Path does not simulate port keywords (RPC, RPC-EPMap, IPHTTPS, Teredo, PlayToDiscovery); give port numbers or ranges.'],
    ['New-NetFirewallRule -DisplayName x -Program app.exe', "New-NetFirewallRule : -Program app.exe: Packet Path does not simulate per-program firewall rules; the rule would apply to every program's traffic."],
    ['New-NetFirewallRule -DisplayName x -Action NotConfigured', 'New-NetFirewallRule : Packet Path does not simulate rules whose Action is NotConfigured (they take their action from Group Policy).'],
  ];
  for (const [command, error] of cases) {
    it(`refuses at its line: ${command}`, async () => {
      const r = await runScript(`docker ps\n${command}\nnetsh advfirewall firewall show rule name=x`, { seed: 1 });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.steps[1]).toMatchObject({ line: 2, ok: false, error });
      expect(r.steps[2]).toMatchObject({ line: 3, ok: false, error: 'No rules match the specified criteria.' });
    });
  }

  it('New-NetFirewallRule built without the script parser binds its enumerations as PowerShell does', () => {
    const direction = () => newNetFirewallRule([], { displayname: 'x', direction: 'Sideways' }, 1);
    expect(direction).toThrow(
      'New-NetFirewallRule : Cannot bind parameter \'Direction\'. Cannot convert value "Sideways" to type "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction". Error: "Unable to match the identifier name Sideways to a valid enumerator name. Specify one of the following enumerator names and try again:\nInbound, Outbound"',
    );
    expect(() => newNetFirewallRule([], { displayname: 'x', action: 'Deny' }, 1)).toThrow(/NetSecurity\.Action". Error: .*\nNotConfigured, Allow, Block"$/);
  });

  it('refuses a rule that would overflow the compartment classifier, at its command, per direction', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(',');
    const half = `protocol=TCP localport=${list(1024)} remoteport=${list(512)}`; // 524288 entries
    const r = run(`${NETSH_ADD} action=block ${half}\n${NETSH_ADD.replace('name=x', 'name=y')} action=block ${half}\n`
      + `${NETSH_ADD.replace('name=x', 'name=z')} action=block\nnetsh advfirewall firewall add rule name=o dir=out action=block ${half}`);
    expect(r.outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(r.outcomes[2]!.error).toBe("Packet Path's ACL classifier holds 1048576 entries per compartment and direction; this rule's lists (addresses × protocols × ports) expand to 1 and 1048576 are in use.");
    const ps = run(`New-NetFirewallRule -DisplayName big -Protocol TCP -LocalPort ${list(1100)} -RemotePort ${list(1000)}`);
    expect(ps.last.error).toMatch(/^New-NetFirewallRule : Packet Path's ACL classifier holds 1048576 entries .* expand to 1100000 and 0 are in use\.$/);
  });

  it('refuses the same way inside a container, and keeps nothing there', () => {
    const r = run(`docker run -d --name web img\ndocker exec web ${NETSH_ADD} action=block protocol=TCP localport=333221`);
    expect(r.last.error).toBe(`\nA specified port value is not valid.${NETSH_USAGE}`);
    expect(firewallRules(r.world, 'host1').compartments[0]!.rules.some((x) => x.origin === 'user')).toBe(false);
  });

  it('stores the typed match beside the text it shows', () => {
    const r = runOk(`${NETSH_ADD} action=block protocol=6 localport=80,8000-8080 remoteip=10.0.0.0/255.0.0.0,192.168.1.1-192.168.1.2`);
    const rule = firewallRules(r.world, 'host1').host.find((x) => x.origin === 'user')!;
    expect(rule).toMatchObject({ protocol: 'TCP', localPorts: '80,8000-8080', remoteAddresses: '10.0.0.0/255.0.0.0,192.168.1.1-192.168.1.2' });
    expect(rule.match).toEqual({
      protocols: [6],
      local: [],
      remote: [{ base: 0x0a000000, len: 8 }, { base: 0xc0a80101, len: 32 }, { base: 0xc0a80102, len: 32 }],
      localPorts: [{ lo: 80, hi: 80 }, { lo: 8000, hi: 8080 }],
      remotePorts: [],
    });
  });

  it('a rule in a form only the model parsed before reaches the data plane (netmask and number forms)', async () => {
    const r = await runScript(`host new --os ws1709 --ip 10.0.0.22/24
docker run -d --name web microsoft/iis
docker run -d --name probe microsoft/nanoserver
expect docker exec probe ping -n 1 web
expect docker exec web netsh advfirewall firewall add rule name="no ping" dir=in action=block protocol=1 remoteip=172.16.0.0/255.240.0.0,10.0.0.0-10.255.255.255
expect-fail docker exec probe ping -n 1 web`, { seed: 1 });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.expectations.map((e) => [e.line, e.ok, e.message ?? ''])).toEqual([[4, true, ''], [5, true, ''], [6, true, '']]);
  });
});

describe('service discovery per driver (SPEC §3 table)', () => {
  it('nat: containers on the same network and host resolve by name, alias and short ID; other networks do not', () => {
    const r = runOk('docker network create -d nat --subnet 192.168.20.0/24 other\ndocker run -d --name web --network-alias www img\ndocker run -d --name db img\ndocker run -d --name far --network other img');
    const eps = endpoints(r.world, 'host1');
    const web = eps.find((e) => e.container === 'web')!;
    const db = eps.find((e) => e.container === 'db')!;
    expect(resolveName(r.world, web.id, 'db')).toEqual({ found: true, ips: [db.ip], kind: 'container', name: 'db', server: web.gateway });
    expect(resolveName(r.world, db.id, 'www')).toMatchObject({ found: true, ips: [web.ip] });
    expect(resolveName(r.world, db.id, r.world.hosts[0]!.containers[0]!.id.slice(0, 12))).toMatchObject({ found: true, ips: [web.ip] });
    expect(resolveName(r.world, web.id, 'far')).toEqual({ found: false, reason: 'not-found', forwardTo: ['10.0.0.1'] });
  });

  it('nat: no discovery across hosts', () => {
    const r = runOk('host a\ndocker run -d --name x img\nhost b\ndocker run -d --name y img');
    const y = endpoints(r.world, 'b')[0]!;
    expect(resolveName(r.world, y.id, 'x').found).toBe(false);
  });

  it('the network DNS suffix is stripped from a query', () => {
    const r = runOk('docker network create -d nat -o com.docker.network.windowsshim.dnssuffix=corp.local n\ndocker run -d --name a --network n img\ndocker run -d --name b --network n img');
    const a = endpoints(r.world, 'host1').find((e) => e.container === 'a')!;
    expect(resolveName(r.world, a.id, 'b.corp.local')).toMatchObject({ found: true, name: 'b' });
  });

  it('transparent and l2bridge: no Docker DNS; queries go to the network DNS servers', () => {
    const r = runOk('host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\ndocker network create -d transparent --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.dnsservers=10.0.0.53 t\ndocker run -d --name a --network t --ip 10.0.0.60 img\ndocker run -d --name b --network t --ip 10.0.0.61 img\ndocker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" l2\ndocker run -d --name c --network l2 img\ndocker run -d --name d --network l2 img');
    const a = endpoints(r.world, 'h').find((e) => e.container === 'a')!;
    expect(resolveName(r.world, a.id, 'b')).toEqual({ found: false, reason: 'no-service-discovery', forwardTo: ['10.0.0.53'] });
    const c = endpoints(r.world, 'h').find((e) => e.container === 'c')!;
    expect(resolveName(r.world, c.id, 'd')).toEqual({ found: false, reason: 'no-service-discovery', forwardTo: [] });
  });

  it('an unknown endpoint resolves nothing', () => {
    expect(resolveName(runOk('docker ps').world, 'nope', 'x')).toEqual({ found: false, reason: 'no-endpoint', forwardTo: [] });
  });
});

describe('published ports open their port', () => {
  it('on the host (nat) and in the container compartment (any driver), removed at stop', () => {
    const r = runOk('host h --os ws2016\ndocker run -d --name web -p 8080:80 img');
    const fw = firewallRules(r.world, 'h');
    expect(fw.host.filter((x) => x.origin === 'publish').map((x) => x.localPorts)).toEqual(['8080']);
    expect(fw.compartments[0]!.rules.filter((x) => x.origin === 'publish').map((x) => [x.direction, x.action, x.protocol, x.localPorts, x.line])).toEqual([['In', 'Allow', 'TCP', '80', 2]]);
    runOk('docker stop web', { world: r.world });
    expect(r.world.hosts[0]!.containers[0]!.firewall).toEqual([]);
    expect(r.world.hosts[0]!.firewall).toEqual([]);
  });
});
