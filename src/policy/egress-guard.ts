import { TIERS, type Tier } from '../model/tiers.js';
import type { PolicyDecision } from './policy-decision.js';
import { EgressDeniedError, PolicyDeniedError } from './policy-errors.js';

/**
 * The one egress check. Every path that sends a request upstream — first choice, load balancing,
 * failover, retry, canary — calls `assertEgressAllowed` immediately before the send, so no
 * routing decision or misconfiguration can move data to a tier its class may not reach.
 */

export type EgressScope = Pick<PolicyDecision, 'action' | 'rule' | 'dataClass' | 'allowedTiers' | 'allowedDeployments' | 'denyMessage'>;

export interface EgressTarget {
  id: string;
  /** Typed loosely on purpose: a tier the guard does not know is refused, not trusted. */
  tier: string | undefined;
}

const KNOWN_TIERS: ReadonlySet<string> = new Set(TIERS);

/** Why the target is refused, or undefined when the send is allowed. */
export function egressRefusal(decision: EgressScope | undefined, target: EgressTarget): string | undefined {
  // No decision means the policy stage did not run: fail closed rather than send unclassified data.
  if (decision === undefined) return 'the request has no policy decision';
  if (decision.action !== 'allow') return `rule '${decision.rule}' denies the request`;
  if (target.tier === undefined || !KNOWN_TIERS.has(target.tier)) return `tier '${target.tier ?? '(none)'}' is unknown`;
  if (!decision.allowedTiers.includes(target.tier as Tier)) return `rule '${decision.rule}' allows only ${decision.allowedTiers.join(', ') || 'no tier'}`;
  if (decision.allowedDeployments !== undefined && !decision.allowedDeployments.includes(target.id)) {
    return `rule '${decision.rule}' allows only deployments ${decision.allowedDeployments.join(', ')}`;
  }
  return undefined;
}

export function isEgressAllowed(decision: EgressScope | undefined, target: EgressTarget): boolean {
  return egressRefusal(decision, target) === undefined;
}

/** Throws `EgressDeniedError` (code `egress_denied`) unless the decision allows sending to the target. */
export function assertEgressAllowed(decision: EgressScope | undefined, target: EgressTarget): void {
  const refusal = egressRefusal(decision, target);
  if (refusal !== undefined) throw new EgressDeniedError(target.id, target.tier ?? '(none)', refusal, decision?.dataClass ?? 'unclassified');
}

/** Throws `PolicyDeniedError` (code `policy_denied`, the rule's message) for a deny decision. */
export function assertPolicyAllows(decision: EgressScope): void {
  if (decision.action !== 'allow') {
    throw new PolicyDeniedError(decision.denyMessage ?? `The request was refused by policy rule '${decision.rule}'.`, decision);
  }
}

/**
 * The targets the decision allows, in their order. Routing calls this before dispatch so failover
 * only walks permitted targets; an empty result is a policy refusal (`policy_denied`), not an
 * upstream failure. `tierOf` returns undefined for an unknown deployment, which is dropped.
 */
export function allowedTargets<T extends { deployment: string }>(
  decision: EgressScope,
  targets: readonly T[],
  tierOf: (deployment: string) => string | undefined,
  alias = 'the requested model',
): T[] {
  assertPolicyAllows(decision);
  const allowed = targets.filter((target) => isEgressAllowed(decision, { id: target.deployment, tier: tierOf(target.deployment) }));
  if (allowed.length === 0) {
    throw new PolicyDeniedError(
      `Data of class '${decision.dataClass}' may only go to ${decision.allowedTiers.join(', ') || 'no'} tier deployments (rule '${decision.rule}'), and ${alias} has none.`,
      decision,
    );
  }
  return allowed;
}
