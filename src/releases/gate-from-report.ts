import { evaluateGate, type GateStats, type GateVerdict } from './kpi-gate.js';
import type { KpiGateConfig } from './releases-config-schema.js';

/** The parts of an eval report the gate reads (structural: the releases room does not import eval). */
export interface GateReport {
  generatedAt: string;
  targets: Array<{ target: string; pinned?: string; servedBy: string[]; overall: GateStats; categories: Partial<Record<string, GateStats>> }>;
}

/**
 * The verdict on `candidate` from a report: every target that evaluated it must pass, compared
 * with the target that evaluated the production release when the report has one.
 */
export function gateFromReport(gate: KpiGateConfig, report: GateReport, candidate: string, production: string | undefined, now: Date): GateVerdict {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.targets)) throw new Error('the report is not an eval report (eval run --format json)');
  // A pin may be a prefix of the id; what served must agree with it (a pin the gateway ignored is no evidence).
  const servedOnlyBy = (target: GateReport['targets'][number], release: string) =>
    (target.pinned === undefined || release.startsWith(target.pinned)) && target.servedBy.length === 1 && target.servedBy[0] === release;
  const mine = report.targets.filter((target) => servedOnlyBy(target, candidate));
  if (mine.length === 0) throw new Error(`the report has no target evaluating ${candidate}; run \`switchyard eval run --target ALIAS@${candidate}\``);
  const baseline = production && production !== candidate ? report.targets.find((target) => servedOnlyBy(target, production)) : undefined;
  const verdicts = mine.map((target) => evaluateGate(gate, { candidate: target, ...(baseline ? { baseline } : {}), generatedAt: report.generatedAt }, now));
  return { passed: verdicts.every((verdict) => verdict.passed), failures: verdicts.flatMap((verdict) => verdict.failures) };
}
