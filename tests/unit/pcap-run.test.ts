import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { pcapOfRun, readPcap, PcapError } from '../../src/engine/pcap.js';
import { pcapOf } from '../../src/cli/run.js';
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
  it('gives the same bytes as `packet-path run --pcap`', () => {
    expect(Buffer.from(pcapOfRun(result)).equals(Buffer.from(pcapOf(result)))).toBe(true);
    const scenario = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;
    expect(Buffer.from(pcapOfRun(scenario)).equals(Buffer.from(pcapOf(scenario)))).toBe(true);
  });

  it('keeps one step\'s frames, at the times they have in the whole run', () => {
    const file = readPcap(pcapOfRun(result, { steps: [2] }));
    if (file instanceof PcapError) throw new Error(file.message);
    expect(file.records.map((r) => [r.tsMicros, Buffer.from(r.data).toString('hex')])).toEqual([[20, '0102']]);
  });
});
