/**
 * Vitest setup: when SWITCHYARD_TEST_NOW is set (an ISO instant), the wall clock of the test
 * process starts there and keeps running (`shouldAdvanceTime`), so time-sensitive suites can be
 * run at period boundaries — a month end in Asia/Taipei, 31 Dec, 29 Feb — on any real date.
 * Only `Date` is faked: timers stay real, so nothing else about the tests changes.
 * `npm run test:clock` runs the time-sensitive suites at each pin.
 */
import { vi } from 'vitest';

const pinned = process.env.SWITCHYARD_TEST_NOW;
if (pinned !== undefined && pinned !== '') {
  const now = new Date(pinned);
  if (Number.isNaN(now.getTime())) throw new Error(`SWITCHYARD_TEST_NOW='${pinned}' is not an ISO 8601 instant`);
  vi.useFakeTimers({ toFake: ['Date'], now, shouldAdvanceTime: true });
}
