import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // SWITCHYARD_TEST_NOW pins the wall clock (npm run test:clock); a no-op otherwise.
    setupFiles: ['test/support/pinned-clock-setup.ts'],
    // Headroom for a machine shared by many: end-to-end tests spawn gateways and load them, and
    // must pass with every core busy. A hung test still fails, just later.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // e2e tests spawn real processes; two cores do not like many at once.
    maxWorkers: 2,
  },
});
