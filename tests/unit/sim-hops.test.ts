/**
 * Hops name the table that acted: every trace event records the program step that made it, so a
 * place that runs one stage at several steps (WinNAT and VFP outbound NAT at the host stack, a VIP's
 * load balancer and VFP NAT on an endpoint port) names each hop after its own table.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/index.js';
import { writeBatch, type PacketCore } from '../../src/engine/core.js';
import { buildFrame } from '../../src/wire/build.js';
import { runScript } from '../../src/index.js';
import { loadExample } from '../scenario/examples-support.js';

async function stepsOf(core: PacketCore): Promise<number[]> {
  const frame = buildFrame({ eth: { src: 0x00155d000001, dst: 0x00155d000002 }, ipv4: { src: 0x0a000001, dst: 0x0a000002, ttl: 64 }, udp: { sport: 1000, dport: 2000 }, payload: new Uint8Array(8) });
  writeBatch(core, [frame], 1, 0);
  core.setTracing(true);
  core.run(1, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: 1 }, { stage: abi.STAGE_PARSE }]);
  const events = core.traceEvents();
  core.setTracing(false);
  return events.filter((e) => e.stage === abi.STAGE_PARSE).map((e) => e.step ?? -1);
}

describe('trace events carry their program step', () => {
  it('on the WebAssembly core and the reference core alike', async () => {
    const wasm = await stepsOf(await loadWasmCore({ slots: 16, traceCapacity: 256 }));
    const ref = await stepsOf(new RefCore({ slots: 16, traceCapacity: 256 }));
    expect(wasm).toEqual([0, 2]);
    expect(ref).toEqual(wasm);
  });
});

describe('hops name the NAT instance of their own step', () => {
  it('VFP outbound NAT at a worker\'s host stack is not called WinNAT (07-overlay-swarm)', async () => {
    const ex = loadExample('07-overlay-swarm.pp');
    const r = await runScript(ex.text, { seed: 1, readFile: ex.readFile });
    const hops = r.steps.flatMap((s) => s.traces.flatMap((t) => t.packets.flatMap((p) => p.hops)));
    const natAtStack = hops.filter((h) => h.stage === 'nat' && h.at.startsWith('host stack') && h.host === 'worker');
    expect(natAtStack.length).toBeGreaterThan(0);
    // The worker has no WinNAT instance of its own on that path: both NAT steps there are VFP's.
    expect(natAtStack.map((h) => h.rule)).toContain('VFP outbound NAT');
  });
});

describe('a copy a station ignores is "ignored", never a timeout (SPEC §5)', () => {
  it('the ARP broadcast the other stations ignore (18-vlan)', async () => {
    const ex = loadExample('18-vlan.pp');
    const r = await runScript(ex.text, { seed: 1, readFile: ex.readFile });
    const packets = r.steps.flatMap((s) => s.traces.flatMap((t) => t.packets));
    const ignored = packets.filter((p) => p.hops.at(-1)?.action === 'ignore');
    expect(ignored.length).toBeGreaterThan(0);
    for (const p of ignored) expect(p.verdict, p.summary).toBe('ignored');
    expect(packets.filter((p) => p.verdict === 'timeout' && p.hops.at(-1)?.action === 'ignore')).toEqual([]);
  });
});
