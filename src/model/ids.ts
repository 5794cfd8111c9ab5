/**
 * Deterministic identifiers. Every ID, GUID and MAC the simulated hosts hand out comes from one
 * seeded generator kept in the world, so a script run twice with the same seed prints the same
 * transcript, and a failing command (whose world copy is discarded) consumes nothing.
 */
import { formatMac as formatMacValue, parseMac as parseMacValue } from '../addr.js';

/** splitmix32: small, fast, good enough for identifiers; state is one uint32. */
export function nextRandom(state: { rngState: number }): number {
  let z = (state.rngState = (state.rngState + 0x9e3779b9) >>> 0);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexBytes(state: { rngState: number }, n: number): string {
  // One read and one write of the world's state (a write inside a command is recorded for undo).
  const local = { rngState: state.rngState };
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[nextRandom(local) & 255];
  state.rngState = local.rngState;
  return s;
}

/** A Docker object ID: 64 lowercase hex digits. */
export function dockerId(state: { rngState: number }): string {
  return hexBytes(state, 32);
}

/** A Windows GUID as HNS prints it: upper case, 8-4-4-4-12. */
export function guid(state: { rngState: number }): string {
  const h = hexBytes(state, 16).toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89AB'[nextRandom(state) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A swarm object ID (node, service, task, swarm-scope network): 25 base-36 characters. */
export function swarmId(state: { rngState: number }): string {
  const local = { rngState: state.rngState };
  let s = '';
  for (let i = 0; i < 25; i++) s += BASE36[nextRandom(local) % 36];
  state.rngState = local.rngState;
  return s;
}

/** FNV-1a over a string, for choices that must depend on a name and the seed but not on order. */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** MAC as six numbers → Windows form `00-15-5D-0A-1B-2C`. */
export function formatMac(bytes: number[]): string {
  return formatMacValue(bytes.reduce((v, b) => v * 256 + b, 0));
}

/** Docker prints MACs lower case with colons. */
export function dockerMac(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}

/** A MAC as the user wrote it (dashes or colons) → Windows form, or null when it is not one. */
export function parseMac(s: string): string | null {
  const v = parseMacValue(s);
  return v === undefined ? null : formatMacValue(v);
}

/**
 * An HNS object ID as the host's HNS prints it: upper case up to ws2019 (HNS 9.x JSON),
 * lower case on ws2022 (HNS 15, observed in Get-HnsEndpoint output).
 */
export function hnsGuid(state: { rngState: number }, build: number): string {
  const g = guid(state);
  return build >= 20348 ? g.toLowerCase() : g;
}
