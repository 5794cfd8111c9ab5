/**
 * IPv4 arithmetic for the control plane: addresses as unsigned 32-bit numbers, prefixes as
 * {base, len}. Nothing here knows about Windows; it is the shared vocabulary of IPAM, WinNAT,
 * routes and the DNS table.
 */

export interface Prefix {
  base: number;
  len: number;
}

/** Parsed addresses by text: a world repeats a few thousand address strings in every scan. */
const parsed = new Map<string, number | null>();

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

export function formatIp(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** `10.0.0.10/24` → {ip, prefix}; the prefix's base is the network address. */
export function parseCidr(s: string): { ip: number; prefix: Prefix } | null {
  let c = cidrs.get(s);
  if (c === undefined) {
    if (cidrs.size >= 1 << 16) cidrs.clear();
    cidrs.set(s, (c = parseCidrText(s)));
  }
  // A fresh object each time: callers may keep or change it.
  return c && { ip: c.ip, prefix: { base: c.prefix.base, len: c.prefix.len } };
}

const cidrs = new Map<string, { ip: number; prefix: Prefix } | null>();

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

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.base)}/${p.len}`;
}

export function inPrefix(ip: number, p: Prefix): boolean {
  return ((ip & maskOf(p.len)) >>> 0) === p.base;
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

export function maskString(len: number): string {
  return formatIp(maskOf(len));
}

/** The classful mask Go's `IP.DefaultMask()` gives; Docker's Windows shim reports it for HNS-assigned addresses. */
export function classfulLen(ip: number): number {
  const first = ip >>> 24;
  if (first < 128) return 8;
  if (first < 192) return 16;
  return 24;
}

export function isValidIp(s: string): boolean {
  return parseIp(s) !== null;
}
