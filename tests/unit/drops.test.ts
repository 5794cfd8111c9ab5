import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DROP_REASONS, dropReason } from '../../src/engine/drops.js';

describe('drop reasons', () => {
  const text = readFileSync(new URL('../../assembly/drops.ts', import.meta.url), 'utf8');
  const asc = new Map([...text.matchAll(/^export const DROP_(\w+): u8 = (\d+);$/gm)].map((m) => [m[1], Number(m[2])]));

  it('has the same names and codes in AssemblyScript and TypeScript', () => {
    expect(asc.size).toBe(DROP_REASONS.length);
    for (const d of DROP_REASONS) expect(asc.get(d.name), d.name).toBe(d.code);
  });

  it('has unique codes in 1..255 and a human text for each', () => {
    const codes = new Set<number>();
    for (const d of DROP_REASONS) {
      expect(codes.has(d.code), `duplicate code ${d.code}`).toBe(false);
      codes.add(d.code);
      expect(d.code).toBeGreaterThan(0);
      expect(d.code).toBeLessThan(256);
      expect(d.text.length).toBeGreaterThan(5);
    }
    expect(dropReason(250).name).toBe('UNKNOWN_250');
  });
});
