/**
 * End-to-end tests of the playground: the built app (site/, `npm run build:web`) served by
 * `vite preview`, driven in Debian's Chromium (`apt-get install -y chromium`).
 */
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PP_E2E_PORT ?? 4317);

export default defineConfig({
  testDir: 'tests/e2e',
  // The machine is shared: generous timeouts, the assertions stay strict.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  webServer: {
    // Builds first so the tests never run against a stale site/ (PP_E2E_SKIP_BUILD=1 skips it).
    command: `${process.env.PP_E2E_SKIP_BUILD ? '' : 'npx vite build && '}npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
