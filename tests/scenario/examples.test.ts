/**
 * Every example of examples/ runs through the library: every `expect` / `expect-fail` line must
 * hold, no line may have an error diagnostic, and the transcript must match its reviewed snapshot
 * (tests/scenario/__snapshots__/examples/NN-topic.txt). A few traffic commands also have their
 * hop-by-hop trace snapshotted (__snapshots__/traces/). The snapshots were reviewed by reading
 * them against what the Windows tools print; update them with `npx vitest run -u
 * tests/scenario/examples.test.ts` only after reading the diff.
 *
 * Lines marked `# known bug B<n>` fail because of an open product bug (examples/README.md lists
 * them): their expectation is an `it.fails` test that asserts the correct behaviour.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTranscript } from '../../src/transcript.js';
import type { RunResult } from '../../src/result.js';
import { EXAMPLES_DIR, ROOT, exampleNames, loadExample, normalizeTranscript, runExample, stepOf } from './examples-support.js';

const names = exampleNames();

describe('the examples', () => {
  it('cover the seed: at least 30 examples, named NN-topic.pp, numbered without gaps', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    names.forEach((n, i) => expect(n).toMatch(new RegExp(`^${String(i + 1).padStart(2, '0')}-[a-z0-9-]+\\.pp$`)));
  });
});

for (const name of names) {
  const ex = loadExample(name);
  // A run that throws (a `(crash)` marker) fails every test of its example until the bug is fixed.
  const itRun = ex.crash ? it.fails : it;

  describe(name, () => {
    itRun(`runs with no error diagnostics and every unmarked expectation holds${ex.crash ? ` (crashes: bug ${ex.crash})` : ''}`, async () => {
      const r = await runExample(ex);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // every expect line of the file ran as an expectation (none was lost to a parse problem)
      expect(r.expectations.map((e) => e.line).sort((a, b) => a - b)).toEqual(ex.expectLines);
      const failed = r.expectations.filter((e) => !e.ok && !ex.bugs.has(e.line)).map((e) => ({ line: e.line, command: r.steps.find((s) => s.line === e.line)?.command, message: e.message }));
      expect(failed).toEqual([]);
      // a flood through a working design delivers every packet
      const lossy = r.steps.filter((s) => s.command.startsWith('flood') && !ex.bugs.has(s.line) && /^\s*dropped\b/m.test(s.output)).map((s) => s.line);
      expect(lossy).toEqual([]);
      expect(ex.expectLines.length).toBeGreaterThan(0);
    });

    for (const [line, bug] of ex.bugs) {
      if (bug === ex.crash && !ex.expectLines.includes(line)) continue;
      const command = ex.text.split('\n')[line - 1]!.replace(/#.*$/, '').trim();
      // Open product bug: this asserts the correct behaviour and fails until the bug is fixed.
      it.fails(`line ${line} holds once bug ${bug} is fixed: ${command}`, async () => {
        const r = await runExample(ex);
        const e = r.expectations.find((x) => x.line === line);
        expect(e, `no expectation on line ${line}`).toBeDefined();
        expect(e!.ok, e!.message).toBe(true);
        const s = r.steps.find((x) => x.line === line)!;
        if (s.command.startsWith('flood')) expect(s.output).not.toMatch(/^\s*dropped\b/m);
      });
    }

    itRun('transcript matches the reviewed snapshot', async () => {
      const r = await runExample(ex);
      await expect(`${normalizeTranscript(formatTranscript(r))}\n`).toMatchFileSnapshot(`__snapshots__/examples/${name.replace(/\.pp$/, '.txt')}`);
    });
  });
}

/** Traffic commands whose hop-by-hop path (`--trace`) is snapshotted, one per driver path. */
const TRACED: Array<{ example: string; command: string; what: string }> = [
  { example: '01-nat-basics.pp', command: 'docker exec web curl http://bing/', what: 'WinNAT source NAT to the internet and the reply translated back' },
  { example: '03-nat-port-publishing.pp', command: 'client laptop curl http://10.0.0.10:8080/', what: 'a published port: WinNAT static mapping in, reply out' },
  { example: '07-overlay-swarm.pp', command: 'docker exec app ping -n 1 web', what: 'overlay across hosts: VXLAN encap/decap' },
  { example: '10-l2bridge.pp', command: 'docker exec web ping -n 1 10.0.0.50', what: 'l2bridge: MAC rewrite on egress and ingress' },
  { example: '18-vlan.pp', command: 'docker exec a ping -n 1 10.0.11.22', what: 'transparent with a VLAN: tagged on the trunk' },
];

describe('traces of traffic commands', () => {
  for (const t of TRACED) {
    it(`${t.example}: ${t.command} (${t.what})`, async () => {
      const r = await runExample(loadExample(t.example));
      const step = stepOf(r, t.command);
      const one: RunResult = { ...r, diagnostics: [], expectations: r.expectations.filter((e) => e.line === step.line), steps: [step] };
      const text = formatTranscript(one, { trace: true });
      expect(text).toContain('┌');
      await expect(`${text}\n`).toMatchFileSnapshot(`__snapshots__/traces/${t.example.replace(/\.pp$/, '')}-line${step.line}.txt`);
    });
  }
});

describe('the CLI runs an example', () => {
  const bin = join(ROOT, 'bin/packet-path.js');
  const built = existsSync(join(ROOT, 'dist/src/cli/main.js'));

  (built ? it : it.skip)('packet-path run exits 0 and prints the transcript', () => {
    const p = spawnSync(process.execPath, [bin, 'run', join(EXAMPLES_DIR, '05-transparent-static.pp')], { encoding: 'utf8', cwd: ROOT });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('PS C:\\> docker network create -d transparent');
    expect(p.stdout).toMatch(/expectations: \d+ held, 0 failed$/m);
  });

  // 15-firewall-defaults.pp makes a document larger than a pipe's buffer (64 KiB).
  const big = join(EXAMPLES_DIR, '15-firewall-defaults.pp');
  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

  (built ? it : it.skip)('packet-path run --json writes one JSON document (larger than 64 KiB) to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-cli-'));
    const out = join(dir, 'run.json');
    const p = sh(`${q(process.execPath)} ${q(bin)} run ${q(big)} --json > ${q(out)}`);
    const text = readFileSync(out, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(p.status).toBe(0);
    expect(text.length).toBeGreaterThan(65536);
    expect((JSON.parse(text) as RunResult).version).toBe(1);
  });

  // Was bug B8 (fixed): bin/packet-path.js called process.exit() as soon as main() resolved, so a
  // reader slower than the writer lost everything after the first 64 KiB.
  (built ? it : it.skip)('packet-path run --json prints the whole document into a slow pipe', () => {
    const p = sh(`${q(process.execPath)} ${q(bin)} run ${q(big)} --json | (sleep 1; cat)`);
    expect(p.stdout.length).toBeGreaterThan(65536);
    expect((JSON.parse(p.stdout) as RunResult).version).toBe(1);
  });
});
