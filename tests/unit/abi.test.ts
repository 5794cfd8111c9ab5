import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as abi from '../../src/abi.js';

/** Evaluates `export const NAME: i32 = EXPR;` lines of assembly/abi.ts, resolving earlier names. */
function asConstants(): Map<string, number> {
  const text = readFileSync(new URL('../../assembly/abi.ts', import.meta.url), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+): \w+ = (.+);$/gm)) {
    const expr = m[2].replace(/[A-Z_][A-Z0-9_]*/g, (name) => {
      const v = out.get(name);
      if (v === undefined) throw new Error(`unknown name ${name} in assembly/abi.ts`);
      return String(v);
    });
    out.set(m[1], Function(`return (${expr});`)() as number);
  }
  return out;
}

describe('ABI layout constants', () => {
  const asc = asConstants();
  const ts = Object.entries(abi).filter(([, v]) => typeof v === 'number') as [string, number][];

  it('declares every TypeScript constant in AssemblyScript with the same value', () => {
    expect(ts.length).toBeGreaterThan(40);
    for (const [name, value] of ts) expect(asc.get(name), name).toBe(value);
  });

  it('declares nothing in AssemblyScript that TypeScript lacks', () => {
    const names = new Set(ts.map(([n]) => n));
    for (const name of asc.keys()) expect(names.has(name), name).toBe(true);
  });

  it('keeps descriptor fields inside the descriptor and apart from each other', () => {
    const fields: [string, number, number][] = [
      ['D_DATA', abi.D_DATA, 4], ['D_LEN', abi.D_LEN, 2], ['D_L3', abi.D_L3, 1], ['D_L4', abi.D_L4, 1],
      ['D_IN_PORT', abi.D_IN_PORT, 2], ['D_OUT_PORT', abi.D_OUT_PORT, 2], ['D_VLAN', abi.D_VLAN, 2],
      ['D_NEXT', abi.D_NEXT, 1], ['D_DROP', abi.D_DROP, 1], ['D_ETHERTYPE', abi.D_ETHERTYPE, 2],
      ['D_PROTO', abi.D_PROTO, 1], ['D_FLAGS', abi.D_FLAGS, 1], ['D_AUX', abi.D_AUX, 4],
      ['D_CTX', abi.D_CTX, 4], ['D_HASH', abi.D_HASH, 4],
    ];
    const used = new Array(abi.DESC_SIZE).fill('');
    for (const [name, off, size] of fields) {
      expect(off % size, `${name} alignment`).toBe(0);
      for (let b = off; b < off + size; b++) {
        expect(b, `${name} inside the descriptor`).toBeLessThan(abi.DESC_SIZE);
        expect(used[b], `${name} overlaps ${used[b]}`).toBe('');
        used[b] = name;
      }
    }
    expect(abi.HEADROOM).toBeGreaterThanOrEqual(128);
    expect(abi.SLOT_SIZE).toBeGreaterThanOrEqual(2048);
  });
});
