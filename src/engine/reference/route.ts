/**
 * Reference twin of the route stage (assembly/stages/route.ts) and owner of the reference core's
 * routing domains. The obvious algorithms: a linear scan for the longest prefix (ties: the last route
 * listed), a Map for neighbours, and a full RFC 1071 recompute of the IPv4 header checksum after the
 * TTL decrement — so the differential tests check the data plane's incremental update against it.
 */
import * as abi from '../../abi.js';
import { DROP } from '../drops.js';
// Routing tables do not move the tables generation: route is never a layer of a unified flow table
// (assembly/tables/generation.ts).
import { registerStage, type RefCore } from './core.js';
import { rd32, wr16 } from '../../wire/bytes.js';
import { readMac, writeMac } from '../../wire/ethernet.js';
import type { Route } from '../../table-images/routes.js';
import { maskOf } from '../../addr.js';
import type { IpMac } from '../../table-images/ip-mac-map.js';
import { onesSum } from './parse.js';

const NO_ROUTE = DROP.ROUTE_NO_ROUTE;
const TTL_EXPIRED = DROP.ROUTE_TTL_EXPIRED;
const NO_NEIGHBOR = DROP.ROUTE_NO_NEIGHBOR;

interface RefDomain {
  routes: readonly Route[];
  neighbors: Map<number, number>;
}

function domains(core: RefCore): Map<number, RefDomain> {
  let m = core.tables.get('routes') as Map<number, RefDomain> | undefined;
  if (!m) core.tables.set('routes', (m = new Map()));
  return m;
}

function domain(core: RefCore, id: number): RefDomain {
  let d = domains(core).get(id);
  if (!d) domains(core).set(id, (d = { routes: [], neighbors: new Map() }));
  return d;
}

/** Called by unloadRoutingDomain for the reference core: the domain holds nothing any more. */
export function refUnloadDomain(core: RefCore, id: number): void {
  domains(core).delete(id);
}

/** Called by loadRoutes for the reference core (routes already validated). */
export function refLoadRoutes(core: RefCore, id: number, routes: readonly Route[]): void {
  domain(core, id).routes = routes.map((r) => ({ ...r }));
}

/** Called by loadNeighbors for the reference core. */
export function refLoadNeighbors(core: RefCore, id: number, neighbors: readonly IpMac[]): void {
  domain(core, id).neighbors = new Map(neighbors.map((e) => [e.ip >>> 0, e.mac]));
}

/** Index of the longest prefix matching `ip` (the last listed among equals), or -1. */
export function longestMatch(routes: readonly Route[], ip: number): number {
  let best = -1;
  routes.forEach((r, k) => {
    const mask = maskOf(r.len);
    if (((ip & mask) >>> 0) === ((r.prefix & mask) >>> 0) && (best < 0 || r.len >= routes[best].len)) best = k;
  });
  return best;
}

registerStage(abi.STAGE_ROUTE, (core: RefCore, n: number, a0: number, a1: number): number => {
  // a1 bit 0: the stack's own packets (no TTL check or decrement), as in the wasm stage.
  const originate = (a1 & 1) !== 0;
  const S = abi.STAGE_ROUTE;
  const dom = domains(core).get(a0);
  const routes = dom?.routes ?? [];
  const dv = core.view();
  const b = core.bytes();
  let inN = 0;
  let pass = 0;
  let drop = 0;
  let done = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const l3 = p + dv.getUint8(d + abi.D_L3);
    if (dv.getUint8(d + abi.D_FLAGS) & abi.F_ARP) {
      const r = longestMatch(routes, rd32(b, l3 + 24));
      if (r >= 0 && routes[r].kind === 'local') {
        dv.setUint8(d + abi.D_NEXT, abi.NEXT_LOCAL);
        done++;
        core.trace(i, S, abi.A_LOCAL, r, abi.FIELD_NONE, 0n, 0n);
      } else {
        pass++;
        core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      }
      continue;
    }
    if (dv.getUint16(d + abi.D_ETHERTYPE, true) !== 0x0800 || dv.getUint8(d + abi.D_L3) === 0) {
      pass++;
      core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const dst = rd32(b, l3 + 16);
    const r = longestMatch(routes, dst);
    if (r < 0) {
      core.drop(i, S, NO_ROUTE);
      drop++;
      continue;
    }
    const route = routes[r];
    if (route.kind === 'local') {
      dv.setUint8(d + abi.D_NEXT, abi.NEXT_LOCAL);
      done++;
      core.trace(i, S, abi.A_LOCAL, r, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const ttl = b[l3 + 8];
    if (!originate && ttl <= 1) {
      core.drop(i, S, TTL_EXPIRED, r);
      drop++;
      continue;
    }
    const hop = route.gateway ? route.gateway : dst;
    const nhMac = dom!.neighbors.get(hop >>> 0);
    if (nhMac === undefined) {
      core.drop(i, S, NO_NEIGHBOR, r);
      drop++;
      continue;
    }
    const ifMac = route.ifMac ?? 0;
    const out = route.ifIndex ?? 0;
    const srcBefore = readMac(b, p + 6);
    const dstBefore = readMac(b, p);
    writeMac(b, p, nhMac);
    writeMac(b, p + 6, ifMac);
    if (!originate) {
      b[l3 + 8] = ttl - 1;
      const ihl = (b[l3] & 15) * 4;
      wr16(b, l3 + 10, 0);
      wr16(b, l3 + 10, ~onesSum(b, l3, ihl) & 0xffff);
    }
    const oldOut = dv.getUint16(d + abi.D_OUT_PORT, true);
    dv.setUint16(d + abi.D_OUT_PORT, out, true);
    pass++;
    core.trace(i, S, abi.A_ROUTE, r, abi.FIELD_NONE, 0n, BigInt(out));
    if (srcBefore !== ifMac) core.trace(i, S, abi.A_ROUTE, r, abi.FIELD_ETH_SRC, BigInt(srcBefore), BigInt(ifMac));
    if (dstBefore !== nhMac) core.trace(i, S, abi.A_ROUTE, r, abi.FIELD_ETH_DST, BigInt(dstBefore), BigInt(nhMac));
    if (!originate) core.trace(i, S, abi.A_ROUTE, r, abi.FIELD_IP_TTL, BigInt(ttl), BigInt(ttl - 1));
    if (oldOut !== out) core.trace(i, S, abi.A_ROUTE, r, abi.FIELD_OUT_PORT, BigInt(oldOut), BigInt(out));
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, pass);
  core.count(S, abi.C_DROP, drop);
  core.count(S, abi.C_DONE, done);
  return n;
});
