import { describe, expect, it } from 'vitest';
import { syntheticRun } from './synthetic-run.js';
import { peakExcessShare } from '../../src/advisor/cost-api.js';
import { resolvePrices } from '../../src/advisor/prices.js';
import { trafficFromLoadtest } from '../../src/advisor/traffic-from-loadtest.js';
import { loadScenarios, ScenarioError } from '../../src/loadtest/load-scenarios.js';
import { projectScenarioCost } from '../../src/loadtest/loadtest-cost.js';
import { isLoopbackUrl } from '../../src/loadtest/loopback.js';
import { percentile } from '../../src/loadtest/percentile.js';
import { drawTask } from '../../src/loadtest/request-mix.js';
import { burstFactorAt, expectedStarts, resolveTarget } from '../../src/loadtest/run-load.js';
import { advisorTraffic, peakFactor } from '../../src/loadtest/run-loadtest.js';
import { scenarioSchema } from '../../src/loadtest/scenario-schema.js';
import { seededRandom } from '../../src/loadtest/seeded-random.js';
import { summarizeRun } from '../../src/loadtest/summarize-run.js';

describe('loopback guard', () => {
  it.each(['http://127.0.0.1:8080/v1', 'http://127.9.9.9', 'http://localhost:1', 'http://[::1]:8080', 'http://[::ffff:127.0.0.1]:80', 'http://api.localhost'])('%s is loopback', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  // Names and addresses that look local but are not, or might resolve anywhere.
  it.each([
    'http://10.0.0.5:8080',
    'http://0.0.0.0:8080',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://[::ffff:10.0.0.1]',
    'https://api.openai.com/v1',
    'http://staging-gateway:8080',
    'not a url',
  ])('%s is remote', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('scenarios', () => {
  it('loads the three built-ins with peak 5–10× normal on average', () => {
    const [normal, peak, faults] = loadScenarios(['normal,peak,faults']);
    expect(normal?.name).toBe('normal');
    const ratio = expectedStarts(peak!, peak!.duration_s) / peak!.duration_s / normal!.rps!;
    expect(ratio).toBeGreaterThanOrEqual(5);
    expect(ratio).toBeLessThanOrEqual(10);
    expect(faults?.faults.map((fault) => fault.kind).sort()).toEqual(['error_storm', 'latency_jitter', 'rate_limit_storm', 'refusal', 'slow_first_token', 'stream_cut', 'timeout']);
  });

  it('refuses scenarios that are unbounded or ambiguous, naming the field', () => {
    const base = { name: 'x', duration_s: 1, max_requests: 10 };
    expect(scenarioSchema.safeParse({ ...base, rps: 1, concurrency: 2 }).success).toBe(false);
    expect(scenarioSchema.safeParse({ ...base }).success).toBe(false);
    expect(scenarioSchema.safeParse({ ...base, rps: 1, duration_s: 86_400 }).success).toBe(false);
    expect(scenarioSchema.safeParse({ ...base, rps: 1, max_requests: 0 }).success).toBe(false);
    expect(scenarioSchema.safeParse({ ...base, rps: 1, surprise: true }).success).toBe(false);
    expect(() => loadScenarios(['nonsense'])).toThrow(ScenarioError);
    expect(() => loadScenarios(['normal', 'normal'])).toThrow(/appears twice/);
    expect(() => loadScenarios(['normal'], { durationS: 10_000 })).toThrow(/duration_s/);
  });

  it('scales rates and overrides bounds', () => {
    const [scaled] = loadScenarios(['normal'], { scale: 10, durationS: 60, maxRequests: 5_000 });
    expect(scaled).toMatchObject({ rps: 80, duration_s: 60, max_requests: 5_000 });
  });

  it('burst windows multiply the rate where they apply', () => {
    const [peak] = loadScenarios(['peak']);
    expect(burstFactorAt(peak!, 0.5)).toBe(1);
    expect(burstFactorAt(peak!, 2)).toBe(2);
    expect(expectedStarts(peak!, 4)).toBeCloseTo(48 * 4 + 48, 6);
  });

  it('draws a repeatable mix in both languages, with chains and tool tasks in proportion', () => {
    const [normal] = loadScenarios(['normal']);
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 2_000 }, () => drawTask(normal!.mix, random));
    };
    const tasks = draw(3);
    expect(draw(3).map((task) => task.firstMessage)).toEqual(tasks.map((task) => task.firstMessage));
    const share = (predicate: (task: (typeof tasks)[number]) => boolean) => tasks.filter(predicate).length / tasks.length;
    expect(share((task) => task.kind === 'chain')).toBeCloseTo(0.2, 1);
    expect(share((task) => task.kind === 'tool')).toBeCloseTo(0.1, 1);
    expect(share((task) => task.stream)).toBeCloseTo(0.5, 1);
    expect(share((task) => task.language === 'zh-TW')).toBeCloseTo(0.5, 1);
    expect(tasks.some((task) => /[\u4e00-\u9fff]/.test(task.firstMessage))).toBe(true);
  });

  it('resolves the chat path from a base URL with or without /v1', () => {
    expect(resolveTarget('http://127.0.0.1:8080/v1')).toMatchObject({ origin: 'http://127.0.0.1:8080', path: '/v1/chat/completions' });
    expect(resolveTarget('http://127.0.0.1:8080')).toMatchObject({ path: '/v1/chat/completions' });
    expect(resolveTarget('http://127.0.0.1:8080/llm/v1/')).toMatchObject({ path: '/llm/v1/chat/completions' });
  });
});

describe('summary', () => {
  it('percentiles are nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts retries, fallbacks, errors and SLOs from the calls', () => {
    const [normal] = loadScenarios(['normal']);
    const run = syntheticRun({ calls: 100, retryEvery: 10, failEvery: 25, latencyMs: (index) => index + 1 });
    const summary = summarizeRun(normal!, run, [], 'primary');
    expect(summary.requests).toMatchObject({ calls: 100, ok: 96, errors: 4 });
    // 10 retried calls minus the ones that failed instead (indices 49, 99 are both), and 4 failures × 2 extra attempts.
    const retried = run.calls.filter((call) => call.ok && call.attempts === 2).length;
    expect(summary.resilience.extra_attempts).toBe(retried + 4 * 2);
    expect(summary.rates.retry_rate).toBeCloseTo((retried + 8) / 100, 4);
    expect(summary.rates.fallback_share).toBeCloseTo(retried / 96, 4);
    expect(summary.rates.error_rate).toBe(0.04);
    expect(summary.tokens.retry_extra_input).toBe(retried * 500);
    expect(summary.slo.checks.find((check) => check.name === 'max_error_rate')).toMatchObject({ pass: false, actual: 0.04 });
    expect(summary.slo.pass).toBe(false);
    expect(summary.timeline).toHaveLength(10);
    expect(summary.mix.avg_context_tokens).toBe(100);
    expect(summary.mix.avg_input_tokens).toBe(400);
  });
});

describe('cost projection (docs/advisor.md formulas)', () => {
  const { prices } = resolvePrices();
  const measured = { avg_input_tokens: 400, avg_output_tokens: 80, context_tokens: 300, chained_calls: 1.5, retry_rate: 0.05, peak_factor: 6 };
  const projection = { requests_per_day: 20_000, peak_hours_per_day: 2 };

  it('separates the API drivers exactly as the formulas say', () => {
    const cost = projectScenarioCost(measured, projection, prices);
    const { base, long_context: longContext, multi_step_chains: chains, retries, peak_concurrency: peak } = cost.api.breakdown;
    expect(chains).toBeCloseTo(0.5 * (base + longContext), 6);
    expect(retries).toBeCloseTo(0.05 * (base + longContext + chains), 6);
    expect(peak).toBeCloseTo(peakExcessShare(cost.traffic) * (prices.api.peak_price_multiplier - 1) * (base + longContext + chains + retries), 6);
    expect(cost.private_cloud.fixed + cost.private_cloud.variable).toBeCloseTo(cost.private_cloud.monthly_total, 6);
    expect(cost.sources).toMatchObject({ peak_factor: 'measured', requests_per_day: 'scenario', cache_hit_rate: 'default' });
  });

  it('reacts to the peak factor: API peak part grows by (Δpeak × hours / 24) × (multiplier − 1) × subtotal; on-prem GPUs scale with it', () => {
    const low = projectScenarioCost({ ...measured, peak_factor: 2 }, projection, prices);
    const high = projectScenarioCost({ ...measured, peak_factor: 10 }, projection, prices);
    const subtotal = low.api.monthly_total - low.api.breakdown.peak_concurrency;
    const expectedDelta = ((10 - 2) * 2) / 24 * (prices.api.peak_price_multiplier - 1) * subtotal;
    expect(high.api.breakdown.peak_concurrency - low.api.breakdown.peak_concurrency).toBeCloseTo(expectedDelta, 6);
    expect(high.on_prem.sizing.compute_tps).toBeCloseTo(low.on_prem.sizing.compute_tps * 5, 6);
    expect(high.on_prem.sizing.gpus).toBeGreaterThanOrEqual(low.on_prem.sizing.gpus);
  });

  it('reacts to the retry rate: retries part = rate × (base + long context + chains); on-prem calls × (1 + rate)', () => {
    const calm = projectScenarioCost({ ...measured, retry_rate: 0 }, projection, prices);
    const storm = projectScenarioCost({ ...measured, retry_rate: 0.4 }, projection, prices);
    const { base, long_context: longContext, multi_step_chains: chains } = calm.api.breakdown;
    expect(calm.api.breakdown.retries).toBe(0);
    expect(storm.api.breakdown.retries).toBeCloseTo(0.4 * (base + longContext + chains), 6);
    expect(storm.on_prem.sizing.calls_per_month).toBeCloseTo(calm.on_prem.sizing.calls_per_month * 1.4, 3);
  });
});

describe('peak factor and the advisor hand-off', () => {
  const [normal, peak, faults] = loadScenarios(['normal,peak,faults']);
  const measure = (scenario: typeof normal, perSecond: number, retryEvery?: number) => ({
    scenario: scenario!,
    measurement: summarizeRun(scenario!, syntheticRun({ calls: perSecond * 4, callsPerSecond: perSecond, ...(retryEvery ? { retryEvery } : {}) }), []),
  });

  it('is peak calls/s over baseline calls/s when both ran; fault runs never set the retry rate', () => {
    const runs = [measure(normal, 10, 20), measure(peak, 70, 10), measure(faults, 10, 2)];
    const factor = peakFactor(runs);
    expect(factor.method).toBe('peak_over_baseline');
    expect(factor.value).toBeCloseTo(7, 2);
    const handOff = advisorTraffic(runs, factor.value);
    expect(handOff.from_scenario).toBe('normal');
    expect(handOff.traffic.retry_rate).toBeCloseTo(0.1, 4);
    expect(handOff.traffic.peak_factor).toBeCloseTo(7, 2);
  });

  it('falls back to busiest second over mean for a single scenario', () => {
    expect(peakFactor([measure(normal, 10)])).toMatchObject({ method: 'busiest_second_over_mean', value: 1 });
  });

  it('the advisor reads the hand-off and refuses reports that are not one', () => {
    const report = { schema: 'switchyard.loadtest/v1', peak_factor: { method: 'peak_over_baseline' }, advisor_traffic: { from_scenario: 'normal', traffic: { peak_factor: 7, retry_rate: 0.02, chained_calls: 1.4 } } };
    const read = trafficFromLoadtest(JSON.stringify(report));
    expect(read.traffic).toEqual({ peak_factor: 7, retry_rate: 0.02, chained_calls: 1.4 });
    expect(read.source.description.en).toContain('peak factor 7.00×');
    expect(read.source.description['zh-TW']).toContain('尖峰倍數 7.00 倍');
    expect(() => trafficFromLoadtest('{}')).toThrow(/not a switchyard loadtest report/);
    expect(() => trafficFromLoadtest('nope')).toThrow(/not JSON/);
    expect(() => trafficFromLoadtest(JSON.stringify({ ...report, advisor_traffic: { traffic: { retry_rate: 3 } } }))).toThrow(/retry_rate/);
    expect(() => trafficFromLoadtest(JSON.stringify({ ...report, advisor_traffic: { traffic: { peak_factor: '7' } } }))).toThrow(/peak_factor/);
  });
});
