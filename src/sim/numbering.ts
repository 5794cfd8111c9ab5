/**
 * How the simulation numbers what it loads into a plane: ACL rule sets, NAT instances, VLANs. One
 * file, so that derive.ts (which fills the tables), programs.ts (which names them in stage
 * arguments) and load.ts (which describes their entries in hops) agree.
 *
 * Ports, vSwitches and routing domains are numbered by fabric.ts: ports by vSwitch (external port,
 * host vNIC, then endpoint ports) then host-stack NICs; vSwitch ids 1-based in host order; routing
 * domain 1 is the host stack (HOST_DOMAIN), the others are the compartment ids HNS gave.
 */

import { NAT_MAX_INSTANCES } from '../table-images/nat.js';

/** ACL rule set of the host's Windows Firewall. */
export const ACL_HOST_FIREWALL = 1;
/** ACL rule set of an endpoint port's VFP ACLs: even ids from 2 (2 + 2 × port id), so that no number
 *  of ports or compartments makes two rule sets share an id. */
export const aclEndpoint = (port: number): number => 2 + 2 * port;
/** ACL rule set of a container's own Windows Firewall: odd ids from 3 (3 + 2 × compartment id). */
export const aclCompartment = (domain: number): number => 3 + 2 * domain;

/** NAT instance: WinNAT. */
export const NAT_WINNAT = 0;
/** NAT instance: VFP outbound NAT (overlay on ws2019+, l2bridge with enable_outboundnat). */
export const NAT_VFP = 1;
/**
 * WinNAT's localhost forwarding (1803+): published ports reached through 127.0.0.1 from the host.
 * One instance maps 127.0.0.1:<published port> to the container, the other gives the loopback
 * source the host's address so the container can answer.
 */
export const NAT_LOCALHOST = 2;
export const NAT_LOCALHOST_SOURCE = 3;
/** NAT instances NAT_VIP_FIRST.. : the VFP load balancer of each service VIP, at most NAT_VIP_MAX
 *  (the plane's instance ids, more than a script of 200,000 lines can create). */
export const NAT_VIP_FIRST = 6;
export const NAT_VIP_MAX = NAT_MAX_INSTANCES - NAT_VIP_FIRST;
/**
 * The routing mesh on a node (libnetwork service_windows.go's ELB policies): NAT_ELB spreads a
 * published ingress port of the node's address over the service's tasks on the ingress network,
 * NAT_ELB_SOURCE gives the connection the node's ingress-endpoint address as its source (SourceVIP).
 */
export const NAT_ELB = 4;
export const NAT_ELB_SOURCE = 5;

/** MAC rewrite tables VIP_MAC_REWRITE_BASE + VIP NAT instance: after the load balancer picked a
 *  task, the frame takes that task's MAC (vSwitch ids, the l2bridge tables, stay below it; the
 *  plane has 2^20 tables and at most 2^16 NAT instances). */
export const VIP_MAC_REWRITE_BASE = 1 << 19;

/** Whether an instance id is a VIP's load balancer. */
export const isVipNat = (id: number): boolean => id >= NAT_VIP_FIRST;

/** The 802.1Q default VLAN: untagged traffic is VLAN 1 inside every vSwitch, native on every trunk. */
export const DEFAULT_VLAN = 1;

/** The kind of NAT an instance id names, for hops. */
export function natKind(id: number): 'WinNAT' | 'WinNAT (localhost)' | 'VFP outbound NAT' | 'VFP load balancer' | 'VFP routing mesh' | 'VFP routing mesh (source)' {
  if (id === NAT_LOCALHOST || id === NAT_LOCALHOST_SOURCE) return 'WinNAT (localhost)';
  if (id === NAT_ELB) return 'VFP routing mesh';
  if (id === NAT_ELB_SOURCE) return 'VFP routing mesh (source)';
  return id === NAT_WINNAT ? 'WinNAT' : id === NAT_VFP ? 'VFP outbound NAT' : 'VFP load balancer';
}
