// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import './pp-transcript.js';
import type { PpTranscript } from './pp-transcript.component.js';
import type { RunResult } from '../../../src/result.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;

async function mount(selected = -1): Promise<PpTranscript> {
  const el = document.createElement('pp-transcript');
  el.steps = fixture.steps;
  el.expectations = fixture.expectations;
  el.selected = selected;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<pp-transcript>', () => {
  it('shows a PowerShell prompt per command, with the host when there are several', async () => {
    const el = await mount();
    const cmds = [...el.shadowRoot!.querySelectorAll('.cmd')];
    expect(cmds).toHaveLength(fixture.steps.length);
    expect(cmds[1].textContent).toContain('PS C:\\>');
    expect(cmds[1].textContent).toContain('docker network create -d nat');
    // Steps ran on host1 and on the laptop: the prompt names the host.
    expect(cmds[5].querySelector('.host')!.textContent).toBe('[laptop]');
    el.remove();
  });

  it('styles output, errors and warnings apart, and marks traffic and expectations', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const failed = root.querySelector('[data-line="10"]')!;
    expect(failed.classList.contains('failed')).toBe(true);
    expect(failed.querySelector('.error')!.textContent).toContain('Timed out');
    expect(failed.querySelector('.tag.trace.dropped')).not.toBeNull();
    expect(failed.querySelector('.tag.pass')!.textContent).toContain('expectation held');
    expect(root.querySelector('[data-line="11"] .warning')!.textContent).toMatch(/^WARNING: /);
    expect(root.querySelector('[data-line="11"] .out')!.textContent).toContain('InternalIPInterfaceAddressPrefix');
    el.remove();
  });

  it('counts a probe whose TTL ran out (tracert, ping -i) as expired, not failed', async () => {
    // Example 53: tracert's probes with TTL 1 are meant to expire at the first hop, which answers
    // with ICMP Time Exceeded; the step succeeded and nothing about it is a failure.
    const { runScript } = await import('../../../src/index.js');
    const r = await runScript('host h --os ws2019\nclient laptop --ip 10.0.0.50\ndocker run -d --name web mcr.microsoft.com/windows/servercore/iis\ndocker exec web tracert -d 10.0.0.50', { trace: true });
    const el = document.createElement('pp-transcript');
    el.steps = r.steps;
    el.expectations = [];
    document.body.append(el);
    await el.updateComplete;
    const tag = el.shadowRoot!.querySelector('[data-line="4"] .tag.trace')!;
    expect(tag.textContent).toMatch(/3 expired/);
    expect(tag.textContent).not.toMatch(/failed/);
    expect(tag.classList.contains('dropped')).toBe(false);
    el.remove();
  });

  it('emits pp-select-step on click and on arrow keys', async () => {
    const el = await mount(2);
    const got: number[] = [];
    el.addEventListener('pp-select-step', (e) => got.push(e.detail.index));
    (el.shadowRoot!.querySelector('[data-index="6"]') as HTMLElement).click();
    el.shadowRoot!.querySelector('.console')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(got).toEqual([6, 3]);
    expect(el.shadowRoot!.querySelector('[data-index="2"]')!.getAttribute('aria-selected')).toBe('true');
    el.remove();
  });

  it('offers "Why?" only on failed lines, and only with whyAction (the playground, not the widget); a click or W asks it', async () => {
    const plain = await mount();
    expect(plain.shadowRoot!.querySelector('.why')).toBeNull();
    plain.remove();
    const el = await mount();
    el.whyAction = true;
    await el.updateComplete;
    const root = el.shadowRoot!;
    // Line 10 failed under expect-fail: its expectation held, so there is nothing to explain.
    expect(root.querySelector('[data-line="10"]')!.classList.contains('failed')).toBe(true);
    expect(root.querySelectorAll('.why')).toHaveLength(0);
    // Now its expectation fails, and line 3 (no expectation) fails too.
    el.expectations = [{ line: 10, ok: false, message: 'the command failed' }];
    el.steps = fixture.steps.map((s) => (s.line === 3 ? { ...s, ok: false, error: 'boom' } : s));
    await el.updateComplete;
    expect([...root.querySelectorAll('.why')].map((b) => b.closest('.step')!.getAttribute('data-line'))).toEqual(['3', '10']);
    const asked: number[] = [];
    el.addEventListener('pp-why', (e) => asked.push(e.detail.line));
    (root.querySelector('[data-line="10"] .why') as HTMLElement).click();
    el.selected = el.steps.findIndex((s) => s.line === 3);
    await el.updateComplete;
    root.querySelector('.console')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'w', bubbles: true }));
    // W on a step that did not fail asks nothing.
    el.selected = el.steps.findIndex((s) => s.line === 4);
    await el.updateComplete;
    root.querySelector('.console')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'w', bubbles: true }));
    expect(asked).toEqual([10, 3]);
    el.remove();
  });
});
