import type { AccessDecision } from './access-decision.js';
import type { AccessPolicy } from './access-policy.js';
import { AccessDeniedError } from './identity-errors.js';
import type { Principal } from '../model/principal.js';

/**
 * The two RBAC checks a model request needs, shaped for the pipeline: what is known up front
 * (alias, data class, tools) in one call, and the tier filter for candidate targets.
 */

export interface ModelRequestAccess {
  model: string;
  /** From the data policy's classification, once known. */
  dataClass?: string;
  /** Names of the tools/functions the request declares. */
  tools?: string[];
}

/** Throws AccessDeniedError (403, specific code) or returns the allow decision for audit. */
export function authorizeModelRequest(policy: AccessPolicy, principal: Principal, access: ModelRequestAccess): AccessDecision {
  return policy.enforce(principal, {
    model: access.model,
    ...(access.dataClass !== undefined ? { dataClass: access.dataClass } : {}),
    ...(access.tools !== undefined && access.tools.length > 0 ? { tools: access.tools } : {}),
  });
}

/**
 * Keeps the targets in tiers the principal may use, in their order. When none is left the
 * request is refused with `access_denied_tier` rather than silently sent elsewhere.
 */
export function permitTargetsByTier<T>(
  policy: AccessPolicy,
  principal: Principal,
  targets: readonly T[],
  tierOf: (target: T) => string | undefined,
): T[] {
  let firstDenial: AccessDecision | undefined;
  const permitted = targets.filter((target) => {
    const tier = tierOf(target);
    // A target without a known tier cannot be vetted, so it is not permitted (fail closed).
    if (tier === undefined) return false;
    const decision = policy.decide(principal, { tier });
    if (!decision.allowed) firstDenial ??= decision;
    return decision.allowed;
  });
  if (permitted.length === 0 && firstDenial && !firstDenial.allowed) throw new AccessDeniedError(firstDenial);
  return permitted;
}
