/**
 * What changed in a world since a consumer last looked: the hosts whose own objects were written,
 * whether hosts were added or removed, the LAN (underlay, clients), the swarm. Read from the
 * transactions' journal of regions (transaction.ts), so asking costs what changed, not the world.
 * The simulation re-derives a host's tables only when its answer names the host.
 */
import { changesSince, changeCursor, isRegionList, unrecorded, type ChangeCursor } from './transaction.js';
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
    // A host is the element at its index (hosts are appended, never moved).
    else if (r !== world && world.hosts[(r as Host).index] === r) out.hosts.add(r as Host);
    // The root itself (a top-level object replaced), or an object no longer in the world.
    else out.all = true;
  }
  return out;
}

interface IndexState<K> {
  cursor: ChangeCursor;
  /** The hosts indexed, in world order (hosts are appended; a shorter or different list is indexed afresh). */
  seen: Host[];
  /** What each host, and the world's own parts, contributed. */
  parts: Map<Host | World, K[]>;
  holders: Map<K, Set<Host | World>>;
}

/**
 * A world-wide index kept by region: what each host contributes (and what the world's own parts —
 * the underlay, the clients, the swarm — contribute) is read again only when the journal says that
 * part changed, so a question about the whole world costs what changed since the last one.
 */
export class WorldIndex<K> {
  private readonly states = new WeakMap<World, IndexState<K>>();

  constructor(
    private readonly ofHost: (h: Host) => Iterable<K>,
    private readonly ofWorld: (w: World) => Iterable<K> = () => [],
  ) {}

  /** Who holds `key`: hosts (as raw objects, to read), or the world for its own parts. */
  holders(world: World, key: K): ReadonlySet<Host | World> | undefined {
    return this.refresh(unrecorded(world)).holders.get(key);
  }

  has(world: World, key: K): boolean {
    return !!this.holders(world, key)?.size;
  }

  private refresh(world: World): IndexState<K> {
    let st = this.states.get(world);
    if (!st) this.states.set(world, (st = { cursor: changeCursor(), seen: [], parts: new Map(), holders: new Map() }));
    const ch = worldChanges(world, st.cursor);
    const hosts = world.hosts;
    const appended = ch.hostList && hosts.length >= st.seen.length && (st.seen.length === 0 || hosts[st.seen.length - 1] === st.seen.at(-1));
    if (ch.all || (ch.hostList && !appended)) {
      st.parts.clear();
      st.holders.clear();
      st.seen = [];
    }
    for (let i = st.seen.length; i < hosts.length; i++) {
      st.seen.push(hosts[i]!);
      this.set(st, hosts[i]!, this.ofHost(hosts[i]!));
    }
    for (const h of ch.hosts) this.set(st, h, this.ofHost(h));
    if (ch.all || ch.hostList || ch.lan || ch.swarm || !st.parts.has(world)) this.set(st, world, this.ofWorld(world));
    return st;
  }

  private set(st: IndexState<K>, part: Host | World, keys: Iterable<K>): void {
    for (const k of st.parts.get(part) ?? []) {
      const s = st.holders.get(k)!;
      s.delete(part);
      if (!s.size) st.holders.delete(k);
    }
    const list = [...new Set(keys)];
    st.parts.set(part, list);
    for (const k of list) {
      let s = st.holders.get(k);
      if (!s) st.holders.set(k, (s = new Set()));
      s.add(part);
    }
  }
}
