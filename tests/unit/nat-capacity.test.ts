/**
 * Capacity of the NAT session table (a million sessions on the WebAssembly core) and the bench
 * workloads' setups: they must really open, hit and recycle sessions, or their figures mean nothing.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { type PacketCore, writeBatch } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/core.js';
import '../../src/engine/reference/index.js';
import { natSessionCount, natPoolFree, readNatSessions } from '../../src/engine/loaders/nat.js';
import { setupNatEstablished, setupNatNew, NAT_BENCH_INSTANCE } from '../../src/bench/workloads/nat.js';
import type { Prepared } from '../../src/bench/types.js';
import { dropReason } from '../../src/engine/drops.js';
import { checksumProblems, fields, frame, runNat, out } from './nat-support.js';

/** Runs `batches` timed-style batches of a prepared workload (restore, beforeBatch, program). */
function drive(core: PacketCore, prep: Prepared, batches: number): void {
  const n = prep.frames.length;
  writeBatch(core, prep.frames, prep.inPorts, prep.ctx);
  prep.prepare?.(core);
  core.snapshot(n);
  core.resetCounters();
  for (let b = 0; b < batches; b++) {
    core.restore(n, prep.restoreBytes ?? 0);
    prep.beforeBatch?.(b);
    core.run(n, prep.program);
  }
}

/** How many packets of the batch now carry the external address as their source. */
function translated(core: PacketCore, n: number): number {
  const dv = core.view();
  let k = 0;
  for (let i = 0; i < n; i++) {
    const d = core.descBase + i * abi.DESC_SIZE;
    const p = dv.getUint32(d + abi.D_DATA, true);
    if (dv.getUint8(d + abi.D_NEXT) === abi.NEXT_CONTINUE && dv.getUint32(p + 26) === 0x0a00000a) k++;
  }
  return k;
}

const TABLE_FULL = [...Array(256).keys()].find((c) => dropReason(c).name === 'NAT_TABLE_FULL')!;

describe('nat capacity', () => {
  it('holds 1,000,000 sessions on the WebAssembly core, translates any of them, and reports a full table', async () => {
    const core = await loadWasmCore({ slots: 1024, traceCapacity: 0 });
    const prep = setupNatEstablished(core, { sessions: 1_000_000 });
    expect(natSessionCount(core, NAT_BENCH_INSTANCE)).toBe(1_000_000);
    // 32768 internal endpoints, each one external port: the pool (1024-65535) gave 32768 ports.
    expect(natPoolFree(core, NAT_BENCH_INSTANCE).tcp).toBe(64512 - 32768);
    drive(core, prep, 64);
    const c = core.counters();
    expect(c.stages[abi.STAGE_NAT]).toEqual([64 * 256, 64 * 256, 0, 0]);
    expect(translated(core, 256)).toBe(256);
    // A packet of the batch as it left: translated to the external address, checksums intact.
    const dv = core.view();
    for (let i = 0; i < 256; i += 37) {
      const d = core.descBase + i * abi.DESC_SIZE;
      const p = dv.getUint32(d + abi.D_DATA, true);
      const f = core.bytes().slice(p, p + dv.getUint16(d + abi.D_LEN, true));
      expect(fields(f).src).toBe('10.0.0.10');
      expect(checksumProblems(f)).toEqual([]);
      expect(dv.getUint32(d + abi.D_AUX, true)).toBeLessThan(1_000_000);
    }
    // One more flow does not fit.
    const o = runNat(core, [frame({ proto: 'tcp', src: '172.16.200.1', sport: 1, dst: '93.184.216.34', dport: 80, flags: 'S' })], out(NAT_BENCH_INSTANCE));
    expect(o.drop[0]).toBe(TABLE_FULL);
  }, 120_000);

  it.each([
    ['wasm', () => loadWasmCore({ slots: 256, traceCapacity: 0 })],
    ['reference', async () => new RefCore({ slots: 256, traceCapacity: 0 })],
  ] as const)('nat-new on the %s core opens one session per packet, recycling expired ones as the pool runs out', async (_k, make) => {
    const core = await make();
    const prep = setupNatNew(core);
    // 300 batches of 256 new endpoints: more than the pool's 64512 ports, so sweeps must recycle.
    drive(core, prep, 300);
    const c = core.counters();
    expect(c.stages[abi.STAGE_NAT]).toEqual([300 * 256, 300 * 256, 0, 0]);
    expect(c.drops.size).toBe(0);
    expect(translated(core, 256)).toBe(256);
    const live = readNatSessions(core, NAT_BENCH_INSTANCE).filter((s) => !s.expired);
    expect(live.length).toBe(256);
    expect(natSessionCount(core, NAT_BENCH_INSTANCE)).toBeLessThan(64512);
  }, 120_000);

  it('nat-established on the reference core hits the sessions it opened', async () => {
    const core = new RefCore({ slots: 256, traceCapacity: 0 });
    const prep = setupNatEstablished(core, { sessions: 4096 });
    drive(core, prep, 8);
    expect(core.counters().stages[abi.STAGE_NAT]).toEqual([8 * 256, 8 * 256, 0, 0]);
    expect(translated(core, 256)).toBe(256);
    expect(natSessionCount(core, NAT_BENCH_INSTANCE)).toBe(4096);
  });
});
