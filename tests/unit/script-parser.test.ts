import { describe, expect, test } from 'vitest';
import {
  parseScript, KNOWN_CMDLETS, KNOWN_TOOLS, SIMULATOR_COMMANDS,
  type Command, type PowerShellCommand, type SimCommand, type ToolCommand, type ClientTrafficCommand, type DockerCommand,
} from '../../src/script/index.js';

function one(src: string): Command {
  const r = parseScript(src);
  expect(r.diagnostics).toEqual([]);
  expect(r.commands).toHaveLength(1);
  return r.commands[0]!;
}

function sim(src: string): SimCommand {
  const c = one(src);
  if (c.kind !== 'sim') throw new Error(c.kind);
  return c;
}

function ps(src: string): PowerShellCommand {
  const c = one(src);
  if (c.kind !== 'powershell') throw new Error(c.kind);
  return c;
}

function tool(src: string): ToolCommand {
  const c = one(src);
  if (c.kind !== 'tool') throw new Error(c.kind);
  return c;
}

function err(src: string) {
  const r = parseScript(src);
  expect(r.commands).toEqual([]);
  expect(r.diagnostics).toHaveLength(1);
  return r.diagnostics[0]!;
}

const pairs = (fs: { name: string; value: string | true }[]) => fs.map((f) => [f.name, f.value]);

describe('simulator lines (SPEC §2)', () => {
  test('host with every flag, NIC flags kept in order', () => {
    const c = sim('host h1 --os ws2016 --nic "Ethernet" --ip 10.0.0.10/24 --mac 00-15-5D-00-00-0A --nic "Ethernet 2" --ip 10.0.1.10/24 --gateway 10.0.0.1 --virtualized --mac-spoofing off --ipv6 on --no-trunk --fixed-cidr 172.20.0.0/16 --docker-for-windows --no-kb4015217');
    expect(c.verb).toBe('host');
    expect(c.args.map((w) => w.value)).toEqual(['h1']);
    expect(pairs(c.flags)).toEqual([
      ['os', 'ws2016'], ['nic', 'Ethernet'], ['ip', '10.0.0.10/24'], ['mac', '00-15-5D-00-00-0A'],
      ['nic', 'Ethernet 2'], ['ip', '10.0.1.10/24'], ['gateway', '10.0.0.1'], ['virtualized', true],
      ['mac-spoofing', 'off'], ['ipv6', 'on'], ['no-trunk', true], ['fixed-cidr', '172.20.0.0/16'],
      ['docker-for-windows', true], ['no-kb4015217', true],
    ]);
  });

  test('host NAME alone switches host; --ip before any --nic is allowed', () => {
    expect(sim('host h2').flags).toEqual([]);
    expect(pairs(sim('host h2 --ip 10.0.0.12/24 --mac 00-15-5D-00-00-0C').flags)).toEqual([['ip', '10.0.0.12/24'], ['mac', '00-15-5D-00-00-0C']]);
  });

  test('host errors: no name, unknown profile, on/off values', () => {
    expect(err('host').message).toMatch(/^host needs a NAME: host NAME/);
    const os = err('host h1 --os ws2012');
    expect(os.message).toBe('invalid value "ws2012" for --os: expected one of ws2016, win10-1703, ws1709, win10-1803, win10-1809, ws2019, ws2022, ws2025');
    expect([os.column, os.length]).toEqual([14, 6]);
    expect(err('host h1 --mac-spoofing maybe').code).toBe('invalid-value');
    expect(err('host h1 h2').message).toMatch(/^unexpected argument "h2"/);
    expect(err('host h1 --bogus').message).toBe('unknown flag: --bogus');
  });

  test('lan dhcp', () => {
    const c = sim('lan dhcp 10.0.0.100-10.0.0.200 --gateway 10.0.0.1');
    expect(c.args.map((w) => w.value)).toEqual(['dhcp', '10.0.0.100-10.0.0.200']);
    expect(pairs(c.flags)).toEqual([['gateway', '10.0.0.1']]);
    expect(err('lan dhcp 10.0.0.100').message).toBe('invalid DHCP range "10.0.0.100": expected FIRST-LAST, e.g. 10.0.0.100-10.0.0.200');
    expect(err('lan static 1.2.3.4-1.2.3.9').message).toBe('unknown lan command "static": only "lan dhcp FIRST-LAST" is supported');
    expect(err('lan').code).toBe('arg-count');
  });

  test('client declaration (LAN and internet)', () => {
    const lan = sim('client laptop --ip 10.0.0.50');
    expect(lan.verb).toBe('client');
    expect(lan.args.map((w) => w.value)).toEqual(['laptop']);
    expect(pairs(lan.flags)).toEqual([['ip', '10.0.0.50']]);
    expect(pairs(sim('client web1 --ip 93.184.216.34 --internet').flags)).toEqual([['ip', '93.184.216.34'], ['internet', true]]);
    expect(err('client laptop').message).toBe('client laptop needs --ip IP');
    expect(err('client laptop ipconfig').message).toBe('unknown client command "ipconfig": an external client sends traffic with curl, ping or nslookup');
  });

  test('client traffic: curl and ping become a ClientTrafficCommand', () => {
    const c = one('client laptop curl http://10.0.0.10:8080/') as ClientTrafficCommand;
    expect(c.kind).toBe('client-traffic');
    expect(c.client.value).toBe('laptop');
    expect(c.inner.tool).toBe('curl');
    expect(c.inner.args.map((w) => w.value)).toEqual(['http://10.0.0.10:8080/']);
    expect(c.inner.text).toBe('curl http://10.0.0.10:8080/');
    const p = one('client laptop ping -n 2 10.0.0.10') as ClientTrafficCommand;
    expect(p.inner.tool).toBe('ping');
    expect(pairs(p.inner.flags)).toEqual([['n', '2']]);
  });

  test('flood', () => {
    const c = sim('flood web db tcp/80 --packets 100000 --size 64 --flows 16');
    expect(c.args.map((w) => w.value)).toEqual(['web', 'db', 'tcp/80']);
    expect(pairs(c.flags)).toEqual([['packets', '100000'], ['size', '64'], ['flows', '16']]);
    expect(sim('flood laptop web icmp').args).toHaveLength(3);
    expect(err('flood a b sctp/9').message).toBe('invalid protocol "sctp/9": expected tcp[/PORT], udp[/PORT] or icmp');
    expect(err('flood a b udp --packets 0').message).toBe('--packets must be a positive number, got "0"');
    expect(err('flood a b udp --packets lots').message).toBe('invalid argument "lots" for "--packets" flag: strconv.ParseInt: parsing "lots": invalid syntax');
    expect(err('flood a b').code).toBe('arg-count');
  });
});

describe('docker lines (SPEC §2)', () => {
  test('docker run with the SPEC flags', () => {
    const c = one('docker run -d --name web --network nat --ip 172.16.0.5 -p 8080:80/tcp --expose 80 --dns 8.8.8.8 --dns-search corp.local mcr.microsoft.com/windows/servercore/iis') as DockerCommand;
    expect(c.path).toEqual(['run']);
    expect(pairs(c.flags)).toEqual([
      ['detach', true], ['name', 'web'], ['network', 'nat'], ['ip', '172.16.0.5'], ['publish', '8080:80/tcp'],
      ['expose', '80'], ['dns', '8.8.8.8'], ['dns-search', 'corp.local'],
    ]);
    expect(c.args.map((w) => w.value)).toEqual(['mcr.microsoft.com/windows/servercore/iis']);
  });

  test.each([
    ['docker exec web ping -n 4 db', 'ping', [['n', '4']], ['db']],
    ['docker exec web curl http://db/', 'curl', [], ['http://db/']],
    ['docker exec web nslookup db', 'nslookup', [], ['db']],
    ['docker exec web netsh advfirewall firewall add rule name=web dir=in action=allow protocol=TCP localport=80', 'netsh',
      [['name', 'web'], ['dir', 'in'], ['action', 'allow'], ['protocol', 'TCP'], ['localport', '80']], ['advfirewall', 'firewall', 'add', 'rule']],
    ['docker exec web ipconfig /all', 'ipconfig', [['all', true]], []],
    ['docker exec web hostname', 'hostname', [], []],
  ])('%s', (src, toolName, flags, args) => {
    const c = one(src) as DockerCommand;
    expect(c.inner?.tool).toBe(toolName);
    expect(pairs(c.inner!.flags)).toEqual(flags);
    expect(c.inner!.args.map((w) => w.value)).toEqual(args);
  });

  test('swarm join with a token', () => {
    const c = one('docker swarm join --token SWMTKN-1-49nj1cmql0jkz5s954yi3oex3nedyz0fb0xx14ie39trti4wxv-8vxv8rssmk743ojnwacrr2e7c 10.0.0.10:2377') as DockerCommand;
    expect(pairs(c.flags)).toEqual([['token', 'SWMTKN-1-49nj1cmql0jkz5s954yi3oex3nedyz0fb0xx14ie39trti4wxv-8vxv8rssmk743ojnwacrr2e7c']]);
    expect(c.args.map((w) => w.value)).toEqual(['10.0.0.10:2377']);
  });
});

describe('PowerShell (SPEC §2)', () => {
  test.each([
    ['Get-NetNat', 'Get-NetNat'],
    ['Get-VMSwitch', 'Get-VMSwitch'],
    ['Get-NetAdapter', 'Get-NetAdapter'],
    ['Get-NetCompartment', 'Get-NetCompartment'],
    ['Get-HnsNetwork', 'Get-HnsNetwork'],
    ['Get-HnsEndpoint', 'Get-HnsEndpoint'],
    ['Get-ContainerNetwork', 'Get-ContainerNetwork'],
    ['Restart-Computer -Force', 'Restart-Computer'],
    ['Remove-VMSwitch -Name ext -Force', 'Remove-VMSwitch'],
    ['Get-NetFirewallRule -DisplayName web', 'Get-NetFirewallRule'],
    ['Remove-NetFirewallRule -DisplayName web', 'Remove-NetFirewallRule'],
    ['New-NetNat -Name MyNat -InternalIPInterfaceAddressPrefix 172.16.0.0/12', 'New-NetNat'],
    ['Test-NetConnection 10.0.0.10 -Port 8080', 'Test-NetConnection'],
  ])('%s', (src, name) => {
    const c = ps(src);
    expect(c.pipeline).toHaveLength(1);
    expect(c.pipeline[0]!.name.value).toBe(name);
  });

  test('Get-Service vfpext: positional argument', () => {
    const c = ps('Get-Service vfpext');
    expect(c.pipeline[0]!.args.map((w) => w.value)).toEqual(['vfpext']);
    expect(c.pipeline[0]!.flags).toEqual([]);
  });

  test('Get-VMSwitchExtension with a quoted -Name', () => {
    const c = ps('Get-VMSwitchExtension -VMSwitchName nat -Name "Microsoft Azure VFP Switch Extension"');
    expect(pairs(c.pipeline[0]!.flags)).toEqual([['VMSwitchName', 'nat'], ['Name', 'Microsoft Azure VFP Switch Extension']]);
  });

  test('New-VMSwitch, with a teamed adapter list', () => {
    const c = ps('New-VMSwitch -Name ext -NetAdapterName "Ethernet 2", "Ethernet 3" -EnableEmbeddedTeaming $true');
    expect(pairs(c.pipeline[0]!.flags)).toEqual([['Name', 'ext'], ['NetAdapterName', 'Ethernet 2, Ethernet 3'], ['EnableEmbeddedTeaming', '$true']]);
  });

  test('pipeline: Get-VMNetworkAdapter | Set-VMNetworkAdapter', () => {
    const c = ps('Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On');
    expect(c.pipeline.map((x) => x.name.value)).toEqual(['Get-VMNetworkAdapter', 'Set-VMNetworkAdapter']);
    expect(pairs(c.pipeline[0]!.flags)).toEqual([['VMName', 'ContainerHostVM']]);
    expect(pairs(c.pipeline[1]!.flags)).toEqual([['MacAddressSpoofing', 'On']]);
  });

  test('New-NetFirewallRule with enumerations', () => {
    const c = ps('New-NetFirewallRule -DisplayName "web 80" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80');
    expect(pairs(c.pipeline[0]!.flags)).toEqual([['DisplayName', 'web 80'], ['Direction', 'Inbound'], ['Action', 'Allow'], ['Protocol', 'TCP'], ['LocalPort', '80']]);
  });

  test('names are case-insensitive; parameters canonical; prefixes and -Name:value work', () => {
    const c = ps('restart-service hns');
    expect(c.pipeline[0]!.name.value).toBe('restart-service');
    expect(c.pipeline[0]!.args.map((w) => w.value)).toEqual(['hns']);
    expect(pairs(ps('get-vmnetworkadapter -vmn vm1').pipeline[0]!.flags)).toEqual([['VMName', 'vm1']]);
    expect(pairs(ps('Set-VMNetworkAdapter -VMName:vm1 -MacAddressSpoofing:on').pipeline[0]!.flags)).toEqual([['VMName', 'vm1'], ['MacAddressSpoofing', 'on']]);
    expect(ps('Restart-Service -Name docker -Force').pipeline[0]!.flags.map((f) => f.written)).toEqual(['-Name', '-Force']);
  });

  test('an en dash works as a parameter dash; a quoted "-x" is an argument', () => {
    expect(pairs(ps('Get-Service \u2013Name hns').pipeline[0]!.flags)).toEqual([['Name', 'hns']]);
    expect(ps('Get-Service "-Name"').pipeline[0]!.args.map((w) => w.value)).toEqual(['-Name']);
  });

  test('formatting cmdlets and aliases in a pipeline', () => {
    const c = ps("Get-NetNat | Where-Object { $_.Name -eq 'nat' } | fl *");
    expect(c.pipeline.map((x) => x.name.value)).toEqual(['Get-NetNat', 'Where-Object', 'fl']);
    expect(c.pipeline[1]!.args.map((w) => w.value)).toEqual(["{ $_.Name -eq 'nat' }"]);
    expect(c.pipeline[2]!.args.map((w) => w.value)).toEqual(['*']);
  });

  test('an unknown cmdlet is kept, parameters read generically', () => {
    const c = ps('Get-Frobs -Name x -All');
    expect(pairs(c.pipeline[0]!.flags)).toEqual([['Name', 'x'], ['All', true]]);
  });

  test('errors carry PowerShell\'s texts', () => {
    expect(err('Get-NetNat -Foo').message).toBe("Get-NetNat : A parameter cannot be found that matches parameter name 'Foo'.");
    expect(err('Get-NetAdapter -In x').message).toBe("Get-NetAdapter : Parameter cannot be processed because the parameter name 'In' is ambiguous. Possible matches include: -InterfaceDescription -InterfaceIndex -IncludeHidden.");
    expect(err('New-VMSwitch -Name').message).toBe("New-VMSwitch : Missing an argument for parameter 'Name'. Specify a parameter of type 'System.String' and try again.");
    expect(err('Get-Service hns docker').message).toBe("Get-Service : A positional parameter cannot be found that accepts argument 'docker'.");
    expect(err('Set-VMNetworkAdapter -VMName v -MacAddressSpoofing Maybe').message).toBe(
      'Set-VMNetworkAdapter : Cannot bind parameter \'MacAddressSpoofing\'. Cannot convert value "Maybe" to type "Microsoft.HyperV.PowerShell.OnOffState". Error: "Unable to match the identifier name Maybe to a valid enumerator name. Specify one of the following enumerator names and try again:\nOn, Off"');
    expect(err('Get-NetNat -Name a -Name b').code).toBe('duplicate-parameter');
  });

  test('pipeline errors', () => {
    expect(err('Get-NetNat | | fl').message).toBe('An empty pipe element is not allowed.');
    expect(err('Get-NetNat |').message).toBe('An empty pipe element is not allowed.');
    expect(err('| fl').message).toBe('An empty pipe element is not allowed.');
    expect(err('docker ps | findstr web').code).toBe('unsupported-pipeline');
    expect(err('Get-NetNat | findstr web').code).toBe('unsupported-pipeline');
  });

  test('the < operator is reserved (placeholders in documents)', () => {
    const d = err('Get-VMSwitchExtension -VMSwitchName <vSwitch Name> -Name "x"');
    expect(d.message).toBe("The '<' operator is reserved for future use.");
    expect([d.column, d.length]).toEqual([37, 1]);
  });
});

describe('tools on the host', () => {
  test('reg delete (the seed\'s IPv6 fix)', () => {
    const c = tool('reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f');
    expect(c.tool).toBe('reg');
    expect(c.args.map((w) => w.value)).toEqual(['delete', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters']);
    expect(pairs(c.flags)).toEqual([['v', 'DisabledComponents'], ['f', true]]);
  });

  test('netsh delete rule', () => {
    const c = tool('netsh advfirewall firewall delete rule name="web 80"');
    expect(pairs(c.flags)).toEqual([['name', 'web 80']]);
    expect(c.flags[0]!.valueSpan).toEqual({ line: 1, column: 46, length: 6 });
  });

  test('ping, curl and nslookup switches', () => {
    const p = tool('ping -n 2 -w 500 -4 10.0.0.10');
    expect(pairs(p.flags)).toEqual([['n', '2'], ['w', '500'], ['4', true]]);
    expect(p.args.map((w) => w.value)).toEqual(['10.0.0.10']);
    expect(pairs(tool('ping /n 1 db').flags)).toEqual([['n', '1']]);
    const c = tool('curl.exe -sS -o out.html --max-time 5 http://db/');
    expect(c.tool).toBe('curl');
    expect(c.name?.value).toBe('curl.exe');
    expect(pairs(c.flags)).toEqual([['silent', true], ['show-error', true], ['output', 'out.html'], ['max-time', '5']]);
    expect(c.args.map((w) => w.value)).toEqual(['http://db/']);
    const n = tool('nslookup -type=A web 172.16.0.1');
    expect(pairs(n.flags)).toEqual([['type', 'A']]);
    expect(n.args.map((w) => w.value)).toEqual(['web', '172.16.0.1']);
  });

  test('ipconfig and hostname', () => {
    expect(pairs(tool('ipconfig /all /allcompartments').flags)).toEqual([['all', true], ['allcompartments', true]]);
    expect(tool('hostname').tool).toBe('hostname');
  });

  test('words keep every word after the tool name', () => {
    expect(tool('ping -n 4 db').words.map((w) => w.value)).toEqual(['-n', '4', 'db']);
  });

  test('an unknown command is a tool "other" with its name', () => {
    const c = tool('whoami /all');
    expect(c.tool).toBe('other');
    expect(c.name?.value).toBe('whoami');
    expect(c.args.map((w) => w.value)).toEqual(['/all']);
  });
});

describe('expect and expect-fail (SPEC §5)', () => {
  test('expect marks the command; text and span leave the keyword out', () => {
    const c = one('expect docker exec web ping db');
    expect(c.kind).toBe('docker');
    expect(c.expect).toBe('expect');
    expect(c.text).toBe('docker exec web ping db');
    expect(c.span).toEqual({ line: 1, column: 8, length: 23 });
  });

  test('expect-fail on every kind of line', () => {
    for (const src of ['expect-fail docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 n',
      'expect-fail client laptop curl http://10.0.0.10:8080/', 'expect-fail Get-NetNat', 'expect-fail ping db',
      'expect-fail flood a b icmp']) {
      expect(one(src).expect).toBe('expect-fail');
    }
  });

  test('expect needs a command; expectations do not nest; a bad command under expect is an error', () => {
    expect(err('expect').code).toBe('expect-without-command');
    expect(err('expect expect-fail docker ps').code).toBe('nested-expect');
    expect(err('expect docker ps --bogus').message).toBe('unknown flag: --bogus');
  });
});

describe('lines, errors and recovery', () => {
  test('a continued command keeps its first line number; the next command its own', () => {
    const r = parseScript('# header\ndocker network create -d nat \\\n  --subnet=172.16.1.0/24 `\n  CustomNat1\ndocker network ls');
    expect(r.diagnostics).toEqual([]);
    expect(r.commands.map((c) => c.line)).toEqual([2, 5]);
    expect(r.commands[0]!.text).toBe('docker network create -d nat --subnet=172.16.1.0/24 CustomNat1');
    expect((r.commands[0] as DockerCommand).args[0]!.span).toEqual({ line: 4, column: 3, length: 10 });
  });

  test('an error on a continued line points at the right physical line', () => {
    const d = err('docker network create \\\n   --bogus n');
    expect([d.line, d.column, d.length]).toEqual([2, 4, 7]);
  });

  test('a bad line yields no command; the lines before and after still parse', () => {
    const r = parseScript('docker network ls\ndocker network create --x n\nGet-NetNat -Foo\necho "open\nhost h1\ndocker ps');
    expect(r.commands.map((c) => c.text)).toEqual(['docker network ls', 'host h1', 'docker ps']);
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([[2, 'unknown-flag'], [3, 'unknown-parameter'], [4, 'unterminated-string']]);
  });

  test('; separates commands on one line, each judged alone', () => {
    const r = parseScript('docker ps; docker network ls --bogus; Get-NetNat');
    expect(r.commands.map((c) => c.text)).toEqual(['docker ps', 'Get-NetNat']);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.column).toBe(30);
  });

  test('blank and comment-only lines produce nothing', () => {
    expect(parseScript('\n   \n# x\n\t# y\n')).toEqual({ commands: [], diagnostics: [], rejected: [] });
  });
});

describe('editor tables', () => {
  test('known cmdlets and tools have descriptions', () => {
    for (const name of ['Get-NetNat', 'Get-VMSwitch', 'Get-NetAdapter', 'Get-NetCompartment', 'Get-HnsNetwork', 'Get-HnsEndpoint',
      'Get-Service', 'Get-VMSwitchExtension', 'New-VMSwitch', 'Remove-VMSwitch', 'Restart-Service', 'Restart-Computer',
      'Get-VMNetworkAdapter', 'Set-VMNetworkAdapter', 'New-NetFirewallRule', 'Remove-NetFirewallRule', 'Get-NetFirewallRule',
      'Test-NetConnection', 'New-NetNat']) {
      const c = KNOWN_CMDLETS.find((x) => x.name === name);
      expect(c?.description.length, name).toBeGreaterThan(10);
    }
    expect(KNOWN_TOOLS.map((t) => t.tool)).toEqual(['ping', 'tracert', 'curl', 'nslookup', 'ipconfig', 'netsh', 'reg', 'hostname', 'route', 'arp', 'netstat', 'vfpctrl', 'hnsdiag']);
    expect(SIMULATOR_COMMANDS.map((s) => s.verb)).toEqual(['host', 'lan', 'client', 'listen', 'flood']);
  });
});
