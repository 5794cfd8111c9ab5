// vSwitch port table: each port's 802.1Q mode (untagged, access, trunk), its VLANs, and the list of
// the vSwitch's ports (the flood domain). Read by the vlan stages and by the switch. The image is
// built by src/table-images/vlan-ports.ts (the layout lives there too):
//
//   0  u32 port count P (highest port id + 1)    4  u32 configured ports L
//   8  u32 offset of the port list               12 u32 offset of the trunk bitmaps
//   16 P port records of 8 bytes: u8 mode, u8 0, u16 pvid (access VID / trunk native VID, 0 none),
//      u32 bitmap index (trunk) — then L u16 port ids ascending — then 512-byte VID bitmaps.
import { tablesChanged } from './generation';
import { Directory, dirFind, dirRecord, replaced } from '../memory';

export const PORT_ABSENT: i32 = 0;
export const PORT_UNTAGGED: i32 = 1;
export const PORT_ACCESS: i32 = 2;
export const PORT_TRUNK: i32 = 3;
/** vSwitch ids are below this bound. */
export const VLAN_PORT_TABLES: u32 = 1 << 20;

/** Records by id, grown to the highest vSwitch loaded. */
export const vlanDirectory = changetype<Directory>(memory.data(16, 16));

/** Called by the engine's loadVlanPorts once per table load: installs the image for a vSwitch. */
export function vlan_ports_load(vswitch: u32, image: usize): void {
  tablesChanged();
  if (vswitch >= VLAN_PORT_TABLES) return;
  const slot = dirRecord(vlanDirectory, vswitch, 4);
  replaced(<usize>load<u32>(slot), image);
  store<u32>(slot, <u32>image);
}

/** The port table of a vSwitch, 0 when none was loaded. */
// @ts-ignore: decorator
@inline export function vlanPortTable(vswitch: u32): usize {
  const r = dirFind(vlanDirectory, vswitch, 4);
  return r == 0 ? 0 : <usize>load<u32>(r);
}

/** Record address of `port`, 0 when the table is missing or the port beyond it. */
// @ts-ignore: decorator
@inline export function portRecord(t: usize, port: i32): usize {
  if (t == 0 || <u32>port >= load<u32>(t)) return 0;
  return t + 16 + <usize>(port << 3);
}

// @ts-ignore: decorator
@inline export function recMode(r: usize): i32 {
  return r == 0 ? PORT_ABSENT : <i32>load<u8>(r);
}

// @ts-ignore: decorator
@inline export function recPvid(r: usize): i32 {
  return <i32>load<u16>(r, 2);
}

/** True when the trunk record `r` lists `vid` (1-4094) among its allowed VLANs. */
// @ts-ignore: decorator
@inline export function trunkBitmapHas(t: usize, r: usize, vid: i32): bool {
  const b = t + <usize>load<u32>(t, 12) + <usize>(load<u32>(r, 4) << 9);
  return ((load<u8>(b + <usize>(vid >> 3)) >> <u8>(vid & 7)) & 1) != 0;
}

/** Whether port record `r` belongs to VLAN `vid` (0 = the untagged, VLAN-unaware domain). */
// @ts-ignore: decorator
@inline export function recIsMember(t: usize, r: usize, vid: i32): bool {
  const mode = recMode(r);
  if (mode == PORT_UNTAGGED) return vid == 0;
  if (mode == PORT_ACCESS) return vid != 0 && vid == recPvid(r);
  if (mode == PORT_TRUNK) return vid != 0 && (vid == recPvid(r) || (vid < 4096 && trunkBitmapHas(t, r, vid)));
  return false;
}

/** Number of configured ports (the flood list). */
// @ts-ignore: decorator
@inline export function portListLen(t: usize): i32 {
  return t == 0 ? 0 : <i32>load<u32>(t, 4);
}

/** The k-th configured port id (ascending). */
// @ts-ignore: decorator
@inline export function portListAt(t: usize, k: i32): i32 {
  return <i32>load<u16>(t + <usize>load<u32>(t, 8) + <usize>(k << 1));
}
