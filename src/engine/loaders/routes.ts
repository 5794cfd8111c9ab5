/**
 * Loading routing domains into either core for the route stage (a0 = domain id: a compartment or the
 * host stack):
 *
 *   loadRoutes(core, domain, routes)        → the domain's routes (index = position in `routes`)
 *   loadNeighbors(core, domain, neighbors)  → the domain's neighbour cache, IPv4 → MAC
 *
 * Loading again replaces that part of the domain; on the WebAssembly core each load takes a fresh image.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadRoutes, refLoadNeighbors, refUnloadDomain } from '../reference/route.js';
import { type Route, ROUTE_DOMAINS, checkRoutes, encodeRoutes } from '../../table-images/routes.js';
import { type IpMac, encodeIpMacMap, checkIpMac } from '../../table-images/ip-mac-map.js';

interface RouteExports {
  routes_load(domain: number, image: number): void;
  neighbors_load(domain: number, image: number): void;
}

const rx = (core: PacketCore): RouteExports => (core as WasmCore).exports as unknown as RouteExports;

function checkId(domain: number): void {
  if (!Number.isInteger(domain) || domain < 0 || domain >= ROUTE_DOMAINS) throw new RangeError(`routing domain ${domain} not in 0..${ROUTE_DOMAINS - 1}`);
}

function install(core: PacketCore, image: Uint8Array): number {
  const p = core.alloc(image.length);
  core.bytes().set(image, p);
  return p;
}

/** Validates and installs a domain's routes (RangeError). Called when a compartment's addresses or
 *  routes change. */
export function loadRoutes(core: PacketCore, domain: number, routes: readonly Route[]): void {
  checkId(domain);
  checkRoutes(routes);
  if (core.kind === 'reference') refLoadRoutes(core as RefCore, domain, routes);
  else rx(core).routes_load(domain, install(core, encodeRoutes(routes)));
}

/** Installs a domain's neighbour cache (RangeError on a bad entry). Called when ARP resolves. */
/** Empties a routing domain that no compartment holds any more (its routes and neighbours are freed). */
export function unloadRoutingDomain(core: PacketCore, domain: number): void {
  checkId(domain);
  if (core.kind === 'reference') return refUnloadDomain(core as RefCore, domain);
  rx(core).routes_load(domain, 0);
  rx(core).neighbors_load(domain, 0);
}

export function loadNeighbors(core: PacketCore, domain: number, neighbors: readonly IpMac[]): void {
  checkId(domain);
  neighbors.forEach((e, k) => checkIpMac('neighbour', e, k));
  if (core.kind === 'reference') refLoadNeighbors(core as RefCore, domain, neighbors);
  else rx(core).neighbors_load(domain, install(core, encodeIpMacMap(neighbors)));
}
