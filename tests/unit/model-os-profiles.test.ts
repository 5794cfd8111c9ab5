/**
 * The OS profiles after the seed (issue 9, item 1): Windows 10 1803 and 1809 with Docker
 * Desktop's engine, Windows Server 2025. Every expectation names the public output it follows.
 */
import { describe, expect, it } from 'vitest';
import { OS_NAMES, osProfile } from '../../src/model/os.js';
import { OS_PROFILES } from '../../src/script/sim.js';
import { runOk } from './model-helpers.js';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';

describe('OS profiles', () => {
  it('the parser offers every profile the model has, in the same order', () => {
    expect([...OS_PROFILES]).toEqual([...OS_NAMES]);
  });

  it('win10-1803 runs Docker for Windows 18.03.1-ce: docker version as pasted in docker/for-win #1960', () => {
    const r = runOk('host dev --os win10-1803\ndocker version');
    expect(r.last.output).toBe([
      'Client:',
      ' Version:      18.03.1-ce',
      ' API version:  1.37',
      ' Go version:   go1.9.5',
      ' Git commit:   9ee9f40',
      ' Built:        Thu Apr 26 07:12:48 2018',
      ' OS/Arch:      windows/amd64',
      ' Experimental: false',
      ' Orchestrator: swarm',
      '',
      'Server:',
      ' Engine:',
      '  Version:      18.03.1-ce',
      '  API version:  1.37 (minimum version 1.24)',
      '  Go version:   go1.9.5',
      '  Git commit:   9ee9f40',
      '  Built:        Thu Apr 26 07:21:42 2018',
      '  OS/Arch:      windows/amd64',
      '  Experimental: false',
    ].join('\n'));
  });

  it('win10-1809 runs Docker Desktop 2.0.0.x (engine 18.09.2): docker version as pasted in docker/for-win #3797', () => {
    const r = runOk('host dev --os win10-1809\ndocker version');
    expect(r.last.output).toBe([
      'Client: Docker Engine - Community',
      ' Version:           18.09.2',
      ' API version:       1.39',
      ' Go version:        go1.10.8',
      ' Git commit:        6247962',
      ' Built:             Sun Feb 10 04:12:31 2019',
      ' OS/Arch:           windows/amd64',
      ' Experimental:      false',
      '',
      'Server: Docker Engine - Community',
      ' Engine:',
      '  Version:          18.09.2',
      '  API version:      1.39 (minimum version 1.24)',
      '  Go version:       go1.10.6',
      '  Git commit:       6247962',
      '  Built:            Sun Feb 10 04:28:48 2019',
      '  OS/Arch:          windows/amd64',
      '  Experimental:     false',
    ].join('\n'));
  });

  it('docker info before 19.03 has no Client/Server split (real 18.06 output on Windows 10 1803)', () => {
    const out = runOk('host dev --os win10-1803\ndocker info').last.output.split('\n');
    expect(out.slice(0, 6)).toEqual(['Containers: 0', ' Running: 0', ' Paused: 0', ' Stopped: 0', 'Images: 1', 'Server Version: 18.03.1-ce']);
    expect(out).toContain(' Network: ics l2bridge l2tunnel nat null overlay transparent');
    expect(out).toContain('Default Isolation: hyperv');
    expect(out).toContain('Kernel Version: 10.0 17134 (17134.1.amd64fre.rs4_release.180410-1804)');
    expect(out).toContain('Operating System: Windows 10 Pro Version 1803 (OS Build 17134)');
    expect(out.slice(-3)).toEqual(['Insecure Registries:', ' 127.0.0.0/8', 'Live Restore Enabled: false']);
  });

  it('docker info on ws2025 names the release and kernel as Docker prints them on build 26100 (public docker info outputs)', () => {
    const out = runOk('host srv --os ws2025\ndocker info').last.output.split('\n');
    expect(out[0]).toBe('Client:');
    expect(out).toContain(' Kernel Version: 10.0 26100 (26100.1.amd64fre.ge_release.240331-1435)');
    expect(out).toContain(' Operating System: Windows Server 2025 Datacenter Version 24H2 (OS Build 26100)');
    expect(out).toContain(' Default Isolation: process');
  });

  it('Get-NetNat is empty on Windows 10 1803/1809 (HNS NATs through ICS: docker/for-win #4201 on 17134, Virtualization-Documentation #986 on 1809)', () => {
    for (const os of ['win10-1803', 'win10-1809']) {
      const r = runOk(`host dev --os ${os}\ndocker run -d --name web -p 8080:80 img\nGet-NetNat\nGet-NetNatStaticMapping`);
      expect(r.outcomes.slice(-2).map((o) => o.output), os).toEqual(['', '']);
    }
    // The seed's examples show WinNAT on the server profiles.
    expect(runOk('host srv --os ws2019\ndocker run -d --name web -p 8080:80 img\nGet-NetNat').last.output).toMatch(/^\nName\s+: H[0-9a-f-]{36}\n/);
  });

  it('docker node ls reports each node\'s own engine version', () => {
    const r = runOk('host m --os ws2019\ndocker swarm init\ndocker node ls');
    expect(r.last.output).toMatch(/Leader\s+20\.10\.24/);
  });

  it('HNS versions: 7.2 on 1803 (hcsshim HNSVersion1803), 9.1 on 1809 as on ws2019 (microsoft/SDN #269)', () => {
    expect(osProfile('win10-1803').hnsVersion).toBe(String(7 * 2 ** 32 + 2));
    expect(osProfile('win10-1809').hnsVersion).toBe(osProfile('ws2019').hnsVersion);
  });
});

describe('localhost on the host and in containers', () => {
  const run = (text: string) => runScript(text, { seed: 1 });
  const stepOf = (r: RunResult, prefix: string): Step => {
    const s = r.steps.find((x) => x.command.startsWith(prefix));
    if (!s) throw new Error(`no step ${prefix}`);
    return s;
  };
  const web = (os: string) => `host h --os ${os}\ndocker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis`;

  it('a published port answers on localhost and 127.0.0.1 from ws2019 / 1809 on (docker/docs #8353) and win10-1803 (docker/for-win #204)', async () => {
    for (const os of ['win10-1803', 'win10-1809', 'ws2019', 'ws2022', 'ws2025']) {
      const r = await run(`${web(os)}\ncurl http://localhost:8080/\ncurl http://127.0.0.1:8080/`);
      expect(stepOf(r, 'curl http://localhost').ok, os).toBe(true);
      // The container's web server answered: curl prints IIS's default page.
      expect(stepOf(r, 'curl http://localhost').output, os).toMatch(/<title>IIS Windows Server<\/title>/);
      expect(stepOf(r, 'curl http://127.0.0.1').ok, os).toBe(true);
      // The SYN went through WinNAT's localhost mapping to the container, not to the LAN.
      const hops = stepOf(r, 'curl http://localhost').traces.flatMap((t) => t.packets)[0]!.hops;
      expect(hops.some((h) => h.stage === 'nat' && /WinNAT \(localhost\)/.test(h.rule ?? '')), os).toBe(true);
      expect(hops.at(-1)!.at, os).toMatch(/port web/);
    }
  });

  it('before 1803 localhost does not reach a published port, the host address does (WinNAT blog 2016; docker/for-win #1178 on 16299)', async () => {
    for (const os of ['ws1709', 'win10-1703']) {
      const r = await run(`${web(os)}\ncurl http://localhost:8080/\ncurl http://10.0.0.10:8080/`);
      expect(stepOf(r, 'curl http://localhost').ok, os).toBe(false);
      expect(stepOf(r, 'curl http://localhost').error, os).toMatch(/^curl: \(7\) Failed to connect to localhost port 8080 after \d+ ms: Couldn't connect to server$/);
      expect(stepOf(r, 'curl http://10.0.0.10').ok, os).toBe(true);
    }
    const old = await run(`${web('ws2016')}\ncurl http://localhost:8080/`);
    expect(stepOf(old, 'curl http://localhost').ok).toBe(false);
  });

  it('loopback traffic never leaves the host: an unpublished port is refused by the host itself', async () => {
    const r = await run(`${web('ws2019')}\ncurl http://localhost:8081/`);
    const s = stepOf(r, 'curl http://localhost');
    expect(s.error).toMatch(/^curl: \(7\) Failed to connect to localhost port 8081/);
    const hops = s.traces.flatMap((t) => t.packets).flatMap((p) => p.hops);
    expect(hops.every((h) => /^host stack|^WinNAT/.test(h.at))).toBe(true);
  });

  it('localhost resolves without DNS; ping uses ::1 and prints the computer name (real ping localhost outputs)', async () => {
    const r = await run(`${web('ws2019')}\nping localhost\ndocker exec web ping -n 2 localhost\ndocker exec web hostname\nping 127.0.0.1`);
    expect(stepOf(r, 'ping localhost').output).toBe([
      '', 'Pinging H [::1] with 32 bytes of data:',
      'Reply from ::1: time<1ms', 'Reply from ::1: time<1ms', 'Reply from ::1: time<1ms', 'Reply from ::1: time<1ms',
      '', 'Ping statistics for ::1:', '    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),',
      'Approximate round trip times in milli-seconds:', '    Minimum = 0ms, Maximum = 0ms, Average = 0ms',
    ].join('\n'));
    expect(stepOf(r, 'ping localhost').traces).toEqual([]);
    const inContainer = stepOf(r, 'docker exec web ping');
    const hostname = stepOf(r, 'docker exec web hostname').output;
    expect(inContainer.output.split('\n')[1]).toBe(`Pinging ${hostname} [::1] with 32 bytes of data:`);
    expect(stepOf(r, 'ping 127.0.0.1').output).toContain('Reply from 127.0.0.1: bytes=32 time<1ms TTL=128');
  });

  it('inside a container localhost is the container itself: its own web server answers', async () => {
    const r = await run(`${web('ws2019')}\ndocker exec web curl http://localhost/\ndocker exec web curl http://localhost:8080/`);
    expect(stepOf(r, 'docker exec web curl http://localhost/').output).toMatch(/<title>IIS Windows Server<\/title>/);
    // The host's published port is not the container's: nothing listens on 8080 inside it.
    expect(stepOf(r, 'docker exec web curl http://localhost:8080/').ok).toBe(false);
  });
});
