import { describe, expect, it } from 'vitest';
import { peakExcessShare, projectApiCost } from './cost-api.js';
import { projectOnPremCost, sizeOnPrem, sweepUtilisation } from './cost-on-prem.js';
import { projectPrivateCloudCost } from './cost-private-cloud.js';
import { projectBreakEven, projectCosts } from './cost-projection.js';
import { defaultPriceEntries, resolvePrices } from './prices.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';
import { resolveTraffic, type Traffic } from './traffic.js';

/** The hand-computed example in docs/advisor.md: default traffic with low volatility (peak 5×), default prices. */
const { prices } = resolvePrices();
const traffic: Traffic = resolveTraffic(undefined, makeAnswers({ traffic_volatility: 'low' })).traffic;

describe('cost projection (hand-computed example in docs/advisor.md)', () => {
  it('uses the documented example inputs', () => {
    expect(traffic).toMatchObject({ requests_per_day: 10_000, avg_input_tokens: 1_000, avg_output_tokens: 500, context_tokens: 2_000, peak_factor: 5, peak_hours_per_day: 2, retry_rate: 0.1, chained_calls: 2, cache_hit_rate: 0.5, days_per_month: 30 });
  });

  it('API: base 1,815 + long context 630 + chains 2,445 + retries 489 + peak 1,793 = 7,172', () => {
    const api = projectApiCost(traffic, prices.api);
    expect(peakExcessShare(traffic)).toBeCloseTo(1 / 3, 12);
    expect(api.breakdown.base).toBeCloseTo(1815, 6);
    expect(api.breakdown.long_context).toBeCloseTo(630, 6);
    expect(api.breakdown.multi_step_chains).toBeCloseTo(2445, 6);
    expect(api.breakdown.retries).toBeCloseTo(489, 6);
    expect(api.breakdown.peak_concurrency).toBeCloseTo(1793, 6);
    expect(api.monthly_total).toBeCloseTo(7172, 6);
  });

  it('private cloud: 500 + 1,000 + 200 fixed + inference 7,172 × 1.1 + retrieval 30 = 9,619.20', () => {
    const cloud = projectPrivateCloudCost(traffic, prices);
    expect(cloud.breakdown.inference).toBeCloseTo(7889.2, 6);
    expect(cloud.breakdown.storage_retrieval).toBeCloseTo(30, 6);
    expect(cloud.monthly_total).toBeCloseTo(9619.2, 6);
  });

  it('on-prem: sized for peak at 3 replicas / 6 GPUs; 4,550 + 673.94 + 26,041.67 + 0 = 31,265.60', () => {
    const sizing = sizeOnPrem(traffic, prices.on_prem);
    expect(sizing.calls_per_month).toBe(660_000);
    expect(sizing.compute_tps).toBeCloseTo(636.574 + 3819.444 * 0.25, 2);
    expect(sizing.replicas).toBe(3);
    expect(sizing.gpus).toBe(6);
    const onPrem = projectOnPremCost(traffic, prices.on_prem);
    expect(onPrem.breakdown.hardware_amortised).toBeCloseTo(4550, 6);
    expect(onPrem.breakdown.power_colocation).toBeCloseTo(673.93746, 4);
    expect(onPrem.breakdown.operations_staff).toBeCloseTo(26041.6667, 3);
    expect(onPrem.breakdown.licences).toBe(0);
    expect(onPrem.monthly_total).toBeCloseTo(31265.604, 2);
  });

  it('hybrid and multi-cloud compose the single-environment formulas with their split', () => {
    const costs = projectCosts(traffic, prices);
    expect(costs.hybrid.breakdown.on_prem).toBeCloseTo(29524.29, 1); // 2 replicas (minimum) for 60 % of traffic
    expect(costs.hybrid.breakdown.private_cloud).toBeCloseTo(4867.68, 6); // 1,700 + 0.4 × (7,889.20 + 30)
    expect(costs['multi-cloud'].breakdown.provider_a).toBeCloseTo(7243.44, 6); // 1,700 + 0.7 × 7,919.20
    expect(costs['multi-cloud'].breakdown.provider_b).toBeCloseTo(4075.76, 6); // 1,700 + 0.3 × 7,919.20
    expect(costs.hybrid.monthly_total).toBeCloseTo(34391.97, 1);
  });

  it('applies the long-context surcharge only above the threshold', () => {
    const long = { ...traffic, context_tokens: 300_000 };
    const api = projectApiCost(long, prices.api);
    const perTaskInput = ((1_000 + 300_000) * 1.05 * 2) / 1e6; // input × 2
    const perTaskOutputExtra = (500 * 10 * 0.5) / 1e6; // output × 1.5 → +0.5
    expect(api.breakdown.base + api.breakdown.long_context).toBeCloseTo(300_000 * (perTaskInput + perTaskOutputExtra + (500 * 10) / 1e6), 4);
  });

  it('the utilisation sweep needs fewer GPUs as utilisation rises', () => {
    const sweep = sweepUtilisation(traffic, prices.on_prem);
    expect(sweep.map((point) => point.utilisation)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(sweep[0]?.gpus).toBe(18);
    for (let index = 1; index < sweep.length; index += 1) expect(sweep[index]!.gpus).toBeLessThanOrEqual(sweep[index - 1]!.gpus);
  });

  it('finds the volume where on-prem stops being dearer than the API', () => {
    const { breakEvenRequestsPerDay } = projectBreakEven(traffic, prices);
    expect(breakEvenRequestsPerDay).not.toBeNull();
    const at = (requests: number) => {
      const scaled = { ...traffic, requests_per_day: requests };
      return projectOnPremCost(scaled, prices.on_prem).monthly_total - projectApiCost(scaled, prices.api).monthly_total;
    };
    expect(at(breakEvenRequestsPerDay! * 1.001)).toBeLessThanOrEqual(0);
    expect(at(breakEvenRequestsPerDay! * 0.99)).toBeGreaterThan(0);
  });

  it('price overrides replace the default and are marked as overrides', () => {
    const { prices: overridden, entries } = resolvePrices({ api: { output_per_mtok: 20 } });
    expect(overridden.api.output_per_mtok).toBe(20);
    expect(entries.find((entry) => entry.key === 'output_per_mtok')?.overridden).toBe(true);
    expect(projectApiCost(traffic, overridden.api).breakdown.base).toBeCloseTo(1815 + 300_000 * 500 * 10 / 1e6, 6);
  });

  it('every default price has a source and a date', () => {
    for (const entry of defaultPriceEntries()) {
      expect(entry.source.length).toBeGreaterThan(5);
      expect(entry.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
