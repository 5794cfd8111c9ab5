/**
 * ARP for IPv4 over Ethernet (the only combination Packet Path models).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Hardware type (1)         |     Protocol type (0x0800)    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | HW len (6)    | Proto len (4) |  Operation (1 req, 2 reply)   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Sender hardware address (6)                  |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |  Sender protocol address (4)  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                  Target hardware address (6)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Target protocol address (4)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * [RFC 826](https://www.rfc-editor.org/rfc/rfc826) "Packet format". A request carries a zero
 * target hardware address; a gratuitous ARP has sender = target protocol address.
 */
import { checkRoom, checkUint, needBytes, WireError } from './error.js';
import { rd16, rd32, wr16, wr32 } from './bytes.js';
import { MAC_BROADCAST, readMac, writeMac, ETHERTYPE_IPV4 } from './ethernet.js';

/** Field offsets from the start of the ARP packet. */
export const ARP_FIELD = { HTYPE: 0, PTYPE: 2, HLEN: 4, PLEN: 5, OPER: 6, SHA: 8, SPA: 14, THA: 18, TPA: 24 } as const;
export const ARP_LEN = 28;
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;

export interface ArpRepr {
  /** 1 request, 2 reply (other values round-trip but mean nothing here). */
  operation: number;
  senderMac: number;
  /** Sender IPv4 address, host-order u32. */
  senderIp: number;
  targetMac: number;
  targetIp: number;
}

/** Parse an Ethernet/IPv4 ARP packet at `off`. */
export function parseArp(bytes: Uint8Array, off = 0): ArpRepr | WireError {
  const short = needBytes('arp', bytes, off, ARP_LEN);
  if (short) return short;
  const htype = rd16(bytes, off + ARP_FIELD.HTYPE);
  const ptype = rd16(bytes, off + ARP_FIELD.PTYPE);
  const hlen = bytes[off + ARP_FIELD.HLEN];
  const plen = bytes[off + ARP_FIELD.PLEN];
  if (htype !== ARP_HTYPE_ETHERNET || ptype !== ETHERTYPE_IPV4 || hlen !== 6 || plen !== 4) {
    return new WireError('arp', 'unsupported', `hardware type ${htype}/${hlen}, protocol 0x${ptype.toString(16)}/${plen}: only Ethernet/IPv4`, off);
  }
  return {
    operation: rd16(bytes, off + ARP_FIELD.OPER),
    senderMac: readMac(bytes, off + ARP_FIELD.SHA),
    senderIp: rd32(bytes, off + ARP_FIELD.SPA),
    targetMac: readMac(bytes, off + ARP_FIELD.THA),
    targetIp: rd32(bytes, off + ARP_FIELD.TPA),
  };
}

/** Write the ARP packet at `off`; returns its length (28). */
export function emitArp(repr: ArpRepr, buf: Uint8Array, off = 0): number {
  checkRoom('arp', buf, off, ARP_LEN);
  checkUint('arp', 'operation', repr.operation, 0xffff);
  checkUint('arp', 'senderMac', repr.senderMac, MAC_BROADCAST);
  checkUint('arp', 'targetMac', repr.targetMac, MAC_BROADCAST);
  checkUint('arp', 'senderIp', repr.senderIp, 0xffff_ffff);
  checkUint('arp', 'targetIp', repr.targetIp, 0xffff_ffff);
  wr16(buf, off + ARP_FIELD.HTYPE, ARP_HTYPE_ETHERNET);
  wr16(buf, off + ARP_FIELD.PTYPE, ETHERTYPE_IPV4);
  buf[off + ARP_FIELD.HLEN] = 6;
  buf[off + ARP_FIELD.PLEN] = 4;
  wr16(buf, off + ARP_FIELD.OPER, repr.operation);
  writeMac(buf, off + ARP_FIELD.SHA, repr.senderMac);
  wr32(buf, off + ARP_FIELD.SPA, repr.senderIp);
  writeMac(buf, off + ARP_FIELD.THA, repr.targetMac);
  wr32(buf, off + ARP_FIELD.TPA, repr.targetIp);
  return ARP_LEN;
}
