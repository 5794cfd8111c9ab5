/**
 * Differential tests of the nat stage: seeded random WinNAT configurations (prefixes, pools, published
 * ports, timeouts, capacities down to a single session and a single port), random batches in both
 * directions (new flows, replies of live sessions, published ports, junk, fragments, other
 * protocols), the clock moving between batches, reloads and flushes — through the WebAssembly core
 * and the reference core, which must agree on bytes, descriptors, counters, trace events and the
 * tables the UI reads. Every checksum of every output frame is checked against a full recompute.
 * A failing case names its seed.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import type { PacketCore, ProgramStep } from '../../src/engine/core.js';
import {
  loadNat, setNatClock, flushNat, readNatSessions, readNatMappings, natPoolFree, natSessionCount,
} from '../../src/engine/loaders/nat.js';
import type { NatConfig, NatStaticMapping } from '../../src/table-images/nat.js';
import { makePair, rng, randInt, runBoth, type CorePair } from '../support/diff-harness.js';
import {
  EXT, frame, rawIpFrame, arpFrame, fillDescriptors, checksumProblems, type HashMode, type PacketSpec,
} from '../unit/nat-support.js';
import { fragmentFrame } from '../../src/sim/fragments.js';
import { internetChecksum } from '../../src/wire/checksum.js';

const PREFIXES = ['172.16.0.0/24', '172.16.1.0/24', '172.17.0.0/16', '192.168.5.0/28'];
const INTERNALS: Record<string, string[]> = {
  '172.16.0.0/24': ['172.16.0.2', '172.16.0.3', '172.16.0.250'],
  '172.16.1.0/24': ['172.16.1.2', '172.16.1.3'],
  '172.17.0.0/16': ['172.17.3.4', '172.17.200.1'],
  '192.168.5.0/28': ['192.168.5.2', '192.168.5.14'],
};
/** Not inside any of PREFIXES: outbound from it passes; a mapping to it is refused. */
const OUTSIDER = '172.18.0.2';
const REMOTES = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '198.51.100.7', '203.0.113.9'];
const OTHER_HOST = '10.0.0.11';
const INT_PORTS = [80, 443, 1000, 1001, 5000, 53000];
const REM_PORTS = [53, 80, 443, 40000, 40001];
const ICMP_IDS = [1, 2, 3, 0x4242];

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

interface World {
  cfg: NatConfig;
  internals: string[];
}

function randomConfig(r: R, tiny: boolean): World {
  const prefixes = PREFIXES.filter(() => r() < 0.5);
  if (prefixes.length === 0) prefixes.push(pick(r, PREFIXES));
  const internals = prefixes.flatMap((p) => INTERNALS[p]);
  const size = tiny ? randInt(r, 1, 6) : randInt(r, 16, 3000);
  const first = randInt(r, 1024, 65535 - size + 1);
  const statics: NatStaticMapping[] = [];
  const used = new Set<string>();
  for (let k = randInt(r, 0, 4); k > 0; k--) {
    const protocol = r() < 0.6 ? 'tcp' : 'udp';
    const externalPort = r() < 0.6 ? randInt(r, first, first + size - 1) : pick(r, [80, 8080, 8443, 3000]);
    if (used.has(`${protocol}/${externalPort}`)) continue;
    used.add(`${protocol}/${externalPort}`);
    statics.push({
      protocol, externalPort,
      internalAddress: r() < 0.9 ? pick(r, internals) : OUTSIDER,
      internalPort: pick(r, INT_PORTS),
    });
  }
  // A VFP load balancer (service VIP, ingress port): each published port gets up to three backends.
  const loadBalance = r() < 0.3;
  const mappings = loadBalance
    ? statics.flatMap((m) => [m, ...Array.from({ length: randInt(r, 0, 2) }, () => ({ ...m, internalAddress: pick(r, internals), internalPort: pick(r, INT_PORTS) }))])
    : statics;
  return {
    internals,
    cfg: {
      loadBalance,
      lbSeed: loadBalance ? randInt(r, 0, 0xffff) * 0x10001 : 0,
      externalAddress: EXT,
      internalPrefixes: prefixes,
      portRange: { first, last: first + size - 1 },
      capacity: tiny ? randInt(r, 1, 8) : randInt(r, 16, 4096),
      timeouts: {
        tcpEstablished: randInt(r, 5, 60), tcpTransient: randInt(r, 1, 20), udpIdle: randInt(r, 1, 30), icmpQuery: randInt(r, 1, 30),
      },
      udpInboundRefresh: r() < 0.3,
      translateIcmp: r() < 0.85,
      inboundMissPasses: r() < 0.2,
      staticMappings: mappings,
    },
  };
}

function mutateConfig(r: R, w: World): World {
  const next = randomConfig(r, (w.cfg.capacity ?? 0) <= 8);
  // Often keep capacity and external address, so live sessions survive the reload (or not).
  if (r() < 0.8) next.cfg.capacity = w.cfg.capacity;
  if (r() < 0.5) next.cfg.portRange = w.cfg.portRange;
  if (r() < 0.5) {
    next.cfg.staticMappings = w.cfg.staticMappings;
    next.cfg.loadBalance = w.cfg.loadBalance;
  }
  return next;
}

type Session = ReturnType<typeof readNatSessions>[number];

function randomPacket(r: R, w: World, sessions: Session[]): PacketSpec | Uint8Array {
  const proto = (): 'tcp' | 'udp' | 'icmp' => pick(r, ['tcp', 'tcp', 'udp', 'udp', 'icmp'] as const);
  const flags = (): string => pick(r, ['S', 'SA', 'A', 'PA', 'FA', 'R', 'A']);
  const statics = w.cfg.staticMappings ?? [];
  const k = r();
  if (k < 0.3) {
    // A new or existing outbound flow.
    const p = proto();
    const src = r() < 0.93 ? pick(r, w.internals) : OUTSIDER;
    const dst = r() < 0.92 ? pick(r, REMOTES) : r() < 0.5 ? pick(r, w.internals) : EXT;
    if (p === 'icmp') return { proto: p, src, dst, id: pick(r, ICMP_IDS) };
    return { proto: p, src, sport: pick(r, INT_PORTS), dst, dport: pick(r, REM_PORTS), flags: flags(), udpChecksum: r() < 0.85 };
  }
  if (k < 0.55 && sessions.length > 0) {
    // A packet of a session the table holds, either way.
    const s = pick(r, sessions);
    const inbound = r() < 0.6;
    if (s.protocol === 'icmp') {
      return inbound
        ? { proto: 'icmp', src: s.remoteAddress, dst: s.externalAddress, icmpType: 'echo-reply', id: s.externalPort }
        : { proto: 'icmp', src: s.internalAddress, dst: s.remoteAddress, id: s.internalPort };
    }
    return inbound
      ? { proto: s.protocol, src: s.remoteAddress, sport: s.remotePort, dst: s.externalAddress, dport: s.externalPort, flags: flags(), udpChecksum: r() < 0.85 }
      : { proto: s.protocol, src: s.internalAddress, sport: s.internalPort, dst: s.remoteAddress, dport: s.remotePort, flags: flags(), udpChecksum: r() < 0.85 };
  }
  if (k < 0.7 && statics.length > 0) {
    // Someone outside (or, rarely, inside) connects to a published port.
    const m = pick(r, statics);
    const src = r() < 0.9 ? pick(r, REMOTES) : pick(r, w.internals);
    return { proto: r() < 0.9 ? m.protocol : m.protocol === 'tcp' ? 'udp' : 'tcp', src, sport: randInt(r, 30000, 30003), dst: EXT, dport: m.externalPort, flags: flags() };
  }
  if (k < 0.85) {
    // Inbound junk: unknown ports, unknown identifiers, pings to the host, other destinations.
    const p = proto();
    const dst = r() < 0.85 ? EXT : OTHER_HOST;
    if (p === 'icmp') return { proto: p, src: pick(r, REMOTES), dst, icmpType: r() < 0.6 ? 'echo-reply' : 'echo-request', id: pick(r, [...ICMP_IDS, 49152]) };
    const { first, last } = w.cfg.portRange!;
    return { proto: p, src: pick(r, REMOTES), sport: pick(r, REM_PORTS), dst, dport: r() < 0.7 ? randInt(r, first, last) : randInt(r, 1, 65535), flags: flags() };
  }
  // Odd frames: fragments, other protocols, ICMP errors, echo replies from inside, ARP.
  const src = pick(r, w.internals);
  switch (randInt(r, 0, 5)) {
    case 0: return { proto: 'tcp', src, sport: 1000, dst: pick(r, REMOTES), dport: 80, moreFragments: true };
    case 1: return { proto: 'udp', src: pick(r, REMOTES), sport: 53, dst: EXT, dport: w.cfg.portRange!.first, moreFragments: true };
    case 2: return rawIpFrame(r() < 0.5 ? src : pick(r, REMOTES), r() < 0.5 ? pick(r, REMOTES) : EXT, pick(r, [47, 50, 132]));
    case 3: return { proto: 'icmp', src, dst: pick(r, REMOTES), icmpType: pick(r, [3, 11, 'echo-reply'] as const), id: 1 };
    case 4: return { proto: 'icmp', src: pick(r, REMOTES), dst: EXT, icmpType: 3 };
    default: return arpFrame();
  }
}

const OUT0: ProgramStep = { stage: abi.STAGE_NAT, a0: 0, a1: 0 };
const IN0: ProgramStep = { stage: abi.STAGE_NAT, a0: 0, a1: 1 };
const OUT1: ProgramStep = { stage: abi.STAGE_NAT, a0: 1, a1: 0 };
const IN1: ProgramStep = { stage: abi.STAGE_NAT, a0: 1, a1: 1 };
const PARSE: ProgramStep = { stage: abi.STAGE_PARSE };
const PROGRAMS: ProgramStep[][] = [[OUT0], [IN0], [OUT0, IN0], [IN0, OUT0], [OUT0, IN0], [OUT1, IN1], [OUT0, OUT1, IN1, IN0]];

let packetsChecked = 0;
/** What the random runs exercised (read from the wasm core's counters and outcomes). */
const seen = { drops: new Map<number, number>(), created: 0, translated: 0, passed: 0 };

function tally(pair: CorePair, trace: string[]): void {
  for (const [reason, k] of pair.wasm.counters().drops) seen.drops.set(reason, (seen.drops.get(reason) ?? 0) + k);
  for (const t of trace) {
    if (!t.includes(` s${abi.STAGE_NAT} `) || !t.includes(` f${abi.FIELD_NONE} `)) continue;
    if (t.includes(` a${abi.A_CREATE} `)) seen.created++;
    else if (t.includes(` a${abi.A_TRANSLATE} `)) seen.translated++;
    else if (t.includes(` a${abi.A_PASS} `)) seen.passed++;
  }
}

/** Compares what the UI reads from both cores. */
function sameTables(pair: CorePair, id: number, seed: number): void {
  const where = `(seed ${seed}, instance ${id})`;
  expect(readNatSessions(pair.wasm, id), `sessions ${where}`).toEqual(readNatSessions(pair.ref, id));
  expect(readNatMappings(pair.wasm, id), `mappings ${where}`).toEqual(readNatMappings(pair.ref, id));
  expect(natPoolFree(pair.wasm, id), `pools ${where}`).toEqual(natPoolFree(pair.ref, id));
  expect(natSessionCount(pair.wasm, id), `session count ${where}`).toBe(natSessionCount(pair.ref, id));
}

function checkChecksums(inputs: Uint8Array[], outHex: string[], seed: number): void {
  outHex.forEach((hex, i) => {
    const input = inputs[i];
    const udpZero = input.length > 41 && input[23] === 17 && input[40] === 0 && input[41] === 0;
    const problems = checksumProblems(Uint8Array.from(Buffer.from(hex, 'hex')), udpZero);
    expect(problems, `checksums of packet ${i} (seed ${seed})`).toEqual([]);
  });
}

async function runSeed(pair: CorePair, seed: number, batches: number): Promise<void> {
  const r = rng(seed);
  const tiny = seed % 2 === 1;
  let w0 = randomConfig(r, tiny);
  const w1 = randomConfig(r, !tiny);
  for (const core of [pair.wasm, pair.ref]) {
    setNatClock(core, 1000);
    loadNat(core, 0, w0.cfg);
    loadNat(core, 1, w1.cfg);
  }
  let now = 1000;
  const useParse = seed % 5 === 0;
  for (let b = 0; b < batches; b++) {
    const step = r();
    now += step < 0.5 ? randInt(r, 0, 3) : step < 0.9 ? randInt(r, 4, 20) : randInt(r, 30, 200);
    const act = r();
    for (const core of [pair.wasm, pair.ref]) setNatClock(core, now);
    if (act < 0.04) {
      w0 = mutateConfig(r, w0);
      for (const core of [pair.wasm, pair.ref]) loadNat(core, 0, w0.cfg);
    } else if (act < 0.06) {
      for (const core of [pair.wasm, pair.ref]) flushNat(core, 0);
    }
    const sessions = [...readNatSessions(pair.wasm, 0), ...readNatSessions(pair.wasm, 1)];
    const n = r() < 0.1 ? randInt(r, 100, 256) : randInt(r, 1, 48);
    const world = r() < 0.8 ? w0 : w1;
    const frames = Array.from({ length: n }, () => {
      const p = randomPacket(r, world, sessions);
      return p instanceof Uint8Array ? p : frame(p);
    });
    const program = pick(r, PROGRAMS);
    const hash: HashMode = r() < 0.8 ? 'parse' : r() < 0.5 ? 'zero' : 'garbage';
    const prepare = (core: PacketCore): void => fillDescriptors(core, n, hash, seed);
    const res = runBoth(pair, frames, useParse ? [PARSE, ...program] : program, { seed, trace: r() < 0.3, prepare });
    checkChecksums(frames, res.frames, seed);
    tally(pair, res.trace);
    pair.wasm.resetCounters();
    pair.ref.resetCounters();
    packetsChecked += n;
    sameTables(pair, 0, seed);
    sameTables(pair, 1, seed);
  }
}

describe('nat: WebAssembly core vs reference core', () => {
  it('agree on random configurations and batches in both directions, with timeouts, reloads and exhaustion', async () => {
    for (let seed = 1; seed <= 48; seed++) {
      const pair = await makePair({ slots: 256 });
      await runSeed(pair, seed, 16);
    }
  }, 600_000);

  it('agree under session churn in a larger table (index deletions, sweeps, pool reuse)', async () => {
    for (const seed of [1001, 1002]) {
      const pair = await makePair({ slots: 256 });
      const r = rng(seed);
      const cfg: NatConfig = {
        externalAddress: EXT, internalPrefixes: ['172.16.0.0/16'], portRange: { first: 20000, last: 20999 }, capacity: 3000,
        timeouts: { tcpEstablished: 40, tcpTransient: 10, udpIdle: 15, icmpQuery: 5 },
      };
      let now = 0;
      for (const core of [pair.wasm, pair.ref]) {
        loadNat(core, 0, cfg);
        setNatClock(core, now);
      }
      for (let b = 0; b < 40; b++) {
        now += randInt(r, 0, 4);
        for (const core of [pair.wasm, pair.ref]) setNatClock(core, now);
        const sessions = readNatSessions(pair.wasm, 0);
        const frames: Uint8Array[] = [];
        for (let i = 0; i < 256; i++) {
          if (sessions.length > 0 && r() < 0.5) {
            const s = pick(r, sessions);
            frames.push(s.protocol === 'icmp'
              ? frame({ proto: 'icmp', src: s.remoteAddress, dst: EXT, icmpType: 'echo-reply', id: s.externalPort })
              : frame({ proto: s.protocol, src: s.remoteAddress, sport: s.remotePort, dst: EXT, dport: s.externalPort, flags: 'A' }));
          } else {
            const p = pick(r, ['tcp', 'udp', 'icmp'] as const);
            const src = `172.16.${randInt(r, 0, 15)}.${randInt(r, 1, 254)}`;
            frames.push(p === 'icmp'
              ? frame({ proto: p, src, dst: pick(r, REMOTES), id: randInt(r, 1, 8) })
              : frame({ proto: p, src, sport: randInt(r, 1000, 1007), dst: pick(r, REMOTES), dport: pick(r, REM_PORTS), flags: pick(r, ['S', 'A', 'FA']) }));
          }
        }
        const res = runBoth(pair, frames, [OUT0, IN0], { seed, prepare: (core) => fillDescriptors(core, frames.length, 'parse') });
        checkChecksums(frames, res.frames, seed);
        packetsChecked += frames.length;
        sameTables(pair, 0, seed);
      }
    }
  }, 600_000);

  it('covered at least 20,000 packets and every outcome', () => {
    expect(packetsChecked).toBeGreaterThanOrEqual(20_000);
    for (const reason of [40, 41, 42, 43]) expect(seen.drops.get(reason) ?? 0, `drops ${reason}`).toBeGreaterThan(20);
    expect(seen.created).toBeGreaterThan(200);
    expect(seen.translated).toBeGreaterThan(200);
    expect(seen.passed).toBeGreaterThan(100);
    console.log(`nat diff: ${packetsChecked} packets; traced: ${seen.created} created, ${seen.translated} translated, ${seen.passed} passed; drops ${JSON.stringify([...seen.drops])}`);
  });
});

/**
 * Fragments through NAT in both cores. RFC 791 §3.2: only the first fragment carries the L4 header;
 * its session translates the later fragments of the datagram (same source, destination, protocol,
 * identification) — address and IPv4 checksum only. A later fragment that comes before its first
 * fragment is dropped (NAT_FRAGMENT_UNKNOWN): nothing holds fragments (docs/behaviour.md, WinNAT
 * and fragments).
 */
describe('nat: fragments in both cores', () => {
  const cfg: NatConfig = { externalAddress: EXT, internalPrefixes: ['172.16.0.0/24'], portRange: { first: 50000, last: 50099 }, capacity: 64 };
  const fragmentsOf = (spec: PacketSpec, ident: number, size: number): Uint8Array[] => {
    const whole = frame({ ...spec, payload: new Uint8Array(size).fill(0x61) });
    // The IP identification, then fragments at MTU 1500.
    whole[18] = ident >> 8;
    whole[19] = ident & 0xff;
    whole[24] = 0;
    whole[25] = 0;
    const ck = internetChecksum(whole, 14, 20);
    whole[24] = ck >> 8;
    whole[25] = ck & 0xff;
    const out = fragmentFrame(whole, 1500);
    if (out === 'df') throw new Error('DF');
    return out;
  };
  const srcOf = (hex: string): string => { const b = Buffer.from(hex, 'hex'); return `${b[26]}.${b[27]}.${b[28]}.${b[29]}`; };
  const dstOf = (hex: string): string => { const b = Buffer.from(hex, 'hex'); return `${b[30]}.${b[31]}.${b[32]}.${b[33]}`; };
  const FRAG_UNKNOWN = 44;

  it('translate every fragment of a datagram in order, out and back, for ICMP and UDP', async () => {
    const pair = await makePair({ slots: 256 });
    for (const core of [pair.wasm, pair.ref]) { setNatClock(core, 100); loadNat(core, 0, cfg); }
    const ping = fragmentsOf({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', id: 7 }, 0x0101, 4000);
    const udp = fragmentsOf({ proto: 'udp', src: '172.16.0.3', sport: 5000, dst: '1.1.1.1', dport: 53 }, 0x0202, 3000);
    const out = [...ping, ...udp];
    for (const trace of [false, true]) {
      const res = runBoth(pair, out, [OUT0], { seed: 1, trace, prepare: (core) => fillDescriptors(core, out.length) });
      expect(res.descriptors.map((d) => d.next)).toEqual(out.map(() => abi.NEXT_CONTINUE));
      expect(res.frames.map(srcOf)).toEqual(out.map(() => EXT));
      checkChecksums(out, res.frames, 1);
    }
    const sessions = readNatSessions(pair.wasm, 0);
    expect(sessions.map((s) => s.protocol).sort()).toEqual(['icmp', 'udp']);
    const icmp = sessions.find((s) => s.protocol === 'icmp')!;
    const reply = fragmentsOf({ proto: 'icmp', src: '8.8.8.8', dst: EXT, icmpType: 'echo-reply', id: icmp.externalPort }, 0x0303, 4000);
    const res = runBoth(pair, reply, [IN0], { seed: 2, trace: true, prepare: (core) => fillDescriptors(core, reply.length) });
    expect(res.frames.map(dstOf)).toEqual(reply.map(() => '172.16.0.2'));
    expect(Buffer.from(res.frames[0], 'hex').readUInt16BE(38)).toBe(7);
    sameTables(pair, 0, 2);
  });

  it('drop a later fragment that comes before its first one, and one whose session expired', async () => {
    const pair = await makePair({ slots: 256 });
    for (const core of [pair.wasm, pair.ref]) { setNatClock(core, 100); loadNat(core, 0, { ...cfg, timeouts: { icmpQuery: 5 } }); }
    const [first, second, third] = fragmentsOf({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', id: 9 }, 0x0404, 4000);
    const batch = [second, first, third, second];
    const res = runBoth(pair, batch, [OUT0], { seed: 3, trace: true, prepare: (core) => fillDescriptors(core, batch.length) });
    expect(res.descriptors.map((d) => d.next)).toEqual([abi.NEXT_DROP, abi.NEXT_CONTINUE, abi.NEXT_CONTINUE, abi.NEXT_CONTINUE]);
    expect(res.descriptors[0].drop).toBe(FRAG_UNKNOWN);
    // Another datagram of the same flow (new identification) without its first fragment: dropped too.
    const [, other] = fragmentsOf({ proto: 'icmp', src: '172.16.0.2', dst: '8.8.8.8', id: 9 }, 0x0405, 4000);
    // Past the session's timeout, the remembered first fragment no longer translates.
    for (const core of [pair.wasm, pair.ref]) setNatClock(core, 200);
    const late = runBoth(pair, [other, third], [OUT0], { seed: 4, trace: true, prepare: (core) => fillDescriptors(core, 2) });
    expect(late.descriptors.map((d) => d.drop)).toEqual([FRAG_UNKNOWN, FRAG_UNKNOWN]);
  });

  it('agree on random interleavings of fragments of many datagrams, with drops of first fragments', async () => {
    for (const seed of [21, 22, 23, 24]) {
      const pair = await makePair({ slots: 256 });
      const r = rng(seed);
      let now = 100;
      for (const core of [pair.wasm, pair.ref]) { setNatClock(core, now); loadNat(core, 0, cfg); }
      for (let b = 0; b < 12; b++) {
        const frames: Uint8Array[] = [];
        for (let k = randInt(r, 1, 6); k > 0; k--) {
          const proto = pick(r, ['icmp', 'udp', 'tcp'] as const);
          const src = pick(r, ['172.16.0.2', '172.16.0.3']);
          const spec: PacketSpec = proto === 'icmp'
            ? { proto, src, dst: pick(r, REMOTES), id: pick(r, ICMP_IDS) }
            : { proto, src, sport: pick(r, INT_PORTS), dst: pick(r, REMOTES), dport: pick(r, REM_PORTS) };
          let frags = fragmentsOf(spec, randInt(r, 0, 3), randInt(r, 1500, 6000));
          if (r() < 0.3) frags = frags.slice(1);
          if (r() < 0.3) frags.reverse();
          frames.push(...frags);
        }
        const res = runBoth(pair, frames, [OUT0], { seed, trace: r() < 0.5, prepare: (core) => fillDescriptors(core, frames.length) });
        checkChecksums(frames, res.frames, seed);
        sameTables(pair, 0, seed);
        now += randInt(r, 0, 40);
        for (const core of [pair.wasm, pair.ref]) setNatClock(core, now);
      }
    }
  });
});
