/** `packet-path why` (issue 11, item 2): the answer as text and JSON, its flags and exit codes. Runs dist/ (npm run build:ts). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pp-why-'));
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/packet-path.js', 'why', ...args], { encoding: 'utf8' });

// Seed tip 3: DHCP on a VM container host needs MAC address spoofing (docs/behaviour.md "Drivers").
const tip3 = join(dir, 'tip3.pp');
writeFileSync(tip3, [
  'host ContainerHostVM --virtualized --mac-spoofing off', 'lan dhcp 10.0.0.100-10.0.0.200', 'client laptop --ip 10.0.0.50',
  'docker network create -d transparent MyDhcpNet', 'docker run -d --name web --network MyDhcpNet microsoft/iis', 'expect client laptop ping 10.0.0.100',
].join('\n'));

describe('packet-path why', () => {
  it('prints the cause chain, the evidence and the verified fix', () => {
    const p = cli(tip3);
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('Why line 6 failed: client laptop ping 10.0.0.100');
    expect(p.stdout).toMatch(/3\. line 1: ContainerHostVM is a VM with MAC address spoofing off/);
    expect(p.stdout).toContain('Verified fixes');
    expect(p.stdout).toContain('+ before line 6: Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On');
  });

  it('--json prints the typed result', () => {
    const p = cli(tip3, '--json', '--line', '6');
    expect(p.status).toBe(0);
    const r = JSON.parse(p.stdout);
    expect(r.status).toBe('explained');
    expect(r.rule).toBe('tip03-dhcp-mac-spoofing');
    expect(r.fixes[0].verified).toBe(true);
    expect(r.fixes[0].edits[0]).toEqual({ kind: 'insert', before: 6, lines: ['Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On'] });
  });

  it('--from/--to/--port probes (SPEC §1: no NAT loopback on ws2016)', () => {
    const f = join(dir, 'hairpin.pp');
    writeFileSync(f, 'host host1 --os ws2016 --ip 10.0.0.10/24\ndocker run -d --name web -p 8080:80 microsoft/iis\n');
    const p = cli(f, '--from', 'host1', '--to', '10.0.0.10', '--port', 'tcp/8080');
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('WinNAT on ws2016 does not hair-pin');
  });

  it('refuses a half probe, a bad line and a missing file with status 2', () => {
    expect(cli(tip3, '--from', 'laptop').status).toBe(2);
    expect(cli(tip3, '--line', 'x').status).toBe(2);
    expect(cli(tip3, '--line', '6', '--from', 'a', '--to', 'b').status).toBe(2);
    const missing = cli(join(dir, 'nope.pp'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('packet-path why: cannot read');
    const none = cli(tip3, '--from', 'nobody', '--to', 'web');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('source is named nobody');
  });

  it('says when there is nothing to explain', () => {
    const f = join(dir, 'fine.pp');
    writeFileSync(f, 'expect docker network ls\n');
    const p = cli(f);
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('Nothing to explain: every step succeeded');
  });
});
