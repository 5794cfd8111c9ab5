/**
 * Seeded packet generators shared by the bench workloads (mac-rewrite, switch, pipeline): exact-size
 * Ethernet/IPv4/UDP and TCP frames with valid checksums, a seeded PRNG, and the two setup helpers the
 * workloads need on any core — running parse once over a written batch (the `prepare` of a
 * one-stage workload) and pushing any number of frames through a program in ring-sized chunks
 * (learning FDB entries, opening NAT sessions).
 *
 * Every generator is deterministic in its seed, so a workload's batch is the same on every run, on
 * both cores and across versions: figures compare.
 */
import * as abi from '../abi.js';
import { descAddr, writeBatch, type PacketCore, type ProgramStep } from '../engine/core.js';
import { buildFrame } from '../wire/build.js';
import { csumFinish, csumPartial, internetChecksum, pseudoHeaderSum } from '../wire/checksum.js';
import { mulberry32 } from './classbench.js';

export { mulberry32 };

/** A PRNG returning floats in [0, 1). */
export type Rand = () => number;

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): Rand {
  return mulberry32(seed);
}

/** An integer in [0, n). */
export function below(r: Rand, n: number): number {
  return Math.floor(r() * n);
}

/** A host-order IPv4 address from its four octets. */
export function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Headers of a generated frame: MACs as 48-bit integers, addresses host order. */
export interface FlowFrame {
  srcMac: number;
  dstMac: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
}

/** Ethernet + IPv4 + UDP header bytes. */
export const UDP_HEADERS = 42;
/** Ethernet + IPv4 + TCP (no options) header bytes. */
export const TCP_HEADERS = 54;

/** buildFrame's output for one spec shape, into which flows are written (see fromTemplate). */
const templates = new Map<string, Uint8Array>();

function template(key: string, build: () => Uint8Array): Uint8Array {
  let t = templates.get(key);
  if (!t) {
    t = build();
    templates.set(key, t);
  }
  return t;
}

function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 8;
  b[off + 1] = v & 0xff;
}

function put32(b: Uint8Array, off: number, v: number): void {
  put16(b, off, v >>> 16);
  put16(b, off + 2, v & 0xffff);
}

function putMac(b: Uint8Array, off: number, mac: number): void {
  put16(b, off, Math.floor(mac / 0x1_0000_0000) & 0xffff);
  put32(b, off + 2, mac >>> 0);
}

/**
 * A copy of `t` (an untagged Ethernet/IPv4 frame without options, TCP or UDP) carrying flow `f`,
 * with the IPv4 and L4 checksums computed again: the bytes buildFrame would give for the same spec
 * (tests/unit/bench-frames.test.ts checks it), at a fraction of the cost, so setups can make 64k
 * frames quickly.
 */
function fromTemplate(t: Uint8Array, f: FlowFrame, proto: number): Uint8Array {
  const b = t.slice();
  putMac(b, 0, f.dstMac);
  putMac(b, 6, f.srcMac);
  put32(b, 26, f.src);
  put32(b, 30, f.dst);
  put16(b, 34, f.sport);
  put16(b, 36, f.dport);
  put16(b, 24, 0);
  put16(b, 24, internetChecksum(b, 14, 20));
  const l4Len = b.length - 34;
  const csumAt = proto === 6 ? 50 : 40;
  put16(b, csumAt, 0);
  const c = csumFinish(csumPartial(b, 34, l4Len, pseudoHeaderSum(f.src, f.dst, proto, l4Len)));
  // RFC 768: a computed UDP checksum of zero is sent as all ones.
  put16(b, csumAt, proto === 17 && c === 0 ? 0xffff : c);
  return b;
}

/** An Ethernet/IPv4/UDP frame of exactly `size` bytes (≥ 42), TTL 128 (Windows), checksums valid. */
export function udpFrame(f: FlowFrame, size = 64): Uint8Array {
  if (size < UDP_HEADERS) throw new RangeError(`a UDP frame needs ${UDP_HEADERS} bytes, not ${size}`);
  return fromTemplate(template(`udp/${size}`, () => buildUdpFrame(f, size)), f, 17);
}

/** An Ethernet/IPv4/TCP frame of exactly `size` bytes (≥ 54), TTL 128, DF, checksums valid. */
export function tcpFrame(f: FlowFrame, size = 64, flags = 'PA', seq = 1): Uint8Array {
  if (size < TCP_HEADERS) throw new RangeError(`a TCP frame needs ${TCP_HEADERS} bytes, not ${size}`);
  return fromTemplate(template(`tcp/${size}/${flags}/${seq}`, () => buildTcpFrame(f, size, flags, seq)), f, 6);
}

/** udpFrame through the general frame builder (the reference for the template path). */
export function buildUdpFrame(f: FlowFrame, size = 64): Uint8Array {
  return buildFrame({
    eth: { src: f.srcMac, dst: f.dstMac },
    ipv4: { src: f.src, dst: f.dst, ttl: 128 },
    udp: { sport: f.sport, dport: f.dport },
    payload: new Uint8Array(size - UDP_HEADERS).fill(0x5a),
  });
}

/** tcpFrame through the general frame builder (the reference for the template path). */
export function buildTcpFrame(f: FlowFrame, size = 64, flags = 'PA', seq = 1): Uint8Array {
  return buildFrame({
    eth: { src: f.srcMac, dst: f.dstMac },
    ipv4: { src: f.src, dst: f.dst, ttl: 128, dontFragment: true },
    tcp: { sport: f.sport, dport: f.dport, flags, seq, ack: flags.includes('A') ? 1 : 0 },
    payload: new Uint8Array(size - TCP_HEADERS).fill(0x5a),
  });
}

/** Runs the parse stage once over packets [0, n): a one-stage workload's `prepare`. */
export function parseOnce(core: PacketCore, n: number): void {
  core.run(n, [{ stage: abi.STAGE_PARSE }]);
}

/**
 * Pushes `frames` through `program` in chunks of the ring's size (setup work: learning, session
 * creation). Returns, per frame, its disposition (D_NEXT) after the program.
 */
export function pushFrames(
  core: PacketCore,
  frames: readonly Uint8Array[],
  program: ProgramStep[],
  inPorts?: readonly number[] | number,
  ctx?: readonly number[] | number,
): Uint8Array {
  const next = new Uint8Array(frames.length);
  for (let at = 0; at < frames.length; at += core.slots) {
    const chunk = frames.slice(at, at + core.slots);
    const part = <T>(x: readonly T[] | T | undefined): T[] | T | undefined =>
      Array.isArray(x) ? (x as T[]).slice(at, at + core.slots) : (x as T | undefined);
    writeBatch(core, chunk, part(inPorts), part(ctx));
    core.run(chunk.length, program);
    const dv = core.view();
    for (let i = 0; i < chunk.length; i++) next[at + i] = dv.getUint8(descAddr(core, i) + abi.D_NEXT);
  }
  return next;
}
