/**
 * The playground end to end, in Debian's Chromium against the built site (vite preview): the real
 * worker, the real parser, the real engine. Screenshots of each main state go to
 * playwright-report/screenshots/ for a person to look at.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SHOTS, freshStorage, open, run, runCount, scriptText, setScript, waitForRun, watchErrors } from './helpers.js';

test.beforeEach(async ({ page }) => freshStorage(page));

test('loads with no console errors, editor and engine ready', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  await expect(page.locator('pp-editor .view-lines')).toContainText('docker');
  await page.screenshot({ path: `${SHOTS}/01-loaded.png` });
  expect(errors).toEqual([]);
});

test('a bad line typed in Monaco gets a diagnostic from the parser', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  await setScript(page, 'docker network create -d nat --subnet=172.16.1.0/24 good\ndocker network create --bogus-flag x\n');
  const marker = page.locator('pp-editor .squiggly-error');
  await expect(marker.first()).toBeVisible();
  await expect(page.locator('pp-editor .problems .e')).toHaveText(/[1-9]/);
  // Hovering the flag shows the parser's message.
  await page.locator('pp-editor .view-line span span', { hasText: /^--bogus-flag$/ }).hover();
  await expect(page.locator('.monaco-hover').first()).toContainText(/bogus-flag/);
  await page.screenshot({ path: `${SHOTS}/02-diagnostic.png` });
  // Run: the rejected line keeps one marker (the run's error there is the parser's own).
  await run(page);
  await expect(page.locator('pp-transcript .step.failed')).toContainText('--bogus-flag');
  await expect(page.locator('pp-editor .problems .e')).toHaveText(/^\D*1\D*$/);
  expect(errors).toEqual([]);
});

test('completions offer windowsshim keys and defined networks', async ({ page }) => {
  await open(page);
  await setScript(page, 'docker network create -d transparent tnet\ndocker network create -d l2bridge -o com.docker.network.windowsshim.');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('com.docker.network.windowsshim.vlanid');
  await page.screenshot({ path: `${SHOTS}/03-completions.png` });
  await page.keyboard.press('Escape');
  await page.keyboard.insertText('vlanid=11 l2\ndocker run --network ');
  await page.keyboard.press('Control+Space');
  await expect(suggest).toContainText('tnet');
  await expect(suggest).toContainText('l2');
});

test('an example runs and the topology shows its containers', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  const select = page.getByLabel('Examples');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(options.length).toBeGreaterThan(0);
  const before = await runCount(page);
  await select.selectOption(options[1]);
  await waitForRun(page, before);
  // The right number: the containers the run's last snapshot holds, counted from the result itself.
  const expected = await page.evaluate(() => {
    const app = document.querySelector('pp-playground') as unknown as { result: { snapshots?: { hosts: { endpoints: unknown[] }[] }[] } };
    const snaps = app.result.snapshots ?? [];
    return snaps.length ? snaps[snaps.length - 1].hosts.reduce((n, h) => n + h.endpoints.length, 0) : -1;
  });
  expect(expected).toBeGreaterThan(0);
  // Select the last step so the topology shows the final world.
  await page.locator('pp-transcript .step').last().click();
  await expect(page.locator('pp-topology .count')).toContainText(`${expected} endpoints`);
  await expect(page.locator('pp-topology [data-node^="ep:"]')).toHaveCount(expected);
  await page.screenshot({ path: `${SHOTS}/04-example-run.png` });
  expect(errors).toEqual([]);
});

const NAT_SCRIPT = `# A published port on a NAT network, reached from a laptop on the LAN
docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 webnat
docker run -d --name web --network webnat -p 8080:80 microsoft/iis
client laptop --ip 10.0.0.50
client laptop curl http://10.0.0.10:8080/
docker exec web ping -n 1 8.8.8.8
Get-NetNat
`;

test('a traffic step shows the NAT rewrite hop, and the packet moves on the topology', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  await setScript(page, NAT_SCRIPT);
  await run(page);
  await page.locator('pp-transcript .step', { hasText: 'client laptop curl' }).click();
  const natRow = page.locator('pp-flow tbody tr', { has: page.locator('.stage.s-nat') }).first();
  await expect(natRow).toBeVisible();
  await natRow.click();
  await expect(natRow).toHaveClass(/current/);
  // The rewrite: a field with its value before and after, highlighted.
  await expect(natRow.locator('.change').first()).toBeVisible();
  const before = await natRow.locator('.before').first().textContent();
  const after = await natRow.locator('.after').first().textContent();
  expect(before).not.toEqual(after);
  await expect(page.locator('pp-topology .packet')).toBeVisible();
  // The editor's line follows the step.
  await expect(page.locator('pp-editor .pp-active-step')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/05-nat-hop.png` });
  // Stepping forward moves the current hop.
  await page.getByRole('button', { name: 'Next hop' }).click();
  await expect(page.locator('pp-flow tr.current')).not.toHaveText(await natRow.textContent() ?? '');
  // Tables as of this step.
  await page.getByRole('tab', { name: 'Tables' }).click();
  await page.locator('pp-tables [role="tab"]', { hasText: 'WinNAT mappings' }).click();
  await expect(page.locator('pp-tables tbody tr').first()).toContainText('8080');
  await page.screenshot({ path: `${SHOTS}/06-tables.png` });
  expect(errors).toEqual([]);
});

test('the editor line selects its step, and a step selects its line', async ({ page }) => {
  await open(page);
  await setScript(page, NAT_SCRIPT);
  await run(page);
  await page.locator('pp-transcript .step', { hasText: 'docker run -d --name web' }).click();
  await expect(page.locator('pp-editor .pp-editor-status')).toContainText('Ln 3,');
  // Moving the cursor to line 6 selects the ping step.
  await page.locator('pp-editor .view-line', { hasText: 'docker exec web ping' }).click();
  await expect(page.locator('pp-transcript .step.selected')).toContainText('ping -n 1 8.8.8.8');
});

test('the share link carries the script and opens it elsewhere', async ({ page, context }) => {
  await open(page);
  await setScript(page, NAT_SCRIPT);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page).toHaveURL(/#v2=[A-Za-z0-9_-]+$/);
  const url = page.url();
  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto(url);
  await expect(other.locator('pp-editor .monaco-editor')).toBeVisible();
  await expect.poll(() => scriptText(other)).toBe(NAT_SCRIPT);
  await other.close();
});

test('the script is autosaved and survives a reload', async ({ page }) => {
  await open(page);
  await setScript(page, '# autosaved\ndocker network ls\n');
  await page.waitForTimeout(500);
  await page.reload();
  await expect(page.locator('pp-editor .monaco-editor')).toBeVisible();
  await expect.poll(() => scriptText(page)).toBe('# autosaved\ndocker network ls\n');
});

test('when the worker dies the page says so, starts a new one and keeps the script', async ({ page }) => {
  await open(page);
  await setScript(page, NAT_SCRIPT);
  await page.evaluate(() => (document.querySelector('pp-playground') as unknown as { core: { crashForTest(): void } }).core.crashForTest());
  await expect(page.locator('.banner.crash')).toContainText('engine worker stopped');
  await expect(page.locator('.engine')).toHaveText(/engine ready/, { timeout: 30_000 });
  expect(await scriptText(page)).toBe(NAT_SCRIPT);
  await page.screenshot({ path: `${SHOTS}/07-worker-crash.png` });
  await run(page);
  await expect(page.locator('pp-transcript .step')).toHaveCount(6);
});

test('a long flood shows progress, can be cancelled, and the page stays responsive', async ({ page }) => {
  await open(page);
  await setScript(page, NAT_SCRIPT + 'flood laptop web tcp/8080 --packets 50000000 --flows 64\n');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // The commands before the flood show up while it runs, then the flood's own progress bar.
  await expect(page.locator('pp-transcript .step', { hasText: 'Get-NetNat' })).toBeVisible();
  await expect(page.locator('.toolbar .progress progress')).toBeVisible();
  // The main thread answers while the worker floods.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - t0).toBeLessThan(1000);
  await page.screenshot({ path: `${SHOTS}/08-flood-progress.png` });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.toolbar .progress')).toBeHidden({ timeout: 10_000 });
  await expect(page.locator('.engine')).toHaveText(/engine ready/, { timeout: 30_000 });
  expect(await scriptText(page)).toContain('flood laptop web');
});

test('a 100,000,000-packet flood on Web Workers: progress, no long task on the page, Cancel stops it', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  // More packets than FLOOD_PARALLEL_THRESHOLD: the core worker shards the flows over nested Web Workers.
  await setScript(page, NAT_SCRIPT + 'flood laptop web tcp/8080 --packets 100000000 --flows 4096 --workers 2\n');
  // Long tasks (over 50 ms) on the page's thread, from the moment the run starts.
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
  });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const bar = page.locator('.toolbar .progress progress');
  await expect(bar).toBeVisible({ timeout: 60_000 });
  // Progress moves while the workers flood.
  const value = async () => Number(await bar.getAttribute('value'));
  const first = await value();
  await expect.poll(value, { timeout: 60_000 }).toBeGreaterThan(first);
  // Three seconds of frames while the flood runs (the steps before it have been drawn).
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
  // The CPU time of the page's thread (Chromium's ThreadTime metric), to tell its own work from
  // time it waited for a CPU on this shared machine.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')!.value;
  const cpu0 = await threadTime();
  const gaps = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let last = performance.now();
        const end = last + 3000;
        const tick = (t: number) => {
          out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(out);
        };
        requestAnimationFrame(tick);
      }),
  );
  expect(gaps.length).toBeGreaterThan(10);
  const busy = (await threadTime()) - cpu0;
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const sorted = [...gaps].sort((a, b) => a - b);
  test.info().annotations.push({
    type: 'page thread during the flood',
    description: `CPU ${(busy * 1000).toFixed(0)} ms of 3,000; frame gaps median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}; long tasks ${JSON.stringify(longTasks)}`,
  });
  // The page's thread does almost nothing while the workers flood: under 10 % of the time (measured
  // 160–175 ms in 3 s: about 1 ms a frame, this test's own frame loop and the progress bar included)...
  expect(busy).toBeLessThan(0.3);
  // ...so a frame waits only for a CPU on this shared machine (load average above 20 here): 95 % of
  // the gaps are under 50 ms, and a task over 50 ms (Long Tasks API, wall time) is rare: at most one.
  expect(sorted[Math.floor(sorted.length * 0.95)]!).toBeLessThan(50);
  expect(longTasks.length).toBeLessThanOrEqual(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.toolbar .progress')).toBeHidden({ timeout: 15_000 });
  await expect(page.locator('pp-transcript .step', { hasText: 'flood laptop web' })).toContainText(/cancelled after [\d,]+ of 100,000,000 packets/);
  await expect(page.locator('pp-transcript .step', { hasText: 'flood laptop web' })).toContainText('2 workers');
});

test('flood rates in Chromium: 2,000,000 packets, 4,096 flows, on one worker and on two', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page);
  for (const workers of [1, 2]) {
    await setScript(page, NAT_SCRIPT + `flood laptop web tcp/8080 --packets 2000000 --flows 4096 --workers ${workers}\n`);
    await run(page);
    const step = page.locator('pp-transcript .step', { hasText: 'flood laptop web' });
    await expect(step).toContainText('delivered  2,000,000', { timeout: 200_000 });
    const text = (await step.textContent()) ?? '';
    const rate = /([\d,]+) packets\/s end to end/.exec(text);
    expect(rate).not.toBeNull();
    if (workers > 1) expect(text).toContain(`${workers} workers`);
    // The figure for the report (docs/behaviour.md's flood section quotes it beside Node's).
    test.info().annotations.push({ type: `chromium flood, ${workers} worker(s)`, description: rate![1]! });
    console.log(`chromium flood ${workers} worker(s): ${rate![1]} packets/s`);
  }
});

test('the bench panel runs in the worker and shows a figure', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page);
  await page.getByRole('tab', { name: 'Bench' }).click();
  await page.getByRole('button', { name: 'Run bench in this browser' }).click();
  const fig = page.locator('pp-bench td.fig.browser').first();
  await expect(fig).toHaveText(/^\d+(\.\d+)?/, { timeout: 200_000 });
  expect(Number.parseFloat((await fig.textContent()) ?? '0')).toBeGreaterThan(0);
  await expect(page.locator('pp-bench .explain')).toContainText('Browser');
  await expect(page.locator('pp-bench .explain')).toContainText('packet-path bench --json');
  await page.screenshot({ path: `${SHOTS}/09-bench.png` });
});

test('the UI shows a hand-written result faithfully: drop reason and responsible line, dark theme', async ({ page }) => {
  const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8'));
  const script = readFileSync('tests/e2e/fixtures/nat-published.pp', 'utf8');
  await open(page);
  await page.evaluate(([r, s]) => (document.querySelector('pp-playground') as unknown as { showResult(r: unknown, s: string): void }).showResult(r, s), [fixture, script] as const);
  await page.locator('pp-transcript .step', { hasText: 'expect-fail docker exec web curl' }).click();
  await expect(page.locator('pp-flow .drop')).toContainText('block-web');
  await page.locator('pp-flow .drop button').click();
  await expect(page.locator('pp-editor .pp-editor-status')).toContainText('Ln 9,');
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await page.locator('pp-transcript .step', { hasText: 'client laptop curl' }).click();
  await page.locator('pp-flow tbody tr', { has: page.locator('.stage.s-nat') }).first().click();
  await page.screenshot({ path: `${SHOTS}/10-fixture-dark.png` });
  await page.getByRole('button', { name: /Switch to light theme/ }).click();
});

test('the topology stays readable at 50 containers on 4 hosts and usable at 500', async ({ page }) => {
  const { scaleWorld } = await import('./fixtures/scale.js');
  await open(page);
  const show = (containers: number) =>
    page.evaluate((w) => {
      const step = { line: 1, host: 'host1', command: 'docker run ...', ok: true, output: '', error: null, warnings: [], traces: [] };
      const r = { version: 1, hosts: [], steps: [step], expectations: [], diagnostics: [], snapshots: [w] };
      (document.querySelector('pp-playground') as unknown as { showResult(r: unknown): void }).showResult(r);
    }, scaleWorld(containers, 4));
  await show(50);
  await expect(page.locator('pp-topology .count')).toContainText('50 endpoints · 4 hosts');
  await expect(page.locator('pp-topology g.node.endpoint')).toHaveCount(50);
  await page.screenshot({ path: `${SHOTS}/11-topology-50.png` });
  // Chips are drawn large enough to read at the fitted zoom, and larger with the pane maximized.
  const textPx = () => page.locator('pp-topology g.node.endpoint text.label').first().evaluate((t) => (t as SVGTextElement).getBoundingClientRect().height);
  expect(await textPx()).toBeGreaterThanOrEqual(8);
  await page.getByRole('button', { name: 'Maximize' }).click();
  await expect.poll(textPx).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: `${SHOTS}/11b-topology-50-maximized.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Maximize' })).toBeVisible();
  await show(500);
  await expect(page.locator('pp-topology .count')).toContainText('500 endpoints · 4 hosts');
  await expect(page.locator('pp-topology [data-group]')).toHaveCount(4);
  await page.screenshot({ path: `${SHOTS}/12-topology-500.png` });
  // Expand one group, zoom and pan: the page keeps answering.
  await page.locator('pp-topology [data-group="host1/nat"]').click();
  await expect(page.locator('pp-topology g.node.endpoint')).toHaveCount(125);
  const view = page.locator('pp-topology .viewport');
  await view.hover();
  await page.mouse.wheel(0, -400);
  await page.mouse.down();
  await page.mouse.move(300, 300);
  await page.mouse.up();
  await page.screenshot({ path: `${SHOTS}/13-topology-500-expanded.png` });
});

test('every example runs in the browser without a page error and draws its world', async ({ page }) => {
  test.setTimeout(900_000);
  const errors = watchErrors(page);
  await open(page);
  const select = page.getByLabel('Examples');
  const ids = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  for (const id of ids) {
    const before = await runCount(page);
    await select.selectOption(id);
    await waitForRun(page, before);
    // The editor holds the example, and the run was of that script.
    expect(await scriptText(page)).toBe(readFileSync(`examples/${id}.pp`, 'utf8'));
    await expect(page.locator('.runinfo .stale')).toHaveCount(0);
    await expect(page.locator('.banner.error')).toHaveCount(0);
    await expect(page.locator('pp-transcript .step').first()).toBeVisible();
    await page.locator('pp-transcript .step').last().click();
    await expect(page.locator('pp-topology [data-node="lan"]')).toBeVisible();
    if (/overlay|vlan|teaming|l2bridge/.test(id)) await page.screenshot({ path: `${SHOTS}/example-${id}.png` });
  }
  expect(errors).toEqual([]);
});

test('the bench panel explains itself: workloads, units, targets, Node\'s date and mode, bars; Run cannot disturb it', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page);
  await page.getByRole('tab', { name: 'Bench', exact: true }).click();
  const rows = page.locator('pp-bench tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('pp-bench .explain')).toContainText(/measured \d{4}-\d{2}-\d{2}, quick/);
  await expect(rows.filter({ hasText: 'nat-new' }).locator('.unit')).toHaveText('M new sessions/s');
  await expect(rows.filter({ hasText: 'pipeline' }).locator('.unit')).toHaveText('Mpps');
  await expect(rows.filter({ hasText: 'pipeline' }).locator('.target')).toContainText('14.88');
  await expect(rows.filter({ hasText: 'pipeline' }).locator('.what')).toContainText('parse');
  await expect(rows.filter({ hasText: 'pipeline' }).locator('.chart-bar.n')).toBeVisible();
  // While the bench measures, neither the Run button nor Ctrl+Enter starts a script.
  await page.getByRole('button', { name: 'Run bench in this browser' }).click();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  const before = await runCount(page);
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('pp-bench td.fig.browser').first()).toHaveText(/^\d+(\.\d+)?/, { timeout: 200_000 });
  expect(await runCount(page)).toBe(before);
  await expect(rows.first().locator('.chart-bar.b')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/60-bench.png` });
});
