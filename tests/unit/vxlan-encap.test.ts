/**
 * Stage vxlan-encap on both cores: the outer header byte for byte, lengths and checksum, the UDP
 * source port, the descriptor after encap, every drop, pass-through and the trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { descAddr, readDescriptor, readFrame, writeBatch, type PacketCore, type ProgramStep } from '../../src/engine/core.js';
import { loadVtepTable } from '../../src/engine/loaders/vxlan.js';
import type { VtepTable } from '../../src/table-images/vxlan.js';
import { fillParseFields, udpFrame } from '../../src/bench/workloads/vxlan.js';
import { internetChecksum } from '../../src/wire/checksum.js';
import { toHex } from '../../src/wire/bytes.js';
import { makePair } from '../support/diff-harness.js';

const TABLE: VtepTable = {
  localAddresses: ['10.0.0.10'],
  localMac: '00-15-5D-00-00-0A',
  networks: [
    { network: 7, vni: 4096 },
    { network: 8, vni: 4097 },
    { network: 9, vni: 4098 },
  ],
  tunnels: [
    { network: 7, mac: '00-15-5D-12-30-02', remoteAddress: '10.0.0.11', nextHopMac: '00-15-5D-00-00-0B' },
    { network: 7, mac: '00-15-5D-12-30-03', remoteAddress: '10.0.0.12', nextHopMac: '00-15-5D-00-00-0C' },
    // The same endpoint MAC in another network goes through its own tunnel (and VNI).
    { network: 8, mac: '00-15-5D-12-30-02', remoteAddress: '10.0.0.12', nextHopMac: '00-15-5D-00-00-0C', localMac: '00-15-5D-00-00-AA' },
  ],
};
const ENCAP: ProgramStep[] = [{ stage: abi.STAGE_VXLAN_ENCAP, a0: 3 }];
const DST = 0x00155d123002;
const DST2 = 0x00155d123003;

function frame(dstMac: number, size = 64, sport = 40000): Uint8Array {
  return udpFrame({ srcMac: 0x00155d123004, dstMac, srcIp: 0x0a000104, dstIp: 0x0a000102, sport, dport: 80 }, size);
}

let cores: PacketCore[];
beforeAll(async () => {
  const pair = await makePair({ slots: 1024 });
  cores = [pair.wasm, pair.ref];
  for (const c of cores) loadVtepTable(c, 3, TABLE);
});

interface Opts {
  ctx?: number[] | number;
  hash?: number[];
  prepare?: (core: PacketCore) => void;
}

/** Writes the batch, fills parse's fields (D_HASH overridden by `hash`), runs encap. */
function run(core: PacketCore, frames: Uint8Array[], o: Opts = {}, program = ENCAP): void {
  core.resetCounters();
  writeBatch(core, frames, 0, o.ctx ?? 7);
  fillParseFields(core, frames.length);
  if (o.hash) o.hash.forEach((h, i) => core.view().setUint32(descAddr(core, i) + abi.D_HASH, h, true));
  o.prepare?.(core);
  core.run(frames.length, program);
}

describe.each([0, 1])('vxlan-encap (%s: 0 wasm, 1 reference)', (which) => {
  const core = () => cores[which];

  it('prepends the tunnel’s outer header in the headroom, byte for byte', () => {
    const inner = frame(DST);
    run(core(), [inner], { hash: [0x12345678] });
    const out = readFrame(core(), 0);
    expect(out.length).toBe(64 + 50);
    // sport = 0xC000 | ((h ^ h >>> 16) & 0x3FFF) = 0xC44C for h = 0x12345678.
    expect(toHex(out.subarray(0, 50))).toBe(
      '00155d00000b' + '00155d00000a' + '0800' +
        '4500' + '0064' + '0000' + '4000' + '8011' + 'e674' + '0a00000a' + '0a00000b' +
        'c44c' + '12b5' + '0050' + '0000' +
        '08000000' + '00100000',
    );
    expect(internetChecksum(out, 14, 20)).toBe(0);
    expect(toHex(out.subarray(50))).toBe(toHex(inner));
  });

  it('describes the outer frame in the descriptor and keeps context and hash', () => {
    run(core(), [frame(DST2)], { hash: [0xdeadbeef] });
    const d = readDescriptor(core(), 0);
    const slot = core().ringBase;
    expect(d.data).toBe(slot + abi.HEADROOM - 50);
    expect(d).toMatchObject({
      len: 114, l3: 14, l4: 34, ethertype: 0x0800, proto: 17,
      flags: abi.F_VXLAN | abi.F_ENCAPPED, aux: 1, ctx: 7, hash: 0xdeadbeef, next: abi.NEXT_CONTINUE, drop: 0,
    });
  });

  it('selects the tunnel by network and inner MAC, with that tunnel’s VNI and addresses', () => {
    run(core(), [frame(DST), frame(DST)], { ctx: [7, 8] });
    const a = readFrame(core(), 0);
    const b = readFrame(core(), 1);
    expect(toHex(a.subarray(0, 12))).toBe('00155d00000b00155d00000a');
    expect(toHex(b.subarray(0, 12))).toBe('00155d00000c00155d0000aa');
    expect(toHex(a.subarray(30, 34))).toBe('0a00000b');
    expect(toHex(b.subarray(30, 34))).toBe('0a00000c');
    expect(toHex(a.subarray(46, 50))).toBe('00100000');
    expect(toHex(b.subarray(46, 50))).toBe('00100100');
    expect(readDescriptor(core(), 1).aux).toBe(2);
  });

  it('patches lengths and the IPv4 checksum so it equals a full recompute at every size', () => {
    const sizes: number[] = [];
    for (let s = 42; s <= 1464; s += 7) sizes.push(s);
    sizes.push(1464);
    const frames = sizes.map((s) => frame(s % 2 ? DST : DST2, s, 1000 + s));
    run(core(), frames);
    sizes.forEach((s, i) => {
      const out = readFrame(core(), i);
      const dv = new DataView(out.buffer, out.byteOffset);
      expect(dv.getUint16(16), `ip total length at ${s}`).toBe(s + 36);
      expect(dv.getUint16(38), `udp length at ${s}`).toBe(s + 16);
      const stored = dv.getUint16(24);
      const copy = out.slice(14, 34);
      copy[10] = 0;
      copy[11] = 0;
      expect(stored, `checksum at ${s}`).toBe(internetChecksum(copy, 0, 20));
    });
  });

  it('maps the flow hash into 49152-65535, the same port for the same flow', () => {
    const hashes = Array.from({ length: 512 }, (_, k) => Math.imul(k + 1, 0x9e3779b1) >>> 0);
    hashes[1] = 0;
    hashes[2] = 0xffffffff;
    run(core(), hashes.map(() => frame(DST)), { hash: hashes });
    const ports = hashes.map((_, i) => new DataView(readFrame(core(), i).buffer).getUint16(34));
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(49152);
      expect(p).toBeLessThanOrEqual(65535);
    }
    expect(new Set(ports).size).toBeGreaterThan(480);
    // Same inner flow (parse's hash of it) → same port, in any batch position and any tunnel.
    const flows = [frame(DST, 64, 1234), frame(DST2, 64, 1235), frame(DST, 64, 1234), frame(DST2, 90, 1235), frame(DST, 200, 1234)];
    const again = (frames: Uint8Array[]) => {
      run(core(), frames);
      return frames.map((_, i) => new DataView(readFrame(core(), i).buffer).getUint16(34));
    };
    const p1 = again(flows);
    expect(p1[0]).toBe(p1[2]);
    expect(p1[0]).toBe(p1[4]);
    expect(p1[0]).not.toBe(p1[1]);
    expect(again([...flows].reverse())).toEqual([...p1].reverse());
  });

  it('drops unknown networks, broadcast and unknown destinations', () => {
    const frames = [frame(DST), frame(0xffffffffffff), frame(0x00155d999999), frame(DST), frame(0x01005e000001)];
    run(core(), frames, { ctx: [42, 7, 7, 9, 7] });
    const drops = frames.map((_, i) => readDescriptor(core(), i).drop);
    expect(drops).toEqual([
      51, // network 42 has no VNI: VXLAN_UNKNOWN_VNI
      50, // broadcast: VXLAN_NO_TUNNEL (HNS does not flood over VXLAN)
      50, // unknown unicast
      50, // network 9 has a VNI but no tunnel for that MAC
      50, // multicast
    ]);
    for (let i = 0; i < frames.length; i++) {
      expect(readDescriptor(core(), i).next).toBe(abi.NEXT_DROP);
      expect(toHex(readFrame(core(), i))).toBe(toHex(frames[i]));
    }
    const c = core().counters();
    expect(c.stages[abi.STAGE_VXLAN_ENCAP]).toEqual([5, 0, 5, 0]);
    expect(c.drops.get(50)).toBe(4);
    expect(c.drops.get(51)).toBe(1);
  });

  it('drops frames beyond the underlay MTU: 1464 bytes pass, 1465 do not', () => {
    run(core(), [frame(DST, 1464), frame(DST, 1465), frame(DST, 1900)]);
    expect([0, 1, 2].map((i) => readDescriptor(core(), i).drop)).toEqual([0, 54, 54]);
    expect(readDescriptor(core(), 0).len).toBe(1514);
  });

  it('drops frames with less than 50 bytes of headroom left in the slot', () => {
    const frames = [frame(DST), frame(DST), frame(DST)];
    run(core(), frames, {
      prepare: (c) => {
        // Frame 0 starts 49 bytes into its slot, frame 1 exactly 50: move bytes and D_DATA.
        [49, 50].forEach((off, i) => {
          const d = descAddr(c, i);
          const slot = c.ringBase + i * abi.SLOT_SIZE;
          c.bytes().copyWithin(slot + off, slot + abi.HEADROOM, slot + abi.HEADROOM + 64);
          c.view().setUint32(d + abi.D_DATA, slot + off, true);
        });
      },
    });
    expect(readDescriptor(core(), 0).drop).toBe(54);
    expect(readDescriptor(core(), 1)).toMatchObject({ drop: 0, data: core().ringBase + abi.SLOT_SIZE, len: 114 });
    expect(readDescriptor(core(), 2).drop).toBe(0);
  });

  it('passes packets already encapsulated and skips packets no longer in flight', () => {
    const frames = [frame(DST), frame(DST), frame(DST)];
    run(core(), frames, { prepare: (c) => c.view().setUint8(descAddr(c, 2) + abi.D_NEXT, abi.NEXT_TX) }, [...ENCAP, ...ENCAP]);
    // The second encap step leaves packets 0 and 1 (F_ENCAPPED) alone: one outer header only.
    expect(readDescriptor(core(), 0).len).toBe(114);
    expect(readDescriptor(core(), 2)).toMatchObject({ len: 64, next: abi.NEXT_TX, flags: 0 });
    expect(core().counters().stages[abi.STAGE_VXLAN_ENCAP]).toEqual([4, 4, 0, 0]);
  });

  it('traces the decision and every outer field it wrote', () => {
    core().setTracing(true);
    run(core(), [frame(DST2, 100), frame(DST, 64)], { hash: [0x00010001, 0], ctx: [7, 42] });
    const ev = core().traceEvents();
    core().setTracing(false);
    const S = abi.STAGE_VXLAN_ENCAP;
    expect(ev.map((e) => [e.pkt, e.stage, e.action, e.entry, e.field, e.before, e.after])).toEqual([
      [0, S, abi.A_ENCAP, 1, abi.FIELD_NONE, 7n, 4096n],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_OUTER_ETH_DST, 0n, 0x00155d00000cn],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_OUTER_ETH_SRC, 0n, 0x00155d00000an],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_OUTER_IP_SRC, 0n, 0x0a00000an],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_OUTER_IP_DST, 0n, 0x0a00000cn],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_OUTER_SPORT, 0n, 0xc000n],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_VXLAN_VNI, 0n, 4096n],
      [0, S, abi.A_ENCAP, 1, abi.FIELD_LEN, 100n, 150n],
      [1, S, abi.A_DROP, -1, abi.FIELD_NONE, 0n, 51n],
    ]);
  });

  it('refuses to run against a table that was never loaded', () => {
    writeBatch(core(), [frame(DST)], 0, 7);
    expect(() => core().run(1, [{ stage: abi.STAGE_VXLAN_ENCAP, a0: 200 }])).toThrow(/vtep table not loaded|invariant/);
  });
});
