/**
 * IPv4 addresses, prefixes and MAC addresses as values: the one module every layer uses (the model's
 * IPAM and WinNAT, the simulation, the table encoders, the wire reprs, the playground).
 *
 * Conventions: an IPv4 address is a host-order unsigned 32-bit number; a prefix is `{ base, len }`
 * with the host bits of `base` clear and `len` 0..32; a MAC is a 48-bit integer in a JS number.
 * Text forms: `10.0.0.10`, `10.0.0.0/24`, and MACs as Windows prints them (`00-15-5D-00-00-0A`) or
 * as Linux tools do (`00:15:5d:00:00:0a`).
 */

export interface Prefix {
  base: number;
  len: number;
}

// ---- IPv4 ------------------------------------------------------------------------------------------

/** Parsed addresses by text: a world repeats a few thousand address strings in every scan. */
const parsed = new Map<string, number | null>();

/** `a.b.c.d` (each 0..255, no sign, no blanks inside) → the address; null otherwise. */
export function parseIp(s: string): number | null {
  let v = parsed.get(s);
  if (v === undefined) {
    if (parsed.size >= 1 << 16) parsed.clear();
    parsed.set(s, (v = parseIpText(s)));
  }
  return v;
}

function parseIpText(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v >>> 0;
}

export function isValidIp(s: string): boolean {
  return parseIp(s) !== null;
}

/** The address of a literal the program itself wrote (a model value already validated); throws RangeError otherwise. */
export function ipNum(s: string): number {
  const v = parseIp(s);
  if (v === null) throw new RangeError(`not an IPv4 address: ${JSON.stringify(s)}`);
  return v;
}

/** Dotted quad of an address (a bigint from a trace event is reduced to its low 32 bits). */
export function formatIp(v: number | bigint): string {
  const n = typeof v === 'bigint' ? Number(v & 0xffffffffn) : v >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The netmask of a prefix length (/24 → 0xffffff00). */
export function maskOf(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

export function maskString(len: number): string {
  return formatIp(maskOf(len));
}

const cidrs = new Map<string, { ip: number; prefix: Prefix } | null>();

/** `10.0.0.10/24` → the address and its prefix (base = the network address); null otherwise. */
export function parseCidr(s: string): { ip: number; prefix: Prefix } | null {
  let c = cidrs.get(s);
  if (c === undefined) {
    if (cidrs.size >= 1 << 16) cidrs.clear();
    cidrs.set(s, (c = parseCidrText(s)));
  }
  // A fresh object each time: callers may keep or change it.
  return c && { ip: c.ip, prefix: { base: c.prefix.base, len: c.prefix.len } };
}

/** The address of a valid CIDR as a number (no object made: for scans over every host). */
export function cidrAddress(s: string): number {
  const c = cidrs.get(s);
  return c ? c.ip : parseCidr(s)!.ip;
}

function parseCidrText(s: string): { ip: number; prefix: Prefix } | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const ip = parseIp(m[1]!);
  const len = Number(m[2]);
  if (ip === null || len > 32) return null;
  return { ip, prefix: { base: (ip & maskOf(len)) >>> 0, len } };
}

/** The address, length and network of a CIDR literal the program itself wrote; throws RangeError otherwise. */
export function cidrNum(s: string): { ip: number; len: number; base: number } {
  const c = parseCidr(s);
  if (!c) throw new RangeError(`not an IPv4 prefix: ${JSON.stringify(s)}`);
  return { ip: c.ip, len: c.prefix.len, base: c.prefix.base };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.base)}/${p.len}`;
}

export function inPrefix(ip: number, p: Prefix): boolean {
  return ((ip & maskOf(p.len)) >>> 0) === p.base >>> 0;
}

/** Whether two addresses are in the same network of length `len`. */
export function sameSubnet(a: number, b: number, len: number): boolean {
  const m = maskOf(len);
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}

export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  return inner.len >= outer.len && inPrefix(inner.base, outer);
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return prefixContains(a, b) || prefixContains(b, a);
}

export function broadcastOf(p: Prefix): number {
  return (p.base | (~maskOf(p.len) >>> 0)) >>> 0;
}

/** The classful mask Go's `IP.DefaultMask()` gives; Docker's Windows shim reports it for HNS-assigned addresses. */
export function classfulLen(ip: number): number {
  const first = ip >>> 24;
  if (first < 128) return 8;
  if (first < 192) return 16;
  return 24;
}

// ---- MAC -------------------------------------------------------------------------------------------

const MAC_RE = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

/** `00:15:5d:00:00:0a` or `00-15-5D-00-00-0A` (any case, one separator kind) → the MAC; undefined otherwise. */
export function parseMac(text: string): number | undefined {
  const m = MAC_RE.exec(text.trim());
  if (!m) return undefined;
  let v = 0;
  for (const g of [m[1], m[3], m[4], m[5], m[6], m[7]]) v = v * 256 + parseInt(g!, 16);
  return v;
}

/** The MAC of a literal the program itself wrote (dashes, colons or 12 hex digits); throws RangeError otherwise. */
export function macNum(text: string): number {
  const v = parseMac(text) ?? (/^[0-9a-f]{12}$/i.test(text) ? parseInt(text, 16) : undefined);
  if (v === undefined) throw new RangeError(`not a MAC address: ${JSON.stringify(text)}`);
  return v;
}

/** A MAC as text: 'windows' → `00-15-5D-00-00-0A` (as Windows prints it), 'colon' → `00:15:5d:00:00:0a`. */
export function formatMac(mac: number | bigint, style: 'windows' | 'colon' = 'windows'): string {
  let v = typeof mac === 'bigint' ? Number(mac & 0xffff_ffff_ffffn) : mac;
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) {
    parts.unshift((v % 256).toString(16).padStart(2, '0'));
    v = Math.floor(v / 256);
  }
  return style === 'windows' ? parts.join('-').toUpperCase() : parts.join(':');
}

/** A group (multicast or broadcast) address: the I/G bit of the first octet. */
export function isMulticastMac(mac: number): boolean {
  return Math.floor(mac / 0x100_0000_0000) % 2 === 1;
}

// ---- values given as text or numbers (table loaders, the frame builder) ---------------------------------

/** An IPv4 address as text (`10.0.0.10`) or as its host-order number. */
export type IpLike = string | number;
/** A MAC as text (dashes or colons) or as its 48-bit number. */
export type MacLike = string | number;

/** The address an IpLike names; RangeError (naming `what`) for a malformed one. */
export function ipOf(a: IpLike, what = 'address'): number {
  if (typeof a === 'number') {
    if (!Number.isInteger(a) || a < 0 || a > 0xffffffff) throw new RangeError(`${what}: not an IPv4 address: ${a}`);
    return a >>> 0;
  }
  const v = parseIp(a);
  if (v === null) throw new RangeError(`${what}: not an IPv4 address: ${JSON.stringify(a)}`);
  return v;
}

/** The MAC a MacLike names; RangeError (naming `what`) for a malformed one. */
export function macOf(m: MacLike, what = 'MAC'): number {
  if (typeof m === 'number') {
    if (!Number.isInteger(m) || m < 0 || m > 0xffff_ffff_ffff) throw new RangeError(`${what}: not a 48-bit MAC: ${m}`);
    return m;
  }
  const v = parseMac(m);
  if (v === undefined) throw new RangeError(`${what}: not a MAC address: ${JSON.stringify(m)}`);
  return v;
}

