import { describe, it, expect } from 'vitest';
import { complete } from './completions.js';
import { hoverAt } from './hovers.js';
import { definedNames } from './names.js';
import { analyse } from './diagnostics.js';

/** Completion labels at the end of the script's last line (`|` marks the cursor when given). */
function at(text: string): string[] {
  const cursor = text.indexOf('|') >= 0 && !text.includes(' | ') ? text.indexOf('|') : text.length;
  const clean = text.slice(0, cursor) + text.slice(cursor + (cursor < text.length ? 1 : 0));
  const before = clean.slice(0, cursor).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  const names = definedNames(analyse(clean).script, line);
  return complete(clean, line, column, names).map((i) => i.label);
}

const SETUP = `host h1 --os ws2019
docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 tnet
docker run -d --name web --network tnet microsoft/iis
client laptop --ip 10.0.0.50
`;

describe('completions', () => {
  it('offers commands and cmdlets at the start of a line', () => {
    const labels = at('');
    expect(labels).toEqual(expect.arrayContaining(['docker', 'host', 'flood', 'expect-fail', 'Get-NetNat', 'Get-VMSwitch']));
  });

  it('offers docker subcommands, then network subcommands', () => {
    expect(at('docker ')).toEqual(expect.arrayContaining(['network', 'run', 'exec', 'swarm']));
    expect(at('docker network ')).toEqual(expect.arrayContaining(['create', 'ls', 'connect']));
  });

  it('offers the parser\'s flags for docker network create, unsupported ones marked', () => {
    const items = complete('docker network create --', 1, 25, definedNames(null));
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['--subnet', '--gateway', '--driver, -d', '--opt, -o']));
    const internal = items.find((i) => i.label.startsWith('--internal'));
    expect(internal?.detail).toMatch(/not supported on Windows/);
  });

  it('offers driver names after -d, windowsshim keys after -o', () => {
    expect(at('docker network create -d ')).toEqual(['nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel']);
    const opts = complete('docker network create -d nat -o ', 1, 33, definedNames(null));
    expect(opts.map((o) => o.label)).toContain('com.docker.network.windowsshim.vlanid');
    // vlanid applies to transparent and l2bridge only: the item says so for a nat network.
    expect(opts.find((o) => o.label.endsWith('.vlanid'))?.detail).toMatch(/not to nat/);
    expect(at('docker network create -d l2bridge -o com.docker.network.windowsshim.en')).toContain('com.docker.network.windowsshim.enable_outboundnat');
  });

  it('offers the networks, containers and clients defined above the cursor', () => {
    expect(at(SETUP + 'docker run --network ')).toEqual(expect.arrayContaining(['nat', 'none', 'tnet']));
    expect(at(SETUP + 'docker exec ')).toEqual(['web']);
    expect(at(SETUP + 'docker exec web ')).toEqual(expect.arrayContaining(['ping', 'curl', 'nslookup']));
    expect(at(SETUP + 'client laptop curl ')).toContain('http://web/');
    expect(at(SETUP + 'host ')).toEqual(['h1']);
    // A container defined below the cursor is not offered.
    expect(at('docker exec |\n' + SETUP)).toEqual([]);
  });

  it('marks a docker command the run does not simulate, with the run\'s answer', () => {
    const items = complete('docker compose ', 1, 16, definedNames(null));
    expect(items.map((i) => i.label)).toEqual(['up', 'down']);
    expect(items[0]!.detail).not.toMatch(/not simulated/);
    expect(items[1]!.detail).toMatch(/^not simulated — docker compose down/);
    expect(items[1]!.doc).toContain("docker: 'compose down' is not a docker command simulated by Packet Path.");
  });

  it('offers cmdlet parameters with their docs, and enum values after a parameter', () => {
    const params = complete('New-VMSwitch -', 1, 15, definedNames(null));
    expect(params.find((p) => p.label === '-NetAdapterName')?.doc).toMatch(/external/);
    expect(at('Get-VMNetworkAdapter -VMName h1 | Set-VMNetworkAdapter -MacAddressSpoofing ')).toEqual(['On', 'Off']);
  });

  it('offers a tool\'s own options, written as the tool writes them', () => {
    expect(at(SETUP + 'docker exec web ping -')).toEqual(expect.arrayContaining(['-n', '-l', '-w', '-t']));
    expect(at(SETUP + 'docker exec web ipconfig /')).toEqual(expect.arrayContaining(['/all', '/allcompartments']));
    expect(at(SETUP + 'docker exec web curl --')).toEqual(expect.arrayContaining(['--silent', '--max-time']));
    expect(at(SETUP + 'docker exec web netsh advfirewall firewall add rule ')).toEqual(expect.arrayContaining(['name=', 'dir=', 'action=']));
    expect(at(SETUP + 'docker exec web nslookup -')).toContain('-type=');
    expect(at('ping -')).toContain('-n');
    // Before the tool, a dash is still docker exec's own flag.
    expect(at(SETUP + 'docker exec -')).toContain('--interactive, -i');
  });

  it('offers OS profiles and on/off values', () => {
    expect(at('host h2 --os ')).toEqual(['ws2016', 'win10-1703', 'ws1709', 'win10-1803', 'win10-1809', 'ws2019', 'ws2022', 'ws2025']);
    expect(at('host h2 --mac-spoofing ')).toEqual(['on', 'off']);
  });
});

describe('hovers', () => {
  const names = definedNames(analyse(SETUP).script);
  const hover = (text: string, word: string) => {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(word)) + 1;
    return hoverAt(text, line, lines[line - 1].indexOf(word) + 2, names)?.markdown ?? '';
  };

  it('explains a driver option and which drivers it applies to, quoting the seed', () => {
    const t = 'docker network create -d nat -o com.docker.network.windowsshim.vlanid=11 n';
    const md = hover(t, 'com.docker');
    expect(md).toMatch(/Applies to \*\*transparent and l2bridge\*\*/);
    expect(md).toMatch(/does not apply/);
    expect(hover('docker network create -d l2bridge -o com.docker.network.windowsshim.vlanid=11 n', 'com.docker')).not.toMatch(/does not apply/);
  });

  it('says an option is not supported on Windows', () => {
    expect(hover('docker network create --ip-range 10.0.0.0/25 n', '--ip-range')).toMatch(/Not supported on Windows.*windows' ipam driver/s);
    expect(hover('docker run --link db web', '--link')).toMatch(/Not supported on Windows/);
  });

  it('shows the text the run prints for the values on the line', () => {
    const md = hover('docker run --dns-search a.local --dns-search b.local img', '--dns-search b');
    expect(md).toContain('Ignored, with a warning: --dns-search: Windows supports one DNS search domain; only "a.local" is used');
  });

  it('explains a cmdlet parameter', () => {
    expect(hover('Get-VMNetworkAdapter -VMName h1 | Set-VMNetworkAdapter -MacAddressSpoofing On', '-MacAddressSpoofing'))
      .toMatch(/\*\*-MacAddressSpoofing\*\* `Microsoft.HyperV.PowerShell.OnOffState` — parameter of `Set-VMNetworkAdapter`\. On lets the VM/);
  });

  it('explains commands, cmdlets and drivers, and names defined in the script', () => {
    expect(hover('docker network create -d l2bridge x', 'create')).toMatch(/Creates a network/);
    expect(hover('Get-NetNat', 'Get-NetNat')).toMatch(/InternalIPInterfaceAddressPrefix/);
    expect(hover('docker network create -d l2bridge x', 'l2bridge')).toMatch(/MAC rewrite/);
    expect(hover('docker exec web ping 8.8.8.8', 'web')).toMatch(/defined on line 3/);
  });
});
