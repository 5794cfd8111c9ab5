/**
 * The data plane's stages, declared once: each stage's id (src/abi.ts, mirrored in assembly/abi.ts),
 * the name a hop shows (SPEC §5), what it does, and its drop reasons with their codes (declared for the
 * AssemblyScript side in assembly/drops.ts) and human texts. tests/unit/drops.test.ts checks that
 * assembly/abi.ts and assembly/drops.ts agree with this table, as VPP declares `foreach_*_error` once.
 *
 * Code ranges: 1-19 parse, 20-29 vlan, 30-39 acl, 40-49 nat, 50-59 vxlan, 60-69 mac-rewrite,
 * 70-79 switch, 80-89 route.
 */
import * as abi from '../abi.js';
import type { Stage } from '../result.js';

export interface DropSpec {
  code: number;
  name: string;
  text: string;
}

export interface StageSpec {
  /** Stage ids (vlan-in and vlan-out share one entry; vxlan encap and decap share their drops). */
  ids: readonly number[];
  /** The hop's `stage` for each id (SPEC §5), in the order of `ids`; null: the stage makes no hops. */
  names: readonly (Stage | null)[];
  summary: string;
  /** The code range of its drop reasons (inclusive). */
  codes: readonly [number, number];
  drops: readonly DropSpec[];
}

export const STAGES = [
  {
    ids: [abi.STAGE_PARSE], names: ['parse'], codes: [1, 19],
    summary: 'offsets of the L2/L3/L4 headers, validation, the flow hash',
    drops: [
      { code: 1, name: 'PARSE_TRUNCATED_ETHERNET', text: 'frame shorter than an Ethernet header' },
      { code: 2, name: 'PARSE_TRUNCATED_VLAN', text: 'truncated 802.1Q tag' },
      { code: 3, name: 'PARSE_UNSUPPORTED_ETHERTYPE', text: 'EtherType not handled (only IPv4 and ARP are)' },
      { code: 4, name: 'PARSE_BAD_ARP', text: 'truncated or malformed ARP packet' },
      { code: 5, name: 'PARSE_TRUNCATED_IPV4', text: 'truncated IPv4 header' },
      { code: 6, name: 'PARSE_BAD_IP_VERSION', text: 'IP version is not 4' },
      { code: 7, name: 'PARSE_BAD_IHL', text: 'IPv4 header length below 20 bytes or beyond the frame' },
      { code: 8, name: 'PARSE_BAD_TOTAL_LENGTH', text: 'IPv4 total length below the header or beyond the frame' },
      { code: 9, name: 'PARSE_BAD_IP_CHECKSUM', text: 'IPv4 header checksum mismatch' },
      { code: 10, name: 'PARSE_TRUNCATED_L4', text: 'truncated TCP, UDP or ICMP header' },
      { code: 11, name: 'PARSE_BAD_TCP_OFFSET', text: 'TCP data offset below 5 words or beyond the packet' },
      { code: 12, name: 'PARSE_BAD_UDP_LENGTH', text: 'UDP length below 8 or beyond the packet' },
      { code: 13, name: 'PARSE_TRUNCATED_VXLAN', text: 'UDP 4789 payload shorter than VXLAN + inner Ethernet' },
    ],
  },
  {
    ids: [abi.STAGE_VLAN_IN, abi.STAGE_VLAN_OUT], names: ['vlan', 'vlan'], codes: [20, 29],
    summary: '802.1Q classification on ingress, tag push/pop and filtering on egress',
    drops: [
      { code: 20, name: 'VLAN_NOT_ALLOWED', text: 'VLAN not allowed on this trunk port' },
      { code: 21, name: 'VLAN_ACCESS_MISMATCH', text: 'tagged frame with another VLAN on an access port' },
      { code: 22, name: 'VLAN_TAGGED_ON_NON_TRUNK', text: 'tagged frame on a port that is not in trunk mode' },
      { code: 23, name: 'VLAN_NO_HEADROOM', text: 'no headroom left in the slot to push an 802.1Q tag' },
    ],
  },
  {
    ids: [abi.STAGE_ACL], names: ['acl'], codes: [30, 39],
    summary: 'Windows Firewall and VFP ACL rule sets (tuple-space classifier), per-rule hit counters',
    drops: [
      { code: 30, name: 'ACL_BLOCKED', text: 'blocked by an ACL rule' },
      { code: 31, name: 'ACL_DEFAULT_BLOCK', text: 'blocked by the default action (no rule matched)' },
    ],
  },
  {
    ids: [abi.STAGE_NAT], names: ['nat'], codes: [40, 49],
    summary: 'WinNAT / VFP NAT: session table, static mappings, port pool, timeouts',
    drops: [
      { code: 40, name: 'NAT_NO_MAPPING', text: 'inbound packet matches no NAT session or static mapping' },
      { code: 41, name: 'NAT_POOL_EXHAUSTED', text: 'NAT port pool exhausted' },
      { code: 42, name: 'NAT_TABLE_FULL', text: 'NAT session table full' },
      { code: 43, name: 'NAT_UNSUPPORTED', text: 'protocol or ICMP type WinNAT does not translate' },
      { code: 44, name: 'NAT_FRAGMENT_UNKNOWN', text: 'IPv4 fragment whose first fragment the NAT has not translated' },
    ],
  },
  {
    ids: [abi.STAGE_VXLAN_ENCAP, abi.STAGE_VXLAN_DECAP], names: ['vxlan-encap', 'vxlan-decap'], codes: [50, 59],
    summary: 'VXLAN encapsulation into headroom and decapsulation, VNI → network',
    drops: [
      { code: 50, name: 'VXLAN_NO_TUNNEL', text: 'no VXLAN tunnel (VTEP) for the destination' },
      { code: 51, name: 'VXLAN_UNKNOWN_VNI', text: 'VXLAN network identifier not configured' },
      { code: 52, name: 'VXLAN_BAD_FLAGS', text: 'VXLAN header without the I flag, or reserved bits set' },
      { code: 53, name: 'VXLAN_BAD_OUTER', text: 'outer header not addressed to this VTEP on UDP 4789' },
      { code: 54, name: 'VXLAN_TOO_BIG', text: 'encapsulated frame exceeds the slot or the underlay MTU' },
    ],
  },
  {
    ids: [abi.STAGE_MAC_REWRITE], names: ['mac-rewrite'], codes: [60, 69],
    summary: 'l2bridge MAC rewrite: container MAC ↔ host MAC',
    drops: [
      { code: 60, name: 'MAC_REWRITE_UNKNOWN_ENDPOINT', text: 'no endpoint with that destination IP on this l2bridge network' },
    ],
  },
  {
    ids: [abi.STAGE_SWITCH], names: ['switch'], codes: [70, 79],
    summary: 'MAC learning and forwarding per vSwitch, VLAN-aware flooding',
    drops: [
      { code: 70, name: 'SWITCH_NO_PORT', text: 'destination not reachable from this vSwitch port' },
      { code: 71, name: 'SWITCH_FLOOD_NO_SLOT', text: 'no free ring slot to replicate a flooded frame' },
      { code: 72, name: 'SWITCH_HAIRPIN', text: 'destination is on the ingress port' },
    ],
  },
  {
    ids: [abi.STAGE_ROUTE], names: ['route'], codes: [80, 89],
    summary: 'longest-prefix match per routing domain, neighbours, TTL',
    drops: [
      { code: 80, name: 'ROUTE_NO_ROUTE', text: 'no route to the destination' },
      { code: 81, name: 'ROUTE_TTL_EXPIRED', text: 'TTL expired in transit' },
      { code: 82, name: 'ROUTE_NO_NEIGHBOR', text: 'next hop MAC unknown (ARP unresolved)' },
    ],
  },
  {
    ids: [abi.STAGE_UFT], names: ['uft'], codes: [0, 0],
    summary: "VFP's unified flow table: one exact-match lookup, then the composed transposition of a vSwitch port's layers",
    drops: [],
  },
  {
    ids: [abi.STAGE_GUARD], names: [null], codes: [0, 0],
    summary: 'per-packet choice of the steps that follow (parks the packets that do not match)',
    drops: [],
  },
] as const satisfies readonly StageSpec[];

/** The hop name of a stage id. */
export const STAGE_NAMES: Readonly<Record<number, Stage>> = Object.fromEntries(
  STAGES.flatMap((s): [number, Stage][] => s.ids.flatMap((id, k) => {
    const name: Stage | null = s.names[k] ?? null;
    return name ? [[id, name]] : [];
  })),
);
