import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as abi from '../../src/abi.js';
import { DROP, DROP_REASONS, dropReason } from '../../src/engine/drops.js';
import { STAGES, STAGE_NAMES } from '../../src/engine/stages.js';

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

describe('the stage manifest (src/engine/stages.ts)', () => {
  const abiText = readFileSync(new URL('../../assembly/abi.ts', import.meta.url), 'utf8');
  const ascStages = new Map([...abiText.matchAll(/^export const (STAGE_\w+): i32 = (\d+);$/gm)].map((m) => [m[1], Number(m[2])]));

  it('lists every stage id of assembly/abi.ts once, and only those', () => {
    const ids = STAGES.flatMap((s) => [...s.ids]).sort((a, b) => a - b);
    const asc = [...ascStages].filter(([n]) => n !== 'STAGE_COUNT').map(([, v]) => v).sort((a, b) => a - b);
    expect(ids).toEqual(asc);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids) + 1).toBe(ascStages.get('STAGE_COUNT'));
  });

  it('keeps each stage\'s drop codes inside its range, and names them after the stage', () => {
    for (const s of STAGES) {
      for (const d of s.drops) {
        expect(d.code, d.name).toBeGreaterThanOrEqual(s.codes[0]);
        expect(d.code, d.name).toBeLessThanOrEqual(s.codes[1]);
        const prefix = (s.names[0] ?? '').toUpperCase().replace(/-ENCAP$|-DECAP$/, '').replace('-', '_');
        expect(d.name.startsWith(prefix), `${d.name} belongs to ${s.names[0]}`).toBe(true);
      }
    }
  });

  it('gives every stage that makes hops its SPEC §5 name, and typed constants for every drop', () => {
    expect(STAGE_NAMES[abi.STAGE_VLAN_OUT]).toBe('vlan');
    expect(STAGE_NAMES[abi.STAGE_GUARD]).toBeUndefined();
    for (const d of DROP_REASONS) expect(DROP[d.name as keyof typeof DROP]).toBe(d.code);
  });
});
