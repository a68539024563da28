import type { RequestContext } from '../pipeline/request-context.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Counts requests per serving release, so dashboards split quality, refusals and errors by
 * production and canary. Release ids are bounded by `knownIds` (the releases this replica has
 * served); anything else is `other`, so a client cannot mint series.
 */
export function createReleaseMetricsObserver(metrics: GatewayMetrics, knownIds: () => ReadonlySet<string>) {
  const family = metrics.families.releaseRequests;
  return (context: RequestContext | undefined, status: number): void => {
    const release = context?.release;
    if (!release) return;
    const id = knownIds().has(release.releaseId) ? release.releaseId : 'other';
    family.labels(metrics.domains.alias.map(context.alias), id, release.role, `${Math.floor(status / 100)}xx`).inc();
  };
}
