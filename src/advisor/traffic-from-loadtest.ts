import type { TrafficInput } from './answers-schema.js';
import { fill, l, type Localized } from './localized.js';

/** Where measured traffic came from; the report names it next to every measured value. */
export interface MeasuredSource {
  kind: 'audit-export' | 'loadtest';
  /** One sentence for the report: what was measured, and how. */
  description: Localized;
}

const KEYS = ['avg_input_tokens', 'avg_output_tokens', 'context_tokens', 'chained_calls', 'retry_rate', 'peak_factor'] as const;
const BOUNDS: Record<(typeof KEYS)[number], [number, number]> = {
  avg_input_tokens: [0, 10_000_000],
  avg_output_tokens: [0, 10_000_000],
  context_tokens: [0, 10_000_000],
  chained_calls: [1, 1_000],
  retry_rate: [0, 1],
  peak_factor: [1, 100],
};

/**
 * Reads a `switchyard loadtest` JSON report (schema switchyard.loadtest/v1, docs/loadtest.md)
 * and returns the cost inputs it measured: its `advisor_traffic.traffic` block — the mix of the
 * baseline scenario, the highest non-fault retry rate and the measured peak factor. Kept
 * structural (no import of the load tester) so the advisor room stays on its own; a report
 * that is not one, or holds values outside the model's ranges, is refused with the reason.
 */
export function trafficFromLoadtest(text: string): { traffic: TrafficInput; source: MeasuredSource } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('not JSON; expected the --out file of switchyard loadtest');
  }
  const report = parsed as { schema?: unknown; advisor_traffic?: { traffic?: Record<string, unknown>; from_scenario?: unknown }; peak_factor?: { method?: unknown } } | null;
  if (report?.schema !== 'switchyard.loadtest/v1') throw new Error('not a switchyard loadtest report (schema switchyard.loadtest/v1)');
  const measured = report.advisor_traffic?.traffic;
  if (!measured || typeof measured !== 'object') throw new Error('advisor_traffic.traffic is missing');
  const traffic: TrafficInput = {};
  for (const key of KEYS) {
    const value = measured[key];
    if (value === undefined) continue;
    const [low, high] = BOUNDS[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
      throw new Error(`advisor_traffic.traffic.${key} must be a number in ${low}–${high}`);
    }
    traffic[key] = value;
  }
  if (Object.keys(traffic).length === 0) throw new Error('advisor_traffic.traffic holds no measured value');
  const scenario = typeof report.advisor_traffic?.from_scenario === 'string' ? report.advisor_traffic.from_scenario : '?';
  const method = report.peak_factor?.method === 'peak_over_baseline' ? l('peak scenario ÷ baseline scenario', '尖峰情境 ÷ 基準情境') : l('busiest second ÷ mean', '最忙一秒 ÷ 平均');
  const values = {
    scenario,
    peak: traffic.peak_factor?.toFixed(2) ?? '–',
    retry: traffic.retry_rate !== undefined ? `${(traffic.retry_rate * 100).toFixed(1)}%` : '–',
    chained: traffic.chained_calls?.toFixed(2) ?? '–',
  };
  const description = fill(
    l(
      'Cost inputs measured by `switchyard loadtest`: mix of scenario "{scenario}", {chained} calls per task, retry rate {retry}, peak factor {peak}× ({method}).',
      '成本輸入取自 `switchyard loadtest` 實測：情境「{scenario}」的組成、每任務 {chained} 次呼叫、重試率 {retry}、尖峰倍數 {peak} 倍（{method}）。',
    ),
    values,
  );
  return {
    traffic,
    source: { kind: 'loadtest', description: { en: description.en.replace('{method}', method.en), 'zh-TW': description['zh-TW'].replace('{method}', method['zh-TW']) } },
  };
}
