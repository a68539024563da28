import { describe, expect, it, vi } from 'vitest';

/** The pin of `npm run test:clock` really moves the clock the suites see, and only `Date`. */
describe('pinned clock setup', () => {
  const pinned = process.env.SWITCHYARD_TEST_NOW;
  it(pinned ? `starts the clock at ${pinned} and lets it run` : 'leaves the real clock alone without SWITCHYARD_TEST_NOW', async () => {
    if (pinned) {
      const start = new Date(pinned).getTime();
      expect(Date.now()).toBeGreaterThanOrEqual(start);
      // This file is the first thing the worker runs after setup; minutes would mean a frozen or real clock.
      expect(Date.now() - start).toBeLessThan(10 * 60_000);
      const before = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(Date.now()).toBeGreaterThan(before);
    } else {
      expect(vi.isFakeTimers()).toBe(false);
    }
  });
});
