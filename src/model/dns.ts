/**
 * Service discovery as SPEC §3 tabulates it: Docker's embedded DNS answers on nat networks
 * (containers on the same host and network) and on overlay networks (services, `tasks.NAME`,
 * containers on any host); transparent and l2bridge endpoints get no Docker DNS and their
 * queries go to the network's DNS servers.
 */
import { osProfile } from './os.js';
import type { Endpoint, Host, World } from './types.js';
import { WorldIndex } from './changes.js';

/** Endpoints by ID and HNS ID, world-wide. */
const endpointIds = new WorldIndex<string>((h) => h.endpoints.flatMap((e) => [e.id, e.hnsId]));

export type Resolution =
  | {
      found: true;
      ips: string[];
      /** What answered: a container (name, alias or short ID), a service VIP, or a service's task IPs. */
      kind: 'container' | 'service-vip' | 'service-tasks';
      /** The name as it matched (after removing the DNS suffix). */
      name: string;
      /** The resolver's address: the network gateway, where Docker's DNS listens. */
      server: string;
    }
  | {
      found: false;
      reason: 'no-service-discovery' | 'not-found' | 'no-endpoint';
      /** The servers the query is forwarded to (external DNS), in order. */
      forwardTo: string[];
    };

/** Resolve `name` as the container owning endpoint `fromEndpoint` would, through Docker's DNS. */
export function resolveName(world: World, fromEndpoint: string, name: string): Resolution {
  let host: Host | undefined;
  let ep;
  // The first host in world order that holds the endpoint.
  const holders = [...(endpointIds.holders(world, fromEndpoint) ?? [])].sort((a, b) => (a as Host).index - (b as Host).index);
  for (const h of holders as Host[]) {
    ep = h.endpoints.find((e) => e.id === fromEndpoint || e.hnsId === fromEndpoint);
    if (ep) {
      host = h;
      break;
    }
  }
  if (!host || !ep) return { found: false, reason: 'no-endpoint', forwardTo: [] };
  // A container's lookups go through its primary endpoint's network.
  const primary = ep.role === 'primary' ? ep : host.endpoints.find((e) => e.containerId === ep!.containerId && e.role === 'primary') ?? ep;
  const net = host.networks.find((n) => n.id === primary.networkId)!;
  const external = primary.dnsServers.filter((s) => s !== primary.gateway);
  let q = name.toLowerCase().replace(/\.$/, '');
  for (const suffix of [net.dnsSuffix, ...primary.dnsSearch]) {
    if (suffix && q.endsWith(`.${suffix.toLowerCase()}`)) q = q.slice(0, -suffix.length - 1);
  }
  const hasDockerDns = (net.driver === 'nat' || net.driver === 'overlay') && !net.disableGatewayDns && primary.gateway !== null;
  if (!hasDockerDns) return { found: false, reason: 'no-service-discovery', forwardTo: primary.dnsServers };
  const server = primary.gateway!;
  const found = (ips: string[], kind: 'container' | 'service-vip' | 'service-tasks'): Resolution => ({ found: true, ips, kind, name: q, server });

  const matchContainer = (h: Host): string[] => {
    const ips: string[] = [];
    // Each container's first primary endpoint on the network.
    const onNet = new Map<Endpoint['containerId'], Endpoint>();
    for (const x of h.endpoints) if (x.networkId === net.id && x.role === 'primary' && !onNet.has(x.containerId)) onNet.set(x.containerId, x);
    for (const c of h.containers) {
      if (c.state !== 'running') continue;
      const e = onNet.get(c.id);
      if (!e) continue;
      const names = [c.name, c.id.slice(0, 12), ...e.aliases.filter((a) => !c.service || a !== world.swarm?.services.find((s) => s.id === c.service!.serviceId)?.name)];
      if (names.some((n) => n.toLowerCase() === q)) ips.push(e.ip);
    }
    return ips;
  };

  if (net.driver === 'nat') {
    const ips = matchContainer(host);
    return ips.length ? found(ips, 'container') : { found: false, reason: 'not-found', forwardTo: external };
  }

  // overlay: services first, then tasks.NAME, then containers anywhere in the swarm.
  const s = world.swarm;
  if (s) {
    const tasksOf = (svcId: string): string[] => {
      const ips: string[] = [];
      for (const h of world.hosts)
        for (const c of h.containers)
          if (c.service?.serviceId === svcId && c.state === 'running') {
            const e = h.endpoints.find((x) => x.containerId === c.id && x.networkId === net.id);
            if (e) ips.push(e.ip);
          }
      return ips;
    };
    const vipCapable = osProfile(host.os).serviceVip;
    for (const svc of s.services) {
      if (!svc.networks.includes(net.id)) continue;
      const names = [svc.name, ...(svc.aliases ?? [])].map((n) => n.toLowerCase());
      if (names.includes(q)) {
        const vip = svc.vips[net.id];
        if (vip && svc.endpointMode === 'vip' && vipCapable) return found([vip], 'service-vip');
        const ips = tasksOf(svc.id);
        if (ips.length) return found(ips, 'service-tasks');
      }
      if (names.some((n) => `tasks.${n}` === q)) {
        const ips = tasksOf(svc.id);
        if (ips.length) return found(ips, 'service-tasks');
      }
    }
  }
  const ips = world.hosts.flatMap((h) => matchContainer(h));
  return ips.length ? found(ips, 'container') : { found: false, reason: 'not-found', forwardTo: external };
}
