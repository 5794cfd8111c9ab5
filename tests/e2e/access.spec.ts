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
    await page.getByRole('tab', { name: 'Tables', exact: true }).click();
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

test('Enter at the end of a line ends the line, even with completions open; Tab accepts one', async ({ page }) => {
  await open(page);
  await setScript(page, 'docker net');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect.poll(() => scriptText(page)).toBe('docker net\n');
  await page.keyboard.insertText('docker net');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect.poll(() => scriptText(page)).toMatch(/^docker net\ndocker network/);
});

/** What has the focus, in words: the element's role or tag, its label, and the pane it is in. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return 'body';
    const pane = (el.closest('section.pane') ?? (el.getRootNode() as ShadowRoot).host?.closest('section.pane'))?.getAttribute('aria-label') ?? '';
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
    const inMonaco = !!el.closest('.monaco-editor');
    return `${pane}|${inMonaco ? 'monaco' : el.getAttribute('role') ?? el.tagName.toLowerCase()}|${label}`;
  });
}

test('keyboard only: Tab walks through every pane and out of the editor; each pane works from the keyboard', async ({ page }) => {
  await open(page, '/?example=15-firewall-defaults');
  await page.locator('body').focus();
  const seen: string[] = [];
  for (let k = 0; k < 60; k++) {
    await page.keyboard.press('Tab');
    seen.push(await focused(page));
  }
  const where = (re: RegExp) => seen.findIndex((s) => re.test(s));
  // The toolbar, then the editor, out of it again, and on through the other panes.
  expect(where(/\|select\|Examples/)).toBeGreaterThanOrEqual(0);
  const editor = where(/^Script\|monaco/);
  expect(editor).toBeGreaterThanOrEqual(0);
  expect(seen[editor + 1]).not.toMatch(/monaco/);
  expect(where(/^Transcript\|listbox/)).toBeGreaterThan(editor);
  expect(where(/^Topology\|img/)).toBeGreaterThan(editor);
  expect(where(/^Details\|tab\|/)).toBeGreaterThan(editor);
  expect(where(/separator\|Resize/)).toBeGreaterThanOrEqual(0);
  // Only the selected details tab is in the Tab order (roving tabindex).
  expect(seen.filter((s) => /^Details\|tab\|/.test(s)).length).toBeLessThanOrEqual(2);

  // Operate: the transcript's last step, then the details tabs with the arrow keys.
  await page.locator('pp-transcript .console').focus();
  await page.keyboard.press('End');
  const last = (await page.locator('pp-transcript .step').count()) - 1;
  await expect(page.locator('pp-transcript .step.selected')).toHaveAttribute('data-index', String(last));
  await page.getByRole('tab', { name: 'Flow inspector', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Packet', exact: true })).toHaveAttribute('aria-selected', 'true');
  expect(await focused(page)).toMatch(/tab\|Packet/);
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Bench', exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Flow inspector', exact: true })).toHaveAttribute('aria-selected', 'true');
  // The list wraps: left of the first tab is the last.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Bench', exact: true })).toHaveAttribute('aria-selected', 'true');
});

test('a resized pane is remembered', async ({ page }) => {
  await open(page);
  const width = () => page.locator('section.pane.editor').evaluate((e) => e.getBoundingClientRect().width);
  const before = await width();
  await page.getByRole('separator', { name: /script and transcript column/ }).focus();
  for (let k = 0; k < 5; k++) await page.keyboard.press('ArrowRight');
  const wider = await width();
  expect(wider).toBeGreaterThan(before + 100);
  const box = await page.getByRole('separator', { name: /upper and lower/ }).boundingBox();
  await page.mouse.move(box!.x + 200, box!.y + 3);
  await page.mouse.down();
  await page.mouse.move(box!.x + 200, box!.y - 150, { steps: 5 });
  await page.mouse.up();
  const height = () => page.locator('section.pane.topology').evaluate((e) => e.getBoundingClientRect().height);
  const shorter = await height();
  await page.reload();
  await expect(page.locator('pp-editor .monaco-editor')).toBeVisible();
  expect(Math.abs((await width()) - wider)).toBeLessThan(2);
  expect(Math.abs((await height()) - shorter)).toBeLessThan(2);
});

test('on a 390 px phone: no sideways scrolling, one pane at a time, the hops stacked', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/?example=15-firewall-defaults');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBe(0);
  // The first pane is the topology, with the packet's path.
  await expect(page.locator('section.pane.topology')).toBeVisible();
  await expect(page.locator('section.pane.editor')).toBeHidden();
  await expect(page.locator('pp-topology .path-wire')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/30-phone-topology.png` });
  for (const [button, pane] of [['Script', 'editor'], ['Transcript', 'transcript'], ['Inspector', 'details']] as const) {
    await page.locator('.switcher').getByRole('button', { name: button, exact: true }).click();
    await expect(page.locator(`section.pane.${pane}`)).toBeVisible();
    await expect(page.locator('main > section.pane:visible')).toHaveCount(1);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/31-phone-${pane}.png` });
  }
  // Each hop's changes sit under it, not in a column off to the side.
  const row = page.locator('pp-flow tbody tr.changed').first();
  const place = await row.locator('td.place').boundingBox();
  const changes = await row.locator('td.changes').boundingBox();
  expect(changes!.y).toBeGreaterThan(place!.y + place!.height - 1);
});
