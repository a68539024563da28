import { percentiles, percentile, type Percentiles } from './percentile.js';
import type { AppliedFault } from './fault-schedule.js';
import type { LoadRun } from './run-load.js';
import type { Scenario } from './scenario-schema.js';

export interface SloCheck {
  name: string;
  threshold: number;
  actual: number | null;
  pass: boolean;
}

export interface TimelinePoint {
  second: number;
  calls: number;
  errors: number;
  retried: number;
  p50_ms: number | null;
  p95_ms: number | null;
}

/** The measured part of a scenario's report (cost comes on top, in loadtest-cost.ts). */
export interface ScenarioMeasurement {
  requests: {
    tasks_started: number;
    tasks_completed: number;
    tasks_failed: number;
    tasks_dropped: number;
    tasks_cut: number;
    calls: number;
    ok: number;
    errors: number;
    timeouts: number;
    by_status: Record<string, number>;
    by_error: Record<string, number>;
    stopped_by: LoadRun['stoppedBy'];
  };
  throughput: { calls_per_s: number; tasks_per_s: number; target_tasks_per_s: number | null; sending_s: number; wall_s: number };
  latency_ms: Percentiles;
  ttft_ms: Percentiles;
  rates: { error_rate: number; timeout_rate: number; retry_rate: number; fallback_share: number };
  resilience: {
    attempts_histogram: Record<string, number>;
    mean_attempts: number;
    retried_calls: number;
    extra_attempts: number;
    circuit_skips: number;
    /** Successful calls served by a fallback at the first attempt: the primary was left out before any call (circuit open or unhealthy). */
    primary_excluded: number;
    budget_exhausted: number;
    served_by: Record<string, number>;
    primary_deployment: string | null;
    fallback_share: number;
  };
  tokens: {
    input: number;
    output: number;
    /** Input tokens re-sent by retries: (attempts − 1) × the call's input tokens. */
    retry_extra_input: number;
    /** Tokens of the calls after a task's first one (chain steps, tool follow-ups). */
    chain_extra_input: number;
    chain_extra_output: number;
    calls_without_usage: number;
  };
  mix: {
    stream_share: number;
    chain_share: number;
    tool_share: number;
    /** Model calls per task (the advisor's chained_calls). */
    calls_per_task: number;
    avg_input_tokens: number;
    avg_context_tokens: number;
    avg_output_tokens: number;
  };
  slo: { pass: boolean; checks: SloCheck[] };
  timeline: TimelinePoint[];
  faults: (AppliedFault & { observed: FaultObservation })[];
}

/** What the client saw while one fault was active: how the gateway absorbed it. */
export interface FaultObservation {
  calls: number;
  errors: number;
  retried: number;
  /** Successful calls served by a deployment other than the primary. */
  fallbacks: number;
}

const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
const round = (value: number, digits = 4): number => Number(value.toFixed(digits));
const increment = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

/**
 * Turns the raw calls into the report's numbers. Definitions (docs/loadtest.md, "Report"):
 * error_rate = failed calls / calls; timeout_rate = calls that ended in a client or gateway
 * timeout / calls; retry_rate = extra upstream attempts / calls (what the advisor's cost model
 * calls retry_rate); fallback_share = successful calls served by a deployment other than the
 * primary / successful calls.
 */
export function summarizeRun(scenario: Scenario, run: LoadRun, faults: AppliedFault[], primaryDeployment?: string): ScenarioMeasurement {
  const calls = run.calls;
  const ok = calls.filter((call) => call.ok);
  const byStatus: Record<string, number> = {};
  const byError: Record<string, number> = {};
  const histogram: Record<string, number> = {};
  const servedBy: Record<string, number> = {};
  let timeouts = 0;
  let extraAttempts = 0;
  let retried = 0;
  let skips = 0;
  let budget = 0;
  let retryExtraInput = 0;
  let chainInput = 0;
  let chainOutput = 0;
  for (const call of calls) {
    increment(byStatus, String(call.status));
    if (call.errorCode) increment(byError, call.errorCode);
    // A call that failed because attempts timed out counts as a timeout, whatever code the gateway ended with.
    if (call.errorCode === 'timeout' || call.errorCode === 'upstream_timeout' || (!call.ok && call.upstreamTimeout)) timeouts += 1;
    increment(histogram, String(call.attempts));
    const realAttempts = Math.max(1, call.attempts - call.circuitSkips);
    extraAttempts += realAttempts - 1;
    if (realAttempts > 1) retried += 1;
    skips += call.circuitSkips;
    if (call.budgetExhausted) budget += 1;
    if (call.ok && call.deployment) increment(servedBy, call.deployment);
    retryExtraInput += (realAttempts - 1) * call.inputTokens;
    if (call.step > 0) {
      chainInput += call.inputTokens;
      chainOutput += call.outputTokens;
    }
  }
  // Without a named primary, the deployment that served most is taken as the primary.
  const primary = primaryDeployment ?? Object.entries(servedBy).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const fallbacks = ok.filter((call) => call.deployment !== undefined && call.deployment !== primary).length;
  const withUsage = ok.filter((call) => call.usageReported);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const input = sum(calls.map((call) => call.inputTokens));
  const output = sum(calls.map((call) => call.outputTokens));
  const firstCalls = calls.filter((call) => call.step === 0);
  const latencies = ok.map((call) => call.latencyMs);
  const ttfts = ok.filter((call) => call.ttftMs !== undefined).map((call) => call.ttftMs as number);
  const sendingS = Math.max(run.sendingS, 0.001);

  const measurement: Omit<ScenarioMeasurement, 'slo'> = {
    requests: {
      tasks_started: run.tasks.started,
      tasks_completed: run.tasks.completed,
      tasks_failed: run.tasks.failed,
      tasks_dropped: run.tasks.dropped,
      tasks_cut: run.tasks.cut,
      calls: calls.length,
      ok: ok.length,
      errors: calls.length - ok.length,
      timeouts,
      by_status: byStatus,
      by_error: byError,
      stopped_by: run.stoppedBy,
    },
    throughput: {
      calls_per_s: round(calls.length / sendingS, 2),
      tasks_per_s: round(run.tasks.started / sendingS, 2),
      target_tasks_per_s: run.targetTaskRps === undefined ? null : round(run.targetTaskRps, 2),
      sending_s: round(run.sendingS, 3),
      wall_s: round(run.wallS, 3),
    },
    latency_ms: percentiles(latencies),
    ttft_ms: percentiles(ttfts),
    rates: {
      error_rate: round(ratio(calls.length - ok.length, calls.length)),
      timeout_rate: round(ratio(timeouts, calls.length)),
      retry_rate: round(ratio(extraAttempts, calls.length)),
      fallback_share: round(ratio(fallbacks, ok.length)),
    },
    resilience: {
      attempts_histogram: histogram,
      mean_attempts: round(ratio(sum(calls.map((call) => Math.max(1, call.attempts - call.circuitSkips))), calls.length)),
      retried_calls: retried,
      extra_attempts: extraAttempts,
      circuit_skips: skips,
      primary_excluded: ok.filter((call) => call.deployment !== undefined && call.deployment !== primary && call.attempts - call.circuitSkips <= 1).length,
      budget_exhausted: budget,
      served_by: servedBy,
      primary_deployment: primary,
      fallback_share: round(ratio(fallbacks, ok.length)),
    },
    tokens: {
      input,
      output,
      retry_extra_input: retryExtraInput,
      chain_extra_input: chainInput,
      chain_extra_output: chainOutput,
      calls_without_usage: ok.length - withUsage.length,
    },
    mix: {
      stream_share: round(ratio(firstCalls.filter((call) => call.stream).length, firstCalls.length)),
      chain_share: round(ratio(firstCalls.filter((call) => call.kind === 'chain').length, firstCalls.length)),
      tool_share: round(ratio(firstCalls.filter((call) => call.kind === 'tool').length, firstCalls.length)),
      calls_per_task: callsPerTask(calls),
      avg_input_tokens: round(ratio(sum(withUsage.map((call) => call.inputTokens - call.contextTokens)), withUsage.length), 1),
      avg_context_tokens: round(ratio(sum(withUsage.map((call) => call.contextTokens)), withUsage.length), 1),
      avg_output_tokens: round(ratio(sum(withUsage.map((call) => call.outputTokens)), withUsage.length), 1),
    },
    timeline: timeline(run),
    faults: faults.map((fault) => ({ ...fault, observed: observe(run, fault, primary) })),
  };
  return { ...measurement, slo: checkSlo(scenario, measurement) };
}

/** Calls started while the fault was on (measured switch times when known, else the schedule). */
function observe(run: LoadRun, fault: AppliedFault, primary: string | null): FaultObservation {
  const from = (fault.applied_at_s ?? fault.at_s) * 1000;
  const to = (fault.healed_at_s ?? fault.at_s + fault.for_s) * 1000;
  const inside = run.calls.filter((call) => call.startMs >= from && call.startMs < to);
  return {
    calls: inside.length,
    errors: inside.filter((call) => !call.ok).length,
    retried: inside.filter((call) => call.attempts - call.circuitSkips > 1).length,
    fallbacks: inside.filter((call) => call.ok && call.deployment !== undefined && call.deployment !== primary).length,
  };
}

/**
 * Model calls per successful task (tasks whose every call succeeded): a failed chain stops
 * early, and counting it would understate what a working application costs per task.
 */
function callsPerTask(calls: LoadRun['calls']): number {
  const byTask = new Map<number, { calls: number; ok: boolean }>();
  for (const call of calls) {
    const entry = byTask.get(call.task) ?? { calls: 0, ok: true };
    entry.calls += 1;
    entry.ok &&= call.ok;
    byTask.set(call.task, entry);
  }
  const good = [...byTask.values()].filter((entry) => entry.ok);
  if (good.length === 0) return 1;
  return round(good.reduce((total, entry) => total + entry.calls, 0) / good.length);
}

function timeline(run: LoadRun): TimelinePoint[] {
  const seconds = new Map<number, LoadRun['calls']>();
  for (const call of run.calls) {
    const second = Math.floor(call.startMs / 1000);
    const bucket = seconds.get(second) ?? [];
    bucket.push(call);
    seconds.set(second, bucket);
  }
  return [...seconds.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, bucket]) => {
      const latencies = bucket.filter((call) => call.ok).map((call) => call.latencyMs);
      const at = (p: number) => {
        const value = percentile(latencies, p);
        return value === null ? null : Math.round(value * 10) / 10;
      };
      return {
        second,
        calls: bucket.length,
        errors: bucket.filter((call) => !call.ok).length,
        retried: bucket.filter((call) => call.attempts - call.circuitSkips > 1).length,
        p50_ms: at(50),
        p95_ms: at(95),
      };
    });
}

function checkSlo(scenario: Scenario, measured: Omit<ScenarioMeasurement, 'slo'>): { pass: boolean; checks: SloCheck[] } {
  const slo = scenario.slo;
  const checks: SloCheck[] = [];
  const atMost = (name: string, threshold: number | undefined, actual: number | null) => {
    if (threshold !== undefined) checks.push({ name, threshold, actual, pass: actual !== null && actual <= threshold });
  };
  atMost('p50_latency_ms', slo.p50_latency_ms, measured.latency_ms.p50);
  atMost('p95_latency_ms', slo.p95_latency_ms, measured.latency_ms.p95);
  atMost('p99_latency_ms', slo.p99_latency_ms, measured.latency_ms.p99);
  // No streamed call means no TTFT sample: the check passes vacuously only if nothing was streamed.
  if (slo.p95_ttft_ms !== undefined) {
    const actual = measured.ttft_ms.p95;
    checks.push({ name: 'p95_ttft_ms', threshold: slo.p95_ttft_ms, actual, pass: actual === null ? measured.mix.stream_share === 0 : actual <= slo.p95_ttft_ms });
  }
  atMost('max_error_rate', slo.max_error_rate, measured.rates.error_rate);
  atMost('max_timeout_rate', slo.max_timeout_rate, measured.rates.timeout_rate);
  atMost('max_retry_rate', slo.max_retry_rate, measured.rates.retry_rate);
  if (slo.min_throughput_rps !== undefined) {
    checks.push({ name: 'min_throughput_rps', threshold: slo.min_throughput_rps, actual: measured.throughput.calls_per_s, pass: measured.throughput.calls_per_s >= slo.min_throughput_rps });
  }
  // A run where nothing succeeded never passes, whatever thresholds were set.
  const pass = measured.requests.ok > 0 && checks.every((check) => check.pass);
  return { pass, checks };
}
