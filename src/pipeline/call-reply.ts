import { GatewayError } from '../errors/gateway-error.js';
import { policyResponseHeaders } from '../policy/policy-decision.js';
import type { Dialect } from '../wire/dialect.js';
import type { CallReply } from './inbound-call.js';
import type { RequestContext } from './request-context.js';

/** Anything thrown inside the pipeline as a GatewayError; an unknown error keeps its message private. */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'The gateway hit an internal error; the request id identifies it in the logs.', { cause: error });
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

/** A served answer: 200, the routing headers, the dialect's body. */
export function answer(context: RequestContext, body: unknown): CallReply {
  return { status: 200, headers: routingHeaders(context), body };
}

/**
 * A refusal or failure in the dialect's error shape. It still tells the client how the request
 * was classified and which rule applied, its rate-limit headers, and when to retry.
 */
export function refusal(context: RequestContext, dialect: Pick<Dialect<unknown, unknown, unknown>, 'encodeError'>, error: GatewayError): CallReply {
  const headers: Record<string, string> = {
    ...(context.policy ? policyResponseHeaders(context.policy) : {}),
    ...context.responseHeaders,
    ...(error.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) } : {}),
  };
  return { status: error.status, headers, body: dialect.encodeError(error), error };
}
