/**
 * Reference twin of the mac-rewrite stage (assembly/stages/mac-rewrite.ts) and owner of the
 * reference core's l2bridge networks (host MAC + endpoint map). Semantics: see the wasm stage.
 */
import * as abi from '../../abi.js';
import { DROP_REASONS } from '../drops.js';
import { registerStage, type RefCore, refTablesChanged } from './core.js';
import { rd16, rd32 } from '../../wire/bytes.js';
import { readMac, writeMac } from '../../wire/ethernet.js';
import type { IpMac } from '../../table-images/ip-mac-map.js';

const UNKNOWN_ENDPOINT = DROP_REASONS.find((d) => d.name === 'MAC_REWRITE_UNKNOWN_ENDPOINT')!.code;

interface RefNetwork {
  hostMac?: number;
  endpoints: Map<number, { mac: number; index: number }>;
}

function networks(core: RefCore): Map<number, RefNetwork> {
  let m = core.tables.get('endpoint-map') as Map<number, RefNetwork> | undefined;
  if (!m) core.tables.set('endpoint-map', (m = new Map()));
  return m;
}

function network(core: RefCore, id: number): RefNetwork {
  const m = networks(core);
  let n = m.get(id);
  if (!n) m.set(id, (n = { endpoints: new Map() }));
  return n;
}

/** Called by loadEndpointMap for the reference core: replaces the network's endpoints. */
export function refLoadEndpointMap(core: RefCore, id: number, entries: readonly IpMac[]): void {
  refTablesChanged(core);
  network(core, id).endpoints = new Map(entries.map((e, index) => [e.ip >>> 0, { mac: e.mac, index }]));
}

/** Called by setHostMac for the reference core. */
export function refSetHostMac(core: RefCore, id: number, mac: number): void {
  refTablesChanged(core);
  network(core, id).hostMac = mac;
}

registerStage(abi.STAGE_MAC_REWRITE, (core: RefCore, n: number, a0: number, a1: number): number => {
  const S = abi.STAGE_MAC_REWRITE;
  const net = networks(core).get(a0);
  const dv = core.view();
  const b = core.bytes();
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const p = dv.getUint32(d + abi.D_DATA, true);
    const isArp = (dv.getUint8(d + abi.D_FLAGS) & abi.F_ARP) !== 0;
    const l3 = p + dv.getUint8(d + abi.D_L3);
    if (a1 === 0) {
      const host = net?.hostMac;
      if (host === undefined) {
        core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
        continue;
      }
      const src = readMac(b, p + 6);
      writeMac(b, p + 6, host);
      const sha = isArp ? readMac(b, l3 + 8) : 0;
      if (isArp) writeMac(b, l3 + 8, host);
      core.trace(i, S, abi.A_REWRITE, -1, abi.FIELD_NONE, 0n, 0n);
      if (src !== host) core.trace(i, S, abi.A_REWRITE, -1, abi.FIELD_ETH_SRC, BigInt(src), BigInt(host));
      if (isArp && sha !== host) core.trace(i, S, abi.A_REWRITE, -1, abi.FIELD_ARP_SHA, BigInt(sha), BigInt(host));
      continue;
    }
    if (b[p] & 1 || (!isArp && dv.getUint16(d + abi.D_ETHERTYPE, true) !== 0x0800)) {
      core.trace(i, S, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const ip = rd32(b, l3 + (isArp ? 24 : 16));
    const ep = net?.endpoints.get(ip);
    if (!ep) {
      core.drop(i, S, UNKNOWN_ENDPOINT);
      drop++;
      continue;
    }
    const dst = readMac(b, p);
    writeMac(b, p, ep.mac);
    const reply = isArp && rd16(b, l3 + 6) === 2;
    const tha = reply ? readMac(b, l3 + 18) : 0;
    if (reply) writeMac(b, l3 + 18, ep.mac);
    core.trace(i, S, abi.A_REWRITE, ep.index, abi.FIELD_NONE, 0n, 0n);
    if (dst !== ep.mac) core.trace(i, S, abi.A_REWRITE, ep.index, abi.FIELD_ETH_DST, BigInt(dst), BigInt(ep.mac));
    if (reply && tha !== ep.mac) core.trace(i, S, abi.A_REWRITE, ep.index, abi.FIELD_ARP_THA, BigInt(tha), BigInt(ep.mac));
  }
  core.count(S, abi.C_IN, inN);
  core.count(S, abi.C_PASS, inN - drop);
  core.count(S, abi.C_DROP, drop);
  return n;
});
