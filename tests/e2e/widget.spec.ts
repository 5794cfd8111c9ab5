/**
 * The docs widget end to end, in Debian's Chromium against the built site (vite preview): the library
 * file `packet-path-widget.js` loaded by a third-party page (tests/e2e/fixtures/widget-test.html,
 * served by the test at /widget-test.html) with its own hostile CSS. Screenshots go to
 * playwright-report/screenshots/ for a person to look at.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';

const SHOTS = 'playwright-report/screenshots';
const FIXTURE = readFileSync('tests/e2e/fixtures/widget-test.html', 'utf8');

/** Collects console errors and uncaught page errors. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Serves `html` as a page of the site (so it loads ./packet-path-widget.js from the build) and opens it. */
async function openPage(page: Page, html: string, path = 'widget-test.html'): Promise<void> {
  await page.route(`**/${path}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(`/${path}`);
}

const widget = (page: Page, id: string): Locator => page.locator(`packet-path-widget#${id}`);

/** Monaco's own code (not the widget's): its core chunk and its editor worker. */
const MONACO = /\/assets\/(editor\.api|editor\.worker)[^/]*\.js$/;

test('three widgets render and run; an error stays in its widget; Monaco only for the editable one', async ({ page }) => {
  const errors = watchErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPage(page, FIXTURE);
  const ro = widget(page, 'ro');
  const ed = widget(page, 'ed');
  const auto = widget(page, 'auto');
  const broken = widget(page, 'broken');

  // Read-only: the script as highlighted text, no editor.
  await expect(ro.locator('.source .ln')).toHaveCount(4);
  await expect(ro.locator('.source .ln').nth(1).locator('.t-keyword-pp')).toHaveText('client');
  await ro.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(ro).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await expect(ro.locator('pp-transcript .step').last()).toContainText('<title>IIS Windows Server</title>');
  // The flow opens on WinNAT's translation of the published port: 10.0.0.10:8080 -> the container's :80.
  const natHop = ro.locator('pp-flow tr.current');
  await expect(natHop).toContainText('translate');
  await expect(natHop.locator('.change', { hasText: 'ip.dst' }).locator('.before')).toHaveText('10.0.0.10');
  await expect(natHop.locator('.change', { hasText: 'tcp.dport' }).locator('.after')).toHaveText('80');
  await expect(ro.locator('pp-topology [data-node^="ep:"]')).toHaveCount(1);
  await expect(ro.locator('.monaco-editor')).toHaveCount(0);
  expect(requests.filter((u) => MONACO.test(u))).toEqual([]);
  await ro.screenshot({ path: `${SHOTS}/widget-readonly.png` });

  // Editable: Monaco arrives when the widget is scrolled into view.
  await ed.scrollIntoViewIfNeeded();
  await expect(ed.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  expect(requests.some((u) => MONACO.test(u))).toBe(true);
  await ed.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(ed).toHaveAttribute('status', 'done', { timeout: 60_000 });
  // Its script has a failing command: the daemon's error on that step, the steps after it still run.
  const failed = ed.locator('pp-transcript .step.failed');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('plugin "bridge" not found');
  await expect(ed.locator('pp-transcript .step').last()).toContainText('Reply from 8.8.8.8');
  await expect(ed.locator('.monaco-editor .squiggly-error').first()).toBeVisible();
  await ed.screenshot({ path: `${SHOTS}/widget-editable.png` });

  // Edit in Monaco, run with Ctrl+Enter.
  await ed.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('docker network create -d nat --subnet=172.16.9.0/24 --gateway=172.16.9.1 edited\ndocker network ls\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(ed.locator('pp-transcript .step')).toHaveCount(2, { timeout: 60_000 });
  await expect(ed.locator('pp-transcript .step').last()).toContainText('edited');
  await expect(ed.getByRole('button', { name: 'Reset' })).toBeVisible();

  // Autorun: runs by itself once scrolled into view, and shows the VXLAN header being added.
  await auto.scrollIntoViewIfNeeded();
  await expect(auto).toHaveAttribute('status', 'done', { timeout: 60_000 });
  const encap = auto.locator('pp-flow tr.current');
  await expect(encap).toContainText('vxlan-encap');
  await expect(encap.locator('.change', { hasText: 'vxlan.vni' }).locator('.after')).toHaveText(/^\d{4,}$/);
  await expect(auto.locator('pp-topology [data-node^="ep:"]')).toHaveCount(2);
  await auto.screenshot({ path: `${SHOTS}/widget-autorun.png` });
  // The topology's Maximize gives it the window; Esc gives it back.
  await auto.getByRole('button', { name: 'Maximize' }).click();
  const pane = auto.locator('section.pane.topology');
  await expect(pane).toHaveClass(/\bmax\b/);
  const box = await pane.boundingBox();
  expect(box!.width).toBeGreaterThan(1300);
  expect(box!.height).toBeGreaterThan(800);
  await page.screenshot({ path: `${SHOTS}/widget-topology-maximized.png` });
  await page.keyboard.press('Escape');
  await expect(pane).not.toHaveClass(/\bmax\b/);

  // A widget whose script cannot be loaded says so, and nothing else is affected.
  await expect(broken).toHaveAttribute('status', 'error');
  await expect(broken.locator('.note.error')).toContainText('Cannot load the script');
  await expect(ro).toHaveAttribute('status', 'done');
  await expect(ro.locator('pp-transcript .step')).toHaveCount(3);

  // Monaco only ever went into the editable widget; one engine worker and one wasm download served all.
  await expect(ro.locator('.monaco-editor')).toHaveCount(0);
  await expect(auto.locator('.monaco-editor')).toHaveCount(0);
  expect(page.workers().filter((w) => /core\.worker/.test(w.url()))).toHaveLength(1);
  expect(requests.filter((u) => /\.wasm$/.test(u))).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('the page’s CSS does not reach into a widget, and the widget changes nothing of the page', async ({ page }) => {
  const probe = () =>
    page.evaluate(() =>
      ['title', 'probe', 'page-button', 'page-pre', 'page-code', 'end'].map((id) => {
        const cs = getComputedStyle(document.getElementById(id)!);
        return [id, cs.fontFamily, cs.fontSize, cs.lineHeight, cs.color, cs.backgroundColor, cs.margin, cs.padding, cs.whiteSpace, cs.textTransform].join(' | ');
      }),
    );
  // The same page without the widget library: the page's own look.
  await openPage(page, FIXTURE.replace(/<script type="module"[^>]*><\/script>/, ''), 'no-widgets.html');
  const before = await probe();

  await openPage(page, FIXTURE);
  const ro = widget(page, 'ro');
  await ro.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(ro).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await widget(page, 'ed').scrollIntoViewIfNeeded();
  await expect(widget(page, 'ed').locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  expect(await probe()).toEqual(before);

  // Inside: the theme's font, colours and layout, whatever the page says about *, div, svg, button, pre.
  const inside = await ro.evaluate((el) => {
    const root = el.shadowRoot!;
    const cs = (sel: string) => getComputedStyle(root.querySelector(sel)!);
    const topo = root.querySelector('pp-topology')!.shadowRoot!;
    return {
      captionFont: cs('.caption').fontFamily,
      captionColor: cs('.caption').color,
      barBackground: cs('.bar').backgroundColor,
      runButton: [cs('button.run').textTransform, cs('button.run').fontSize],
      codeWhiteSpace: cs('.source pre').whiteSpace,
      svgDisplay: getComputedStyle(topo.querySelector('svg')!).display,
      letterSpacing: cs('.caption').letterSpacing,
    };
  });
  expect(inside.captionFont).not.toMatch(/Georgia/);
  expect(inside.captionFont).toMatch(/^system-ui/);
  expect(inside.captionColor).toBe('rgb(31, 31, 31)'); // --pp-fg of the light theme, not the page's red
  expect(inside.barBackground).toBe('rgb(240, 240, 240)');
  expect(inside.runButton).toEqual(['none', '12px']);
  expect(inside.codeWhiteSpace).not.toBe('normal');
  expect(inside.svgDisplay).toBe('block');
  expect(inside.letterSpacing).toBe('normal');
});

/** A page with one widget, `gap` pixels below the top. */
function onePage(script: string, gap: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>one widget</title></head><body style="margin:0">
    <div style="height:${gap}px"></div>
    <packet-path-widget id="w" autorun readonly>
      <script type="text/x-packet-path">${script}</script>
    </packet-path-widget>
    <div style="height:2000px"></div>
    <script type="module" src="./packet-path-widget.js"></script></body></html>`;
}

const NAT = `# A published port
client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
client laptop curl http://10.0.0.10:8080/`;

/** Milliseconds from `t0` (page clock) to the widget's first topology; the run and the drawing apart. */
async function firstTopology(page: Page, t0: number, parts?: { run: number[]; draw: number[] }): Promise<number> {
  const w = widget(page, 'w');
  await expect(w).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await expect(w.locator('pp-topology [data-node^="ep:"]').first()).toBeVisible();
  const t = await w.evaluate((el) => (el as unknown as { timing: { runStart: number; runEnd: number; topology: number } }).timing);
  parts?.run.push(t.runEnd - t.runStart);
  parts?.draw.push(t.topology - t.runEnd);
  return t.topology - t0;
}

/** The middle value. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test('measures how long the first topology takes after the widget enters the viewport', async ({ page }) => {
  test.setTimeout(300_000);
  // Five trials of each case, each in a fresh page. The machine is shared (other builds and tests run
  // on its two cores), so single figures swing by a factor of three: the best of five is the figure
  // the widget is held to (what it does on this machine when it gets the machine), the median is
  // reported beside it.
  const trials: Record<string, number[]> = { 'in view at load (cold engine)': [], 'jumped to 300 ms after load': [], 'jumped to, engine warm': [] };
  const parts = { run: [] as number[], draw: [] as number[] };
  for (let k = 0; k < 5; k++) {
    // Cold: the page opens with the widget in view (worker start, wasm compile and the run all count).
    await openPage(page, onePage(NAT, 0), `cold-in-view-${k}.html`);
    await expect(widget(page, 'w')).toHaveAttribute('status', 'done', { timeout: 60_000 });
    const visible = await widget(page, 'w').evaluate((el) => (el as unknown as { timing: { visible: number } }).timing.visible);
    trials['in view at load (cold engine)'].push(await firstTopology(page, visible, parts));

    // Jumped to shortly after load: the widget is far below the fold; the engine started at idle time.
    await openPage(page, onePage(NAT, 4000), `cold-scrolled-${k}.html`);
    await page.waitForTimeout(300);
    const t0 = await page.evaluate(() => {
      window.scrollTo(0, 3900);
      return performance.now();
    });
    trials['jumped to 300 ms after load'].push(await firstTopology(page, t0, parts));

    // Warm: the engine has run another widget at the top of the page; jump to this one.
    const warm = onePage(NAT, 4000).replace('<div style="height:4000px"></div>', `<packet-path-widget autorun readonly><script type="text/x-packet-path">docker network ls</script></packet-path-widget><div style="height:4000px"></div>`);
    await openPage(page, warm, `warm-scrolled-${k}.html`);
    await expect(page.locator('packet-path-widget').first()).toHaveAttribute('status', 'done', { timeout: 60_000 });
    const t1 = await page.evaluate(() => {
      window.scrollTo(0, 4500);
      return performance.now();
    });
    trials['jumped to, engine warm'].push(await firstTopology(page, t1, parts));
  }
  await widget(page, 'w').screenshot({ path: `${SHOTS}/widget-first-topology.png` });

  const best = Object.fromEntries(Object.entries(trials).map(([k, v]) => [k, Math.round(Math.min(...v))]));
  const medians = Object.fromEntries(Object.entries(trials).map(([k, v]) => [k, Math.round(median(v))]));
  for (const [k, v] of Object.entries(trials)) {
    test.info().annotations.push({ type: 'first topology', description: `${k}: best ${best[k]} ms, median ${medians[k]} ms (${v.map((x) => x.toFixed(0)).join(', ')})` });
  }
  const round = (_: string, v: unknown) => (typeof v === 'number' ? Math.round(v) : v);
  console.log('first topology after entering the viewport (ms):', JSON.stringify(trials, round), 'best', JSON.stringify(best), 'median', JSON.stringify(medians));
  console.log('of which the run in the worker:', JSON.stringify(parts.run, round), 'drawing after the result:', JSON.stringify(parts.draw, round));
  // Speed is measured and reported (the figures above), never asserted: npm test has no timed
  // assertions (a shared machine makes them flaky). What must hold is that every trial drew.
  for (const list of Object.values(trials)) for (const v of list as number[]) expect(Number.isFinite(v) && v > 0).toBe(true);
});

test('theme: light by default, dark on request, auto follows the reader’s system', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const tiny = (attrs: string) => `<packet-path-widget ${attrs} readonly views="editor"><script type="text/x-packet-path">docker network ls</script></packet-path-widget>`;
  await openPage(page, `<!doctype html><html><body>${tiny('id="l"')}${tiny('id="d" theme="dark"')}${tiny('id="a" theme="auto"')}<script type="module" src="./packet-path-widget.js"></script></body></html>`, 'themes.html');
  const frame = (id: string) => widget(page, id).locator('.frame');
  await expect(frame('l')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await expect(frame('d')).toHaveCSS('background-color', 'rgb(31, 31, 31)');
  await expect(frame('a')).toHaveCSS('background-color', 'rgb(31, 31, 31)');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(frame('a')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await expect(frame('d')).toHaveCSS('background-color', 'rgb(31, 31, 31)');
});

test('the playground’s Embed button gives a snippet that runs the same script on another page', async ({ page }) => {
  await page.addInitScript(() => localStorage.clear());
  await page.goto('/');
  await expect(page.locator('pp-editor .monaco-editor')).toBeVisible({ timeout: 30_000 });
  const script = await page.evaluate(() => (document.querySelector('pp-editor') as unknown as { script: string }).script);
  expect(script.trim()).not.toBe('');
  await page.getByRole('button', { name: /Embed/ }).click();
  const snippet = await page.getByLabel('Embed snippet').inputValue();
  expect(snippet).toMatch(/^<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/packet-path-widget\.js"><\/script>\n<packet-path-widget autorun>/);

  await openPage(page, `<!doctype html><html><head><meta charset="utf-8"></head><body>${snippet}</body></html>`, 'embedded.html');
  const w = page.locator('packet-path-widget');
  await expect(w).toHaveAttribute('status', 'done', { timeout: 60_000 });
  expect((await w.evaluate((el) => (el as unknown as { script: string }).script)).trimEnd()).toBe(script.trimEnd());
  await expect(w.locator('pp-transcript .step').first()).toBeVisible();
});

test('sizes: the widget’s JavaScript and the wasm, gzip, as served', async ({ request, baseURL }) => {
  const { gzipSync } = await import('node:zlib');
  const get = async (url: string) => {
    const r = await request.get(url);
    expect(r.ok(), url).toBe(true);
    return r.body();
  };
  /** A chunk and every chunk it imports statically (what loads before the element is defined). */
  const closure = async (entry: string) => {
    const seen = new Map<string, Buffer>();
    const walk = async (url: string) => {
      if (seen.has(url)) return;
      const body = await get(url);
      seen.set(url, body);
      for (const m of body.toString('utf8').matchAll(/(?:^|[;}\s])import\s*(?:[^'"`()]*?from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) await walk(new URL(m[1], url).href);
    };
    await walk(entry);
    return seen;
  };
  const gz = (files: Map<string, Buffer>) => [...files.values()].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  const kb = (n: number) => Math.round(n / 102.4) / 10;

  const entry = new URL('packet-path-widget.js', baseURL).href;
  const first = await closure(entry);
  const source = [...first.values()].map((b) => b.toString('utf8')).join('\n');
  const workerName = /assets\/(core\.worker-[\w-]+\.js)/.exec(source)?.[1];
  expect(workerName, 'the widget names its engine worker').toBeTruthy();
  const worker = await closure(new URL(`assets/${workerName}`, baseURL).href);
  const wasmName = /(core-[\w-]+\.wasm)/.exec([...worker.values()].map((b) => b.toString('utf8')).join('\n'))?.[1];
  expect(wasmName, 'the worker names the wasm').toBeTruthy();
  const wasm = await get(new URL(`assets/${wasmName}`, baseURL).href);
  const sizes = { widgetFirstLoadKB: kb(gz(first)), engineWorkerKB: kb(gz(worker)), wasmKB: kb(gzipSync(wasm, { level: 9 }).length), files: first.size };
  console.log('gzip sizes (KB):', JSON.stringify(sizes));
  test.info().annotations.push({ type: 'sizes (gzip)', description: JSON.stringify(sizes) });
  // The widget's own JavaScript (the element, Lit, the views, the highlighter; Monaco and the engine
  // worker load later, on their own) and the data plane.
  expect(sizes.widgetFirstLoadKB).toBeLessThanOrEqual(150);
  expect(sizes.wasmKB).toBeLessThanOrEqual(100);
});
