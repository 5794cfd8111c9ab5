/**
 * The table contents of one data plane, as structured data: what src/sim/load.ts writes into a core.
 * Built from the forwarding view (src/sim/fabric.ts) and the model; numbering of ports, vSwitches,
 * routing domains, rule sets and NAT instances is the fabric's.
 */
import type { AclRuleSet } from '../tables/acl.js';
import type { RouteDesc } from './fabric.js';
import type { VlanPort } from '../tables/vlan-ports.js';

export interface FdbEntry {
  vswitch: number;
  mac: number;
  vlan: number;
  port: number;
}

/** The 802.1Q default VLAN: untagged traffic is VLAN 1 inside every vSwitch, native on every trunk. */
export const DEFAULT_VLAN = 1;

/** The port table of one vSwitch (also its flood domain). */
export interface VlanTable {
  vswitch: number;
  ports: VlanPort[];
}

export interface DomainTables {
  id: number;
  routes: RouteDesc[];
  /** Addresses of the domain itself: packets to them are consumed (NEXT_LOCAL). */
  local: number[];
  neighbors: { ip: number; mac: number }[];
}

export interface NatInstance {
  id: number;
  /** Internal prefixes whose sources are translated outbound. */
  internal: { base: number; len: number }[];
  externalIp: number;
  pool: { first: number; last: number };
  staticMappings: { proto: 6 | 17; externalPort: number; internalIp: number; internalPort: number; line: number }[];
  /** VFP outbound NAT (overlay on ws2019+) does not translate ICMP. */
  translateIcmp: boolean;
  /** Destinations never translated (outboundnat_exceptions, the network's own subnets). */
  exceptions: { base: number; len: number }[];
}

export interface MacRewriteTable {
  id: number;
  hostMac: number;
  endpoints: { ip: number; mac: number }[];
}

export interface VxlanTables {
  /** This host's provider addresses (VTEPs). */
  localVteps: number[];
  /** VNI → network context (the vSwitch id). */
  vnis: { vni: number; ctx: number }[];
  /** Remote endpoints: (VNI, inner MAC) → remote provider address and the outer MACs. */
  tunnels: { vni: number; mac: number; remotePa: number; localPa: number; outerSrcMac: number; outerDstMac: number }[];
}

export interface PlaneTables {
  fdb: FdbEntry[];
  vlans: VlanTable[];
  domains: DomainTables[];
  acl: { id: number; set: AclRuleSet; name: string; lines: number[] }[];
  nat: NatInstance[];
  macRewrite: MacRewriteTable[];
  vxlan: VxlanTables | null;
}
