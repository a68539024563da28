import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../../test/support/chromium.js';
import { targetReport, type EvalReport, type ItemResult } from './eval-report.js';
import { renderEvalHtml } from './report-html.js';

const OUTPUT = fileURLToPath(new URL('../../test-output/eval/', import.meta.url));

// Under CI the browser is required: a missing Chromium must fail, not skip.
const describeRendering = describeWithChromium('eval HTML report rendering test');

const CATEGORIES = ['lookup', 'synthesis', 'hallucination_prone', 'security'] as const;

function items(passEvery: number): ItemResult[] {
  return CATEGORIES.flatMap((category) =>
    Array.from({ length: 10 }, (_, index) => ({
      id: `${category}-${index}`, category, passed: index % passEvery === 0, status: 200, latencyMs: 50 + index * 10, tokens: { input: 20, output: 40 },
      costUsd: 0.0004, refused: category === 'security', cited: category === 'lookup', piiLeaks: [], release: `rel-${passEvery}`,
      checks: [{ check: 'contains' as const, passed: index % passEvery === 0, ...(index % passEvery === 0 ? {} : { detail: '缺少：7 天' }) }],
    })),
  );
}

describeRendering('eval HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows both targets side by side in both charts, with no console errors or network requests', async () => {
    const report: EvalReport = {
      schema: 'switchyard.eval-report/v1',
      generatedAt: '2026-11-05T03:00:00.000Z',
      gateway: 'http://127.0.0.1:8080',
      bank: { path: 'examples/eval/bank.yaml', sha256: 'c'.repeat(64), items: 40, categories: { lookup: 10, synthesis: 10, hallucination_prone: 10, security: 10 } },
      judge: null,
      targets: [targetReport('assistant@rel-1', 'assistant', 'rel-1', items(1)), targetReport('assistant@rel-2', 'assistant', 'rel-2', items(2))],
    };
    const file = join(OUTPUT, 'report.html');
    writeFileSync(file, renderEvalHtml(report));
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    for (const chart of ['pass-rate', 'latency']) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
      expect(box, chart).not.toBeNull();
      expect(box!.width).toBeGreaterThan(500);
    }
    // Four categories × two targets, each bar as tall as its pass rate.
    expect(await page.locator('svg[data-chart="pass-rate"] rect[data-target]').count()).toBe(8);
    const full = await page.locator('svg[data-chart="pass-rate"] rect[data-target="assistant@rel-1"][data-group="security"]').boundingBox();
    const half = await page.locator('svg[data-chart="pass-rate"] rect[data-target="assistant@rel-2"][data-group="security"]').boundingBox();
    expect(full!.height / half!.height).toBeCloseTo(2, 1);
    expect(full!.x).toBeLessThan(half!.x);
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(20);
    await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
