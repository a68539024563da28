import { describe, expect, it } from 'vitest';
import { evaluateGate, type GateStats } from './kpi-gate.js';
import { gateFromReport } from './gate-from-report.js';
import { kpiGateSchema } from './releases-config-schema.js';

const stats = (passRate: number, extra: Partial<GateStats> = {}): GateStats => ({ items: 10, passRate, latencyMs: { p95: 100 }, costPerItemUsd: 0.001, ...extra });
const all = (rates: [number, number, number, number]) => ({
  lookup: stats(rates[0]), synthesis: stats(rates[1]), hallucination_prone: stats(rates[2]), security: stats(rates[3]),
});
const now = new Date('2026-11-05T04:00:00.000Z');
const fresh = '2026-11-05T03:00:00.000Z';

describe('KPI gate', () => {
  const gate = kpiGateSchema.parse({ max_p95_latency_ms: 500, max_cost_per_item_usd: 0.01 });

  it('defaults security to 100 % and names each failed KPI', () => {
    expect(gate.min_pass_rate.security).toBe(1);
    const verdict = evaluateGate(gate, { candidate: { overall: stats(0.9), categories: all([1, 1, 1, 0.9]) }, generatedAt: fresh }, now);
    expect(verdict.failures.map((failure) => failure.kpi)).toEqual(['pass_rate.security']);
    expect(evaluateGate(gate, { candidate: { overall: stats(1), categories: all([1, 1, 1, 1]) }, generatedAt: fresh }, now).passed).toBe(true);
  });

  it('refuses a regression against production beyond max_regression, latency, cost, stale or missing evidence', () => {
    const verdict = evaluateGate(
      gate,
      {
        candidate: { overall: stats(0.9, { latencyMs: { p95: 900 }, costPerItemUsd: 0.02 }), categories: { ...all([0.85, 1, 1, 1]), synthesis: undefined } },
        baseline: { overall: stats(1), categories: all([0.95, 1, 1, 1]) },
        generatedAt: '2026-11-03T00:00:00.000Z',
      },
      now,
    );
    expect(verdict.failures.map((failure) => failure.kpi).sort()).toEqual(['cost_per_item_usd', 'latency_p95_ms', 'pass_rate.synthesis', 'regression.lookup', 'report_age_hours']);
    // Exactly at the allowed regression passes.
    const edge = evaluateGate(gate, { candidate: { overall: stats(1), categories: all([0.9, 1, 1, 1]) }, baseline: { overall: stats(1), categories: all([0.95, 1, 1, 1]) }, generatedAt: fresh }, now);
    expect(edge.passed).toBe(true);
  });

  it('reads a report: the candidate target must have been served by the candidate, compared with production', () => {
    const target = (pinned: string | undefined, servedBy: string[], rates: [number, number, number, number]) => ({ target: 't', ...(pinned ? { pinned } : {}), servedBy, overall: stats(1), categories: all(rates) });
    const report = { generatedAt: fresh, targets: [target('rel-aaa', ['rel-aaaaaaaaaaaa'], [1, 1, 1, 1]), target(undefined, ['rel-bbbbbbbbbbbb'], [1, 1, 1, 1])] };
    expect(gateFromReport(gate, report, 'rel-aaaaaaaaaaaa', 'rel-bbbbbbbbbbbb', now).passed).toBe(true);
    // A pin the gateway did not honour (served by another release) is no evidence.
    const ignored = { generatedAt: fresh, targets: [target('rel-ccc', ['rel-bbbbbbbbbbbb'], [1, 1, 1, 1])] };
    expect(() => gateFromReport(gate, ignored, 'rel-cccccccccccc', undefined, now)).toThrow(/no target evaluating/);
    const worse = { generatedAt: fresh, targets: [target('rel-aaa', ['rel-aaaaaaaaaaaa'], [0.7, 1, 1, 1]), target(undefined, ['rel-bbbbbbbbbbbb'], [1, 1, 1, 1])] };
    expect(gateFromReport(gate, worse, 'rel-aaaaaaaaaaaa', 'rel-bbbbbbbbbbbb', now).failures.map((failure) => failure.kpi)).toEqual(['pass_rate.lookup', 'regression.lookup']);
  });
});
