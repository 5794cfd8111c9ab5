/**
 * Seeded random frames for the data-plane tests (diff and property layers): valid Ethernet/802.1Q/
 * ARP/IPv4/ICMP/TCP/UDP/VXLAN frames built with src/wire/build.ts from small address pools (so
 * tables get hits), and mutations of them that exercise every malformed-frame path of parse.
 */
import { buildFrame, type FrameSpec } from '../../src/wire/build.js';

export type R = () => number;

export const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const randInt = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
/** A unicast MAC (I/G bit clear). */
export const unicastMac = (r: R): number => Math.floor(r() * 0x80) * 2 * 0x100_0000_0000 + Math.floor(r() * 0x100_0000_0000);
export const BROADCAST = 0xffff_ffff_ffff;

export interface Pools {
  macs: number[];
  ips: number[];
  vlans: number[];
}

export function randomPools(r: R, macs = 16, ips = 16, vlans = 4): Pools {
  return {
    macs: Array.from({ length: macs }, () => unicastMac(r)),
    ips: Array.from({ length: ips }, () => ((10 << 24) | randInt(r, 0, 0xffffff)) >>> 0),
    vlans: Array.from({ length: vlans }, () => randInt(r, 1, 4094)),
  };
}

export interface FrameOptions {
  /** Probability of an 802.1Q tag (default 0.2). */
  tagged?: number;
  /** Probability of a broadcast / multicast destination (default 0.1). */
  group?: number;
  /** Probability of ARP (default 0.15). */
  arp?: number;
  /** Address for the IPv4 destination instead of the pool (route tests use random addresses). */
  dstIp?: (r: R) => number;
}

/** One valid frame (every length and checksum right). */
export function randomFrame(r: R, pools: Pools, opts: FrameOptions = {}): Uint8Array {
  const src = pick(r, pools.macs);
  const g = r();
  const dst = g < (opts.group ?? 0.1) / 2 ? BROADCAST : g < (opts.group ?? 0.1) ? 0x0100_5e00_0000 + randInt(r, 0, 0x7fffff) : pick(r, pools.macs);
  const spec: FrameSpec = { eth: { src, dst } };
  if (r() < (opts.tagged ?? 0.2)) spec.vlan = { vid: r() < 0.05 ? 0 : pick(r, pools.vlans), pcp: randInt(r, 0, 7) };
  if (r() < 0.5) spec.minLength = 60;
  const srcIp = pick(r, pools.ips);
  const dstIp = opts.dstIp ? opts.dstIp(r) : pick(r, pools.ips);
  if (r() < (opts.arp ?? 0.15)) {
    spec.arp = r() < 0.5
      ? { op: 'request', senderIp: srcIp, targetIp: dstIp }
      : { op: 'reply', senderIp: srcIp, targetIp: dstIp, targetMac: pick(r, pools.macs) };
    return buildFrame(spec);
  }
  spec.ipv4 = { src: srcIp, dst: dstIp, ttl: r() < 0.1 ? randInt(r, 0, 2) : randInt(r, 1, 255), ident: randInt(r, 0, 0xffff), dontFragment: r() < 0.5 };
  if (r() < 0.1) spec.ipv4.options = Uint8Array.from({ length: 4 * randInt(r, 1, 10) }, () => (r() < 0.5 ? 1 : randInt(r, 0, 255)));
  if (r() < 0.05) {
    spec.ipv4.moreFragments = r() < 0.7;
    spec.ipv4.fragOffset = 8 * randInt(r, 0, 100);
  }
  const payload = Uint8Array.from({ length: r() < 0.7 ? randInt(r, 0, 40) : randInt(r, 0, 600) }, () => randInt(r, 0, 255));
  const kind = r();
  if (kind < 0.25) spec.icmp = { type: pick(r, ['echo-request', 'echo-reply', 3, 11] as const), id: randInt(r, 0, 0xffff), seq: randInt(r, 0, 0xffff) };
  else if (kind < 0.5) spec.tcp = { sport: randInt(r, 1, 65535), dport: pick(r, [80, 443, 22, randInt(r, 1, 65535)]), flags: pick(r, ['S', 'SA', 'PA', 'R', 'FA']), seq: randInt(r, 0, 0xffffffff), options: r() < 0.3 ? Uint8Array.from([2, 4, 5, 0xb4]) : undefined };
  else if (kind < 0.8) spec.udp = { sport: randInt(r, 1, 65535), dport: pick(r, [53, 67, 4789, randInt(r, 1, 65535)]) };
  else if (kind < 0.9) {
    spec.vxlan = { vni: randInt(r, 0, 0xffffff), flags: r() < 0.9 ? 0x08 : 0, inner: { eth: { src: pick(r, pools.macs), dst: pick(r, pools.macs) }, ipv4: { src: pick(r, pools.ips), dst: pick(r, pools.ips) }, icmp: { id: randInt(r, 0, 0xffff) } } };
    return buildFrame(spec);
  } else spec.ipv4.protocol = pick(r, [47, 50, 132, 255]);
  if (spec.udp?.dport === 4789) payload.fill(0, 0, Math.min(8, payload.length));
  spec.payload = payload;
  return buildFrame(spec);
}

/** Offset of the L3 header of a frame built above (after any tag). */
export function l3Offset(f: Uint8Array): number {
  return f.length >= 14 && f[12] === 0x81 && f[13] === 0x00 ? 18 : 14;
}

/** A damaged copy of a frame: truncations, random bytes, and targeted header fields. */
export function mutateFrame(r: R, f: Uint8Array): Uint8Array {
  let g: Uint8Array = f.slice();
  const l3 = l3Offset(g);
  const ihl = g.length > l3 ? (g[l3] & 15) * 4 : 20;
  switch (randInt(r, 0, 13)) {
    case 0: // truncate anywhere
      return g.slice(0, randInt(r, 0, g.length));
    case 1: // random bytes anywhere
      for (let k = randInt(r, 1, 4); k > 0; k--) if (g.length) g[randInt(r, 0, g.length - 1)] = randInt(r, 0, 255);
      return g;
    case 2: // version / IHL byte
      if (g.length > l3) g[l3] = randInt(r, 0, 255);
      return g;
    case 3: // total length
      if (g.length > l3 + 3) { g[l3 + 2] = randInt(r, 0, 7); g[l3 + 3] = randInt(r, 0, 255); }
      return g;
    case 4: // checksum
      if (g.length > l3 + 11) g[l3 + 10 + randInt(r, 0, 1)] ^= 1 << randInt(r, 0, 7);
      return g;
    case 5: // protocol, without fixing the checksum
      if (g.length > l3 + 9) g[l3 + 9] = pick(r, [1, 6, 17, randInt(r, 0, 255)]);
      return g;
    case 6: // TCP data offset or UDP length (checksum over the IPv4 header still right)
      if (g.length > l3 + ihl + 12) {
        if (g[l3 + 9] === 6) g[l3 + ihl + 12] = randInt(r, 0, 255);
        else { g[l3 + ihl + 4] = randInt(r, 0, 3); g[l3 + ihl + 5] = randInt(r, 0, 255); }
      }
      return g;
    case 7: // EtherType
      if (g.length > 13) { const v = pick(r, [0x0800, 0x0806, 0x8100, 0x86dd, randInt(r, 0, 0xffff)]); g[12] = v >> 8; g[13] = v & 0xff; }
      return g;
    case 8: // ARP header fields
      if (g.length > l3 + 7) g[l3 + randInt(r, 0, 7)] = randInt(r, 0, 8);
      return g;
    case 9: { // trailing bytes beyond the IPv4 total length (Ethernet padding): still valid
      const pad = Uint8Array.from({ length: randInt(r, 1, 30) }, () => randInt(r, 0, 255));
      const out = new Uint8Array(g.length + pad.length);
      out.set(g);
      out.set(pad, g.length);
      return out;
    }
    case 10: // cut inside the L4 header, keeping the IPv4 total length consistent
      if (g.length > l3 + ihl + 2) {
        const keep = l3 + ihl + randInt(r, 0, 7);
        g = g.slice(0, keep);
        const tot = keep - l3;
        g[l3 + 2] = tot >> 8;
        g[l3 + 3] = tot & 0xff;
        fixIpv4Checksum(g, l3);
      }
      return g;
    case 11: // the fragment bits
      if (g.length > l3 + 7) { g[l3 + 6] = randInt(r, 0, 255); g[l3 + 7] = randInt(r, 0, 255); fixIpv4Checksum(g, l3); }
      return g;
    case 12: // any IPv4 header byte, then a valid checksum
      if (g.length >= l3 + 20) { g[l3 + randInt(r, 0, 19)] = randInt(r, 0, 255); fixIpv4Checksum(g, l3); }
      return g;
    default: { // a second 802.1Q tag in front, then a random cut (a short tag, a double tag)
      const out = new Uint8Array(g.length + 4);
      out.set(g.subarray(0, 12));
      out[12] = 0x81;
      out[13] = 0x00;
      out[14] = randInt(r, 0, 255);
      out[15] = randInt(r, 0, 255);
      out.set(g.subarray(12), 16);
      return out.slice(0, randInt(r, Math.min(12, out.length), out.length));
    }
  }
}

/** Recomputes the IPv4 header checksum at `l3` in place (when the header fits). */
export function fixIpv4Checksum(g: Uint8Array, l3: number): void {
  const ihl = (g[l3] & 15) * 4;
  if (ihl < 20 || g.length < l3 + ihl) return;
  g[l3 + 10] = 0;
  g[l3 + 11] = 0;
  const c = ~onesComplementSum(g, l3, ihl) & 0xffff;
  g[l3 + 10] = c >> 8;
  g[l3 + 11] = c & 0xff;
}

/** RFC 1071 sum of `len` bytes at `off`, folded. */
export function onesComplementSum(b: Uint8Array, off: number, len: number): number {
  let s = 0;
  for (let k = 0; k + 1 < len; k += 2) s += (b[off + k] << 8) | b[off + k + 1];
  if (len & 1) s += b[off + len - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** A batch: valid frames with probability `validShare`, mutated ones otherwise, plus a few random-byte frames. */
export function randomBatch(r: R, pools: Pools, n: number, validShare = 0.6, opts: FrameOptions = {}): Uint8Array[] {
  return Array.from({ length: n }, () => {
    const x = r();
    if (x < validShare) return randomFrame(r, pools, opts);
    if (x < 0.97) return mutateFrame(r, randomFrame(r, pools, opts));
    return Uint8Array.from({ length: randInt(r, 0, 120) }, () => randInt(r, 0, 255));
  });
}
