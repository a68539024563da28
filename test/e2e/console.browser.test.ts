import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adviceToJson, buildAdvice } from '../../src/advisor/advise.js';
import { MODE_PROFILES } from '../../src/advisor/modes.js';
import { QUESTIONS } from '../../src/advisor/questionnaire.js';
import { validateAnswers } from '../../src/advisor/validate-answers.js';
import { describeWithChromium, launchChromium } from '../support/chromium.js';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The console in a real browser against a running gateway (dist/, the quick-start config):
 * sign in, create a key and use it, find the request in audit, explain a policy decision, run
 * the advisor wizard, then every page in both languages with an accessibility check (axe-core).
 * Screenshots go to test-output/console/. One browser and one page throughout, to keep CI short.
 */
const EXAMPLES = resolve(import.meta.dirname, '../../examples');
const OUTPUT = fileURLToPath(new URL('../../test-output/console/', import.meta.url));
const ADMIN_KEY = readFileSync(join(EXAMPLES, 'admin-key.txt'), 'utf8').trim();
const AXE = readFileSync(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
const PAGES = ['dashboards', 'audit', 'policy', 'keys', 'budgets', 'releases', 'reports', 'advisor'] as const;
const SENSITIVE = '請聯絡王小明 wang@example.com，身分證 A123456789';

/** The quick-start config, its secrets read from examples/, its database in a temp folder. */
function quickstartConfig(): string {
  const text = readFileSync(join(EXAMPLES, 'quickstart.yaml'), 'utf8')
    .replace(/\$\{file:([\w.-]+)\}/g, (_, name: string) => `\${file:${join(EXAMPLES, name)}}`)
    .replace('url: sqlite:./data/switchyard.db', 'url: sqlite:__DIR__/switchyard.db');
  // Dashboards flush every second here (10 s by default), and one budget gives that page a row.
  return `${text}
console:
  rollup: { flush_seconds: 1 }
metering:
  budgets:
    - { id: engineering-monthly, scope: { department: engineering }, period: month, limit_usd: 50 }
`;
}

const describeConsole = describeWithChromium('the console browser tests');

describeConsole('web console in headless Chromium', () => {
  let gateway: RunningProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let requestId = '';
  let userKey = '';

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    [gateway, browser] = await Promise.all([startSwitchyard(['serve', '--config', writeTempConfig(quickstartConfig()), '--port', '0']), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  const open = async (id: string) => {
    await page.goto(`${gateway.url}/console/#/${id}`);
    await page.locator('main h1').first().waitFor();
  };

  it('signs in with the admin key (the key stays on the server: only an httpOnly cookie)', async () => {
    await page.goto(`${gateway.url}/console/`);
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('principal').textContent()).toContain('bootstrap-admin');
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'sy_console', httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('creates a key, shows it once, and the key serves a real request through the gateway', async () => {
    await open('keys');
    await page.getByLabel('Owner').fill('claims-bot');
    await page.getByLabel('Department').fill('claims');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').locator('code').textContent()) ?? '';
    userKey = key;
    expect(key).toMatch(/^sy-/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByTestId('new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: SENSITIVE }] }),
    });
    expect(response.status).toBe(200);
    requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).not.toBe('');
  });

  it('finds that request in the audit log, with its detail and a verified chain', async () => {
    await open('audit');
    await page.getByLabel('Principal').fill('');
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    // The audit writer batches: search again until the record is in.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Search' }).click();
        return row.count();
      }, { timeout: 20_000 })
      .toBe(1);
    await expect.poll(() => page.getByTestId('chain-status').textContent()).toContain('Hash chain verified');
    await row.getByRole('button').click();
    const detail = page.getByTestId('audit-detail');
    expect(await detail.textContent()).toContain(requestId);
    expect(await detail.textContent()).toContain('TW_NATIONAL_ID');
    expect(await detail.getByRole('heading', { name: 'Attempts that failed over' }).count()).toBe(1);
    expect(await row.textContent()).toContain('restricted');

    // A reviewer rejects the answer: the quality dashboard counts it (checked on the dashboards below).
    const feedback = await fetch(`${gateway.url}/v1/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: requestId, rating: 'down', reviewer_verdict: 'rejected' }),
    });
    expect(feedback.status).toBe(200);
  });

  it('explains a policy decision in the playground', async () => {
    await open('policy');
    await page.getByLabel('Text', { exact: true }).fill(SENSITIVE);
    await page.getByRole('button', { name: 'Explain' }).click();
    const result = page.getByTestId('policy-result');
    await result.waitFor();
    expect(await result.locator('[data-field="data-class"]').textContent()).toBe('restricted');
    expect(await result.locator('[data-field="rule"]').textContent()).toContain('restricted-on-prem');
    expect(await result.locator('tr[data-entity]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-entity')))).toEqual(['PERSON', 'EMAIL', 'TW_NATIONAL_ID']);
    expect(await result.locator('[data-field="guard"]').textContent()).toContain('allow');
  });

  it('runs the advisor wizard to the recommendation `switchyard advise` gives for the same answers', async () => {
    await open('advisor');
    const answers: Record<string, string | boolean> = {};
    for (const question of QUESTIONS) {
      const first = question.options[0];
      if (!first) throw new Error('question without options');
      answers[question.key] = first.value;
      await page.getByLabel(first.label.en, { exact: true }).check();
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await page.getByRole('button', { name: 'Next' }).click(); // default weights
    await page.getByRole('button', { name: 'Get the report' }).click();
    const advice = page.getByTestId('advice');
    await advice.waitFor();
    const validated = validateAnswers({ answers });
    if (!validated.ok) throw new Error('the wizard answers are not valid answers');
    const expected = adviceToJson(buildAdvice(validated.file, validated.weights), 'en');
    expect(await advice.getByRole('heading').first().textContent()).toBe(`Recommended: ${MODE_PROFILES[expected.recommendation.mode].name.en}`);
    expect(await advice.locator('tr[data-mode]').count()).toBe(expected.modes.length);
  });

  it('renders every page in English and zh-TW with the gateway\'s data, with no serious or critical accessibility violation', async () => {
    const violations: string[] = [];
    for (const language of ['en', 'zh-TW'] as const) {
      await open('dashboards');
      await page.locator('header select').selectOption(language);
      for (const id of PAGES) {
        await open(id);
        // Wait for the page's data: charts, tables or forms, whichever it has.
        await page.waitForLoadState('networkidle');
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        const text = await page.locator('body').innerText();
        expect(text, `${id} (${language}) shows a message key`).not.toMatch(/\b(?:nav|audit|keys|figure|dashboards|policy|budgets|releases|reports|advisor|signIn|app|range)\.[a-zA-Z]/);
        expect(text, `${id} (${language}) has an unfilled placeholder`).not.toMatch(/\{\w+\}/);
        if (language === 'zh-TW') expect(await page.locator('main h1').first().textContent()).toMatch(/[\u4e00-\u9fff]/);
        if (id === 'dashboards') {
          expect(await page.locator('[data-chart] canvas').count()).toBe(5);
          await expect.poll(async () => {
            await page.locator('select').nth(1).selectOption('1h');
            return page.locator('[data-figure="requests"] .tile-value').textContent();
          }, { timeout: 15_000 }).not.toBe('0');
          await expect.poll(async () => {
            await page.locator('select').nth(1).selectOption('24h');
            await page.locator('select').nth(1).selectOption('1h');
            return page.locator('[data-figure="review_rejections"] .tile-value').textContent();
          }, { timeout: 15_000 }).toBe('1');
          expect(await page.locator('[data-figure="negative_feedback"] .tile-value').textContent()).toBe('1');
        }
        await page.evaluate(AXE);
        const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))`)) as Array<{ id: string; impact: string; nodes: number }>;
        for (const violation of result) if (violation.impact === 'serious' || violation.impact === 'critical') violations.push(`${id} (${language}): ${violation.id} ×${violation.nodes}`);
        await page.screenshot({ path: join(OUTPUT, `console-${id}.${language}.png`), fullPage: id !== 'dashboards' });
      }
    }
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });
});
