/**
 * Whole frames: `buildFrame` makes one from a small spec with every length and checksum right;
 * `decodeFrame` takes one apart into layers of named fields (for the flow inspector and hop
 * diffs); `describeFrame` prints the one-line summary used in traces and transcripts
 * (smoltcp's PrettyPrinter, tcpdump's line format).
 *
 *   Ethernet [+ 802.1Q] + ARP
 *   Ethernet [+ 802.1Q] + IPv4 + (ICMP echo | UDP | TCP | raw) + payload
 *   Ethernet [+ 802.1Q] + IPv4 + UDP 4789 + VXLAN + inner frame (any of the above)
 *
 * Field names follow Wireshark's where the project has not chosen shorter ones (SPEC §5 uses
 * `ip.src`, `tcp.sport`): eth.src, eth.dst, eth.type, vlan.id, arp.opcode, ip.src, ip.dst,
 * ip.ttl, ip.proto, tcp.sport, tcp.dport, tcp.flags, udp.sport, udp.dport, icmp.type, icmp.id,
 * icmp.seq, vxlan.vni ... Addresses are strings, numbers are numbers.
 *
 * buildFrame throws RangeError on a spec that cannot be built (a caller's bug); decodeFrame and
 * describeFrame never throw, whatever the bytes.
 */
import { ipOf, macOf, type IpLike, type MacLike } from '../addr.js';
import { toHex } from './bytes.js';
import { WireError } from './error.js';
import {
  ETH_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_VLAN, emitEthernet, formatMac, macToInt, MAC_ZERO,
  parseEthernet,
} from './ethernet.js';
import { emitVlan, parseVlan, VLAN_HEADER_LEN } from './vlan.js';
import { ARP_LEN, ARP_OP_REPLY, ARP_OP_REQUEST, emitArp, parseArp } from './arp.js';
import {
  emitIpv4, intToIp, ipToInt, ipv4Checksum, ipv4ChecksumValid, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, isFragment,
  parseIpv4, type Ipv4Repr,
} from './ipv4.js';
import {
  emitIcmp, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_HEADER_LEN, icmpChecksum, icmpChecksumValid, icmpTypeName,
  parseIcmp,
} from './icmp.js';
import { emitUdp, fillUdpChecksum, parseUdp, udpChecksum, udpChecksumStatus, UDP_HEADER_LEN, UDP_PORT_VXLAN } from './udp.js';
import {
  emitTcp, fillTcpChecksum, formatTcpFlags, parseTcp, parseTcpFlags, tcpChecksum, tcpChecksumValid, tcpHeaderLen,
} from './tcp.js';
import { emitVxlan, parseVxlan, VXLAN_FLAG_I, VXLAN_HEADER_LEN } from './vxlan.js';

// ---- building ----------------------------------------------------------------------------------

/** A MAC as text (`00:15:5d:00:00:0a` or `00-15-5D-00-00-0A`) or a 48-bit integer. */
/** An IPv4 address as dotted quad or a host-order u32. */

export interface FrameSpec {
  /** Ethernet addresses; the EtherType follows from the layers given unless set here. */
  eth: { src: MacLike; dst: MacLike; ethertype?: number };
  /** An 802.1Q tag after the source MAC. */
  vlan?: { vid: number; pcp?: number; dei?: boolean };
  arp?: ArpSpec;
  ipv4?: Ipv4Spec;
  icmp?: IcmpSpec;
  udp?: UdpSpec;
  tcp?: TcpSpec;
  /** VXLAN over the UDP layer (UDP defaults to 49152 → 4789, zero checksum, as RFC 7348 § 5 allows). */
  vxlan?: VxlanSpec;
  /** Bytes after the innermost header (ICMP data, UDP/TCP payload); a string is UTF-8 encoded. */
  payload?: Uint8Array | string;
  /** Pad with zero bytes to at least this length (60 is Ethernet's minimum without FCS). */
  minLength?: number;
}

export interface ArpSpec {
  op: 'request' | 'reply' | number;
  /** Defaults to eth.src. */
  senderMac?: MacLike;
  senderIp: IpLike;
  /** Defaults to 00:00:00:00:00:00 for a request, eth.dst otherwise. */
  targetMac?: MacLike;
  targetIp: IpLike;
}

export interface Ipv4Spec {
  src: IpLike;
  dst: IpLike;
  /** Default 64 (Linux); Windows sends 128. */
  ttl?: number;
  ident?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In bytes, a multiple of 8. */
  fragOffset?: number;
  dscp?: number;
  ecn?: number;
  /** Raw option bytes, a multiple of 4 long. */
  options?: Uint8Array;
  /** Needed only when no ICMP/UDP/TCP layer is given. */
  protocol?: number;
}

export interface IcmpSpec {
  /** Default 'echo-request'. */
  type?: 'echo-request' | 'echo-reply' | number;
  code?: number;
  id?: number;
  seq?: number;
}

export interface UdpSpec {
  sport: number;
  dport: number;
  /** Compute the checksum (default true, false under VXLAN: then it is sent as 0). */
  checksum?: boolean;
}

export interface TcpSpec {
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  /** `S`, `SA` (or `S.`), `PA`, `R`, `FA` ... or TCP_* bits. */
  flags: string | number;
  /** Default 65535. */
  window?: number;
  urgent?: number;
  /** Raw option bytes, a multiple of 4 long. */
  options?: Uint8Array;
}

export interface VxlanSpec {
  vni: number;
  /** Default VXLAN_FLAG_I. */
  flags?: number;
  /** The encapsulated frame, as a spec or as bytes. */
  inner: FrameSpec | Uint8Array;
}



const utf8 = new TextEncoder();

/** Build one frame from a spec: Ethernet, optional 802.1Q, then ARP or IPv4 and its transport, lengths and checksums filled. */
export function buildFrame(spec: FrameSpec): Uint8Array {
  const l4Count = (spec.icmp ? 1 : 0) + (spec.udp ? 1 : 0) + (spec.tcp ? 1 : 0) + (spec.vxlan && !spec.udp ? 1 : 0);
  if (spec.arp && (spec.ipv4 || l4Count)) throw new RangeError('frame spec: ARP carries no IPv4/ICMP/UDP/TCP layer');
  if (l4Count > 1) throw new RangeError('frame spec: give at most one of icmp, udp, tcp');
  if (l4Count && !spec.ipv4) throw new RangeError('frame spec: icmp/udp/tcp/vxlan need an ipv4 layer');
  if (spec.vxlan && (spec.icmp || spec.tcp)) throw new RangeError('frame spec: vxlan rides on udp');
  if (spec.vxlan && spec.payload !== undefined) throw new RangeError('frame spec: vxlan carries its inner frame, not a payload');

  const payload: Uint8Array = spec.vxlan
    ? vxlanBody(spec.vxlan)
    : typeof spec.payload === 'string' ? utf8.encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const udp = spec.udp ?? (spec.vxlan ? { sport: 49152, dport: UDP_PORT_VXLAN, checksum: false } : undefined);

  const ethertype = spec.arp ? ETHERTYPE_ARP : spec.ipv4 ? ETHERTYPE_IPV4 : spec.eth.ethertype;
  if (ethertype === undefined) throw new RangeError('frame spec: a frame without arp or ipv4 needs eth.ethertype');

  const l2Len = ETH_HEADER_LEN + (spec.vlan ? VLAN_HEADER_LEN : 0);
  let l4HeaderLen = 0;
  const tcpOptions = spec.tcp?.options ?? new Uint8Array(0);
  if (spec.icmp) l4HeaderLen = ICMP_HEADER_LEN;
  else if (udp) l4HeaderLen = UDP_HEADER_LEN;
  else if (spec.tcp) l4HeaderLen = tcpHeaderLen({ options: tcpOptions });
  const l4Len = l4HeaderLen + payload.length;
  const ipOptions = spec.ipv4?.options ?? new Uint8Array(0);
  const l3Len = spec.arp ? ARP_LEN : spec.ipv4 ? 20 + ipOptions.length + l4Len : payload.length;
  const frameLen = l2Len + l3Len;
  const buf = new Uint8Array(Math.max(frameLen, spec.minLength ?? 0));

  let off = emitEthernet(
    { dst: macOf(spec.eth.dst), src: macOf(spec.eth.src), ethertype: spec.vlan ? ETHERTYPE_VLAN : ethertype },
    buf, 0,
  );
  if (spec.vlan) {
    off += emitVlan({ pcp: spec.vlan.pcp ?? 0, dei: spec.vlan.dei ?? false, vid: spec.vlan.vid, ethertype }, buf, off);
  }

  if (spec.arp) {
    const a = spec.arp;
    const operation = a.op === 'request' ? ARP_OP_REQUEST : a.op === 'reply' ? ARP_OP_REPLY : a.op;
    emitArp({
      operation,
      senderMac: macOf(a.senderMac ?? spec.eth.src),
      senderIp: ipOf(a.senderIp),
      targetMac: a.targetMac !== undefined ? macOf(a.targetMac) : operation === ARP_OP_REQUEST ? MAC_ZERO : macOf(spec.eth.dst),
      targetIp: ipOf(a.targetIp),
    }, buf, off);
    return buf;
  }

  if (!spec.ipv4) {
    buf.set(payload, off);
    return buf;
  }

  const s = spec.ipv4;
  const protocol = spec.icmp ? IPPROTO_ICMP : udp ? IPPROTO_UDP : spec.tcp ? IPPROTO_TCP : s.protocol;
  if (protocol === undefined) throw new RangeError('frame spec: an ipv4 layer without icmp/udp/tcp needs ipv4.protocol');
  const src = ipOf(s.src);
  const dst = ipOf(s.dst);
  const ipOff = off;
  off += emitIpv4({
    dscp: s.dscp ?? 0, ecn: s.ecn ?? 0, ident: s.ident ?? 0,
    dontFragment: s.dontFragment ?? false, moreFragments: s.moreFragments ?? false, fragOffset: s.fragOffset ?? 0,
    ttl: s.ttl ?? 64, protocol, src, dst, options: ipOptions, payloadLen: l4Len,
  }, buf, ipOff);

  const l4Off = off;
  if (spec.icmp) {
    const t = spec.icmp.type ?? 'echo-request';
    emitIcmp({
      type: t === 'echo-request' ? ICMP_ECHO_REQUEST : t === 'echo-reply' ? ICMP_ECHO_REPLY : t,
      code: spec.icmp.code ?? 0, ident: spec.icmp.id ?? 0, seq: spec.icmp.seq ?? 0, data: payload,
    }, buf, l4Off);
  } else if (udp) {
    emitUdp({ srcPort: udp.sport, dstPort: udp.dport, payloadLen: payload.length }, buf, l4Off);
    buf.set(payload, l4Off + UDP_HEADER_LEN);
    if (udp.checksum ?? !spec.vxlan) fillUdpChecksum(buf, l4Off, src, dst);
  } else if (spec.tcp) {
    const t = spec.tcp;
    const flags = typeof t.flags === 'number' ? t.flags : parseTcpFlags(t.flags);
    if (flags === undefined) throw new RangeError(`frame spec: bad TCP flags ${JSON.stringify(t.flags)}`);
    emitTcp({
      srcPort: t.sport, dstPort: t.dport, seq: t.seq ?? 0, ack: t.ack ?? 0, flags,
      window: t.window ?? 65535, urgent: t.urgent ?? 0, options: tcpOptions,
    }, buf, l4Off);
    buf.set(payload, l4Off + l4HeaderLen);
    fillTcpChecksum(buf, l4Off, l4Len, src, dst);
  } else {
    buf.set(payload, l4Off);
  }
  return buf;
}

/** The VXLAN header followed by the inner frame: the payload of the outer UDP datagram. */
function vxlanBody(v: VxlanSpec): Uint8Array {
  const inner = v.inner instanceof Uint8Array ? v.inner : buildFrame(v.inner);
  const out = new Uint8Array(VXLAN_HEADER_LEN + inner.length);
  emitVxlan({ flags: v.flags ?? VXLAN_FLAG_I, vni: v.vni }, out, 0);
  out.set(inner, VXLAN_HEADER_LEN);
  return out;
}

// ---- decoding ----------------------------------------------------------------------------------

export type LayerName = 'eth' | 'vlan' | 'arp' | 'ip' | 'icmp' | 'udp' | 'tcp' | 'vxlan' | 'data';
export type FieldValue = string | number | boolean;

export interface DecodedLayer {
  layer: LayerName;
  /** 0 for the outer frame, 1 inside one VXLAN encapsulation, and so on. */
  depth: number;
  /** Byte offset of the header within the frame, and its length (for `data`, the payload length). */
  offset: number;
  length: number;
  /** Field name → value, in header order. */
  fields: Record<string, FieldValue>;
}

export interface DecodedFrame {
  /** Outermost first. */
  layers: DecodedLayer[];
  /** The describeFrame line. */
  summary: string;
  /** The first layer that failed to parse, if any (the layers before it are still given). */
  error?: WireError;
  /** True when some checksum present in the frame is wrong. */
  badChecksum: boolean;
}

/** Largest VXLAN nesting decoded; deeper frames are shown as data. */
const MAX_DEPTH = 4;
const DATA_PREVIEW = 32;

/** Take a frame apart into layers of named fields. Never throws. */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const out: DecodedFrame = { layers: [], summary: '', badChecksum: false };
  try {
    out.summary = dissect(bytes, 0, 0, out);
  } catch (e) {
    // Only a bug in this file can land here; show it rather than crash the inspector.
    out.error = new WireError('frame', 'malformed', `decoder failure: ${String(e)}`, 0);
    out.summary = `undecodable frame (${out.error.message})`;
  }
  return out;
}

/** The one-line summary of a frame: `TCP 172.16.0.2:49152 > 172.16.0.3:80 [S]`. Never throws. */
export function describeFrame(bytes: Uint8Array): string {
  return decodeFrame(bytes).summary;
}

/** All fields of the layers at one depth (0 = outer frame) merged into one record. */
export function frameFields(bytes: Uint8Array, depth = 0): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const l of decodeFrame(bytes).layers) if (l.depth === depth) Object.assign(fields, l.fields);
  return fields;
}

function fail(out: DecodedFrame, err: WireError, prefix: string): string {
  out.error ??= err;
  return `${prefix}malformed ${err.layer}: ${err.message}`;
}

function push(out: DecodedFrame, layer: LayerName, depth: number, offset: number, length: number, fields: Record<string, FieldValue>): void {
  out.layers.push({ layer, depth, offset, length, fields });
}

function dataLayer(out: DecodedFrame, depth: number, bytes: Uint8Array, off: number, end: number): void {
  if (end <= off) return;
  const shown = bytes.subarray(off, Math.min(end, off + DATA_PREVIEW));
  push(out, 'data', depth, off, end - off, {
    'data.len': end - off,
    'data.hex': toHex(shown) + (end - off > DATA_PREVIEW ? '…' : ''),
  });
}

/** Decode the Ethernet frame starting at `start` and running to the end of `bytes`; returns its summary. */
function dissect(bytes: Uint8Array, start: number, depth: number, out: DecodedFrame): string {
  const eth = parseEthernet(bytes, start);
  if (eth instanceof WireError) return fail(out, eth, '');
  push(out, 'eth', depth, start, ETH_HEADER_LEN, {
    'eth.dst': formatMac(eth.dst), 'eth.src': formatMac(eth.src), 'eth.type': eth.ethertype,
  });
  let off = start + ETH_HEADER_LEN;
  let ethertype = eth.ethertype;
  let prefix = '';
  if (ethertype === ETHERTYPE_VLAN) {
    const tag = parseVlan(bytes, off);
    if (tag instanceof WireError) return fail(out, tag, '');
    push(out, 'vlan', depth, off, VLAN_HEADER_LEN, {
      'vlan.priority': tag.pcp, 'vlan.dei': tag.dei, 'vlan.id': tag.vid, 'vlan.etype': tag.ethertype,
    });
    prefix = `VLAN ${tag.vid}: `;
    off += VLAN_HEADER_LEN;
    ethertype = tag.ethertype;
  }

  if (ethertype === ETHERTYPE_ARP) {
    const arp = parseArp(bytes, off);
    if (arp instanceof WireError) return fail(out, arp, prefix);
    push(out, 'arp', depth, off, ARP_LEN, {
      'arp.opcode': arp.operation,
      'arp.src.hw_mac': formatMac(arp.senderMac), 'arp.src.proto_ipv4': intToIp(arp.senderIp),
      'arp.dst.hw_mac': formatMac(arp.targetMac), 'arp.dst.proto_ipv4': intToIp(arp.targetIp),
    });
    if (arp.operation === ARP_OP_REQUEST) return `${prefix}ARP who-has ${intToIp(arp.targetIp)} tell ${intToIp(arp.senderIp)}`;
    if (arp.operation === ARP_OP_REPLY) return `${prefix}ARP ${intToIp(arp.senderIp)} is-at ${formatMac(arp.senderMac)}`;
    return `${prefix}ARP op ${arp.operation} ${intToIp(arp.senderIp)} > ${intToIp(arp.targetIp)}`;
  }

  if (ethertype !== ETHERTYPE_IPV4) {
    dataLayer(out, depth, bytes, off, bytes.length);
    return `${prefix}ETH ${formatMac(eth.src)} > ${formatMac(eth.dst)} type 0x${ethertype.toString(16).padStart(4, '0')} len=${bytes.length - off}`;
  }

  const ipv4 = parseIpv4(bytes, off);
  if (ipv4 instanceof WireError) return fail(out, ipv4, prefix);
  return prefix + dissectIpv4(bytes, off, ipv4, depth, out);
}

function dissectIpv4(bytes: Uint8Array, ipOff: number, ip4: Ipv4Repr, depth: number, out: DecodedFrame): string {
  const hl = 20 + ip4.options.length;
  const ipEnd = ipOff + hl + ip4.payloadLen;
  // Bound everything above IPv4 to its total length: Ethernet padding is not payload.
  const pkt = bytes.subarray(0, ipEnd);
  const ipGood = ipv4ChecksumValid(bytes, ipOff);
  if (!ipGood) out.badChecksum = true;
  const fields: Record<string, FieldValue> = {
    'ip.version': 4, 'ip.hdr_len': hl, 'ip.dscp': ip4.dscp, 'ip.ecn': ip4.ecn, 'ip.len': hl + ip4.payloadLen,
    'ip.id': ip4.ident, 'ip.flags.df': ip4.dontFragment, 'ip.flags.mf': ip4.moreFragments,
    'ip.frag_offset': ip4.fragOffset, 'ip.ttl': ip4.ttl, 'ip.proto': ip4.protocol,
    'ip.checksum': ipv4Checksum(bytes, ipOff), 'ip.checksum.status': ipGood ? 'good' : 'bad',
    'ip.src': intToIp(ip4.src), 'ip.dst': intToIp(ip4.dst),
  };
  if (ip4.options.length) fields['ip.options'] = toHex(ip4.options);
  push(out, 'ip', depth, ipOff, hl, fields);

  const src = intToIp(ip4.src);
  const dst = intToIp(ip4.dst);
  const badIp = ipGood ? '' : ' [bad ip checksum]';
  const l4Off = ipOff + hl;
  // A later fragment holds no transport header; a first fragment's checksum cannot be checked alone.
  if (ip4.fragOffset !== 0) {
    dataLayer(out, depth, pkt, l4Off, ipEnd);
    return `IPv4 ${src} > ${dst} frag id=${ip4.ident} off=${ip4.fragOffset}${ip4.moreFragments ? ' [MF]' : ''} proto ${ip4.protocol} len=${ip4.payloadLen}${badIp}`;
  }
  const whole = !isFragment(ip4);
  const mf = ip4.moreFragments ? ` frag id=${ip4.ident} [MF]` : '';
  const ipPrefix = `IPv4 ${src} > ${dst} `;

  if (ip4.protocol === IPPROTO_ICMP) {
    const icmp = parseIcmp(pkt, l4Off);
    if (icmp instanceof WireError) return fail(out, icmp, ipPrefix);
    const len = ipEnd - l4Off;
    const good = whole ? icmpChecksumValid(pkt, l4Off, len) : undefined;
    if (good === false) out.badChecksum = true;
    const f: Record<string, FieldValue> = {
      'icmp.type': icmp.type, 'icmp.code': icmp.code, 'icmp.checksum': icmpChecksum(pkt, l4Off),
      'icmp.checksum.status': good === undefined ? 'unverified' : good ? 'good' : 'bad',
    };
    const echo = icmp.type === ICMP_ECHO_REQUEST || icmp.type === ICMP_ECHO_REPLY;
    if (echo) {
      f['icmp.id'] = icmp.ident;
      f['icmp.seq'] = icmp.seq;
    }
    f['icmp.data.len'] = icmp.data.length;
    push(out, 'icmp', depth, l4Off, ICMP_HEADER_LEN, f);
    const ids = echo ? ` id=${icmp.ident} seq=${icmp.seq}` : '';
    return `ICMP ${src} > ${dst} ${icmpTypeName(icmp.type, icmp.code)}${ids}${mf}${badIp}${good === false ? ' [bad icmp checksum]' : ''}`;
  }

  if (ip4.protocol === IPPROTO_UDP) {
    const udp = parseUdp(pkt, l4Off);
    if (udp instanceof WireError) return fail(out, udp, ipPrefix);
    const status = whole ? udpChecksumStatus(pkt, l4Off, ip4.src, ip4.dst) : 'unverified';
    if (status === 'bad') out.badChecksum = true;
    push(out, 'udp', depth, l4Off, UDP_HEADER_LEN, {
      'udp.sport': udp.srcPort, 'udp.dport': udp.dstPort, 'udp.length': udp.payloadLen + UDP_HEADER_LEN,
      'udp.checksum': udpChecksum(pkt, l4Off), 'udp.checksum.status': status,
    });
    const badUdp = status === 'bad' ? ' [bad udp checksum]' : '';
    const bodyOff = l4Off + UDP_HEADER_LEN;
    const bodyEnd = bodyOff + udp.payloadLen;
    if (udp.dstPort === UDP_PORT_VXLAN && whole) {
      const vx = parseVxlan(pkt, bodyOff);
      if (vx instanceof WireError) return fail(out, vx, `UDP ${src}:${udp.srcPort} > ${dst}:${udp.dstPort} `);
      push(out, 'vxlan', depth, bodyOff, VXLAN_HEADER_LEN, {
        'vxlan.flags': vx.flags, 'vxlan.i': (vx.flags & VXLAN_FLAG_I) !== 0, 'vxlan.vni': vx.vni,
      });
      const innerOff = bodyOff + VXLAN_HEADER_LEN;
      const innerBytes = pkt.subarray(0, bodyEnd);
      const inner = depth + 1 < MAX_DEPTH
        ? dissect(innerBytes, innerOff, depth + 1, out)
        : (dataLayer(out, depth + 1, innerBytes, innerOff, bodyEnd), `${bodyEnd - innerOff} bytes`);
      return `VXLAN vni ${vx.vni}${badIp}${badUdp}: ${inner}`;
    }
    dataLayer(out, depth, pkt, bodyOff, bodyEnd);
    return `UDP ${src}:${udp.srcPort} > ${dst}:${udp.dstPort} len=${udp.payloadLen}${mf}${badIp}${badUdp}`;
  }

  if (ip4.protocol === IPPROTO_TCP) {
    const tcp = parseTcp(pkt, l4Off);
    if (tcp instanceof WireError) return fail(out, tcp, ipPrefix);
    const thl = tcpHeaderLen(tcp);
    const segLen = ipEnd - l4Off;
    const good = whole ? tcpChecksumValid(pkt, l4Off, segLen, ip4.src, ip4.dst) : undefined;
    if (good === false) out.badChecksum = true;
    const f: Record<string, FieldValue> = {
      'tcp.sport': tcp.srcPort, 'tcp.dport': tcp.dstPort, 'tcp.seq': tcp.seq, 'tcp.ack': tcp.ack,
      'tcp.hdr_len': thl, 'tcp.flags': formatTcpFlags(tcp.flags), 'tcp.window': tcp.window,
      'tcp.checksum': tcpChecksum(pkt, l4Off), 'tcp.checksum.status': good === undefined ? 'unverified' : good ? 'good' : 'bad',
      'tcp.urgent': tcp.urgent,
    };
    if (tcp.options.length) f['tcp.options'] = toHex(tcp.options);
    f['tcp.len'] = segLen - thl;
    push(out, 'tcp', depth, l4Off, thl, f);
    dataLayer(out, depth, pkt, l4Off + thl, ipEnd);
    const len = segLen - thl > 0 ? ` len=${segLen - thl}` : '';
    return `TCP ${src}:${tcp.srcPort} > ${dst}:${tcp.dstPort} [${formatTcpFlags(tcp.flags)}]${len}${mf}${badIp}${good === false ? ' [bad tcp checksum]' : ''}`;
  }

  dataLayer(out, depth, pkt, l4Off, ipEnd);
  return `IPv4 ${src} > ${dst} proto ${ip4.protocol} len=${ip4.payloadLen}${mf}${badIp}`;
}
