// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import './pp-bench.js';
import type { PpBench, BenchFigures } from './pp-bench.component.js';
import type { BenchResult } from '../../../src/bench/types.js';

const r = (name: string, mpps: number): BenchResult => ({ name, stage: 'nat', impl: 'wasm', params: { batch: 256 }, mpps, nsPerPacket: 1000 / mpps, runs: 5, min: mpps, median: mpps, max: mpps, unit: 'packets' });

describe('<pp-bench>', () => {
  it('shows browser and Node figures side by side, each labelled', async () => {
    const el = document.createElement('pp-bench') as PpBench;
    el.browser = { runtime: 'Chromium', cpu: '2 logical cores', results: [r('nat-established', 20), r('acl-1000', 5)] } as BenchFigures;
    el.node = { node: 'v20.20.2', cpu: 'x', results: [r('nat-established', 25)] };
    document.body.append(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('.explain')!.textContent).toMatch(/Browser.*Web Worker.*Node.*packet-path bench --json/s);
    const rows = [...root.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows[0].slice(2, 6)).toEqual(['Mpps', '20.0', '25.0', '80 %']);
    expect(rows[1].slice(3, 5)).toEqual(['5.00', '—']);
    el.remove();
  });

  it('explains each workload, gives its unit and target, and draws the figures as bars', async () => {
    const el = document.createElement('pp-bench') as PpBench;
    const sessions: BenchResult = { ...r('nat-new', 4), stage: 'nat', unit: 'sessions' };
    el.browser = { runtime: 'Chromium', cpu: '2', results: [r('pipeline', 3.6), sessions] } as BenchFigures;
    el.node = { node: 'v20.20.2', cpu: 'x', results: [r('pipeline', 7.2)], measured: '2026-11-28', mode: 'quick' };
    document.body.append(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const [pipe, nat] = [...root.querySelectorAll('tbody tr')];
    expect(pipe.querySelector('.what')!.textContent).toContain('parse → ACL 1k → NAT 64k');
    expect(pipe.querySelector('.unit')!.textContent).toBe('Mpps');
    expect(nat.querySelector('.unit')!.textContent).toBe('M new sessions/s');
    expect(pipe.querySelector('.target')!.textContent).toContain('14.88');
    // Bars: the browser at half of Node's figure, the target the longest.
    const width = (cls: string) => parseFloat((pipe.querySelector(`.chart-bar.${cls}`) as HTMLElement).style.width);
    expect(width('t')).toBe(100);
    expect(width('b') / width('n')).toBeCloseTo(0.5, 2);
    expect(root.querySelector('.explain')!.textContent).toContain('measured 2026-11-28, quick');
    el.remove();
  });

  it('says which workloads failed, beside the figures of the others', async () => {
    const el = document.createElement('pp-bench') as PpBench;
    el.browser = { runtime: 'Chromium', cpu: '2', results: [r('nat-established', 20)], errors: [{ name: 'acl', error: 'memory access out of bounds' }] };
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.error')!.textContent).toContain('1 workload failed in this browser: acl (memory access out of bounds)');
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(1);
    el.remove();
  });

  it('asks the playground to run when the button is pressed', async () => {
    const el = document.createElement('pp-bench') as PpBench;
    document.body.append(el);
    await el.updateComplete;
    const got: boolean[] = [];
    el.addEventListener('pp-bench-run', (e) => got.push(e.detail.quick));
    (el.shadowRoot!.querySelector('button.primary') as HTMLButtonElement).click();
    expect(got).toEqual([true]);
    el.remove();
  });
});
