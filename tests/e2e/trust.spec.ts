/**
 * The playground as a new user meets it (issue 10) and under a hostile link (issue 13): the packet
 * that matters is selected and drawn on the wires, work is never lost, links carry the view and are
 * bounded, long runs stay smooth. Against the built site, in Debian's Chromium.
 */
import { test, expect, type Page } from '@playwright/test';
import { deflateRawSync } from 'node:zlib';
import { SHOTS, freshStorage, open, runCount, scriptText, setScript, waitForRun, watchErrors } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

/** The selected packet's summary and verdict, as the flow inspector shows them. */
async function selectedPacket(page: Page): Promise<{ summary: string; verdict: string }> {
  const p = page.locator('pp-flow .packet.active');
  return { summary: (await p.locator('.summary').textContent()) ?? '', verdict: (await p.locator('.verdict').getAttribute('class')) ?? '' };
}

test('time from navigation to the first drawn packet path (measured, reported)', async ({ page }) => {
  await open(page);
  const timing = await page.evaluate(() => (document.querySelector('pp-playground') as unknown as { timing: { firstRun?: number; firstPath?: number } }).timing);
  expect(timing.firstPath).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'first-path-ms', description: timing.firstPath!.toFixed(0) });
  console.log(`navigation → first drawn packet path: ${timing.firstPath!.toFixed(0)} ms (first run done at ${timing.firstRun!.toFixed(0)} ms)`);
  await expect(page.locator('pp-topology .path-wire')).toHaveCount(1);
});

test('after a failing expect-fail step the inspector shows the dropped packet, drawn on the wires', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?example=15-firewall-defaults');
  await expect(page.locator('pp-transcript .step.selected')).toContainText('docker exec probe ping -n 1 172.16.0.21');
  const p = await selectedPacket(page);
  expect(p.summary).toMatch(/^ICMP 172\.16\.0\.22 > 172\.16\.0\.21 echo request/);
  expect(p.verdict).toContain('dropped');
  await expect(page.locator('pp-flow .drop')).toContainText('Dropped');
  await expect(page.locator('pp-flow tr.current')).toContainText('drop');
  // The path: one solid wire, the current hop marked, in the failure colour.
  await expect(page.locator('pp-topology path.path-wire.dropped')).toHaveCount(1);
  await expect(page.locator('pp-topology g.packet.dropped')).toHaveCount(1);
  // The result is announced to screen readers.
  await expect(page.locator('.run-status[aria-live="polite"]')).toContainText(/Run finished: 15 commands.*9 of 9 expectations held.*dropped/);
  await page.screenshot({ path: `${SHOTS}/20-selected-drop.png` });
  expect(errors).toEqual([]);
});

test('an ignored broadcast copy is neutral, never a timeout or an alarm', async ({ page }) => {
  await open(page, '/?example=01-nat-basics');
  // The run opens on the ping's ICMP echo, not on DNS or ARP.
  expect((await selectedPacket(page)).summary).toMatch(/^ICMP /);
  const ignored = page.locator('pp-flow .packet', { has: page.locator('.verdict.ignored') }).first();
  await expect(ignored).toContainText('ignored');
  await ignored.click();
  await expect(page.locator('pp-flow .ignored-note')).toContainText('Ignored');
  await expect(page.locator('pp-flow .ignored-note')).toContainText('Not a failure');
  await expect(page.locator('pp-flow .drop')).toHaveCount(0);
  await expect(page.locator('pp-flow')).not.toContainText('no reason given');
  await expect(page.locator('pp-flow .badge.bad')).toHaveCount(0);
  await expect(page.locator('pp-transcript .tag.trace.dropped')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/21-ignored-copy.png` });
});

test('picking a step opens its data packet, not the DNS query or ARP before it', async ({ page }) => {
  await open(page, '/?example=01-nat-basics');
  // `curl http://bing/` resolves the name first: its trace starts with the DNS query.
  await page.locator('pp-transcript .step', { hasText: 'curl http://bing/' }).click();
  await expect(page.locator('pp-transcript .step.selected')).toContainText('curl http://bing/');
  expect((await selectedPacket(page)).summary).toMatch(/^TCP \S+ > 204\.79\.197\.200:80 /);
});

test('choosing an example keeps a way back to the user\'s script', async ({ page }) => {
  await open(page);
  const mine = '# my own design\ndocker network create -d nat --subnet=172.16.9.0/24 mine\n';
  await setScript(page, mine);
  await page.waitForTimeout(400);
  const before = await runCount(page);
  await page.getByLabel('Examples').selectOption('07-overlay-swarm');
  await waitForRun(page, before);
  await expect(page).toHaveURL(/\?example=07-overlay-swarm$/);
  await expect(page.locator('.banner.restore')).toContainText('Your previous script was kept');
  await page.screenshot({ path: `${SHOTS}/22-restore-offer.png` });
  // Even after a reload the way back is there (it was saved), but the banner's button is the quick one.
  await page.getByRole('button', { name: 'Restore my script' }).click();
  await expect.poll(() => scriptText(page)).toBe(mine);
  await expect(page).toHaveURL(/\/$/);
});

test('a link can name an example; an unknown one says so', async ({ page }) => {
  await open(page, '/?example=07-overlay-swarm');
  await expect.poll(() => scriptText(page)).toContain('overlay');
  await expect(page.getByLabel('Examples')).toHaveValue('07-overlay-swarm');
  await expect(page.locator('pp-topology .path-wire')).toHaveCount(1);
  await page.goto('/?example=99-nope');
  await expect(page.locator('.banner.error')).toContainText('names the example "99-nope"');
});

test('a share link round-trips the script and the view (step, packet, hop, tab); editing drops it from the address bar', async ({ page, context }) => {
  await open(page, '/?example=03-nat-port-publishing');
  const step = page.locator('pp-transcript .step', { has: page.locator('.tag.trace') }).last();
  await step.click();
  await page.getByRole('button', { name: 'Next hop' }).click();
  await page.getByRole('button', { name: 'Next hop' }).click();
  const want = {
    step: await page.locator('pp-transcript .step.selected').getAttribute('data-index'),
    packet: (await selectedPacket(page)).summary,
    hop: await page.locator('pp-flow .pos b').textContent(),
  };
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page).toHaveURL(/#v2=[A-Za-z0-9_-]+$/);
  const url = page.url();

  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await open(other, url.replace(/^https?:\/\/[^/]+/, ''));
  await expect(other.locator('pp-transcript .step.selected')).toHaveAttribute('data-index', want.step!);
  expect((await selectedPacket(other)).summary).toBe(want.packet);
  await expect(other.locator('pp-flow .pos b')).toHaveText(want.hop!);
  await other.close();

  // Editing: the address bar no longer claims to hold the text, and a reload brings back the newest.
  await setScript(page, '# edited after sharing\ndocker network ls\n');
  await expect(page).not.toHaveURL(/#v2=/);
  await page.waitForTimeout(400);
  await page.reload();
  await expect.poll(() => scriptText(page)).toBe('# edited after sharing\ndocker network ls\n');
});

test('a damaged link says so and keeps the user\'s script; a link that unpacks past the cap is refused', async ({ page }) => {
  await open(page);
  await setScript(page, '# keep me\ndocker ps\n');
  await page.waitForTimeout(400);
  await page.goto('/#v2=AAAAbroken');
  await expect(page.locator('.banner.error')).toContainText('damaged');
  await expect.poll(() => scriptText(page)).toBe('# keep me\ndocker ps\n');
  // 40 MB of one character compresses into a short link: it is refused, not unpacked.
  const bomb = await page.evaluate(async () => {
    const json = JSON.stringify({ v: 2, scripts: [{ s: 'x'.repeat(40 * 1024 * 1024) }] });
    const packed = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    let bin = '';
    for (let i = 0; i < packed.length; i += 0x8000) bin += String.fromCharCode(...packed.subarray(i, i + 0x8000));
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  });
  await page.goto(`/#v2=${bomb}`);
  await expect(page.locator('.banner.error')).toContainText('unpacks to more than 2 MB');
  expect(await scriptText(page)).toBe('# keep me\ndocker ps\n');
});

/** A share link (format 2) for a script, made as the page makes one. */
function shareLink(script: string): string {
  return '/#v2=' + deflateRawSync(Buffer.from(JSON.stringify({ v: 2, scripts: [{ s: script }] }))).toString('base64url');
}

test('a 10,000-command link renders incrementally: a virtualised transcript, the page answering', async ({ page }) => {
  test.setTimeout(240_000);
  const link = shareLink('docker run -d --name a microsoft/nanoserver\n' + 'docker ps\n'.repeat(10_000));
  console.log(`the link: ${link.length} characters`);
  const t0 = Date.now();
  await page.goto(link);
  const before = 0;
  // While it runs, steps arrive and the main thread keeps answering frames.
  await expect(page.locator('pp-transcript .step').first()).toBeVisible({ timeout: 60_000 });
  let worstFrame = 0;
  while ((await runCount(page)) === before) {
    const t = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    worstFrame = Math.max(worstFrame, Date.now() - t);
  }
  console.log(`10,000 commands: run and render ${Date.now() - t0} ms, slowest frame while running ${worstFrame} ms`);
  await expect(page.locator('.runinfo')).toContainText('10001 steps');
  // Only the steps in view are in the DOM.
  expect(await page.locator('pp-transcript .step').count()).toBeLessThan(300);
  // The last step is reachable from the keyboard.
  await page.locator('pp-transcript .console').focus();
  await page.keyboard.press('End');
  await expect(page.locator('pp-transcript .step.selected')).toHaveAttribute('data-index', '10000');
  await page.screenshot({ path: `${SHOTS}/23-ten-thousand.png` });
});

for (const motion of ['no-preference', 'reduce'] as const) {
  test(`stepping moves the packet along its wire${motion === 'reduce' ? ', without animation under prefers-reduced-motion' : ''}`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: motion });
    // Count the animations started on the packet's dot.
    await page.addInitScript(() => {
      const animate = Element.prototype.animate;
      (window as unknown as { dotAnimations: number }).dotAnimations = 0;
      Element.prototype.animate = function (this: Element, ...args: Parameters<Element['animate']>) {
        if (this.classList.contains('packet')) (window as unknown as { dotAnimations: number }).dotAnimations++;
        return animate.apply(this, args);
      };
    });
    await open(page, '/?example=01-nat-basics');
    const dot = page.locator('pp-topology g.packet');
    const at = () => dot.getAttribute('transform');
    const before = await at();
    // Hop by hop until the packet reaches another node (the first hops happen inside the sender).
    for (let k = 0; k < 12 && (await at()) === before; k++) await page.getByRole('button', { name: 'Next hop' }).click();
    expect(await at()).not.toBe(before);
    const started = await page.evaluate(() => (window as unknown as { dotAnimations: number }).dotAnimations);
    if (motion === 'reduce') expect(started).toBe(0);
    else expect(started).toBeGreaterThan(0);
  });
}
