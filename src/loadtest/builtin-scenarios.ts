import type { ScenarioInput } from './scenario-schema.js';

/**
 * The three scenarios of the SOP's step 6. They are short on purpose (seconds, not minutes) so
 * they fit a CI job; `--duration`, `--max-requests` and `--scale` stretch them for a staging run.
 * Peak is 6× normal's rate with a burst to 2× that (12×) for one second: inside the 5–10×
 * planning range on average, and above it at the top of the burst.
 */
const NORMAL: ScenarioInput = {
  name: 'normal',
  description: 'Everyday mix: short and long prompts, half streamed, some chains and tool calls.',
  duration_s: 4,
  max_requests: 400,
  rps: 8,
  slo: { p95_latency_ms: 2_000, p95_ttft_ms: 1_000, max_error_rate: 0.01, max_timeout_rate: 0.01, max_retry_rate: 0.05 },
  projection: { requests_per_day: 10_000, peak_hours_per_day: 2 },
};

const PEAK: ScenarioInput = {
  ...NORMAL,
  name: 'peak',
  description: 'Peak: 6× the normal rate with a one-second burst to 12×.',
  max_requests: 1_500,
  rps: 48,
  bursts: [{ at_s: 1.5, for_s: 1, factor: 2 }],
  slo: { p95_latency_ms: 4_000, p95_ttft_ms: 2_000, max_error_rate: 0.02, max_timeout_rate: 0.02, max_retry_rate: 0.1 },
};

const FAULTS: ScenarioInput = {
  ...NORMAL,
  name: 'faults',
  description: 'Normal rate while the primary deployment throttles, fails, refuses, hangs, cuts streams and starts slowly; the secondary jitters.',
  duration_s: 5,
  max_requests: 500,
  rps: 10,
  faults: [
    { kind: 'latency_jitter', at_s: 0, for_s: 5, target: 'secondary', ms: 60 },
    { kind: 'rate_limit_storm', at_s: 0.4, for_s: 0.9, rate: 0.7 },
    { kind: 'error_storm', at_s: 1.3, for_s: 0.9, rate: 0.8, status: 500 },
    { kind: 'refusal', at_s: 2.2, for_s: 0.6, rate: 1 },
    { kind: 'timeout', at_s: 2.8, for_s: 0.8, rate: 0.5 },
    { kind: 'stream_cut', at_s: 3.6, for_s: 0.6, rate: 0.6 },
    { kind: 'slow_first_token', at_s: 4.2, for_s: 0.8, rate: 1, ms: 1_500 },
  ],
  // A bad day still has to be survivable: most requests answered, within a few seconds.
  slo: { p95_latency_ms: 5_000, max_error_rate: 0.1, max_timeout_rate: 0.1 },
};

export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = { normal: NORMAL, peak: PEAK, faults: FAULTS };
export const BUILTIN_NAMES = Object.keys(BUILTIN_SCENARIOS);
