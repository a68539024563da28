import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { startFaultSchedule, type AppliedFault } from './fault-schedule.js';
import { measuredTraffic, projectScenarioCost } from './loadtest-cost.js';
import { loadScenarios, roleOf, type ScenarioOverrides } from './load-scenarios.js';
import { isLoopbackUrl } from './loopback.js';
import { createProgressBar } from './progress-bar.js';
import { renderLoadtestHtml } from './report-html.js';
import type { LoadtestReport, ScenarioReport } from './report-schema.js';
import { resolveTarget, runLoad, type LoadRun } from './run-load.js';
import type { Scenario } from './scenario-schema.js';
import { seededRandom } from './seeded-random.js';
import type { currentCli } from './spawn-cli.js';
import { summarizeRun, type ScenarioMeasurement } from './summarize-run.js';
import { MOCK_BASE_TTFT_MS, startMockStack, type MockStack } from './with-mock.js';

export const EXIT_BAD_INPUT = 2;
export const EXIT_SLO_FAILED = 3;

export interface LoadtestOptions extends ScenarioOverrides {
  scenarios: string[];
  /** OpenAI-compatible base URL (…/v1 or the gateway root). Not needed with withMock. */
  target?: string;
  withMock?: boolean;
  allowRemote?: boolean;
  /** Environment variable holding the API key (never the key itself on the command line). */
  apiKeyEnv?: string;
  out?: string;
  html?: string;
  lang?: 'en' | 'zh-TW';
  failOnSlo?: boolean;
  /** Child processes for --with-mock (tests pass the built CLI). */
  cli?: ReturnType<typeof currentCli>;
  now?: () => number;
  wallClock?: () => Date;
}

export interface LoadtestIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export class LoadtestInputError extends Error {
  override name = 'LoadtestInputError';
}

export interface Measured {
  scenario: Scenario;
  run?: LoadRun;
  measurement: ScenarioMeasurement;
  startedAt: Date;
}

/**
 * Peak factor of the run (docs/loadtest.md, "Peak factor"):
 *   with a baseline and a peak scenario: peak calls/s ÷ baseline calls/s (sustained peak, as
 *   the advisor's peak hours assume);
 *   otherwise: the busiest one-second window's calls ÷ the mean calls/s of the same scenario.
 * burst_max is the busiest second of any non-fault scenario over the baseline's (or its own) mean.
 */
export function peakFactor(measured: readonly Pick<Measured, 'scenario' | 'measurement'>[]): LoadtestReport['peak_factor'] {
  const baseline = measured.find((entry) => roleOf(entry.scenario) === 'baseline');
  const peak = measured.find((entry) => roleOf(entry.scenario) === 'peak');
  const busiest = (entry: Pick<Measured, 'measurement'>) => Math.max(0, ...entry.measurement.timeline.map((point) => point.calls));
  const candidates = measured.filter((entry) => roleOf(entry.scenario) !== 'faults');
  const pool = candidates.length > 0 ? candidates : measured;
  if (baseline && peak && baseline.measurement.throughput.calls_per_s > 0) {
    const base = baseline.measurement.throughput.calls_per_s;
    return {
      value: Math.max(1, round(peak.measurement.throughput.calls_per_s / base, 3)),
      method: 'peak_over_baseline',
      burst_max: round(Math.max(...pool.map(busiest)) / base, 3),
    };
  }
  const ratios = pool.map((entry) => {
    const mean = entry.measurement.throughput.calls_per_s;
    return mean > 0 ? busiest(entry) / mean : 1;
  });
  const top = Math.max(1, ...ratios);
  return { value: round(top, 3), method: 'busiest_second_over_mean', burst_max: round(top, 3) };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * The advisor's inputs from this run: the baseline's mix (else the first non-fault scenario's),
 * the highest retry rate among non-fault scenarios, and the run's peak factor. Fault scenarios
 * are a deliberate storm and never set the advisor's everyday retry rate.
 */
export function advisorTraffic(measured: readonly Pick<Measured, 'scenario' | 'measurement'>[], peak: number): LoadtestReport['advisor_traffic'] {
  const calm = measured.filter((entry) => roleOf(entry.scenario) !== 'faults');
  const source = calm.find((entry) => roleOf(entry.scenario) === 'baseline') ?? calm[0] ?? measured[0];
  if (!source) throw new Error('no scenario ran');
  const traffic = measuredTraffic(source.measurement, peak);
  const retry = Math.max(0, ...(calm.length > 0 ? calm : measured).map((entry) => entry.measurement.rates.retry_rate));
  return {
    traffic: { ...traffic, retry_rate: Math.min(1, retry) },
    from_scenario: source.scenario.name,
    note: 'Mix from the named scenario; retry_rate is the highest among non-fault scenarios; peak_factor as in peak_factor.method. Volume (requests_per_day) is not measured by a load test.',
  };
}

/** `switchyard loadtest`: returns the exit code, so tests and the CLI share it. */
export async function runLoadtest(options: LoadtestOptions, io: LoadtestIo): Promise<number> {
  const now = options.now ?? (() => performance.now());
  const wallClock = options.wallClock ?? (() => new Date());
  let scenarios: Scenario[];
  try {
    scenarios = loadScenarios(options.scenarios, options);
    if (options.withMock && options.target !== undefined) throw new LoadtestInputError('give either --target or --with-mock, not both');
    if (!options.withMock && options.target === undefined) throw new LoadtestInputError('no target: give --target http://127.0.0.1:8080/v1 or --with-mock');
    if (options.target !== undefined) {
      try {
        new URL(options.target);
      } catch {
        throw new LoadtestInputError(`--target ${options.target} is not a URL; e.g. http://127.0.0.1:8080/v1`);
      }
      if (!isLoopbackUrl(options.target) && options.allowRemote !== true) {
        throw new LoadtestInputError(`refusing to load-test ${new URL(options.target).host}: not a loopback address. Point it only at a staging gateway you own and add --allow-remote (docs/loadtest.md)`);
      }
      if (!isLoopbackUrl(options.target) && new URL(options.target).protocol === 'http:') {
        io.stderr.write('switchyard loadtest: warning: the API key goes to a remote target over plain http; use https\n');
      }
    }
  } catch (error) {
    io.stderr.write(`switchyard loadtest: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_BAD_INPUT;
  }
  const apiKeyEnv = options.apiKeyEnv ?? 'SWITCHYARD_API_KEY';
  let stack: MockStack | undefined;
  let onSignal: (() => void) | undefined;
  const measured: Measured[] = [];
  try {
    if (options.withMock) {
      io.stderr.write('switchyard loadtest: starting two mock upstreams and a gateway on loopback…\n');
      stack = await startMockStack(options.cli);
      // Ctrl-C must not leave two mock upstreams and a gateway running behind the user's back.
      const started = stack;
      onSignal = () => {
        started.stop().finally(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    const url = stack ? `${stack.gatewayUrl}/v1` : (options.target as string);
    const apiKey = stack ? stack.apiKey : io.env[apiKeyEnv];
    if (!stack && (apiKey === undefined || apiKey === '')) {
      io.stderr.write(`switchyard loadtest: warning: ${apiKeyEnv} is not set; sending requests without an API key\n`);
    }
    const target = resolveTarget(url, apiKey);
    for (const scenario of scenarios) {
      const startedAt = wallClock();
      const bar = createProgressBar(io.stderr, scenario.name);
      let schedule: ReturnType<typeof startFaultSchedule> | undefined;
      const notInjected: AppliedFault[] = scenario.faults.map((fault) => ({ ...fault, injected: false }));
      const run = await runLoad(scenario, target, {
        now,
        onProgress: bar.update,
        onStart: (runStart) => {
          if (stack && scenario.faults.length > 0) {
            schedule = startFaultSchedule(scenario.faults, stack.upstreams, { runStart, now, baseTtftMs: MOCK_BASE_TTFT_MS, random: seededRandom(scenario.seed + 7) });
          }
        },
      });
      bar.done();
      if (schedule) await schedule.stop();
      if (!stack && scenario.faults.length > 0) {
        io.stderr.write(`switchyard loadtest: scenario ${scenario.name}: faults are injected only with --with-mock; it ran as plain load\n`);
      }
      const measurement = summarizeRun(scenario, run, schedule?.applied ?? notInjected, stack?.primaryDeployment);
      measured.push({ scenario, run, measurement, startedAt });
      io.stderr.write(summaryLine(scenario.name, measurement));
    }
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    await stack?.stop();
  }

  const report = buildReport(measured, { url: stack ? 'with-mock' : (options.target as string), withMock: stack !== undefined, generatedAt: wallClock() });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.out !== undefined) {
    await writeFile(options.out, json, 'utf8');
    io.stderr.write(`Wrote ${options.out}\n`);
  } else {
    io.stdout.write(json);
  }
  if (options.html !== undefined) {
    await writeFile(options.html, renderLoadtestHtml(report, options.lang ?? 'en'), 'utf8');
    io.stderr.write(`Wrote ${options.html}\n`);
  }
  return options.failOnSlo === true && !report.slo_pass ? EXIT_SLO_FAILED : 0;
}

/** Assembles the JSON report from the measured scenarios: peak factor, cost per scenario, advisor hand-off. */
export function buildReport(measured: readonly Measured[], meta: { url: string; withMock: boolean; generatedAt: Date }): LoadtestReport {
  const peak = peakFactor(measured);
  const scenarioReports: ScenarioReport[] = measured.map(({ scenario, measurement, startedAt }) => ({
    name: scenario.name,
    role: roleOf(scenario),
    ...(scenario.description !== undefined ? { description: scenario.description } : {}),
    started_at: startedAt.toISOString(),
    ...measurement,
    cost: projectScenarioCost(measuredTraffic(measurement, peak.value), scenario.projection),
  }));
  return {
    schema: 'switchyard.loadtest/v1',
    generated_at: meta.generatedAt.toISOString(),
    target: { url: meta.url, with_mock: meta.withMock, model: measured[0]?.scenario.model ?? 'chat' },
    peak_factor: peak,
    scenarios: scenarioReports,
    advisor_traffic: advisorTraffic(measured, peak.value),
    slo_pass: scenarioReports.every((scenario) => scenario.slo.pass),
  };
}

function summaryLine(name: string, measurement: ScenarioMeasurement): string {
  const { requests, throughput, latency_ms: latency, rates, slo } = measurement;
  return `${name}: ${requests.calls} calls, ${throughput.calls_per_s}/s, p95 ${latency.p95 ?? '-'} ms, errors ${(rates.error_rate * 100).toFixed(1)}%, retries ${(rates.retry_rate * 100).toFixed(1)}%, fallback ${(rates.fallback_share * 100).toFixed(1)}%, SLO ${slo.pass ? 'pass' : 'FAIL'}\n`;
}
