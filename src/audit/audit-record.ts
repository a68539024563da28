import type { InboundApi } from '../model/inbound-api.js';

/**
 * One audit record per request, allowed or denied. Fields that later issues fill (policy
 * decision, prompt template, config version, guard signals, citations) are optional, so the
 * record shape never changes when they land — only more fields are present.
 * The record is what gets hash-chained: every field here is covered by the HMAC.
 */

/** How much of the content a data class lets the audit log keep. */
export const CAPTURE_MODES = ['full', 'masked', 'hash', 'none'] as const;
export type CaptureMode = (typeof CAPTURE_MODES)[number];

/** `incomplete`: a stream that broke or was abandoned after it started. */
export type AuditStatus = 'ok' | 'denied' | 'error' | 'incomplete';

export interface AuditPrincipal {
  id: string;
  kind?: 'key' | 'user';
  department?: string;
  team?: string;
  roles: string[];
}

/** One deployment tried and why it failed (the successful one is `deployment`). */
export interface AuditAttempt {
  deployment: string;
  status?: number;
  code: string;
  reason: string;
}

export interface AuditTokens {
  input: number;
  output: number;
  /** Of `input`, read from the provider's prompt cache. */
  cachedInput?: number;
  /** Of `input`, written to the provider's prompt cache (of which `cacheWrite1hInput` with the 1-hour lifetime). */
  cacheWriteInput?: number;
  cacheWrite1hInput?: number;
  /** True when counted by the gateway's tokenizer because the provider reported none. */
  estimated: boolean;
  /** Counts the upstream reported that could not be true, and what was charged instead. */
  clamped?: Array<{ field: 'input' | 'output' | 'cachedInput' | 'cacheWriteInput' | 'cacheWrite1hInput'; reported: string; used: number; reason: string }>;
}

/** The content as the capture mode allows: text for full/masked, SHA-256 for hash, nothing for none. */
export interface AuditContent {
  mode: CaptureMode;
  request?: string;
  response?: string;
  requestSha256?: string;
  responseSha256?: string;
}

/** The guard's verdict: scores per category, the action taken, matched signal ids (never text). */
export interface AuditGuard {
  verdict: 'allow' | 'flag' | 'block';
  action: string;
  categories: string[];
  scores: Record<string, number>;
  signals: string[];
  /** Output guarding findings: kind, category, action (and entity type). */
  output?: Array<{ kind: string; category: string; action: string; type?: string }>;
}

export interface AuditRecordInput {
  /** ISO-8601 UTC with milliseconds, e.g. 2026-11-05T03:04:05.678Z. */
  time: string;
  requestId: string;
  principal?: AuditPrincipal;
  clientAddress?: string;
  inbound: InboundApi | 'admin';
  /** The alias the client asked for, and where it went. */
  alias?: string;
  deployment?: string;
  tier?: string;
  /** The model version that answered, as the upstream reported it. */
  upstreamModel?: string;
  /** `name@version` of the prompt template rendered. */
  promptTemplateVersion?: string;
  /** The release (content-addressed config snapshot) that served, e.g. rel-3f2a9c0d1e4b. */
  configVersion?: string;
  /** The alias's knowledge-base label in that release, `index@version`. */
  knowledgeBase?: string;
  dataClass?: string;
  /** Entity type → count found by the detectors. */
  entities?: Record<string, number>;
  ruleMatched?: string;
  maskingApplied?: boolean;
  guardSignals?: string[];
  guard?: AuditGuard;
  status: AuditStatus;
  httpStatus?: number;
  errorCode?: string;
  tokens?: AuditTokens;
  costUsd?: number;
  /** The deployment had no price: `costUsd` is unknown, not zero. */
  unpriced?: boolean;
  latencyMs?: number;
  ttftMs?: number;
  stream?: boolean;
  attempts?: AuditAttempt[];
  citations?: string[];
  /** Cost attribution tags (department, team, application, feature, …). */
  tags?: Record<string, string>;
  content?: AuditContent;
}

/** A record once it has a place in the chain. `prevHash` links it to the record before. */
export interface SealedAuditBody extends AuditRecordInput {
  /** Unique record id (not the request id: a client may reuse request ids). */
  id: string;
  /** 1, 2, 3, … with no gaps; inside the HMAC, so deletions and reorders are visible. */
  seq: number;
  prevHash: string;
}

export interface AuditRecord extends SealedAuditBody {
  /** Hex HMAC-SHA-256 of the canonical JSON of the body (everything above). */
  hash: string;
}
