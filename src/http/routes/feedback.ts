import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidRequestError } from '../../errors/gateway-error.js';
import type { Principal } from '../../model/principal.js';
import type { FeedbackSink } from '../../observability/feedback-sink.js';
import type { GatewayMetrics } from '../../observability/metrics.js';

export interface FeedbackRouteDependencies {
  /** The gateway's authenticator; throws the usual authentication GatewayErrors. */
  authenticate(headers: Record<string, string | string[] | undefined>, clientAddress: string | undefined): Principal | Promise<Principal>;
  sink: FeedbackSink;
  metrics?: GatewayMetrics;
}

/** Same shape the gateway accepts for `x-request-id`, so any id it handed out can be rated. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

const feedbackBodySchema = z
  .object({
    request_id: z.string().regex(REQUEST_ID, 'must be a request id as returned in x-request-id'),
    rating: z.enum(['up', 'down']),
    reviewer_verdict: z.enum(['accepted', 'rejected']).optional(),
    comment: z.string().max(4_000).optional(),
  })
  .strict();

function invalid(error: z.ZodError): InvalidRequestError {
  const issue = error.issues[0];
  const param = issue?.path.filter((segment) => typeof segment !== 'symbol').join('.') || null;
  return new InvalidRequestError(`Invalid feedback: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}.`, param);
}

/**
 * POST /v1/feedback {request_id, rating: up|down, reviewer_verdict?: accepted|rejected, comment?}.
 * Authenticated like any request; stored through the sink (with the audit record when the audit
 * store is the sink) and counted in the quality metrics. Errors use the OpenAI shape.
 */
export function registerFeedbackRoute(app: FastifyInstance, dependencies: FeedbackRouteDependencies): void {
  app.post('/v1/feedback', async (request, reply) => {
    // Authenticate before looking at the body, like the model routes.
    const principal = await dependencies.authenticate(request.headers, request.ip);
    const parsed = feedbackBodySchema.safeParse(request.body);
    if (!parsed.success) throw invalid(parsed.error);
    const body = parsed.data;
    const receipt = await dependencies.sink.record({
      requestId: body.request_id,
      rating: body.rating,
      ...(body.reviewer_verdict !== undefined ? { reviewerVerdict: body.reviewer_verdict } : {}),
      ...(body.comment !== undefined ? { comment: body.comment } : {}),
      submittedBy: principal.id,
      receivedAt: new Date(),
    });
    dependencies.metrics?.recordFeedback(receipt.alias, body.rating, body.reviewer_verdict);
    return reply.status(200).send({
      object: 'feedback',
      request_id: body.request_id,
      rating: body.rating,
      reviewer_verdict: body.reviewer_verdict ?? null,
      recorded: true,
    });
  });
}
