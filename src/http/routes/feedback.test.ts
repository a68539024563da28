import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, GatewayError } from '../../errors/gateway-error.js';
import type { Principal } from '../../model/principal.js';
import { createMemoryFeedbackSink, type FeedbackSink, type MemoryFeedbackSink } from '../../observability/feedback-sink.js';
import { createMetrics, type GatewayMetrics } from '../../observability/metrics.js';
import { errorHandler } from '../error-handler.js';
import { registerFeedbackRoute } from './feedback.js';

const PRINCIPAL: Principal = { id: 'reviewer-key', kind: 'key', roles: [], tags: {} };
const headers = { authorization: 'Bearer good', 'content-type': 'application/json' };

function authenticate(requestHeaders: Record<string, string | string[] | undefined>): Principal {
  if (requestHeaders.authorization === undefined) throw new AuthenticationError('missing_api_key', 'You did not provide an API key.');
  if (requestHeaders.authorization !== 'Bearer good') throw new AuthenticationError('invalid_api_key', 'Incorrect API key provided.');
  return PRINCIPAL;
}

let app: FastifyInstance;
let sink: MemoryFeedbackSink;
let metrics: GatewayMetrics;

function build(customSink?: FeedbackSink): void {
  app = Fastify();
  app.setErrorHandler(errorHandler);
  sink = createMemoryFeedbackSink();
  metrics = createMetrics({ models: [{ alias: 'chat', targets: [] }], deployments: [], defaultMetrics: false });
  registerFeedbackRoute(app, { authenticate, sink: customSink ?? sink, metrics });
}

beforeEach(() => build());
afterEach(async () => {
  await app.close();
});

describe('POST /v1/feedback', () => {
  it('stores the feedback with who sent it and counts it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/feedback',
      headers,
      payload: { request_id: 'req_abc123', rating: 'down', reviewer_verdict: 'rejected', comment: '答非所問' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ object: 'feedback', request_id: 'req_abc123', rating: 'down', reviewer_verdict: 'rejected', recorded: true });
    expect(sink.items()).toEqual([
      expect.objectContaining({ requestId: 'req_abc123', rating: 'down', reviewerVerdict: 'rejected', comment: '答非所問', submittedBy: 'reviewer-key' }),
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_feedback_total{alias="none",rating="down"} 1');
    expect(text).toContain('switchyard_review_verdicts_total{alias="none",verdict="rejected"} 1');
  });

  it('labels the metrics with the alias the store knows for the request', async () => {
    await app.close();
    build({ record: async () => ({ alias: 'chat' }) });
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', headers, payload: { request_id: 'req_1', rating: 'up' } });
    expect(response.statusCode).toBe(200);
    expect(await metrics.registry.metrics()).toContain('switchyard_feedback_total{alias="chat",rating="up"} 1');
  });

  it('refuses an unauthenticated caller with 401 in the OpenAI error shape, before reading the body', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', payload: { nonsense: true } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
    expect(sink.items()).toHaveLength(0);
  });

  it.each([
    [{ request_id: 'req_1', rating: 'meh' }, 'rating'],
    [{ rating: 'up' }, 'request_id'],
    [{ request_id: 'has spaces and <tags>', rating: 'up' }, 'request_id'],
    [{ request_id: 'req_1', rating: 'up', reviewer_verdict: 'maybe' }, 'reviewer_verdict'],
    [{ request_id: 'req_1', rating: 'up', comment: 'x'.repeat(4_001) }, 'comment'],
  ])('rejects %j with 400 naming the parameter', async (payload, param) => {
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request', type: 'invalid_request_error', param } });
    expect(sink.items()).toHaveLength(0);
  });

  it('rejects unknown fields, so a misspelt field is not silently dropped', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', headers, payload: { request_id: 'req_1', rating: 'up', ratting: 'down' } });
    expect(response.statusCode).toBe(400);
  });

  it('passes a sink refusal through as its GatewayError and counts nothing', async () => {
    await app.close();
    build({
      record: async () => {
        throw new GatewayError('not_found', 'No request req_unknown on record.');
      },
    });
    const response = await app.inject({ method: 'POST', url: '/v1/feedback', headers, payload: { request_id: 'req_unknown', rating: 'up' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await metrics.registry.metrics()).not.toContain('rating="up"} 1');
  });
});
