import type { Tier } from '../model/tiers.js';
import type { MaskMode } from './policy-config-schema.js';

/**
 * The outcome of the policy for one request. It holds entity types and counts, never the
 * values, so it is safe to attach to the request context, log, audit and export as metrics.
 */

/** Why the request has its class: each source that raised it. */
export interface ClassReason {
  source: 'default' | 'entity' | 'keyword' | 'department' | 'header' | 'scan-failure' | 'unscanned-content';
  class: string;
  /** Human-readable detail without sensitive values, e.g. `TW_NATIONAL_ID ×2 ≥ 1`. */
  detail: string;
}

export interface MaskPlan {
  /** Entity types to replace before the request leaves; empty = nothing is masked. */
  types: string[];
  mode: MaskMode;
}

export interface SkippedRule {
  rule: string;
  /** The first condition that did not hold, e.g. `data class internal is not at least confidential`. */
  why: string;
}

export interface LoggedRule {
  rule: string;
  reason: string;
}

export interface PolicyDecision {
  /** Name of the rule that decided (allow or deny). */
  rule: string;
  /** Why that rule matched. */
  reason: string;
  action: 'allow' | 'deny';
  /** The client-facing message of a deny rule. */
  denyMessage?: string;
  dataClass: string;
  classReasons: ClassReason[];
  /** Detected entity types and how often each occurred in the request. */
  entities: Record<string, number>;
  /** True when scanning threw or timed out; the class is then the highest (fail closed). */
  scanFailed: boolean;
  /** Images and binary parts in the request that the gateway could not scan (0 when none). */
  unscannedContent?: number;
  /** Tiers a deployment must be in to receive the request; empty when denied. */
  allowedTiers: Tier[];
  /** When set, the deployment must also be one of these. */
  allowedDeployments?: string[];
  mask: MaskPlan;
  /** Rules above the deciding one that did not match, in order, with the reason. */
  skipped: SkippedRule[];
  /** `log_only` rules that matched on the way down. */
  logged: LoggedRule[];
}

export const DATA_CLASS_HEADER = 'x-switchyard-data-class';
export const ROUTE_RULE_HEADER = 'x-switchyard-route-rule';

/** Response headers that tell the client how its request was classified and which rule applied. */
export function policyResponseHeaders(decision: Pick<PolicyDecision, 'dataClass' | 'rule'>): Record<string, string> {
  return { [DATA_CLASS_HEADER]: decision.dataClass, [ROUTE_RULE_HEADER]: decision.rule };
}
