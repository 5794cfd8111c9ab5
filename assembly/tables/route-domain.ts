// Routing domains for the route stage: one per compartment (and one for the host stack), each with
// its routes (an LPM trie, assembly/tables/lpm.ts) and its neighbour cache (ip-mac-map image).
//
// Routes image (src/table-images/routes.ts): 0 u32 route count R, 4 u32 node count, 8 u32 offset of the
// route records, 12 u32 offset of the trie nodes. Route record, 16 bytes: u32 next hop (host order,
// 0 = on-link: the destination itself), u16 interface (D_OUT_PORT), u8 kind (0 forward, 1 local),
// u8 0, u16 interface MAC bytes 0-1, u16 0, u32 interface MAC bytes 2-5 (both as stored in a frame).
// Directory record per domain, 8 bytes: u32 routes image (0 none), u32 neighbour image (0 none).
import { Directory, dirFind, dirRecord, replaced } from '../memory';

/** Domain ids are below this bound (a compartment id; more than a script of 200,000 lines can create). */
export const ROUTE_DOMAINS: u32 = 1 << 20;
export const ROUTE_FORWARD: u8 = 0;
export const ROUTE_LOCAL: u8 = 1;

/** Records by id, grown to the highest domain loaded. */
export const routeDirectory = changetype<Directory>(memory.data(16, 16));

// @ts-ignore: decorator
@inline function record(domain: u32): usize {
  return dirRecord(routeDirectory, domain, 8);
}

/** Called by the engine's loadRoutes once per table load: installs a domain's routes image. */
export function routes_load(domain: u32, image: usize): void {
  if (domain >= ROUTE_DOMAINS) return;
  const r = record(domain);
  replaced(<usize>load<u32>(r), image);
  store<u32>(r, <u32>image);
}

/** Called by the engine's loadNeighbors once per table load: installs a domain's neighbour cache. */
export function neighbors_load(domain: u32, image: usize): void {
  if (domain >= ROUTE_DOMAINS) return;
  const r = record(domain);
  replaced(<usize>load<u32>(r, 4), image);
  store<u32>(r, <u32>image, 4);
}

/** The routes image of a domain, 0 when none. */
// @ts-ignore: decorator
@inline export function domainRoutes(domain: u32): usize {
  const r = dirFind(routeDirectory, domain, 8);
  return r == 0 ? 0 : <usize>load<u32>(r);
}

/** The neighbour image of a domain, 0 when none. */
// @ts-ignore: decorator
@inline export function domainNeighbors(domain: u32): usize {
  const r = dirFind(routeDirectory, domain, 8);
  return r == 0 ? 0 : <usize>load<u32>(r, 4);
}

// @ts-ignore: decorator
@inline export function routesNodes(img: usize): usize {
  return img + <usize>load<u32>(img, 12);
}

// @ts-ignore: decorator
@inline export function routeRecord(img: usize, r: i32): usize {
  return img + <usize>load<u32>(img, 8) + <usize>(r << 4);
}
