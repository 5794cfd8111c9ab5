/**
 * `packet-path reach` and `packet-path diff` as a user runs them (bin/packet-path.js, built into dist/:
 * run `npm run build:ts` first), and the library's diff.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffScripts, pairSteps } from '../../src/index.js';
import type { DiffResult, ReachResult } from '../../src/index.js';
import type { Step } from '../../src/result.js';

const EX03 = 'examples/03-nat-port-publishing.pp';
const dir = mkdtempSync(join(tmpdir(), 'pp-reach-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/packet-path.js', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Example 03 without its published port (line 10 `-p 8080:80` removed). */
function unpublished(): string {
  const text = readFileSync(EX03, 'utf8').replace('docker run -d --name web -p 8080:80 microsoft/iis', 'docker run -d --name web microsoft/iis');
  const p = join(dir, 'unpublished.pp');
  writeFileSync(p, text);
  return p;
}

describe('packet-path reach', () => {
  it('--json: every cell of example 03, and the published port answers from the LAN as its line 15 says', () => {
    const p = cli('reach', EX03, '--json');
    expect(p.status).toBe(0);
    const r = JSON.parse(p.stdout) as ReachResult;
    expect(r.version).toBe(1);
    expect(r.at).toBe(22);
    expect(r.cells.length).toBe(r.stats.probes);
    // Example 03 line 15: `expect client laptop curl http://10.0.0.10:8080/` (WinNAT static mapping).
    const cell = r.cells.find((c) => c.from === 'laptop' && c.to === '10.0.0.10' && c.port === 'tcp/8080');
    expect(cell?.result).toBe('reachable');
    for (const c of r.cells.filter((x) => x.result === 'blocked')) expect(c.hop?.action).toBe('drop');
  });

  it('a grid with a glyph per cell, --from/--to/--ports choose the cells', () => {
    const p = cli('reach', EX03, '--from', 'laptop', '--to', '10.0.0.10,web', '--ports', 'tcp/8080,icmp');
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/✓ reachable {2}✗ blocked {2}\? no answer/);
    // laptop → 10.0.0.10: open on tcp/8080; laptop → web: the LAN's DNS does not know container names.
    expect(p.stdout).toMatch(/tcp\/8080\n\s+1\s+2\nlaptop\s+✓\s+\?/);
  });

  it('refuses a bad port or line with exit 2 and says why', () => {
    const p = cli('reach', EX03, '--ports', 'tcp/70000');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--ports tcp\/70000/);
    const q = cli('reach', EX03, '--at', 'zero');
    expect(q.status).toBe(2);
    expect(q.stderr).toMatch(/--at takes a line number/);
  });
});

describe('packet-path diff', () => {
  it('the same script twice: no change, exit 0', () => {
    const p = cli('diff', EX03, EX03);
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/No change in behaviour/);
  });

  it('removing the published port: the curl step, its expectation and the matrix cell change, exit 1', () => {
    const p = cli('diff', EX03, unpublished(), '--json');
    expect(p.status).toBe(1);
    const d = JSON.parse(p.stdout) as DiffResult;
    const step = d.steps.find((s) => s.command === 'client laptop curl http://10.0.0.10:8080/');
    expect(step?.change).toBe('verdict');
    expect(step?.a?.ok).toBe(true);
    expect(step?.b?.ok).toBe(false);
    // The two curls walk the same way until the host's firewall: the published port's allow rule is gone.
    expect(step?.diverges).toBeDefined();
    expect(d.expectations).toContainEqual({ line: { a: 15, b: 15 }, a: true, b: false });
    const cell = d.cells.find((c) => c.from === 'laptop' && c.to === '10.0.0.10' && c.port === 'tcp/8080');
    expect(cell?.a?.result).toBe('reachable');
    expect(cell?.b?.result).not.toBe('reachable');
    expect(cell?.diverges).toBeDefined();
  });
});

describe('diff in the library', () => {
  it('pairs steps by command in order: an inserted line is `added`, the rest pair up', () => {
    const s = (command: string, line: number): Step => ({ line, host: 'h', command, ok: true, output: '', error: null, warnings: [], traces: [] });
    const a = [s('a', 1), s('b', 2), s('c', 3)];
    const b = [s('a', 1), s('x', 2), s('b', 3), s('c', 4)];
    expect(pairSteps(a, b)).toEqual([[0, 0], [null, 1], [1, 2], [2, 3]]);
    expect(pairSteps(b, a)).toEqual([[0, 0], [1, null], [2, 1], [3, 2]]);
  });

  it('changing the OS: ws2016 has no NAT loopback, ws1709 does (docs/behaviour.md)', async () => {
    // Example 16: a host reaches its own published port through its own address from ws1709, not on ws2016.
    const base = (os: string) => [`host h --os ${os} --ip 10.0.0.10/24`, 'docker run -d --name web -p 8080:80 microsoft/iis', 'curl http://10.0.0.10:8080/'].join('\n');
    const d = await diffScripts(base('ws2016'), base('ws1709'), { ports: ['tcp/8080'] });
    const cell = d.cells.find((c) => c.from === 'h' && c.to === '10.0.0.10');
    expect(cell?.a?.result).not.toBe('reachable');
    expect(cell?.b?.result).toBe('reachable');
    expect(d.steps.find((s) => s.command === 'curl http://10.0.0.10:8080/')?.change).toBe('verdict');
  });
});
