import { describe, it, expect } from 'vitest';
import { DEFAULT_RUN_BUDGET, RunBudget } from '../../src/worker/budget.js';

/** A clock the test moves by hand. */
function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const quiet = (line: number) => ({ line, output: 'ok', error: null, warnings: [] });

describe('worker run budgets', () => {
  it('has documented defaults: 30 s of non-flood work, 20 MB of output', () => {
    expect(DEFAULT_RUN_BUDGET).toEqual({ ms: 30_000, outputChars: 20_000_000 });
  });

  it('stops a run whose commands together take longer than the time budget, naming the last line run', () => {
    const c = clock();
    const b = new RunBudget({ ms: 1000 }, c.now);
    c.advance(600);
    b.step(quiet(3));
    expect(b.exceeded()).toBe(false);
    c.advance(500);
    b.step(quiet(4));
    expect(b.exceeded()).toBe(true);
    expect(b.stop).toMatchObject({ reason: 'time', stepsRun: 2 });
    expect(b.stop!.message).toBe('Stopped after line 4: the run took longer than its 1 s time budget (floods are not counted). The commands after it did not run.');
  });

  it('does not count a flood against the time budget (its budget is its packet count)', () => {
    const c = clock();
    const b = new RunBudget({ ms: 1000 }, c.now);
    c.advance(100);
    b.step(quiet(1));
    c.advance(10);
    b.progress();
    c.advance(50_000);
    expect(b.exceeded()).toBe(false);
    b.step(quiet(2));
    // The whole flood command is left out, from its start to its end.
    expect(b.spentMs()).toBe(100);
    c.advance(950);
    expect(b.exceeded()).toBe(true);
  });

  it('stops a run past its output budget', () => {
    const b = new RunBudget({ outputChars: 100 }, clock().now);
    b.step({ line: 1, output: 'x'.repeat(60), error: null, warnings: [] });
    expect(b.exceeded()).toBe(false);
    b.step({ line: 2, output: 'y'.repeat(30), error: 'e'.repeat(5), warnings: ['w'.repeat(10)] });
    expect(b.exceeded()).toBe(true);
    expect(b.stop).toMatchObject({ reason: 'output', stepsRun: 2 });
    expect(b.stop!.message).toMatch(/^Stopped at line 2: the run printed more than/);
    expect(b.stop!.message).toContain('its 100 characters output budget');
  });
});
