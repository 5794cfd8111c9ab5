/**
 * IPv4 → MAC hash table images (twin of assembly/tables/ip-mac-map.ts), used for the l2bridge endpoint
 * map (mac-rewrite) and for neighbour caches (route).
 *
 *   0 u32 log2(slot count)   4 u32 entry count   8..15 reserved
 *   16 + 16·k: u8[4] IPv4 (wire order, as a packet carries it), u32 entry index + 1 (0 = empty),
 *              u8[2] MAC bytes 0-1, u16 0, u8[4] MAC bytes 2-5
 *
 * Slot of an address: Fibonacci hashing of its wire-order word (the u32 a little-endian load of the
 * packet's bytes gives, so the data plane hashes what it loads, without a byte swap),
 * `(wire · 0x9E3779B1) >>> (32 − bits)`, then linear probing.
 * The table is at most half full. A duplicate address keeps one slot; the last entry wins.
 */

/** An IPv4 address (host-order u32, 10.0.0.1 = 0x0a000001) and its MAC (48-bit integer). */
export interface IpMac {
  ip: number;
  mac: number;
}

export const IP_MAC_HEADER = 16;
export const IP_MAC_SLOT = 16;

/** An address's wire-order word: what a little-endian u32 load of its four bytes gives. */
export function wireWord(ip: number): number {
  return (((ip & 0xff) << 24) | ((ip & 0xff00) << 8) | ((ip >>> 8) & 0xff00) | (ip >>> 24)) >>> 0;
}

/** Home slot of `ip` (host order) in a table of 2^bits slots. */
export function ipSlot(ip: number, bits: number): number {
  return Math.imul(wireWord(ip), 0x9e3779b1) >>> (32 - bits);
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
      if (!used || dv.getUint32(s, false) === e.ip >>> 0) {
        if (!used) count++;
        dv.setUint32(s, e.ip >>> 0, false);
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
