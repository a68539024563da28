import { EVAL_CATEGORIES, type EvalCategory } from '../releases/releases-config-schema.js';
import type { CheckResult } from './check-answer.js';

/** The JSON report (`eval run --format json`); docs/releases-and-eval.md documents every field. */
export const EVAL_REPORT_SCHEMA = 'switchyard.eval-report/v1';

export interface ItemResult {
  id: string;
  category: EvalCategory;
  passed: boolean;
  /** HTTP status of the answer; refusals by policy are 403 and may still pass. */
  status: number;
  errorCode?: string;
  /** The release the gateway says served (`x-switchyard-release`). */
  release?: string;
  latencyMs: number;
  tokens: { input: number; output: number };
  costUsd: number;
  refused: boolean;
  cited: boolean;
  piiLeaks: string[];
  checks: CheckResult[];
}

export interface CategoryStats {
  items: number;
  passed: number;
  passRate: number;
  /** Items with `must_refuse`: the share where refusing (or not) was right; null when none. */
  refusalCorrectness: number | null;
  /** Items with `must_cite`: the share that cited a given source; null when none. */
  citationRate: number | null;
  /** Items whose answer contained a PII entity the item forbade. */
  piiLeaks: number;
  /** Items that ended in a gateway or network error other than a policy refusal. */
  errors: number;
  latencyMs: { p50: number; p95: number };
  tokensPerItem: { input: number; output: number };
  costPerItemUsd: number;
  costUsd: number;
}

export interface TargetReport {
  /** As given: `alias` or `alias@release`. */
  target: string;
  alias: string;
  /** The release asked for, if any. */
  pinned?: string;
  /** Releases that actually served (normally one). */
  servedBy: string[];
  overall: CategoryStats;
  categories: Partial<Record<EvalCategory, CategoryStats>>;
  items: ItemResult[];
}

export interface EvalReport {
  schema: typeof EVAL_REPORT_SCHEMA;
  generatedAt: string;
  gateway: string;
  bank: { path: string; sha256: string; items: number; categories: Partial<Record<EvalCategory, number>> };
  judge: string | null;
  targets: TargetReport[];
}

/** Nearest-rank percentile of a sample; 0 for an empty one. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole));

export function categoryStats(items: readonly ItemResult[]): CategoryStats {
  const count = items.length;
  const passed = items.filter((item) => item.passed).length;
  const refusalChecks = items.flatMap((item) => item.checks.filter((check) => check.check === 'must_refuse'));
  const citationChecks = items.flatMap((item) => item.checks.filter((check) => check.check === 'must_cite'));
  const latencies = items.map((item) => item.latencyMs);
  const cost = items.reduce((sum, item) => sum + item.costUsd, 0);
  const input = items.reduce((sum, item) => sum + item.tokens.input, 0);
  const output = items.reduce((sum, item) => sum + item.tokens.output, 0);
  return {
    items: count,
    passed,
    passRate: count === 0 ? 0 : round(passed / count),
    refusalCorrectness: ratio(refusalChecks.filter((check) => check.passed).length, refusalChecks.length),
    citationRate: ratio(citationChecks.filter((check) => check.passed).length, citationChecks.length),
    piiLeaks: items.filter((item) => item.piiLeaks.length > 0).length,
    errors: items.filter((item) => item.errorCode !== undefined && !item.refused).length,
    latencyMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1) },
    tokensPerItem: { input: count === 0 ? 0 : round(input / count, 1), output: count === 0 ? 0 : round(output / count, 1) },
    costPerItemUsd: count === 0 ? 0 : round(cost / count, 8),
    costUsd: round(cost, 8),
  };
}

export function targetReport(target: string, alias: string, pinned: string | undefined, items: ItemResult[]): TargetReport {
  const categories: Partial<Record<EvalCategory, CategoryStats>> = {};
  for (const category of EVAL_CATEGORIES) {
    const inCategory = items.filter((item) => item.category === category);
    if (inCategory.length > 0) categories[category] = categoryStats(inCategory);
  }
  const servedBy = [...new Set(items.flatMap((item) => (item.release ? [item.release] : [])))];
  return { target, alias, ...(pinned ? { pinned } : {}), servedBy, overall: categoryStats(items), categories, items };
}
