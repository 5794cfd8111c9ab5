/**
 * A topology a person can read (issue 10, point 6): at 1440×900 every label is at least 11 px on
 * screen, inside its box, and clear of every other label — measured from bounding boxes on several
 * examples, 15 containers on one host (example 46, and a generated world) and the two-host overlay among them. Clicking a node shows its
 * tables for the selected step, and the Tables host follows the selected packet.
 */
import { test, expect, type Page } from '@playwright/test';
import { SHOTS, freshStorage, labelProblems, open } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

async function showWorld(page: Page, containers: number, hosts: number, driver: 'nat' | 'overlay'): Promise<void> {
  const { scaleWorld } = await import('./fixtures/scale.js');
  await page.evaluate((w) => {
    const step = { line: 1, host: 'host1', command: 'docker run ...', ok: true, output: '', error: null, warnings: [], traces: [] };
    (document.querySelector('pp-playground') as unknown as { showResult(r: unknown): void }).showResult({ version: 1, hosts: [], steps: [step], expectations: [], diagnostics: [], snapshots: [w] });
  }, scaleWorld(containers, hosts, driver));
}

for (const id of ['01-nat-basics', '07-overlay-swarm', '17-switch-embedded-teaming', '18-vlan', '40-service-discovery', '46-fifteen-containers']) {
  test(`labels of ${id} are readable at 1440×900`, async ({ page }) => {
    await open(page, `/?example=${id}`);
    await page.locator('pp-transcript .step').last().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/50-labels-${id}.png` });
    expect(await labelProblems(page.locator('pp-topology'))).toEqual([]);
  });
}

test('labels of 15 containers on one host are readable at 1440×900', async ({ page }) => {
  await open(page);
  await showWorld(page, 15, 1, 'nat');
  await expect(page.locator('pp-topology g.node.endpoint')).toHaveCount(15);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/51-labels-15-containers.png` });
  expect(await labelProblems(page.locator('pp-topology'))).toEqual([]);
});

test('clicking a node shows its tables for the selected step; the Tables host follows the selected packet', async ({ page }) => {
  await open(page, '/?example=07-overlay-swarm');
  // The ping from app (worker) to web (manager): at its last hop the packet is on the manager.
  await page.locator('pp-transcript .step', { hasText: 'docker exec app ping' }).click();
  await page.locator('pp-flow .packet', { hasText: 'ICMP 10.0.2.3 > 10.0.2.2' }).first().click();
  await page.getByRole('button', { name: 'Last hop' }).click();
  await page.getByRole('tab', { name: 'Tables', exact: true }).click();
  await expect(page.locator('pp-tables select[aria-label="Host"]')).toHaveValue('manager');
  await page.getByRole('tab', { name: 'Flow inspector', exact: true }).click();
  await page.getByRole('button', { name: 'First hop' }).click();
  await page.getByRole('tab', { name: 'Tables', exact: true }).click();
  await expect(page.locator('pp-tables select[aria-label="Host"]')).toHaveValue('worker');
  // A container's chip: its port's ACL rules, on its host, its rows marked.
  await page.getByRole('button', { name: '1:1' }).click();
  await page.locator('pp-topology g.node.endpoint', { hasText: 'web' }).click();
  await expect(page.getByRole('tab', { name: 'Tables', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('pp-tables select[aria-label="Host"]')).toHaveValue('manager');
  await expect(page.locator('pp-tables [role="tab"][aria-selected="true"]')).toContainText('ACL rules');
  await expect(page.locator('pp-tables tr.focus').first()).toContainText('web');
  // A vSwitch: its MAC table.
  await page.locator('pp-topology g.node.vswitch', { hasText: 'vSwitch MyOverlay' }).first().click({ position: { x: 30, y: 8 } });
  await expect(page.locator('pp-tables [role="tab"][aria-selected="true"]')).toContainText('FDB');
  await page.screenshot({ path: `${SHOTS}/52-node-tables.png` });
});
