import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import type { FeedbackSink } from '../observability/feedback-sink.js';
import type { SqlExecutor } from '../storage/sql-executor.js';

/**
 * Keeps feedback with the audit record of the request it rates: the request must exist in the
 * audit store (a rating for an unknown id is a 404, not a silent orphan), and its alias labels
 * the quality metrics. A reviewer may rate a request more than once; every rating is kept.
 */
export function createAuditFeedbackSink(executor: SqlExecutor): FeedbackSink {
  return {
    async record(feedback) {
      const [rated] = await executor.all<{ alias: string | null }>('SELECT alias FROM audit_records WHERE request_id = ? LIMIT 1', [feedback.requestId]);
      if (!rated) throw new GatewayError('not_found', `No audited request with id '${feedback.requestId}'.`, { param: 'request_id' });
      await executor.run(
        `INSERT INTO audit_feedback (id, request_id, rating, reviewer_verdict, comment, submitted_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), feedback.requestId, feedback.rating, feedback.reviewerVerdict ?? null, feedback.comment ?? null, feedback.submittedBy, feedback.receivedAt.toISOString()],
      );
      return rated.alias === null ? {} : { alias: rated.alias };
    },
  };
}
