// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import './pp-tables.js';
import type { PpTables } from './pp-tables.component.js';
import type { RunResult } from '../../../src/result.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;

async function mount(step: number): Promise<PpTables> {
  const el = document.createElement('pp-tables');
  el.world = fixture.snapshots![step];
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function tab(el: PpTables, label: string): HTMLButtonElement {
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((b) => b.textContent!.includes(label))!;
}

describe('<pp-tables>', () => {
  it('shows the tables as of the given step', async () => {
    const before = await mount(1);
    expect(before.shadowRoot!.textContent).toContain('No container endpoints');
    before.remove();
    const after = await mount(9);
    expect(after.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(2);
    after.remove();
  });

  it('shows the WinNAT static mapping and the NAT sessions', async () => {
    const el = await mount(9);
    tab(el, 'WinNAT').click();
    await el.updateComplete;
    const row = el.shadowRoot!.querySelector('tbody tr')!;
    expect([...row.querySelectorAll('td')].slice(0, 6).map((t) => t.textContent)).toEqual(['H5E1C2A7B-webnat', 'TCP', '0.0.0.0', '8080', '172.16.1.2', '80']);
    tab(el, 'NAT sessions').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(2);
    el.remove();
  });

  it('lists ACL rules by port and priority with their hit counters highlighted', async () => {
    const el = await mount(8);
    tab(el, 'ACL').click();
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')];
    const block = rows.find((r) => r.textContent!.includes('block-web'))!;
    expect(block.classList.contains('hit')).toBe(true);
    expect(block.querySelector('.block')!.textContent).toBe('Block');
    // db's rules come first, In before Out, lowest priority number first.
    expect(rows[0].textContent).toContain('block-web');
    el.remove();
  });
});
