/**
 * Every command of the seed document (seed/windows-container-networking.zh-CN.md), copied verbatim
 * with its prompt, and what the parser must make of it.
 */
import { describe, expect, test } from 'vitest';
import { parseScript, type Command, type DockerCommand, type PowerShellCommand, type ToolCommand } from '../../src/script/index.js';

function one(src: string): Command {
  const r = parseScript(src);
  expect(r.diagnostics).toEqual([]);
  expect(r.commands).toHaveLength(1);
  return r.commands[0]!;
}
const dockerOf = (src: string) => one(src) as DockerCommand;
const psOf = (src: string) => one(src) as PowerShellCommand;
const pairs = (c: { flags: { name: string; value: string | true }[] }) => c.flags.map((f) => [f.name, f.value]);
const values = (ws: { value: string }[]) => ws.map((w) => w.value);

describe('seed: docker network create examples', () => {
  test('Switch Embedded Teaming: one -o whose value lists both adapters', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet');
    expect(c.path).toEqual(['network', 'create']);
    expect(pairs(c)).toEqual([['driver', 'transparent'], ['opt', 'com.docker.network.windowsshim.interface=Ethernet 2, Ethernet 3']]);
    expect(values(c.args)).toEqual(['TeamedNet']);
    expect(c.line).toBe(1);
    expect(c.span.column).toBe(6);
    expect(c.text).toBe('docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet');
  });

  test('VLAN id', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.vlanid=11 MyTransparentNetwork');
    expect(pairs(c)).toEqual([['driver', 'transparent'], ['opt', 'com.docker.network.windowsshim.vlanid=11']]);
    expect(values(c.args)).toEqual(['MyTransparentNetwork']);
  });

  test('HNS network name', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.networkname=MyTransparentNetwork MyTransparentNetwork');
    expect(pairs(c)).toEqual([['driver', 'transparent'], ['opt', 'com.docker.network.windowsshim.networkname=MyTransparentNetwork']]);
    expect(values(c.args)).toEqual(['MyTransparentNetwork']);
  });

  test('bind to an interface (quoted adapter name)', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" TransparentNet2');
    expect(pairs(c)).toEqual([['driver', 'transparent'], ['opt', 'com.docker.network.windowsshim.interface=Ethernet 2']]);
    expect(values(c.args)).toEqual(['TransparentNet2']);
  });

  test('DNS suffix and servers: two -o, the comma list without spaces kept as is', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.dnssuffix=abc.com -o com.docker.network.windowsshim.dnsservers=4.4.4.4,8.8.8.8 MyTransparentNetwork');
    expect(pairs(c)).toEqual([
      ['driver', 'transparent'],
      ['opt', 'com.docker.network.windowsshim.dnssuffix=abc.com'],
      ['opt', 'com.docker.network.windowsshim.dnsservers=4.4.4.4,8.8.8.8'],
    ]);
  });

  test('multiple transparent networks example', () => {
    const c = dockerOf('C:\\> docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" myTransparent2');
    expect(values(c.args)).toEqual(['myTransparent2']);
  });

  test('static IP: --subnet= and --gateway=, then docker run -it --network= --ip=', () => {
    const n = dockerOf('C:\\> docker network create -d transparent --subnet=10.123.174.0/23 --gateway=10.123.174.1 MyTransparentNet');
    expect(pairs(n)).toEqual([['driver', 'transparent'], ['subnet', '10.123.174.0/23'], ['gateway', '10.123.174.1']]);
    const r = dockerOf('C:\\> docker run -it --network=MyTransparentNet --ip=10.123.174.105 windowsservercore cmd');
    expect(r.path).toEqual(['run']);
    expect(pairs(r)).toEqual([['interactive', true], ['tty', true], ['network', 'MyTransparentNet'], ['ip', '10.123.174.105']]);
    expect(values(r.args)).toEqual(['windowsservercore']);
    expect(values(r.command)).toEqual(['cmd']);
  });

  test('ws2016 NAT partitions (the second one with the seed\'s mismatched gateway parses fine)', () => {
    const a = dockerOf('C:\\> docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1');
    expect(pairs(a)).toEqual([['driver', 'nat'], ['subnet', '172.16.1.0/24'], ['gateway', '172.16.1.1']]);
    const b = dockerOf('C:\\> docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 CustomNat2');
    expect(pairs(b)).toEqual([['driver', 'nat'], ['subnet', '172.16.2.0/24'], ['gateway', '172.16.1.1']]);
    expect(values(b.args)).toEqual(['CustomNat2']);
  });

  test('docker network ls (code block and inline)', () => {
    expect(dockerOf('C:\\> docker network ls').path).toEqual(['network', 'ls']);
    expect(dockerOf('docker network ls').path).toEqual(['network', 'ls']);
  });

  test('placeholder lines fail as they would at a prompt (< is reserved)', () => {
    for (const src of [
      'C:\\> docker network create -d transparent -o com.docker.network.windowsshim.interface=<INTERFACE NAME> <NETWORK NAME> ',
      'docker network create -d <NETWORK DRIVER TYPE> <NAME>',
    ]) {
      const r = parseScript(src);
      expect(r.commands).toEqual([]);
      expect(r.diagnostics.map((d) => d.message)).toEqual(["The '<' operator is reserved for future use."]);
    }
  });
});

describe('seed: PowerShell and tools', () => {
  test('Get-NetCompartment', () => {
    expect(psOf('Get-NetCompartment').pipeline[0]!.name.value).toBe('Get-NetCompartment');
  });

  test('PS C:\\> Get-NetAdapter', () => {
    expect(psOf('PS C:\\> Get-NetAdapter').pipeline[0]!.name.value).toBe('Get-NetAdapter');
  });

  test('Get-Service vfpext', () => {
    expect(values(psOf('Get-Service vfpext').pipeline[0]!.args)).toEqual(['vfpext']);
  });

  test('the VFP check block: comment line, then Get-VMSwitchExtension with a placeholder', () => {
    const r = parseScript('Get-Service vfpext\n\n# This should indicate the extension is Running: True \nGet-VMSwitchExtension  -VMSwitchName <vSwitch Name> -Name "Microsoft Azure VFP Switch Extension"');
    expect(r.commands.map((c) => c.line)).toEqual([1]);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[4, 38, "The '<' operator is reserved for future use."]]);
  });

  test('Get-VMSwitchExtension with a real switch name', () => {
    const c = psOf('Get-VMSwitchExtension  -VMSwitchName nat -Name "Microsoft Azure VFP Switch Extension"');
    expect(pairs(c.pipeline[0]!)).toEqual([['VMSwitchName', 'nat'], ['Name', 'Microsoft Azure VFP Switch Extension']]);
  });

  test('reg delete (IPv6 fix), with the seed\'s double spaces', () => {
    const c = one('C:\\> reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters  /v DisabledComponents  /f') as ToolCommand;
    expect(c.tool).toBe('reg');
    expect(values(c.args)).toEqual(['delete', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters']);
    expect(pairs(c)).toEqual([['v', 'DisabledComponents'], ['f', true]]);
  });

  test('MAC spoofing pipeline', () => {
    const c = psOf('PS C:\\> Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On');
    expect(c.pipeline.map((x) => [x.name.value, pairs(x)])).toEqual([
      ['Get-VMNetworkAdapter', [['VMName', 'ContainerHostVM']]],
      ['Set-VMNetworkAdapter', [['MacAddressSpoofing', 'On']]],
    ]);
  });

  test('restart-service hns / docker (lower case, as in the seed)', () => {
    for (const svc of ['hns', 'docker']) {
      const c = psOf(`PS C:\\> restart-service ${svc}`);
      expect(c.pipeline[0]!.name.value).toBe('restart-service');
      expect(values(c.pipeline[0]!.args)).toEqual([svc]);
    }
  });

  test('PS C:\\> Get-NetNAT (case as in the seed)', () => {
    expect(psOf('PS C:\\> Get-NetNAT').pipeline[0]!.name.value).toBe('Get-NetNAT');
  });
});

describe('seed: the static-IP example block as one script', () => {
  test('comments are skipped, line numbers are the block\'s', () => {
    const block = [
      '# Example: Create a transparent network using static IP assignment',
      '# A network create command for a transparent container network corresponding to the physical network with IP prefix 10.123.174.0/23',
      'C:\\> docker network create -d transparent --subnet=10.123.174.0/23 --gateway=10.123.174.1 MyTransparentNet',
      '# Run a container attached to MyTransparentNet',
      'C:\\> docker run -it --network=MyTransparentNet --ip=10.123.174.105 windowsservercore cmd',
    ].join('\n');
    const r = parseScript(block);
    expect(r.diagnostics).toEqual([]);
    expect(r.commands.map((c) => [c.line, (c as DockerCommand).path])).toEqual([[3, ['network', 'create']], [5, ['run']]]);
  });
});
