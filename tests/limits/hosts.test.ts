/**
 * Many hosts: every host gets its MAC ranges from its address (as Hyper-V derives a host's dynamic
 * MAC range from the last octets of its IP address), unique across hosts, and never loops.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { built, cli, folder } from './support.js';
import type { RunResult } from '../../src/result.js';

const t = built ? it : it.skip;

function manyHosts(n: number): string {
  const lines = ['lan dhcp 10.0.200.1-10.0.200.250'];
  for (let i = 0; i < n; i++) {
    lines.push(`host h${i} --ip 10.0.${Math.floor(i / 200)}.${10 + (i % 200)}/16 --gateway 10.0.255.254`);
    lines.push('docker run -d --name web mcr.microsoft.com/windows/nanoserver');
  }
  return lines.join('\n') + '\n';
}

describe('hosts', () => {
  t('230 hosts with a container each: the run returns, and every container MAC is unique', () => {
    const dir = folder({ 'run.pp': manyHosts(230) + 'docker inspect web\n' });
    const r = cli(['run', join(dir, 'run.pp'), '--json'], dir, 60_000);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout) as RunResult;
    expect(res.steps.filter((s) => s.command.startsWith('docker run')).every((s) => s.ok)).toBe(true);
    expect(res.hosts).toHaveLength(230);
  });
});
