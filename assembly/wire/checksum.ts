// Internet checksum helpers: RFC 1071 (computation) and RFC 1624 (incremental update).
// https://www.rfc-editor.org/rfc/rfc1624#section-3
//
//   HC' = ~(~HC + ~m + m')     (eqn. 3; one's-complement arithmetic on 16-bit words)
//
// Checksums and the words they cover are handled in NETWORK byte order as loaded by
// `load<u16>` on a little-endian machine (byte-swapped): one's-complement sums are byte-order
// independent (RFC 1071 §2.B), so no swap is needed on the hot path.

/** Folds a 32-bit one's-complement accumulator to 16 bits. */
// @ts-ignore: decorator
@inline export function csumFold(sum: u32): u16 {
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return <u16>sum;
}

/** RFC 1624 eqn. 3 for one 16-bit word: old checksum `hc`, old word `m`, new word `m1`. */
// @ts-ignore: decorator
@inline export function csumUpdate16(hc: u16, m: u16, m1: u16): u16 {
  const sum: u32 = <u32>(~hc & 0xffff) + <u32>(~m & 0xffff) + <u32>m1;
  return ~csumFold(sum);
}

/** RFC 1624 for a 32-bit field (an IPv4 address) as two words; `m`/`m1` as loaded (network order). */
// @ts-ignore: decorator
@inline export function csumUpdate32(hc: u16, m: u32, m1: u32): u16 {
  const sum: u32 =
    <u32>(~hc & 0xffff) +
    <u32>(~m & 0xffff) + <u32>(~(m >> 16) & 0xffff) +
    (m1 & 0xffff) + (m1 >> 16);
  return ~csumFold(sum);
}

/** One's-complement sum of `len` bytes at `p` (as loaded, network order words), not folded. */
export function csumPartial(p: usize, len: i32, sum: u32): u32 {
  let i = 0;
  for (; i + 1 < len; i += 2) sum += <u32>load<u16>(p + <usize>i);
  if (i < len) sum += <u32>load<u8>(p + <usize>i);
  return sum;
}

/** Full checksum of `len` bytes at `p`, as the value to store with store<u16> (network order). */
// @ts-ignore: decorator
@inline export function csumFull(p: usize, len: i32): u16 {
  return ~csumFold(csumPartial(p, len, 0));
}
