import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { pcapOfRun, readPcap, PcapError } from '../../src/engine/pcap.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../../src/index.js';
import type { RunResult } from '../../src/result.js';

/** A result with frames on two steps (hex of tiny frames: the writer does not parse them). */
const result = {
  version: 1, hosts: [], expectations: [], diagnostics: [],
  steps: [
    { line: 1, host: 'h', command: 'a', ok: true, output: '', error: null, warnings: [], traces: [{ from: 'a', to: 'b', packets: [{ summary: 's', verdict: 'delivered', dropReason: null, hops: [], frames: [{ at: 'LAN', hex: '00112233' }, { at: 'LAN', hex: 'aabbccddeeff' }] }] }] },
    { line: 2, host: 'h', command: 'b', ok: true, output: '', error: null, warnings: [], traces: [] },
    { line: 3, host: 'h', command: 'c', ok: true, output: '', error: null, warnings: [], traces: [{ from: 'a', to: 'b', packets: [{ summary: 's', verdict: 'delivered', dropReason: null, hops: [], frames: [{ at: 'LAN', hex: '0102' }] }] }] },
  ],
} as unknown as RunResult;

describe('pcap of a run (the browser\'s download)', () => {
  (existsSync('dist/src/cli/main.js') ? it : it.skip)('gives the same bytes as `packet-path run --pcap` writes', async () => {
    const script = 'examples/03-nat-port-publishing.pp';
    const dir = mkdtempSync(join(tmpdir(), 'pp-pcap-'));
    const out = join(dir, 'run.pcap');
    const p = spawnSync(process.execPath, ['bin/packet-path.js', 'run', script, '--pcap', out], { encoding: 'utf8' });
    expect(p.status).toBe(0);
    const cli = readFileSync(out);
    rmSync(dir, { recursive: true, force: true });
    const lib = await runScript(readFileSync(script, 'utf8'), { capture: true });
    expect(cli.length).toBeGreaterThan(200);
    expect(Buffer.from(pcapOfRun(lib)).equals(cli)).toBe(true);
  });

  it('keeps one step\'s frames, at the times they have in the whole run', () => {
    const file = readPcap(pcapOfRun(result, { steps: [2] }));
    if (file instanceof PcapError) throw new Error(file.message);
    expect(file.records.map((r) => [r.tsMicros, Buffer.from(r.data).toString('hex')])).toEqual([[20, '0102']]);
  });
});
