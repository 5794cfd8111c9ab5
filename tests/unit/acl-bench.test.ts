/**
 * The acl bench workloads and the ClassBench-like generator behind them: deterministic in the seed,
 * frames with valid checksums, packets that pass the stage on both cores with the same result, fresh
 * flows per batch where the workload promises them, and a TypeScript lookup (aclLookup, used to pick
 * allowed flows) that decides as the linear reference does. No speed is asserted.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { readDescriptor, readFrame, writeBatch, type PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/index.js';
import { loadAcl } from '../../src/engine/loaders/acl.js';
import { classbenchRules, classbenchTrace, headerFrame } from '../../src/bench/classbench.js';
import { aclWorkloads, setupAclWorkload, ACL_BENCH_POOL } from '../../src/bench/workloads/acl.js';
import { aclLookup, compileAcl } from '../../src/table-images/acl-classifier.js';
import { internetChecksum } from '../../src/wire/checksum.js';
import { tcpChecksumValid } from '../../src/wire/tcp.js';
import { udpChecksumStatus } from '../../src/wire/udp.js';

function checksumsValid(f: Uint8Array): boolean {
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  if (internetChecksum(f, 14, 20) !== 0) return false;
  const src = dv.getUint32(26);
  const dst = dv.getUint32(30);
  const len = dv.getUint16(16) - 20;
  if (f[23] === 6) return tcpChecksumValid(f, 34, len, src, dst);
  if (f[23] === 17) return udpChecksumStatus(f, 34, src, dst) === 'good';
  if (f[23] === 1) return internetChecksum(f, 34, len) === 0;
  return true;
}

describe('ClassBench-like generator', () => {
  it('is deterministic in its seed and varies with it', () => {
    const a = classbenchRules({ rules: 300, seed: 1 });
    expect(classbenchRules({ rules: 300, seed: 1 })).toEqual(a);
    expect(classbenchRules({ rules: 300, seed: 2 })).not.toEqual(a);
    expect(a.rules).toHaveLength(300);
    expect(classbenchTrace(a, { count: 50, seed: 4, direction: 'in' })).toEqual(classbenchTrace(a, { count: 50, seed: 4, direction: 'in' }));
  });

  it('mixes prefix lengths, port classes and protocols', () => {
    const { rules } = classbenchRules({ rules: 2000, seed: 9 });
    const share = (f: (r: (typeof rules)[number]) => boolean) => rules.filter(f).length / rules.length;
    expect(share((r) => r.local.length === 0)).toBeGreaterThan(0.03);
    expect(share((r) => r.local[0]?.len === 32)).toBeGreaterThan(0.3);
    expect(share((r) => (r.local[0]?.len ?? 0) > 0 && r.local[0].len < 24)).toBeGreaterThan(0.1);
    expect(share((r) => r.remote.length === 0)).toBeGreaterThan(0.25);
    expect(share((r) => r.protocol === 6)).toBeGreaterThan(0.4);
    expect(share((r) => r.protocol === 17)).toBeGreaterThan(0.1);
    expect(share((r) => r.protocol === 1 || r.protocol === 'any')).toBeGreaterThan(0.05);
    expect(share((r) => r.localPorts.length === 1 && r.localPorts[0].lo === r.localPorts[0].hi)).toBeGreaterThan(0.25);
    expect(share((r) => r.localPorts.length === 1 && r.localPorts[0].lo < r.localPorts[0].hi)).toBeGreaterThan(0.05);
    expect(share((r) => r.action === 'block')).toBeGreaterThan(0.15);
  });

  it('builds frames with valid checksums for every protocol it generates', () => {
    const set = classbenchRules({ rules: 1000, seed: 5 });
    const hs = classbenchTrace(set, { count: 2000, seed: 6, direction: 'in' });
    expect(new Set(hs.map((h) => h.proto))).toEqual(new Set([1, 6, 17, 47]));
    for (const h of hs) {
      const f = headerFrame(h, 64, 3);
      expect(f.length).toBe(64);
      expect(checksumsValid(f), JSON.stringify(h)).toBe(true);
    }
  });
});

describe('aclLookup', () => {
  it('decides as the reference core does, flow by flow', async () => {
    for (const semantics of ['vfp', 'firewall'] as const) {
      const set = classbenchRules({ rules: 1500, seed: 21, semantics, direction: 'mixed' });
      const compiled = compileAcl(set);
      const ref = new RefCore({ slots: 256 });
      loadAcl(ref, 1, set);
      for (const dir of ['in', 'out'] as const) {
        const hs = classbenchTrace(set, { count: 512, seed: 22, direction: dir, random: 0.2 });
        for (let at = 0; at < hs.length; at += 256) {
          const chunk = hs.slice(at, at + 256);
          writeBatch(ref, chunk.map((h) => headerFrame(h)));
          ref.run(chunk.length, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ACL, a0: 1, a1: dir === 'out' ? 1 : 0 }]);
          chunk.forEach((h, i) => {
            const ported = h.proto === 6 || h.proto === 17;
            const out = dir === 'out';
            const flow = {
              local: out ? h.src : h.dst, remote: out ? h.dst : h.src, proto: h.proto,
              localPort: ported ? (out ? h.sport : h.dport) : null, remotePort: ported ? (out ? h.dport : h.sport) : null,
            };
            expect(aclLookup(compiled, out, flow), `${semantics} ${dir} ${JSON.stringify(h)}`).toBe(readDescriptor(ref, i).aux | 0);
          });
        }
      }
    }
  });
});

/** What the bench runner does: setup, write, prepare, snapshot, then batches with restore + beforeBatch. */
async function batches(core: PacketCore, rules: number, flows: number, count: number) {
  const prep = setupAclWorkload(core, { rules, flows });
  const n = prep.frames.length;
  writeBatch(core, prep.frames, prep.inPorts, prep.ctx);
  prep.prepare?.(core);
  core.snapshot(n);
  const out: { frames: Uint8Array[]; counters: number[]; aux: number[] }[] = [];
  for (let it = 0; it < count; it++) {
    core.resetCounters();
    core.restore(n, prep.restoreBytes ?? 0);
    prep.beforeBatch?.(it);
    expect(core.run(n, prep.program)).toBe(n);
    out.push({
      frames: Array.from({ length: n }, (_, i) => readFrame(core, i)),
      counters: core.counters().stages[abi.STAGE_ACL],
      aux: Array.from({ length: n }, (_, i) => readDescriptor(core, i).aux),
    });
  }
  return { prep, out };
}

describe('acl bench workloads', () => {
  it('lists the variants the bench times', () => {
    const all = aclWorkloads({ quick: false });
    expect(all.map((w) => `${w.params.rules}/${w.params.flows}`)).toEqual([
      '10/4096', '10/64', '100/4096', '100/64', '1000/4096', '1000/64', '10000/4096', '10000/64',
    ]);
    expect(aclWorkloads({ quick: true }).map((w) => w.params.rules)).toEqual([1000]);
    for (const w of all) expect([w.name, w.stage, w.params.batch, w.params.size]).toEqual(['acl', 'acl', 256, 64]);
  });

  for (const [rules, flows] of [[1000, ACL_BENCH_POOL], [100, 64], [10000, ACL_BENCH_POOL]] as const) {
    it(`passes every packet, the same on both cores, batch after batch (${rules} rules, ${flows} flows)`, async () => {
      const wasm = await batches(await loadWasmCore({ traceCapacity: 0 }), rules, flows, 3);
      const ref = await batches(new RefCore({ traceCapacity: 0 }), rules, flows, 3);
      for (let k = 0; k < 3; k++) {
        expect(wasm.out[k].counters).toEqual([256, 256, 0, 0]);
        expect(ref.out[k].counters).toEqual([256, 256, 0, 0]);
        expect(wasm.out[k].aux).toEqual(ref.out[k].aux);
        expect(wasm.out[k].frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(ref.out[k].frames.map((f) => Buffer.from(f).toString('hex')));
        for (const f of wasm.out[k].frames) expect(checksumsValid(f)).toBe(true);
      }
      // Rules decide (not only the default), and many distinct ones.
      expect(new Set(wasm.out[0].aux.filter((a) => a !== 0xffffffff)).size).toBeGreaterThan(flows === 64 ? 20 : 100);
      const distinct = (b: { frames: Uint8Array[] }) => new Set(b.frames.map((f) => Buffer.from(f).toString('hex'))).size;
      if (flows > 256) {
        expect(wasm.prep.beforeBatch).toBeDefined();
        // Fresh flows every batch.
        expect(distinct(wasm.out[0])).toBeGreaterThan(240);
        const seen = new Set(wasm.out[0].frames.map((f) => Buffer.from(f).toString('hex')));
        expect(wasm.out[1].frames.filter((f) => seen.has(Buffer.from(f).toString('hex'))).length).toBeLessThan(8);
      } else {
        expect(wasm.prep.beforeBatch).toBeUndefined();
        expect(distinct(wasm.out[0])).toBe(flows);
        expect(wasm.out[1].frames).toEqual(wasm.out[0].frames);
      }
    });
  }
});
