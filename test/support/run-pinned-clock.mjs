#!/usr/bin/env node
/**
 * `npm run test:clock`: runs the time-sensitive suites with the clock pinned just before period
 * boundaries, so a test that reads "today" instead of an injected clock fails here on any date,
 * not on the one day of the year it would fail in CI. The pins start a few seconds before the
 * boundary, so a suite that takes a while also crosses it. Exit code: the first failure's.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const PINS = [
  // 2026-11-30 23:59:55 in Taipei: month end in the default metering zone (UTC is still 15:59).
  { name: 'month end in Asia/Taipei', now: '2026-11-30T15:59:55Z', tz: 'Asia/Taipei' },
  // 2026-12-31 23:59:55 in Taipei: month and year roll over together; the process runs in UTC.
  { name: '31 Dec (Taipei year end)', now: '2026-12-31T15:59:55Z', tz: 'UTC' },
  // Leap day, late in the UTC day: 29 Feb is already 1 Mar in Taipei.
  { name: '29 Feb', now: '2028-02-29T23:59:55Z', tz: 'Asia/Taipei' },
];

/**
 * Suites whose results depend on the calendar: budgets, spend periods, key expiry, audit ranges.
 * In-process only: a suite that spawns a CLI compares the child's real clock with the pinned one.
 */
export const TIME_SENSITIVE_SUITES = [
  'test/support/pinned-clock.test.ts',
  'src/metering/',
  'src/audit/verify-chain.test.ts',
  'src/audit/export-audit.test.ts',
  'src/audit/audit-runtime.test.ts',
  'src/identity/api-key-service.test.ts',
  'src/http/routes/admin-keys.test.ts',
  'src/routing/memory-rate-limiter.test.ts',
];

const root = resolve(import.meta.dirname, '../..');
const vitest = resolve(root, 'node_modules/vitest/vitest.mjs');
const suites = process.argv.length > 2 ? process.argv.slice(2) : TIME_SENSITIVE_SUITES;
for (const pin of PINS) {
  process.stdout.write(`\n== clock pinned to ${pin.now} (${pin.name}, TZ=${pin.tz})\n`);
  const result = spawnSync(process.execPath, [vitest, 'run', ...suites], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SWITCHYARD_TEST_NOW: pin.now, TZ: pin.tz },
  });
  if (result.status !== 0) {
    process.stderr.write(`time-sensitive suites failed with the clock at ${pin.now} (${pin.name})\n`);
    process.exit(result.status ?? 1);
  }
}
