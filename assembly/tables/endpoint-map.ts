// l2bridge networks for mac-rewrite: per network (HNS network table id) the host's MAC and the
// endpoint map (container IPv4 → container MAC, an ip-mac-map image).
//
// Directory record per network, 16 bytes: u16 host MAC bytes 0-1, u16 1 when the host MAC is set,
// u32 host MAC bytes 2-5 (both as stored in a frame), u32 endpoint map image (0 none), u32 0.
import { tablesChanged } from './generation';
import { Directory, dirFind, dirRecord, replaced } from '../memory';

/** Network table ids are below this bound. */
export const ENDPOINT_TABLES: u32 = 1 << 20;

/** Records by id, grown to the highest network loaded. */
export const endpointDirectory = changetype<Directory>(memory.data(16, 16));

/** Called by the engine's loadEndpointMap once per table load: installs the endpoint map image. */
export function endpoint_map_load(network: u32, image: usize): void {
  tablesChanged();
  if (network >= ENDPOINT_TABLES) return;
  const r = dirRecord(endpointDirectory, network, 16);
  replaced(<usize>load<u32>(r, 8), image);
  store<u32>(r, <u32>image, 8);
}

/** Called by the engine's setHostMac when a network is created on a host: the MAC containers' frames
 *  leave with. `hi` = bytes 0-1, `lo` = bytes 2-5 as host-order integers. */
export function host_mac_set(network: u32, hi: u32, lo: u32): void {
  tablesChanged();
  if (network >= ENDPOINT_TABLES) return;
  const r = dirRecord(endpointDirectory, network, 16);
  store<u16>(r, bswap<u16>(<u16>hi));
  store<u16>(r, 1, 2);
  store<u32>(r, bswap<u32>(lo), 4);
}

/** Directory record of a network, 0 when nothing was loaded for it. */
// @ts-ignore: decorator
@inline export function endpointNetwork(network: u32): usize {
  return dirFind(endpointDirectory, network, 16);
}

// @ts-ignore: decorator
@inline export function netHasHostMac(r: usize): bool {
  return r != 0 && load<u16>(r, 2) != 0;
}

// @ts-ignore: decorator
@inline export function netHostMacHi(r: usize): u16 {
  return load<u16>(r);
}

// @ts-ignore: decorator
@inline export function netHostMacLo(r: usize): u32 {
  return load<u32>(r, 4);
}

// @ts-ignore: decorator
@inline export function netEndpointMap(r: usize): usize {
  return r == 0 ? 0 : <usize>load<u32>(r, 8);
}
