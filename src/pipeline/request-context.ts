import type { AttemptRecord, GatewayError } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';
import type { InboundApi } from '../model/inbound-api.js';
import type { Usage } from '../model/usage.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import type { MeteredRequest } from '../metering/meter-request.js';
import type { ContentToCapture } from '../audit/capture-content.js';
import type { InboundCall } from './inbound-call.js';
import type { GuardDecision } from '../guard/guard-decision.js';
import type { ReleaseFacts } from '../releases/apply-release.js';

/**
 * What the gateway knows about one request, filled in stage by stage. Logging, metrics and
 * audit read it when the request ends; no stage reads another stage's internals.
 */
export interface RequestContext {
  requestId: string;
  inbound: InboundApi;
  headers: Record<string, string | string[] | undefined>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** performance.now() at arrival, for latency. */
  startedAt: number;
  receivedAt: Date;
  clientAddress?: string;
  /** The HTTP method and route pattern it came in on (for the request log line). */
  route?: { method: string; url: string };
  principal?: Principal;
  alias?: string;
  /** Data class, entities by type and count, the deciding rule, masking — never the values. */
  policy?: PolicyDecision;
  deployment?: string;
  tier?: string;
  upstreamModel?: string;
  /** The model version the upstream says answered. */
  responseModel?: string;
  /** Every failed attempt before the one that served (or before giving up). */
  failedAttempts: AttemptRecord[];
  /** Time spent waiting on the upstream (non-stream) or until its first part (stream). */
  upstreamMs?: number;
  /** Time to first token as the client saw it, streams only. */
  ttftMs?: number;
  usage?: Usage;
  stream?: { completed: boolean; error?: GatewayError };
  error?: GatewayError;
  /** Canary variant the request was assigned to (`stable` without a canary). */
  variant?: string;
  /** Headers set by pipeline stages (rate limits), sent on success and on refusal alike. */
  responseHeaders?: Record<string, string>;
  /** Work to do once the response is finished (settle rate-limit reservations, …). */
  afterResponse(task: () => Promise<void> | void): void;
  /** Who pays and the budget hold taken before dispatch. */
  metered?: MeteredRequest;
  costUsd?: number;
  /** Request and response text for the audit record (captured per the data class's mode). */
  capture?: ContentToCapture;
  /** What the answer looked like, for the quality dashboard: did the model refuse, did it cite? */
  quality?: { refusal: boolean; citations: boolean };
  /** The guard's scores, signals and actions (input), and what output guarding found. */
  guard?: GuardDecision;
  /** The release that served: id, role (production/canary/pinned/config), template and KB label. */
  release?: ReleaseFacts;
}

/** A fresh context for one call; its clocks start now. */
export function createRequestContext(call: InboundCall, inbound: InboundApi): RequestContext {
  return {
    requestId: call.requestId,
    inbound,
    headers: call.headers,
    signal: call.signal,
    startedAt: performance.now(),
    receivedAt: new Date(),
    ...(call.clientAddress !== undefined ? { clientAddress: call.clientAddress } : {}),
    ...(call.route ? { route: call.route } : {}),
    failedAttempts: [],
    afterResponse: (task) => call.afterResponse(task),
  };
}
