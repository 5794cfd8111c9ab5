/**
 * The unified flow table's engine API and traces: a layer program the entry cannot hold is refused
 * with the reason, and a traced packet of a known flow takes the fast path, its hop naming the entry,
 * the ACL rule and the NAT session that built it, followed by the NAT translation's field changes.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { writeBatch } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { configureUft, readUftStats, UFT_MAX_TABLES } from '../../src/engine/loaders/uft.js';
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
    expect(readUftStats(core, 1)).toEqual({ capacity: 64, lookups: 0, hits: 0, inserts: 0, evictions: 0, stale: 0 });
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
});
