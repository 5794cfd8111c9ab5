/**
 * Bench workload `mac-rewrite`: the l2bridge Layer-2 address rewrite (stage mac-rewrite) on one
 * network with 1024 container endpoints, batches of 256 64-byte UDP frames.
 *
 *   egress  (ingress=0): container → wire, frames from uniformly random endpoints; the source MAC
 *                        becomes the host MAC.
 *   ingress (ingress=1): wire → container, frames sent to the host MAC for uniformly random
 *                        endpoint addresses; the destination MAC becomes the endpoint's, found by IP
 *                        in the endpoint map (random order, so the stage's last-hit cache mostly misses).
 *
 * The stage reads parse's descriptor fields (D_L3, D_ETHERTYPE, F_ARP), so `prepare` runs parse once
 * before the snapshot and the timed program is mac-rewrite alone.
 *
 * restoreBytes is 0 although the stage writes into the frames: the rewrite is idempotent (it stores
 * the same MAC whatever was there, and no branch depends on the old value for these unicast IPv4
 * frames), so every timed batch does exactly the first batch's work without restoring bytes.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { loadEndpointMap, setHostMac } from '../../engine/loaders/endpoint-map.js';
import type { IpMac } from '../../table-images/ip-mac-map.js';
import { below, ip4, parseOnce, rng, udpFrame } from '../frames.js';
import type { Prepared, Workload } from '../types.js';

/** Network table id the workload loads (stage a0). */
export const MAC_REWRITE_NET = 1;
/** The host's NIC MAC (00-15-5D-00-00-0A): what l2bridge container frames leave with. */
export const MAC_REWRITE_HOST_MAC = 0x00155d00000a;
/** The peer on the wire (a router or another host) the frames go to / come from. */
const PEER_MAC = 0x00155d0000fe;
const PEER_IP = ip4(10, 1, 0, 1);

export interface MacRewriteOptions {
  /** 0 egress, 1 ingress (the stage's a1). */
  ingress: 0 | 1;
  endpoints?: number;
  batch?: number;
  size?: number;
  seed?: number;
}

/** `count` l2bridge endpoints: IPs from 10.1.0.2 on in the host's subnet, HNS-style MACs. */
export function macRewriteEndpoints(count: number): IpMac[] {
  return Array.from({ length: count }, (_, k) => ({ ip: (ip4(10, 1, 0, 2) + k) >>> 0, mac: 0x00155d300000 + k }));
}

/** Loads the network on `core` and returns the batch. */
export function setupMacRewrite(core: PacketCore, o: MacRewriteOptions): Prepared {
  const batch = o.batch ?? 256;
  const size = o.size ?? 64;
  const endpoints = macRewriteEndpoints(o.endpoints ?? 1024);
  setHostMac(core, MAC_REWRITE_NET, MAC_REWRITE_HOST_MAC);
  loadEndpointMap(core, MAC_REWRITE_NET, endpoints);
  const r = rng(o.seed ?? (o.ingress ? 0x3ac1 : 0x3ac0));
  const frames: Uint8Array[] = [];
  for (let k = 0; k < batch; k++) {
    const e = endpoints[below(r, endpoints.length)];
    const sport = 49152 + below(r, 16384);
    frames.push(
      o.ingress
        ? udpFrame({ srcMac: PEER_MAC, dstMac: MAC_REWRITE_HOST_MAC, src: PEER_IP, dst: e.ip, sport: 53, dport: sport }, size)
        : udpFrame({ srcMac: e.mac, dstMac: PEER_MAC, src: e.ip, dst: PEER_IP, sport, dport: 53 }, size),
    );
  }
  const program: ProgramStep[] = [{ stage: abi.STAGE_MAC_REWRITE, a0: MAC_REWRITE_NET, a1: o.ingress }];
  return { program, frames, restoreBytes: 0, prepare: (c) => parseOnce(c, frames.length) };
}

export function macRewriteWorkloads(): Workload[] {
  return ([0, 1] as const).map((ingress) => ({
    name: 'mac-rewrite',
    stage: 'mac-rewrite',
    params: { endpoints: 1024, batch: 256, size: 64, ingress },
    setup: (core: PacketCore) => setupMacRewrite(core, { ingress }),
  }));
}
