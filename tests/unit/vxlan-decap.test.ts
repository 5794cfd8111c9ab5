/**
 * Stage vxlan-decap on both cores: the descriptor after decap, every drop reason, outer headers of
 * other lengths, pass-through, the trace, and encap → decap round trips (also across cores).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import { descAddr, readDescriptor, readFrame, writeBatch, type PacketCore, type ProgramStep } from '../../src/engine/core.js';
import { loadVtepTable } from '../../src/engine/loaders/vxlan.js';
import type { VtepTable } from '../../src/table-images/vxlan.js';
import { fillParseFields, udpFrame, vxlanFrame } from '../../src/bench/workloads/vxlan.js';
import { buildFrame } from '../../src/wire/build.js';
import { toHex } from '../../src/wire/bytes.js';
import { makePair } from '../support/diff-harness.js';

/** Host 1 (PA 10.0.0.10) sends to endpoints on host 2 (PA 10.0.0.11). */
const HOST1: VtepTable = {
  localAddresses: ['10.0.0.10'],
  localMac: '00-15-5D-00-00-0A',
  networks: [
    { network: 7, vni: 4096 },
    { network: 8, vni: 4097 },
  ],
  tunnels: [
    { network: 7, mac: '00-15-5D-12-30-02', remoteAddress: '10.0.0.11', nextHopMac: '00-15-5D-00-00-0B' },
    { network: 8, mac: '00-15-5D-12-40-02', remoteAddress: '10.0.0.11', nextHopMac: '00-15-5D-00-00-0B' },
  ],
};
/** Host 2 knows the same VNIs under its own network ids, and has two provider addresses. */
const HOST2: VtepTable = {
  localAddresses: ['192.168.5.1', '10.0.0.11'],
  localMac: '00-15-5D-00-00-0B',
  networks: [
    { network: 70, vni: 4096 },
    { network: 80, vni: 4097 },
  ],
  tunnels: [],
};
const H1 = 3;
const H2 = 4;
const DECAP: ProgramStep[] = [{ stage: abi.STAGE_VXLAN_DECAP, a0: H2 }];
const ENCAP: ProgramStep[] = [{ stage: abi.STAGE_VXLAN_ENCAP, a0: H1 }];

const INNER = udpFrame({ srcMac: 0x00155d123004, dstMac: 0x00155d123002, srcIp: 0x0a000104, dstIp: 0x0a000102, sport: 40000, dport: 53 }, 80);

function vx(o: Partial<Parameters<typeof vxlanFrame>[0]> = {}): Uint8Array {
  return vxlanFrame({
    srcMac: 0x00155d00000a, dstMac: 0x00155d00000b, srcIp: 0x0a00000a, dstIp: 0x0a00000b, sport: 50000, vni: 4096, inner: INNER, ...o,
  });
}

/** A copy of `f` with byte `at` set to `v`. */
function poke(f: Uint8Array, at: number, v: number): Uint8Array {
  const c = f.slice();
  c[at] = v;
  return c;
}

let cores: PacketCore[];
beforeAll(async () => {
  const pair = await makePair();
  cores = [pair.wasm, pair.ref];
  for (const c of cores) {
    loadVtepTable(c, H1, HOST1);
    loadVtepTable(c, H2, HOST2);
  }
});

function run(core: PacketCore, frames: Uint8Array[], program: ProgramStep[], prepare?: (c: PacketCore) => void, ctx: number[] | number = 0): void {
  core.resetCounters();
  writeBatch(core, frames, 0, ctx);
  fillParseFields(core, frames.length);
  prepare?.(core);
  core.run(frames.length, program);
}

describe.each([0, 1])('vxlan-decap (%s: 0 wasm, 1 reference)', (which) => {
  const core = () => cores[which];

  it('strips the outer headers without moving bytes and puts the frame in its network', () => {
    run(core(), [vx(), vx({ vni: 4097, dstIp: 0xc0a80501 })], DECAP);
    const slot0 = core().ringBase + abi.HEADROOM;
    expect(readDescriptor(core(), 0)).toMatchObject({
      data: slot0 + 50, len: INNER.length, l3: 0, l4: 0, ethertype: 0, proto: 0, flags: 0, ctx: 70, aux: 0, next: 0, drop: 0,
    });
    expect(readDescriptor(core(), 1)).toMatchObject({ ctx: 80, aux: 1, next: 0 });
    expect(toHex(readFrame(core(), 0))).toBe(toHex(INNER));
    expect(toHex(readFrame(core(), 1))).toBe(toHex(INNER));
    expect(core().counters().stages[abi.STAGE_VXLAN_DECAP]).toEqual([2, 2, 0, 0]);
  });

  it('leaves the inner frame for parse: a second parse finds its headers', () => {
    run(core(), [vx()], DECAP);
    fillParseFields(core(), 1);
    expect(readDescriptor(core(), 0)).toMatchObject({ l3: 14, l4: 34, proto: 17, ethertype: 0x0800, flags: 0, ctx: 70 });
  });

  it('strips an outer 802.1Q tag and outer IPv4 options with the headers', () => {
    const tagged = buildFrame({
      eth: { src: 0x00155d00000a, dst: 0x00155d00000b },
      vlan: { vid: 12 },
      ipv4: { src: '10.0.0.10', dst: '10.0.0.11', dontFragment: true },
      udp: { sport: 50001, dport: 4789, checksum: false },
      vxlan: { vni: 4096, inner: INNER },
    });
    const options = buildFrame({
      eth: { src: 0x00155d00000a, dst: 0x00155d00000b },
      ipv4: { src: '10.0.0.10', dst: '10.0.0.11', options: new Uint8Array([1, 1, 1, 0]) },
      udp: { sport: 50002, dport: 4789, checksum: false },
      vxlan: { vni: 4097, inner: INNER },
    });
    run(core(), [tagged, options], DECAP);
    for (const i of [0, 1]) {
      expect(readDescriptor(core(), i)).toMatchObject({ len: INNER.length, drop: 0, ctx: i ? 80 : 70 });
      expect(readDescriptor(core(), i).data - (core().ringBase + i * abi.SLOT_SIZE + abi.HEADROOM)).toBe(54);
      expect(toHex(readFrame(core(), i))).toBe(toHex(INNER));
    }
  });

  it('drops outer headers not for this VTEP on UDP 4789 (VXLAN_BAD_OUTER)', () => {
    const frames = [
      vx({ dstIp: 0x0a00000c }), // another host's address
      vx(), // UDP port changed below, F_VXLAN kept
      vx(), // UDP length below VXLAN + inner Ethernet
      vx(), // UDP length beyond the frame
      vx(), // D_PROTO not UDP
      vx(), // no L4 offset
    ];
    run(core(), frames, DECAP, (c) => {
      const dv = c.view();
      const at = (i: number) => dv.getUint32(descAddr(c, i) + abi.D_DATA, true);
      dv.setUint16(at(1) + 36, 4790);
      dv.setUint16(at(2) + 38, 29);
      dv.setUint16(at(3) + 38, INNER.length + 17);
      dv.setUint8(descAddr(c, 4) + abi.D_PROTO, 6);
      dv.setUint8(descAddr(c, 5) + abi.D_L4, 0);
    });
    for (let i = 0; i < frames.length; i++) {
      expect(readDescriptor(core(), i), `packet ${i}`).toMatchObject({ next: abi.NEXT_DROP, drop: 53 });
    }
    expect(core().counters().drops.get(53)).toBe(frames.length);
  });

  it('accepts the smallest and the largest UDP length that fit', () => {
    const bare = vx({ inner: INNER.subarray(0, 14) });
    run(core(), [bare, vx()], DECAP, (c) => {
      // Packet 1: frame two bytes longer than UDP says (trailing bytes are not inner frame).
      const d = descAddr(c, 1);
      c.view().setUint16(d + abi.D_LEN, c.view().getUint16(d + abi.D_LEN, true) + 2, true);
    });
    expect(readDescriptor(core(), 0)).toMatchObject({ drop: 0, len: 14 });
    expect(readDescriptor(core(), 1)).toMatchObject({ drop: 0, len: INNER.length });
  });

  it('drops VXLAN headers whose flags are not exactly I or whose reserved bits are set', () => {
    const good = vx();
    const frames = [poke(good, 42, 0x00), poke(good, 42, 0x0c), poke(good, 42, 0x88), poke(good, 43, 1), poke(good, 45, 0x80), poke(good, 49, 1)];
    run(core(), frames, DECAP);
    for (let i = 0; i < frames.length; i++) {
      expect(readDescriptor(core(), i), `packet ${i}`).toMatchObject({ next: abi.NEXT_DROP, drop: 52 });
    }
  });

  it('drops VNIs this host does not know (VXLAN_UNKNOWN_VNI)', () => {
    run(core(), [vx({ vni: 4098 }), vx({ vni: 0 }), vx({ vni: 0xffffff }), vx()], DECAP);
    expect([0, 1, 2, 3].map((i) => readDescriptor(core(), i).drop)).toEqual([51, 51, 51, 0]);
  });

  it('passes frames that are not VXLAN, or were encapsulated in this pass, untouched', () => {
    const plain = udpFrame({ srcMac: 1, dstMac: 2, srcIp: 0x0a00000a, dstIp: 0x0a00000b, sport: 1, dport: 4788 }, 64);
    run(core(), [plain], DECAP);
    expect(readDescriptor(core(), 0)).toMatchObject({ next: 0, len: 64, l3: 14, l4: 34, proto: 17 });
    expect(toHex(readFrame(core(), 0))).toBe(toHex(plain));
    expect(core().counters().stages[abi.STAGE_VXLAN_DECAP]).toEqual([1, 1, 0, 0]);
    // INNER is encapsulated towards 10.0.0.11 (host 2) by ENCAP; a decap later in the same program
    // (with host 2's table) leaves it alone instead of taking it apart again.
    run(core(), [INNER], [...ENCAP, ...DECAP], undefined, 7);
    expect(readDescriptor(core(), 0)).toMatchObject({ next: 0, len: INNER.length + 50, flags: abi.F_VXLAN | abi.F_ENCAPPED, ctx: 7 });
    expect(core().counters().stages[abi.STAGE_VXLAN_DECAP]).toEqual([1, 1, 0, 0]);
  });

  it('traces the decision and the outer fields it removed', () => {
    core().setTracing(true);
    run(core(), [vx({ sport: 51000 }), vx({ vni: 5 })], DECAP);
    const ev = core().traceEvents();
    core().setTracing(false);
    const S = abi.STAGE_VXLAN_DECAP;
    expect(ev.map((e) => [e.pkt, e.stage, e.action, e.entry, e.field, e.before, e.after])).toEqual([
      [0, S, abi.A_DECAP, 0, abi.FIELD_NONE, 4096n, 70n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_OUTER_ETH_DST, 0x00155d00000bn, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_OUTER_ETH_SRC, 0x00155d00000an, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_OUTER_IP_SRC, 0x0a00000an, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_OUTER_IP_DST, 0x0a00000bn, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_OUTER_SPORT, 51000n, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_VXLAN_VNI, 4096n, 0n],
      [0, S, abi.A_DECAP, 0, abi.FIELD_LEN, BigInt(INNER.length + 50), BigInt(INNER.length)],
      [1, S, abi.A_DROP, -1, abi.FIELD_NONE, 0n, 51n],
    ]);
  });
});

describe('encap → decap round trip', () => {
  function roundTrip(enc: PacketCore, dec: PacketCore, frames: Uint8Array[], ctx: number[]): void {
    run(enc, frames, ENCAP, undefined, ctx);
    const wire = frames.map((_, i) => readFrame(enc, i));
    run(dec, wire, DECAP);
    frames.forEach((f, i) => {
      expect(readDescriptor(dec, i), `packet ${i}`).toMatchObject({ next: 0, ctx: ctx[i] === 7 ? 70 : 80, len: f.length });
      expect(toHex(readFrame(dec, i)), `packet ${i}`).toBe(toHex(f));
    });
  }

  const frames = [42, 64, 65, 512, 1000, 1464].flatMap((size, k) => [
    udpFrame({ srcMac: 0x00155d123004, dstMac: 0x00155d123002, srcIp: 0x0a000104, dstIp: 0x0a000102, sport: 1000 + k, dport: 80 }, size),
    udpFrame({ srcMac: 0x00155d124004, dstMac: 0x00155d124002, srcIp: 0x0a010104, dstIp: 0x0a010102, sport: 2000 + k, dport: 443 }, size),
  ]);
  const ctx = frames.map((_, i) => (i % 2 ? 8 : 7));

  it('returns the original frame on the same core (wasm, reference)', () => {
    for (const c of cores) roundTrip(c, c, frames, ctx);
  });

  it('returns the original frame across cores (wasm encap → reference decap and back)', () => {
    roundTrip(cores[0], cores[1], frames, ctx);
    roundTrip(cores[1], cores[0], frames, ctx);
  });
});

describe('with the parse stage', () => {
  const PARSE: ProgramStep = { stage: abi.STAGE_PARSE };

  it('parse → encap → (wire) → parse → decap → parse gives the original frame, parsed, in its network', () => {
    for (const c of cores) {
      const frames = [INNER, udpFrame({ srcMac: 0x00155d124004, dstMac: 0x00155d124002, srcIp: 0x0a010104, dstIp: 0x0a010102, sport: 7, dport: 9 }, 300)];
      writeBatch(c, frames, 0, [7, 8]);
      c.run(2, [PARSE, ...ENCAP]);
      const hash = readDescriptor(c, 0).hash;
      expect(hash, c.kind).not.toBe(0);
      const wire = frames.map((_, i) => readFrame(c, i));
      // The outer source port comes from parse's hash of the inner flow.
      expect(new DataView(wire[0].buffer).getUint16(34)).toBe(0xc000 | ((hash ^ (hash >>> 16)) & 0x3fff));
      writeBatch(c, wire, 0, 0);
      c.run(2, [PARSE, ...DECAP, PARSE]);
      frames.forEach((f, i) => {
        expect(readDescriptor(c, i), `${c.kind} packet ${i}`).toMatchObject({ next: 0, l3: 14, l4: 34, proto: 17, ethertype: 0x0800, ctx: i ? 80 : 70 });
        expect(toHex(readFrame(c, i))).toBe(toHex(f));
      });
    }
  });

  it('decap sees parse’s F_VXLAN only with the I flag; other reserved bits are its own drop', () => {
    for (const c of cores) {
      const good = vx();
      c.resetCounters();
      writeBatch(c, [poke(good, 42, 0x00), poke(good, 43, 1), good], 0, 0);
      c.run(3, [PARSE, ...DECAP]);
      expect([0, 1, 2].map((i) => readDescriptor(c, i).drop), c.kind).toEqual([0, 52, 0]);
      expect(readDescriptor(c, 0)).toMatchObject({ next: 0, len: good.length, l4: 34 });
      expect(readDescriptor(c, 2)).toMatchObject({ next: 0, len: INNER.length, ctx: 70 });
    }
  });
});
