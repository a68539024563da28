import { isGatewayError, type AttemptRecord } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';
import type { InboundApi } from '../model/inbound-api.js';
import type { Usage } from '../model/usage.js';
import type { AuditGuard, AuditRecordInput, AuditStatus, CaptureMode } from './audit-record.js';
import { captureContent, type ContentToCapture } from './capture-content.js';

/** What the pipeline knows about a request (a structural subset of RequestContext plus later issues' facts). */
export interface AuditRequestFacts {
  requestId: string;
  inbound: InboundApi;
  principal?: Principal;
  clientAddress?: string;
  alias?: string;
  deployment?: string;
  tier?: string;
  upstreamModel?: string;
  stream?: boolean;
  configVersion?: string;
  promptTemplateVersion?: string;
  knowledgeBase?: string;
  dataClass?: string;
  entities?: Record<string, number>;
  ruleMatched?: string;
  maskingApplied?: boolean;
  guardSignals?: string[];
  guard?: AuditGuard;
}

export interface AuditOutcome {
  /** Epoch ms when the request arrived. */
  startedAt: number;
  endedAt?: number;
  /** Epoch ms of the first byte sent to the client (streams). */
  firstByteAt?: number;
  httpStatus: number;
  /** The error that ended the request, if any; GatewayErrors give their code and attempts. */
  error?: unknown;
  /** Failed attempts before a successful failover (an error's own attempts are used otherwise). */
  attempts?: readonly AttemptRecord[];
  usage?: Usage;
  /** Upstream counts that were clamped (see metering/validate-usage.ts). */
  usageClamped?: NonNullable<AuditRecordInput['tokens']>['clamped'];
  costUsd?: number;
  unpriced?: boolean;
  tags?: Record<string, string>;
  citations?: string[];
  content?: ContentToCapture;
}

/** Refusals by policy (the gateway said no) rather than failures (something broke). */
const DENIAL_CODES = new Set([
  'missing_api_key', 'invalid_api_key', 'permission_denied', 'model_not_found', 'rate_limited', 'budget_exceeded',
  'policy_denied', 'egress_denied', 'access_denied_model', 'access_denied_tier', 'access_denied_tool', 'access_denied_admin_scope',
  'access_denied_data_class', 'guard_blocked', 'auth_throttled', 'token_invalid', 'token_expired', 'token_not_yet_valid', 'token_audience_mismatch',
  'token_issuer_mismatch', 'token_algorithm_not_allowed', 'token_unknown_key',
]);

/** Turns what the pipeline saw into one audit record, applying the data class's capture mode. */
export function buildAuditRecord(facts: AuditRequestFacts, outcome: AuditOutcome, captureMode: CaptureMode): AuditRecordInput {
  const endedAt = outcome.endedAt ?? Date.now();
  const errorCode = isGatewayError(outcome.error) ? outcome.error.code : outcome.error === undefined ? undefined : 'internal_error';
  const status: AuditStatus = errorCode === undefined ? 'ok' : DENIAL_CODES.has(errorCode) ? 'denied' : 'error';
  const attempts = outcome.attempts ?? (isGatewayError(outcome.error) ? outcome.error.attempts : undefined);
  const principal = facts.principal;
  const record: AuditRecordInput = {
    time: new Date(outcome.startedAt).toISOString(),
    requestId: facts.requestId,
    inbound: facts.inbound,
    status,
    httpStatus: outcome.httpStatus,
    latencyMs: Math.max(0, endedAt - outcome.startedAt),
    content: captureContent(captureMode, outcome.content ?? {}),
  };
  if (principal) {
    record.principal = {
      id: principal.id,
      kind: principal.kind,
      roles: principal.roles,
      ...(principal.department ? { department: principal.department } : {}),
      ...(principal.team ? { team: principal.team } : {}),
    };
  }
  const optional: Partial<AuditRecordInput> = {
    clientAddress: facts.clientAddress,
    alias: facts.alias,
    deployment: facts.deployment,
    tier: facts.tier,
    upstreamModel: facts.upstreamModel,
    stream: facts.stream,
    configVersion: facts.configVersion,
    promptTemplateVersion: facts.promptTemplateVersion,
    knowledgeBase: facts.knowledgeBase,
    dataClass: facts.dataClass,
    entities: facts.entities,
    ruleMatched: facts.ruleMatched,
    maskingApplied: facts.maskingApplied,
    guardSignals: facts.guardSignals,
    guard: facts.guard,
    errorCode,
    costUsd: outcome.costUsd,
    unpriced: outcome.unpriced === true ? true : undefined,
    tags: outcome.tags,
    citations: outcome.citations,
    ttftMs: outcome.firstByteAt === undefined ? undefined : Math.max(0, outcome.firstByteAt - outcome.startedAt),
    attempts: attempts && attempts.length > 0 ? attempts.map((attempt) => ({
      deployment: attempt.deployment,
      code: attempt.code,
      reason: attempt.reason,
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
    })) : undefined,
    tokens: outcome.usage && {
      input: outcome.usage.inputTokens,
      output: outcome.usage.outputTokens,
      estimated: outcome.usage.estimated === true,
      ...(outcome.usage.cachedInputTokens === undefined ? {} : { cachedInput: outcome.usage.cachedInputTokens }),
      ...(outcome.usage.cacheWriteInputTokens === undefined ? {} : { cacheWriteInput: outcome.usage.cacheWriteInputTokens }),
      ...(outcome.usage.cacheWrite1hInputTokens === undefined ? {} : { cacheWrite1hInput: outcome.usage.cacheWrite1hInputTokens }),
      ...(outcome.usageClamped && outcome.usageClamped.length > 0 ? { clamped: outcome.usageClamped } : {}),
    },
  };
  // Absent, not undefined: the canonical JSON drops undefined anyway, but stored records stay tidy.
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  return record;
}
