import type { RequestSummary } from '../model/request-summary.js';
import type { ReleaseEvaluation } from '../releases/release-store.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Counts requests per serving release, so dashboards split quality, refusals and errors by
 * production and canary. Release ids are bounded by `knownIds` (the releases this replica has
 * served); anything else is `other`, so a client cannot mint series.
 */
export function createReleaseMetricsObserver(metrics: GatewayMetrics, knownIds: () => ReadonlySet<string>) {
  const family = metrics.families.releaseRequests;
  return (summary: RequestSummary | undefined, status: number): void => {
    const release = summary?.release;
    if (!release) return;
    const id = knownIds().has(release.id) ? release.id : 'other';
    family.labels(metrics.domains.alias.map(summary.alias), id, release.role, `${Math.floor(status / 100)}xx`).inc();
  };
}

/** Sets the eval gauges from the newest published evaluation of each release (stale releases drop out). */
export function recordEvaluations(metrics: GatewayMetrics, evaluations: readonly ReleaseEvaluation[]): void {
  const { evalPassRate, evalCitationRate, evalRefusalCorrectness, evalPiiLeaks } = metrics.families;
  for (const gauge of [evalPassRate, evalCitationRate, evalRefusalCorrectness, evalPiiLeaks]) gauge.reset();
  for (const evaluation of evaluations) {
    const { overall, categories } = evaluation.summary;
    evalPassRate.labels(evaluation.release, 'all').set(overall.passRate);
    for (const [category, stats] of Object.entries(categories)) if (stats) evalPassRate.labels(evaluation.release, category).set(stats.passRate);
    if (overall.citationRate !== null) evalCitationRate.labels(evaluation.release).set(overall.citationRate);
    if (overall.refusalCorrectness !== null) evalRefusalCorrectness.labels(evaluation.release).set(overall.refusalCorrectness);
    evalPiiLeaks.labels(evaluation.release).set(overall.piiLeaks);
  }
}
