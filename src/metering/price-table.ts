import type { Usage } from '../pipeline/gateway-request.js';
import type { MeteringConfig } from './metering-config-schema.js';

/** USD per 1M tokens. `cachedInput` defaults to the input price (no discount known). */
export interface TokenPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

export interface PriceTable {
  /** The most specific price: deployment + model, else the deployment's catch-all. */
  priceFor(deployment: string, model: string | undefined): TokenPrice | undefined;
  /** Fixed monthly cost of a private-cloud or on-prem deployment, if configured. */
  monthlyFixedUsd(deployment: string): number | undefined;
}

/** Hours in an average month (8,760 / 12), the basis for amortising a fixed monthly cost. */
export const HOURS_PER_MONTH = 730;

export function createPriceTable(config: Pick<MeteringConfig, 'prices' | 'fixed_costs'>): PriceTable {
  const exact = new Map<string, TokenPrice>();
  const catchAll = new Map<string, TokenPrice>();
  for (const entry of config.prices) {
    const price: TokenPrice = {
      input: entry.input_per_million,
      output: entry.output_per_million,
      ...(entry.cached_input_per_million === undefined ? {} : { cachedInput: entry.cached_input_per_million }),
    };
    if (entry.model === undefined) catchAll.set(entry.deployment, price);
    else exact.set(`${entry.deployment}\u0000${entry.model}`, price);
  }
  const fixed = new Map(config.fixed_costs.map((entry) => [entry.deployment, entry.monthly_usd]));
  return {
    priceFor: (deployment, model) => (model === undefined ? undefined : exact.get(`${deployment}\u0000${model}`)) ?? catchAll.get(deployment),
    monthlyFixedUsd: (deployment) => fixed.get(deployment),
  };
}

/** What a request cost. Cached input tokens are part of `inputTokens` and billed at the cached rate. */
export function costOfUsage(usage: Usage, price: TokenPrice | undefined): number {
  if (!price) return 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  return (uncached * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
}

/** The most a request can cost: every input token uncached, and the full output allowance used. */
export function maxCostOf(inputTokens: number, maxOutputTokens: number, price: TokenPrice | undefined): number {
  if (!price) return 0;
  return (inputTokens * price.input + maxOutputTokens * price.output) / 1_000_000;
}

/** A fixed monthly cost spread evenly over hours, for reports over any range. */
export function amortisedFixedCost(monthlyUsd: number, from: Date, to: Date): number {
  const hours = Math.max(0, to.getTime() - from.getTime()) / 3_600_000;
  return (monthlyUsd / HOURS_PER_MONTH) * hours;
}
