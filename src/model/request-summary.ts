import type { AttemptRecord } from '../errors/gateway-error.js';
import type { InboundApi } from './inbound-api.js';
import type { Usage } from './usage.js';

/**
 * One finished API call, flat and final: what metrics, the request log line and dashboards need,
 * published once per call on `switchyard:request:finish` (observability/channels.ts). Identifiers,
 * counts and codes only — never request or response content, never a credential.
 */
export interface RequestSummary {
  requestId: string;
  inbound: InboundApi;
  /** The HTTP method and route pattern it came in on. */
  method?: string;
  route?: string;
  /** The HTTP status the client got. */
  status: number;
  /** From arrival to the answer (or the stream's last event), milliseconds. */
  durationMs: number;
  principalId?: string;
  department?: string;
  /** What the client asked for (also when no such alias exists). */
  alias?: string;
  /** The deployment that served, and its tier. */
  deployment?: string;
  tier?: string;
  /** The model version the upstream says answered. */
  responseModel?: string;
  /** Canary variant (`stable` without a canary). */
  variant?: string;
  /** The data policy's verdict: class, deciding rule, allow/deny, entity counts by type, masked types. */
  policy?: {
    action: 'allow' | 'deny';
    rule: string;
    dataClass: string;
    entities: Readonly<Record<string, number>>;
    maskedTypes: readonly string[];
  };
  /** Failed attempts before the one that served, or — refused after trying — the error's trail. */
  failedAttempts: readonly AttemptRecord[];
  /** The error code the client got (refusals and failures), and a stream's own error after it started. */
  errorCode?: string;
  streamed: boolean;
  streamCompleted?: boolean;
  streamErrorCode?: string;
  /** Time waiting on the upstream (unary) or until its first part (stream). */
  upstreamMs?: number;
  /** Time to first token as the client saw it (streams). */
  ttftMs?: number;
  usage?: Usage;
  costUsd?: number;
  quality?: { refusal: boolean; citations: boolean };
  /** Input guard hits (category → action, only those that acted) and output guard findings. */
  guard?: { input: ReadonlyArray<{ category: string; action: string }>; output: ReadonlyArray<{ category: string; action: string }> };
  /** The serving release, when releases are in use. */
  release?: { id: string; role: string };
}
