/**
 * Guards as table images: the terms of a program's per-packet decisions (stage guard,
 * assembly/stages/guard.ts, which documents the semantics) validated and encoded in the layout
 * assembly/tables/guard-table.ts reads (tests/unit/guard.test.ts checks both sides agree).
 *
 * A guard passes when (some term matches) XOR negate; a term matches when every field it sets
 * matches. Prefix bases are masked to their length.
 */
import { maskOf } from '../addr.js';

export interface GuardTerm {
  srcIp?: { base: number; len: number };
  dstIp?: { base: number; len: number };
  proto?: number;
  sport?: { lo: number; hi: number };
  dport?: { lo: number; hi: number };
  srcMac?: number;
  dstMac?: number;
  flags?: number;
  opensFlow?: boolean;
}

export interface Guard {
  terms: GuardTerm[];
  negate?: boolean;
}

// Mirror of assembly/tables/guard-table.ts (tests/unit/guard.test.ts checks they agree).
export const GUARD_MAX_GUARDS = 1048576;
export const GUARD_MAX_TERMS = 131072;
export const GUARD_TERM_SIZE = 64;
export const GT_FIELDS = 0;
export const GT_SRC_NET = 4;
export const GT_SRC_MASK = 8;
export const GT_DST_NET = 12;
export const GT_DST_MASK = 16;
export const GT_SPORT = 20;
export const GT_DPORT = 24;
export const GT_PROTO = 28;
export const GT_FLAGS = 29;
export const GT_OPENS = 30;
export const GT_SRC_MAC = 32;
export const GT_DST_MAC = 40;
export const G_SRC_IP = 1;
export const G_DST_IP = 2;
export const G_PROTO = 4;
export const G_SPORT = 8;
export const G_DPORT = 16;
export const G_SRC_MAC = 32;
export const G_DST_MAC = 64;
export const G_FLAGS = 128;
export const G_OPENS_FLOW = 256;

/** A validated guard (normalizeGuard): prefix bases masked, negate explicit. */
export interface NormalGuard {
  terms: GuardTerm[];
  negate: boolean;
}


/** `v` when it is an integer in 0..max; RangeError otherwise. */
export function checked(what: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`guard ${what} ${v} not in 0..${max}`);
  return v;
}

function normalizePrefix(what: string, p: { base: number; len: number }): { base: number; len: number } {
  const len = checked(`${what} prefix length`, p.len, 32);
  return { base: (checked(`${what} prefix base`, p.base, 0xffffffff) & maskOf(len)) >>> 0, len };
}

function normalizeRange(what: string, r: { lo: number; hi: number }): { lo: number; hi: number } {
  checked(`${what} low`, r.lo, 0xffff);
  checked(`${what} high`, r.hi, 0xffff);
  if (r.lo > r.hi) throw new RangeError(`guard ${what} range ${r.lo}-${r.hi} is empty`);
  return { lo: r.lo, hi: r.hi };
}

/** Validates a guard (RangeError when no core could load it) and returns it with prefix bases masked
 *  and only the fields that are set. */
export function normalizeGuard(guard: Guard): NormalGuard {
  if (!Array.isArray(guard.terms)) throw new RangeError('guard terms must be an array');
  if (guard.terms.length > GUARD_MAX_TERMS) throw new RangeError(`guard has ${guard.terms.length} terms; at most ${GUARD_MAX_TERMS}`);
  const terms = guard.terms.map((t) => {
    const out: GuardTerm = {};
    if (t.srcIp !== undefined) out.srcIp = normalizePrefix('source', t.srcIp);
    if (t.dstIp !== undefined) out.dstIp = normalizePrefix('destination', t.dstIp);
    if (t.proto !== undefined) out.proto = checked('protocol', t.proto, 255);
    if (t.sport !== undefined) out.sport = normalizeRange('source port', t.sport);
    if (t.dport !== undefined) out.dport = normalizeRange('destination port', t.dport);
    if (t.srcMac !== undefined) out.srcMac = checked('source MAC', t.srcMac, 2 ** 48 - 1);
    if (t.dstMac !== undefined) out.dstMac = checked('destination MAC', t.dstMac, 2 ** 48 - 1);
    if (t.flags !== undefined) out.flags = checked('flags', t.flags, 255);
    if (t.opensFlow !== undefined) out.opensFlow = !!t.opensFlow;
    return out;
  });
  return { terms, negate: !!guard.negate };
}

/** Writes one term's GUARD_TERM_SIZE bytes at `p`. */
export function encodeGuardTerm(dv: DataView, p: number, t: GuardTerm): void {
  for (let b = 0; b < GUARD_TERM_SIZE; b += 4) dv.setUint32(p + b, 0, true);
  let fields = 0;
  if (t.srcIp) {
    fields |= G_SRC_IP;
    dv.setUint32(p + GT_SRC_NET, t.srcIp.base, true);
    dv.setUint32(p + GT_SRC_MASK, maskOf(t.srcIp.len), true);
  }
  if (t.dstIp) {
    fields |= G_DST_IP;
    dv.setUint32(p + GT_DST_NET, t.dstIp.base, true);
    dv.setUint32(p + GT_DST_MASK, maskOf(t.dstIp.len), true);
  }
  if (t.proto !== undefined) {
    fields |= G_PROTO;
    dv.setUint8(p + GT_PROTO, t.proto);
  }
  if (t.sport) {
    fields |= G_SPORT;
    dv.setUint32(p + GT_SPORT, (t.sport.lo | (t.sport.hi << 16)) >>> 0, true);
  }
  if (t.dport) {
    fields |= G_DPORT;
    dv.setUint32(p + GT_DPORT, (t.dport.lo | (t.dport.hi << 16)) >>> 0, true);
  }
  if (t.srcMac !== undefined) {
    fields |= G_SRC_MAC;
    dv.setBigUint64(p + GT_SRC_MAC, BigInt(t.srcMac), true);
  }
  if (t.dstMac !== undefined) {
    fields |= G_DST_MAC;
    dv.setBigUint64(p + GT_DST_MAC, BigInt(t.dstMac), true);
  }
  if (t.flags !== undefined) {
    fields |= G_FLAGS;
    dv.setUint8(p + GT_FLAGS, t.flags);
  }
  if (t.opensFlow !== undefined) {
    fields |= G_OPENS_FLOW;
    dv.setUint8(p + GT_OPENS, t.opensFlow ? 1 : 0);
  }
  dv.setUint32(p + GT_FIELDS, fields, true);
}

