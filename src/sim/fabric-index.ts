/**
 * Lookups into a host's fabric by id — its ports, its routing domains, the container that owns a
 * compartment — and into a plane's derived tables by id, in O(1). A flood to every port of a vSwitch makes a copy per port, and each copy
 * asks which port it leaves by and whose compartment it reaches: scanning the lists for each would
 * make a flood to n ports cost O(n²).
 *
 * The index is built lazily, once per fabric object. A fabric is derived anew whenever its host
 * changes (session.ts marks the host stale at sync and derives it again on first use) and is never
 * changed after, so an index of it follows the world: a container removed or an address changed
 * gives a new fabric, hence a new index. Each lookup answers what a scan of the lists would (the
 * first match, in list order).
 */
import type { Container } from '../model/types.js';
import type { DomainDesc, HostFabric, PortDesc } from './fabric.js';

export interface FabricIndex {
  port(id: number): PortDesc | undefined;
  domain(id: number): DomainDesc | undefined;
  /** The container whose compartment is this domain (the first in the host's list, as a scan finds). */
  container(domain: number): Container | undefined;
}

const indexes = new WeakMap<HostFabric, FabricIndex>();

/** Keeps the first value for each key, as `Array.find` would answer. */
function firstBy<K, V>(items: readonly V[], key: (v: V) => K | undefined): Map<K, V> {
  const m = new Map<K, V>();
  for (const v of items) {
    const k = key(v);
    if (k !== undefined && !m.has(k)) m.set(k, v);
  }
  return m;
}

const idIndexes = new WeakMap<readonly object[], Map<number, object>>();

/**
 * The first element with this id of a list derived from the world (a fabric's ports, a plane's ACL
 * rule sets or NAT instances), in O(1): indexed on first use. Only for lists that are never changed
 * once built (a change of the world derives new ones).
 */
export function byId<T extends { id: number }>(list: readonly T[], id: number): T | undefined {
  let m = idIndexes.get(list) as Map<number, T> | undefined;
  if (!m) idIndexes.set(list, (m = firstBy(list, (x) => x.id)));
  return m.get(id);
}

/** The index of a fabric (built on first use). */
export function fabricIndex(fab: HostFabric): FabricIndex {
  let ix = indexes.get(fab);
  if (!ix) {
    let containers: Map<number | undefined, Container> | undefined;
    ix = {
      port: (id) => byId(fab.ports, id),
      domain: (id) => byId(fab.domains, id),
      container: (domain) => (containers ??= firstBy(fab.host.containers, (c) => c.compartmentId)).get(domain),
    };
    indexes.set(fab, ix);
  }
  return ix;
}
