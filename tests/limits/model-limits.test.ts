/**
 * Each limit of the model, reached: the real error text at the command that reaches it (or a
 * stated Packet Path limit), never a hang, a wrong answer or a later command failing.
 */
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/script/parser.js';
import { MAX_SCRIPT_CHARS, MAX_SCRIPT_LINES } from '../../src/script/parser.js';
import { run } from '../unit/model-helpers.js';
import { join } from 'node:path';
import { built, cli, folder } from './support.js';
import type { RunResult } from '../../src/result.js';

const runs = (n: number, net: string) => Array.from({ length: n }, (_, i) => `docker run -d --name c${i} --network ${net} img`).join('\n');

describe('limits of the model', () => {
  it('a network\'s MAC pool: the container after the last MAC gets Hyper-V\'s "Attempt to access invalid address."', () => {
    const r = run(`docker network create -d nat --subnet 172.30.0.0/24 -o com.docker.network.windowsshim.macpool=00-15-5D-AA-00-00,00-15-5D-AA-00-03 small\n${runs(4, 'small')}\ndocker ps -q`);
    expect(r.outcomes.slice(1, 4).every((o) => o.ok)).toBe(true);
    expect(r.outcomes[4]!.ok).toBe(false);
    expect(r.outcomes[4]!.error).toContain('Attempt to access invalid address. (0x1e7)');
    expect(r.last.ok).toBe(true);
    expect(r.last.output.trim().split('\n')).toHaveLength(3);
  });

  it('HNS\'s default pool holds 4,096 MACs: the 4,096th container of a network fails at its command', () => {
    const r = run(`docker network create -d nat --subnet 172.30.0.0/16 big\n${runs(4096, 'big')}`);
    expect(r.outcomes.slice(1, 4096).filter((o) => !o.ok)).toEqual([]);
    expect(r.last.error).toContain('Attempt to access invalid address.');
    const macs = r.world.hosts[0]!.endpoints.map((e) => e.mac);
    expect(new Set(macs).size).toBe(4095);
  });

  it('a network\'s addresses: the container after the last free address gets IPAM\'s error, the others keep theirs', () => {
    const r = run(`docker network create -d nat --subnet 172.30.0.0/29 tiny\n${runs(6, 'tiny')}`);
    expect(r.outcomes.slice(1, 6).every((o) => o.ok)).toBe(true);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/no available IPv4 addresses on this network's address pools: tiny/);
    expect(new Set(r.world.hosts[0]!.endpoints.map((e) => e.ip)).size).toBe(5);
  });

  it('the host ports Docker hands out (49153-65535): one more is "all ports are allocated"', () => {
    const r = run('docker run -d --name a -p 1-16383 img\ndocker run -d --name b -p 80 img');
    expect(r.outcomes[0]!.ok).toBe(true);
    expect(r.world.hosts[0]!.winnats[0]!.staticMappings.at(-1)!.externalPort).toBe(65535);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/driver failed programming external connectivity on endpoint b .*: all ports are allocated/);
  });

  it('-p 1-65535:1-65535 is one command that completes, every port mapped once', () => {
    const r = run('docker run -d --name a -p 1-65535:1-65535 img\ndocker run -d --name b -p 8080:80 img');
    expect(r.outcomes[0]!.ok).toBe(true);
    expect(r.world.hosts[0]!.winnats[0]!.staticMappings).toHaveLength(65535);
    expect(r.last.error).toContain('The object already exists.');
  });

  it('a script over 8 MiB or 200,000 lines is refused whole at line 1', () => {
    for (const text of ['#'.repeat(MAX_SCRIPT_CHARS + 1), 'docker ps\n'.repeat(MAX_SCRIPT_LINES)]) {
      const s = parseScript(text);
      expect(s.commands).toEqual([]);
      expect(s.diagnostics).toMatchObject([{ line: 1, column: 1, severity: 'error', code: 'script-too-large' }]);
      expect(s.diagnostics[0]!.message).toMatch(/Packet Path runs scripts of up to 8 MiB and 200,000 lines$/);
    }
    expect(parseScript('docker ps\n'.repeat(MAX_SCRIPT_LINES - 1)).commands).toHaveLength(MAX_SCRIPT_LINES - 1);
  });

  // A name collision looped forever once every name of the lists was taken (22 × 21 = 462): run in a
  // child process with a time bound, since a hang cannot be caught in-process.
  (built ? it : it.skip)('unnamed containers past every generated name still get one (the daemon\'s six tries, then the short ID)', () => {
    // moby v20.10 daemon/names.go generateNewName: namesgenerator.GetRandomName(i) for i < 6 (a
    // random digit appended from the second try on), then stringid.TruncateID(id).
    const dir = folder({ 'run.pp': 'docker run -d img\n'.repeat(600) + 'docker ps -a --format "{{.Names}}"\n' });
    const r = cli(['run', join(dir, 'run.pp'), '--json'], dir, 60_000);
    expect(r.timedOut).toBe(false);
    const res = JSON.parse(r.stdout) as RunResult;
    expect(res.steps.filter((s) => !s.ok)).toEqual([]);
    const names = res.steps.at(-1)!.output.trim().split('\n');
    expect(names).toHaveLength(600);
    expect(new Set(names).size).toBe(600);
    expect(names.some((n) => /^[a-z]+_[a-z]+[0-9]$/.test(n))).toBe(true);
    for (const n of names) expect(n).toMatch(/^([a-z]+_[a-z]+[0-9]?|[0-9a-f]{12})$/);
  }, 90_000);
});
