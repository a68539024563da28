import type { ReleaseEvent } from './release-store.js';

/**
 * The audit record of a release state change (a promote, canary, rollback, and above all a
 * forced override of the KPI gate with its reason). Shaped as the audit room's record input
 * (`inbound: admin`); the composition root seals it into the hash chain.
 */
export function releaseAuditRecord(event: ReleaseEvent) {
  return {
    time: event.time,
    requestId: `release-${event.generation}`,
    inbound: 'admin' as const,
    status: 'ok' as const,
    httpStatus: 200,
    latencyMs: 0,
    ...(event.release ? { configVersion: event.release } : {}),
    principal: { id: event.actor ?? 'unknown', kind: 'user' as const, roles: [] },
    tags: {
      release_action: event.action,
      release_generation: String(event.generation),
      forced: String(event.forced),
      ...(event.production ? { production: event.production } : {}),
      ...(event.canary ? { canary: `${event.canary.release}:${event.canary.percent}%${event.canary.cohort ? `+${event.canary.cohort}` : ''}` } : {}),
      ...(event.reason ? { reason: event.reason.slice(0, 500) } : {}),
      ...(event.forced && Array.isArray(event.detail?.forcedFailures) ? { overridden_kpis: (event.detail.forcedFailures as string[]).join(',') } : {}),
    },
  };
}
