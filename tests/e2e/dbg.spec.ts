import { test, expect } from '@playwright/test';
test('dbg', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('console', (m) => console.log('C', m.type(), m.text().slice(0, 300)));
  page.on('pageerror', (e) => console.log('PE', String(e).slice(0, 300)));
  await page.goto('/');
  await expect(page.locator('.engine')).toHaveText(/engine ready/, { timeout: 30_000 });
  const select = page.getByLabel('Examples');
  const ids = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  for (const id of ids) {
    const t0 = Date.now();
    await select.selectOption(id);
    try { await expect(page.locator('.runinfo')).toBeVisible({ timeout: 30_000 }); } catch { console.log('STUCK', id, await page.locator('.toolbar').textContent(), await page.locator('.banner').allTextContents()); break; }
    console.log('OK', id, Date.now() - t0, await page.locator('.banner').allTextContents());
  }
  await page.getByRole('tab', { name: 'Bench' }).click();
  await page.getByRole('button', { name: 'Run bench in this browser' }).click();
  for (let k = 0; k < 20; k++) { await page.waitForTimeout(3000); console.log('B', await page.locator('pp-bench').evaluate((e) => e.shadowRoot!.textContent!.slice(0, 400).replace(/\s+/g, ' '))); }
});
