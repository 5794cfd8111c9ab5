/**
 * Every bench workload sets up on both cores, and one batch of it does what the workload claims:
 * the packets reach every stage of the program and pass it (counters: in = pass = batch size, no
 * drop reason counted), the stage's effect is visible in the bytes, both cores produce the same
 * bytes, descriptors and counters, and a second batch after the runner's restore counts the same and,
 * unless beforeBatch writes fresh flows, gives the first batch's bytes again (so restoreBytes covers
 * what the program rewrites). No speed is asserted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { readDescriptor, readFrame, writeBatch, type Descriptor, type PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/index.js';
import type { Prepared, Workload } from '../../src/bench/types.js';
import { allWorkloads } from '../../src/bench/workloads/index.js';
import { MAC_REWRITE_HOST_MAC, macRewriteEndpoints } from '../../src/bench/workloads/mac-rewrite.js';
import { switchStations } from '../../src/bench/workloads/switch.js';
import { PIPE_UPLINK, PIPELINE_PROGRAM } from '../../src/bench/workloads/pipeline.js';
import { LOCAL_PA } from '../../src/bench/workloads/vxlan.js';
import { ipToInt } from '../../src/wire/ipv4.js';

interface Batch {
  prep: Prepared;
  n: number;
  out: number;
  frames: Uint8Array[];
  descs: Descriptor[];
  stages: number[][];
  drops: [number, number][];
}

function u32(f: Uint8Array, off: number): number {
  return ((f[off] << 24) | (f[off + 1] << 16) | (f[off + 2] << 8) | f[off + 3]) >>> 0;
}

function macAt(f: Uint8Array, off: number): number {
  return f[off] * 2 ** 40 + f[off + 1] * 2 ** 32 + u32(f, off + 2);
}

function capture(core: PacketCore, prep: Prepared, n: number, out: number): Batch {
  const c = core.counters();
  return {
    prep,
    n,
    out,
    frames: Array.from({ length: out }, (_, i) => readFrame(core, i)),
    // D_DATA as an offset from the ring's start: the cores' memories differ, the layout must not.
    descs: Array.from({ length: out }, (_, i) => {
      const d = readDescriptor(core, i);
      return { ...d, data: d.data - core.ringBase };
    }),
    stages: c.stages.map((row) => [...row]),
    drops: [...c.drops.entries()],
  };
}

/** What the runner does before timing (setup, write, prepare, snapshot), then one batch and, after a
 *  restore, a second one. */
async function twoBatches(core: PacketCore, w: Workload): Promise<[Batch, Batch]> {
  const prep = await w.setup(core);
  const n = prep.frames.length;
  writeBatch(core, prep.frames, prep.inPorts, prep.ctx);
  prep.prepare?.(core);
  core.snapshot(n);
  core.resetCounters();
  prep.beforeBatch?.(0);
  const first = capture(core, prep, n, core.run(n, prep.program));
  core.resetCounters();
  core.restore(n, prep.restoreBytes ?? 0);
  prep.beforeBatch?.(1);
  const second = capture(core, prep, n, core.run(n, prep.program));
  return [first, second];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Frames and descriptors equal; on a difference, shows the first differing packet. */
function expectSameBatch(a: Batch, b: Batch, what: string): void {
  expect(a.out).toBe(b.out);
  for (let i = 0; i < a.out; i++) {
    const da = a.descs[i];
    const db = b.descs[i];
    if (!sameBytes(a.frames[i], b.frames[i]) || JSON.stringify(da) !== JSON.stringify(db)) {
      expect({ frame: [...a.frames[i]], desc: da }, `${what}: packet ${i}`).toEqual({ frame: [...b.frames[i]], desc: db });
    }
  }
}

const label = (w: Workload): string => `${w.name} ${Object.entries(w.params).map(([a, b]) => `${a}=${b}`).join(' ')}`;

const workloads = allWorkloads({ quick: false });
const results = new Map<Workload, { wasm: [Batch, Batch]; ref?: [Batch, Batch] }>();

/** Setting up a million NAT sessions takes the reference core about a minute: that workload is
 *  checked on the WebAssembly core here; its 65536-session twin covers the reference. */
const onReference = (w: Workload): boolean => !(w.params.sessions >= 1_000_000);

beforeAll(async () => {
  for (const w of workloads) {
    const wasm = await twoBatches(await loadWasmCore({ traceCapacity: 0 }), w);
    const ref = onReference(w) ? await twoBatches(new RefCore({ traceCapacity: 0 }), w) : undefined;
    results.set(w, { wasm, ref });
  }
}, 300_000);

function both(w: Workload): [Batch, Batch][] {
  const { wasm, ref } = results.get(w)!;
  return ref ? [wasm, ref] : [wasm];
}

describe('bench workloads', () => {
  it('cover every workload family of the bench, in full and quick sets', () => {
    const names = new Set(workloads.map((w) => w.name));
    for (const name of ['mac-rewrite', 'vxlan-encap', 'vxlan-decap', 'nat-established', 'nat-new', 'acl', 'switch', 'pipeline', 'pipeline-uft', 'pipeline-new']) {
      expect(names).toContain(name);
    }
    for (const w of workloads) expect(w.params.batch, label(w)).toBeGreaterThan(0);
    const quick = allWorkloads({ quick: true });
    expect(quick.length).toBeLessThan(workloads.length);
    expect(new Set(quick.map((w) => w.name))).toEqual(names);
    expect(workloads.filter((w) => w.name === 'pipeline').map((w) => w.params.batch)).toEqual([32, 256, 1024]);
  });

  describe.each(workloads.map((w) => [label(w), w] as const))('%s', (_name, w) => {
    it('sets up a batch of the advertised size and every packet passes every stage of the program', () => {
      for (const [b] of both(w)) {
        expect(b.n).toBe(w.params.batch);
        expect(b.out).toBe(b.n);
        // A UFT step runs the pipeline's layers for the flows it does not know yet (all of them here).
        const programStages = new Set(b.prep.program.flatMap((s) => (s.stage === abi.STAGE_UFT ? PIPELINE_PROGRAM.slice(1) : [s]).map((x) => x.stage)));
        if (b.prep.program.some((s) => s.stage === abi.STAGE_UFT)) programStages.add(abi.STAGE_UFT);
        for (let s = 0; s < abi.STAGE_COUNT; s++) {
          const [inN, pass, drop, done] = b.stages[s];
          if (programStages.has(s)) expect([s, inN, pass, drop, done]).toEqual([s, b.n, b.n, 0, 0]);
          else expect([s, inN]).toEqual([s, 0]);
        }
        expect(b.drops).toEqual([]);
        for (const d of b.descs) expect([d.next, d.drop]).toEqual([abi.NEXT_CONTINUE, 0]);
      }
    });

    it.skipIf(!onReference(w))('gives the same bytes, descriptors and counters on both cores', () => {
      const { wasm, ref } = results.get(w)!;
      if (!ref) throw new Error('no reference run');
      for (const k of [0, 1]) {
        expect(wasm[k].out).toBe(ref[k].out);
        expect(wasm[k].stages).toEqual(ref[k].stages);
        expectSameBatch(wasm[k], ref[k], `batch ${k}, wasm vs reference`);
      }
    });

    it('does the same work again after the restore between batches', () => {
      for (const [first, second] of both(w)) {
        expect(second.stages).toEqual(first.stages);
        if (first.prep.beforeBatch) continue; // a batch that changes per iteration (new flows)
        expectSameBatch(first, second, 'second batch vs first');
      }
    });
  });

  it('mac-rewrite: egress frames leave with the host MAC, ingress frames reach the endpoint MAC of their address', () => {
    const endpoints = new Map(macRewriteEndpoints(1024).map((e) => [e.ip, e.mac]));
    for (const w of workloads.filter((x) => x.name === 'mac-rewrite')) {
      const [b] = results.get(w)!.wasm;
      b.prep.frames.forEach((before, i) => {
        const after = b.frames[i];
        if (w.params.ingress) {
          expect(macAt(before, 0)).toBe(MAC_REWRITE_HOST_MAC);
          expect(macAt(after, 0)).toBe(endpoints.get(u32(after, 30)));
          expect(after.subarray(6)).toEqual(before.subarray(6));
        } else {
          expect(macAt(before, 6)).not.toBe(MAC_REWRITE_HOST_MAC);
          expect(macAt(after, 6)).toBe(MAC_REWRITE_HOST_MAC);
          expect(after.subarray(0, 6)).toEqual(before.subarray(0, 6));
        }
      });
    }
  });

  it('switch: each frame goes out of the port its destination station is on, never its ingress port', () => {
    const ports = new Map(switchStations(65536, 64).map((s) => [s.mac, s.port]));
    for (const w of workloads.filter((x) => x.name === 'switch')) {
      for (const [b] of both(w)) {
        b.descs.forEach((d, i) => {
          expect(d.outPort).toBe(ports.get(macAt(b.frames[i], 0)));
          expect(d.outPort).not.toBe(d.inPort);
          expect(d.inPort).toBe(ports.get(macAt(b.frames[i], 6)));
        });
      }
    }
  });

  it('pipeline: every packet leaves VXLAN-encapsulated towards the uplink, its inner source NATed to the host', () => {
    const host = ipToInt(LOCAL_PA);
    for (const w of workloads.filter((x) => x.name === 'pipeline')) {
      const [b, next] = results.get(w)!.wasm;
      // Each batch carries fresh flows (beforeBatch), all of which pass too (the counters above).
      expect(next.frames.filter((f, i) => !sameBytes(f, b.frames[i])).length).toBeGreaterThan(b.n / 2);
      expect(b.prep.program).toEqual(PIPELINE_PROGRAM);
      b.prep.frames.forEach((before, i) => {
        const after = b.frames[i];
        const d = b.descs[i];
        expect(after.length).toBe(before.length + 50);
        expect(d.flags & abi.F_ENCAPPED).toBe(abi.F_ENCAPPED);
        expect(d.outPort).toBe(PIPE_UPLINK);
        expect(u32(after, 26)).toBe(host); // outer source: the VTEP
        const inner = after.subarray(50);
        expect(u32(before, 26) >>> 16).toBe(0xac10); // 172.16/16: inside the NAT
        expect(u32(inner, 26)).toBe(host); // inner source after SNAT
        expect(u32(inner, 30)).toBe(u32(before, 30));
        expect(inner.subarray(0, 12)).toEqual(before.subarray(0, 12));
      });
    }
  });
});
