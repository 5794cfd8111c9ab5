/**
 * Everyone can use it (issue 10, point 5): the keyboard alone reaches and operates every pane, Tab
 * leaves the editor, Enter ends a line, an automated accessibility audit (axe-core) finds no serious
 * or critical violation in either theme, a phone shows one pane at a time without sideways scrolling,
 * and resized panes are remembered.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SHOTS, freshStorage, open, scriptText, setScript } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

/** Serious and critical violations of the WCAG 2 A/AA rules, as `rule: target` lines. */
async function audit(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const r = await builder.analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

for (const theme of ['light', 'dark'] as const) {
  test(`the playground passes the axe audit in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await open(page, '/?example=15-firewall-defaults');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    expect(await audit(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Tables' }).click();
    expect(await audit(page)).toEqual([]);
  });

  test(`the docs page passes the axe audit in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/docs.html');
    const first = page.locator('packet-path-widget').first();
    await first.scrollIntoViewIfNeeded();
    await expect(first).toHaveAttribute('status', /done|idle/, { timeout: 60_000 });
    expect(await audit(page)).toEqual([]);
  });
}
