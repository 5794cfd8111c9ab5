/**
 * Widgets on one docs page share one engine: each can be cancelled, queued or running, and one
 * widget's long run does not keep the others from running once it is cancelled (issue 13, budgets).
 */
import { test, expect, type Page } from '@playwright/test';

function page2(flood: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widgets sharing one engine</title></head><body>
  <main>
  <packet-path-widget id="long" readonly autorun views="transcript">
    <script type="text/x-packet-path">
      client laptop --ip 10.0.0.50
      docker run -d --name web -p 8080:80 microsoft/iis
      ${flood}
    </script>
  </packet-path-widget>
  <packet-path-widget id="quick" readonly autorun views="transcript">
    <script type="text/x-packet-path">
      docker network ls
    </script>
  </packet-path-widget>
  <packet-path-widget id="queued" readonly views="transcript">
    <script type="text/x-packet-path">
      docker ps
    </script>
  </packet-path-widget>
  </main>
  <script type="module" src="./packet-path-widget.js"></script></body></html>`;
}

async function serve(page: Page, html: string): Promise<void> {
  await page.route('**/widgets-cancel.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto('/widgets-cancel.html');
}

test('a running widget can be cancelled and the widget queued behind it then runs', async ({ page }) => {
  await serve(page, page2('flood laptop web tcp/8080 --packets 50000000 --flows 64'));
  const long = page.locator('#long');
  const quick = page.locator('#quick');
  await expect(long.getByRole('button', { name: 'Cancel' })).toBeVisible({ timeout: 60_000 });
  // The quick widget waits in the queue behind the flood (it shows its own Cancel meanwhile).
  await expect(quick).toHaveAttribute('status', 'running');
  await long.getByRole('button', { name: 'Cancel' }).click();
  await expect(long.locator('.note.error')).toContainText('cancelled', { timeout: 20_000 });
  await expect(quick).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await expect(quick.locator('pp-transcript .step')).toContainText('docker network ls');
});

test('a queued widget can be cancelled before it starts; the others are not held up', async ({ page }) => {
  await serve(page, page2('flood laptop web tcp/8080 --packets 2000000 --flows 64'));
  const long = page.locator('#long');
  const quick = page.locator('#quick');
  const queued = page.locator('#queued');
  await expect(long.getByRole('button', { name: 'Cancel' })).toBeVisible({ timeout: 60_000 });
  await queued.getByRole('button', { name: 'Run' }).click();
  await expect(queued.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await queued.getByRole('button', { name: 'Cancel' }).click();
  await expect(queued.locator('.note.error')).toContainText('cancelled', { timeout: 60_000 });
  await expect(long).toHaveAttribute('status', 'done', { timeout: 120_000 });
  await expect(quick).toHaveAttribute('status', 'done', { timeout: 60_000 });
  await expect(queued.locator('pp-transcript .step')).toHaveCount(0);
});
