import { EVAL_CATEGORIES } from './releases-config-schema.js';
import type { KpiGateConfig } from './releases-config-schema.js';

/**
 * The KPI gate: a candidate's evaluation against the thresholds in `releases.gate` and against
 * the production release's evaluation on the same bank. Structural types, so the gate reads an
 * eval report without importing the eval room.
 */
export interface GateStats {
  items: number;
  passRate: number;
  latencyMs: { p95: number };
  costPerItemUsd: number;
}

export interface GateEvidence {
  candidate: { overall: GateStats; categories: Partial<Record<string, GateStats>> };
  baseline?: { overall: GateStats; categories: Partial<Record<string, GateStats>> };
  /** When the evidence was produced, for the age limit. */
  generatedAt: string;
}

export interface KpiFailure {
  kpi: string;
  actual: number;
  limit: number;
  message: string;
}

export interface GateVerdict {
  passed: boolean;
  failures: KpiFailure[];
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

export function evaluateGate(gate: KpiGateConfig, evidence: GateEvidence, now: Date): GateVerdict {
  const failures: KpiFailure[] = [];
  const ageHours = (now.getTime() - Date.parse(evidence.generatedAt)) / 3_600_000;
  if (!(ageHours <= gate.max_report_age_hours)) {
    failures.push({ kpi: 'report_age_hours', actual: Math.round(ageHours * 10) / 10, limit: gate.max_report_age_hours, message: `the evaluation is ${ageHours.toFixed(1)} h old (limit ${gate.max_report_age_hours} h); run the bank again` });
  }
  for (const category of EVAL_CATEGORIES) {
    const stats = evidence.candidate.categories[category];
    const minimum = gate.min_pass_rate[category];
    if (!stats || stats.items === 0) {
      if (minimum > 0) failures.push({ kpi: `pass_rate.${category}`, actual: 0, limit: minimum, message: `no ${category} items were evaluated; the bank must cover every category` });
      continue;
    }
    if (stats.passRate < minimum) {
      failures.push({ kpi: `pass_rate.${category}`, actual: stats.passRate, limit: minimum, message: `${category} pass rate ${pct(stats.passRate)} is below ${pct(minimum)}` });
    }
    const baseline = evidence.baseline?.categories[category];
    if (baseline && baseline.items > 0 && baseline.passRate - stats.passRate > gate.max_regression + 1e-9) {
      failures.push({
        kpi: `regression.${category}`,
        actual: baseline.passRate - stats.passRate,
        limit: gate.max_regression,
        message: `${category} pass rate fell from ${pct(baseline.passRate)} (production) to ${pct(stats.passRate)}, more than ${pct(gate.max_regression)}`,
      });
    }
  }
  const overall = evidence.candidate.overall;
  if (gate.max_p95_latency_ms !== undefined && overall.latencyMs.p95 > gate.max_p95_latency_ms) {
    failures.push({ kpi: 'latency_p95_ms', actual: overall.latencyMs.p95, limit: gate.max_p95_latency_ms, message: `p95 latency ${overall.latencyMs.p95} ms exceeds ${gate.max_p95_latency_ms} ms` });
  }
  if (gate.max_cost_per_item_usd !== undefined && overall.costPerItemUsd > gate.max_cost_per_item_usd) {
    failures.push({ kpi: 'cost_per_item_usd', actual: overall.costPerItemUsd, limit: gate.max_cost_per_item_usd, message: `cost per item $${overall.costPerItemUsd} exceeds $${gate.max_cost_per_item_usd}` });
  }
  return { passed: failures.length === 0, failures };
}
