/**
 * IPv4 → MAC hash table images (twin of assembly/tables/ip-mac-map.ts), used for the l2bridge endpoint
 * map (mac-rewrite) and for neighbour caches (route).
 *
 *   0 u32 log2(slot count)   4 u32 entry count   8..15 reserved
 *   16 + 16·k: u32 IPv4 (host order), u32 entry index + 1 (0 = empty), u8[2] MAC bytes 0-1, u16 0,
 *              u8[4] MAC bytes 2-5
 *
 * Slot of an address: Fibonacci hashing, `(ip · 0x9E3779B1) >>> (32 − bits)`, then linear probing.
 * The table is at most half full. A duplicate address keeps one slot; the last entry wins.
 */

/** An IPv4 address (host-order u32, 10.0.0.1 = 0x0a000001) and its MAC (48-bit integer). */
export interface IpMac {
  ip: number;
  mac: number;
}

export const IP_MAC_HEADER = 16;
export const IP_MAC_SLOT = 16;

/** Home slot of `ip` in a table of 2^bits slots. */
export function ipSlot(ip: number, bits: number): number {
  return Math.imul(ip >>> 0, 0x9e3779b1) >>> (32 - bits);
}

export function checkIpMac(what: string, e: IpMac, k: number): void {
  if (!Number.isInteger(e.ip) || e.ip < 0 || e.ip > 0xffffffff) throw new RangeError(`${what} ${k}: IPv4 ${e.ip} is not a u32`);
  if (!Number.isInteger(e.mac) || e.mac < 0 || e.mac > 0xffff_ffff_ffff) throw new RangeError(`${what} ${k}: MAC ${e.mac} is not 48 bits`);
}

/** Builds the image of `entries`; entry k is reported by the data plane as index k. */
export function encodeIpMacMap(entries: readonly IpMac[]): Uint8Array {
  let bits = 3;
  while (1 << bits < entries.length * 2) bits++;
  const slots = 1 << bits;
  const img = new Uint8Array(IP_MAC_HEADER + slots * IP_MAC_SLOT);
  const dv = new DataView(img.buffer);
  const mask = slots - 1;
  let count = 0;
  entries.forEach((e, index) => {
    checkIpMac('entry', e, index);
    let k = ipSlot(e.ip, bits);
    for (;;) {
      const s = IP_MAC_HEADER + k * IP_MAC_SLOT;
      const used = dv.getUint32(s + 4, true) !== 0;
      if (!used || dv.getUint32(s, true) === e.ip) {
        if (!used) count++;
        dv.setUint32(s, e.ip >>> 0, true);
        dv.setUint32(s + 4, index + 1, true);
        const hi = Math.floor(e.mac / 0x1_0000_0000);
        img[s + 8] = (hi >>> 8) & 0xff;
        img[s + 9] = hi & 0xff;
        dv.setUint32(s + 12, e.mac >>> 0, false);
        break;
      }
      k = (k + 1) & mask;
    }
  });
  dv.setUint32(0, bits, true);
  dv.setUint32(4, count, true);
  return img;
}
