import { GatewayError } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';
import type { AccessPolicy } from './access-policy.js';
import { permitTargetsByTier } from './authorize-request.js';

/**
 * The tiers a principal may reach, applied to one request's candidate targets: role grants (once
 * roles are enforced; a refusal of every target is `access_denied_tier`) and the key's own
 * `allowedTiers`. Routing asks `permits(target)` while it plans; when the key's own list left
 * nothing to plan, `refuseEmptyPlan` says so instead of an unexplained "no target".
 */
export interface PrincipalTierPermit<T> {
  permits(target: T): boolean;
  refuseEmptyPlan(alias: string, plan: { targets: readonly unknown[]; excluded: readonly unknown[] }): void;
}

export function permitPrincipalTiers<T>(
  principal: Principal | undefined,
  targets: readonly T[],
  tierOf: (target: T) => string | undefined,
  /** The access policy when roles are enforced; undefined when they are not. */
  rolePolicy: AccessPolicy | undefined,
): PrincipalTierPermit<T> {
  const byRole = new Set(rolePolicy && principal ? permitTargetsByTier(rolePolicy, principal, targets, tierOf) : targets);
  const keyTiers = principal?.allowedTiers;
  return {
    // A target without a known tier never matches a key's tier list (fail closed).
    permits: (target) => byRole.has(target) && (keyTiers === undefined || keyTiers.includes(tierOf(target) ?? '')),
    refuseEmptyPlan(alias, plan) {
      if (plan.targets.length === 0 && plan.excluded.length > 0 && keyTiers !== undefined) {
        throw new GatewayError('permission_denied', `This key may not use the tiers that serve '${alias}'.`);
      }
    },
  };
}
