/**
 * Routing tables of the route stage, one per routing domain (a0: a container compartment or the host
 * stack), compiled to a stride-8 multibit trie with controlled prefix expansion (twin of
 * assembly/tables/lpm.ts and assembly/tables/route-domain.ts).
 *
 * Image layout (little-endian):
 *   0 u32 route count R   4 u32 node count N   8 u32 offset of the routes (16)   12 u32 offset of the nodes
 *   route, 16 bytes: u32 gateway (0 on-link), u16 interface, u8 kind (0 forward, 1 local), u8 0,
 *                    u8[2] interface MAC bytes 0-1, u16 0, u8[4] interface MAC bytes 2-5
 *   node, 1 KiB: 256 × u32, (child node << 16) | (route index + 1 of the longest prefix ending at
 *                this level that covers the entry, 0 none); node 0 is the root.
 * Among routes with the same prefix and length, the last one listed wins.
 */

import { maskOf } from '../addr.js';

/** Routing domain ids (a0 of the route stage) are below this bound. */
export const ROUTE_DOMAINS = 1 << 20;
export const ROUTE_MAX = 0xffff - 1;
export const ROUTE_FORWARD = 0;
export const ROUTE_LOCAL = 1;

/**
 * A route: `prefix/len` (host-order IPv4; host bits are ignored). `local` routes are this stack's
 * own addresses (packets to them are delivered, NEXT_LOCAL). `forward` routes leave through interface
 * `ifIndex` (D_OUT_PORT) with source MAC `ifMac`, to `gateway`, or to the destination itself when
 * the gateway is 0 or absent (on-link).
 */
export interface Route {
  prefix: number;
  len: number;
  kind?: 'forward' | 'local';
  ifIndex?: number;
  ifMac?: number;
  gateway?: number;
}


/** Validates routes (RangeError). */
export function checkRoutes(routes: readonly Route[]): void {
  if (routes.length > ROUTE_MAX) throw new RangeError(`${routes.length} routes exceed ${ROUTE_MAX} per domain`);
  routes.forEach((r, k) => {
    const u32 = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
    if (!u32(r.prefix)) throw new RangeError(`route ${k}: prefix ${r.prefix} is not a u32`);
    if (!Number.isInteger(r.len) || r.len < 0 || r.len > 32) throw new RangeError(`route ${k}: length ${r.len} not in 0..32`);
    if (r.kind !== undefined && r.kind !== 'forward' && r.kind !== 'local') throw new RangeError(`route ${k}: kind ${String(r.kind)}`);
    if (!u32(r.gateway)) throw new RangeError(`route ${k}: gateway ${r.gateway} is not a u32`);
    const ifi = r.ifIndex ?? 0;
    if (!Number.isInteger(ifi) || ifi < 0 || ifi > 0xfffd) throw new RangeError(`route ${k}: interface ${ifi} not in 0..65533`);
    const mac = r.ifMac ?? 0;
    if (!Number.isInteger(mac) || mac < 0 || mac > 0xffff_ffff_ffff) throw new RangeError(`route ${k}: MAC ${mac} is not 48 bits`);
  });
}

/**
 * Builds the trie nodes for `routes` (the order of the list is the route index): `count` nodes of
 * 256 entries each, node k at entries k × 256 of `nodes` (one buffer, grown by doubling: a domain's
 * few nodes cost one allocation, not one each).
 */
export function buildLpmTrie(routes: readonly Route[]): { nodes: Uint32Array; count: number } {
  let nodes = new Uint32Array(256 * 8);
  let count = 1;
  const order = routes.map((_, k) => k).sort((a, b) => routes[a].len - routes[b].len || a - b);
  for (const idx of order) {
    const len = routes[idx].len;
    const p = (routes[idx].prefix & maskOf(len)) >>> 0;
    let node = 0;
    const level = len === 0 ? 0 : (len - 1) >> 3;
    for (let l = 0; l < level; l++) {
      const at = node * 256 + ((p >>> (24 - 8 * l)) & 0xff);
      let child = nodes[at] >>> 16;
      if (child === 0) {
        child = count++;
        if (child > 0xffff) throw new RangeError('routing table needs more than 65535 trie nodes');
        if (count * 256 > nodes.length) {
          const grown = new Uint32Array(nodes.length * 2);
          grown.set(nodes);
          nodes = grown;
        }
        nodes[at] = ((child << 16) | (nodes[at] & 0xffff)) >>> 0;
      }
      node = child;
    }
    const rem = len - 8 * level;
    const span = 1 << (8 - rem);
    const start = node * 256 + (((p >>> (24 - 8 * level)) & 0xff) & ~(span - 1));
    for (let e = start; e < start + span; e++) nodes[e] = ((nodes[e] & 0xffff0000) | (idx + 1)) >>> 0;
  }
  return { nodes, count };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Builds the routes image. */
export function encodeRoutes(routes: readonly Route[]): Uint8Array {
  checkRoutes(routes);
  const { nodes, count } = buildLpmTrie(routes);
  const routesOff = 16;
  const nodesOff = routesOff + routes.length * 16;
  const img = new Uint8Array(nodesOff + count * 1024);
  const dv = new DataView(img.buffer);
  dv.setUint32(0, routes.length, true);
  dv.setUint32(4, count, true);
  dv.setUint32(8, routesOff, true);
  dv.setUint32(12, nodesOff, true);
  routes.forEach((r, k) => {
    const o = routesOff + k * 16;
    dv.setUint32(o, r.gateway ?? 0, true);
    dv.setUint16(o + 4, r.ifIndex ?? 0, true);
    img[o + 6] = r.kind === 'local' ? ROUTE_LOCAL : ROUTE_FORWARD;
    const mac = r.ifMac ?? 0;
    const hi = Math.floor(mac / 0x1_0000_0000);
    img[o + 8] = (hi >>> 8) & 0xff;
    img[o + 9] = hi & 0xff;
    dv.setUint32(o + 12, mac >>> 0, false);
  });
  // The nodes are u32 arrays already: copied whole where this machine is little-endian (as the image is).
  if (LITTLE_ENDIAN) img.set(new Uint8Array(nodes.buffer, 0, count * 1024), nodesOff);
  else for (let e = 0; e < count * 256; e++) dv.setUint32(nodesOff + e * 4, nodes[e]!, true);
  return img;
}
