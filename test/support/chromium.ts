import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe } from 'vitest';

/**
 * Debian's headless Chromium for the rendering and console tests (.ci/run installs it with
 * fonts-noto-cjk). Playwright's launch() gives every browser a fresh temporary profile
 * (its own --user-data-dir, removed on close), so no test sees another's cookies or storage.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const chromiumAvailable = existsSync(CHROMIUM);

/** `describe` when Chromium is there or CI=true (where its absence must fail), else `describe.skip` with a notice. */
export function describeWithChromium(what: string): typeof describe | typeof describe.skip {
  if (chromiumAvailable || process.env.CI === 'true') return describe;
  console.warn(`SKIPPED: ${what} needs ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk); it never skips under CI=true.`);
  return describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
