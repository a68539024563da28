import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { attributionTags, parseTagsHeader } from './attribution-tags.js';
import { periodKey, periodRange } from './budget-period.js';
import { createStreamMeter, estimateChatInputTokens, estimateTextTokens, resolveUsage } from './count-tokens.js';
import { meteringConfigSchema } from './metering-config-schema.js';
import { amortisedFixedCost, costOfUsage, createPriceTable, maxCostOf } from './price-table.js';

describe('token counting', () => {
  it('prefers provider usage and marks estimates', () => {
    expect(resolveUsage({ inputTokens: 7, outputTokens: 3 }, () => ({ inputTokens: 1, outputTokens: 1 }))).toEqual({ inputTokens: 7, outputTokens: 3 });
    expect(resolveUsage(undefined, () => ({ inputTokens: 1, outputTokens: 2 }))).toEqual({ inputTokens: 1, outputTokens: 2, estimated: true });
    expect(estimateTextTokens('hello world')).toBe(2);
    expect(estimateChatInputTokens([{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }])).toBe(2 + 4 + 3);
  });

  it('meters a stream from its usage part, or from the deltas when it has none', () => {
    const withUsage = createStreamMeter(() => 99);
    withUsage.observe({ type: 'text-delta', choice: 0, text: 'hello' });
    withUsage.observe({ type: 'usage', usage: { inputTokens: 5, outputTokens: 1 } });
    expect(withUsage.usage()).toEqual({ inputTokens: 5, outputTokens: 1 });
    const without = createStreamMeter(() => 9);
    for (const text of ['hello', ' world']) without.observe({ type: 'text-delta', choice: 0, text });
    expect(without.usage()).toEqual({ inputTokens: 9, outputTokens: 2, estimated: true });
  });
});

describe('price table', () => {
  const table = createPriceTable(
    meteringConfigSchema.parse({
      prices: [
        { deployment: 'azure', input_per_million: 2, output_per_million: 8 },
        { deployment: 'azure', model: 'mini', input_per_million: 0.4, output_per_million: 1.6, cached_input_per_million: 0.1 },
      ],
      fixed_costs: [{ deployment: 'onprem', monthly_usd: 7300 }],
    }),
  );

  it('picks the most specific price and bills cached input at its own rate', () => {
    expect(table.priceFor('azure', 'big')).toEqual({ input: 2, output: 8, source: { kind: 'config' } });
    const mini = table.priceFor('azure', 'mini');
    expect(costOfUsage({ inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 1_000_000 }, mini)).toBeCloseTo(0.2 + 0.05 + 1.6, 10);
    expect(maxCostOf(1_000, 500, table.priceFor('azure', undefined))).toBeCloseTo(0.002 + 0.004, 10);
    expect(costOfUsage({ inputTokens: 10, outputTokens: 10 }, table.priceFor('unknown', undefined))).toBe(0);
  });

  it('amortises a fixed monthly cost per hour', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    expect(amortisedFixedCost(table.monthlyFixedUsd('onprem')!, from, new Date('2026-11-01T10:00:00Z'))).toBeCloseTo(100, 6);
  });
});

describe('attribution tags', () => {
  it('parses the header within bounds and refuses the rest with a 400', () => {
    expect(parseTagsHeader('application=chatbot, feature=Summarise v2')).toEqual({ application: 'chatbot', feature: 'Summarise v2' });
    for (const bad of ['Bad Key=x', 'a=', 'a=1,a=2', 'a=x;y', Array.from({ length: 9 }, (_, index) => `t${index}=v`).join(','), `k=${'v'.repeat(65)}`]) {
      expect(() => parseTagsHeader(bad), bad).toThrow(GatewayError);
    }
  });

  it('lets the header add tags but never move spend to another department', () => {
    const principal = { department: 'finance', team: 'fp&a', tags: { application: 'erp' } };
    expect(attributionTags(principal, { feature: 'close' })).toEqual({ department: 'finance', team: 'fp&a', application: 'erp', feature: 'close' });
    expect(() => attributionTags(principal, { department: 'legal' })).toThrow(/comes from the API key/);
    expect(() => attributionTags(principal, { application: 'other' })).toThrow(/fixed to 'erp'/);
  });
});

describe('budget periods', () => {
  it('rolls over at local midnight in the configured zone', () => {
    // 2026-11-30T16:30Z is already 2026-12-01 00:30 in Taipei (UTC+8).
    const instant = new Date('2026-11-30T16:30:00Z');
    expect(periodKey('month', instant, 'Asia/Taipei')).toBe('2026-12');
    expect(periodKey('month', instant, 'UTC')).toBe('2026-11');
    expect(periodKey('day', instant, 'Asia/Taipei')).toBe('2026-12-01');
    expect(periodKey('week', new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
    expect(periodKey('week', new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
  });

  it('turns period keys into UTC ranges, across DST', () => {
    expect(periodRange('2026-11', 'Asia/Taipei')).toMatchObject({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
    expect(periodRange('2026-W45', 'UTC')).toMatchObject({ from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z') });
    const march = periodRange('2026-03-08', 'America/New_York');
    expect([march.from.toISOString(), march.to.toISOString()]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(() => periodRange('2026-13', 'UTC')).toThrow(/must look like/);
  });
});

describe('metering config', () => {
  it('is strict and checks budgets', () => {
    expect(meteringConfigSchema.parse({}).time_zone).toBe('Asia/Taipei');
    expect(meteringConfigSchema.safeParse({ surprise: 1 }).success).toBe(false);
    expect(meteringConfigSchema.safeParse({ time_zone: 'Mars/Olympus' }).success).toBe(false);
    const twoScopes = { id: 'b', scope: { team: 'a', department: 'b' }, period: 'month', limit_usd: 1 };
    expect(meteringConfigSchema.safeParse({ budgets: [twoScopes] }).success).toBe(false);
    const duplicate = { id: 'b', scope: { team: 'a' }, period: 'month', limit_usd: 1 };
    expect(meteringConfigSchema.safeParse({ budgets: [duplicate, duplicate] }).success).toBe(false);
  });
});
