/**
 * "Import from my host": the dialog opens from the toolbar with the keyboard, keeps focus inside,
 * closes with Esc, and loads the rebuilt host into the editor as one undoable edit that runs.
 * The pasted text is two real outputs from public issues (tests/fixtures/import/, sources in their headers).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SHOTS, freshStorage, open, runCount, scriptText, waitForRun, watchErrors } from './helpers.js';

function fixture(name: string): string {
  const text = readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');
  return text.slice(text.indexOf('\n\n') + 2);
}

const PASTE = `${fixture('for-win-750-ipconfig.txt')}\n${fixture('moby-50924-network-inspect-nat.txt')}`;

/** The element focused inside the dialog's shadow root ('' when focus is elsewhere). */
function focusedInDialog(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('pp-import');
    const el = host?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return el && el.closest('dialog') ? `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}` : '';
  });
}

test.beforeEach(async ({ page }) => freshStorage(page));

test('import from the keyboard: paste, import, run, undo', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  const before = await scriptText(page);
  const button = page.getByRole('button', { name: 'Import…' });
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Import from my host' });
  await expect(dialog).toBeVisible();
  expect(await focusedInDialog(page)).toBe('textarea');
  await page.keyboard.insertText(PASTE);
  // Tab goes round the dialog's controls and never leaves it.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await focusedInDialog(page)).not.toBe('');
  }
  await page.keyboard.press('Shift+Tab');
  expect(await focusedInDialog(page)).not.toBe('');
  await page.screenshot({ path: `${SHOTS}/import-dialog-1440.png` });

  const runs = await runCount(page);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog).toBeHidden();
  await waitForRun(page, runs);
  await expect.poll(() => scriptText(page)).toContain('host dnvappcntnr1 --os ws2019 --nic Ethernet --ip 10.44.129.133/24');
  const script = await scriptText(page);
  expect(script).toContain('docker network create -d nat --subnet=172.22.240.0/27 --gateway=172.22.240.1 testname');
  expect(script).toMatch(/^# Not mapped:/m);
  await expect(page.locator('pp-transcript')).toContainText('docker network create -d nat');
  await page.screenshot({ path: `${SHOTS}/import-loaded-1440.png` });

  // One undo brings the previous script back.
  await page.locator('pp-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => scriptText(page)).toBe(before);
  expect(errors).toEqual([]);
});

test('Esc closes the dialog; a paste with nothing to read says so and stays open', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from my host' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Import…' }).click();
  await page.keyboard.insertText('hello world\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(dialog.getByRole('alert')).toContainText('None of the pasted text is an output Packet Path reads');
  await expect(dialog).toBeVisible();
});

for (const theme of ['light', 'dark'] as const) {
  test(`the open dialog passes the axe audit (WCAG 2.1 A/AA, serious and critical) in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await open(page);
    await page.getByRole('button', { name: 'Import…' }).click();
    await expect(page.getByRole('dialog', { name: 'Import from my host' })).toBeVisible();
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).include('pp-import').analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/import-dialog-${theme}.png` });
  });
}

test('the dialog on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from my host' });
  await expect(dialog).toBeVisible();
  await page.keyboard.insertText(PASTE);
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeInViewport();
  await page.screenshot({ path: `${SHOTS}/import-dialog-390.png` });
});
