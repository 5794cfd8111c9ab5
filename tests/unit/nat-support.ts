/**
 * Shared by the NAT tests (tests/unit/nat-*.test.ts, tests/diff/nat.test.ts): frame builders, a parse
 * stand-in that fills the descriptor fields the nat stage reads, a full-recompute checksum check,
 * and a runner for one batch on one core.
 */
import * as abi from '../../src/abi.js';
import { type PacketCore, type ProgramStep, descAddr, readFrame, readDescriptor, writeBatch } from '../../src/engine/core.js';
import { buildFrame } from '../../src/wire/build.js';
import { flowHash } from '../../src/table-images/flow-hash.js';
import { internetChecksum, csumFinish, csumPartial, pseudoHeaderSum } from '../../src/wire/checksum.js';
import { ipToInt, intToIp } from '../../src/wire/ipv4.js';
import type { TraceEvent } from '../../src/engine/trace.js';

export const EXT = '10.0.0.10';
export const HOST_MAC = '00:15:5d:00:00:0a';
export const PEER_MAC = '00:15:5d:00:00:01';

export type Proto = 'tcp' | 'udp' | 'icmp';

export interface PacketSpec {
  proto: Proto;
  src: string | number;
  dst: string | number;
  sport?: number;
  dport?: number;
  /** TCP flags (default 'A'). */
  flags?: string;
  /** ICMP: type (default echo-request), identifier. */
  icmpType?: 'echo-request' | 'echo-reply' | number;
  id?: number;
  /** UDP: compute the checksum (default true; false sends 0). */
  udpChecksum?: boolean;
  payload?: Uint8Array | string;
  moreFragments?: boolean;
}

export function frame(p: PacketSpec): Uint8Array {
  const ipv4 = { src: p.src, dst: p.dst, ttl: 128, moreFragments: p.moreFragments };
  const eth = { src: PEER_MAC, dst: HOST_MAC };
  if (p.proto === 'tcp') return buildFrame({ eth, ipv4, tcp: { sport: p.sport ?? 0, dport: p.dport ?? 0, flags: p.flags ?? 'A', seq: 1000, ack: 2000 }, payload: p.payload });
  if (p.proto === 'udp') return buildFrame({ eth, ipv4, udp: { sport: p.sport ?? 0, dport: p.dport ?? 0, checksum: p.udpChecksum ?? true }, payload: p.payload });
  return buildFrame({ eth, ipv4, icmp: { type: p.icmpType ?? 'echo-request', id: p.id ?? 0, seq: 7 }, payload: p.payload ?? 'abcdefgh' });
}

export function rawIpFrame(src: string, dst: string, protocol: number): Uint8Array {
  return buildFrame({ eth: { src: PEER_MAC, dst: HOST_MAC }, ipv4: { src, dst, protocol }, payload: new Uint8Array(12) });
}

export function arpFrame(): Uint8Array {
  return buildFrame({ eth: { src: PEER_MAC, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 'request', senderIp: '172.16.0.2', targetIp: '172.16.0.1' } });
}

export type HashMode = 'parse' | 'zero' | 'garbage';

/**
 * Fills D_ETHERTYPE, D_L3, D_L4, D_PROTO, D_FLAGS (F_FRAGMENT) and D_HASH of packets [0, n) as the
 * parse stage does for well-formed untagged frames. `hash`: the parse flow hash, 0, or a wrong value
 * (the nat stage must give the same answer whatever D_HASH says).
 */
export function fillDescriptors(core: PacketCore, n: number, hash: HashMode = 'parse', seed = 1): void {
  const dv = core.view();
  const u8 = core.bytes();
  for (let i = 0; i < n; i++) {
    const d = descAddr(core, i);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const et = dv.getUint16(p + 12);
    let l3 = 0;
    let l4 = 0;
    let proto = 0;
    let flags = 0;
    let h = 0;
    if (et === 0x0806) flags |= abi.F_ARP;
    if (et === 0x0800) {
      l3 = 14;
      proto = u8[p + l3 + 9];
      const ihl = (u8[p + l3] & 15) * 4;
      let ports = 0;
      if (dv.getUint16(p + l3 + 6) & 0x3fff) {
        flags |= abi.F_FRAGMENT;
      } else if (proto === 6 || proto === 17) {
        l4 = l3 + ihl;
        ports = dv.getUint32(p + l4);
      } else if (proto === 1) {
        l4 = l3 + ihl;
        const t = u8[p + l4];
        if (t === 0 || t === 8) ports = (dv.getUint16(p + l4 + 4) << 16) >>> 0;
      }
      h = flowHash(dv.getUint32(p + l3 + 12), dv.getUint32(p + l3 + 16), ports, proto);
    }
    if (hash === 'zero') h = 0;
    if (hash === 'garbage') h = Math.imul(h ^ (seed * 0x9e3779b1), 0x85ebca6b) >>> 0;
    dv.setUint16(d + abi.D_ETHERTYPE, et, true);
    dv.setUint8(d + abi.D_L3, l3);
    dv.setUint8(d + abi.D_L4, l4);
    dv.setUint8(d + abi.D_PROTO, proto);
    dv.setUint8(d + abi.D_FLAGS, flags);
    dv.setUint32(d + abi.D_HASH, h, true);
  }
}

export interface Outcome {
  frames: Uint8Array[];
  next: number[];
  drop: number[];
  aux: number[];
  trace: TraceEvent[];
}

/** One batch through one core: write, fill descriptors, run, read back. */
export function runNat(core: PacketCore, frames: Uint8Array[], program: ProgramStep[], opts: { trace?: boolean; hash?: HashMode } = {}): Outcome {
  writeBatch(core, frames);
  fillDescriptors(core, frames.length, opts.hash ?? 'parse');
  core.setTracing(!!opts.trace);
  const n = core.run(frames.length, program);
  const out: Outcome = { frames: [], next: [], drop: [], aux: [], trace: opts.trace ? core.traceEvents() : [] };
  core.setTracing(false);
  for (let i = 0; i < n; i++) {
    const d = readDescriptor(core, i);
    out.frames.push(readFrame(core, i));
    out.next.push(d.next);
    out.drop.push(d.drop);
    out.aux.push(d.aux);
  }
  return out;
}

export const out = (a0 = 0): ProgramStep[] => [{ stage: abi.STAGE_NAT, a0, a1: 0 }];
export const inb = (a0 = 0): ProgramStep[] => [{ stage: abi.STAGE_NAT, a0, a1: 1 }];

/** The header fields of an IPv4 frame (host order). */
export interface Fields {
  src: string;
  dst: string;
  proto: number;
  sport: number;
  dport: number;
  /** ICMP type and identifier. */
  type: number;
  id: number;
}

export function fields(f: Uint8Array): Fields {
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const ihl = (f[14] & 15) * 4;
  const l4 = 14 + ihl;
  const proto = f[23];
  return {
    src: intToIp(dv.getUint32(26)),
    dst: intToIp(dv.getUint32(30)),
    proto,
    sport: proto === 1 ? 0 : dv.getUint16(l4),
    dport: proto === 1 ? 0 : dv.getUint16(l4 + 2),
    type: proto === 1 ? f[l4] : -1,
    id: proto === 1 ? dv.getUint16(l4 + 4) : 0,
  };
}

/**
 * Checks every checksum of an IPv4 frame against a full recomputation: the IPv4 header, and the
 * TCP / UDP (with pseudo-header) / ICMP checksum. A zero UDP checksum is accepted only when
 * `udpZeroAllowed` (it means "none"); a computed zero must be sent as 0xFFFF. Returns the problems.
 */
export function checksumProblems(f: Uint8Array, udpZeroAllowed = false): string[] {
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const problems: string[] = [];
  if (dv.getUint16(12) !== 0x0800) return problems;
  const ihl = (f[14] & 15) * 4;
  const stored = dv.getUint16(24);
  dv.setUint16(24, 0);
  const ipFull = internetChecksum(f, 14, ihl);
  dv.setUint16(24, stored);
  if (ipFull !== stored) problems.push(`ip checksum ${stored.toString(16)} != ${ipFull.toString(16)}`);
  if (dv.getUint16(20) & 0x3fff) return problems;
  const proto = f[23];
  const l4 = 14 + ihl;
  const len = dv.getUint16(16) - ihl;
  const src = dv.getUint32(26);
  const dst = dv.getUint32(30);
  const at = proto === 6 ? l4 + 16 : proto === 17 ? l4 + 6 : proto === 1 ? l4 + 2 : -1;
  if (at < 0) return problems;
  const storedL4 = dv.getUint16(at);
  if (proto === 17 && storedL4 === 0) {
    if (!udpZeroAllowed) problems.push('udp checksum 0');
    return problems;
  }
  dv.setUint16(at, 0);
  let sum = proto === 1 ? 0 : pseudoHeaderSum(src, dst, proto, len);
  sum = csumPartial(f, l4, len, sum);
  dv.setUint16(at, storedL4);
  let full = csumFinish(sum);
  if (proto === 17 && full === 0) full = 0xffff;
  if (full !== storedL4) problems.push(`l4 (${proto}) checksum ${storedL4.toString(16)} != ${full.toString(16)}`);
  return problems;
}

export { ipToInt, intToIp };
