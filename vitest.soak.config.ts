import { defineConfig } from 'vitest/config';

/** `npm run soak`: the long fuzz run, apart from `npm test`. */
export default defineConfig({
  test: {
    include: ['tests/soak/**/*.soak.ts'],
    testTimeout: 24 * 3600_000,
  },
});
