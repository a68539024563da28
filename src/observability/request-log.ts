import type { RequestSummary } from '../model/request-summary.js';
import { logKnownSafe } from './logger.js';

/** The facts one log line needs: a pipeline summary, or for other routes just the HTTP outcome. */
export type RequestLogFacts = Partial<RequestSummary> & Pick<RequestSummary, 'status' | 'durationMs'>;

/**
 * One log line per request: who, which alias, where it went, how it ended. Never content. Model
 * API calls arrive here from `switchyard:request:finish`; other routes from the http layer.
 * Every field below is a scalar under a fixed name that no redaction path matches, so the line
 * skips the redaction walk (`logKnownSafe`; request-log.test.ts keeps the names and the list apart).
 */
export function logRequest(logger: { info(fields: object, message: string): void }, facts: RequestLogFacts): void {
  const served = facts.deployment !== undefined;
  logKnownSafe(
    logger,
    {
      request_id: facts.requestId,
      method: facts.method,
      route: facts.route,
      status: facts.status,
      latency_ms: Math.round(facts.durationMs * 100) / 100,
      principal: facts.principalId,
      alias: facts.alias,
      deployment: facts.deployment,
      tier: facts.tier,
      data_class: facts.policy?.dataClass,
      rule: facts.policy?.rule,
      // Served: the failed tries plus the one that answered; refused after trying: the error's trail.
      attempts: facts.failedAttempts === undefined ? undefined : facts.failedAttempts.length + (served ? 1 : 0),
      stream_completed: facts.streamCompleted,
      stream_error: facts.streamErrorCode,
      error: facts.errorCode,
    },
    'request',
  );
}
