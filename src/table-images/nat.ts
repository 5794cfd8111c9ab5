/**
 * WinNAT tables: the configuration of one NAT instance (the data plane's stage `nat`, a0 = instance
 * id), its validation, the image the WebAssembly core loads (layout: assembly/tables/nat-table.ts,
 * which this file must agree with), and the decoding of the session and mapping records the core
 * keeps, for the UI's WinNAT table.
 *
 * The model (Get-NetNat, Get-NetNatStaticMapping):
 * - one instance = one WinNAT: an external address (the host's IP), one or more internal prefixes
 *   (several NAT networks may share one WinNAT: give each network's prefix), an external port range
 *   (the pool), session timeouts, the static mappings of published ports (`docker run -p`).
 * - outbound flows from an internal prefix get an endpoint-independent mapping (RFC 4787 REQ-1): one
 *   external port per internal (address, port), shared by all of its sessions, taken from the pool
 *   in FIFO order (a fresh pool is the range in ascending order without the published ports); the
 *   port returns to the tail of the pool when the mapping's last session goes. A published internal
 *   endpoint uses its published port instead. ICMP echo identifiers are mapped the same way from an
 *   identifier pool over the same range. Inbound filtering matches the whole 5-tuple (address- and
 *   port-dependent: stricter than Get-NetNat's AddressDependentFiltering).
 * - sessions expire after the timeout of their state (TCP: established once both directions were
 *   seen and no FIN/RST, else transient; UDP idle; ICMP query). Defaults: Get-NetNat's
 *   (windows-facts §2.5): TcpEstablishedConnectionTimeout 1800, TcpTransientConnectionTimeout 120,
 *   UdpIdleSessionTimeout 120, IcmpQueryTimeout 30, UdpInboundRefresh False. The default pool is
 *   the Windows dynamic port range 49152-65535 [infer: WinNAT's own range is not documented].
 */
import { maskOf } from '../addr.js';
import { ipOf, macOf, type IpLike, type MacLike } from '../addr.js';
import { ipToInt, intToIp, parseCidr } from '../wire/ipv4.js';

/** An IPv4 address as a dotted quad or a host-order u32. */

export const NAT_MAX_INSTANCES = 1 << 18;
export const NAT_MAX_PREFIXES = 1 << 18;
export const NAT_MAX_CAPACITY = 1 << 22;
export const NAT_DEFAULT_CAPACITY = 65536;
export const NAT_DEFAULT_PORT_FIRST = 49152;
export const NAT_DEFAULT_PORT_LAST = 65535;
export const NAT_DEFAULT_TIMEOUTS: Readonly<NatTimeouts> = {
  tcpEstablished: 1800,
  tcpTransient: 120,
  udpIdle: 120,
  icmpQuery: 30,
};

export type NatProtocol = 'tcp' | 'udp';
export type NatSessionProtocol = 'tcp' | 'udp' | 'icmp';

export interface NatTimeouts {
  /** TcpEstablishedConnectionTimeout, seconds. */
  tcpEstablished: number;
  /** TcpTransientConnectionTimeout (half-open or closing), seconds. */
  tcpTransient: number;
  /** UdpIdleSessionTimeout, seconds. */
  udpIdle: number;
  /** IcmpQueryTimeout, seconds. */
  icmpQuery: number;
}

/** A published port (NetNatStaticMapping): external port → internal address:port. */
export interface NatStaticMapping {
  protocol: NatProtocol;
  externalPort: number;
  internalAddress: IpLike;
  internalPort: number;
}

export interface NatConfig {
  /** ExternalIPInterfaceAddressPrefix's address: the host address flows are translated to. */
  externalAddress: IpLike;
  /** InternalIPInterfaceAddressPrefix(es), `a.b.c.d/n`, at most NAT_MAX_PREFIXES. */
  internalPrefixes: readonly string[];
  /** External port pool, inclusive; default 49152-65535. */
  portRange?: { first: number; last: number };
  /** Session table capacity (fixed at load); default 65536, at most NAT_MAX_CAPACITY. */
  capacity?: number;
  timeouts?: Partial<NatTimeouts>;
  /** UdpInboundRefresh: inbound UDP packets refresh the session's timer (default false). */
  udpInboundRefresh?: boolean;
  /** Translate ICMP echo (default true). False models VFP outbound NAT on ws2019 overlay networks,
   *  where ICMP to the outside fails: ICMP is then NAT_UNSUPPORTED. */
  translateIcmp?: boolean;
  /** Inbound packets to the external address that match no session or published port, or that NAT
   *  cannot translate, pass on untranslated (to the host's own stack) instead of being dropped as
   *  NAT_NO_MAPPING / NAT_UNSUPPORTED (default false). */
  inboundMissPasses?: boolean;
  /** A load balancer (VFP's, of a service VIP or an ingress port): consecutive static mappings of one
   *  protocol and external port are its backends; a new inbound flow goes to backend
   *  fmix32(flow hash ^ lbSeed) % count (default false). */
  loadBalance?: boolean;
  /** The load balancer's seed (u32; default 0). */
  lbSeed?: number;
  staticMappings?: readonly NatStaticMapping[];
}

export interface NormalizedStaticMapping {
  protocol: NatProtocol;
  externalPort: number;
  internalAddress: number;
  internalPort: number;
}

/** A validated configuration, addresses as host-order u32: what both cores load. */
export interface NormalizedNatConfig {
  externalAddress: number;
  /** Network address (host bits cleared) and mask, host order. */
  internalPrefixes: { network: number; mask: number }[];
  portFirst: number;
  portLast: number;
  capacity: number;
  timeouts: NatTimeouts;
  udpInboundRefresh: boolean;
  translateIcmp: boolean;
  inboundMissPasses: boolean;
  loadBalance: boolean;
  lbSeed: number;
  staticMappings: NormalizedStaticMapping[];
}


function port(p: number, what: string): number {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RangeError(`${what}: port ${p} outside 1..65535`);
  return p;
}

function seconds(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new RangeError(`${what}: ${v} is not a whole number of seconds ≥ 1`);
  return v;
}

export function protocolNumber(p: NatSessionProtocol): number {
  return p === 'tcp' ? 6 : p === 'udp' ? 17 : 1;
}

export function protocolName(n: number): NatSessionProtocol {
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : 'icmp';
}

/** Checks a configuration (RangeError with the reason) and resolves its defaults. */
export function normalizeNatConfig(c: NatConfig): NormalizedNatConfig {
  const externalAddress = ipOf(c.externalAddress, 'externalAddress');
  if (c.internalPrefixes.length > NAT_MAX_PREFIXES) throw new RangeError(`at most ${NAT_MAX_PREFIXES} internal prefixes`);
  const internalPrefixes = c.internalPrefixes.map((text) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new RangeError(`internal prefix ${JSON.stringify(text)} is not a.b.c.d/n`);
    const mask = maskOf(cidr.prefixLen);
    return { network: (cidr.ip & mask) >>> 0, mask };
  });
  for (const p of internalPrefixes) {
    // WinNAT: "External and internal prefixes must not overlap".
    if (((externalAddress & p.mask) >>> 0) === p.network) {
      throw new RangeError(`external address ${intToIp(externalAddress)} lies inside internal prefix ${intToIp(p.network)}`);
    }
  }
  const portFirst = port(c.portRange?.first ?? NAT_DEFAULT_PORT_FIRST, 'portRange.first');
  const portLast = port(c.portRange?.last ?? NAT_DEFAULT_PORT_LAST, 'portRange.last');
  if (portFirst > portLast) throw new RangeError(`port range ${portFirst}-${portLast} is empty`);
  const capacity = c.capacity ?? NAT_DEFAULT_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > NAT_MAX_CAPACITY) {
    throw new RangeError(`capacity ${capacity} outside 1..${NAT_MAX_CAPACITY}`);
  }
  const t = { ...NAT_DEFAULT_TIMEOUTS, ...c.timeouts };
  const timeouts: NatTimeouts = {
    tcpEstablished: seconds(t.tcpEstablished, 'tcpEstablished'),
    tcpTransient: seconds(t.tcpTransient, 'tcpTransient'),
    udpIdle: seconds(t.udpIdle, 'udpIdle'),
    icmpQuery: seconds(t.icmpQuery, 'icmpQuery'),
  };
  const seen = new Set<string>();
  const loadBalance = c.loadBalance ?? false;
  let last = '';
  const staticMappings = (c.staticMappings ?? []).map((m, k) => {
    if (m.protocol !== 'tcp' && m.protocol !== 'udp') throw new RangeError(`static mapping ${k}: invalid protocol ${String(m.protocol)}`);
    const s: NormalizedStaticMapping = {
      protocol: m.protocol,
      externalPort: port(m.externalPort, `static mapping ${k} externalPort`),
      internalAddress: ipOf(m.internalAddress, `static mapping ${k} internalAddress`),
      internalPort: port(m.internalPort, `static mapping ${k} internalPort`),
    };
    const key = `${s.protocol}/${s.externalPort}`;
    // WinNAT: "An external host port can map to only one internal endpoint". A load balancer's
    // backends of one port follow each other.
    if (seen.has(key) && !(loadBalance && key === last)) throw new RangeError(`external port ${key} is mapped twice`);
    seen.add(key);
    last = key;
    return s;
  });
  const lbSeed = c.lbSeed ?? 0;
  if (!Number.isInteger(lbSeed) || lbSeed < 0 || lbSeed > 0xffffffff) throw new RangeError(`lbSeed ${lbSeed} is not a u32`);
  return {
    externalAddress, internalPrefixes, portFirst, portLast, capacity, timeouts,
    udpInboundRefresh: c.udpInboundRefresh ?? false, translateIcmp: c.translateIcmp ?? true,
    inboundMissPasses: c.inboundMissPasses ?? false, loadBalance, lbSeed, staticMappings,
  };
}

// ---- the image (assembly/tables/nat-table.ts natConfigure) ----------------------------------------

export const NAT_IMAGE_MAGIC = 0x3154414e; // "NAT1"
export const NAT_IMAGE_HEADER = 64;
export const NAT_PREFIX_SIZE = 8;
export const NAT_STATIC_IMAGE_SIZE = 12;
/** Header fields (byte offsets), flag bits and record fields; mirrored in assembly/tables/nat-table.ts. */
export const NI_MAGIC = 0;
export const NI_EXTERNAL = 4;
export const NI_CAPACITY = 8;
export const NI_PORT_FIRST = 12;
export const NI_PORT_LAST = 16;
export const NI_TCP_ESTABLISHED = 20;
export const NI_TCP_TRANSIENT = 24;
export const NI_UDP_IDLE = 28;
export const NI_ICMP_QUERY = 32;
export const NI_FLAGS = 36;
export const NI_PREFIX_COUNT = 40;
export const NI_STATIC_COUNT = 44;
export const NI_LB_SEED = 48;
export const NIF_UDP_INBOUND_REFRESH = 1;
export const NIF_NO_ICMP = 2;
export const NIF_INBOUND_MISS_PASSES = 4;
export const NIF_LOAD_BALANCE = 8;
export const NP_NETWORK = 0;
export const NP_MASK = 4;
export const NS_INT_ADDR = 0;
export const NS_INT_PORT = 4;
export const NS_EXT_PORT = 6;
export const NS_PROTO = 8;

/** nat_configure's results. */
export const NAT_CONFIGURE_ERRORS: Record<number, string> = {
  1: 'NAT instance id out of range',
  2: 'malformed NAT configuration image',
  3: 'an external port is mapped twice',
};

/**
 * The image, all little-endian, host-order values:
 *   0 magic   4 external address   8 capacity   12 first port   16 last port
 *   20 tcpEstablished   24 tcpTransient   28 udpIdle   32 icmpQuery
 *   36 flags: bit 0 udpInboundRefresh, bit 1 ICMP not translated, bit 2 inboundMissPasses,
 *      bit 3 load balancer (consecutive mappings of one port are its backends)
 *   40 prefix count   44 static mapping count   48 load balancer seed   52..63 zero
 *   64: prefixes, 8 bytes each: network u32, mask u32
 *   then static mappings, 12 bytes each: internal address u32, internal port u16, external port u16,
 *   protocol u8, 3 zero bytes.
 */
export function encodeNatImage(c: NormalizedNatConfig): Uint8Array {
  const size = NAT_IMAGE_HEADER + c.internalPrefixes.length * NAT_PREFIX_SIZE + c.staticMappings.length * NAT_STATIC_IMAGE_SIZE;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(NI_MAGIC, NAT_IMAGE_MAGIC, true);
  dv.setUint32(NI_EXTERNAL, c.externalAddress, true);
  dv.setUint32(NI_CAPACITY, c.capacity, true);
  dv.setUint32(NI_PORT_FIRST, c.portFirst, true);
  dv.setUint32(NI_PORT_LAST, c.portLast, true);
  dv.setUint32(NI_TCP_ESTABLISHED, c.timeouts.tcpEstablished, true);
  dv.setUint32(NI_TCP_TRANSIENT, c.timeouts.tcpTransient, true);
  dv.setUint32(NI_UDP_IDLE, c.timeouts.udpIdle, true);
  dv.setUint32(NI_ICMP_QUERY, c.timeouts.icmpQuery, true);
  dv.setUint32(NI_FLAGS, (c.udpInboundRefresh ? NIF_UDP_INBOUND_REFRESH : 0) | (c.translateIcmp ? 0 : NIF_NO_ICMP) | (c.inboundMissPasses ? NIF_INBOUND_MISS_PASSES : 0) | (c.loadBalance ? NIF_LOAD_BALANCE : 0), true);
  dv.setUint32(NI_LB_SEED, c.lbSeed, true);
  dv.setUint32(NI_PREFIX_COUNT, c.internalPrefixes.length, true);
  dv.setUint32(NI_STATIC_COUNT, c.staticMappings.length, true);
  let p = NAT_IMAGE_HEADER;
  for (const x of c.internalPrefixes) {
    dv.setUint32(p + NP_NETWORK, x.network, true);
    dv.setUint32(p + NP_MASK, x.mask, true);
    p += NAT_PREFIX_SIZE;
  }
  for (const m of c.staticMappings) {
    dv.setUint32(p + NS_INT_ADDR, m.internalAddress, true);
    dv.setUint16(p + NS_INT_PORT, m.internalPort, true);
    dv.setUint16(p + NS_EXT_PORT, m.externalPort, true);
    dv.setUint8(p + NS_PROTO, protocolNumber(m.protocol));
    p += NAT_STATIC_IMAGE_SIZE;
  }
  return out;
}

// ---- records the core keeps (read by src/engine/loaders/nat.ts) ------------------------------------

export const NAT_SESSION_SIZE = 32;
export const NAT_MAPPING_SIZE = 16;
export const SF_IN_USE = 1;
export const SF_STATIC = 2;
export const SF_SEEN_OUT = 4;
export const SF_SEEN_IN = 8;
export const SF_CLOSING = 16;

export type NatSessionState = 'transient' | 'established' | 'closing' | 'active';

/** One row of the WinNAT session table, as the UI shows it. */
export interface NatSessionInfo {
  /** Session index: the `entry` of the stage's trace events. */
  index: number;
  protocol: NatSessionProtocol;
  internalAddress: string;
  /** Internal port (ICMP: the echo identifier the container sent). */
  internalPort: number;
  externalAddress: string;
  /** External port (ICMP: the translated identifier). */
  externalPort: number;
  remoteAddress: string;
  /** Remote port (ICMP: 0). */
  remotePort: number;
  /** Opened by a published port's static mapping (inbound) or uses one. */
  published: boolean;
  /** TCP: transient / established / closing; UDP and ICMP: active. */
  state: NatSessionState;
  /** NAT clock (seconds) when the session was created and when it expires. */
  createdAt: number;
  expiresAt: number;
}

export function sessionState(protocol: number, flags: number): NatSessionState {
  if (protocol !== 6) return 'active';
  if (flags & SF_CLOSING) return 'closing';
  return (flags & (SF_SEEN_OUT | SF_SEEN_IN)) === (SF_SEEN_OUT | SF_SEEN_IN) ? 'established' : 'transient';
}

/** Decodes the session record at `p` (assembly/tables/nat-table.ts layout), or undefined when free. */
export function decodeSession(dv: DataView, p: number, index: number): NatSessionInfo | undefined {
  const flags = dv.getUint8(p + 19);
  if (!(flags & SF_IN_USE)) return undefined;
  const proto = dv.getUint8(p + 18);
  return {
    index,
    protocol: protocolName(proto),
    internalAddress: intToIp(dv.getUint32(p + 0)),
    internalPort: dv.getUint16(p + 12),
    externalAddress: intToIp(dv.getUint32(p + 8)),
    externalPort: dv.getUint16(p + 16),
    remoteAddress: intToIp(dv.getUint32(p + 4)),
    remotePort: dv.getUint16(p + 14),
    published: (flags & SF_STATIC) !== 0,
    state: sessionState(proto, flags),
    createdAt: dv.getUint32(p + 28, true),
    expiresAt: dv.getUint32(p + 20, true),
  };
}

/** An endpoint mapping: a published port, or a dynamic one from the pool while sessions use it. */
export interface NatMappingInfo {
  protocol: NatSessionProtocol;
  internalAddress: string;
  internalPort: number;
  externalAddress: string;
  externalPort: number;
  published: boolean;
  /** Sessions using it (dynamic mappings only; counts expired sessions not yet reclaimed). */
  sessions?: number;
}

/** Decodes the dynamic mapping record at `p`, or undefined when free. */
export function decodeMapping(dv: DataView, p: number, externalAddress: number): NatMappingInfo | undefined {
  if (dv.getUint8(p + 13) === 0) return undefined;
  return {
    protocol: protocolName(dv.getUint8(p + 12)),
    internalAddress: intToIp(dv.getUint32(p + 0)),
    internalPort: dv.getUint16(p + 4),
    externalAddress: intToIp(externalAddress),
    externalPort: dv.getUint16(p + 6),
    published: false,
    sessions: dv.getUint32(p + 8, true),
  };
}

/** Sort order of mapping rows: protocol, then external port. */
export function compareMappings(a: NatMappingInfo, b: NatMappingInfo): number {
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.externalPort - b.externalPort;
}
