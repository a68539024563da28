import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../../test/support/chromium.js';
import { buildAdvice } from './advise.js';
import type { Language } from './localized.js';
import { renderHtmlReport } from './report-html.js';
import { validateAnswersText } from './validate-answers.js';
import { readFileSync } from 'node:fs';

const OUTPUT = fileURLToPath(new URL('../../test-output/advisor/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/advisor/hospital-group-resilience.yaml', import.meta.url));

// Under CI the browser is required: a missing Chromium must fail, not skip.
const describeRendering = describeWithChromium('advisor HTML report rendering test');

describeRendering('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each<Language>(['en', 'zh-TW'])('renders the %s report without console errors or network requests, with all four charts', async (language) => {
    const result = validateAnswersText(readFileSync(EXAMPLE, 'utf8'));
    if (!result.ok) throw new Error('example answers are invalid');
    const html = renderHtmlReport(buildAdvice(result.file, result.weights), language);
    const file = join(OUTPUT, `report.${language}.html`);
    writeFileSync(file, html);

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

    for (const chart of ['score-bars', 'heat-map', 'cost-stack', 'break-even']) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
      expect(box, chart).not.toBeNull();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
    }
    expect(await page.locator('svg[data-chart="score-bars"] rect[data-mode]').count()).toBe(5);
    expect(await page.locator('svg[data-chart="cost-stack"] rect[data-part]').count()).toBe(5);
    expect(await page.locator('svg[data-chart="break-even"] polyline').count()).toBe(2);
    expect(await page.locator('h1').textContent()).toContain('hybrid');

    if (language === 'zh-TW') {
      // Chinese glyphs are real glyphs, not boxes: with the report's own font stack, two different
      // characters must draw differently, and neither like an unassigned code point (a box).
      // A string, not a function: this project's TypeScript has no DOM types.
      const drawings = (await page.evaluate(`(() => {
        const font = getComputedStyle(document.body).fontFamily;
        const draw = (character) => {
          const canvas = document.createElement('canvas');
          canvas.width = 64;
          canvas.height = 64;
          const context = canvas.getContext('2d');
          context.font = '48px ' + font;
          context.fillText(character, 4, 52);
          const pixels = context.getImageData(0, 0, 64, 64).data;
          let ink = 0;
          for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) ink += 1;
          return { key: Array.from(pixels).join(','), ink };
        };
        return { first: draw('資'), second: draw('料'), box: draw('\\u0378'), title: document.querySelector('h1')?.textContent ?? '' };
      })()`)) as { first: { key: string; ink: number }; second: { key: string; ink: number }; box: { key: string; ink: number }; title: string };
      expect(drawings.title).toMatch(/[\u4e00-\u9fff]/);
      expect(drawings.first.ink).toBeGreaterThan(50);
      expect(drawings.first.key, 'two Chinese characters draw alike: both are boxes').not.toBe(drawings.second.key);
      expect(drawings.first.key, 'a Chinese character draws like an unassigned code point (a box)').not.toBe(drawings.box.key);
    }

    await page.screenshot({ path: join(OUTPUT, `report.${language}.png`), fullPage: true });
    // Print to A4 exercises the @media print rules; a PDF with at least one page means it laid out.
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(OUTPUT, `report.${language}.pdf`), pdf);

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
