/**
 * A flood's batches (src/sim/flood-shards.ts FlowBatches): on the WebAssembly core the frames are
 * written, handed from place to place and counted by assembly/flood.ts, on the reference core by
 * TypeScript. Both must give each flow's frame exactly (the template patched to the flow, checksum
 * included), the same descriptors, and the same verdict counts. Packet Path's own mechanism: no
 * Windows behaviour is involved.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { SIM_CORE_OPTIONS, SpaceCore, type PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/index.js';
import { runScript } from '../../src/index.js';
import type { RunResult } from '../../src/result.js';
import { loadAcl } from '../../src/engine/loaders/acl.js';
import { FlowBatches, flowField, flowPatch, patchFlow, sendPackets, sendRounds, type FloodProto } from '../../src/sim/flood-shards.js';
import { buildFrame } from '../../src/wire/build.js';

function template(proto: FloodProto, size: number, udpChecksum = true): Uint8Array {
  const base = { eth: { src: 0x00155d000001, dst: 0x00155d000002 }, ipv4: { src: 0x0a000032, dst: 0xac100005, ttl: 128 } };
  const payload = new Uint8Array(Math.max(0, size - (proto === 'tcp' ? 54 : 42)));
  const f = flowField(proto, 0);
  if (proto === 'icmp') return buildFrame({ ...base, icmp: { type: 'echo-request', id: f, seq: 1 }, payload, minLength: size });
  const frame = proto === 'udp' ? buildFrame({ ...base, udp: { sport: f, dport: 53 }, payload, minLength: size }) : buildFrame({ ...base, tcp: { sport: f, dport: 8080, flags: 'S', seq: 1 }, payload, minLength: size });
  if (proto === 'udp' && !udpChecksum) frame.fill(0, 40, 42);
  return frame;
}

const slot = (core: PacketCore, i: number, len: number) => core.bytes().slice(core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM, core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM + len);
const desc = (core: PacketCore, i: number) => core.bytes().slice(core.descBase + i * abi.DESC_SIZE, core.descBase + (i + 1) * abi.DESC_SIZE);

describe('a flood batch on the WebAssembly core and on the reference core', () => {
  const cases: { proto: FloodProto; size: number; udpChecksum?: boolean }[] = [
    { proto: 'tcp', size: 64 },
    { proto: 'tcp', size: 61 },
    { proto: 'tcp', size: 1514 },
    { proto: 'udp', size: 60 },
    { proto: 'udp', size: 77, udpChecksum: false },
    { proto: 'icmp', size: 64 },
    { proto: 'icmp', size: 1003 },
  ];
  for (const c of cases) {
    it(`writes each flow's frame and descriptor: ${c.proto}, ${c.size} bytes${c.udpChecksum === false ? ', no UDP checksum' : ''}`, async () => {
      const t = template(c.proto, c.size, c.udpChecksum);
      const patch = flowPatch(t, c.proto);
      const order = Int32Array.from([7, 0, 4095, 25535, 25536, 3, 64511]);
      const wasm = await loadWasmCore({ slots: 32, traceCapacity: 0 });
      expect(typeof wasm.exports.flood_feed).toBe('function');
      const ref = new RefCore({ slots: 32, traceCapacity: 0 });
      const place = (core: PacketCore) => [{ core, inPort: 3, ctx: 0x1234, program: [] }];
      for (const core of [wasm, ref]) {
        // Dirty slots and descriptors first: a batch must not depend on what the ring held.
        core.bytes().fill(0xa5, core.ringBase, core.ringBase + 32 * abi.SLOT_SIZE);
        core.bytes().fill(0x5a, core.descBase, core.descBase + 32 * abi.DESC_SIZE);
        const b = new FlowBatches(place(core), t, patch, order);
        b.write(5, 20);
        for (let i = 0; i < 20; i++) {
          const expected = t.slice();
          patchFlow(expected, 0, patch, order[(5 + i) % order.length]!);
          expect(Buffer.from(slot(core, i, t.length)).equals(Buffer.from(expected)), `${core.kind} slot ${i}`).toBe(true);
          const d = new DataView(desc(core, i).buffer);
          expect(d.getUint32(abi.D_DATA, true)).toBe(core.ringBase + i * abi.SLOT_SIZE + abi.HEADROOM);
          expect(d.getUint16(abi.D_LEN, true)).toBe(t.length);
          expect(d.getUint16(abi.D_IN_PORT, true)).toBe(3);
          expect(d.getUint16(abi.D_OUT_PORT, true)).toBe(abi.OUT_PORT_NONE);
          expect(d.getUint32(abi.D_CTX, true)).toBe(0x1234);
          for (const off of [abi.D_VLAN, abi.D_NEXT, abi.D_DROP, abi.D_ETHERTYPE, abi.D_FLAGS, abi.D_AUX, abi.D_HASH]) expect(d.getUint8(off), `${core.kind} descriptor ${i} byte ${off}`).toBe(0);
        }
        b.finish();
      }
    });
  }

  it('counts verdicts alike: a batch whose every other packet is dropped', async () => {
    const t = template('tcp', 64);
    const patch = flowPatch(t, 'tcp');
    const counts: { delivered: number; drops: [number, number][]; heard: number[] }[] = [];
    for (const core of [await loadWasmCore({ slots: 32, traceCapacity: 0 }), new RefCore({ slots: 32, traceCapacity: 0 })] as PacketCore[]) {
      const b = new FlowBatches([{ core, inPort: 1, ctx: 0, program: [] }], t, patch, Int32Array.from({ length: 10 }, (_, k) => k));
      const heard: number[] = [];
      for (const round of [0, 1]) {
        b.write(round * 25, 25);
        const dv = core.view();
        for (let i = 0; i < 25; i += 2) {
          dv.setUint8(core.descBase + i * abi.DESC_SIZE + abi.D_NEXT, abi.NEXT_DROP);
          dv.setUint8(core.descBase + i * abi.DESC_SIZE + abi.D_DROP, i % 4 === 0 ? 7 : 9);
        }
        b.tally(core, 25, (i) => heard.push(round * 25 + i));
      }
      counts.push({ delivered: b.delivered, drops: [...b.finish()].sort((x, y) => x[0] - y[0]), heard });
    }
    expect(counts[0]).toEqual(counts[1]);
    expect(counts[0]!.delivered).toBe(24);
    expect(counts[0]!.drops).toEqual([[7, 14], [9, 12]]);
    expect(counts[0]!.heard).toHaveLength(26);
  });
});

describe("a flood's room in the data plane", () => {
  it('is given back when the flood ends: a hundred floods of 64,512 flows leave the memory as one does', async () => {
    const t = template('udp', 1514);
    const patch = flowPatch(t, 'udp');
    const order = Int32Array.from({ length: 64512 }, (_, k) => k);
    const core = await loadWasmCore({ slots: 16, traceCapacity: 0 });
    const once = () => {
      const b = new FlowBatches([{ core, inPort: 1, ctx: 0, program: [] }], t, patch, order);
      b.write(0, 16);
      b.tally(core, 16);
      b.finish();
    };
    once();
    const size = core.exports.memory.buffer.byteLength;
    // Each flood takes 258 KB of words (and the template and its counters): 25 MB if none came back.
    for (let k = 0; k < 100; k++) once();
    expect(core.exports.memory.buffer.byteLength).toBe(size);
  });
});

describe("a worker's rounds", () => {
  it('stop at the first packet of a flow the replica drops, and name that flow (both cores)', async () => {
    const t = template('tcp', 64);
    const patch = flowPatch(t, 'tcp');
    // Outbound, flow 5's source port (40005) blocked: a replica that disagrees with the planes.
    const block = {
      semantics: 'vfp' as const, defaultAction: 'allow' as const,
      rules: [{ id: 'x', priority: 1, direction: 'out' as const, protocol: 6, local: [], remote: [], localPorts: [{ lo: 40005, hi: 40005 }], remotePorts: [], action: 'block' as const }],
    };
    const program = [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ACL, a0: 1, a1: 1 }];
    for (const core of [await loadWasmCore({ slots: 64, traceCapacity: 0 }), new RefCore({ slots: 64, traceCapacity: 0 })] as PacketCore[]) {
      loadAcl(core, 1, block);
      const places = [{ core, inPort: 1, ctx: 0, program }];
      const io = { yield: async () => undefined };
      // Rounds 1.. of flows 0..9 (10 flows, 1,000 packets): flow 5 is dropped in the first batch.
      const mine = Array.from({ length: 10 }, (_, k) => k);
      const bad = await sendRounds(places, { template: t, patch, flows: 10, total: 1000, mine }, 64, io, true);
      expect(bad.disagreed, core.kind).toEqual({ flow: 5, reason: expect.any(Number) });
      expect(bad.sent, core.kind).toBe(64);
      // Without flow 5 every packet passes; the session's own planes (mustPass false) count the drops.
      const good = await sendRounds(places, { template: t, patch, flows: 10, total: 1000, mine: mine.filter((f) => f !== 5) }, 64, io, true);
      expect(good, core.kind).toMatchObject({ disagreed: null, sent: 891, delivered: 891 });
      const local = await sendRounds(places, { template: t, patch, flows: 10, total: 1000, mine }, 64, io, false);
      expect(local.sent, core.kind).toBe(990);
      expect(local.delivered, core.kind).toBe(891);
      expect([...local.drops.values()], core.kind).toEqual([99]);
    }
  });
});

describe('a run of batches in one call (flood_run: every place a table space of one instance)', () => {
  // Two places, two hosts' rule sets: outbound, the first blocks flow 5's source port, the second flow 9's.
  const blocking = (port: number) => ({
    semantics: 'vfp' as const, defaultAction: 'allow' as const,
    rules: [{ id: 'x', priority: 1, direction: 'out' as const, protocol: 6, local: [], remote: [], localPorts: [{ lo: port, hi: port }], remotePorts: [], action: 'block' as const }],
  });
  const program = [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_ACL, a0: 1, a1: 1 }];
  const t = template('tcp', 64);
  const patch = flowPatch(t, 'tcp');
  const order = Int32Array.from({ length: 12 }, (_, k) => k);

  async function flood(cores: PacketCore[], count: number, listen: boolean) {
    loadAcl(cores[0]!, 1, blocking(flowField('tcp', 5)));
    loadAcl(cores[1]!, 1, blocking(flowField('tcp', 9)));
    const b = new FlowBatches(cores.map((core, k) => ({ core, inPort: k + 1, ctx: 0, program })), t, patch, order);
    const heard: number[] = [];
    const fast = b.inOneCall;
    const sent = await sendPackets(b, count, 64, { yield: async () => undefined }, listen ? (k, reason) => (heard.push(k * 1000 + reason), false) : undefined);
    return { fast, sent, delivered: b.delivered, drops: [...b.finish()].sort((x, y) => x[0] - y[0]), heard };
  }

  it('counts and hears the drops that batch-by-batch hand-over between instances gives', async () => {
    const wasm = await loadWasmCore({ slots: 64, traceCapacity: 0 });
    const spaces = () => [new SpaceCore(wasm, 1), new SpaceCore(wasm, 2)];
    const refs = () => [new RefCore({ slots: 64, traceCapacity: 0 }), new RefCore({ slots: 64, traceCapacity: 0 })];
    for (const [count, listen] of [[1000, true], [1000, false], [64 * 40 + 7, true]] as const) {
      const one = await flood(spaces(), count, listen);
      const other = await flood(refs(), count, listen);
      expect(one.fast).toBe(true);
      expect(other.fast).toBe(false);
      expect({ ...one, fast: 0 }).toEqual({ ...other, fast: 0 });
      // Flows 5 and 9 of 12: 2 packets in 12 dropped, each heard once (listened to) with its packet number.
      expect(one.delivered).toBe(count - 2 * Math.floor(count / 12) - (count % 12 > 5 ? 1 : 0) - (count % 12 > 9 ? 1 : 0));
      if (listen) expect(one.heard.map((h) => Math.floor(h / 1000) % 12).every((f) => f === 5 || f === 9)).toBe(true);
      expect(one.heard).toHaveLength(listen ? count - one.delivered : 0);
    }
  });

  it('stops where the listener stops it, at the packet it heard', async () => {
    const wasm = await loadWasmCore({ slots: 64, traceCapacity: 0 });
    const cores = [new SpaceCore(wasm, 1), new SpaceCore(wasm, 2)];
    loadAcl(cores[0]!, 1, blocking(flowField('tcp', 5)));
    loadAcl(cores[1]!, 1, blocking(flowField('tcp', 9)));
    const b = new FlowBatches(cores.map((core, k) => ({ core, inPort: k + 1, ctx: 0, program })), t, patch, order);
    const heard: number[] = [];
    // The first drop is packet 5 (batch 0); the listener stops at packet 12 * 10 + 9 = 129 (batch 2).
    const sent = await sendPackets(b, 5000, 64, { yield: async () => undefined }, (k) => (heard.push(k), k >= 129));
    expect(sent).toBe(192);
    expect(heard.at(-1)).toBe(129);
    b.finish();
  });
});

/** The rates are the only things allowed to differ. */
function comparable(r: RunResult): string {
  for (const s of r.steps) s.output = s.output.replace(/[\d,.]+ packets\/s end to end \([\d.]+ s\); the data plane alone [\d.]+ M/g, 'N');
  return JSON.stringify(r.steps.map((s) => [s.command, s.ok, s.output]));
}

describe('a flood on the WebAssembly core answers as on the reference core', () => {
  const NAT = ['client bing --ip 204.79.197.200 --internet', 'docker run -d --name web -p 8080:80 microsoft/iis', 'client laptop --ip 10.0.0.50'];
  for (const [name, line] of [
    ['a published port, 64 flows', 'flood laptop host1 tcp/8080 --packets 3000 --flows 64'],
    ['outbound UDP, dynamic ports', 'flood web bing udp/53 --packets 3000 --flows 300 --size 200'],
    ['a port nothing publishes (every packet dropped)', 'flood laptop host1 tcp/9999 --packets 700 --flows 9'],
  ] as const) {
    it(name, async () => {
      const text = [...NAT, line].join('\n');
      const wasm = await runScript(text, { seed: 1, floodPool: null });
      const ref = await runScript(text, { seed: 1, floodPool: null, createCore: async () => new RefCore({ ...SIM_CORE_OPTIONS, memory: 1 << 26 }) });
      expect(wasm.steps.at(-1)!.output).toMatch(/packets\/s end to end/);
      expect(comparable(wasm)).toBe(comparable(ref));
    });
  }
});
