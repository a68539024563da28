import { describe, expect, it } from 'vitest';
import { parseAuditExport, trafficFromAudit } from './traffic-from-audit.js';

describe('trafficFromAudit', () => {
  it('derives the cost inputs from measured calls (hand-computed)', () => {
    // 4 calls over 2 days; three in the same hour; one retried once.
    const records = [
      { time: '2026-11-01T09:00:00.000Z', tokens: { input: 1000, output: 200, cachedInput: 500 } },
      { time: '2026-11-01T09:10:00.000Z', tokens: { input: 3000, output: 400 }, attempts: [{}] },
      { time: '2026-11-01T09:20:00.000Z', tokens: { input: 2000, output: 600, cachedInput: 1500 } },
      { time: '2026-11-03T09:00:00.000Z', tokens: { input: 2000, output: 800 } },
    ];
    const measured = trafficFromAudit(records);
    expect(measured?.days).toBe(2);
    expect(measured?.traffic).toMatchObject({
      requests_per_day: 2,
      avg_input_tokens: 2000,
      avg_output_tokens: 500,
      context_tokens: 0,
      chained_calls: 1,
      retry_rate: 0.25,
      cache_hit_rate: 0.25,
    });
    // 48 hours, 4 calls → 1/12 per hour on average; busiest hour has 3 → 36×.
    expect(measured?.traffic.peak_factor).toBeCloseTo(36, 10);
  });

  it('returns null without records and parses JSONL exports', () => {
    expect(trafficFromAudit([])).toBeNull();
    expect(parseAuditExport('{"time":"2026-11-01T00:00:00Z"}\n\n{"time":"2026-11-01T01:00:00Z"}\n')).toHaveLength(2);
    expect(() => parseAuditExport('{"time":1}\nnot json')).toThrow('line 2');
  });
});
