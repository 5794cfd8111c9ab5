/**
 * `importHost`: real outputs pasted in public issues (tests/fixtures/import/, each file's header
 * names its source) → a script that rebuilds the host, which runs to a world with those objects;
 * and Packet Path's own outputs of an example's run → a script that runs to the same world.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScript } from '../../src/script/parser.js';
import { runScript } from '../../src/index.js';
import { importHost } from '../../src/import/index.js';
import { STAND_IN_IMAGE } from '../../src/import/script.js';
import { main } from '../../src/cli/main.js';
import { parseIpconfig, parseList, parseTable, readJson } from '../../src/import/text.js';
import type { HostSnapshot, RunResult } from '../../src/result.js';

const DIR = new URL('../fixtures/import/', import.meta.url);

/** A fixture's pasted text: everything after its header (the `#` lines up to the first blank line). */
function fixture(name: string): string {
  const text = readFileSync(new URL(name, DIR), 'utf8');
  return text.slice(text.indexOf('\n\n') + 2);
}

/** Runs a script; every step must succeed. Returns the host as the run left it. */
async function rebuild(script: string): Promise<{ result: RunResult; host: HostSnapshot }> {
  const result = await runScript(script, { seed: 1, snapshots: true });
  const failed = result.steps.filter((s) => !s.ok).map((s) => `line ${s.line}: ${s.command}\n${s.error}`);
  expect(failed).toEqual([]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const host = result.snapshots!.at(-1)!.hosts[0]!;
  return { result, host };
}

/** The examples on one host (an import rebuilds one host: a multi-host run is one import per host). */
const EXAMPLES = new URL('../../examples/', import.meta.url);
const ROUND_TRIP = readdirSync(EXAMPLES).filter((f) => f.endsWith('.pp')).filter((f) => {
  const hosts = readFileSync(new URL(f, EXAMPLES), 'utf8').match(/^host [\w.-]+/gm) ?? [];
  return new Set(hosts).size <= 1;
});

const lines = (script: string) => script.split('\n').filter((l) => l && !l.startsWith('#'));

describe('real outputs pasted in public issues', () => {
  it('has at least ten fixtures, each naming its source', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(readFileSync(new URL(f, DIR), 'utf8')).toMatch(/^# Source: https:\/\/github\.com\//);
  });

  it('docker network inspect of a nat network (moby/moby#50924): subnet and gateway', async () => {
    const r = importHost(fixture('moby-50924-network-inspect-nat.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['docker network inspect']);
    expect(lines(r.script)).toContain('docker network create -d nat --subnet=172.22.240.0/27 --gateway=172.22.240.1 testname');
    const { host } = await rebuild(r.script);
    expect(host.networks.find((n) => n.name === 'testname')).toMatchObject({ driver: 'nat', subnet: '172.22.240.0/27', gateway: '172.22.240.1' });
  });

  it('a cut-off docker network inspect of a DHCP transparent network (moby/moby#30342): the network and its container with its MAC', async () => {
    const r = importHost(fixture('moby-30342-network-inspect-transparent.txt'));
    expect(r.unmapped.some((u) => /cut off/.test(u))).toBe(true);
    // Subnet 0.0.0.0/0 is Docker's way of saying "none": DHCP, so no --subnet.
    expect(lines(r.script)).toContain('docker network create -d transparent TransparentNetwork1');
    expect(r.script).toMatch(/docker run -d --name sharp_jackson --network TransparentNetwork1 --mac-address 00-15-5D-50-D8-A1 /);
    const { host } = await rebuild(r.script);
    expect(host.networks.find((n) => n.name === 'TransparentNetwork1')?.driver).toBe('transparent');
    expect(host.endpoints.find((e) => e.container === 'sharp_jackson')?.mac).toBe('00-15-5D-50-D8-A1');
  });

  it('docker network ls in cmd.exe (MicrosoftDocs/Virtualization-Documentation#409): nat and none are Docker\'s own', async () => {
    const r = importHost(fixture('virtdocs-409-network-ls.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['docker network ls']);
    // Nothing to create; one docker command starts the engine, which makes both.
    expect(lines(r.script).filter((l) => l.startsWith('docker'))).toEqual(['docker network ls']);
    const { result, host } = await rebuild(r.script);
    expect(host.networks.map((n) => n.name)).toEqual(['nat']);
    expect(result.steps.at(-1)!.output).toMatch(/\bnone\s+null\s+local/);
  });

  it('a cut-off docker inspect (docker/for-win#1835): the container by its name, running', async () => {
    const r = importHost(fixture('for-win-1835-docker-inspect.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['docker inspect']);
    expect(r.script).toMatch(/^docker run -d --name zealous_lovelace /m);
    expect(r.unmapped.some((u) => /zealous_lovelace: image not shown/.test(u))).toBe(true);
    const { host } = await rebuild(r.script);
    expect(host.endpoints.find((e) => e.container === 'zealous_lovelace')?.state).toBe('running');
  });

  it('Get-VMSwitch as a table whose columns the paste misaligned, and Get-NetNat (docker/for-win#196)', async () => {
    const r = importHost(fixture('for-win-196-vmswitch-netnat.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['Get-VMSwitch', 'Get-NetNat']);
    const ls = lines(r.script);
    // The nat prefix WinNAT shows (gateway form 172.31.0.1/20) is the default nat network's.
    expect(ls[0]).toContain('--fixed-cidr 172.31.0.0/20');
    expect(ls).toContain('New-VMSwitch -Name "Windows Phone Emulator Internal Switch" -SwitchType Internal');
    expect(ls).toContain('New-VMSwitch -Name "New HNS Switch" -SwitchType Private');
    // Docker's engine makes the nat switch itself; the external switch's adapter name is unknown.
    expect(ls.some((l) => /-Name nat\b/.test(l))).toBe(false);
    expect(r.unmapped.some((u) => /external vSwitch "External"/.test(u))).toBe(true);
    const { host } = await rebuild(r.script + 'docker network ls\n');
    expect(host.vSwitches.map((s) => [s.name, s.type])).toEqual(expect.arrayContaining([['Windows Phone Emulator Internal Switch', 'Internal'], ['New HNS Switch', 'Private']]));
    expect(host.networks.find((n) => n.name === 'nat')?.subnet).toBe('172.31.0.0/20');
  });

  it('Get-VMSwitch | fl (docker/for-win#294): the nat switch is Docker\'s, nothing to add', () => {
    const r = importHost(fixture('for-win-294-vmswitch-fl.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['Get-VMSwitch']);
    expect(lines(r.script)).toEqual(['host host1 --os ws2019']);
  });

  it('Get-NetAdapter (docker/for-win#4581): the adapter with its MAC, and the external switch its vNIC implies', async () => {
    const r = importHost(fixture('for-win-4581-netadapter.txt'));
    const ls = lines(r.script);
    expect(ls[0]).toBe('host host1 --os ws2019 --nic PROD --mac B4-96-91-51-E9-04');
    expect(ls).toContain('New-VMSwitch -Name prodSwitch -NetAdapterName PROD');
    const { host } = await rebuild(r.script);
    expect(host.nics.find((n) => n.name === 'PROD')?.mac).toBe('B4-96-91-51-E9-04');
    expect(host.vSwitches.find((s) => s.name === 'prodSwitch')).toMatchObject({ type: 'External', nics: ['PROD'] });
  });

  it('ipconfig /all of a Windows Server 2016 VM (docker/for-win#750): host name, address, mask, MAC, gateway', async () => {
    const r = importHost(fixture('for-win-750-ipconfig.txt'));
    expect(lines(r.script)[0]).toBe('host dnvappcntnr1 --os ws2019 --nic Ethernet --ip 10.44.129.133/24 --mac 00-50-56-AA-5A-64 --gateway 10.44.129.252');
    const { host } = await rebuild(r.script);
    expect(host.nics[0]).toMatchObject({ name: 'Ethernet', ip: '10.44.129.133/24', mac: '00-50-56-AA-5A-64' });
  });

  it('ipconfig /all with a redacted MAC and an IPv6 gateway listed first (docker/for-win#7179)', async () => {
    const r = importHost(fixture('for-win-7179-ipconfig.txt'));
    expect(lines(r.script)[0]).toBe('host bol-3pyr3z2 --os ws2019 --nic Ethernet --ip 10.250.44.10/16 --gateway 10.250.0.1');
    const { host } = await rebuild(r.script);
    expect(host.nics[0]!.ip).toBe('10.250.44.10/16');
  });

  it('Get-HNSNetwork list view with wrapped values, cut before Subnets (microsoft/SDN#582): the nat network from NatName', () => {
    const r = importHost(fixture('sdn-582-get-hnsnetwork.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['Get-HnsNetwork']);
    // The nat network is Docker's default: nothing to create; its HNS VLAN policy is not rebuilt.
    expect(lines(r.script)).toEqual(['host host1 --os ws2019', 'docker network ls']);
    expect(r.unmapped.some((u) => /VLAN policy 1/.test(u))).toBe(true);
  });

  it('Get-HnsNetwork list view with a localized extension name and a cut Subnets value (projectcalico/calico#8465)', async () => {
    const r = importHost(fixture('calico-8465-get-hnsnetwork.txt'));
    expect(lines(r.script)[0]).toBe('host host1 --os ws2019 --fixed-cidr 172.29.144.0/20');
    const { host } = await rebuild(r.script);
    expect(host.networks.find((n) => n.name === 'nat')).toMatchObject({ subnet: '172.29.144.0/20', gateway: '172.29.144.1' });
  });

  it('Get-HnsEndpoint list view (microsoft/Windows-Containers#563): the endpoint\'s address, MAC and its nat network\'s prefix', async () => {
    const r = importHost(fixture('wincontainers-563-get-hnsendpoint.txt'));
    const ls = lines(r.script);
    expect(ls[0]).toBe('host host1 --os ws2019 --fixed-cidr 172.27.144.0/20');
    expect(ls[1]).toMatch(/^docker run -d --name ep-5e6298c2 --network nat --ip 172\.27\.148\.101 --mac-address 00-15-5D-CD-BE-47 /);
    expect(r.unmapped.some((u) => /ep-5e6298c2/.test(u))).toBe(true);
    const { host } = await rebuild(r.script);
    expect(host.endpoints[0]).toMatchObject({ container: 'ep-5e6298c2', ip: '172.27.148.101', mac: '00-15-5D-CD-BE-47' });
  });

  it('a whole session on a 1809 VM (pjh/SDN): docker network ls, Get-HnsNetwork, Get-NetAdapter, an HNS-only L2Bridge network', async () => {
    const r = importHost(fixture('sdn-pjh-1809-session.txt'));
    expect([...new Set(r.sources.map((s) => s.kind))]).toEqual(['docker network ls', 'Get-HnsNetwork', 'Get-NetAdapter']);
    const ls = lines(r.script);
    expect(ls[0]).toBe('host host1 --os ws2019 --nic Ethernet --mac 42-01-0A-8A-00-05 --fixed-cidr 172.24.144.0/20');
    expect(ls).toContain('docker network create -d l2bridge --subnet=192.168.255.0/30 --gateway=192.168.255.1 External');
    expect(r.unmapped.some((u) => /External was seen only by HNS/.test(u))).toBe(true);
    expect(r.unmapped.some((u) => /netsh interface ipv4 show subinterfaces/.test(u))).toBe(true);
    expect(r.unmapped).toContain('adapter "Ethernet": no IPv4 address shown (ipconfig /all shows it); rebuilt without one');
    const { host } = await rebuild(r.script);
    expect(host.networks.find((n) => n.name === 'External')).toMatchObject({ driver: 'l2bridge', subnet: '192.168.255.0/30' });
    expect(host.networks.find((n) => n.name === 'nat')?.subnet).toBe('172.24.144.0/20');
  });

  it('a remoting session\'s prompts name the hosts: outputs of several hosts are said to be merged', () => {
    const ls = 'NETWORK ID     NAME      DRIVER    SCOPE\n8013294796b9   nat       nat       local\n';
    const r = importHost(`[web1]: PS C:\\> docker network ls\n${ls}\n[web2]: PS C:\\> docker network ls\n${ls}`);
    expect(r.sources.map((s) => s.command)).toEqual(['docker network ls', 'docker network ls']);
    expect(r.unmapped).toContain('the outputs come from 2 hosts (web1, web2) and were merged into one; import one host\'s outputs at a time');
  });

  it('New-HNSNetwork -Verbose (pjh/SDN session): HNS\'s compressed JSON as the console wrapped it, and the list view of the same network', async () => {
    const r = importHost(fixture('sdn-pjh-1809-new-hnsnetwork.txt'));
    expect(r.sources.map((s) => s.kind)).toEqual(['Get-HnsNetwork', 'Get-HnsNetwork']);
    expect(r.sources[0]!.command).toBe('New-HNSNetwork -Type "L2Bridge" -AddressPrefix "192.168.255.0/30" -Gateway "192.168.255.1" -Name "External" -Verbose');
    expect(r.unmapped.some((u) => /its lines were wrapped by the console and were joined/.test(u))).toBe(true);
    expect(r.unmapped.some((u) => /not recognised as an output Packet Path reads \("VERBOSE: Invoke-HNSRequest/.test(u))).toBe(true);
    // One network, whichever output named it (the HNS ID joins them).
    expect(lines(r.script).filter((l) => l.startsWith('docker network create'))).toEqual(['docker network create -d l2bridge --subnet=192.168.255.0/30 --gateway=192.168.255.1 External']);
    const { host } = await rebuild(r.script);
    expect(host.networks.find((n) => n.name === 'External')?.driver).toBe('l2bridge');
  });

  it('several outputs in one paste merge into one host', async () => {
    const r = importHost([fixture('for-win-750-ipconfig.txt'), fixture('moby-50924-network-inspect-nat.txt'), fixture('wincontainers-563-get-hnsendpoint.txt')].join('\n'));
    const ls = lines(r.script);
    expect(ls[0]).toBe('host dnvappcntnr1 --os ws2019 --nic Ethernet --ip 10.44.129.133/24 --mac 00-50-56-AA-5A-64 --gateway 10.44.129.252 --fixed-cidr 172.27.144.0/20');
    const { host } = await rebuild(r.script);
    expect(host.networks.map((n) => n.name).sort()).toEqual(['nat', 'testname']);
    expect(host.endpoints.map((e) => e.ip)).toEqual(['172.27.148.101']);
  });
});

describe('the readers', () => {
  it('reads a Format-List record with wrapped values and irregular colons', () => {
    expect(parseList('Name      : nat\nExtensions : {@{A=1},\n             @{B=2}}\nEmpty :\n\nName : other')).toEqual([
      { Name: 'nat', Extensions: '{@{A=1}, @{B=2}}', Empty: '' }, { Name: 'other' },
    ]);
  });

  it('reads a table by its dash columns, right-aligned numbers included', () => {
    const t = parseTable('Name   ifIndex Status\n----   ------- ------\nEth 1        6 Up\n');
    expect(t.rows).toEqual([{ Name: 'Eth 1', ifIndex: '6', Status: 'Up' }]);
  });

  it('reads ipconfig values continued on the next line', () => {
    const ic = parseIpconfig('Windows IP Configuration\n\n   Host Name . . . : H\n\nEthernet adapter E 2:\n\n   DNS Servers . . . : 1.1.1.1\n                       8.8.8.8\n');
    expect(ic).toEqual({ hostName: 'H', adapters: [{ kind: 'Ethernet adapter', name: 'E 2', fields: { 'DNS Servers': ['1.1.1.1', '8.8.8.8'] } }] });
  });

  it('mends cut-off JSON and JSON a console wrapped, and refuses what is neither', () => {
    expect(readJson('[{"a": 1, "b": {"c": "x"')).toEqual({ value: [{ a: 1, b: { c: 'x' } }], mended: 'it was cut off; what it showed was read' });
    expect(readJson('[{"a": 1, "b": "cut her')!.value).toEqual([{ a: 1 }]);
    expect(readJson('{"Name":"Ext\nernal"}')).toEqual({ value: { Name: 'External' }, mended: 'its lines were wrapped by the console and were joined' });
    expect(readJson('{"a": }')).toBeNull();
  });

  it('reads Get-HnsEndpoint | ConvertTo-Json: address, MAC, network, NAT port mappings', () => {
    // Field names as Windows-Containers#563's Get-HnsEndpoint shows them; the NAT policy as hcsshim's
    // NatPolicy (hnspolicy.go: Type "NAT", Protocol, InternalPort, ExternalPort) marshals it.
    const json = JSON.stringify({
      ID: '5e6298c2-4638-494e-be6b-ff6fef942c06', VirtualNetwork: '76177bd4-a2b5-43a6-9cb8-a37d9d903123', VirtualNetworkName: 'nat',
      MacAddress: '00-15-5D-CD-BE-47', IPAddress: '172.27.148.101', PrefixLength: 20, GatewayAddress: '172.27.144.1',
      Policies: [{ Type: 'NAT', Protocol: 'TCP', InternalPort: 80, ExternalPort: 8080 }, { Type: 'NAT', Protocol: 'UDP', InternalPort: 53, ExternalPort: 5353 }],
    }, null, 4);
    const r = importHost(`PS C:\\> Get-HnsEndpoint | ConvertTo-Json\n${json}\n`);
    expect(r.sources.map((s) => s.kind)).toEqual(['Get-HnsEndpoint']);
    expect(lines(r.script)[1]).toBe(`docker run -d --name ep-5e6298c2 --network nat --ip 172.27.148.101 --mac-address 00-15-5D-CD-BE-47 -p 8080:80 -p 5353:53/udp ${STAND_IN_IMAGE}`);
  });

  it('joins an HNS endpoint to its container by address, by MAC only when the container showed no address', () => {
    const ep = (id: string, ip: string, m: string) => ({ ID: id, VirtualNetworkName: 'nat', VirtualNetwork: '76177bd4-a2b5-43a6-9cb8-a37d9d903123', IPAddress: ip, MacAddress: m, PrefixLength: 20, GatewayAddress: '172.27.144.1' });
    const r = importHost(JSON.stringify([ep('aaaaaaaa-0000', '172.27.144.2', '00-15-5D-00-00-01'), ep('bbbbbbbb-0000', '172.27.144.3', '00-15-5D-00-00-01')]));
    expect(lines(r.script).filter((l) => l.startsWith('docker run')).map((l) => l.split(' ')[4])).toEqual(['ep-aaaaaaaa', 'ep-bbbbbbbb']);
  });

  it('refuses a paste over the size limit with the limit named', () => {
    expect(() => importHost('x'.repeat((8 << 20) + 1))).toThrow(/reads up to 8 MiB/);
  });
});

/** What a world is, for the round trip: NICs, vSwitches, networks, endpoints (IDs aside: they are the run's own). */
function shape(h: HostSnapshot) {
  // The overlay's VNI is compared as vni (the import passes it as vxlanid_list to keep it).
  const options = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([k]) => !/windowsshim\.(hnsid|networkname)$|overlay\.vxlanid_list$/.test(k)));
  // An APIPA address is drawn at random when no DHCP server answers: the import says it cannot keep it.
  const ip = (a: string | null) => (a?.startsWith('169.254.') ? 'APIPA' : a);
  return {
    os: h.os,
    nics: h.nics.map((n) => ({ name: n.name, ip: n.ip, mac: n.mac })),
    vSwitches: h.vSwitches.map((s) => ({ name: s.name, type: s.type, nics: s.nics })).sort((a, b) => a.name.localeCompare(b.name)),
    networks: h.networks.map((n) => ({ name: n.name, driver: n.driver, subnet: n.subnet, gateway: n.gateway, vlan: n.vlan, vni: n.vni, options: options(n.options) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    endpoints: h.endpoints.map((e) => ({ container: e.container, network: h.networks.find((n) => n.id === e.network)?.name ?? e.network, ip: ip(e.ip), mac: e.mac, state: e.state, ports: e.ports }))
      .sort((a, b) => a.container.localeCompare(b.container) || a.network.localeCompare(b.network)),
  };
}

/** Runs an example, then the commands a user would paste the outputs of; returns those outputs as a session. */
async function outputsOf(script: string): Promise<{ session: string; host: HostSnapshot }> {
  const first = await runScript(script, { seed: 1, snapshots: true });
  const host = first.snapshots!.at(-1)!.hosts[0]!;
  const nets = host.networks.map((n) => n.name).join(' ');
  const containers = [...new Set(host.endpoints.map((e) => e.container))].join(' ');
  const diag = [
    'docker info', 'docker network ls', ...(nets ? [`docker network inspect ${nets}`] : []), ...(containers ? [`docker inspect ${containers}`] : []),
    'Get-HnsNetwork', 'Get-HnsEndpoint', 'ipconfig /all', 'Get-NetNat', 'Get-VMSwitch | Format-List', 'Get-NetAdapter',
  ];
  const run = await runScript(`${script}\n${diag.join('\n')}\n`, { seed: 1 });
  const steps = run.steps.slice(-diag.length);
  const session = steps.map((s) => `PS C:\\> ${s.command}\n${s.ok ? s.output : s.error ?? ''}\n`).join('\n');
  return { session, host };
}

describe('round trip: importing Packet Path\'s own outputs of a run rebuilds the same world', () => {
  it('covers most examples', () => expect(ROUND_TRIP.length).toBeGreaterThanOrEqual(35));
  for (const name of ROUND_TRIP) {
    it(name, async () => {
      const script = readFileSync(new URL(name, EXAMPLES), 'utf8');
      const { session, host } = await outputsOf(script);
      const r = importHost(session);
      const again = await rebuild(r.script);
      expect(shape(again.host)).toEqual(shape(host));
      for (const e of host.endpoints.filter((x) => x.ip?.startsWith('169.254.')))
        expect(r.unmapped).toContain(`container ${e.container}: ${e.ip} is an APIPA address (no DHCP answer on the real host); the rebuilt host draws its own`);
    });
  }
});

describe('packet-path import (CLI)', () => {
  const call = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (s) => (out.push(s), true), (s) => (err.push(s), true));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const file = (name: string) => new URL(name, DIR).pathname;

  it('prints the script rebuilt from several files, and writes it with -o', async () => {
    const r = await call(['import', file('for-win-750-ipconfig.txt'), file('moby-50924-network-inspect-nat.txt')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^host dnvappcntnr1 .*--ip 10\.44\.129\.133\/24/m);
    expect(r.out).toMatch(/^docker network create -d nat --subnet=172\.22\.240\.0\/27 --gateway=172\.22\.240\.1 testname$/m);
    const dir = mkdtempSync(join(tmpdir(), 'pp-import-'));
    const w = await call(['import', '-o', join(dir, 'host.pp'), file('moby-50924-network-inspect-nat.txt')]);
    expect(w.code).toBe(0);
    expect(readFileSync(join(dir, 'host.pp'), 'utf8')).toContain('testname');
    expect(w.err).toMatch(/wrote .*host\.pp \(1 outputs read/);
  });

  it('--json gives script, unmapped and sources', async () => {
    const r = await call(['import', '--json', file('wincontainers-563-get-hnsendpoint.txt')]);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc).sort()).toEqual(['script', 'sources', 'unmapped']);
    expect(doc.sources[0]).toMatchObject({ kind: 'Get-HnsEndpoint', input: 0, command: 'Get-HnsEndpoint | ? ID -like "5e6298c2-4638-494e-be6b-ff6fef942c06"' });
  });

  it('exits 1 when nothing was recognised, 2 when a file cannot be read or none is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-import-'));
    writeFileSync(join(dir, 'x.txt'), 'hello\n');
    const none = await call(['import', join(dir, 'x.txt')]);
    expect(none.code).toBe(1);
    expect(none.out).toContain('# Not mapped:\n#   - line 1: 1 line(s) not recognised as an output Packet Path reads ("hello")');
    expect((await call(['import', join(dir, 'missing.txt')])).code).toBe(2);
    expect((await call(['import', dir])).err).toMatch(/not a regular file/);
    expect((await call(['import'])).code).toBe(2);
  });
});

describe('whatever is pasted', () => {
  it('never throws, and the script it writes always parses', () => {
    const bits = ['PS C:\\> Get-NetAdapter\n', 'Name : x\n', '{"Name": ', '[', ']', '}', '"IPAM": {', 'NETWORK ID  NAME  DRIVER  SCOPE\n', '----\n', 'Windows IP Configuration\n',
      'Ethernet adapter E:\n', '   IPv4 Address. . . : 10.0.0.1\n', ' : ', '\n\n', '```\n', '@{A=1', 'VirtualNetwork : x\n'];
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(...bits), fc.string({ maxLength: 12 })), { maxLength: 40 }), (parts) => {
      const r = importHost(parts.join(''));
      expect(parseScript(r.script).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }), { numRuns: 300 });
  });

  it('names with spaces, quotes and symbols are quoted so the script reads them back', () => {
    // Printable ASCII; not starting with `-`, which the docker command line reads as a flag.
    const name = fc.string({ minLength: 1, maxLength: 16 }).filter((s) => s.trim() === s && /^[\x20-\x7e]+$/.test(s) && !s.startsWith('-'));
    // Docker splits the interface option at commas (a team of adapters): an adapter name holds none.
    fc.assert(fc.property(name, name.filter((s) => !s.includes(',')), (net, nic) => {
      const inspect = JSON.stringify([{ Name: net, Id: 'ab'.repeat(32), Driver: 'transparent', IPAM: { Config: [{ Subnet: '10.0.0.0/24', Gateway: '10.0.0.1' }] },
        Options: { 'com.docker.network.windowsshim.interface': nic } }]);
      const r = importHost(inspect);
      const script = parseScript(r.script);
      expect(script.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const create = script.commands.find((c) => c.kind === 'docker' && c.path.join(' ') === 'network create');
      if (!create || create.kind !== 'docker') throw new Error(`no network create in ${r.script}`);
      expect(create.args.map((a) => a.value)).toEqual([net]);
      expect(create.flags.find((f) => f.name === 'opt')?.value).toBe(`com.docker.network.windowsshim.interface=${nic}`);
    }), { numRuns: 300 });
  });
});
