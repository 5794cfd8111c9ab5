/**
 * Capacities of Packet Path's own (not Windows') that a command can reach, refused at that command
 * with the limit in words (docs/behaviour.md, "Capacities of the data plane"), so that no later
 * traffic command fails for it.
 */
import { fail } from './errors.js';
import { unrecorded } from './transaction.js';
import type { Host } from './types.js';

/**
 * vSwitch ports and NICs of one host: the data plane numbers them in 16 bits of a frame's
 * descriptor, 0xfffe and 0xffff meaning "none" and "flood" (src/sim/load.ts MAX_PLANE_PORTS).
 * Windows publishes no such limit (Hyper-V's host maximums name none for switch ports).
 */
export const MAX_HOST_PORTS = 65_533;

export function hostPortsMessage(needed: number): string {
  return `a host holds at most ${MAX_HOST_PORTS.toLocaleString('en-US')} vSwitch ports and NICs in Packet Path (its data plane numbers ports in 16 bits); this one needs ${needed.toLocaleString('en-US')}`;
}

/**
 * The ports the data plane gives a host, counted as src/sim/fabric.ts numbers them: each vSwitch's
 * external port and host vNIC, each attached endpoint on a network with a vSwitch, and each NIC with
 * an address that no vSwitch binds.
 */
export function hostPortCount(view: Host): number {
  // Read raw: a count of 65,000 endpoints through a command's recording view costs a trap per read.
  const host = unrecorded(view);
  let n = 0;
  const bound = new Set<string>();
  const switches = new Set<string>();
  for (const vs of host.vswitches) {
    switches.add(vs.id).add(vs.name);
    if (vs.type === 'External' && vs.nics.length) {
      n++;
      for (const nic of vs.nics) bound.add(nic);
    }
    if (vs.hostVnic) n++;
  }
  const nets = new Map<string, string | null>();
  for (const net of host.networks) if (!nets.has(net.id)) nets.set(net.id, net.vswitch);
  for (const ep of host.endpoints) {
    const vs = nets.get(ep.networkId);
    if (ep.state !== 'Detached' && vs && switches.has(vs)) n++;
  }
  for (const nic of host.nics) if (nic.ip && !bound.has(nic.name)) n++;
  return n;
}

/**
 * Refuses the command that gives `host` more ports than the data plane numbers. Costs nothing
 * until the host's endpoints, vSwitches and NICs could add up to the limit.
 */
export function checkHostPorts(host: Host): void {
  const raw = unrecorded(host);
  if (raw.endpoints.length + 2 * raw.vswitches.length + raw.nics.length <= MAX_HOST_PORTS) return;
  const n = hostPortCount(host);
  if (n > MAX_HOST_PORTS) fail(`packet-path: ${hostPortsMessage(n)}`);
}
