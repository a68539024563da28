import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { peakExcessShare } from '../../src/advisor/cost-api.js';
import { resolvePrices } from '../../src/advisor/prices.js';
import { loadtestReportSchema, type LoadtestReport, type ScenarioReport } from '../../src/loadtest/report-schema.js';
import { runSwitchyard, startSwitchyard, writeTempConfig } from './process-harness.js';

/**
 * SOP step 6 end to end: the built CLI runs `loadtest --with-mock` (two `mock-upstream`
 * processes behind a `serve` it configures) through all three built-in scenarios, then feeds
 * the report to `advise --traffic-from`. Timing is never asserted: the machine is shared.
 */
const directory = mkdtempSync(join(tmpdir(), 'switchyard-loadtest-e2e-'));
const REPORT = join(directory, 'report.json');
const HTML = join(directory, 'report.html');
// No `traffic:` block, so every cost input the load test measures comes from it.
const ANSWERS = join(directory, 'answers.yaml');
writeFileSync(
  ANSWERS,
  'answers:\n  data_egress: isolated\n  audit_required: true\n  latency: interactive\n  traffic_volatility: high\n  ops_capability: basic\n  time_to_launch: months\n  resilience: needed\n  offline_required: false\n',
);

let report: LoadtestReport;
let run: { code: number; stdout: string; stderr: string };
const scenario = (name: string): ScenarioReport => {
  const found = report.scenarios.find((entry) => entry.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
};

beforeAll(async () => {
  run = await runSwitchyard(['loadtest', '--with-mock', '--scenario', 'normal,peak,faults', '--out', REPORT, '--html', HTML, '--lang', 'zh-TW']);
  if (run.code !== 0) throw new Error(`loadtest exited ${run.code}: ${run.stderr}`);
  report = loadtestReportSchema.parse(JSON.parse(readFileSync(REPORT, 'utf8')));
}, 180_000);

describe('switchyard loadtest --with-mock', () => {
  it('writes a report in the documented schema with every scenario, bounded and stopped by itself', () => {
    expect(report.scenarios.map((entry) => entry.name)).toEqual(['normal', 'peak', 'faults']);
    expect(report.target.with_mock).toBe(true);
    for (const entry of report.scenarios) {
      expect(entry.requests.calls).toBeGreaterThan(0);
      expect(entry.requests.ok).toBeGreaterThan(0);
      expect(entry.throughput.sending_s).toBeLessThan(6);
      expect(entry.latency_ms.p50).not.toBeNull();
      expect(entry.latency_ms.p50!).toBeLessThanOrEqual(entry.latency_ms.p95!);
      expect(entry.latency_ms.p95!).toBeLessThanOrEqual(entry.latency_ms.p99!);
      // Half the tasks stream, so time to first token was measured.
      expect(entry.ttft_ms.p50).not.toBeNull();
      expect(entry.tokens.input).toBeGreaterThan(0);
      expect(entry.tokens.output).toBeGreaterThan(0);
      // Chains and tool follow-ups add calls per task and their own tokens.
      expect(entry.mix.calls_per_task).toBeGreaterThan(1);
      expect(entry.tokens.chain_extra_input).toBeGreaterThan(0);
      expect(entry.slo.checks.length).toBeGreaterThan(0);
    }
    expect(run.stderr).toMatch(/normal: \d+ calls/);
  });

  it('peak runs several times the normal rate, and the peak factor is their ratio', () => {
    const normal = scenario('normal');
    const peak = scenario('peak');
    expect(peak.requests.calls).toBeGreaterThan(normal.requests.calls * 3);
    expect(report.peak_factor.method).toBe('peak_over_baseline');
    expect(report.peak_factor.value).toBeCloseTo(peak.throughput.calls_per_s / normal.throughput.calls_per_s, 2);
    expect(report.peak_factor.value).toBeGreaterThan(2);
  });

  it('injected faults show up as retries and fallbacks, and every fault was switched on and off', () => {
    const normal = scenario('normal');
    const faults = scenario('faults');
    expect(faults.faults).toHaveLength(7);
    for (const fault of faults.faults) {
      expect(fault.injected).toBe(true);
      expect(fault.applied_at_s).toBeDefined();
      expect(fault.healed_at_s).toBeDefined();
    }
    // Primary-side faults are absorbed by retries and fallbacks while they last.
    const primaryFaults = faults.faults.filter((fault) => fault.target === 'primary');
    expect(primaryFaults.reduce((sum, fault) => sum + fault.observed.calls, 0)).toBeGreaterThan(0);
    expect(primaryFaults.reduce((sum, fault) => sum + fault.observed.retried + fault.observed.fallbacks, 0)).toBeGreaterThan(0);
    expect(faults.resilience.extra_attempts).toBeGreaterThan(0);
    expect(faults.rates.retry_rate).toBeGreaterThan(normal.rates.retry_rate);
    expect(faults.resilience.served_by.secondary ?? 0).toBeGreaterThan(0);
    expect(faults.rates.fallback_share).toBeGreaterThan(normal.rates.fallback_share);
    expect(faults.resilience.primary_deployment).toBe('primary');
    // Failover absorbs most of it: the secondary is healthy, so most calls still succeed (the retry
    // budget may refuse some retries after timeouts — that is it working, and it is counted).
    expect(faults.requests.ok / faults.requests.calls).toBeGreaterThan(0.5);
    expect(faults.resilience.budget_exhausted).toBeLessThanOrEqual(faults.requests.errors);
    // The breaker opened: the primary was left out before any call, or skipped while open.
    expect(faults.resilience.primary_excluded + faults.resilience.circuit_skips).toBeGreaterThan(0);
    const histogramTotal = Object.values(faults.resilience.attempts_histogram).reduce((sum, value) => sum + value, 0);
    expect(histogramTotal).toBe(faults.requests.calls);
    expect(Object.keys(faults.resilience.attempts_histogram).some((attempts) => Number(attempts) > 1)).toBe(true);
    expect(faults.tokens.retry_extra_input).toBeGreaterThan(0);
  });

  it('projects monthly cost with the docs/advisor.md formulas, reacting to the measured peak factor and retry rate', () => {
    const { prices } = resolvePrices();
    for (const entry of report.scenarios) {
      const { traffic, api } = entry.cost;
      expect(traffic.peak_factor).toBeCloseTo(report.peak_factor.value, 6);
      expect(traffic.retry_rate).toBeCloseTo(entry.rates.retry_rate, 6);
      expect(traffic.chained_calls).toBeCloseTo(entry.mix.calls_per_task, 6);
      const { base, long_context: longContext, multi_step_chains: chains, retries, peak_concurrency: peak } = api.breakdown;
      expect(chains).toBeCloseTo((traffic.chained_calls - 1) * (base + longContext), 4);
      expect(retries).toBeCloseTo(traffic.retry_rate * (base + longContext + chains), 4);
      expect(peak).toBeCloseTo(peakExcessShare(traffic) * (prices.api.peak_price_multiplier - 1) * (base + longContext + chains + retries), 4);
      expect(api.monthly_total).toBeCloseTo(base + longContext + chains + retries + peak, 4);
      expect(entry.cost.private_cloud.fixed + entry.cost.private_cloud.variable).toBeCloseTo(entry.cost.private_cloud.monthly_total, 4);
      // On-prem is sized for the peak: calls × (1 + retry) × chained, × peak factor.
      const sizing = entry.cost.on_prem.sizing;
      const calls = traffic.requests_per_day * traffic.days_per_month * (1 + traffic.retry_rate) * traffic.chained_calls;
      expect(sizing.calls_per_month).toBeCloseTo(calls, 2);
      expect(sizing.peak_output_tps).toBeCloseTo(((calls * traffic.avg_output_tokens) / (traffic.days_per_month * 86_400)) * traffic.peak_factor, 4);
      expect(sizing.gpus).toBeGreaterThan(0);
    }
    // The fault run's retries cost more than normal's, in proportion to its retry rate.
    const share = (entry: ScenarioReport) => entry.cost.api.breakdown.retries / (entry.cost.api.breakdown.base + entry.cost.api.breakdown.long_context + entry.cost.api.breakdown.multi_step_chains);
    expect(share(scenario('faults'))).toBeGreaterThan(share(scenario('normal')));
  });

  it('writes the HTML report in the language asked for, self-contained', () => {
    const html = readFileSync(HTML, 'utf8');
    expect(html).toContain('<html lang="zh-TW">');
    expect(html).toContain('data-chart="latency-over-time"');
    expect(html).toContain('data-chart="cost-breakdown"');
    expect(html).not.toMatch(/<script|(?:src|href)=["']?https?:|url\(/);
  });

  it('feeds the advisor: advise --traffic-from uses the measured mix and peak factor and says so', async () => {
    const json = await runSwitchyard(['advise', '--answers', ANSWERS, '--traffic-from', REPORT, '--format', 'json']);
    expect(json.code).toBe(0);
    const advice = JSON.parse(json.stdout) as { measured_traffic?: { source: string; keys: string[]; values: Record<string, number>; description: string } };
    expect(advice.measured_traffic?.source).toBe('loadtest');
    expect(advice.measured_traffic?.keys).toEqual(expect.arrayContaining(['peak_factor', 'retry_rate', 'chained_calls', 'avg_input_tokens']));
    expect(advice.measured_traffic?.values.peak_factor).toBeCloseTo(report.advisor_traffic.traffic.peak_factor!, 6);
    const markdown = await runSwitchyard(['advise', '--answers', ANSWERS, '--traffic-from', REPORT, '--format', 'md', '--lang', 'zh-TW']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('實測（負載測試）');
    expect(markdown.stdout).toContain('switchyard loadtest');
    const bad = await runSwitchyard(['advise', '--answers', ANSWERS, '--traffic-from', ANSWERS]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Cannot use load-test report');
  });
});

describe('switchyard loadtest refuses what it must not do', () => {
  it('refuses a non-loopback target without --allow-remote, with one readable line', async () => {
    const refused = await runSwitchyard(['loadtest', '--target', 'http://10.20.30.40:8080/v1', '--scenario', 'normal']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--allow-remote');
  });

  it('refuses an unknown scenario and a missing target', async () => {
    const unknown = await runSwitchyard(['loadtest', '--with-mock', '--scenario', 'tsunami']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown scenario "tsunami"');
    const noTarget = await runSwitchyard(['loadtest', '--scenario', 'normal']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--with-mock');
  });
});

describe('switchyard loadtest --target (a gateway it did not start)', () => {
  const KEY = 'sy-e2e-loadtest-target-key-0123456789';
  const SCENARIO = join(directory, 'short.yaml');
  writeFileSync(
    SCENARIO,
    `name: short
description: one second against a gateway with an in-process mock
duration_s: 1
max_requests: 12
rps: 10
mix: { prompt_words: [{ words: 20, weight: 1 }], context_words: 10, stream_share: 0.5, chain_share: 0.3, tool_share: 0.2, zh_share: 0.5, max_tokens: 16 }
faults: [{ kind: error_storm, at_s: 0, for_s: 1 }]
slo: { max_error_rate: 0 }
`,
  );

  it('measures it with the key from the environment, does not inject faults, and honours max_requests and --fail-on-slo', async () => {
    const config = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: tester, key: "\${env:E2E_LOADTEST_KEY}" }
deployments:
  - { id: onprem-mock, tier: on-prem, provider: mock, mock: { reply: lorem, lorem_tokens: 12 } }
models:
  - { alias: chat, targets: [{ deployment: onprem-mock, model: mock-1 }] }
`);
    const gateway = await startSwitchyard(['serve', '--config', config], { E2E_LOADTEST_KEY: KEY });
    try {
      const out = join(directory, 'target.json');
      const good = await runSwitchyard(['loadtest', '--target', `${gateway.url}/v1`, '--scenario', SCENARIO, '--out', out], { SWITCHYARD_API_KEY: KEY });
      expect(good.code, good.stderr).toBe(0);
      expect(good.stderr).toContain('faults are injected only with --with-mock');
      const measured = loadtestReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
      const short = measured.scenarios[0]!;
      expect(measured.target).toMatchObject({ with_mock: false, url: `${gateway.url}/v1` });
      expect(short.faults.every((fault) => fault.injected === false)).toBe(true);
      expect(short.requests.calls).toBeLessThanOrEqual(12);
      expect(short.requests.ok).toBe(short.requests.calls);
      expect(short.resilience.served_by).toEqual({ 'onprem-mock': short.requests.ok });
      expect(short.resilience.attempts_histogram).toEqual({ '1': short.requests.calls });
      expect(measured.peak_factor.method).toBe('busiest_second_over_mean');

      // A wrong key: every call is refused, recorded by its error code, and the SLO gate fails the run.
      const refused = await runSwitchyard(['loadtest', '--target', `${gateway.url}/v1`, '--scenario', SCENARIO, '--fail-on-slo'], { SWITCHYARD_API_KEY: 'sy-wrong-key-000000000000000000' });
      expect(refused.code).toBe(3);
      const refusedReport = loadtestReportSchema.parse(JSON.parse(refused.stdout));
      expect(refusedReport.scenarios[0]!.requests.ok).toBe(0);
      expect(refusedReport.scenarios[0]!.requests.by_status['401']).toBe(refusedReport.scenarios[0]!.requests.calls);
      expect(refusedReport.slo_pass).toBe(false);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
