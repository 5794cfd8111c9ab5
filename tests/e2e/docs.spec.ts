/**
 * The living document (web/docs.html) end to end, in Debian's Chromium against the built site: every
 * section of the seed is there, every example widget on it runs to the end with its expectations
 * held, and the behaviour each section is about is on screen (the NAT translation, the VXLAN header,
 * the MAC rewrite, the error). Screenshots go to playwright-report/screenshots/.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';
import { labelProblems } from './helpers.js';

const SHOTS = 'playwright-report/screenshots';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** The first widget after the heading or inside the section with this id. */
function exampleOf(page: Page, id: string): Locator {
  return page.locator(`section#${id} > packet-path-widget, #${id} ~ packet-path-widget`).first();
}

/** The seed's sections, by the ids of their headings on the page. */
const SECTIONS = [
  'architecture', 'drivers', 'nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel', 'ipam', 'compartments', 'firewall',
  'hns', 'advanced', 'teaming', 'vlan', 'networkname', 'interface', 'dns', 'vfp', 'tips', 'tip-ipv6', 'tip-dockernat',
  'tip-mac-spoofing', 'tip-multiple-transparent', 'tip-static', 'tip-l2bridge-dhcp', 'tip-own-adapter', 'tip-hot-add',
  'tip-out-of-band', 'unsupported', 'ws2016', 'compose', 'service-discovery',
];

test('the living document loads with no console errors and every example finishes its run', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  await page.goto('/docs.html');
  await expect(page.locator('h1')).toHaveText('Windows container networking');
  await page.screenshot({ path: `${SHOTS}/docs-top.png` });

  for (const id of SECTIONS) {
    await expect(page.locator(`#${id}`), `section ${id}`).toHaveCount(1);
    await expect(exampleOf(page, id), `an example in ${id}`).toHaveCount(1);
  }

  const widgets = page.locator('packet-path-widget');
  const n = await widgets.count();
  expect(n).toBeGreaterThanOrEqual(30);
  // Scroll through the page as a reader would: each example runs when it comes into view.
  const unheld: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = widgets.nth(i);
    await w.scrollIntoViewIfNeeded();
    await expect(w, `widget ${i}`).toHaveAttribute('status', 'done', { timeout: 60_000 });
    await expect(w.locator('pp-transcript .step').first()).toBeVisible();
    // An example whose own expect / expect-fail lines did not all hold is the engine's or the example's
    // business, not the page's: the page shows it (a red badge), and this test reports it.
    const badge = w.locator('.bar .badge');
    if ((await badge.count()) && /\bbad\b/.test((await badge.getAttribute('class')) ?? '')) {
      unheld.push(`${(await w.getAttribute('data-example')) ?? `widget ${i}`}: ${await badge.textContent()}`);
    }
  }
  for (const u of unheld) test.info().annotations.push({ type: 'example expectations not held', description: u });
  if (unheld.length) console.log('examples whose expectations did not all hold:', unheld.join('; '));

  // nat: WinNAT translates the published port's destination to the container.
  const nat = exampleOf(page, 'nat').locator('pp-flow tr.current');
  await expect(nat).toContainText('translate');
  await expect(nat.locator('.change', { hasText: 'ip.dst' }).locator('.before')).toHaveText('10.0.0.10');
  await expect(nat.locator('.change', { hasText: 'tcp.dport' })).toContainText('8080');

  // overlay: VFP adds the VXLAN header, outer addresses the hosts' own.
  const overlay = exampleOf(page, 'overlay');
  const encap = overlay.locator('pp-flow tr.current');
  await expect(encap).toContainText('vxlan-encap');
  await expect(encap.locator('.change', { hasText: 'vxlan.vni' }).locator('.after')).toHaveText(/^\d{4,}$/);
  await expect(encap.locator('.change', { hasText: 'outer.ip.dst' }).locator('.after')).toHaveText(/^10\.0\.0\.\d+$/);
  await overlay.scrollIntoViewIfNeeded();
  await overlay.screenshot({ path: `${SHOTS}/docs-overlay.png` });

  // l2bridge: the destination MAC rewritten from the host's to the container's.
  const l2 = exampleOf(page, 'l2bridge').locator('pp-flow tr.current');
  await expect(l2).toContainText('mac-rewrite');
  await expect(l2.locator('.change', { hasText: 'eth.dst' })).toBeVisible();

  // Tip 1: the seed's error text, on the failing docker run.
  const ipv6 = exampleOf(page, 'tip-ipv6');
  await expect(ipv6.locator('pp-transcript .step.selected .error')).toContainText('failure in a Windows system call: Element not found.');
  await ipv6.scrollIntoViewIfNeeded();
  await ipv6.screenshot({ path: `${SHOTS}/docs-tip-ipv6.png` });

  // Each example opens in the playground with its script in the link.
  await expect(exampleOf(page, 'hns').locator('a.open')).toHaveAttribute('href', /index\.html#v2=[\w-]+$/);
  await exampleOf(page, 'hns').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/docs-hns.png` });

  expect(errors).toEqual([]);
});

test('the table of contents marks the section being read, and collapses on a phone', async ({ page }) => {
  await page.goto('/docs.html');
  const current = page.locator('nav.toc a[aria-current="location"]');
  await expect(current).toHaveText('Basic networking architecture');
  await page.locator('section#firewall h2').evaluate((h) => h.scrollIntoView({ block: 'start' }));
  await expect(current).toHaveText('Windows Firewall');
  await expect(page.locator('nav.toc a.current')).toHaveCount(1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const details = page.locator('nav.toc details');
  await expect(details).not.toHaveAttribute('open', '');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await page.locator('nav.toc summary').click();
  await expect(details).toHaveAttribute('open', '');
  await page.locator('nav.toc a[href="#compose"]').click();
  await expect(details).not.toHaveAttribute('open', '');
  await expect(page.locator('nav.toc summary .now')).toContainText('Docker Compose');
  await page.screenshot({ path: `${SHOTS}/docs-toc-phone.png` });
});

test('widget topologies on the docs page follow the same label rules', async ({ page }) => {
  await page.goto('/docs.html');
  for (const id of ['architecture', 'overlay']) {
    const w = exampleOf(page, id);
    await w.scrollIntoViewIfNeeded();
    await expect(w).toHaveAttribute('status', 'done', { timeout: 60_000 });
    await w.locator('pp-topology .path-wire').first().waitFor({ state: 'attached' }).catch(() => undefined);
    expect(await labelProblems(w.locator('pp-topology'))).toEqual([]);
  }
});
