/**
 * A real packet view (issue 10, point 2): the header tree and the bytes pane of the selected hop,
 * linked both ways; pcap downloads that tshark decodes; the event list of a whole run with its
 * filter, smooth at 100,000 events.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SHOTS, freshStorage, open } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

test('the header tree and the bytes pane: a changed field is highlighted, a field lights its bytes and a byte its field', async ({ page }) => {
  await open(page, '/?example=07-overlay-swarm');
  // The encap hop of the ping: the VXLAN frame, its outer headers new at this hop.
  await page.locator('pp-flow tbody tr', { has: page.locator('.stage.s-vxlan-encap') }).first().click();
  await page.getByRole('tab', { name: 'Packet', exact: true }).click();
  const tree = page.locator('pp-packet .tree');
  await expect(tree).toContainText('Outer Ethernet II');
  await expect(tree).toContainText('Virtual eXtensible Local Area Network');
  await expect(tree).toContainText('Inner Internet Protocol version 4');
  await expect(tree.locator('li.changed[data-key="outer.ip.src"]')).toHaveCount(1);
  await expect(tree.locator('li.changed[data-key="vxlan.vni"]')).toContainText('4097');
  // Field → bytes: the outer source address is bytes 26..29 (Ethernet 14 + IPv4 offset 12).
  await tree.locator('li[data-key="outer.ip.src"]').hover();
  const hot = page.locator('pp-packet .hex b.hot');
  await expect(hot).toHaveCount(4);
  expect(await hot.evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.i))).toEqual(['26', '27', '28', '29']);
  expect((await hot.allTextContents()).join('')).toBe('0a00000c');
  // Byte → field: the VNI's bytes light the VNI.
  await page.locator('pp-packet .hex b[data-i="46"]').hover();
  await expect(tree.locator('li.hot')).toHaveAttribute('data-key', 'vxlan.vni');
  await page.screenshot({ path: `${SHOTS}/40-packet-view.png` });
});

test('Download pcap gives the CLI\'s bytes and tshark decodes VXLAN and ICMP with valid checksums', async ({ page }) => {
  await open(page, '/?example=07-overlay-swarm');
  await page.getByRole('tab', { name: 'Packet', exact: true }).click();
  const [whole] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'the whole run' }).click()]);
  const runFile = test.info().outputPath('run.pcap');
  await whole.saveAs(runFile);
  const [one] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /this command/ }).click()]);
  const stepFile = test.info().outputPath('step.pcap');
  await one.saveAs(stepFile);
  expect(one.suggestedFilename()).toMatch(/^packet-path-line-\d+\.pcap$/);
  // The same bytes as `packet-path run --pcap`.
  const cli = test.info().outputPath('cli.pcap');
  execFileSync('node', ['bin/packet-path.js', 'run', 'examples/07-overlay-swarm.pp', '--pcap', cli], { stdio: 'ignore' });
  expect(readFileSync(runFile).equals(readFileSync(cli))).toBe(true);
  const checks = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];
  const lines = execFileSync('tshark', ['-r', stepFile, ...checks, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' }).trim().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.some((l) => /vxlan:eth:ethertype:ip:icmp/.test(l))).toBe(true);
  const expert = execFileSync('tshark', ['-r', runFile, ...checks, '-z', 'expert,warn', '-q'], { encoding: 'utf8' });
  expect(expert).not.toMatch(/Malformed|Bad checksum|incorrect/i);
});

test('the event list holds 100,000 packets, filters by protocol and verdict, and selects a packet', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  // 1,000 commands of 100 packets each: a run's events across all its commands.
  await page.evaluate(() => {
    const hop = { host: 'host1', at: 'vSwitch nat, port web', stage: 'switch', action: 'forward', rule: null, before: {}, after: {} };
    const steps = Array.from({ length: 1000 }, (_, s) => ({
      line: s + 1, host: 'host1', command: `docker exec web ping -n 100 db # ${s}`, ok: true, output: '', error: null, warnings: [],
      traces: [{ from: 'web', to: 'db', packets: Array.from({ length: 100 }, (_, j) => {
        const k = s * 100 + j;
        return {
          summary: k % 10 === 0 ? `ARP who-has 172.16.0.${k % 250} tell 172.16.0.2` : `ICMP 172.16.0.2 > 172.16.0.3 echo request id=1 seq=${k}`,
          verdict: k % 1000 === 999 ? 'dropped' : 'delivered', dropReason: k % 1000 === 999 ? 'blocked by an ACL rule' : null, hops: [hop],
        };
      }) }],
    }));
    (document.querySelector('pp-playground') as unknown as { showResult(r: unknown): void }).showResult({ version: 1, hosts: [], steps, expectations: [], diagnostics: [] });
  });
  await page.getByRole('tab', { name: 'Events', exact: true }).click();
  const count = page.locator('pp-events .count');
  await expect(count).toHaveText('100,000 of 100,000 packets');
  expect(await page.locator('pp-events .ev[role="option"]').count()).toBeLessThan(200);
  // Scroll to the far end: the last rows are there and the page keeps answering.
  const t0 = Date.now();
  await page.locator('pp-events .list').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('pp-events .ev[role="option"]', { hasText: '100000' }).first()).toBeVisible();
  console.log(`100,000 events: scroll to the end drawn in ${Date.now() - t0} ms`);
  await page.getByLabel('Verdict').selectOption('dropped');
  await expect(count).toHaveText('100 of 100,000 packets');
  await page.getByLabel('Protocol').selectOption('ARP');
  await expect(count).toHaveText('0 of 100,000 packets');
  await page.getByLabel('Verdict').selectOption('');
  await expect(count).toHaveText('10,000 of 100,000 packets');
  await page.locator('pp-events .ev[role="option"]').nth(2).click();
  await page.getByRole('tab', { name: 'Flow inspector', exact: true }).click();
  await expect(page.locator('pp-flow .packet.active .summary')).toHaveText('ARP who-has 172.16.0.20 tell 172.16.0.2');
  await page.screenshot({ path: `${SHOTS}/41-events.png` });
});
