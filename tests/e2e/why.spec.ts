/**
 * "Why?" in the playground (issue 11, item 2): a failed step's cause, evidence and verified fixes,
 * and one click that applies a fix to the editor (undoable) and runs the script again. Seed tip 3
 * (DHCP on a VM container host needs MAC address spoofing; docs/behaviour.md "Drivers").
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SHOTS, freshStorage, open, run, runCount, scriptText, setScript, waitForRun, watchErrors } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

/** Serious and critical WCAG 2 A/AA violations in the transcript and the Why? tab. */
async function audit(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).include('pp-why').include('pp-transcript').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

const TIP3 = [
  'host ContainerHostVM --virtualized --mac-spoofing off',
  'lan dhcp 10.0.0.100-10.0.0.200',
  'client laptop --ip 10.0.0.50',
  'docker network create -d transparent MyDhcpNet',
  'docker run -d --name web --network MyDhcpNet microsoft/iis',
  'expect client laptop ping 10.0.0.100',
].join('\n');

test('Why? on a failed expectation shows the cause chain and a verified fix; Apply edits the script, re-runs, and Ctrl+Z undoes it', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  await setScript(page, TIP3);
  await run(page);
  const step = page.locator('pp-transcript .step', { hasText: 'client laptop ping 10.0.0.100' });
  await expect(step.locator('.tag.fail')).toHaveText(/expectation failed/);
  // Only failed lines offer the question.
  await expect(page.locator('pp-transcript .why')).toHaveCount(1);
  // From the keyboard: the transcript's last step, then W (the click path is the phone test's).
  await page.locator('pp-transcript .console').focus();
  await page.keyboard.press('End');
  await expect(step).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('w');
  const why = page.locator('pp-why');
  await expect(why.locator('ol.causes li')).toHaveCount(3, { timeout: 60_000 });
  await expect(why.locator('ol.causes li.root')).toContainText('MAC address spoofing off');
  await expect(why.locator('ol.causes li').nth(1)).toContainText('APIPA');
  await expect(why.locator('.fix .badge.ok')).toHaveText('✓ verified');
  await expect(why.locator('.fix .edits')).toContainText('+ before line 6: Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On');
  await expect(page.getByRole('tab', { name: 'Why?' })).toHaveAttribute('aria-selected', 'true');
  await why.locator('.fix').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/why-1440.png` });
  expect(await audit(page)).toEqual([]);

  // A line number in the answer shows that line in the editor.
  await why.locator('ol.causes li.root .line-link').click();
  await expect(page.locator('pp-editor .pp-editor-status')).toContainText('Ln 1,');

  const before = await runCount(page);
  await why.getByRole('button', { name: 'Apply and run' }).click();
  await waitForRun(page, before);
  expect(await scriptText(page)).toBe(TIP3.replace('expect client laptop ping', 'Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On\nexpect client laptop ping'));
  await expect(page.locator('.transcript .pane-title')).toContainText('1/1 expectations held');
  await expect(page.locator('pp-transcript .why')).toHaveCount(0);
  // The fix was one edit operation: one undo brings the script back.
  await page.locator('pp-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => scriptText(page)).toBe(TIP3);
  expect(errors).toEqual([]);
});

test('Why? on a 390 px phone in the dark theme: the answer takes the pane, nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await page.getByRole('button', { name: 'Script', exact: true }).click();
  await setScript(page, TIP3);
  await run(page);
  await page.getByRole('button', { name: 'Transcript', exact: true }).click();
  await page.locator('pp-transcript .why').click();
  const why = page.locator('pp-why');
  await expect(why.locator('.fix .badge.ok')).toHaveText('✓ verified', { timeout: 60_000 });
  await expect(why).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/why-390.png` });
  expect(await audit(page)).toEqual([]);
});

// docs/behaviour.md "Firewall": a user rule carries its script line; removing it opens the port again.
const BLOCKED = `host host1 --ip 10.0.0.10/24
client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
netsh advfirewall firewall add rule name="no web" dir=in action=block protocol=TCP localport=8080
`;

test('Why? on a blocked matrix cell: the rule and its line, a verified fix; Apply runs the script and the matrix again and the cell turns reachable', async ({ page }) => {
  // Two matrices of about 150 probes each on a machine shared with other work.
  test.setTimeout(360_000);
  const errors = watchErrors(page);
  await open(page);
  await setScript(page, BLOCKED);
  await run(page);
  await page.getByRole('tab', { name: 'Matrix' }).click();
  const matrix = page.locator('pp-matrix');
  await matrix.getByRole('button', { name: /Run the matrix/ }).click();
  await expect(matrix.locator('.count')).toHaveText(/^(\d+) of \1 cells in [\d.]+ s/, { timeout: 120_000 });
  await matrix.getByLabel('Port').selectOption('tcp/8080');
  await matrix.getByRole('button', { name: /^laptop to 10\.0\.0\.10 on tcp\/8080: blocked/ }).click();
  await expect(page.getByRole('tab', { name: 'Flow inspector' })).toHaveAttribute('aria-selected', 'true');
  await page.locator('.why-bar').getByRole('button', { name: 'Why?' }).click();
  const why = page.locator('pp-why');
  await expect(why.locator('ol.causes li.root')).toContainText('rule "no web"', { timeout: 60_000 });
  await expect(why.locator('.fix .edits')).toContainText('- line 4: netsh advfirewall firewall add rule name="no web"');
  await page.screenshot({ path: `${SHOTS}/why-cell-1440.png` });
  await why.getByRole('button', { name: 'Apply and run' }).click();
  await expect.poll(() => scriptText(page)).not.toContain('no web');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  // The matrix runs again by itself after the script: the cell turns reachable (the tab shows its first port again).
  const reachable = matrix.getByRole('button', { name: /^laptop to 10\.0\.0\.10 on tcp\/8080: reachable/ });
  await expect.poll(async () => {
    await matrix.getByLabel('Port').selectOption('tcp/8080', { timeout: 2000 }).catch(() => undefined);
    return reachable.count();
  }, { timeout: 120_000 }).toBe(1);
  await expect(reachable).toHaveText('✓');
  expect(errors).toEqual([]);
});
