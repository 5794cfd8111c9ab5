/**
 * Diagnostics where users run them (issue 9 item 6, the rest of item 3), each against the real
 * output it reproduces (docs/behaviour.md, "Diagnostics"):
 * - PowerShell 5.1's ConvertTo-Json layout (`"Key":  value`, nested values indented under their
 *   key, an empty array `[` blank `]`): pasted Network Controller JSON in microsoft/SDN and the
 *   WSL network script's Get-HnsNetwork JSON.
 * - Get-NetIPAddress's list view (pasted outputs: Manual/Manual, Infinite ([TimeSpan]::MaxValue)),
 *   Get-NetIPInterface's table (docker/for-win #2760), Get-NetRoute's table (sig-windows-tools #214),
 *   route print's layout (docker/for-win #12297, microsoft/WSL #5068).
 * - netsh excluded port ranges (docker/for-win #1707 and pasted outputs with the administered `*`),
 *   the dynamic port range (usbipd-win #53), the 0x20 error of `docker run -p` into an excluded
 *   port (docker/for-win #12251), netsh's refusal of a port in use (BigFix forum).
 * - vfpctrl /list-vmswitch-port's fields and friendly names (princepereira/Commands, microsoft/
 *   SdnDiagnostics Get-VfpVMSwitchPort parser): low confidence, no full real output is public.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';

async function run(lines: string[]): Promise<{ out: (i: number) => string; err: (i: number) => string | null; ok: (i: number) => boolean }> {
  const r = await runScript(lines.join('\n') + '\n', { seed: 1 });
  const at = (i: number) => {
    const s = r.steps.find((x) => x.line === i + 1);
    if (!s) throw new Error(`no step at line ${i + 1}`);
    return s;
  };
  return { out: (i) => at(i).output, err: (i) => at(i).error, ok: (i) => at(i).ok };
}

const NAT = ['host h --os ws2019', 'docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis'];

describe('PowerShell pipeline', () => {
  it('ConvertTo-Json prints Windows PowerShell 5.1 layout', async () => {
    const r = await run([...NAT, 'Get-NetIPAddress -AddressFamily IPv4 -InterfaceAlias Ethernet | Select-Object IPAddress, PrefixLength | ConvertTo-Json']);
    expect(r.out(2)).toBe('{\n    "IPAddress":  "10.0.0.10",\n    "PrefixLength":  24\n}');
  });

  it('ConvertTo-Json of several objects is an array; nested arrays indent under their key', async () => {
    const r = await run([...NAT, 'docker exec web powershell -Command "Get-DnsClientServerAddress -AddressFamily IPv4 | Select-Object InterfaceAlias, InterfaceIndex, ServerAddresses | ConvertTo-Json"', 'Get-NetIPAddress -AddressFamily IPv4 | Select-Object IPAddress, AddressFamily | ConvertTo-Json']);
    expect(r.out(2)).toBe([
      '{',
      '    "InterfaceAlias":  "vEthernet (Ethernet)",',
      '    "InterfaceIndex":  5,',
      '    "ServerAddresses":  [',
      '                            "172.29.48.1",',
      '                            "10.0.0.1"',
      '                        ]',
      '}',
    ].join('\n'));
    // An enum (AddressFamily) prints as its number in Windows PowerShell's JSON: refused, not printed as its name.
    expect(r.err(3)).toMatch(/^ConvertTo-Json : Packet Path keeps AddressFamily only as the text/);
  });

  it('Where-Object (simplified and script block), Select-Object, Format-List, Format-Table', async () => {
    const r = await run([
      ...NAT,
      'Get-NetIPInterface | Where-Object AddressFamily -eq IPv4 | Where-Object { $_.InterfaceMetric -gt 50 -and $_.InterfaceAlias -like "vEthernet*" } | Format-Table ifIndex, InterfaceAlias',
      'Get-HnsNetwork | Select-Object Name, Type | Format-List',
      'Get-NetIPAddress | Select-Object -First 1 -ExpandProperty IPAddress',
    ]);
    expect(r.out(2)).toBe('\nifIndex InterfaceAlias\n------- --------------\n      4 vEthernet (nat)\n');
    expect(r.out(3)).toBe('\nName : nat\nType : nat\n');
    expect(r.out(4)).toMatch(/^fe80::/);
  });

  it('refuses what it cannot evaluate instead of ignoring it', async () => {
    const r = await run([...NAT, 'Get-NetIPAddress | Where-Object { $_.IPAddress.StartsWith("10") }', 'Get-NetIPAddress | ConvertTo-Json', 'Get-NetIPAddress | Group-Object AddressFamily', 'Get-NetNat | Format-List *']);
    expect(r.ok(2)).toBe(false);
    expect(r.err(2)).toMatch(/Where-Object : Packet Path evaluates/);
    // A CIM instance carries every property of its class (and CimClass ...): only the modelled ones would print.
    expect(r.err(3)).toMatch(/^ConvertTo-Json : Packet Path models only the properties of MSFT_NetIPAddress/);
    expect(r.err(4)).toBe('Group-Object : Packet Path does not simulate this pipeline stage (Group-Object); after a cmdlet it runs Where-Object, Select-Object, Sort-Object, Format-List, Format-Table, ConvertTo-Json');
    expect(r.err(5)).toMatch(/^Format-List : Packet Path models only the properties of MSFT_NetNat/);
  });

  it('Get-HnsNetwork | ConvertTo-Json: HNS\'s JSON types (numbers, booleans, nested objects) within -Depth', async () => {
    const r = await run([...NAT, 'Get-HnsNetwork | ConvertTo-Json -Depth 4', 'Get-HnsNetwork | ConvertTo-Json -Depth 1']);
    const json = JSON.parse(r.out(2));
    expect(json).toMatchObject({ CurrentEndpointCount: 1, Flags: 8, IPv6: false, Name: 'nat', State: 1, Type: 'nat', AdditionalParams: {} });
    expect(json.Extensions[1]).toEqual({ Id: 'E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017', IsEnabled: false, Name: 'Microsoft Azure VFP Switch Extension' });
    expect(json.Subnets[0]).toMatchObject({ AddressPrefix: '172.29.48.0/20', GatewayAddress: '172.29.48.1', Policies: [] });
    expect(r.out(2)).toContain('    "Extensions":  [\n                       {\n                           "Id":  "E7C3B2F0-F3C5-48DF-AF2B-10FED6D72E7A",');
    // Deeper than -Depth: the object's text, as PowerShell's ToString of a PSCustomObject.
    expect(JSON.parse(r.out(3)).Extensions[0]).toBe('@{Id=E7C3B2F0-F3C5-48DF-AF2B-10FED6D72E7A; IsEnabled=False; Name=Microsoft Windows Filtering Platform}');
  });
});

describe('host diagnostics', () => {
  it('Get-NetIPAddress: list view with Manual origins and infinite lifetimes', async () => {
    const r = await run([...NAT, 'Get-NetIPAddress -AddressFamily IPv4 -InterfaceAlias "vEthernet (nat)"']);
    expect(r.out(2)).toBe([
      '', 'IPAddress         : 172.29.48.1', 'InterfaceIndex    : 4', 'InterfaceAlias    : vEthernet (nat)', 'AddressFamily     : IPv4',
      'Type              : Unicast', 'PrefixLength      : 20', 'PrefixOrigin      : Manual', 'SuffixOrigin      : Manual', 'AddressState      : Preferred',
      'ValidLifetime     : Infinite ([TimeSpan]::MaxValue)', 'PreferredLifetime : Infinite ([TimeSpan]::MaxValue)', 'SkipAsSource      : False',
      'PolicyStore       : ActiveStore', '',
    ].join('\n'));
  });

  it('Get-NetIPAddress -IncludeAllCompartments adds the containers\' addresses (kubelet\'s Windows log collector runs it)', async () => {
    const r = await run([...NAT, 'Get-NetIPAddress -IncludeAllCompartments -AddressFamily IPv4 | Select-Object IPAddress, InterfaceAlias', 'Get-NetRoute -IncludeAllCompartments']);
    expect(r.out(2)).toContain('172.29.49.190 vEthernet (Ethernet)');
    expect(r.err(3)).toMatch(/^Get-NetRoute : Packet Path lists one compartment's routes/);
  });

  it('a parameter the model does not honour is refused, never ignored; Get-NetIPAddress takes the address positionally', async () => {
    const r = await run([...NAT, 'Get-NetNat -Name foo', 'Get-NetTCPConnection -RemotePort 80', 'Get-NetIPAddress 172.29.48.1 | Select-Object InterfaceAlias']);
    expect(r.err(2)).toBe('Get-NetNat : Packet Path does not simulate -Name of this cmdlet; filter with | Where-Object instead');
    expect(r.err(3)).toMatch(/^Get-NetTCPConnection : Packet Path does not simulate -RemotePort of this cmdlet \(it filters by -localport, -state\)/);
    expect(r.out(4)).toContain('vEthernet (nat)');
  });

  it('Get-NetIPAddress with no match: the CIM query error', async () => {
    const r = await run([...NAT, 'Get-NetIPAddress -InterfaceAlias nope']);
    expect(r.err(2)).toBe("Get-NetIPAddress : No matching MSFT_NetIPAddress objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetIPAddress class on the  CIM server: SELECT * FROM MSFT_NetIPAddress  WHERE (InterfaceAlias LIKE 'nope'). Verify query parameters and retry.");
  });

  it('Get-NetIPInterface: the nat vNIC has metric 5000 from 1809, 15 before (docker/for-win #2760, nav-docker #19)', async () => {
    const r = await run([...NAT, 'Get-NetIPInterface -AddressFamily IPv4', 'host old --os ws2016', 'docker network ls', 'Get-NetIPInterface -AddressFamily IPv4 -InterfaceAlias "vEthernet (nat)"']);
    expect(r.out(2).split('\n').slice(1, 3)).toEqual([
      'ifIndex InterfaceAlias                  AddressFamily NlMtu(Bytes) InterfaceMetric Dhcp     ConnectionState PolicyStore',
      '------- --------------                  ------------- ------------ --------------- ----     --------------- -----------',
    ]);
    expect(r.out(2)).toContain('4       vEthernet (nat)                 IPv4                  1500            5000 Disabled Connected       ActiveStore');
    expect(r.out(2)).toContain('1       Loopback Pseudo-Interface 1     IPv4            4294967295              75 Disabled Connected       ActiveStore');
    expect(r.out(5)).toMatch(/vEthernet \(nat\)\s+IPv4\s+1500\s+15 Disabled/);
  });

  it('route print and Get-NetRoute read the plane\'s routes (default route through the host gateway)', async () => {
    const r = await run([...NAT, 'route print', 'Get-NetRoute -AddressFamily IPv4 | Where-Object DestinationPrefix -eq 0.0.0.0/0']);
    const rp = r.out(2).split('\n');
    expect(rp[1]).toBe('Interface List');
    expect(rp).toContain('Network Destination        Netmask          Gateway       Interface  Metric');
    expect(rp).toContain('          0.0.0.0          0.0.0.0         10.0.0.1        10.0.0.10    281');
    expect(rp).toContain('      172.29.48.0    255.255.240.0         On-link       172.29.48.1   5256');
    expect(rp).toContain('        127.0.0.0        255.0.0.0         On-link         127.0.0.1    331');
    expect(r.out(3)).toContain('3       0.0.0.0/0                                      10.0.0.1                                         256 25       ActiveStore');
  });

  it('arp -a lists the neighbours the plane learned as dynamic', async () => {
    const before = await run([...NAT, 'docker exec web arp -a']);
    expect(before.out(2)).not.toContain('dynamic');
    const r = await run([...NAT, 'docker exec web ping -n 1 172.29.48.1', 'docker exec web arp -a']);
    expect(r.out(3)).toContain('Interface: 172.29.49.190 --- 0x5\n  Internet Address      Physical Address      Type\n  172.29.48.1           00-15-5d-0a-00-00     dynamic');
  });

  it('Get-NetNeighbor in a container: the gateway ARP taught the plane is Reachable; Sort-Object -Descending orders', async () => {
    const r = await run([...NAT, 'docker exec web ping -n 1 172.29.48.1', 'docker exec web powershell -Command "Get-NetNeighbor | Where-Object State -eq Reachable | Select-Object IPAddress, LinkLayerAddress, State"', 'Get-NetIPInterface -AddressFamily IPv4 | Sort-Object InterfaceMetric -Descending | Select-Object -ExpandProperty InterfaceAlias']);
    expect(r.out(3)).toBe('\nIPAddress   LinkLayerAddress  State\n---------   ----------------  -----\n172.29.48.1 00-15-5D-0A-00-00 Reachable\n');
    expect(r.out(4)).toBe('vEthernet (nat)\nLoopback Pseudo-Interface 1\nEthernet');
  });

  it('netstat -ano and Get-NetTCPConnection list host processes, never WinNAT\'s published ports', async () => {
    const r = await run([...NAT, 'listen w3svc tcp/80', 'netstat -ano', 'Get-NetTCPConnection -State Listen']);
    expect(r.out(3)).toMatch(/^  TCP    0\.0\.0\.0:80 {13}0\.0\.0\.0:0 {14}LISTENING {7}\d+$/m);
    expect(r.out(3)).not.toContain(':8080');
    expect(r.out(4)).toMatch(/^0\.0\.0\.0 {29}80 {8}0\.0\.0\.0 {29}0 {10}Listen/m);
  });

  it('Get-NetFirewallRule finds a rule by display name, or says none matched', async () => {
    const r = await run([...NAT, 'New-NetFirewallRule -DisplayName web -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80', 'Get-NetFirewallRule -DisplayName web | Select-Object DisplayName, Direction, Action', 'Get-NetFirewallRule -DisplayName nope']);
    expect(r.out(3)).toContain('web         Inbound   Allow');
    expect(r.err(4)).toBe("Get-NetFirewallRule : No MSFT_NetFirewallRule objects found with property 'DisplayName' equal to 'nope'.  Verify the value of the property and retry.");
  });

  it('Get-VMNetworkAdapter -ManagementOS: one host vNIC per switch that gives the host one', async () => {
    const r = await run([...NAT, 'Get-VMNetworkAdapter -ManagementOS']);
    expect(r.out(2)).toContain('nat  True                  nat        00155D0A0000 {Ok}   {}');
  });

  it('pathping exists on Windows: it says it is not simulated instead of cmd\'s "is not recognized"', async () => {
    const r = await run([...NAT, 'pathping 8.8.8.8']);
    expect(r.err(2)).toMatch(/^pathping: Packet Path does not simulate pathping \(/);
  });

  it('hnsdiag says plainly that its tables are not reproduced; a bad command gets its usage (strontic xcyclopedia capture of hnsdiag.exe)', async () => {
    const r = await run([...NAT, 'hnsdiag list all', 'hnsdiag', 'hnsdiag list frobs']);
    expect(r.ok(2)).toBe(false);
    expect(r.err(2)).toMatch(/no public copy of their layout was found/);
    expect(r.err(3)).toMatch(/^Copyright \(c\) Microsoft Corporation\. All rights reserved\.\n\n {3}hnsdiag <command> <object> \[options \.\.\.\]/);
    expect(r.err(4)).toContain('   Objects\n     All  (only valid when used with list)\n     Endpoints\n     Loadbalancers\n     Namespaces\n     Networks');
  });
});

describe('excluded port ranges', () => {
  it('show, add (administered *), and docker run -p into the range fails with 0x20', async () => {
    const r = await run([...NAT, 'netsh int ipv4 add excludedportrange protocol=tcp startport=50000 numberofports=60', 'netsh int ipv4 show excludedportrange protocol=tcp', 'docker run -d --name w2 -p 50010:80 mcr.microsoft.com/windows/servercore/iis']);
    expect(r.out(3)).toBe('\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n     50000       50059     *\n\n* - Administered port exclusions.\n');
    expect(r.err(4)).toContain('failed to create endpoint w2 on network nat: failed during hnsCallRawResponse: hnsCall failed in Win32: The process cannot access the file because it is being used by another process. (0x20)');
  });

  it('a port a process holds cannot be excluded; the dynamic range shows and changes', async () => {
    const r = await run([...NAT, 'listen sql tcp/1433', 'netsh int ipv4 add excludedportrange protocol=tcp startport=1433 numberofports=1', 'netsh int ipv4 set dynamicport tcp start=10000 num=1000', 'netsh int ipv4 show dynamicport tcp']);
    expect(r.err(3)).toBe('The process cannot access the file because it is being used by another process.');
    expect(r.out(5)).toBe('\nProtocol tcp Dynamic Port Range\n---------------------------------\nStart Port      : 10000\nNumber of Ports : 1000\n');
  });
});

describe('inside a container', () => {
  it('netstat -ano in a container lists what its process listens on: IIS through http.sys, PID 4 (pasted netstat of IIS hosts)', async () => {
    const r = await run([...NAT, 'docker exec web netstat -ano']);
    expect(r.out(2)).toBe('\nActive Connections\n\n  Proto  Local Address          Foreign Address        State           PID\n  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING       4');
  });

  it('powershell -Command runs the pipeline in the container\'s compartment', async () => {
    const r = await run([...NAT, 'docker exec web powershell -Command "Get-NetIPConfiguration"', 'docker exec web powershell -Command "(Get-NetIPAddress).IPAddress"', 'docker exec web powershell -Command "powershell -Command hostname"']);
    expect(r.out(2)).toContain('InterfaceAlias       : vEthernet (Ethernet)');
    expect(r.out(2)).toContain('IPv4DefaultGateway   : 172.29.48.1');
    // Expressions and nested shells are refused (a nested powershell once recursed without end).
    expect(r.err(3)).toMatch(/^powershell: Packet Path runs a pipeline of cmdlets/);
    expect(r.err(4)).toMatch(/does not simulate this command inside a container/);
  });

  it('Invoke-WebRequest: without -UseBasicParsing the IE engine error; with it the response object (Windows-Containers #344, artisticcheese #4)', async () => {
    const r = await run([...NAT, 'docker run -d --name cli mcr.microsoft.com/windows/servercore:ltsc2019',
      'docker exec cli powershell -Command "Invoke-WebRequest http://web/"',
      'docker exec cli powershell -Command "Invoke-WebRequest http://web/ -UseBasicParsing"',
      'docker exec cli powershell -Command "Invoke-WebRequest http://web/ -UseBasicParsing | Select-Object -ExpandProperty Headers"',
      'docker exec cli powershell -Command "Invoke-WebRequest http://web:81/ -UseBasicParsing"',
      'docker exec cli powershell -Command "Invoke-WebRequest http://nope/ -UseBasicParsing"']);
    expect(r.err(3)).toBe("Invoke-WebRequest : The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer's first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.");
    const list = r.out(4).split('\n');
    expect(list.slice(1, 3)).toEqual(['StatusCode        : 200', 'StatusDescription : OK']);
    // Content and RawContent are cut after 200 characters with `...` (pasted list views of nginx's page).
    expect(list[6]).toBe('                    <meta http-equiv="Content-Type" cont...');
    expect(r.out(4)).toContain('Headers           : {[Content-Type, text/html], [Server, Microsoft-IIS/10.0], [Content-Length, 703]}');
    expect(r.out(4)).toContain('RawContentLength  : 703');
    expect(r.out(5)).toBe('\nKey            Value\n---            -----\nContent-Type   text/html\nServer         Microsoft-IIS/10.0\nContent-Length 703\n');
    expect(r.err(6)).toBe('Invoke-WebRequest : Unable to connect to the remote server');
    expect(r.err(7)).toBe("Invoke-WebRequest : The remote name could not be resolved: 'nope'");
  });

  it('Test-NetConnection names the adapter that holds the source address, as ipconfig names it (was the endpoint ID)', async () => {
    // From 1809 a container's adapter is `vEthernet (Ethernet)` (the ipconfig rule of this model); the host's nat vNIC `vEthernet (nat)`.
    const r = await run([...NAT, 'docker exec web powershell -Command "Test-NetConnection 172.29.48.1 -Port 80"', 'Test-NetConnection 172.29.49.190']);
    // The host listens on nothing, so the TCP test fails and a ping follows: the ping rows widen the labels.
    expect(r.out(2)).toContain('InterfaceAlias         : vEthernet (Ethernet)');
    expect(r.out(3)).toContain('InterfaceAlias         : vEthernet (nat)');
  });

  it('Resolve-DnsName asks the embedded DNS: its table with libnetwork\'s TTL 600, or DNS name does not exist', async () => {
    // Resolve-DnsName's table: pasted outputs (Name 46 wide, Type, TTL, Section, IPAddress); libnetwork resolver.go respTTL = 600.
    const r = await run([...NAT, 'docker run -d --name db mcr.microsoft.com/windows/nanoserver', 'docker exec web powershell -Command "Resolve-DnsName db"', 'docker exec web powershell -Command "Resolve-DnsName nope"']);
    expect(r.out(3)).toBe([
      '',
      'Name                                           Type   TTL   Section    IPAddress',
      '----                                           ----   ---   -------    ---------',
      'db                                             A      600   Answer     172.29.58.83',
      '',
    ].join('\n'));
    expect(r.err(4)).toBe('Resolve-DnsName : nope : DNS name does not exist');
  });
});

describe('vfpctrl', () => {
  const L2 = ['host h --os ws2019', 'docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 l2', 'docker run -d --name web --network l2 mcr.microsoft.com/windows/servercore/iis'];
  it('lists the VFP ports with their friendly names: ExternalPort, Container NIC xxxxxxxx, the endpoint', async () => {
    const r = await run([...L2, 'vfpctrl /list-vmswitch-port']);
    const out = r.out(3);
    expect(out.startsWith('\nITEM LIST\n===========\n')).toBe(true);
    expect(out).toMatch(/ {2}Port Friendly name {4}: ExternalPort/);
    expect(out).toMatch(/ {2}Port Friendly name {4}: Container NIC [0-9a-f]{8}/);
    expect(out.trimEnd().endsWith('Command list-vmswitch-port succeeded!')).toBe(true);
  });

  it('lists the ACL rules the plane runs for an endpoint port', async () => {
    const first = await run([...L2, 'vfpctrl /list-vmswitch-port']);
    const port = /Port name {13}: ([0-9A-F-]{36})\n {2}Port Friendly name {4}: [0-9A-F]{8}-/.exec(first.out(3))![1]!;
    const r = await run([...L2, `vfpctrl /port ${port} /layer ACL_ENDPOINT_LAYER /group ACL_ENDPOINT_GROUP_IPV4_IN /list-rule`, 'vfpctrl /port 00000000-0000-0000-0000-000000000000 /list-layer']);
    expect(r.out(3)).toMatch(/ {2}Rule : .+\n {4}Friendly name : .+\n {4}Priority : \d+\n {4}Flags : 1 terminating\n {4}Type : (allow|block)\n {4}Conditions:/);
    expect(r.err(4)).toMatch(/^ERROR: failed to execute command: Element not found\./);
  });

  it('lists the outbound NAT the plane runs for an l2bridge endpoint with enable_outboundnat: the subnet passes, the rest leaves from the host', async () => {
    const NATL2 = ['host h --os ws2019', 'docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.enable_outboundnat=true l2', 'docker run -d --name web --network l2 mcr.microsoft.com/windows/servercore/iis'];
    const first = await run([...NATL2, 'vfpctrl /list-vmswitch-port']);
    const port = /Port name {13}: ([0-9A-F-]{36})\n {2}Port Friendly name {4}: [0-9A-F]{8}-/.exec(first.out(3))![1]!;
    const r = await run([...NATL2, `vfpctrl /port ${port} /list-layer`, `vfpctrl /port ${port} /layer SLB_NAT_LAYER /group SLB_GROUP_NAT_IPv4_OUT /list-rule`]);
    expect(r.out(3).match(/ {2}Layer : \S+/g)).toEqual(['  Layer : SLB_NAT_LAYER', '  Layer : ACL_ENDPOINT_LAYER']);
    expect(r.out(4)).toContain('  Rule : OUTBOUND_NAT_EXCEPTION_0\n    Friendly name : OUTBOUND_NAT_EXCEPTION_0\n    Priority : 100\n    Flags : 1 terminating\n    Type : allow\n    Conditions:\n      Destination IP : 10.0.0.0/24');
    expect(r.out(4)).toContain('    Rule Data:\n      Source NAT to 10.0.0.10 ports 49152-65535');
  });
});
