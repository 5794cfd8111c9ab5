/**
 * The Internet checksum: RFC 1071 (computation), RFC 768 / RFC 9293 §3.1 (the IPv4 pseudo-header
 * of UDP and TCP) and RFC 1624 (incremental update after a field change).
 *
 *   Sum the data as 16-bit big-endian words in ones'-complement arithmetic (an odd trailing byte
 *   is padded with a zero byte on the right), fold the carries back in, and store the ones'
 *   complement of the result. A receiver summing the same data *including* the stored checksum
 *   gets 0xFFFF.
 *
 *   IPv4 pseudo-header prepended (for the sum only) to UDP and TCP:
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |          source address           |
 *   +--------+--------+--------+--------+
 *   |        destination address        |
 *   +--------+--------+--------+--------+
 *   |  zero  |protocol|  UDP/TCP length |
 *   +--------+--------+--------+--------+
 *
 * [RFC 1071 § 1](https://www.rfc-editor.org/rfc/rfc1071#section-1),
 * [RFC 1624 § 3](https://www.rfc-editor.org/rfc/rfc1624#section-3).
 *
 * Sums are kept as unfolded non-negative JS numbers (exact up to 2^53), folded once at the end.
 */

/** Add the bytes [off, off+len) as big-endian 16-bit words to `sum` (unfolded). */
export function csumPartial(bytes: Uint8Array, off: number, len: number, sum = 0): number {
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

/** Fold an unfolded sum into 16 bits with end-around carry (the ones'-complement sum). */
export function csumFold(sum: number): number {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** Return the checksum field value for a folded-or-unfolded sum: the complement of the fold. */
export function csumFinish(sum: number): number {
  return ~csumFold(sum) & 0xffff;
}

/** Return the Internet checksum of bytes [off, off+len) (the value to store in the header). */
export function internetChecksum(bytes: Uint8Array, off: number, len: number): number {
  return csumFinish(csumPartial(bytes, off, len));
}

/** Return true when the data, including its stored checksum, sums to 0xFFFF (RFC 1071 § 1 (4)). */
export function checksumValid(bytes: Uint8Array, off: number, len: number): boolean {
  return csumFold(csumPartial(bytes, off, len)) === 0xffff;
}

/** Return the unfolded sum of the IPv4 pseudo-header (addresses as host-order u32). */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff);
}

/**
 * Return the checksum after a 16-bit word of the covered data changed from `oldWord` to `newWord`:
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'). Unlike RFC 1141's form it never produces a -0 that a
 * full recomputation would not.
 */
export function csumUpdate16(oldChecksum: number, oldWord: number, newWord: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~csumFold(sum) & 0xffff;
}

/** Return the checksum after a 32-bit field (e.g. an IPv4 address) changed: two RFC 1624 word updates. */
export function csumUpdate32(oldChecksum: number, oldValue: number, newValue: number): number {
  const sum =
    (~oldChecksum & 0xffff) +
    (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff) +
    ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
  return ~csumFold(sum) & 0xffff;
}
