/** Helpers the playground's end-to-end tests share: opening the page, driving Monaco, waiting for runs. */
import { expect, type Locator, type Page } from '@playwright/test';

export const SHOTS = 'playwright-report/screenshots';

/** Collects console errors and uncaught page errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** How many runs the page has finished. */
export function runCount(page: Page): Promise<number> {
  return page.evaluate(() => (document.querySelector('pp-playground') as unknown as { runCount?: number } | null)?.runCount ?? 0);
}

/** Waits until the page has finished more runs than `before`. */
export async function waitForRun(page: Page, before: number): Promise<void> {
  await expect.poll(() => runCount(page), { timeout: 120_000 }).toBeGreaterThan(before);
}

/** Opens the playground and waits for its editor, its engine and the run it starts by itself. */
export async function open(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  // Attached, not visible: on a phone the editor is behind the pane switcher.
  await expect(page.locator('pp-editor .monaco-editor')).toBeAttached();
  await expect(page.locator('.engine')).toHaveText(/engine ready/, { timeout: 30_000 });
  await waitForRun(page, 0);
}

/** Replaces the script in Monaco the way a user would: select all, then type. */
export async function setScript(page: Page, text: string): Promise<void> {
  await page.locator('pp-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // Monaco auto-closes quotes; insertText types the text as one input event, as a paste would.
  await page.keyboard.insertText(text);
}

export async function scriptText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('pp-editor') as unknown as { script: string }).script);
}

/** Presses Run and waits for that run to finish. */
export async function run(page: Page): Promise<void> {
  const before = await runCount(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForRun(page, before);
}

/** Each test starts without an autosave (once per test, not on every navigation). */
export async function freshStorage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('pp-test-started')) {
      localStorage.clear();
      sessionStorage.setItem('pp-test-started', '1');
    }
  });
}

export interface LabelProblem {
  text: string;
  problem: string;
}

/** Every label of a topology drawing that is too small, leaves its box, or overlaps another label. */
export function labelProblems(topology: Locator): Promise<LabelProblem[]> {
  return topology.evaluate((host) => {
    const root = host.shadowRoot!;
    const out: { text: string; problem: string }[] = [];
    const texts = [...root.querySelectorAll<SVGTextElement>('svg text')].filter((t) => t.textContent?.trim());
    const boxes = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const px = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 1);
      if (px < 10.95) out.push({ text: t.textContent!, problem: `${px.toFixed(1)} px` });
      const g = t.closest('g.node');
      const box = g?.querySelector(':scope > rect')?.getBoundingClientRect();
      const own = g && !g.classList.contains('lan') && !g.classList.contains('group');
      const b = boxes[i];
      if (own && box && (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1)) out.push({ text: t.textContent!, problem: 'leaves its box' });
      for (let j = i + 1; j < texts.length; j++) {
        const c = boxes[j];
        const w = Math.min(b.right, c.right) - Math.max(b.left, c.left);
        const h = Math.min(b.bottom, c.bottom) - Math.max(b.top, c.top);
        if (w > 1 && h > 1) out.push({ text: `${t.textContent} / ${texts[j].textContent}`, problem: 'overlap' });
      }
    });
    return out;
  });
}
