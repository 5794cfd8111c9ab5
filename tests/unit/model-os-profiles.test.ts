/**
 * The OS profiles after the seed (issue 9, item 1): Windows 10 1803 and 1809 with Docker
 * Desktop's engine, Windows Server 2025. Every expectation names the public output it follows.
 */
import { describe, expect, it } from 'vitest';
import { OS_NAMES, osProfile } from '../../src/model/os.js';
import { OS_PROFILES } from '../../src/script/sim.js';
import { runOk } from './model-helpers.js';

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

  it('docker node ls reports each node\'s own engine version', () => {
    const r = runOk('host m --os ws2019\ndocker swarm init\ndocker node ls');
    expect(r.last.output).toMatch(/Leader\s+20\.10\.24/);
  });

  it('HNS versions: 7.2 on 1803 (hcsshim HNSVersion1803), 9.1 on 1809 as on ws2019 (microsoft/SDN #269)', () => {
    expect(osProfile('win10-1803').hnsVersion).toBe(String(7 * 2 ** 32 + 2));
    expect(osProfile('win10-1809').hnsVersion).toBe(osProfile('ws2019').hnsVersion);
  });
});
