/**
 * The network adapters a stack holds, as ipconfig, the NetTCPIP cmdlets and route print show
 * them: the host's NICs not bound to a vSwitch and its host vNICs, or a container's endpoint
 * adapters (`vEthernet (Ethernet)` from 1809, `vEthernet (Container NIC xxxxxxxx)` before).
 */
import { parseCidr } from '../addr.js';
import { hashString } from './ids.js';
import { osProfile } from './os.js';
import type { Container, Endpoint, Host, World } from './types.js';

export interface AdapterView {
  title: string;
  /** What the adapter is: a NIC, a host vNIC of a vSwitch, a container's endpoint adapter. */
  kind?: 'nic' | 'vnic' | 'container';
  /** A host vNIC on an external switch (it carries the host's own address). */
  external?: boolean;
  description: string;
  mac: string;
  dhcp: boolean;
  apipa: boolean;
  suffix: string;
  linkLocal: string;
  ip: string | null;
  prefixLen: number;
  gateway: string | null;
  dnsServers: string[];
  ifIndex: number;
  leaseServer?: string | null;
}

export function containerAdapters(world: World, host: Host, c: Container, endpoints?: Endpoint[]): AdapterView[] {
  const eps = (endpoints ?? host.endpoints.filter((e) => e.containerId === c.id))
    .sort((a, b) => (a.role === b.role ? a.ifIndex - b.ifIndex : a.role === 'primary' ? -1 : 1));
  // Up to 1709 the container adapter is named after its HNS endpoint; from 1809 it is "vEthernet (Ethernet)".
  const modern = osProfile(host.os).build >= 17763;
  return eps.map((ep: Endpoint, i) => ({
    title: modern ? `vEthernet (Ethernet${i ? ` ${i + 1}` : ''})` : `vEthernet (Container NIC ${ep.hnsId.slice(0, 8).toLowerCase()})`,
    kind: 'container',
    description: c.isolation === 'hyperv' ? 'Microsoft Hyper-V Network Adapter' : 'Hyper-V Virtual Ethernet Container Adapter',
    mac: ep.mac,
    dhcp: ep.dhcp !== null,
    apipa: ep.dhcp === 'apipa',
    suffix: ep.dnsSuffix ?? '',
    linkLocal: ep.linkLocal,
    ip: ep.ip,
    prefixLen: ep.prefixLen,
    gateway: ep.gateway,
    dnsServers: ep.dnsServers,
    ifIndex: ep.ifIndex,
    leaseServer: world.underlay.dhcp ? world.underlay.gateway : null,
  }));
}

/** A stable random-looking link-local address per host adapter (Windows uses random interface IDs). */
export function hostLinkLocal(host: Host, adapter: string): string {
  const g = (i: number) => (hashString(`${host.name}/${adapter}/${i}`) & 0xffff).toString(16);
  return `fe80::${g(1)}:${g(2)}:${g(3)}:${g(4)}`;
}

export function hostAdapters(host: Host): AdapterView[] {
  const out: AdapterView[] = [];
  for (const n of host.nics) {
    const bound = host.vswitches.some((s) => s.nics.includes(n.name));
    if (bound) continue;
    const p = n.ip ? parseCidr(n.ip) : null;
    out.push({
      title: n.name, kind: 'nic', description: n.description, mac: n.mac, dhcp: false, apipa: false, suffix: '',
      linkLocal: hostLinkLocal(host, n.name),
      ip: p ? n.ip!.replace(/\/\d+$/, '') : null, prefixLen: p?.prefix.len ?? 0,
      gateway: host.nics.find((x) => x.ip)?.name === n.name ? host.gateway : null,
      dnsServers: [], ifIndex: n.ifIndex,
    });
  }
  for (const s of host.vswitches) {
    if (!s.hostVnic) continue;
    const v = s.hostVnic;
    const p = v.ip ? parseCidr(v.ip) : null;
    const mgmt = s.type === 'External' && !!v.ip;
    out.push({
      title: v.name, kind: 'vnic', external: s.type === 'External', description: 'Hyper-V Virtual Ethernet Adapter', mac: v.mac, dhcp: false, apipa: false, suffix: '',
      linkLocal: hostLinkLocal(host, v.name),
      ip: p ? v.ip!.replace(/\/\d+$/, '') : null, prefixLen: p?.prefix.len ?? 0,
      gateway: mgmt ? host.gateway : null, dnsServers: [], ifIndex: v.ifIndex,
    });
  }
  return out;
}

