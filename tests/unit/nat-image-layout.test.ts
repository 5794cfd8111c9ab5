/** The NAT configuration image's layout is named once per side and both sides agree. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as nat from '../../src/table-images/nat.js';

describe('NAT image layout', () => {
  const text = readFileSync(new URL('../../assembly/tables/nat-table.ts', import.meta.url), 'utf8');
  const asc = new Map([...text.matchAll(/^export const ((?:NI|NIF|NP|NS)_\w+|NAT_IMAGE_\w+|NAT_PREFIX_SIZE|NAT_STATIC_IMAGE_SIZE): \w+ = (0x[0-9a-f]+|\d+);/gm)].map((m) => [m[1]!, Number(m[2])]));

  it('declares the same header fields, flags and record fields in AssemblyScript and TypeScript', () => {
    const ts = Object.entries(nat).filter(([k, v]) => typeof v === 'number' && /^(NI|NIF|NP|NS)_|^NAT_IMAGE_|^NAT_PREFIX_SIZE$|^NAT_STATIC_IMAGE_SIZE$/.test(k));
    expect(ts.length).toBeGreaterThan(20);
    for (const [k, v] of ts) expect(asc.get(k), k).toBe(v);
    expect(asc.size).toBe(ts.length);
  });

  it('keeps the header fields inside the header and apart', () => {
    const fields = Object.entries(nat).filter(([k]) => k.startsWith('NI_')).map(([, v]) => v as number).sort((a, b) => a - b);
    fields.forEach((f, i) => {
      expect(f + 4).toBeLessThanOrEqual(nat.NAT_IMAGE_HEADER);
      if (i) expect(f - fields[i - 1]!).toBeGreaterThanOrEqual(4);
    });
  });
});
