/**
 * IPv4 fragmentation and reassembly as a sending and a receiving stack do them (RFC 791 §2.3 and
 * §3.2, RFC 815). A stack fragments a datagram larger than the MTU of the interface it leaves by:
 * every fragment carries the datagram's IP header with the same identification, the data in pieces
 * of a multiple of 8 bytes (the last one whatever is left), the offset in 8-byte units, MF on all
 * but the last, and its own total length and header checksum; the first fragment carries the ICMP /
 * TCP / UDP header, whose checksum covers the whole datagram. A datagram with DF set is not
 * fragmented (the caller says what the sender does instead). The receiver keeps the fragments of a
 * datagram — keyed by source, destination, protocol and identification — until the data from 0 to
 * the end of the last fragment (MF clear) is all there, then hands on the whole datagram; fragments
 * of a datagram never completed are forgotten (the reassembly timeout: no answer).
 *
 * Frames here are Ethernet frames, untagged or with one 802.1Q tag, as the stations send them.
 */
import { internetChecksum } from '../wire/checksum.js';

/** The MTU of an Ethernet interface (no jumbo frames on the vSwitch by default). */
export const ETHERNET_MTU = 1500;
/** The largest IPv4 datagram (total length is 16 bits). */
export const MAX_DATAGRAM = 65535;
/** Datagrams a receiver holds in reassembly at once; the oldest is forgotten first. */
export const MAX_PENDING_DATAGRAMS = 64;

const DF = 0x4000;
const MF = 0x2000;
const OFFSET_MASK = 0x1fff;

/** Where the IPv4 header starts in an Ethernet frame, or -1 when the frame is not IPv4. */
function l3Of(frame: Uint8Array): number {
  if (frame.length < 14) return -1;
  let et = (frame[12] << 8) | frame[13];
  let off = 14;
  if (et === 0x8100 && frame.length >= 18) {
    et = (frame[16] << 8) | frame[17];
    off = 18;
  }
  return et === 0x0800 && frame.length >= off + 20 ? off : -1;
}

const rd16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const wr16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
};

/** The fragment fields of an IPv4 frame, or null when it is not IPv4. */
export function fragmentInfo(frame: Uint8Array): { id: number; offset: number; more: boolean; df: boolean; totalLength: number } | null {
  const l3 = l3Of(frame);
  if (l3 < 0) return null;
  const ff = rd16(frame, l3 + 6);
  return { id: rd16(frame, l3 + 4), offset: (ff & OFFSET_MASK) * 8, more: (ff & MF) !== 0, df: (ff & DF) !== 0, totalLength: rd16(frame, l3 + 2) };
}

/** Whether the frame is a fragment (MF set or a non-zero offset). */
export function isFragmentFrame(frame: Uint8Array): boolean {
  const f = fragmentInfo(frame);
  return !!f && (f.more || f.offset !== 0);
}

function rewriteHeader(b: Uint8Array, l3: number, ihl: number, totalLength: number, flagsOffset: number): void {
  wr16(b, l3 + 2, totalLength);
  wr16(b, l3 + 6, flagsOffset);
  wr16(b, l3 + 10, 0);
  wr16(b, l3 + 10, internetChecksum(b, l3, ihl));
}

/**
 * The frames a stack sends for `frame` out of an interface with this MTU: the frame itself when its
 * datagram fits, else its fragments in order (with IP identification `ident` when given). `'df'`
 * when it does not fit and DF is set.
 */
export function fragmentFrame(frame: Uint8Array, mtu: number, ident?: number): Uint8Array[] | 'df' {
  const l3 = l3Of(frame);
  if (l3 < 0) return [frame];
  const total = rd16(frame, l3 + 2);
  if (total <= mtu) return [frame];
  const ff = rd16(frame, l3 + 6);
  if (ff & DF) return 'df';
  const ihl = (frame[l3] & 15) * 4;
  const piece = Math.floor((mtu - ihl) / 8) * 8;
  if (piece <= 0) throw new Error(`fragmentFrame: MTU ${mtu} leaves no room for data`);
  const data = frame.subarray(l3 + ihl, l3 + total);
  const baseOffset = (ff & OFFSET_MASK) * 8;
  const lastMore = (ff & MF) !== 0;
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += piece) {
    const len = Math.min(piece, data.length - at);
    const last = at + len >= data.length;
    const f = new Uint8Array(l3 + ihl + len);
    f.set(frame.subarray(0, l3 + ihl), 0);
    if (ident !== undefined) wr16(f, l3 + 4, ident);
    f.set(data.subarray(at, at + len), l3 + ihl);
    const more = !last || lastMore;
    rewriteHeader(f, l3, ihl, ihl + len, (more ? MF : 0) | ((baseOffset + at) / 8));
    out.push(f);
  }
  return out;
}

interface Pending {
  /** The first fragment's frame up to the end of its IP header (Ethernet + IP header of the whole). */
  head: Uint8Array | null;
  l3: number;
  ihl: number;
  parts: Map<number, Uint8Array>;
  /** The datagram's data length, known once the last fragment (MF clear) arrived. */
  end: number | null;
}

/**
 * A receiving stack's reassembly: add() every frame it receives; a whole datagram comes back (an
 * unfragmented frame at once, a fragmented one when its last missing piece arrives), else null.
 * Fragments that overlap what is held, that would make a datagram above 65,535 bytes, or that are
 * not IPv4 are refused (null, nothing held).
 */
export class Reassembler {
  private pending = new Map<string, Pending>();

  /** Datagrams held incomplete. */
  get size(): number {
    return this.pending.size;
  }

  add(frame: Uint8Array, scope = ''): Uint8Array | null {
    const l3 = l3Of(frame);
    if (l3 < 0) return frame;
    const ff = rd16(frame, l3 + 6);
    const offset = (ff & OFFSET_MASK) * 8;
    const more = (ff & MF) !== 0;
    if (!more && offset === 0) return frame;
    const ihl = (frame[l3] & 15) * 4;
    const total = rd16(frame, l3 + 2);
    const data = frame.slice(l3 + ihl, l3 + total);
    if (offset + data.length + ihl > MAX_DATAGRAM || (more && data.length % 8 !== 0)) return null;
    const key = `${scope}|${rd16(frame, l3 + 12)}.${rd16(frame, l3 + 14)}|${rd16(frame, l3 + 16)}.${rd16(frame, l3 + 18)}|${frame[l3 + 9]}|${rd16(frame, l3 + 4)}`;
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= MAX_PENDING_DATAGRAMS) this.pending.delete(this.pending.keys().next().value!);
      p = { head: null, l3, ihl, parts: new Map(), end: null };
      this.pending.set(key, p);
    }
    for (const [o, d] of p.parts) if (offset < o + d.length && o < offset + data.length && !(o === offset && d.length === data.length)) return null;
    p.parts.set(offset, data);
    if (offset === 0) {
      p.head = frame.slice(0, l3 + ihl);
      p.l3 = l3;
      p.ihl = ihl;
    }
    if (!more) p.end = offset + data.length;
    if (p.head === null || p.end === null) return null;
    let have = 0;
    for (const o of [...p.parts.keys()].sort((a, b) => a - b)) {
      if (o > have) return null;
      have = Math.max(have, o + p.parts.get(o)!.length);
    }
    if (have < p.end) return null;
    this.pending.delete(key);
    const whole = new Uint8Array(p.l3 + p.ihl + p.end);
    whole.set(p.head, 0);
    for (const [o, d] of p.parts) whole.set(d, p.l3 + p.ihl + o);
    rewriteHeader(whole, p.l3, p.ihl, p.ihl + p.end, rd16(p.head, p.l3 + 6) & DF);
    return whole;
  }

  /** Forgets every incomplete datagram (their reassembly timed out). */
  clear(): void {
    this.pending.clear();
  }
}
