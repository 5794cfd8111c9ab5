/**
 * A station's reading of a frame it received or sends (outermost headers): what a stack looks at to
 * answer (ARP, echo, TCP, DNS) and what a NIC looks at to accept a frame. Which stages run where is
 * never decided from it: that is the pipeline's, over the descriptor parse filled (programs.ts).
 */

export interface FrameView {
  dstMac: number;
  srcMac: number;
  vlan: number;
  ethertype: number;
  arp?: { op: number; sha: number; spa: number; tha: number; tpa: number };
  /** `frag`: the IP identification, the fragment's offset in bytes, MF and DF (RFC 791). */
  ip?: { src: number; dst: number; proto: number; ttl: number; l4: number; /** where the datagram ends in the frame */ end: number; frag: { id: number; offset: number; more: boolean; df: boolean } };
  icmp?: { type: number; code: number; id: number; seq: number };
  udp?: { sport: number; dport: number; payload: Uint8Array };
  tcp?: { sport: number; dport: number; flags: number; seq: number; ack: number };
}

const r16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const r32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const r48 = (b: Uint8Array, o: number) => r16(b, o) * 2 ** 32 + r32(b, o + 2);

export function frameView(b: Uint8Array): FrameView {
  const p: FrameView = { dstMac: b.length >= 6 ? r48(b, 0) : 0, srcMac: b.length >= 12 ? r48(b, 6) : 0, vlan: 0, ethertype: b.length >= 14 ? r16(b, 12) : 0 };
  let off = 14;
  if (p.ethertype === 0x8100 && b.length >= 18) {
    p.vlan = r16(b, 14) & 0xfff;
    p.ethertype = r16(b, 16);
    off = 18;
  }
  if (p.ethertype === 0x0806 && b.length >= off + 28) {
    p.arp = { op: r16(b, off + 6), sha: r48(b, off + 8), spa: r32(b, off + 14), tha: r48(b, off + 18), tpa: r32(b, off + 24) };
  } else if (p.ethertype === 0x0800 && b.length >= off + 20) {
    const ihl = (b[off] & 15) * 4;
    const l4 = off + ihl;
    const ff = r16(b, off + 6);
    const frag = { id: r16(b, off + 4), offset: (ff & 0x1fff) * 8, more: (ff & 0x2000) !== 0, df: (ff & 0x4000) !== 0 };
    const total = r16(b, off + 2);
    p.ip = { src: r32(b, off + 12), dst: r32(b, off + 16), proto: b[off + 9], ttl: b[off + 8], l4, end: Math.min(b.length, off + total), frag };
    // Only a datagram's first fragment carries the L4 header.
    const end = frag.offset === 0 ? p.ip.end : 0;
    if (p.ip.proto === 1 && end >= l4 + 8) p.icmp = { type: b[l4], code: b[l4 + 1], id: r16(b, l4 + 4), seq: r16(b, l4 + 6) };
    if (p.ip.proto === 17 && end >= l4 + 8) p.udp = { sport: r16(b, l4), dport: r16(b, l4 + 2), payload: b.slice(l4 + 8, end) };
    if (p.ip.proto === 6 && end >= l4 + 20) p.tcp = { sport: r16(b, l4), dport: r16(b, l4 + 2), seq: r32(b, l4 + 4), ack: r32(b, l4 + 8), flags: b[l4 + 13] };
  }
  return p;
}
