// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import './pp-flow.js';
import { dropHop, responsibleLine, type PpFlow } from './pp-flow.component.js';
import type { RunResult } from '../../../src/result.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;
const script = readFileSync('tests/e2e/fixtures/nat-published.pp', 'utf8');

async function mount(stepIndex: number, hop = 0, packet = 0): Promise<PpFlow> {
  const el = document.createElement('pp-flow');
  el.step = fixture.steps[stepIndex];
  el.script = script;
  el.packet = packet;
  el.hop = hop;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<pp-flow>', () => {
  it('lists the packets of the step and the hops of the selected one', async () => {
    const el = await mount(5);
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('.packet .summary')].map((e) => e.textContent)).toEqual([
      'TCP 10.0.0.50:51000 > 10.0.0.10:8080 [S]',
      'TCP 172.16.1.2:80 > 10.0.0.50:51000 [S.]',
    ]);
    expect(root.querySelectorAll('tbody tr')).toHaveLength(7);
    el.remove();
  });

  it('shows the NAT rewrite hop with its fields before → after, highlighted', async () => {
    const el = await mount(5, 2);
    const row = el.shadowRoot!.querySelectorAll('tbody tr')[2];
    expect(row.classList.contains('current')).toBe(true);
    expect(row.classList.contains('changed')).toBe(true);
    expect(row.textContent).toContain('WinNAT');
    const changes = [...row.querySelectorAll('.change')].map((c) => [c.querySelector('.field')!.textContent, c.querySelector('.before')!.textContent, c.querySelector('.after')!.textContent]);
    expect(changes).toEqual([['ip.dst', '10.0.0.10', '172.16.1.2'], ['tcp.dport', '8080', '80']]);
    el.remove();
  });

  it('steps through hops with the buttons and the arrow keys (as pp-hop requests)', async () => {
    const el = await mount(5, 2);
    const got: number[] = [];
    el.addEventListener('pp-hop', (e) => got.push(e.detail.hop));
    (el.shadowRoot!.querySelector('[aria-label="Next hop"]') as HTMLButtonElement).click();
    (el.shadowRoot!.querySelector('[aria-label="Previous hop"]') as HTMLButtonElement).click();
    el.shadowRoot!.querySelector('.flow')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(got).toEqual([3, 1, 6]);
    el.remove();
  });

  it('names a drop\'s reason and the script line responsible', async () => {
    const el = await mount(8);
    const drop = el.shadowRoot!.querySelector('.drop')!;
    expect(drop.textContent).toContain('Dropped');
    expect(drop.textContent).toContain('block-web');
    expect(drop.textContent).toContain('line 9');
    expect(drop.querySelector('code')!.textContent).toContain('netsh advfirewall firewall add rule name=block-web');
    const lines: number[] = [];
    el.addEventListener('pp-reveal-line', (e) => lines.push(e.detail.line));
    (drop.querySelector('button') as HTMLButtonElement).click();
    expect(lines).toEqual([9]);
    el.remove();
  });

  it('finds the deciding hop and the responsible line', () => {
    const step = fixture.steps[8];
    const p = step.traces[0].packets[0];
    expect(dropHop(p)).toBe(2);
    expect(responsibleLine(p, step)).toBe(9);
    expect(responsibleLine(fixture.steps[5].traces[0].packets[0], fixture.steps[5])).toBe(7);
  });

  it('shows a tracert probe whose TTL ran out as expired, not dropped, and names the tracert line', async () => {
    // Example 53: a TTL-1 probe expires at the first routing hop on purpose (ICMP Time Exceeded answers
    // it); the inspector must not mark it ✗ nor blame the `host` line.
    const { runScript } = await import('../../../src/index.js');
    const text = 'host h --os ws2019\nclient laptop --ip 10.0.0.50\ndocker run -d --name web mcr.microsoft.com/windows/servercore/iis\ndocker exec web tracert -d 10.0.0.50';
    const r = await runScript(text, { trace: true });
    const step = r.steps[3]!;
    const at = step.traces[0]!.packets.findIndex((p) => p.dropReason === 'TTL expired in transit');
    expect(at).toBeGreaterThanOrEqual(0);
    const p = step.traces[0]!.packets[at]!;
    expect(responsibleLine(p, step)).toBe(4);
    const el = document.createElement('pp-flow');
    el.step = step;
    el.script = text;
    el.packet = at;
    document.body.append(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const glyph = root.querySelectorAll('.packet .verdict')[at]!;
    expect(glyph.textContent).toContain('TTL expired');
    expect(glyph.textContent).not.toContain('✗');
    expect(glyph.classList.contains('expired')).toBe(true);
    expect(root.querySelector('.drop')).toBeNull();
    const note = root.querySelector('.expired-note')!;
    expect(note.textContent).toContain('Time Exceeded');
    expect(note.textContent).toContain('line 4');
    el.remove();
  });

  it('says when a step sent no packets', async () => {
    const el = await mount(1);
    expect(el.shadowRoot!.textContent).toContain('sent no packets');
    el.remove();
  });
});
