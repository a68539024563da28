import type { Answers, TrafficInput } from './answers-schema.js';
import type { MeasuredSource } from './traffic-from-loadtest.js';

/** Traffic with every value filled in; what the cost formulas use. */
export type Traffic = Required<TrafficInput>;

/** Peak factor by traffic volatility, within the 5–10× range the issue names. */
export const PEAK_FACTOR_BY_VOLATILITY: Record<Answers['traffic_volatility'], number> = {
  low: 5,
  medium: 7,
  high: 10,
};

/** Defaults for a mid-sized internal assistant; shown in every report as "assumed". */
export const TRAFFIC_DEFAULTS: Omit<Traffic, 'peak_factor'> = {
  requests_per_day: 10_000,
  avg_input_tokens: 1_000,
  avg_output_tokens: 500,
  context_tokens: 2_000,
  peak_hours_per_day: 2,
  retry_rate: 0.1,
  chained_calls: 2,
  cache_hit_rate: 0.5,
  days_per_month: 30,
  hybrid_inside_share: 0.6,
  multi_cloud_primary_share: 0.7,
};

export interface ResolvedTraffic {
  traffic: Traffic;
  /** Keys that came from defaults rather than the answers file or measurements. */
  assumed: (keyof Traffic)[];
  /** Keys taken from the gateway's measured traffic (audit export). */
  measured: (keyof Traffic)[];
  /** Where the measured values came from (audit export or load test). */
  measuredFrom?: MeasuredSource;
}

/** Precedence per key: the answers file, then measured traffic, then the defaults. */
export function resolveTraffic(input: TrafficInput | undefined, answers: Answers, measuredInput: TrafficInput = {}, measuredFrom?: MeasuredSource): ResolvedTraffic {
  const defaults: Traffic = { ...TRAFFIC_DEFAULTS, peak_factor: PEAK_FACTOR_BY_VOLATILITY[answers.traffic_volatility] };
  const given = input ?? {};
  const traffic = { ...defaults } as Traffic;
  const assumed: (keyof Traffic)[] = [];
  const measured: (keyof Traffic)[] = [];
  for (const key of Object.keys(defaults) as (keyof Traffic)[]) {
    const value = given[key];
    const observed = measuredInput[key];
    if (value !== undefined) traffic[key] = value;
    else if (observed !== undefined) {
      traffic[key] = observed;
      measured.push(key);
    } else assumed.push(key);
  }
  return { traffic, assumed, measured, ...(measuredFrom && measured.length > 0 ? { measuredFrom } : {}) };
}

/** Traffic scaled to a share of the volume (for hybrid and multi-cloud splits and the break-even sweep). */
export function scaleTraffic(traffic: Traffic, factor: number): Traffic {
  return { ...traffic, requests_per_day: traffic.requests_per_day * factor };
}
