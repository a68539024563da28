import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InboundApi } from '../model/inbound-api.js';
import { policyResponseHeaders } from '../policy/policy-decision.js';
import type { RequestContext } from '../pipeline/request-context.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Accepts a well-formed client `x-request-id`, otherwise mints one; never echoes arbitrary input. */
export function requestIdFrom(request: FastifyRequest): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
}

/** A pipeline context whose signal aborts when the client disconnects before the reply is done. */
export function createRequestContext(request: FastifyRequest, reply: FastifyReply, inbound: InboundApi): RequestContext {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return {
    requestId: request.id,
    inbound,
    headers: request.headers,
    signal: controller.signal,
    startedAt: performance.now(),
    receivedAt: new Date(),
    clientAddress: request.ip,
    failedAttempts: [],
    onFinish: [],
  };
}

/** Response headers that tell the client where its request went. */
export function routingHeaders(context: RequestContext): Record<string, string> {
  const headers: Record<string, string> = { ...context.responseHeaders, 'x-request-id': context.requestId };
  if (context.deployment) headers['x-switchyard-deployment'] = context.deployment;
  if (context.tier) headers['x-switchyard-tier'] = context.tier;
  if (context.deployment) {
    // Same count as the request log's `attempts`: failed attempts (circuit skips included) + the one that served.
    headers['x-switchyard-attempts'] = String(context.failedAttempts.length + 1);
    const skips = context.failedAttempts.filter((attempt) => attempt.reason.includes('(circuit open)')).length;
    if (skips > 0) headers['x-switchyard-circuit-skips'] = String(skips);
  }
  if (context.release) headers['x-switchyard-release'] = context.release.releaseId;
  // The metered cost of this answer (the caller's own spend; eval reports cost per item from it).
  if (context.costUsd !== undefined) headers['x-switchyard-cost-usd'] = String(context.costUsd);
  return context.policy ? { ...headers, ...policyResponseHeaders(context.policy) } : headers;
}
