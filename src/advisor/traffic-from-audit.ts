import type { TrafficInput } from './answers-schema.js';

/**
 * The fields of a gateway audit record (src/audit/audit-record.ts) the advisor reads. Kept
 * structural so an audit export (`switchyard audit export --format jsonl`) is all it needs.
 */
export interface MeasuredCall {
  time: string;
  status?: string;
  tokens?: { input: number; output: number; cachedInput?: number };
  attempts?: unknown[];
}

export interface MeasuredTraffic {
  traffic: TrafficInput;
  calls: number;
  days: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Derives the cost inputs from measured calls. Each audit record is one model call, so the
 * measured request rate already includes chained calls (chained_calls = 1) and the measured
 * input already includes the context (context_tokens = 0):
 *   requests_per_day = calls / days observed (at least one day)
 *   retry_rate       = failed attempts before success / calls
 *   cache_hit_rate   = cached input tokens / input tokens
 *   peak_factor      = busiest hour's calls / average calls per hour (at least 1)
 */
export function trafficFromAudit(records: readonly MeasuredCall[]): MeasuredTraffic | null {
  const times = records.map((record) => Date.parse(record.time)).filter((time) => Number.isFinite(time));
  if (times.length === 0) return null;
  const first = Math.min(...times);
  const last = Math.max(...times);
  const days = Math.max(1, (last - first) / DAY);
  const withTokens = records.filter((record) => record.tokens !== undefined);
  const sum = (pick: (record: MeasuredCall) => number): number => withTokens.reduce((total, record) => total + pick(record), 0);
  const input = sum((record) => record.tokens?.input ?? 0);
  const output = sum((record) => record.tokens?.output ?? 0);
  const cached = sum((record) => record.tokens?.cachedInput ?? 0);
  const retries = records.reduce((total, record) => total + (record.attempts?.length ?? 0), 0);
  const perHour = new Map<number, number>();
  for (const time of times) perHour.set(Math.floor(time / HOUR), (perHour.get(Math.floor(time / HOUR)) ?? 0) + 1);
  const hours = Math.max(1, (last - first) / HOUR);
  const averagePerHour = times.length / hours;
  const busiest = Math.max(...perHour.values());
  const traffic: TrafficInput = {
    requests_per_day: times.length / days,
    avg_input_tokens: withTokens.length > 0 ? input / withTokens.length : 0,
    avg_output_tokens: withTokens.length > 0 ? output / withTokens.length : 0,
    context_tokens: 0,
    chained_calls: 1,
    retry_rate: Math.min(1, retries / times.length),
    cache_hit_rate: input > 0 ? Math.min(1, cached / input) : 0,
    peak_factor: Math.min(100, Math.max(1, busiest / averagePerHour)),
  };
  return { traffic, calls: times.length, days };
}

/** Parses a JSONL audit export, skipping blank lines; throws on a line that is not JSON. */
export function parseAuditExport(text: string): MeasuredCall[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as MeasuredCall;
      } catch {
        throw new Error(`line ${index + 1} is not JSON`);
      }
    });
}
