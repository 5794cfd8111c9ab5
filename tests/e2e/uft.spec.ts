/**
 * The flow inspector shows a fast-path hop (VFP's unified flow table, NSDI 2017 §5): in example 01,
 * the curl's ACK takes the fast path at port web, one `uft` hop naming the flow table entry and the
 * ACL rule that built it. Screenshots at 1440×900 and 390×844.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SHOTS, freshStorage, open, run, setScript, watchErrors } from './helpers';

const EXAMPLE_01 = readFileSync(new URL('../../examples/01-nat-basics.pp', import.meta.url), 'utf8');

async function showAck(page: Page): Promise<void> {
  await page.locator('pp-transcript .step', { hasText: 'docker exec web curl' }).click();
  await page.locator('pp-flow .packet', { hasText: '[.]' }).first().click();
  const row = page.locator('pp-flow tbody tr', { has: page.locator('.stage.s-uft') }).first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(row).toHaveClass(/current/);
  await expect(row.locator('.action')).toContainText('fast-path');
  await expect(row.locator('.rule')).toContainText(/flow table entry \d+, built by VFP ACLs of port web/);
}

test('a curl\'s ACK shows one fast-path hop at port web (desktop)', async ({ page }) => {
  const errors = watchErrors(page);
  await freshStorage(page);
  await open(page);
  await setScript(page, EXAMPLE_01);
  await run(page);
  await showAck(page);
  await page.screenshot({ path: `${SHOTS}/uft-fast-path-1440.png` });
  expect(errors).toEqual([]);
});

test('a curl\'s ACK shows one fast-path hop at port web (phone)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/?example=01-nat-basics');
  // One pane at a time: the transcript to choose the step, the inspector for its packets.
  const pane = (name: string) => page.locator('.switcher').getByRole('button', { name, exact: true }).click();
  await pane('Transcript');
  await page.locator('pp-transcript .step', { hasText: 'docker exec web curl' }).click();
  await pane('Inspector');
  await page.locator('pp-flow .packet', { hasText: '[.]' }).first().click();
  const row = page.locator('pp-flow tbody tr', { has: page.locator('.stage.s-uft') }).first();
  await row.scrollIntoViewIfNeeded();
  await expect(row).toBeVisible();
  await row.click();
  await expect(row.locator('.rule')).toContainText(/flow table entry \d+, built by VFP ACLs of port web/);
  await page.screenshot({ path: `${SHOTS}/uft-fast-path-390.png` });
  expect(errors).toEqual([]);
});
