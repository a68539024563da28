import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadtestReportSchema } from '../../src/loadtest/report-schema.js';
import { renderLoadtestHtml } from '../../src/loadtest/report-html.js';
import { syntheticReport } from './synthetic-report.js';
import { describeWithChromium, launchChromium } from '../support/chromium.js';

const OUTPUT = fileURLToPath(new URL('../../test-output/loadtest/', import.meta.url));

// Under CI the browser is required: a missing Chromium must fail, not skip.
const describeRendering = describeWithChromium('load-test HTML rendering');

describe('load-test report (no browser)', () => {
  it('matches the documented JSON schema', () => {
    expect(loadtestReportSchema.safeParse(syntheticReport()).success).toBe(true);
  });

  it('escapes scenario names and descriptions', () => {
    const report = syntheticReport();
    report.scenarios[0]!.name = '<script>alert(1)</script>';
    const html = renderLoadtestHtml(report, 'en');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describeRendering('load-test HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each(['en', 'zh-TW'] as const)('renders the %s report with both charts, no console errors and no network requests', async (language) => {
    const report = syntheticReport();
    const file = join(OUTPUT, `loadtest.${language}.html`);
    writeFileSync(file, renderLoadtestHtml(report, language));
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });

    for (const chart of ['latency-over-time', 'cost-breakdown']) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
      expect(box, chart).not.toBeNull();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
    }
    // Two lines (p95, p50) per scenario, each with a point per second it ran.
    expect(await page.locator('svg[data-chart="latency-over-time"] polyline').count()).toBe(6);
    const points = await page.locator('svg[data-chart="latency-over-time"] polyline[data-scenario="normal"][data-series="p95"]').getAttribute('points');
    expect(points?.trim().split(' ')).toHaveLength(report.scenarios[0]!.timeline.length);
    // Per scenario: API base + four drivers, private cloud fixed + variable, on-prem.
    expect(await page.locator('svg[data-chart="cost-breakdown"] rect[data-part]').count()).toBe(3 * 8);
    const retriesBar = await page.locator('svg[data-chart="cost-breakdown"] rect[data-part="retries"]').nth(2).boundingBox();
    expect(retriesBar!.height).toBeGreaterThan(0);
    expect(await page.locator('section[data-scenario]').count()).toBe(3);
    // The fault run lists each fault with what the client saw while it was on.
    const faultRows = page.locator('section[data-scenario="faults"] [data-faults] tbody tr');
    expect(await faultRows.count()).toBe(7);
    expect(await page.locator('h1').textContent()).toBe(language === 'zh-TW' ? '負載、故障與成本測試' : 'Load, fault and cost test');
    await page.screenshot({ path: join(OUTPUT, `loadtest.${language}.png`), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
