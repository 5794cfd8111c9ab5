/**
 * Output formats, compared as whole strings. Each expected text below was reviewed by eye against
 * real outputs quoted in public issues (docker/for-win #196, #294, #4581; moby #29451) and the
 * tools' format definitions (docker/cli tabwriter 10/1/3; PowerShell default views).
 */
import { describe, expect, it } from 'vitest';
import { endpoints, networks } from '../../src/model/index.js';
import { tabwrite } from '../../src/model/docker-format.js';
import { psList, psTable } from '../../src/model/format.js';
import { run, runOk } from './model-helpers.js';

const fixed = 'host h1 --fixed-cidr 172.24.240.0/20\n';

describe('table writers', () => {
  it("Docker's tabwriter pads every column but the last to max(width + 3, 10)", () => {
    expect(tabwrite('NETWORK ID\tNAME\tDRIVER\tSCOPE\n0123456789ab\tnat\tnat\tlocal')).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n0123456789ab   nat       nat       local',
    );
  });

  it('psTable: blank line, header, dashes as long as each label, rows; fixed widths cut with ...', () => {
    expect(psTable([{ label: 'Name', width: 6 }, { label: 'N', width: 3, align: 'right' }, { label: 'Last' }], [['abcdefghij', '7', 'x']])).toBe(
      '\nName     N Last\n----     - ----\nabc...   7 x\n',
    );
  });

  it('psList aligns labels and separates objects with a blank line', () => {
    expect(psList([[['A', '1'], ['Longer', '']], [['A', '2'], ['Longer', 'x']]])).toBe('\nA      : 1\nLonger :\n\nA      : 2\nLonger : x\n');
  });
});

describe('docker CLI output', () => {
  it('docker network ls', () => {
    const r = runOk(`${fixed}docker network create -d nat --subnet 192.168.9.0/24 backend\ndocker network ls`);
    const id = (n: string) => networks(r.world, 'h1').find((x) => x.name === n)!.id.slice(0, 12);
    expect(r.last.output).toBe([
      'NETWORK ID     NAME      DRIVER    SCOPE',
      `${id('backend')}   backend   nat       local`,
      `${id('nat')}   nat       nat       local`,
      `${id('none')}   none      null      local`,
    ].join('\n'));
    expect(run('docker network ls -q', { world: r.world }).last.output.split('\n')).toEqual([id('backend'), id('nat'), id('none')]);
  });

  it('docker ps -a with ports, exposed ports, a stopped container and the truncated quoted command', () => {
    const r = runOk(`${fixed}docker run -d --name web -p 8080:80 --expose 443 mcr.microsoft.com/windows/servercore/iis\ndocker run -d --name db mcr.microsoft.com/windows/nanoserver cmd /c ping -t localhost\ndocker stop db\ndocker ps -a`);
    const [web, db] = r.world.hosts[0]!.containers.map((c) => c.id.slice(0, 12));
    expect(r.last.output).toBe([
      'CONTAINER ID   IMAGE                                      COMMAND                    CREATED         STATUS                       PORTS                           NAMES',
      `${db}   mcr.microsoft.com/windows/nanoserver       "cmd /c ping -t loca…"     2 seconds ago   Exited (1067) 1 second ago                                   db`,
      // DisplayablePorts (docker/cli v20.10.24 formatter/container.go): port groups first, then mappings to another host port.
      `${web}   mcr.microsoft.com/windows/servercore/iis   "c:\\\\windows\\\\system32…"   3 seconds ago   Up 3 seconds                 443/tcp, 0.0.0.0:8080->80/tcp   web`,
    ].join('\n'));
    expect(run('docker ps -q', { world: r.world }).last.output).toBe(web);
  });

  it('docker network inspect nat: Windows fields (driver nat, IPAM driver windows, hnsid/networkname options, classful IPv4Address)', () => {
    const r = runOk(`${fixed}docker run -d --name web img\ndocker network inspect nat`);
    const obj = JSON.parse(r.last.output)[0];
    const ep = endpoints(r.world, 'h1')[0]!;
    const nat = networks(r.world, 'h1')[0]!;
    expect(obj).toEqual({
      Name: 'nat', Id: nat.id, Created: expect.stringMatching(/^2024-01-15T09:00:01(\.\d{1,7})?Z$/), Scope: 'local', Driver: 'nat', EnableIPv6: false,
      IPAM: { Driver: 'windows', Options: null, Config: [{ Subnet: '172.24.240.0/20', Gateway: '172.24.240.1' }] },
      Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false,
      Containers: { [r.world.hosts[0]!.containers[0]!.id]: { Name: 'web', EndpointID: ep.id, MacAddress: ep.mac.toLowerCase().replace(/-/g, ':'), IPv4Address: `${ep.ip}/16`, IPv6Address: '' } },
      Options: { 'com.docker.network.windowsshim.hnsid': nat.hnsId, 'com.docker.network.windowsshim.networkname': 'nat' },
      Labels: {},
    });
    // Docker's four-space indentation
    expect(r.last.output.split('\n').slice(0, 3)).toEqual(['[', '    {', '        "Name": "nat",']);
  });

  it('docker inspect CONTAINER: network settings as Docker on Windows reports them', () => {
    const r = runOk(`${fixed}docker run -d --name web -p 8080:80 img\ndocker inspect web`);
    const o = JSON.parse(r.last.output)[0];
    expect(o.NetworkSettings.Networks.nat).toMatchObject({ Gateway: '172.24.240.1', IPAddress: endpoints(r.world, 'h1')[0]!.ip, IPPrefixLen: 16, IPAMConfig: null });
    expect(o.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] });
    expect(o.HostConfig.Isolation).toBe('process');
    expect(o.Name).toBe('/web');
  });
});

describe('PowerShell and Windows tool output', () => {
  it('Get-NetNat (list view, WinNAT defaults)', () => {
    const r = runOk(`${fixed}docker ps\nGet-NetNat`);
    const name = r.world.hosts[0]!.winnats[0]!.name;
    expect(name).toMatch(/^H[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.last.output).toBe([
      '',
      `Name                             : ${name}`,
      'ExternalIPInterfaceAddressPrefix :',
      'InternalIPInterfaceAddressPrefix : 172.24.240.1/20',
      'IcmpQueryTimeout                 : 30',
      'TcpEstablishedConnectionTimeout  : 1800',
      'TcpTransientConnectionTimeout    : 120',
      'TcpFilteringBehavior             : AddressDependentFiltering',
      'UdpFilteringBehavior             : AddressDependentFiltering',
      'UdpIdleSessionTimeout            : 120',
      'UdpInboundRefresh                : False',
      'Store                            : Local',
      'Active                           : True',
      '',
    ].join('\n'));
  });

  it('Get-VMSwitch (table) and Get-NetAdapter (fixed widths of its format file)', () => {
    const r = runOk('host h1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\ndocker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" ext\nGet-VMSwitch\nGet-NetAdapter');
    expect(r.outcomes[2]!.output).toBe([
      '',
      'Name SwitchType NetAdapterInterfaceDescription',
      '---- ---------- ------------------------------',
      'nat  Internal',
      'ext  External   Intel(R) Ethernet Server Adapter I350-T4 #2',
      '',
    ].join('\n'));
    const natMac = r.world.hosts[0]!.vswitches[0]!.hostVnic!.mac;
    expect(r.last.output).toBe([
      '',
      'Name                      InterfaceDescription                    ifIndex Status       MacAddress             LinkSpeed',
      '----                      --------------------                    ------- ------       ----------             ---------',
      'Ethernet                  Intel(R) Ethernet Server Adapter I35...       3 Up           00-15-5D-00-00-0A         1 Gbps',
      'Ethernet 2                Intel(R) Ethernet Server Adapter I35...       4 Up           00-15-5D-01-00-01         1 Gbps',
      'vEthernet (ext)           Hyper-V Virtual Ethernet Adapter #2           6 Up           00-15-5D-01-00-01        10 Gbps',
      `vEthernet (nat)           Hyper-V Virtual Ethernet Adapter              5 Up           ${natMac}        10 Gbps`,
      '',
    ].join('\n'));
  });

  it('Get-Service vfpext; missing on ws2016 without KB4015217', () => {
    expect(runOk('Get-Service vfpext').last.output).toBe('\nStatus   Name               DisplayName\n------   ----               -----------\nRunning  vfpext             Microsoft Azure VFP Switch Extension\n');
    expect(run('host h --os ws2016 --no-kb4015217\nGet-Service vfpext').last.error).toBe("Get-Service : Cannot find any service with service name 'vfpext'.");
  });

  it('ipconfig inside a container (dotted labels, colon at column 38)', () => {
    const r = runOk(`${fixed}docker run -d --name web img\ndocker exec web ipconfig`);
    const ep = endpoints(r.world, 'h1')[0]!;
    expect(r.last.output).toBe([
      '',
      'Windows IP Configuration',
      '',
      '',
      'Ethernet adapter vEthernet (Ethernet):',
      '',
      '   Connection-specific DNS Suffix  . :',
      `   Link-local IPv6 Address . . . . . : ${r.world.hosts[0]!.endpoints[0]!.linkLocal}%${r.world.hosts[0]!.endpoints[0]!.ifIndex}`,
      `   IPv4 Address. . . . . . . . . . . : ${ep.ip}`,
      '   Subnet Mask . . . . . . . . . . . : 255.255.240.0',
      '   Default Gateway . . . . . . . . . : 172.24.240.1',
      '',
    ].join('\n'));
    expect(run('docker exec web hostname', { world: r.world }).last.output).toBe(r.world.hosts[0]!.containers[0]!.id.slice(0, 12));
  });

  it('before 1809 the container adapter is named after its HNS endpoint', () => {
    const r = runOk('host h --os ws2016\ndocker run -d --name web img\ndocker exec web ipconfig');
    const ep = endpoints(r.world, 'h')[0]!;
    expect(r.last.output).toContain(`Ethernet adapter vEthernet (Container NIC ${ep.hnsId.slice(0, 8).toLowerCase()}):`);
  });

  it('unknown cmdlets fail like PowerShell', () => {
    expect(run('Get-Foo').last.error).toBe("Get-Foo : Packet Path does not simulate this cmdlet. Simulated: Get-NetNat, Get-NetNatStaticMapping, Get-VMSwitch, Get-VMSwitchTeam, Get-NetAdapter, Get-NetCompartment, Get-HnsNetwork, Get-HnsEndpoint, Get-Service, Get-VMSwitchExtension, New-VMSwitch, Remove-VMSwitch, Restart-Service, Stop-Service, Start-Service, Remove-NetNat, New-NetNat, Get-ContainerNetwork, Remove-ContainerNetwork, Set-Content, Get-Content, Restart-Computer, Get-VMNetworkAdapter, Set-VMNetworkAdapter, New-NetFirewallRule, Remove-NetFirewallRule, Test-NetConnection, Get-NetIPAddress, Get-NetIPInterface, Get-NetRoute, Get-NetNeighbor, Get-NetTCPConnection, Get-NetFirewallRule, Get-DnsClientServerAddress, Get-NetIPConfiguration, Resolve-DnsName, Invoke-WebRequest.");
  });
});

describe('Get-NetCompartment', () => {
  it('the default compartment (as Microsoft documents it) and one per running container', () => {
    const r = runOk('docker run -d --name a img\ndocker run -d --name b img\ndocker stop b\nGet-NetCompartment');
    const a = r.world.hosts[0]!.containers[0]!;
    expect(r.last.output).toMatch(new RegExp([
      '^',
      'CompartmentId          : 1',
      'CompartmentDescription : Default Compartment',
      'CompartmentGuid        : \\{b1062982-2b18-4b4f-b3d5-a78ddb9cdd49\\}',
      '',
      `CompartmentId          : ${a.compartmentId}`,
      `CompartmentDescription : \\\\Container_${a.id}`,
      'CompartmentGuid        : \\{[0-9a-f-]{36}\\}',
      '$',
    ].join('\\n')));
  });
});

describe('Get-HnsEndpoint', () => {
  it('ws2022: HNS 15 field order and lower-case GUIDs, as observed', () => {
    const r = runOk('host h --os ws2022 --fixed-cidr 172.19.0.0/20\ndocker run -d --name web img\nGet-HnsEndpoint');
    const ep = endpoints(r.world, 'h')[0]!;
    const nat = networks(r.world, 'h')[0]!;
    const labels = r.last.output.split('\n').filter((l) => l.includes(' : ') || l.endsWith(' :')).map((l) => l.split(' :')[0]!.trim());
    expect(labels).toEqual(['ID', 'Name', 'Version', 'AdditionalParams', 'Resources', 'State', 'VirtualNetwork', 'VirtualNetworkName', 'MacAddress', 'EnableInternalDNS', 'IPAddress', 'PrefixLength', 'GatewayAddress', 'IPSubnetId', 'DNSServerList', 'SharedContainers']);
    expect(r.last.output).toContain(`ID                 : ${ep.hnsId}\nName               : Ethernet\nVersion            : 64424509440\n`);
    expect(ep.hnsId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.last.output).toContain(`VirtualNetwork     : ${nat.hnsId}\nVirtualNetworkName : nat\nMacAddress         : ${ep.mac}\nEnableInternalDNS  : True\nIPAddress          : ${ep.ip}\nPrefixLength       : 20\nGatewayAddress     : 172.19.0.1\n`);
    expect(r.last.output).toContain(`DNSServerList      : 172.19.0.1,10.0.0.1\nSharedContainers   : {${r.world.hosts[0]!.containers[0]!.id}}\n`);
  });

  it('ws2019: the HNS 9.1 JSON keys in alphabetical order, upper-case GUIDs, NAT policies of published ports', () => {
    const r = runOk('docker run -d --name web -p 8080:80 img\nGet-HnsEndpoint');
    const labels = r.last.output.split('\n').filter((l) => / :( |$)/.test(l)).map((l) => l.split(' :')[0]!.trim());
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect(r.last.output).toContain('Policies           : {@{ExternalPort=8080; InternalPort=80; Protocol=TCP; Type=NAT}}\n');
    expect(r.last.output).toContain('Version            : 38654705665\n');
  });
});
