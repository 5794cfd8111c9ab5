/**
 * The CLI gives a script the compose files its commands name, and nothing else: resolved from the
 * parsed command, inside the script's folder (or a folder named with --allow-dir), regular files
 * only, up to a size cap, with an error at the line for anything else.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { built, cli, folder } from './support.js';

const SECRET = 'services:\n  web:\n    image: mcr.microsoft.com/windows/nanoserver\n    container_name: leaked-name\n';
const LOCAL = 'services:\n  web:\n    image: mcr.microsoft.com/windows/nanoserver\n    container_name: local-web\n';
const t = built ? it : it.skip;

describe('compose files named by a script', () => {
  t('a file in the script folder is read (a relative path with ./ too)', () => {
    const dir = folder({ 's/app.yml': LOCAL, 's/run.pp': 'expect docker compose -f ./app.yml up -d\n' });
    const r = cli(['run', join(dir, 's/run.pp')], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Container local-web  Started');
  });

  t('`-f` in a comment or in `docker rm -f NAME` reads nothing: a folder of that name does not crash the CLI', () => {
    const dir = folder({ 's/web/': '', 's/run.pp': '# docker compose -f web up\ndocker rm -f web\n' });
    const r = cli(['run', join(dir, 's/run.pp')], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No such container: web');
  });

  t('a file outside the script folder is refused at its line, and none of it is printed', () => {
    const dir = folder({ 'secret.yml': SECRET, 's/run.pp': 'docker compose -f ../secret.yml up -d\n' });
    const abs = folder({ 'run.pp': `docker compose -f ${join(dir, 'secret.yml')} up -d\n` });
    for (const [script, cwd] of [[join(dir, 's/run.pp'), dir], [join(abs, 'run.pp'), abs]] as const) {
      const r = cli(['run', script], cwd);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('leaked-name');
      expect(r.stdout).toMatch(/is outside the script's folder.*--allow-dir/);
    }
  });

  t('--allow-dir names more folders (repeatable)', () => {
    const dir = folder({ 'shared/secret.yml': SECRET, 'other/x.yml': LOCAL, 's/run.pp': 'expect docker compose -f ../shared/secret.yml up -d\nexpect docker compose -f ../other/x.yml up -d\n' });
    const r = cli(['run', join(dir, 's/run.pp'), '--allow-dir', join(dir, 'shared'), '--allow-dir', join(dir, 'other')], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Container leaked-name  Started');
    expect(r.stdout).toContain('Container local-web  Started');
  });

  t('a folder, a device and an oversized file are refused with a clear error, no stack trace, in bounded time', () => {
    const big = `services:\n  web:\n    image: x\n# ${'x'.repeat(2 << 20)}\n`;
    const dir = folder({ 's/sub/': '', 's/big.yml': big, 's/run.pp': 'docker compose -f sub up -d\ndocker compose -f /dev/zero up -d\ndocker compose -f big.yml up -d\n' });
    const r = cli(['run', join(dir, 's/run.pp'), '--allow-dir', '/dev'], dir, 20_000);
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toMatch(/    at /);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/docker compose -f sub up -d\n.*sub.* is not a regular file/);
    expect(r.stdout).toMatch(/docker compose -f \/dev\/zero up -d\n.*\/dev\/zero.* is not a regular file/);
    expect(r.stdout).toMatch(/docker compose -f big\.yml up -d\n.*big\.yml is larger than 1 MiB/);
  });

  t('a missing file gives compose\'s error at its line', () => {
    const dir = folder({ 's/run.pp': 'expect-fail docker compose -f nope.yml up -d\n' });
    const r = cli(['run', join(dir, 's/run.pp')], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nope.yml: The system cannot find the file specified.');
  });
});

describe('the script file itself', () => {
  t('a device or a folder named as the script: exit 2 with the reason, in bounded time', () => {
    const dir = folder({ 'sub/': '' });
    for (const script of ['/dev/zero', join(dir, 'sub')]) {
      const r = cli(['run', script], dir, 20_000);
      expect(r.timedOut).toBe(false);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`packet-path run: cannot read ${script}: not a regular file`);
    }
  });

  t('a script over 8 MiB is refused at line 1 with exit 2, nothing run', () => {
    const dir = folder({ 'big.pp': `docker ps\n${'#'.repeat(9 << 20)}\n` });
    const r = cli(['run', join(dir, 'big.pp')], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^error at line 1, column 1: the script is 9\.0 MiB; Packet Path runs scripts of up to 8 MiB/);
    expect(r.stdout).not.toContain('PS C:');
  });

  t('a 50 MB script is refused before it is read whole: exit 2, the caps in words, no stack trace', () => {
    const dir = folder({ 'big.pp': 'docker ps\n'.repeat(5_000_000) });
    const r = cli(['run', join(dir, 'big.pp')], dir, 20_000);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`packet-path run: cannot read ${join(dir, 'big.pp')}: larger than 32 MiB; Packet Path runs scripts of up to 8 MiB`);
  });
});

describe('--pcap', () => {
  t('into a missing folder: a clear error, exit 2, the transcript still printed', () => {
    const dir = folder({ 'run.pp': 'docker run -d --name web mcr.microsoft.com/windows/nanoserver\ndocker exec web ping -n 1 web\n' });
    const r = cli(['run', join(dir, 'run.pp'), '--pcap', join(dir, 'missing/out.pcap')], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('PS C:\\> docker exec web ping -n 1 web');
    expect(r.stderr).toMatch(/^packet-path run: cannot write .*missing\/out\.pcap/);
    expect(r.stderr).not.toMatch(/    at /);
  });
});

describe('the transcript printer', () => {
  t('terminal escape sequences in a script are not echoed raw', () => {
    const dir = folder({ 'run.pp': 'docker run -d --name "a\x1b]0;owned\x07b" mcr.microsoft.com/windows/nanoserver\ndocker ps -a --format "\x1b[2J{{.Names}}"\n' });
    const r = cli(['run', join(dir, 'run.pp')], dir);
    expect(r.stdout).not.toMatch(/[\x1b\x07\x9b]/);
    expect(r.stdout).toContain('^[');
  });
});
