import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPriceCatalogue } from './price-catalogue.js';
import { costOfUsage, createPriceTable, maxCostOf } from './price-table.js';
import { validateUsage } from './validate-usage.js';
import { meteringConfigSchema } from './metering-config-schema.js';

/** Prompt-cache reads and writes are priced apart from plain input (docs/prices.md#prompt-caching). */
describe('prompt-cache pricing', () => {
  const catalogue = builtinPriceCatalogue();
  const table = createPriceTable(meteringConfigSchema.parse({}), { catalogue, deployments: [{ id: 'claude', tier: 'api' }] });

  it('bills Anthropic cache reads at 0.1× and writes at 1.25× (5 minutes) and 2× (1 hour) the input price', () => {
    const sonnet = table.priceFor('claude', 'claude-sonnet-4-5-20250929');
    expect(sonnet).toMatchObject({ input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 });
    // 100k input (below Sonnet 4.5's 200k long-context tier): 50k read, 30k written (10k of them for an hour), 20k plain.
    const usage = { inputTokens: 100_000, cachedInputTokens: 50_000, cacheWriteInputTokens: 30_000, cacheWrite1hInputTokens: 10_000, outputTokens: 0 };
    expect(costOfUsage(usage, sonnet)).toBeCloseTo((20_000 * 3 + 50_000 * 0.3 + 20_000 * 3.75 + 10_000 * 6) / 1e6, 10);
    // Without the cache breakdown the same tokens cost plain input: the difference is real money.
    expect(costOfUsage({ inputTokens: 100_000, outputTokens: 0 }, sonnet)).toBeCloseTo(0.3, 10);
    // Above 200k the long-context rates apply to cache writes by the same fraction.
    expect(costOfUsage({ inputTokens: 300_000, cacheWriteInputTokens: 300_000, outputTokens: 0 }, sonnet)).toBeCloseTo(0.3 * 3.75 * 2, 10);
  });

  it('every Anthropic catalogue row has write prices at 1.25× and 2× its input price', () => {
    const rows = catalogue.file.models.filter((row) => row.vendors.includes('anthropic') && row.kind === 'chat');
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.cache_write_per_million, row.model).toBeCloseTo(row.input_per_million * 1.25, 10);
      expect(row.cache_write_1h_per_million, row.model).toBeCloseTo(row.input_per_million * 2, 10);
    }
  });

  it('takes write prices from metering.prices, 1-hour writes defaulting to the 5-minute price, writes to the input price', () => {
    const config = meteringConfigSchema.parse({
      prices: [
        { deployment: 'a', input_per_million: 1, output_per_million: 1, cache_write_per_million: 2 },
        { deployment: 'b', input_per_million: 1, output_per_million: 1 },
      ],
    });
    const own = createPriceTable(config);
    const usage = { inputTokens: 1_000_000, cacheWriteInputTokens: 1_000_000, cacheWrite1hInputTokens: 500_000, outputTokens: 0 };
    expect(costOfUsage(usage, own.priceFor('a', 'x'))).toBeCloseTo(2, 10);
    expect(costOfUsage(usage, own.priceFor('b', 'x'))).toBeCloseTo(1, 10);
  });

  it('reserves for the dearest way input can be billed (every token a 1-hour cache write)', () => {
    const sonnet = table.priceFor('claude', 'claude-sonnet-4-5');
    expect(maxCostOf(100_000, 0, sonnet)).toBeCloseTo(0.6, 10);
  });

  it('clamps cache counts that cannot be true: reads plus writes above the input, 1-hour writes above the writes', () => {
    const { usage, anomalies } = validateUsage(
      { inputTokens: 100, cachedInputTokens: 60, cacheWriteInputTokens: 70, cacheWrite1hInputTokens: 50, outputTokens: 1 },
      { inputTokens: 1_000, outputTokens: 10 },
    );
    expect(usage).toMatchObject({ cachedInputTokens: 60, cacheWriteInputTokens: 40, cacheWrite1hInputTokens: 40 });
    expect(anomalies.map((anomaly) => anomaly.field)).toEqual(['cacheWriteInput', 'cacheWrite1hInput']);
  });
});

const REFERENCE = resolve(import.meta.dirname, '../../../shared/reference/cost-defaults.md');

describe('cache multipliers taken from shared/reference/cost-defaults.md', () => {
  if (!existsSync(REFERENCE)) {
    if (process.env.CI === 'true') throw new Error(`${REFERENCE} is required in CI`);
    it.skip('reference file absent (../shared is only beside checkouts on the team machines)', () => undefined);
    return;
  }
  it('match the Anthropic column of the price modifiers (write ×1.25 for 5 minutes, ×2 for 1 hour; read ×0.1)', () => {
    const lines = readFileSync(REFERENCE, 'utf8').split('\n');
    const anthropic = (label: string) => (lines.find((line) => line.startsWith(`| ${label}`)) ?? '').split('|')[3]?.trim() ?? '';
    expect(anthropic('Cache write')).toContain('×1.25 (5-minute TTL) / ×2 (1-hour TTL)');
    expect(anthropic('Cache read')).toContain('×0.1');
  });
});
