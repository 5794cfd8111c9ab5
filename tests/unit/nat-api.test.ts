/**
 * The NAT stage's behaviour through its API (loadNat / setNatClock / readers), the same assertions on
 * the WebAssembly core and the reference core.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import type { PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/core.js';
import '../../src/engine/reference/index.js';
import {
  loadNat, setNatClock, natClock, flushNat, readNatSessions, readNatMappings, natPoolFree, natSessionCount, natConfig,
} from '../../src/engine/loaders/nat.js';
import { NAT_MAX_INSTANCES, type NatConfig } from '../../src/table-images/nat.js';
import { dropReason } from '../../src/engine/drops.js';
import {
  EXT, frame, rawIpFrame, arpFrame, runNat, out, inb, fields, checksumProblems, type Outcome,
} from './nat-support.js';

const code = (name: string): number => {
  for (let c = 40; c < 50; c++) if (dropReason(c).name === name) return c;
  throw new Error(name);
};
const NO_MAPPING = code('NAT_NO_MAPPING');
const POOL_EXHAUSTED = code('NAT_POOL_EXHAUSTED');
const TABLE_FULL = code('NAT_TABLE_FULL');
const UNSUPPORTED = code('NAT_UNSUPPORTED');

const base: NatConfig = { externalAddress: EXT, internalPrefixes: ['172.16.0.0/16'] };

const kinds: [string, () => Promise<PacketCore>][] = [
  ['wasm', () => loadWasmCore({ slots: 64 })],
  ['reference', async () => new RefCore({ slots: 64 })],
];

function ok(o: Outcome, i = 0): void {
  expect(o.next[i], `packet ${i} dropped: ${dropReason(o.drop[i]).name}`).toBe(abi.NEXT_CONTINUE);
  expect(checksumProblems(o.frames[i])).toEqual([]);
}

describe.each(kinds)('nat on the %s core', (_kind, make) => {
  it('refuses invalid configurations with the reason', async () => {
    const core = await make();
    expect(() => loadNat(core, 0, { ...base, internalPrefixes: ['172.16.0.0/33'] })).toThrow(/not a.b.c.d\/n/);
    expect(() => loadNat(core, 0, { ...base, externalAddress: '172.16.5.5' })).toThrow(/inside internal prefix/);
    expect(() => loadNat(core, 0, { ...base, portRange: { first: 2000, last: 1999 } })).toThrow(/empty/);
    expect(() => loadNat(core, 0, { ...base, capacity: 0 })).toThrow(/capacity/);
    expect(() => loadNat(core, NAT_MAX_INSTANCES, base)).toThrow(/instance id/);
    expect(() => loadNat(core, 0, { ...base, timeouts: { udpIdle: 0 } })).toThrow(/udpIdle/);
    expect(() =>
      loadNat(core, 0, {
        ...base,
        staticMappings: [
          { protocol: 'tcp', externalPort: 80, internalAddress: '172.16.0.2', internalPort: 80 },
          { protocol: 'tcp', externalPort: 80, internalAddress: '172.16.0.3', internalPort: 80 },
        ],
      }),
    ).toThrow(/mapped twice/);
    expect(natConfig(core, 0)).toBeUndefined();
    expect(() => core.run(1, out(0))).toThrow();
  });

  it('translates an outbound flow from the pool, its reply back, and traces it', async () => {
    const core = await make();
    loadNat(core, 0, base);
    setNatClock(core, 100);
    const syn = frame({ proto: 'tcp', src: '172.16.0.2', sport: 5000, dst: '93.184.216.34', dport: 80, flags: 'S' });
    const o = runNat(core, [syn], out(), { trace: true });
    ok(o);
    expect(fields(o.frames[0])).toMatchObject({ src: EXT, sport: 49152, dst: '93.184.216.34', dport: 80 });
    expect(o.aux[0]).toBe(0);
    expect(o.trace.map((e) => [e.action, e.entry, e.field, e.before, e.after])).toEqual([
      [abi.A_CREATE, 0, abi.FIELD_NONE, 0n, 0n],
      [abi.A_CREATE, 0, abi.FIELD_IP_SRC, 0xac100002n, 0x0a00000an],
      [abi.A_CREATE, 0, abi.FIELD_SPORT, 5000n, 49152n],
    ]);
    // Again: the session is found, not created.
    const again = runNat(core, [syn], out(), { trace: true });
    expect(again.trace[0].action).toBe(abi.A_TRANSLATE);
    expect(fields(again.frames[0]).sport).toBe(49152);
    // The reply.
    const reply = runNat(core, [frame({ proto: 'tcp', src: '93.184.216.34', sport: 80, dst: EXT, dport: 49152, flags: 'SA' })], inb(), { trace: true });
    ok(reply);
    expect(fields(reply.frames[0])).toMatchObject({ src: '93.184.216.34', dst: '172.16.0.2', dport: 5000 });
    expect(reply.trace.map((e) => [e.action, e.field, e.before, e.after])).toEqual([
      [abi.A_TRANSLATE, abi.FIELD_NONE, 0n, 0n],
      [abi.A_TRANSLATE, abi.FIELD_IP_DST, 0x0a00000an, 0xac100002n],
      [abi.A_TRANSLATE, abi.FIELD_DPORT, 49152n, 5000n],
    ]);
    const [s] = readNatSessions(core, 0);
    expect(s).toMatchObject({
      index: 0, protocol: 'tcp', internalAddress: '172.16.0.2', internalPort: 5000, externalAddress: EXT, externalPort: 49152,
      remoteAddress: '93.184.216.34', remotePort: 80, published: false, state: 'established', createdAt: 100, expiresAt: 1900,
      expired: false,
    });
    const c = core.counters();
    expect(c.stages[abi.STAGE_NAT]).toEqual([3, 3, 0, 0]);
  });

  it('maps an internal endpoint to one external port for every remote (endpoint-independent), ports in pool order', async () => {
    const core = await make();
    loadNat(core, 0, base);
    const o = runNat(core, [
      frame({ proto: 'udp', src: '172.16.0.2', sport: 53000, dst: '8.8.8.8', dport: 53 }),
      frame({ proto: 'udp', src: '172.16.0.2', sport: 53000, dst: '1.1.1.1', dport: 53 }),
      frame({ proto: 'udp', src: '172.16.0.3', sport: 53000, dst: '8.8.8.8', dport: 53 }),
      frame({ proto: 'tcp', src: '172.16.0.3', sport: 53000, dst: '8.8.8.8', dport: 53, flags: 'S' }),
    ], out());
    for (let i = 0; i < 4; i++) ok(o, i);
    expect(o.frames.map((f) => fields(f).sport)).toEqual([49152, 49152, 49153, 49152]);
    expect(o.aux).toEqual([0, 1, 2, 3]);
    expect(readNatMappings(core, 0).map((m) => [m.protocol, m.internalAddress, m.externalPort, m.sessions])).toEqual([
      ['tcp', '172.16.0.3', 49152, 1],
      ['udp', '172.16.0.2', 49152, 2],
      ['udp', '172.16.0.3', 49153, 1],
    ]);
    expect(natPoolFree(core, 0)).toEqual({ tcp: 16383, udp: 16382, icmp: 16384 });
    // Inbound filtering is per session: another remote port to the same external port is refused.
    const probe = runNat(core, [frame({ proto: 'udp', src: '8.8.8.8', sport: 54, dst: EXT, dport: 49152 })], inb());
    expect(probe.drop[0]).toBe(NO_MAPPING);
  });

  it('publishes ports: inbound DNAT opens a session, the reply and outbound flows use the published port', async () => {
    const core = await make();
    loadNat(core, 0, {
      ...base,
      portRange: { first: 8000, last: 8003 },
      staticMappings: [{ protocol: 'tcp', externalPort: 8001, internalAddress: '172.16.0.5', internalPort: 80 }],
    });
    expect(natPoolFree(core, 0)).toEqual({ tcp: 3, udp: 4, icmp: 4 });
    const o = runNat(core, [frame({ proto: 'tcp', src: '198.51.100.7', sport: 40000, dst: EXT, dport: 8001, flags: 'S' })], inb(), { trace: true });
    ok(o);
    expect(fields(o.frames[0])).toMatchObject({ src: '198.51.100.7', dst: '172.16.0.5', dport: 80 });
    expect(o.trace[0]).toMatchObject({ action: abi.A_CREATE, entry: 0 });
    const r = runNat(core, [frame({ proto: 'tcp', src: '172.16.0.5', sport: 80, dst: '198.51.100.7', dport: 40000, flags: 'SA' })], out());
    ok(r);
    expect(fields(r.frames[0])).toMatchObject({ src: EXT, sport: 8001 });
    // The container opening a flow from its published port uses the published port too.
    const f = runNat(core, [frame({ proto: 'tcp', src: '172.16.0.5', sport: 80, dst: '203.0.113.9', dport: 443, flags: 'S' })], out());
    expect(fields(f.frames[0]).sport).toBe(8001);
    // A dynamic flow never gets the published port, though it lies in the pool's range.
    const d = runNat(core, [1, 2, 3].map((k) => frame({ proto: 'tcp', src: '172.16.0.9', sport: 1000 + k, dst: '203.0.113.9', dport: 443, flags: 'S' })), out());
    expect(d.frames.map((x) => fields(x).sport)).toEqual([8000, 8002, 8003]);
    const sessions = readNatSessions(core, 0);
    expect(sessions.filter((s) => s.published).map((s) => s.index)).toEqual([0, 1]);
    expect(readNatMappings(core, 0)[0]).toEqual({
      protocol: 'tcp', internalAddress: '172.16.0.5', internalPort: 80, externalAddress: EXT, externalPort: 8001, published: true,
    });
    // A published UDP port does not answer TCP.
    expect(runNat(core, [frame({ proto: 'udp', src: '198.51.100.7', sport: 1, dst: EXT, dport: 8001 })], inb()).drop[0]).toBe(NO_MAPPING);
  });

  it('hairpins a container to a published port of its own host with nat outbound then inbound', async () => {
    const core = await make();
    loadNat(core, 0, { ...base, staticMappings: [{ protocol: 'tcp', externalPort: 8080, internalAddress: '172.16.0.5', internalPort: 80 }] });
    const both = [...out(), ...inb()];
    const a = runNat(core, [frame({ proto: 'tcp', src: '172.16.0.2', sport: 5000, dst: EXT, dport: 8080, flags: 'S' })], both);
    ok(a);
    expect(fields(a.frames[0])).toMatchObject({ src: EXT, sport: 49152, dst: '172.16.0.5', dport: 80 });
    const b = runNat(core, [frame({ proto: 'tcp', src: '172.16.0.5', sport: 80, dst: EXT, dport: 49152, flags: 'SA' })], both);
    ok(b);
    expect(fields(b.frames[0])).toMatchObject({ src: EXT, sport: 8080, dst: '172.16.0.2', dport: 5000 });
  });

  it('translates ICMP echo identifiers, keeps a zero UDP checksum, refuses what it cannot translate', async () => {
    const core = await make();
    loadNat(core, 0, base);
    const o = runNat(core, [
      frame({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', id: 1 }),
      frame({ proto: 'udp', src: '172.16.0.2', sport: 7, dst: '8.8.8.8', dport: 9, udpChecksum: false }),
      frame({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', icmpType: 3 }),
      frame({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', icmpType: 'echo-reply', id: 1 }),
      frame({ proto: 'tcp', src: '172.16.0.2', sport: 7, dst: '8.8.8.8', dport: 9, moreFragments: true }),
      rawIpFrame('172.16.0.2', '8.8.8.8', 47),
      frame({ proto: 'tcp', src: '10.0.0.99', sport: 7, dst: '8.8.8.8', dport: 9 }),
      frame({ proto: 'tcp', src: '172.16.0.2', sport: 7, dst: '172.16.3.3', dport: 9 }),
      arpFrame(),
    ], out(), { trace: true });
    ok(o, 0);
    expect(fields(o.frames[0])).toMatchObject({ src: EXT, id: 49152, type: 8 });
    expect(o.trace.filter((e) => e.pkt === 0).map((e) => e.field)).toEqual([abi.FIELD_NONE, abi.FIELD_IP_SRC, abi.FIELD_ICMP_ID]);
    expect(o.next[1]).toBe(abi.NEXT_CONTINUE);
    expect(checksumProblems(o.frames[1], true)).toEqual([]);
    expect(new DataView(o.frames[1].buffer).getUint16(40)).toBe(0);
    expect(o.drop.slice(2, 4)).toEqual([UNSUPPORTED, UNSUPPORTED]);
    // A first fragment (MF, offset 0) carries its TCP header (RFC 791 §3.2): translated like a whole packet.
    expect(o.next[4]).toBe(abi.NEXT_CONTINUE);
    expect(fields(o.frames[4]).src).toBe(EXT);
    expect(o.drop[5]).toBe(UNSUPPORTED);
    // Not from an internal prefix, to an internal destination, not IPv4: untouched.
    for (const i of [6, 7]) expect(o.trace.filter((e) => e.pkt === i).map((e) => e.action)).toEqual([abi.A_PASS]);
    expect(o.next.slice(6)).toEqual([0, 0, 0]);
    expect(fields(o.frames[6]).src).toBe('10.0.0.99');
    const reply = runNat(core, [frame({ proto: 'icmp', src: '8.8.8.8', dst: EXT, icmpType: 'echo-reply', id: 49152 })], inb());
    ok(reply);
    expect(fields(reply.frames[0])).toMatchObject({ dst: '172.16.0.2', id: 1 });
    expect(core.counters().drops.get(UNSUPPORTED)).toBe(3);

    // Without ICMP translation (VFP outbound NAT), pings from containers fail.
    loadNat(core, 1, { ...base, translateIcmp: false });
    expect(runNat(core, [frame({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', id: 1 })], out(1)).drop[0]).toBe(UNSUPPORTED);
  });

  it('passes inbound misses to the host with inboundMissPasses, drops them otherwise', async () => {
    const core = await make();
    loadNat(core, 0, base);
    loadNat(core, 1, { ...base, inboundMissPasses: true });
    const frames = [
      frame({ proto: 'tcp', src: '198.51.100.7', sport: 1, dst: EXT, dport: 3389, flags: 'S' }),
      frame({ proto: 'icmp', src: '198.51.100.7', dst: EXT, id: 4 }),
      frame({ proto: 'tcp', src: '198.51.100.7', sport: 1, dst: '10.0.0.11', dport: 3389, flags: 'S' }),
    ];
    const a = runNat(core, frames, inb(0));
    expect(a.drop).toEqual([NO_MAPPING, UNSUPPORTED, 0]);
    const b = runNat(core, frames, inb(1), { trace: true });
    expect(b.next).toEqual([0, 0, 0]);
    expect(b.trace.map((e) => e.action)).toEqual([abi.A_PASS, abi.A_PASS, abi.A_PASS]);
  });

  it('expires sessions by the NAT clock and returns their ports to the pool tail', async () => {
    const core = await make();
    loadNat(core, 0, { ...base, portRange: { first: 1000, last: 1002 } });
    setNatClock(core, 1000);
    const flow = (sport: number) => frame({ proto: 'udp', src: '172.16.0.2', sport, dst: '8.8.8.8', dport: 53 });
    const back = (dport: number) => frame({ proto: 'udp', src: '8.8.8.8', sport: 53, dst: EXT, dport });
    expect(runNat(core, [flow(1), flow(2)], out()).frames.map((f) => fields(f).sport)).toEqual([1000, 1001]);
    // UdpInboundRefresh is off: replies do not extend the session.
    setNatClock(core, 1100);
    ok(runNat(core, [back(1000)], inb()));
    setNatClock(core, 1119);
    ok(runNat(core, [back(1000)], inb()));
    expect(natSessionCount(core, 0)).toBe(2);
    setNatClock(core, 1120);
    expect(readNatSessions(core, 0).map((s) => s.expired)).toEqual([true, true]);
    // Lazy reclaim: the lookup that finds it expired frees it; its port joins the pool's tail.
    expect(runNat(core, [back(1000)], inb()).drop[0]).toBe(NO_MAPPING);
    expect(natSessionCount(core, 0)).toBe(1);
    expect(natPoolFree(core, 0).udp).toBe(2);
    expect(runNat(core, [flow(3), flow(4)], out()).frames.map((f) => fields(f).sport)).toEqual([1002, 1000]);
    // The pool is empty now; the still unreclaimed expired session (port 1001) is swept on demand.
    const o = runNat(core, [flow(5), flow(6)], out());
    expect(fields(o.frames[0]).sport).toBe(1001);
    expect(o.drop[1]).toBe(POOL_EXHAUSTED);
    expect(natClock(core)).toBe(1120);
  });

  it('keeps TCP sessions transient until both directions are seen, established then, transient after FIN', async () => {
    const core = await make();
    loadNat(core, 0, { ...base, timeouts: { tcpEstablished: 1000, tcpTransient: 10 } });
    setNatClock(core, 5);
    const o = (flags: string) => frame({ proto: 'tcp', src: '172.16.0.2', sport: 9, dst: '8.8.8.8', dport: 80, flags });
    const i = (flags: string) => frame({ proto: 'tcp', src: '8.8.8.8', sport: 80, dst: EXT, dport: 49152, flags });
    runNat(core, [o('S'), o('S')], out());
    expect(readNatSessions(core, 0)[0]).toMatchObject({ state: 'transient', expiresAt: 15 });
    runNat(core, [i('SA')], inb());
    expect(readNatSessions(core, 0)[0]).toMatchObject({ state: 'established', expiresAt: 1005 });
    setNatClock(core, 900);
    runNat(core, [o('FA')], out());
    expect(readNatSessions(core, 0)[0]).toMatchObject({ state: 'closing', expiresAt: 910 });
    setNatClock(core, 910);
    expect(runNat(core, [i('A')], inb()).drop[0]).toBe(NO_MAPPING);
    expect(natSessionCount(core, 0)).toBe(0);
  });

  it('counts a full table, reclaims expired sessions for new ones, and flushes', async () => {
    const core = await make();
    loadNat(core, 0, { ...base, capacity: 2, timeouts: { udpIdle: 50 } });
    const f = (k: number) => frame({ proto: 'udp', src: '172.16.0.2', sport: k, dst: '8.8.8.8', dport: 53 });
    setNatClock(core, 0);
    runNat(core, [f(1)], out());
    setNatClock(core, 10);
    const o = runNat(core, [f(2), f(3)], out());
    expect(o.drop).toEqual([0, TABLE_FULL]);
    setNatClock(core, 50);
    // Session 0 expired at 50: the sweep frees it and index 0 is reused.
    const p = runNat(core, [f(3)], out());
    expect(p.aux[0]).toBe(0);
    expect(readNatSessions(core, 0).map((s) => [s.index, s.internalPort])).toEqual([[0, 3], [1, 2]]);
    expect(core.counters().drops.get(TABLE_FULL)).toBe(1);
    flushNat(core, 0);
    expect(natSessionCount(core, 0)).toBe(0);
    expect(natPoolFree(core, 0).udp).toBe(16384);
    expect(runNat(core, [f(9)], out()).aux[0]).toBe(0);
  });

  it('keeps sessions across a reload unless the new configuration contradicts them', async () => {
    const core = await make();
    const cfg: NatConfig = { ...base, internalPrefixes: ['172.16.0.0/24', '172.16.1.0/24'], portRange: { first: 2000, last: 2009 } };
    loadNat(core, 0, cfg);
    runNat(core, [
      frame({ proto: 'tcp', src: '172.16.0.2', sport: 1, dst: '8.8.8.8', dport: 80, flags: 'S' }),
      frame({ proto: 'tcp', src: '172.16.1.2', sport: 1, dst: '8.8.8.8', dport: 80, flags: 'S' }),
      frame({ proto: 'tcp', src: '172.16.0.3', sport: 1, dst: '8.8.8.8', dport: 80, flags: 'S' }),
    ], out());
    // Drop the second prefix and publish port 2002 (held by 172.16.0.3's mapping): two sessions go.
    loadNat(core, 0, { ...cfg, internalPrefixes: ['172.16.0.0/24'], staticMappings: [{ protocol: 'tcp', externalPort: 2002, internalAddress: '172.16.0.9', internalPort: 80 }] });
    expect(readNatSessions(core, 0).map((s) => [s.index, s.internalAddress, s.externalPort])).toEqual([[0, '172.16.0.2', 2000]]);
    // Pools are rebuilt in ascending order: 2001, 2003, ...
    const o = runNat(core, [frame({ proto: 'tcp', src: '172.16.0.4', sport: 1, dst: '8.8.8.8', dport: 80, flags: 'S' })], out());
    expect(fields(o.frames[0]).sport).toBe(2001);
    expect(natPoolFree(core, 0).tcp).toBe(7);
    // A new external address starts over.
    loadNat(core, 0, { ...cfg, externalAddress: '10.0.0.20' });
    expect(natSessionCount(core, 0)).toBe(0);
  });
});
