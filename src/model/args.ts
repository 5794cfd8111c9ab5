/**
 * Reading the parsed flags of src/script/ast.ts the way each tool reads them. Flag names are
 * canonical long names (`-d` → `driver` for network create, `detach` for run); the helpers take
 * every spelling a parser might hand over, so the model does not depend on the parser's aliasing.
 */
import type { Flag, Word } from '../script/ast.js';

export function flagValues(flags: Flag[], ...names: string[]): string[] {
  // Asked a dozen times per command: a loop, no Set or lowercased copies unless a name differs in case.
  const out: string[] = [];
  for (const f of flags) {
    if (names.some((n) => n === f.name || (n.length === f.name.length && n.toLowerCase() === f.name.toLowerCase())))
      out.push(f.value === true ? 'true' : f.value);
  }
  return out;
}

export function flagValue(flags: Flag[], ...names: string[]): string | undefined {
  const v = flagValues(flags, ...names);
  return v.length ? v[v.length - 1] : undefined;
}

export function hasFlag(flags: Flag[], ...names: string[]): boolean {
  return flagValues(flags, ...names).length > 0;
}

/** A boolean flag: bare (`--attachable`) or with a value (`--attachable=false`). */
export function boolFlag(flags: Flag[], ...names: string[]): boolean {
  const v = flagValue(flags, ...names);
  if (v === undefined) return false;
  return !/^(false|0|off|no)$/i.test(v);
}

export function words(ws: Word[]): string[] {
  return ws.map((w) => w.value);
}

/** `k=v` option list (`-o`) → ordered entries; values keep inner commas. */
export function keyValues(values: string[]): [string, string][] {
  return values.map((v) => {
    const i = v.indexOf('=');
    return i < 0 ? [v, ''] : [v.slice(0, i), v.slice(i + 1)];
  });
}

/** The seed's teaming list: `"Ethernet 2", "Ethernet 3"` (quotes may or may not survive the parser). */
export function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim().replace(/^["']|["']$/g, '').trim())
    .filter((s) => s.length > 0);
}

export function unknownFlagNames(flags: Flag[], known: string[]): Flag[] {
  const set = new Set(known.map((k) => k.toLowerCase()));
  return flags.filter((f) => !set.has(f.name.toLowerCase()));
}
