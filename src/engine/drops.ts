/**
 * Every drop reason of the data plane: the codes are declared in `assembly/drops.ts` (the one source
 * of truth), the names and human strings here; `tests/unit/drops.test.ts` checks that they agree.
 * Ranges: 1-19 parse, 20-29 vlan, 30-39 acl, 40-49 nat, 50-59 vxlan, 60-69 mac-rewrite,
 * 70-79 switch, 80-89 route.
 */
export interface DropReason {
  code: number;
  name: string;
  text: string;
}

export const DROP_REASONS: readonly DropReason[] = [
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
  { code: 20, name: 'VLAN_NOT_ALLOWED', text: 'VLAN not allowed on this trunk port' },
  { code: 21, name: 'VLAN_ACCESS_MISMATCH', text: 'tagged frame with another VLAN on an access port' },
  { code: 22, name: 'VLAN_TAGGED_ON_NON_TRUNK', text: 'tagged frame on a port that is not in trunk mode' },
  { code: 23, name: 'VLAN_NO_HEADROOM', text: 'no headroom left in the slot to push an 802.1Q tag' },
  { code: 30, name: 'ACL_BLOCKED', text: 'blocked by an ACL rule' },
  { code: 31, name: 'ACL_DEFAULT_BLOCK', text: 'blocked by the default action (no rule matched)' },
  { code: 40, name: 'NAT_NO_MAPPING', text: 'inbound packet matches no NAT session or static mapping' },
  { code: 41, name: 'NAT_POOL_EXHAUSTED', text: 'NAT port pool exhausted' },
  { code: 42, name: 'NAT_TABLE_FULL', text: 'NAT session table full' },
  { code: 43, name: 'NAT_UNSUPPORTED', text: 'protocol or ICMP type WinNAT does not translate' },
  { code: 50, name: 'VXLAN_NO_TUNNEL', text: 'no VXLAN tunnel (VTEP) for the destination' },
  { code: 51, name: 'VXLAN_UNKNOWN_VNI', text: 'VXLAN network identifier not configured' },
  { code: 52, name: 'VXLAN_BAD_FLAGS', text: 'VXLAN header without the I flag, or reserved bits set' },
  { code: 53, name: 'VXLAN_BAD_OUTER', text: 'outer header not addressed to this VTEP on UDP 4789' },
  { code: 54, name: 'VXLAN_TOO_BIG', text: 'encapsulated frame exceeds the slot or the underlay MTU' },
  { code: 60, name: 'MAC_REWRITE_UNKNOWN_ENDPOINT', text: 'no endpoint with that destination IP on this l2bridge network' },
  { code: 70, name: 'SWITCH_NO_PORT', text: 'destination not reachable from this vSwitch port' },
  { code: 71, name: 'SWITCH_FLOOD_NO_SLOT', text: 'no free ring slot to replicate a flooded frame' },
  { code: 72, name: 'SWITCH_HAIRPIN', text: 'destination is on the ingress port' },
  { code: 80, name: 'ROUTE_NO_ROUTE', text: 'no route to the destination' },
  { code: 81, name: 'ROUTE_TTL_EXPIRED', text: 'TTL expired in transit' },
  { code: 82, name: 'ROUTE_NO_NEIGHBOR', text: 'next hop MAC unknown (ARP unresolved)' },
];

const byCode = new Map(DROP_REASONS.map((d) => [d.code, d]));

/** The reason for a drop code, or an `UNKNOWN_<code>` placeholder for a code not in the table. */
export function dropReason(code: number): DropReason {
  return byCode.get(code) ?? { code, name: `UNKNOWN_${code}`, text: `unknown drop reason ${code}` };
}

/** The code of a drop reason by name (throws on a name the table lacks: a typo is a bug). */
export function dropCode(name: string): number {
  const d = DROP_REASONS.find((x) => x.name === name);
  if (!d) throw new Error(`no drop reason named ${name}`);
  return d.code;
}

/** Drop codes by name, typed: `DROP.ROUTE_NO_NEIGHBOR` (a name the table lacks does not compile). */
export const DROP = Object.fromEntries(DROP_REASONS.map((d) => [d.name, d.code])) as Readonly<Record<(typeof DROP_REASONS)[number]['name'], number>>;
