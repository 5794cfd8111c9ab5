/**
 * Loading l2bridge networks into either core for the mac-rewrite stage (a0 = network table id):
 *
 *   setHostMac(core, network, mac)           → the MAC container frames leave with (egress)
 *   loadEndpointMap(core, network, entries)  → container IPv4 → container MAC (ingress); an entry's
 *                                              position in `entries` is its index in trace events
 *
 * Loading again replaces the map; on the WebAssembly core each load takes a fresh image.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadEndpointMap, refSetHostMac } from '../reference/mac-rewrite.js';
import { type IpMac, encodeIpMacMap, checkIpMac } from '../../table-images/ip-mac-map.js';

/** Network table ids are below this bound. */
export const ENDPOINT_TABLES = 1 << 20;

interface EndpointExports {
  endpoint_map_load(network: number, image: number): void;
  host_mac_set(network: number, hi: number, lo: number): void;
}

const ex = (core: PacketCore): EndpointExports => (core as WasmCore).exports as unknown as EndpointExports;

function checkId(network: number): void {
  if (!Number.isInteger(network) || network < 0 || network >= ENDPOINT_TABLES) throw new RangeError(`network table id ${network} not in 0..${ENDPOINT_TABLES - 1}`);
}

/** Installs the endpoint map of an l2bridge network. Called when endpoints are attached or removed. */
export function loadEndpointMap(core: PacketCore, network: number, entries: readonly IpMac[]): void {
  checkId(network);
  entries.forEach((e, k) => checkIpMac('endpoint', e, k));
  if (core.kind === 'reference') {
    refLoadEndpointMap(core as RefCore, network, entries);
    return;
  }
  const image = encodeIpMacMap(entries);
  const p = core.alloc(image.length);
  core.bytes().set(image, p);
  ex(core).endpoint_map_load(network, p);
}

/** Sets the host MAC of an l2bridge network. Called when the network is created on a host. */
export function setHostMac(core: PacketCore, network: number, mac: number): void {
  checkId(network);
  checkIpMac('host MAC', { ip: 0, mac }, network);
  if (core.kind === 'reference') {
    refSetHostMac(core as RefCore, network, mac);
    return;
  }
  ex(core).host_mac_set(network, Math.floor(mac / 0x1_0000_0000), mac >>> 0);
}
