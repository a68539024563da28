import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../model/principal.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { beginMetering, finishMetering, UNCAPPED_OUTPUT_BOUND } from './meter-request.js';
import { meteringConfigSchema } from './metering-config-schema.js';
import type { MeteringEvent } from './metering-events.js';
import { createMeteringRuntime, MeteringReloadRefused, type MeteringRuntime } from './metering-runtime.js';
import { chatInputTokenBound, choicesOf } from './request-bounds.js';
import { buildSpendReport } from './spend-report.js';
import { validateUsage } from './validate-usage.js';

const NOW = new Date('2026-11-10T00:00:00Z');
const DEPLOYMENTS = [{ id: 'api', tier: 'api' }, { id: 'cloud', tier: 'private-cloud' }, { id: 'local', tier: 'on-prem' }];
const principal: Principal = { id: 'key-1', kind: 'key', team: 'fp', roles: [], tags: {} };
const config = (extra: Record<string, unknown> = {}) =>
  meteringConfigSchema.parse({
    prices: [{ deployment: 'api', input_per_million: 0, output_per_million: 1000 }],
    budgets: [{ id: 'fp', scope: { team: 'fp' }, period: 'day', limit_usd: 0.5 }],
    default_max_output_tokens: 100,
    ...extra,
  });

describe('validateUsage: upstream counts are untrusted', () => {
  const allowance = { inputTokens: 1_000, outputTokens: 200 };

  it('clamps negative, fractional, non-numeric and absurd counts to the allowance and says why', () => {
    const result = validateUsage({ inputTokens: -5, outputTokens: 1e12, cachedInputTokens: 2.5 }, allowance);
    expect(result.usage).toEqual({ inputTokens: 1_000, outputTokens: 200, cachedInputTokens: 1_000 });
    expect(result.anomalies).toEqual([
      { field: 'input', reported: '-5', used: 1_000, reason: 'negative' },
      { field: 'output', reported: '1000000000000', used: 200, reason: 'above_cap' },
      { field: 'cachedInput', reported: '2.5', used: 1_000, reason: 'not_integer' },
    ]);
    const nan = validateUsage({ inputTokens: Number.NaN, outputTokens: Number.POSITIVE_INFINITY } as never, allowance);
    expect(nan.anomalies.map((anomaly) => [anomaly.reason, anomaly.reported])).toEqual([['not_a_number', 'NaN'], ['above_cap', 'Infinity']]);
    const text = validateUsage({ inputTokens: '12' as unknown as number, outputTokens: 3 }, allowance);
    expect(text.usage.inputTokens).toBe(1_000);
    expect(text.anomalies[0]!.reason).toBe('not_a_number');
  });

  it('cached input can never exceed input', () => {
    expect(validateUsage({ inputTokens: 10, outputTokens: 1, cachedInputTokens: 11 }, allowance).usage.cachedInputTokens).toBe(10);
  });

  it('property: believable counts pass unchanged; whatever comes out is a non-negative integer within the allowance', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.oneof(fc.constant(undefined), fc.anything()), fc.nat(10_000), fc.nat(10_000), (input, output, cached, maxIn, maxOut) => {
        const usage = { inputTokens: input, outputTokens: output, ...(cached === undefined ? {} : { cachedInputTokens: cached }) } as never;
        const result = validateUsage(usage, { inputTokens: maxIn, outputTokens: maxOut });
        for (const value of [result.usage.inputTokens, result.usage.outputTokens, result.usage.cachedInputTokens ?? 0]) {
          expect(Number.isInteger(value) && value >= 0).toBe(true);
        }
        expect(result.usage.inputTokens).toBeLessThanOrEqual(maxIn);
        expect(result.usage.outputTokens).toBeLessThanOrEqual(maxOut);
        expect(result.usage.cachedInputTokens ?? 0).toBeLessThanOrEqual(result.usage.inputTokens);
        const believable = Number.isInteger(input) && (input as number) >= 0 && (input as number) <= maxIn && Number.isInteger(output) && (output as number) >= 0 && (output as number) <= maxOut;
        if (believable && cached === undefined) expect(result.anomalies).toEqual([]);
      }),
    );
  });
});

describe('request bounds', () => {
  it('bounds input by UTF-8 bytes (no tokenizer makes a token out of less than a byte), images generously', () => {
    const base = chatInputTokenBound({ model: 'm', stream: false, messages: [] });
    const zh = chatInputTokenBound({ model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: '請幫我摘要這份文件' }] }] });
    expect(zh - base).toBeGreaterThanOrEqual(Buffer.byteLength('請幫我摘要這份文件'));
    const image = chatInputTokenBound({ model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'image', url: 'https://x/y.png' }] }] });
    expect(image - base).toBeGreaterThan(30_000);
    expect(choicesOf({ n: 20 })).toBe(20);
    expect(choicesOf({})).toBe(1);
  });
});

describe('metering with fan-out, clamping and reload', () => {
  let target: StorageTarget;
  let storage: Storage;
  let runtime: MeteringRuntime;
  const events: MeteringEvent[] = [];

  beforeAll(async () => {
    target = sqliteTarget();
    storage = await openMigratedStorage(target.url);
    runtime = createMeteringRuntime({
      storage,
      now: () => NOW,
      config: config(),
      deployments: DEPLOYMENTS,
      onEvent: (event) => events.push(event),
    });
  });
  afterAll(async () => {
    await runtime.close();
    await storage.close();
    await target.dispose();
  });

  const targets = [{ deployment: 'api', model: 'm' }];

  it('reserves n × the output cap: the refusal quotes a different maximum for n = 1 and n = 100', async () => {
    const one = await beginMetering(runtime, { principal, headers: {}, inputTokens: 10, maxOutputTokens: 10, choices: 1, targets });
    expect(one.maxCostUsd).toBeCloseTo(0.01, 10);
    await one.reservation.release();
    const error = await beginMetering(runtime, { principal, headers: {}, inputTokens: 10, maxOutputTokens: 10, choices: 100, targets }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as Error).message).toContain('may cost up to $1.0000');
  });

  it('without a cap, reserves default_max_output_tokens per choice and imposes that cap upstream', async () => {
    const metered = await beginMetering(runtime, { principal, headers: {}, inputTokens: 10, choices: 3, targets });
    expect(metered.imposedMaxOutputTokens).toBe(100);
    expect(metered.allowance).toEqual({ inputTokens: 10, outputTokens: 300 });
    expect(metered.maxCostUsd).toBeCloseTo(0.3, 10);
    await metered.reservation.release();
    // Nobody's budget: nothing imposed, only absurd counts clamped.
    const free = await beginMetering(runtime, { principal: { ...principal, team: 'other' }, headers: {}, inputTokens: 10, targets });
    expect(free.imposedMaxOutputTokens).toBeUndefined();
    expect(free.allowance.outputTokens).toBe(UNCAPPED_OUTPUT_BOUND);
  });

  it('settles clamped usage, flags it, and reports over-reservation instead of hiding it', async () => {
    events.length = 0;
    const metered = await beginMetering(runtime, { principal, headers: {}, inputTokens: 10, maxOutputTokens: 10, choices: 2, targets });
    const result = await finishMetering(runtime, metered, {
      requestId: 'r-clamp', principal, deployment: 'api', model: 'm', usage: { inputTokens: -5, outputTokens: 1e12 }, time: NOW,
    });
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 20 });
    expect(result.costUsd).toBeCloseTo(0.02, 10);
    expect(metered.anomalies.map((anomaly) => anomaly.reason)).toEqual(['negative', 'above_cap']);
    expect(events.filter((event) => event.type === 'usage-clamped')).toHaveLength(2);
    expect(events.some((event) => event.type === 'over-reservation')).toBe(false);

    // A price rise between reserve and settle makes the true cost exceed the hold: settled, and alerted.
    const held = await beginMetering(runtime, { principal, headers: {}, inputTokens: 10, maxOutputTokens: 10, targets });
    runtime.prepare({ config: config({ prices: [{ deployment: 'api', input_per_million: 0, output_per_million: 3000 }] }), deployments: DEPLOYMENTS })();
    const dear = await finishMetering(runtime, held, { requestId: 'r-over', principal, deployment: 'api', model: 'm', usage: { inputTokens: 10, outputTokens: 10 }, time: NOW });
    expect(dear.costUsd).toBeCloseTo(0.03, 10);
    expect(events.find((event) => event.type === 'over-reservation')).toMatchObject({ requestId: 'r-over', budgetIds: ['fp'] });
    expect((await runtime.ledger.usage('fp', '2026-11-10')).spentMicros).toBe(20_000 + 30_000);
  });

  it('prices from the catalogue unless config overrides; on-prem never; unknown models are marked unpriced', async () => {
    expect(runtime.prices.priceFor('cloud', 'gpt-4o-mini-2024-07-18')).toMatchObject({ input: 0.15, output: 0.6, source: { kind: 'catalogue', model: 'gpt-4o-mini' } });
    expect(runtime.prices.priceFor('local', 'gpt-4o-mini')).toBeUndefined();
    const metered = await beginMetering(runtime, { principal: { ...principal, team: 'x' }, headers: {}, inputTokens: 10, maxOutputTokens: 10, targets: [{ deployment: 'cloud', model: 'private-model' }] });
    const result = await finishMetering(runtime, metered, { requestId: 'r-unpriced', principal, deployment: 'cloud', model: 'private-model', usage: { inputTokens: 5, outputTokens: 5 }, time: NOW });
    expect(result.priced).toBe(false);
    await (runtime.spend as { flush?: () => Promise<void> }).flush?.();
    const report = await buildSpendReport(runtime.spend, { by: 'deployment', period: '2026-11', timeZone: 'Asia/Taipei' });
    expect(report.costComplete).toBe(false);
    expect(report.rows.find((row) => row.group === 'cloud')).toMatchObject({ costUsd: 0, unpricedRequests: 1 });
  });

  it('refuses a reload that changes a budget period or the time zone, with the reason, and keeps the old config', () => {
    const before = runtime.config;
    const attempt = () => runtime.prepare({ config: config({ budgets: [{ id: 'fp', scope: { team: 'fp' }, period: 'month', limit_usd: 0.5 }], time_zone: 'UTC' }) });
    expect(attempt).toThrow(MeteringReloadRefused);
    try {
      attempt();
    } catch (error) {
      expect((error as MeteringReloadRefused).problems.map((problem) => problem.path)).toEqual(['metering.time_zone', 'metering.budgets[0].period']);
      expect((error as Error).message).toContain("budget 'fp' changes period from day to month");
    }
    expect(runtime.config).toBe(before);
    // A bad catalogue file refuses too.
    expect(() => runtime.prepare({ config: config({ price_catalogue: '/nonexistent/prices.json' }) })).toThrow(/cannot read/);
  });
});
