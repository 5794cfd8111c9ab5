/**
 * vSwitch port tables: each port's 802.1Q mode and VLANs, read by the vlan stages (filter, push,
 * pop) and by the switch (which ports a VLAN floods to). Twin of assembly/tables/vlan-ports.ts.
 *
 * Image layout (little-endian):
 *   0  u32 port count P (highest port id + 1)   4  u32 configured ports L
 *   8  u32 offset of the port list              12 u32 offset of the trunk bitmaps
 *   16 + 8·port: u8 mode (0 absent, 1 untagged, 2 access, 3 trunk), u8 0, u16 pvid (access VID or
 *                trunk native VID, 0 none), u32 trunk bitmap index
 *   port list: L × u16 port ids, ascending (padded to 4 bytes)
 *   bitmaps: 512 bytes per trunk, bit v set when VID v is allowed
 */

/** The vlan stages' a1: use this port instead of the descriptor's (`VLAN_PORT_FIXED | port`). */
export const VLAN_PORT_FIXED = 0x10000;
/** vSwitch ids (a0 of vlan-in, vlan-out and switch) are below this bound. */
export const VLAN_PORT_TABLES = 1 << 20;

export const PORT_ABSENT = 0;
export const PORT_UNTAGGED = 1;
export const PORT_ACCESS = 2;
export const PORT_TRUNK = 3;

export type VlanPortMode = 'untagged' | 'access' | 'trunk';

/**
 * One vSwitch port. `untagged`: not VLAN-aware (a host NIC not in trunk mode, a port with no VLAN
 * setting) — untagged frames only, in the untagged domain (D_VLAN 0). `access`: one VLAN `vid`,
 * untagged on the wire. `trunk`: tagged frames of the `allowed` VLANs; untagged frames belong to the
 * `native` VLAN when one is set (and leave untagged when in it).
 */
export interface VlanPort {
  port: number;
  mode: VlanPortMode;
  /** access: the port's VLAN (1-4094). */
  vid?: number;
  /** trunk: allowed VLANs (1-4094). */
  allowed?: readonly number[];
  /** trunk: the native VLAN (1-4094), or 0 / absent for none. */
  native?: number;
}

/** A validated port, as both cores use it. */
export interface VlanPortEntry {
  port: number;
  mode: number;
  pvid: number;
  allowed: ReadonlySet<number>;
}

function checkVid(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4094) throw new RangeError(`${what}: VLAN id ${String(v)} not in 1..4094`);
  return v;
}

/** Validates and sorts a port list (RangeError on a bad port, VID or duplicate port). */
export function normalizeVlanPorts(ports: readonly VlanPort[]): VlanPortEntry[] {
  const seen = new Set<number>();
  const out: VlanPortEntry[] = [];
  for (const p of ports) {
    if (!Number.isInteger(p.port) || p.port < 0 || p.port > 0xfffd) throw new RangeError(`port id ${p.port} not in 0..65533`);
    if (seen.has(p.port)) throw new RangeError(`port ${p.port} listed twice`);
    seen.add(p.port);
    const where = `port ${p.port}`;
    if (p.mode === 'untagged') out.push({ port: p.port, mode: PORT_UNTAGGED, pvid: 0, allowed: new Set() });
    else if (p.mode === 'access') out.push({ port: p.port, mode: PORT_ACCESS, pvid: checkVid(p.vid, where), allowed: new Set() });
    else if (p.mode === 'trunk') {
      const native = p.native ? checkVid(p.native, `${where} native`) : 0;
      const allowed = new Set((p.allowed ?? []).map((v) => checkVid(v, `${where} allowed`)));
      out.push({ port: p.port, mode: PORT_TRUNK, pvid: native, allowed });
    } else throw new RangeError(`${where}: mode ${String((p as { mode: unknown }).mode)} is not untagged, access or trunk`);
  }
  return out.sort((a, b) => a.port - b.port);
}

/** Builds the image for validated ports. */
export function encodeVlanPorts(ports: readonly VlanPortEntry[]): Uint8Array {
  const count = ports.length === 0 ? 0 : ports[ports.length - 1].port + 1;
  const trunks = ports.filter((p) => p.mode === PORT_TRUNK);
  const listOff = 16 + count * 8;
  const bitmapOff = (listOff + ports.length * 2 + 3) & ~3;
  const img = new Uint8Array(bitmapOff + trunks.length * 512);
  const dv = new DataView(img.buffer);
  dv.setUint32(0, count, true);
  dv.setUint32(4, ports.length, true);
  dv.setUint32(8, listOff, true);
  dv.setUint32(12, bitmapOff, true);
  let t = 0;
  ports.forEach((p, k) => {
    const r = 16 + p.port * 8;
    img[r] = p.mode;
    dv.setUint16(r + 2, p.pvid, true);
    dv.setUint16(listOff + k * 2, p.port, true);
    if (p.mode === PORT_TRUNK) {
      dv.setUint32(r + 4, t, true);
      for (const v of p.allowed) img[bitmapOff + t * 512 + (v >> 3)] |= 1 << (v & 7);
      t++;
    }
  });
  return img;
}

/** Whether a port belongs to VLAN `vid` (0 = the untagged domain); the switch floods to members. */
export function portIsMember(p: VlanPortEntry | undefined, vid: number): boolean {
  if (!p) return false;
  if (p.mode === PORT_UNTAGGED) return vid === 0;
  if (p.mode === PORT_ACCESS) return vid !== 0 && vid === p.pvid;
  if (p.mode === PORT_TRUNK) return vid !== 0 && (vid === p.pvid || p.allowed.has(vid));
  return false;
}
