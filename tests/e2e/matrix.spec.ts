/**
 * The Matrix and Compare tabs of the playground and the widget's `views="matrix"`, end to end in
 * Chromium. Screenshots at 1440×900 and 390×844 go to playwright-report/screenshots/ to be looked at.
 */
import { test, expect, type Page } from '@playwright/test';
import { SHOTS, freshStorage, open, run, setScript, watchErrors } from './helpers.js';

// Example 03: `docker run -p 8080:80` publishes the container's port 80 on the host's 8080 through
// WinNAT; a LAN client reaches it at 10.0.0.10:8080 (the example's line 15).
const NAT = `host host1 --ip 10.0.0.10/24
client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
client laptop curl http://10.0.0.10:8080/
`;

const cell = (page: Page, label: RegExp) => page.locator('pp-matrix').getByRole('button', { name: label });

async function runMatrix(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await page.locator('pp-matrix').getByRole('button', { name: /Run the matrix/ }).click();
  await expect(page.locator('pp-matrix .count')).toHaveText(/^(\d+) of \1 cells in [\d.]+ s/, { timeout: 120_000 });
}

test.beforeEach(async ({ page }) => freshStorage(page));

test('the matrix fills in, a glyph per cell, keyboard reachable, and a cell opens in the flow inspector', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  await setScript(page, NAT);
  await run(page);
  await runMatrix(page);
  const matrix = page.locator('pp-matrix');
  await matrix.getByLabel('Port').selectOption('tcp/8080');
  // The LAN client reaches the published port through the host's address (WinNAT static mapping) …
  const open8080 = cell(page, /^laptop to 10\.0\.0\.10 on tcp\/8080: reachable/);
  await expect(open8080).toHaveText('✓');
  // … but not the container's own address: the LAN does not route the nat network (the internet drops private addresses).
  await expect(cell(page, /^laptop to 172\.\S+ on tcp\/8080: blocked/).first()).toHaveText('✗');
  await page.screenshot({ path: `${SHOTS}/matrix-1440.png` });

  // Keyboard: the grid has one tab stop; arrows move it, Enter opens the cell.
  await matrix.locator('td button[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(matrix.locator('td button[data-row="0"][data-col="1"]')).toBeFocused();
  await open8080.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Flow inspector' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('pp-flow')).toContainText('WinNAT');
  await page.screenshot({ path: `${SHOTS}/matrix-cell-flow-1440.png` });
  expect(errors).toEqual([]);
});

test('the matrix on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/?example=03-nat-port-publishing');
  await page.locator('nav.switcher button', { hasText: 'Inspector' }).click();
  await runMatrix(page);
  await expect(page.locator('pp-matrix td button').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/matrix-390.png` });
});

test('compare with the last run: removing the published port flips the curl and its cells; the link carries both scripts', async ({ page, context }) => {
  await open(page);
  await setScript(page, NAT);
  await run(page);
  await runMatrix(page);
  await setScript(page, NAT.replace(' -p 8080:80', ''));
  await run(page);
  await runMatrix(page);
  await expect(page.locator('pp-matrix .count')).toContainText('changed since the last matrix');
  await page.getByRole('tab', { name: 'Compare' }).click();
  const compare = page.locator('.compare');
  await expect(compare).toContainText('client laptop curl http://10.0.0.10:8080/');
  await expect(compare.locator('li', { hasText: 'client laptop curl' })).toContainText('✓ ok → ✗ failed');
  await expect(compare).toContainText('laptop → 10.0.0.10 tcp/8080');
  await page.screenshot({ path: `${SHOTS}/compare-1440.png` });

  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page).toHaveURL(/#v2=[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto(page.url());
  await expect(other.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true', { timeout: 60_000 });
  await expect(other.locator('.compare li', { hasText: 'client laptop curl' })).toContainText('✓ ok → ✗ failed');
  await other.close();
});

test('the widget with views="matrix"', async ({ page }) => {
  const html = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./packet-path-widget.js"></script></head>
  <body style="max-width: 1000px; margin: 20px auto"><packet-path-widget id="m" autorun readonly views="transcript,flow,matrix"><script type="text/x-packet-path">${NAT}</script></packet-path-widget></body></html>`;
  await page.route('**/matrix-widget.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto('/matrix-widget.html');
  const w = page.locator('packet-path-widget#m');
  await expect(w).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await expect(w.locator('pp-matrix .count')).toHaveText(/^(\d+) of \1 cells in/, { timeout: 120_000 });
  await w.locator('pp-matrix').getByLabel('Port').selectOption('tcp/8080');
  const c = w.getByRole('button', { name: /^laptop to 10\.0\.0\.10 on tcp\/8080: reachable/ });
  await expect(c).toHaveText('✓');
  await c.click();
  await expect(w.locator('pp-flow')).toContainText('WinNAT');
  await page.screenshot({ path: `${SHOTS}/matrix-widget.png`, fullPage: true });
});
