/**
 * What changed in a world since a consumer last looked: the hosts whose own objects were written,
 * whether hosts were added or removed, the LAN (underlay, clients), the swarm. Read from the
 * transactions' journal of regions (transaction.ts), so asking costs what changed, not the world.
 * The simulation re-derives a host's tables only when its answer names the host.
 */
import { changesSince, changeCursor, isRegionList, type ChangeCursor } from './transaction.js';
import { findHost } from './hosts.js';
import type { Host, World } from './types.js';

export interface WorldChanges {
  /** Anything may have changed: the first look, or the world's regions cannot say (see transaction.ts). */
  all: boolean;
  /** Hosts whose own objects (networks, endpoints, containers, NICs, firewall, ...) were written. */
  hosts: Set<Host>;
  /** Hosts were added or removed. */
  hostList: boolean;
  /** The underlay or the clients. */
  lan: boolean;
  swarm: boolean;
}

export type { ChangeCursor };
export { changeCursor };

/** The changes since `cursor`, which moves past them. */
export function worldChanges(world: World, cursor: ChangeCursor): WorldChanges {
  const regions = changesSince(world, cursor);
  const out: WorldChanges = { all: regions === null || !isRegionList(world.hosts), hosts: new Set(), hostList: false, lan: false, swarm: false };
  for (const r of regions ?? []) {
    if (r === world.hosts) out.hostList = true;
    else if (r === world.underlay || r === world.clients) out.lan = true;
    else if (r === world.swarm) out.swarm = true;
    else if (r !== world && 'name' in r && findHost(world, String(r.name)) === r) out.hosts.add(r as Host);
    // The root itself (a top-level object replaced), or an object no longer in the world.
    else out.all = true;
  }
  return out;
}
