/**
 * Reference twin of the parse stage (assembly/stages/parse.ts): the same checks in the same order,
 * written the plain way (big-endian reads, a full RFC 1071 checksum over the header).
 */
import * as abi from '../../abi.js';
import { DROP } from '../drops.js';
import { registerStage, type RefCore } from './core.js';
import { rd16, rd32 } from '../../wire/bytes.js';
import { flowHash } from '../../table-images/flow-hash.js';

const TRUNCATED_ETHERNET = DROP.PARSE_TRUNCATED_ETHERNET;
const TRUNCATED_VLAN = DROP.PARSE_TRUNCATED_VLAN;
const UNSUPPORTED_ETHERTYPE = DROP.PARSE_UNSUPPORTED_ETHERTYPE;
const BAD_ARP = DROP.PARSE_BAD_ARP;
const TRUNCATED_IPV4 = DROP.PARSE_TRUNCATED_IPV4;
const BAD_IP_VERSION = DROP.PARSE_BAD_IP_VERSION;
const BAD_IHL = DROP.PARSE_BAD_IHL;
const BAD_TOTAL_LENGTH = DROP.PARSE_BAD_TOTAL_LENGTH;
const BAD_IP_CHECKSUM = DROP.PARSE_BAD_IP_CHECKSUM;
const TRUNCATED_L4 = DROP.PARSE_TRUNCATED_L4;
const BAD_TCP_OFFSET = DROP.PARSE_BAD_TCP_OFFSET;
const BAD_UDP_LENGTH = DROP.PARSE_BAD_UDP_LENGTH;
const TRUNCATED_VXLAN = DROP.PARSE_TRUNCATED_VXLAN;

/** RFC 1071 one's-complement sum of `len` bytes, folded to 16 bits. */
export function onesSum(b: Uint8Array, off: number, len: number): number {
  let s = 0;
  for (let k = 0; k + 1 < len; k += 2) s += (b[off + k] << 8) | b[off + k + 1];
  if (len & 1) s += b[off + len - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

interface Parsed {
  l3: number;
  l4: number;
  ethertype: number;
  proto: number;
  flags: number;
  vlan: number;
  hash: number;
}

/** Parses the frame `b[p .. p+len)`; a drop reason, or the descriptor fields. */
export function parseFrame(b: Uint8Array, p: number, len: number, oldFlags: number): number | Parsed {
  if (len < 14) return TRUNCATED_ETHERNET;
  let flags = oldFlags & abi.F_ENCAPPED;
  if (b[p] & 1) flags |= abi.F_BCAST;
  let et = rd16(b, p + 12);
  let l3 = 14;
  let vlan = 0;
  if (et === 0x8100) {
    if (len < 18) return TRUNCATED_VLAN;
    vlan = rd16(b, p + 14) & 0xfff;
    et = rd16(b, p + 16);
    l3 = 18;
    flags |= abi.F_VLAN_TAGGED;
  }
  if (et === 0x0806) {
    if (len < l3 + 28) return BAD_ARP;
    const a = p + l3;
    const op = rd16(b, a + 6);
    if (rd16(b, a) !== 1 || rd16(b, a + 2) !== 0x0800 || b[a + 4] !== 6 || b[a + 5] !== 4 || (op !== 1 && op !== 2)) return BAD_ARP;
    return { l3, l4: 0, ethertype: et, proto: 0, flags: flags | abi.F_ARP, vlan, hash: 0 };
  }
  if (et !== 0x0800) return UNSUPPORTED_ETHERTYPE;
  if (len < l3 + 20) return TRUNCATED_IPV4;
  const ip = p + l3;
  if (b[ip] >> 4 !== 4) return BAD_IP_VERSION;
  const ihl = (b[ip] & 15) * 4;
  if (ihl < 20 || l3 + ihl > len) return BAD_IHL;
  const tot = rd16(b, ip + 2);
  if (tot < ihl || l3 + tot > len) return BAD_TOTAL_LENGTH;
  if (onesSum(b, ip, ihl) !== 0xffff) return BAD_IP_CHECKSUM;
  const proto = b[ip + 9];
  const end = l3 + tot;
  let l4 = l3 + ihl;
  let ports = 0;
  if (rd16(b, ip + 6) & 0x3fff) {
    flags |= abi.F_FRAGMENT;
    l4 = 0;
  } else if (proto === 6) {
    if (l4 + 20 > end) return TRUNCATED_L4;
    const doff = (b[p + l4 + 12] >> 4) * 4;
    if (doff < 20 || l4 + doff > end) return BAD_TCP_OFFSET;
    ports = rd32(b, p + l4);
  } else if (proto === 17) {
    if (l4 + 8 > end) return TRUNCATED_L4;
    const ulen = rd16(b, p + l4 + 4);
    if (ulen < 8 || l4 + ulen > end) return BAD_UDP_LENGTH;
    if (rd16(b, p + l4 + 2) === 4789) {
      if (ulen < 8 + 8 + 14) return TRUNCATED_VXLAN;
      if (b[p + l4 + 8] & 0x08) flags |= abi.F_VXLAN;
    }
    ports = rd32(b, p + l4);
  } else if (proto === 1) {
    if (l4 + 8 > end) return TRUNCATED_L4;
    const type = b[p + l4];
    if (type === 0 || type === 8) ports = rd16(b, p + l4 + 4) * 0x10000;
  } else {
    l4 = 0;
  }
  const hash = flowHash(rd32(b, ip + 12), rd32(b, ip + 16), ports, proto);
  return { l3, l4, ethertype: et, proto, flags, vlan, hash };
}

registerStage(abi.STAGE_PARSE, (core: RefCore, n: number): number => {
  const b = core.bytes();
  const dv = core.view();
  let inN = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const r = parseFrame(b, dv.getUint32(d + abi.D_DATA, true), dv.getUint16(d + abi.D_LEN, true), dv.getUint8(d + abi.D_FLAGS));
    if (typeof r === 'number') {
      core.drop(i, abi.STAGE_PARSE, r);
      drop++;
      continue;
    }
    dv.setUint8(d + abi.D_L3, r.l3);
    dv.setUint8(d + abi.D_L4, r.l4);
    dv.setUint16(d + abi.D_ETHERTYPE, r.ethertype, true);
    dv.setUint8(d + abi.D_PROTO, r.proto);
    dv.setUint8(d + abi.D_FLAGS, r.flags);
    dv.setUint16(d + abi.D_VLAN, r.vlan, true);
    dv.setUint32(d + abi.D_HASH, r.hash, true);
    core.trace(i, abi.STAGE_PARSE, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
  }
  core.count(abi.STAGE_PARSE, abi.C_IN, inN);
  core.count(abi.STAGE_PARSE, abi.C_PASS, inN - drop);
  core.count(abi.STAGE_PARSE, abi.C_DROP, drop);
  return n;
});
