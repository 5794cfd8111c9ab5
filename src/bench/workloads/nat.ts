/**
 * Bench workloads of the nat stage (WinNAT), one stage alone, batches of 256 64-byte TCP frames:
 *
 *   nat-established  S sessions opened in setup (one SYN per flow through parse + nat), then every
 *                    timed batch carries 256 flows drawn uniformly among the S (a fresh draw per
 *                    batch, so a large table is visited at random, not a cached subset); outbound.
 *   nat-new          every packet opens a session (a new internal endpoint: a new mapping and a port
 *                    from the pool, as a client opening connections does). The NAT clock moves one
 *                    second per batch and sessions live one second, so expired sessions are swept
 *                    when the table (65536) or the pool fills: the steady state of a busy NAT, with
 *                    reclaiming included. Unit: sessions.
 *
 * Frames: 172.16.x.y (flow's internal endpoint) → 93.184.216.34, WinNAT's external address 10.0.0.10,
 * pool 1024-65535. Flows of nat-established: internal endpoint e = k mod E (E = min(S, 32768): 8192
 * containers × 4 source ports), destination port 1 + floor(k / E).
 *
 * What is timed besides the stage: the runner's restore of the descriptors (prepare ran parse once,
 * so D_L3, D_L4, D_PROTO come back each time), and `beforeBatch`. nat-established's copies each
 * packet's whole 64-byte frame and D_HASH from a pool of 2^20 precomputed draws (src/bench/feed.ts;
 * in linear memory on the wasm core); nat-new's writes each packet's flow into its frame from
 * precomputed tables: source address, source port, the IPv4 and TCP checksums and D_HASH — 6 stores
 * a packet. Either way the frame bytes the stage rewrites are all rewritten, so no frame restore is
 * needed; harnessNsPerPacket reports what this costs.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { writeBatch } from '../../engine/core.js';
import { loadNat, setNatClock, natClock } from '../../engine/loaders/nat.js';
import { flowHash } from '../../table-images/flow-hash.js';
import { csumUpdate16, csumUpdate32 } from '../../wire/checksum.js';
import type { Prepared, Workload } from '../types.js';
import { ip4, parseOnce, rng, tcpFrame } from '../frames.js';
import { poolFeeder } from '../feed.js';

/** NAT instance id the workloads load. */
export const NAT_BENCH_INSTANCE = 0;
export const NAT_BENCH_EXTERNAL = ip4(10, 0, 0, 10);
const REMOTE = ip4(93, 184, 216, 34);
const HOST_MAC = 0x00155d00000a;
const CONTAINER_MAC = 0x00155d100002;
const FRAME_SIZE = 64;
const BATCH = 256;
const TCP = 6;

// Offsets in an untagged Ethernet/IPv4/TCP frame.
const IP_CSUM = 24;
const IP_SRC = 26;
const TCP_SPORT = 34;
const TCP_DPORT = 36;
const TCP_CSUM = 50;

const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);

/** A flow's varying fields, host order. */
interface Flow {
  src(k: number): number;
  sport(k: number): number;
  dport(k: number): number;
}

/**
 * Per-flow stores for beforeBatch, 16 bytes a flow so one cache line read serves it: source address
 * (2 words), source port, destination port, IPv4 and TCP checksums — byte-swapped for little-endian
 * Uint16Array writes into the big-endian header — then the flow's D_HASH. Checksums follow from the
 * template's by RFC 1624.
 */
const FLOW_WORDS = 8;

function flowTable(count: number, flow: Flow, template: Uint8Array): Uint16Array {
  const dv = new DataView(template.buffer, template.byteOffset, template.byteLength);
  const ipCsum0 = dv.getUint16(IP_CSUM);
  const tcpCsum0 = dv.getUint16(TCP_CSUM);
  const src0 = dv.getUint32(IP_SRC);
  const sport0 = dv.getUint16(TCP_SPORT);
  const dport0 = dv.getUint16(TCP_DPORT);
  const words = new Uint16Array(count * FLOW_WORDS);
  const hash = new Uint32Array(words.buffer);
  for (let k = 0; k < count; k++) {
    const src = flow.src(k);
    const sport = flow.sport(k);
    const dport = flow.dport(k);
    const ipCsum = csumUpdate32(ipCsum0, src0, src);
    const tcpCsum = csumUpdate16(csumUpdate16(csumUpdate32(tcpCsum0, src0, src), sport0, sport), dport0, dport);
    const w = k * FLOW_WORDS;
    words[w] = swap16(src >>> 16);
    words[w + 1] = swap16(src & 0xffff);
    words[w + 2] = swap16(sport);
    words[w + 3] = swap16(dport);
    words[w + 4] = swap16(ipCsum);
    words[w + 5] = swap16(tcpCsum);
    hash[(w >>> 1) + 3] = flowHash(src, REMOTE, ((sport << 16) | dport) >>> 0, TCP);
  }
  return words;
}

/** Writes flows `pick(i)` into packets [0, n) of the ring, as the frames' fields and D_HASH. */
function writer(core: PacketCore, words: Uint16Array, n: number): (pick: (i: number) => number, withDport: boolean) => void {
  let buf: ArrayBufferLike | undefined;
  let u16: Uint16Array = new Uint16Array(0);
  let u32: Uint32Array = new Uint32Array(0);
  const hash = new Uint32Array(words.buffer, words.byteOffset, words.length >>> 1);
  const frame0 = (core.ringBase + abi.HEADROOM) >>> 1;
  const slotWords = abi.SLOT_SIZE >>> 1;
  const desc0 = (core.descBase + abi.D_HASH) >>> 2;
  const descWords = abi.DESC_SIZE >>> 2;
  return (pick, withDport) => {
    const b = core.bytes().buffer;
    if (b !== buf) {
      buf = b;
      u16 = new Uint16Array(b);
      u32 = new Uint32Array(b);
    }
    for (let i = 0; i < n; i++) {
      const w = pick(i) * FLOW_WORDS;
      const f = frame0 + i * slotWords;
      u16[f + (IP_SRC >>> 1)] = words[w];
      u16[f + (IP_SRC >>> 1) + 1] = words[w + 1];
      u16[f + (TCP_SPORT >>> 1)] = words[w + 2];
      if (withDport) u16[f + (TCP_DPORT >>> 1)] = words[w + 3];
      u16[f + (IP_CSUM >>> 1)] = words[w + 4];
      u16[f + (TCP_CSUM >>> 1)] = words[w + 5];
      u32[desc0 + i * descWords] = hash[(w >>> 1) + 3];
    }
  };
}

const PROGRAM: ProgramStep[] = [{ stage: abi.STAGE_NAT, a0: NAT_BENCH_INSTANCE, a1: 0 }];

/** The frame every flow's words are derived from (they differ only in addresses, ports, checksums). */
function template(flags: string): Uint8Array {
  return tcpFrame({ srcMac: CONTAINER_MAC, dstMac: HOST_MAC, src: ip4(172, 16, 1, 0), dst: REMOTE, sport: 1024, dport: 1 }, FRAME_SIZE, flags);
}

export interface NatEstablishedOptions {
  /** Sessions opened in setup (65536 and 1000000 in the bench). */
  sessions: number;
  batch?: number;
  seed?: number;
}

/**
 * Loads WinNAT on `core`, opens `sessions` sessions (setup, untimed: chunks of SYNs through parse +
 * nat, every one checked) and returns the nat-established workload.
 */
export function setupNatEstablished(core: PacketCore, o: NatEstablishedOptions): Prepared {
  const batch = o.batch ?? BATCH;
  const s = o.sessions;
  const endpoints = Math.min(s, 32768);
  loadNat(core, NAT_BENCH_INSTANCE, {
    externalAddress: NAT_BENCH_EXTERNAL,
    internalPrefixes: ['172.16.0.0/16'],
    capacity: s,
    portRange: { first: 1024, last: 65535 },
  });
  setNatClock(core, 0);
  // Flow k: internal endpoint e = k mod E (address 172.16.1.0 + e/4, port 1024 + e%4), destination
  // port 1 + k/E.
  const flow: Flow = {
    src: (k) => (ip4(172, 16, 1, 0) + ((k % endpoints) >>> 2)) >>> 0,
    sport: (k) => 1024 + ((k % endpoints) & 3),
    dport: (k) => 1 + Math.floor(k / endpoints),
  };
  const t = flowTable(s, flow, template('PA'));

  // Open every session: the ring's worth of SYN frames at a time, flows written by the same writer.
  const syn = template('S');
  const synTable = flowTable(s, flow, syn);
  const chunk = core.slots;
  for (let at = 0; at < s; at += chunk) {
    const n = Math.min(chunk, s - at);
    // Descriptors as writeBatch leaves them, then the flows, then parse + nat.
    writeBatch(core, Array.from({ length: n }, () => syn));
    writer(core, synTable, n)((i) => at + i, true);
    core.run(n, [{ stage: abi.STAGE_PARSE }, ...PROGRAM]);
    const dv = core.view();
    for (let i = 0; i < n; i++) {
      const next = dv.getUint8(core.descBase + i * abi.DESC_SIZE + abi.D_NEXT);
      if (next !== abi.NEXT_CONTINUE) throw new Error(`nat-established setup: session ${at + i} not opened (disposition ${next})`);
    }
  }
  core.resetCounters();

  // Uniform draws, precomputed (2^20 draws: no cached subset) as whole frames, fed a batch at a time.
  const r = rng(o.seed ?? 0x4e41);
  const draws = 1 << 20;
  const frames = Array.from({ length: batch }, () => template('PA'));
  const pool = new Uint8Array(draws * FRAME_SIZE);
  const pool16 = new Uint16Array(pool.buffer);
  const hashes = new Uint32Array(draws);
  const t32 = new Uint32Array(t.buffer, t.byteOffset, t.length >>> 1);
  for (let d = 0; d < draws; d++) {
    const w = Math.floor(r() * s) * FLOW_WORDS;
    const f = (d * FRAME_SIZE) >>> 1;
    pool.set(frames[0], d * FRAME_SIZE);
    pool16[f + (IP_SRC >>> 1)] = t[w];
    pool16[f + (IP_SRC >>> 1) + 1] = t[w + 1];
    pool16[f + (TCP_SPORT >>> 1)] = t[w + 2];
    pool16[f + (TCP_DPORT >>> 1)] = t[w + 3];
    pool16[f + (IP_CSUM >>> 1)] = t[w + 4];
    pool16[f + (TCP_CSUM >>> 1)] = t[w + 5];
    hashes[d] = t32[(w >>> 1) + 3];
  }
  const feed = poolFeeder(core, { count: draws, size: FRAME_SIZE, frames: pool, words: hashes, field: abi.D_HASH }, batch);
  return {
    program: PROGRAM,
    frames,
    restoreBytes: 0,
    prepare: (c) => parseOnce(c, batch),
    beforeBatch: (iteration) => feed(iteration * batch),
  };
}

export interface NatNewOptions {
  batch?: number;
  /** Session table capacity; default 65536. */
  capacity?: number;
}

/** Distinct internal endpoints nat-new cycles through (far more than can be live at once). */
const NEW_ENDPOINTS = 1 << 20;

/**
 * Loads WinNAT on `core` and returns the nat-new workload: each timed batch is 256 flows never seen
 * live before, each opening a session with a new mapping. Sessions time out after one second and
 * the clock moves one second per batch (timed: one call), so sweeps reclaim them as the table fills.
 */
export function setupNatNew(core: PacketCore, o: NatNewOptions = {}): Prepared {
  const batch = o.batch ?? BATCH;
  loadNat(core, NAT_BENCH_INSTANCE, {
    externalAddress: NAT_BENCH_EXTERNAL,
    internalPrefixes: ['172.16.0.0/12'],
    capacity: o.capacity ?? 65536,
    portRange: { first: 1024, last: 65535 },
    timeouts: { tcpTransient: 1, tcpEstablished: 1 },
  });
  setNatClock(core, 0);
  // Endpoint g: address 172.16.0.1 + g/4 (inside 172.16.0.0/12), source port 1024 + g%4.
  const flow: Flow = { src: (g) => (ip4(172, 16, 0, 1) + (g >>> 2)) >>> 0, sport: (g) => 1024 + (g & 3), dport: () => 1 };
  const t = flowTable(NEW_ENDPOINTS, flow, template('S'));
  const frames = Array.from({ length: batch }, () => template('S'));
  const write = writer(core, t, batch);
  let next = 0;
  let clock = natClock(core);
  return {
    program: PROGRAM,
    frames,
    restoreBytes: 0,
    unit: 'sessions',
    prepare: (c) => parseOnce(c, batch),
    beforeBatch: () => {
      const g0 = next;
      write((i) => (g0 + i) & (NEW_ENDPOINTS - 1), false);
      next = (next + batch) & (NEW_ENDPOINTS - 1);
      setNatClock(core, ++clock);
    },
  };
}

/** The NAT workloads for the bench runner (add to src/bench/workloads/index.ts). */
export function natWorkloads(opts: { quick: boolean }): Workload[] {
  const sizes = opts.quick ? [65536] : [65536, 1_000_000];
  return [
    ...sizes.map((sessions): Workload => ({
      name: 'nat-established',
      stage: 'nat',
      params: { sessions, batch: BATCH, size: FRAME_SIZE },
      setup: (core) => setupNatEstablished(core, { sessions }),
    })),
    {
      name: 'nat-new',
      stage: 'nat',
      params: { capacity: 65536, batch: BATCH, size: FRAME_SIZE },
      setup: (core) => setupNatNew(core),
    },
  ];
}
