/**
 * Each capacity of the data plane, reached from a script: traffic keeps working past it (the
 * capacity is larger than the Windows limit the model enforces), or the command that reaches it
 * fails with a stated Packet Path limit. docs/behaviour.md "Limits" lists them with their sources.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/run.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { SIM_CORE_OPTIONS } from '../../src/engine/core.js';
import type { RunResult } from '../../src/result.js';
import { INTERNAL_WORDING } from './support.js';

const run = (lines: string[]): Promise<RunResult> => runScript(lines.join('\n') + '\n', { trace: false, createCore: () => loadWasmCore(SIM_CORE_OPTIONS) });

/** Every step ok; the failed ones listed with their errors when not. */
function failures(r: RunResult): string[] {
  return r.steps.filter((s) => !s.ok).map((s) => `${s.line}: ${s.command} → ${(s.error ?? s.output).slice(0, 200)}`);
}

/** The last step's output: a ping that was answered. */
function answered(r: RunResult): void {
  const last = r.steps.at(-1)!;
  expect(last.output).not.toMatch(INTERNAL_WORDING);
  expect(last.output).toMatch(/Received = 1, Lost = 0/);
}

describe('limits of the data plane', () => {
  it('a container restarted 1,100 times (compartment ids past 1,023: a routing domain each) still answers', async () => {
    const lines = ['docker run -d --name a img', 'docker run -d --name b img'];
    for (let i = 0; i < 1100; i++) lines.push('docker restart a');
    lines.push('docker exec a ping -n 1 b', 'docker exec b ping -n 1 a');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 60_000);

  it('1,100 containers on one nat network: the first pings the last by name (an ARP flood to 1,100 ports)', async () => {
    // HNS's MAC pool holds 4,095 endpoints per network (tests/limits/model-limits.test.ts): the
    // vSwitch's flood domain, the ring of frame slots and the walk of a flood are sized past it.
    const lines = ['docker network create -d nat --subnet 172.30.0.0/16 big'];
    for (let i = 0; i < 1100; i++) lines.push(`docker run -d --name c${i} --network big img`);
    lines.push('docker exec c0 ping -n 1 c1099');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 120_000);

  it('20 nat networks on one host: WinNAT holds an internal prefix for each, traffic works on the first and the last', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) lines.push(`docker network create -d nat --subnet 172.${100 + i}.0.0/24 n${i}`, `docker run -d --name a${i} --network n${i} img`, `docker run -d --name b${i} --network n${i} img`);
    lines.push('docker exec a0 ping -n 1 b0', 'docker exec a19 ping -n 1 b19');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 60_000);
});
