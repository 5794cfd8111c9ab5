import { test, expect } from '@playwright/test';
const NAT_SCRIPT = `# A published port on a NAT network, reached from a laptop on the LAN
docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 webnat
docker run -d --name web --network webnat -p 8080:80 microsoft/iis
client laptop --ip 10.0.0.50
client laptop curl http://10.0.0.10:8080/
docker exec web ping -n 1 8.8.8.8
Get-NetNat
`;
test('dbg share', async ({ page, context }) => {
  page.on('console', (m) => console.log('P1', m.text()));
  await page.goto('/');
  await expect(page.locator('pp-editor .monaco-editor')).toBeVisible();
  await page.locator('pp-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(NAT_SCRIPT);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page).toHaveURL(/#v1=[A-Za-z0-9_-]+$/);
  const url = page.url();
  console.log(url);
  const other = await context.newPage();
  other.on('console', (m) => console.log('P2', m.text()));
  await other.addInitScript(() => localStorage.clear());
  await other.goto(url);
  await other.waitForTimeout(3000);
  console.log(JSON.stringify(await other.evaluate(() => location.hash)));
  console.log(JSON.stringify(await other.evaluate(() => (document.querySelector('pp-editor') as any).script)));
});
