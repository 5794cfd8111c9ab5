/**
 * Hyper-V virtual switches: internal (nat, DockerNAT), external bound to one NIC or to a
 * Switch Embedded Team, created by HNS or out of band with New-VMSwitch (tip 9).
 */
import { guid } from './ids.js';
import type { Host, VSwitch, World } from './types.js';

export function findSwitch(host: Host, name: string): VSwitch | undefined {
  return host.vswitches.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** The switch an adapter is bound to, if any. */
export function switchOfNic(host: Host, nic: string): VSwitch | undefined {
  return host.vswitches.find((s) => s.nics.some((n) => n.toLowerCase() === nic.toLowerCase()));
}

/** HNS knows a switch it made itself, or one that existed when HNS last (re)started. */
export function hnsKnows(host: Host, sw: VSwitch): boolean {
  return sw.createdBy === 'hns' || sw.hnsGeneration < host.hnsGeneration;
}

export function createInternalSwitch(
  world: World, host: Host, name: string, vnicIp: string | null, vnicMac: string, line: number,
  createdBy: VSwitch['createdBy'] = 'hns',
): VSwitch {
  const sw: VSwitch = {
    id: guid(world).toLowerCase(),
    name,
    type: 'Internal',
    nics: [],
    embeddedTeaming: false,
    allowManagementOS: true,
    hostVnic: { name: `vEthernet (${name})`, mac: vnicMac, ip: vnicIp, ifIndex: host.nextIfIndex++ },
    createdBy,
    hnsGeneration: host.hnsGeneration,
    line,
  };
  host.vswitches.push(sw);
  return sw;
}

/**
 * An external switch bound to `nics` (several = SET team). When the first adapter carried the
 * host's address, the address and MAC move to the management vNIC `vEthernet (<name>)`, as
 * Hyper-V does with AllowManagementOS.
 */
export function createExternalSwitch(
  world: World, host: Host, name: string, nics: string[], line: number, createdBy: VSwitch['createdBy'],
): VSwitch {
  const first = host.nics.find((n) => n.name.toLowerCase() === nics[0]!.toLowerCase())!;
  const sw: VSwitch = {
    id: guid(world).toLowerCase(),
    name,
    type: 'External',
    nics: nics.map((n) => host.nics.find((x) => x.name.toLowerCase() === n.toLowerCase())!.name),
    embeddedTeaming: nics.length > 1,
    allowManagementOS: true,
    hostVnic: { name: `vEthernet (${name})`, mac: first.mac, ip: first.ip, ifIndex: host.nextIfIndex++ },
    createdBy,
    hnsGeneration: host.hnsGeneration,
    line,
  };
  host.vswitches.push(sw);
  return sw;
}

/** The host's management address: the vNIC that took the first NIC's IP, or the NIC itself. */
export function hostManagementIp(host: Host): string | null {
  const nic = host.nics.find((n) => n.ip);
  return nic?.ip ?? null;
}
