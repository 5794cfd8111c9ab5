/**
 * The TypeScript wire layer (smoltcp's `wire/`): one module per protocol with its field offsets,
 * a `Repr` of the meaningful values, `parseX(bytes, off)` returning a repr or a `WireError`
 * (never throwing on input bytes) and `emitX(repr, buf, off)` writing it back, with the law
 * `parseX(emitX(r)) == r`. The data plane (assembly/wire/) reads the same bytes through
 * offset accessors; tests/golden/ holds the frames both are checked against.
 *
 * Contract: parse validates lengths (header length fields, total/datagram lengths against the
 * bytes given) but not checksums: a frame with a bad checksum still decodes, and the
 * `*ChecksumValid` / `*ChecksumStatus` helpers say whether it is right. Upper-layer parsers read
 * to the end of the array they are given: bound it to the IPv4 total length first
 * (`bytes.subarray(0, ipOff + ipLen)`), as `decodeFrame` does.
 */
export * from './error.js';
export * from './bytes.js';
export * from './checksum.js';
export * from './ethernet.js';
export * from './vlan.js';
export * from './arp.js';
export * from './ipv4.js';
export * from './icmp.js';
export * from './udp.js';
export * from './tcp.js';
export * from './vxlan.js';
export * from './build.js';
