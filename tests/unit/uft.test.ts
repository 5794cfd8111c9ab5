/**
 * The unified flow table's engine API and traces: a layer program the entry cannot hold is refused
 * with the reason, and a traced packet of a known flow takes the fast path, its hop naming the entry,
 * the ACL rule and the NAT session that built it, followed by the NAT translation's field changes.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { writeBatch } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { configureUft, flushUft, readUftStats, readUftWays, UFT_MAX_CAPACITY, UFT_MAX_TABLES } from '../../src/engine/loaders/uft.js';
import { PIPE_HOST_PORT, PIPE_UFT, PIPELINE_PROGRAM, pipelineFlow, setupPipeline } from '../../src/bench/workloads/pipeline.js';

const WORLD = { sessions: 64, rules: 100, tunnels: 16 };

describe('uft engine API', () => {
  it('refuses layer programs an entry cannot hold', async () => {
    const core = await loadWasmCore({ traceCapacity: 0 });
    const layers = (...stages: number[]) => ({ capacity: 64, layers: stages.map((stage) => ({ stage, a0: 1 })) });
    expect(() => configureUft(core, 1, layers(abi.STAGE_ROUTE))).toThrow(/not a layer/);
    expect(() => configureUft(core, 1, layers(abi.STAGE_ACL, abi.STAGE_ACL))).toThrow(/twice/);
    expect(() => configureUft(core, 1, layers(abi.STAGE_VXLAN_ENCAP, abi.STAGE_MAC_REWRITE))).toThrow(/only switch/);
    expect(() => configureUft(core, UFT_MAX_TABLES, layers(abi.STAGE_ACL))).toThrow(/UFT id/);
    expect(() => configureUft(core, -1, layers(abi.STAGE_ACL))).toThrow(/UFT id/);
    expect(() => configureUft(core, 1, { capacity: 0, layers: [{ stage: abi.STAGE_ACL }] })).toThrow(/capacity/);
    // Guard steps: the steps a guard governs lie within the layer program; guards do not count as
    // a stage appearing twice, and one guard may govern another.
    const G = (k: number) => ({ stage: abi.STAGE_GUARD, a0: 0, a1: k });
    expect(() => configureUft(core, 1, { capacity: 64, layers: [G(2), { stage: abi.STAGE_ACL, a0: 1 }] })).toThrow(/governs 2 steps/);
    expect(() => configureUft(core, 1, { capacity: 64, layers: [{ stage: abi.STAGE_ACL, a0: 1 }, G(1)] })).toThrow(/governs 1 steps/);
    expect(() => configureUft(core, 1, { capacity: 64, layers: [G(0)] })).toThrow(/no layer, only guards/);
    configureUft(core, 2, { capacity: 64, layers: [G(3), G(1), { stage: abi.STAGE_ACL, a0: 1 }, { stage: abi.STAGE_NAT, a0: 1 }, G(1), { stage: abi.STAGE_SWITCH, a0: 1 }] });
    configureUft(core, 1, layers(abi.STAGE_ACL, abi.STAGE_NAT, abi.STAGE_MAC_REWRITE, abi.STAGE_VXLAN_ENCAP, abi.STAGE_SWITCH));
    expect(readUftStats(core, 1)).toEqual({ capacity: 64, maxCapacity: 64, lookups: 0, hits: 0, inserts: 0, evictions: 0, stale: 0, grows: 0 });
    expect(() => configureUft(core, 1, { capacity: 64, maxCapacity: 32, layers: [{ stage: abi.STAGE_ACL }] })).toThrow(/maximum capacity 32/);
    expect(() => configureUft(core, 1, { capacity: 64, maxCapacity: UFT_MAX_CAPACITY * 2, layers: [{ stage: abi.STAGE_ACL }] })).toThrow(/maximum capacity/);
  });

  it('traces a known flow as one fast-path hop naming its entry, rule and NAT session', async () => {
    const core = await loadWasmCore({ traceCapacity: 4096 });
    setupPipeline(core, { batch: 8, ...WORLD });
    configureUft(core, PIPE_UFT, { capacity: 64, layers: PIPELINE_PROGRAM.slice(1) });
    const program = [PIPELINE_PROGRAM[0], { stage: abi.STAGE_UFT, a0: PIPE_UFT }];
    const flows = [3, 5, 7, 11].map((k) => pipelineFlow(WORLD, k));
    const send = () => {
      writeBatch(core, flows.map((f) => f.frame), PIPE_HOST_PORT, flows.map((f) => f.ctx));
      core.setTracing(true);
      core.run(flows.length, program);
      const events = core.traceEvents();
      core.setTracing(false);
      return events;
    };
    const first = send();
    // The first packets walk the layers: the NAT layer's decision names each flow's session.
    const sessions = flows.map((_, i) => first.find((e) => e.pkt === i && e.stage === abi.STAGE_NAT && e.field === abi.FIELD_NONE)?.entry);
    const rules = flows.map((_, i) => first.find((e) => e.pkt === i && e.stage === abi.STAGE_ACL)?.entry);
    expect(first.some((e) => e.stage === abi.STAGE_UFT)).toBe(false);
    const second = send();
    flows.forEach((_, i) => {
      const mine = second.filter((e) => e.pkt === i && e.stage !== abi.STAGE_PARSE);
      const hop = mine[0];
      expect(hop).toMatchObject({ stage: abi.STAGE_UFT, action: abi.A_FAST_PATH, field: abi.FIELD_NONE });
      expect(hop.entry).toBeGreaterThanOrEqual(0);
      expect(Number(hop.after)).toBe(sessions[i]);
      expect(hop.before).toBe(BigInt((rules[i] ?? -1) >>> 0));
      // No layer ran for it; the translation's field changes follow the hop.
      expect(mine.some((e) => e.stage === abi.STAGE_ACL || e.stage === abi.STAGE_SWITCH)).toBe(false);
      expect(mine.some((e) => e.stage === abi.STAGE_NAT && e.field === abi.FIELD_IP_SRC)).toBe(true);
    });
    expect(readUftStats(core, PIPE_UFT)).toMatchObject({ hits: flows.length, inserts: flows.length });
  });

  /** Sends flows `from`..`to`-1 of the pipeline world through the UFT, in batches of 256. */
  function sendFlows(core: Awaited<ReturnType<typeof loadWasmCore>>, world: typeof WORLD, from: number, to: number): void {
    const program = [PIPELINE_PROGRAM[0], { stage: abi.STAGE_UFT, a0: PIPE_UFT }];
    for (let k = from; k < to; k += 256) {
      const flows = Array.from({ length: Math.min(256, to - k) }, (_, j) => pipelineFlow(world, k + j));
      writeBatch(core, flows.map((f) => f.frame), PIPE_HOST_PORT, flows.map((f) => f.ctx));
      core.run(flows.length, program);
    }
  }

  it('grows on demand: a second pass over more flows than its first capacity hits, every entry kept under its number', async () => {
    const world = { sessions: 4096, rules: 100, tunnels: 16 };
    const core = await loadWasmCore({ traceCapacity: 0 });
    setupPipeline(core, { batch: 256, ...world });
    configureUft(core, PIPE_UFT, { capacity: 1024, maxCapacity: 1 << 20, layers: PIPELINE_PROGRAM.slice(1) });
    sendFlows(core, world, 0, 4096);
    const first = readUftStats(core, PIPE_UFT)!;
    // No live flow was replaced: the table doubled instead (1,024 -> 8,192: 4,096 flows at most half load).
    expect(first).toMatchObject({ lookups: 4096, hits: 0, inserts: 4096, evictions: 0 });
    expect(first.grows).toBeGreaterThanOrEqual(2);
    expect(first.capacity).toBe(1024 << first.grows);
    // Entries are dense: numbers 1..4,096, each held by one way.
    const numbers = readUftWays(core, PIPE_UFT)!.numbers.filter((n) => n !== 0).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 4096 }, (_, k) => k + 1));
    sendFlows(core, world, 0, 4096);
    expect(readUftStats(core, PIPE_UFT)).toMatchObject({ lookups: 8192, hits: 4096, inserts: 4096, evictions: 0, grows: first.grows });
  });

  it('a traced hit names the same entry before and after the table grew', async () => {
    const world = { sessions: 1024, rules: 100, tunnels: 16 };
    const core = await loadWasmCore({ traceCapacity: 4096 });
    setupPipeline(core, { batch: 256, ...world });
    configureUft(core, PIPE_UFT, { capacity: 8, maxCapacity: 4096, layers: PIPELINE_PROGRAM.slice(1) });
    const program = [PIPELINE_PROGRAM[0], { stage: abi.STAGE_UFT, a0: PIPE_UFT }];
    const flows = [3, 5, 7, 11].map((k) => pipelineFlow(world, k));
    const entries = (): number[] => {
      writeBatch(core, flows.map((f) => f.frame), PIPE_HOST_PORT, flows.map((f) => f.ctx));
      core.setTracing(true);
      core.run(flows.length, program);
      const events = core.traceEvents();
      core.setTracing(false);
      return flows.map((_, i) => events.find((e) => e.pkt === i && e.stage === abi.STAGE_UFT && e.field === abi.FIELD_NONE)?.entry ?? -1);
    };
    entries();
    const before = entries();
    expect(before.every((e) => e >= 0)).toBe(true);
    // 1,000 more flows: the table of 8 doubles to 2,048 or more.
    sendFlows(core, world, 20, 1020);
    expect(readUftStats(core, PIPE_UFT)!.grows).toBeGreaterThanOrEqual(8);
    expect(entries()).toEqual(before);
  });

  it('stops at its maximum, then replaces flows as a fixed table does', async () => {
    const world = { sessions: 1024, rules: 100, tunnels: 16 };
    const core = await loadWasmCore({ traceCapacity: 0 });
    setupPipeline(core, { batch: 256, ...world });
    configureUft(core, PIPE_UFT, { capacity: 8, maxCapacity: 100, layers: PIPELINE_PROGRAM.slice(1) });
    sendFlows(core, world, 0, 1024);
    // 100 rounds up to 128 flows: 8 -> 128 in four doublings, and no further.
    const s = readUftStats(core, PIPE_UFT)!;
    expect(s).toMatchObject({ capacity: 128, maxCapacity: 128, grows: 4, inserts: 1024 });
    expect(s.evictions).toBeGreaterThan(1024 - 128 - 1);
    expect(readUftWays(core, PIPE_UFT)!.numbers.filter((n) => n !== 0).length).toBe(128);
  });

  it('returns what it outgrew: tables grown and configured again, flushed and grown again, take no more memory', async () => {
    const world = { sessions: 12_000, rules: 100, tunnels: 16 };
    const core = await loadWasmCore({ traceCapacity: 0 });
    setupPipeline(core, { batch: 256, ...world });
    const sizes: number[] = [];
    // Each round grows the table 64 -> 16,384 flows or more (2 MiB of regions, 10 rounds 20 MiB if
    // they were not returned: the memory would grow).
    for (let round = 0; round < 10; round++) {
      // Configured again (its layers changed): back to 64 flows, the grown regions freed.
      configureUft(core, PIPE_UFT, { capacity: 64, maxCapacity: 1 << 16, layers: PIPELINE_PROGRAM.slice(1) });
      sendFlows(core, world, 0, 12_000);
      expect(readUftStats(core, PIPE_UFT)!.grows).toBeGreaterThanOrEqual(8);
      // Flushed: the same number of new flows takes the dead entries' ways, without growing.
      const grown = readUftStats(core, PIPE_UFT)!;
      flushUft(core, PIPE_UFT);
      sendFlows(core, world, round % 2 ? 0 : 1, round % 2 ? 12_000 : 12_001);
      expect(readUftStats(core, PIPE_UFT)).toMatchObject({ capacity: grown.capacity, grows: grown.grows });
      sizes.push(core.view().buffer.byteLength);
    }
    expect(sizes.at(-1)).toBe(sizes[1]);
  });
});