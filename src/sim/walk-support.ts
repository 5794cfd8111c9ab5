/**
 * What the walker knows of frames and places without running a plane: a NIC's acceptance filter, ARP
 * targets, the next hop the stack would ARP for, the topology node a place is drawn at, and how the
 * copies of a flooded frame are listed.
 */
import type { PacketTrace } from '../result.js';
import { sameSubnet } from '../addr.js';
import { frameView } from './frame-view.js';
import { HOST_DOMAIN, type DomainDesc, type HostFabric, type InterfaceDesc, type PortDesc } from './fabric.js';
import type { Station } from './station.js';
import { fabricIndex } from './fabric-index.js';

/**
 * After a flood, the copy that reached the station it was meant for tells the packet's story: when the
 * original only reached a station that ignored it, the first surviving copy takes its place.
 */
export function tidyFloods(packets: PacketTrace[]): PacketTrace[] {
  const out = packets.slice();
  // A frame whose walk ended at a station that ignored it (SPEC §5): not a timeout.
  for (const p of out) if (p.verdict === 'timeout' && p.hops.at(-1)?.action === 'ignore') p.verdict = 'ignored';
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    if (p.summary.includes('(flooded copy')) continue;
    const last = p.hops[p.hops.length - 1];
    if (!last || last.action !== 'ignore') continue;
    const k = out.findIndex((q) => q.summary.startsWith(`${p.summary} (flooded copy`));
    if (k < 0) continue;
    const copy = out[k];
    copy.summary = p.summary;
    out.splice(k, 1);
    out[i] = copy;
  }
  return out;
}

/** A NIC accepts frames for its own MAC and group (broadcast/multicast) frames. */
export function acceptsFrame(frame: Uint8Array, mac: number): boolean {
  return frameView(frame).dstMac === mac || (frame[0] & 1) === 1;
}



export function ipDst(frame: Uint8Array): number {
  return frameView(frame).ip?.dst ?? 0;
}

export function isArpReply(frame: Uint8Array): boolean {
  return frameView(frame).arp?.op === 2;
}

/** An ARP packet asking for (or answering to) one of these interfaces' addresses. */
export function isArpFor(frame: Uint8Array, ifs: InterfaceDesc[]): boolean {
  const arp = frameView(frame).arp;
  if (!arp) return false;
  return ifs.some((i) => i.ip === arp.tpa);
}

export function lpm(dom: DomainDesc, dst: number): DomainDesc['routes'][number] | undefined {
  let best: DomainDesc['routes'][number] | undefined;
  for (const r of dom.routes) {
    if (!sameSubnet(r.prefix, dst, r.len)) continue;
    if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
  }
  return best;
}

/** The topology node (src/result.ts NodeId) of a vSwitch port or host NIC. */
export function portNode(fab: HostFabric, host: string, port: PortDesc): string {
  if (port.kind === 'endpoint') return `ep:${host}:${port.endpoint!.id}`;
  if (port.kind === 'vnic') return `hostvnic:${host}:${port.name}`;
  if (port.kind === 'nic') return `nic:${host}:${port.nic}`;
  return `vswitch:${host}:${fab.vswitches[port.vswitch - 1]?.model.name ?? ''}`;
}

/** The topology node of a routing domain: the host, or the container's (first) endpoint. */
export function domainNode(fab: HostFabric, host: string, domain: number): string {
  if (domain === HOST_DOMAIN) return `host:${host}`;
  const ix = fabricIndex(fab);
  const iface = ix.domain(domain)?.interfaces[0];
  const port = iface && ix.port(iface.port);
  return port ? portNode(fab, host, port) : `host:${host}`;
}

/** The topology node of a station other than a compartment (see domainNode). */
export function stationNode(st: Exclude<Station, { kind: 'compartment' }>): string {
  switch (st.kind) {
    case 'host': return `host:${st.host}`;
    case 'router': return 'router';
    case 'client': return `client:${st.name}`;
    case 'internet': return 'internet';
  }
}
