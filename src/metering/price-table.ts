import type { Usage } from '../model/usage.js';
import type { MeteringConfig } from './metering-config-schema.js';
import type { PriceCatalogue } from './price-catalogue.js';

/**
 * USD per 1M tokens. `cachedInput` (cache reads) and `cacheWrite` default to the input price (no
 * discount or premium known); `cacheWrite1h` defaults to `cacheWrite`.
 */
export interface TokenPrice {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  /** USD per upstream request on top of tokens (a model that always searches, grounding, retrieval). */
  perCallUsd?: number;
  /** Rates for the whole request once its input passes `aboveInputTokens`. */
  longContext?: { aboveInputTokens: number; input: number; output: number };
  /** Where the price came from: `metering.prices` or the shipped catalogue (row and date). */
  source?: { kind: 'config' } | { kind: 'catalogue'; model: string; asOf: string };
}

export interface PriceTable {
  /** The most specific price: config deployment + model, config catch-all, else the catalogue (not on-prem). */
  priceFor(deployment: string, model: string | undefined): TokenPrice | undefined;
  /** Fixed monthly cost of a private-cloud or on-prem deployment, if configured. */
  monthlyFixedUsd(deployment: string): number | undefined;
}

/** Hours in an average month (8,760 / 12), the basis for amortising a fixed monthly cost. */
export const HOURS_PER_MONTH = 730;

export interface PriceTableOptions {
  catalogue?: PriceCatalogue | undefined;
  /** Deployment tiers: an on-prem deployment is never priced from the public list. */
  deployments?: ReadonlyArray<{ id: string; tier: string }>;
}

export function createPriceTable(config: Pick<MeteringConfig, 'prices' | 'fixed_costs'>, options: PriceTableOptions = {}): PriceTable {
  const exact = new Map<string, TokenPrice>();
  const catchAll = new Map<string, TokenPrice>();
  for (const entry of config.prices) {
    const price: TokenPrice = {
      input: entry.input_per_million,
      output: entry.output_per_million,
      ...(entry.cached_input_per_million === undefined ? {} : { cachedInput: entry.cached_input_per_million }),
      ...(entry.cache_write_per_million === undefined ? {} : { cacheWrite: entry.cache_write_per_million }),
      ...(entry.cache_write_1h_per_million === undefined ? {} : { cacheWrite1h: entry.cache_write_1h_per_million }),
      ...(entry.per_call_usd === undefined ? {} : { perCallUsd: entry.per_call_usd }),
      source: { kind: 'config' },
    };
    if (entry.model === undefined) catchAll.set(entry.deployment, price);
    else exact.set(`${entry.deployment}\u0000${entry.model}`, price);
  }
  const fixed = new Map(config.fixed_costs.map((entry) => [entry.deployment, entry.monthly_usd]));
  const tiers = new Map((options.deployments ?? []).map((deployment) => [deployment.id, deployment.tier]));
  const fromCatalogue = (deployment: string, model: string | undefined): TokenPrice | undefined => {
    // Self-hosted weights named like a hosted model still cost what the hardware costs (fixed_costs).
    if (!options.catalogue || model === undefined || tiers.get(deployment) === 'on-prem') return undefined;
    const row = options.catalogue.lookup(model);
    if (!row) return undefined;
    return {
      input: row.input_per_million,
      output: row.output_per_million,
      ...(row.cached_input_per_million === undefined ? {} : { cachedInput: row.cached_input_per_million }),
      ...(row.cache_write_per_million === undefined ? {} : { cacheWrite: row.cache_write_per_million }),
      ...(row.cache_write_1h_per_million === undefined ? {} : { cacheWrite1h: row.cache_write_1h_per_million }),
      ...(row.per_call_usd === undefined ? {} : { perCallUsd: row.per_call_usd }),
      ...(row.long_context
        ? { longContext: { aboveInputTokens: row.long_context.above_input_tokens, input: row.long_context.input_per_million, output: row.long_context.output_per_million } }
        : {}),
      source: { kind: 'catalogue', model: row.model, asOf: row.as_of },
    };
  };
  return {
    priceFor: (deployment, model) =>
      (model === undefined ? undefined : exact.get(`${deployment}\u0000${model}`)) ?? catchAll.get(deployment) ?? fromCatalogue(deployment, model),
    monthlyFixedUsd: (deployment) => fixed.get(deployment),
  };
}

function ratesFor(price: TokenPrice, inputTokens: number): { input: number; output: number } {
  const long = price.longContext;
  return long && inputTokens > long.aboveInputTokens ? { input: long.input, output: long.output } : { input: price.input, output: price.output };
}

/**
 * What a request cost. Cache reads and writes are parts of `inputTokens`, billed at the
 * cache-read and cache-write rates (1-hour writes at theirs); the rest at the input rate.
 */
export function costOfUsage(usage: Usage, price: TokenPrice | undefined): number {
  if (!price) return 0;
  const rates = ratesFor(price, usage.inputTokens);
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - cached);
  const written1h = Math.min(usage.cacheWrite1hInputTokens ?? 0, written);
  const plain = usage.inputTokens - cached - written;
  // Cache discounts and premiums are the same fraction of the input rate in the long-context tier.
  const scale = price.input === 0 ? 0 : rates.input / price.input;
  const readRate = (price.cachedInput ?? price.input) * scale;
  const writeRate = (price.cacheWrite ?? price.input) * scale;
  const write1hRate = (price.cacheWrite1h ?? price.cacheWrite ?? price.input) * scale;
  const input = plain * rates.input + cached * readRate + (written - written1h) * writeRate + written1h * write1hRate;
  return (input + usage.outputTokens * rates.output) / 1_000_000 + (price.perCallUsd ?? 0);
}

/**
 * The most a request can cost: every input token at the dearest input rate it can be billed at
 * (a cache write costs more than plain input) in the highest tier it can reach, the full output
 * allowance of every choice used, and the per-call charge.
 */
export function maxCostOf(inputTokens: number, maxOutputTokens: number, price: TokenPrice | undefined): number {
  if (!price) return 0;
  const rates = ratesFor(price, inputTokens);
  const scale = price.input === 0 ? 0 : rates.input / price.input;
  const inputRate = Math.max(rates.input, (price.cacheWrite ?? 0) * scale, (price.cacheWrite1h ?? 0) * scale);
  return (inputTokens * inputRate + maxOutputTokens * rates.output) / 1_000_000 + (price.perCallUsd ?? 0);
}

/** A fixed monthly cost spread evenly over hours, for reports over any range. */
export function amortisedFixedCost(monthlyUsd: number, from: Date, to: Date): number {
  const hours = Math.max(0, to.getTime() - from.getTime()) / 3_600_000;
  return (monthlyUsd / HOURS_PER_MONTH) * hours;
}
