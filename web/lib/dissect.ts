/**
 * A Wireshark-style view of one frame: its layers (Ethernet, 802.1Q, ARP, IPv4, ICMP/TCP/UDP, VXLAN,
 * the inner frame) as a tree of fields, each with the bytes it occupies, so the page can highlight a
 * field's bytes and a byte's field. The decoding is src/wire's decodeFrame (the same code that writes
 * the traces' summaries); this file adds where each field sits in the header (RFC 791, 792, 768,
 * 793, 826, 7348 and IEEE 802.1Q layouts).
 *
 * Fields are keyed as the traces' hop diffs name them: `ip.src`, `tcp.dport`; the outer headers of a
 * VXLAN frame as `outer.ip.src`, `outer.udp.sport` (and its `vxlan.vni`).
 */
import { decodeFrame, type DecodedLayer, type FieldValue } from '../../src/wire/build.js';
import type { Hop, PacketTrace } from '../../src/result.js';

/** [offset within the layer, length in bytes]; a function for lengths that depend on the header. */
type Span = [number, number] | ((layer: DecodedLayer) => [number, number]);

const SPANS: Record<string, Span> = {
  'eth.dst': [0, 6], 'eth.src': [6, 6], 'eth.type': [12, 2],
  'vlan.priority': [0, 1], 'vlan.dei': [0, 1], 'vlan.id': [0, 2], 'vlan.etype': [2, 2],
  'arp.opcode': [6, 2], 'arp.src.hw_mac': [8, 6], 'arp.src.proto_ipv4': [14, 4], 'arp.dst.hw_mac': [18, 6], 'arp.dst.proto_ipv4': [24, 4],
  'ip.version': [0, 1], 'ip.hdr_len': [0, 1], 'ip.dscp': [1, 1], 'ip.ecn': [1, 1], 'ip.len': [2, 2], 'ip.id': [4, 2],
  'ip.flags.df': [6, 1], 'ip.flags.mf': [6, 1], 'ip.frag_offset': [6, 2], 'ip.ttl': [8, 1], 'ip.proto': [9, 1],
  'ip.checksum': [10, 2], 'ip.checksum.status': [10, 2], 'ip.src': [12, 4], 'ip.dst': [16, 4], 'ip.options': (l) => [20, l.length - 20],
  'icmp.type': [0, 1], 'icmp.code': [1, 1], 'icmp.checksum': [2, 2], 'icmp.checksum.status': [2, 2], 'icmp.id': [4, 2], 'icmp.seq': [6, 2],
  'udp.sport': [0, 2], 'udp.dport': [2, 2], 'udp.length': [4, 2], 'udp.checksum': [6, 2], 'udp.checksum.status': [6, 2],
  'tcp.sport': [0, 2], 'tcp.dport': [2, 2], 'tcp.seq': [4, 4], 'tcp.ack': [8, 4], 'tcp.hdr_len': [12, 1], 'tcp.flags': [12, 2],
  'tcp.window': [14, 2], 'tcp.checksum': [16, 2], 'tcp.checksum.status': [16, 2], 'tcp.urgent': [18, 2], 'tcp.options': (l) => [20, l.length - 20],
  'vxlan.flags': [0, 1], 'vxlan.i': [0, 1], 'vxlan.vni': [4, 3],
  'data.len': (l) => [0, l.length], 'data.hex': (l) => [0, Math.min(l.length, 32)],
};

const TITLES: Record<string, string> = {
  eth: 'Ethernet II', vlan: '802.1Q virtual LAN', arp: 'Address Resolution Protocol', ip: 'Internet Protocol version 4',
  icmp: 'Internet Control Message Protocol', udp: 'User Datagram Protocol', tcp: 'Transmission Control Protocol',
  vxlan: 'Virtual eXtensible Local Area Network', data: 'Data',
};

export interface TreeField {
  /** The key hop diffs use (`ip.src`, `outer.ip.src`). */
  key: string;
  /** The field's own name (`ip.src`). */
  name: string;
  value: FieldValue;
  /** Byte range in the frame, [start, end); empty when the field is computed (a length, a status). */
  start: number;
  end: number;
}

export interface TreeLayer {
  title: string;
  /** `outer` for the outer headers of an encapsulated frame, `inner` for the frame inside. */
  role: 'plain' | 'outer' | 'inner';
  start: number;
  end: number;
  fields: TreeField[];
}

export interface Dissection {
  bytes: Uint8Array;
  layers: TreeLayer[];
  summary: string;
}

function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The frame's layers and fields, with the bytes of each. */
export function dissect(hex: string): Dissection {
  const bytes = hexBytes(hex);
  const decoded = decodeFrame(bytes);
  const encapsulated = decoded.layers.some((l) => l.depth > 0);
  const layers = decoded.layers.map((l): TreeLayer => {
    const role = !encapsulated ? 'plain' : l.depth === 0 ? 'outer' : 'inner';
    const prefix = role === 'outer' && l.layer !== 'vxlan' ? 'outer.' : '';
    const fields = Object.entries(l.fields).map(([name, value]): TreeField => {
      const span = SPANS[name];
      const [o, n] = typeof span === 'function' ? span(l) : span ?? [0, 0];
      return { key: prefix + name, name, value, start: l.offset + o, end: l.offset + o + Math.max(0, n) };
    });
    const title = `${role === 'outer' ? 'Outer ' : role === 'inner' ? 'Inner ' : ''}${TITLES[l.layer] ?? l.layer}`;
    return { title, role, start: l.offset, end: l.offset + l.length, fields };
  });
  return { bytes, layers, summary: decoded.summary };
}

/** The field a byte belongs to: the narrowest one that covers it. */
export function fieldAt(d: Dissection, index: number): TreeField | undefined {
  let best: TreeField | undefined;
  for (const l of d.layers) {
    for (const f of l.fields) {
      if (index >= f.start && index < f.end && (!best || f.end - f.start < best.end - best.start)) best = f;
    }
  }
  return best;
}

/** Fields the hop changed (its diff's keys). */
export function changedKeys(hop: Hop | undefined): Set<string> {
  return new Set(hop ? [...Object.keys(hop.before), ...Object.keys(hop.after)] : []);
}

/**
 * The frame as it stood at hop `k`: a packet carries one frame per wire it crossed; hop k shows the
 * last of them captured at or before it (the first one before its first wire).
 */
export function frameAtHop(p: PacketTrace, k: number): { at: string; hex: string } | undefined {
  const frames = p.frames ?? [];
  if (!frames.length) return undefined;
  let chosen = frames[0];
  let from = 0;
  for (const f of frames) {
    // A wire no hop names is taken to follow the previous one directly.
    const found = p.hops.findIndex((h, i) => i >= from && wireMatches(f.at, h));
    const start = found < 0 ? from : found;
    if (start > k) break;
    chosen = f;
    from = start + 1;
  }
  return chosen;
}

/**
 * The frame to show at hop `k`: frameAtHop's, unless the hop changed fields that frame does not
 * have and the next wire's frame does (an encap hop's outer headers appear on the next wire).
 */
export function frameForHop(p: PacketTrace, k: number): { at: string; hex: string } | undefined {
  const frame = frameAtHop(p, k);
  const changed = changedKeys(p.hops[k]);
  if (!frame || !changed.size) return frame;
  const has = (hex: string) => dissect(hex).layers.some((l) => l.fields.some((f) => changed.has(f.key)));
  if (has(frame.hex)) return frame;
  const frames = p.frames ?? [];
  const next = frames[frames.indexOf(frame) + 1];
  return next && has(next.hex) ? next : frame;
}

/** A captured wire (`worker port app`, `LAN`, `host1 Ethernet`) is where a hop stands. */
function wireMatches(at: string, h: Hop): boolean {
  if (at === 'LAN') return h.host === 'LAN' || /LAN/.test(h.at);
  if (at === 'internet') return /internet|router/i.test(h.at);
  const [host, ...rest] = at.split(' ');
  const where = rest.join(' ');
  return h.host === host && (h.at.includes(where) || h.at.endsWith(`, ${where}`));
}
