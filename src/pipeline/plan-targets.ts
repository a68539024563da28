import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import { permitPrincipalTiers } from '../identity/principal-tiers.js';
import { allowedTargets, isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

export type AliasTarget = ModelAliasConfig['targets'][number];

/** The tier of a configured deployment. */
export function tierOf(runtime: GatewayRuntime, deployment: string): string | undefined {
  return runtime.deployments.get(deployment)?.tier;
}

/**
 * The order to try targets in: canary variant first, only deployments the policy decision lets
 * this data reach and the principal's tiers allow (identity's rule), open circuits left out. No
 * allowed target at all is a policy refusal.
 */
export function planTargets(runtime: GatewayRuntime, context: RequestContext, alias: ModelAliasConfig, decision: PolicyDecision, user: string | undefined): RoutePlan<AliasTarget> {
  const tier = (target: AliasTarget) => tierOf(runtime, target.deployment);
  const principal = context.principal;
  const policyAllowed = allowedTargets(decision, alias.targets, (deployment) => tierOf(runtime, deployment), `'${alias.alias}'`);
  const permit = permitPrincipalTiers(principal, policyAllowed, tier, runtime.rolesEnforced ? runtime.identity.policy : undefined);
  const plan = runtime.services.traffic.plan(
    alias,
    { userId: user ?? principal?.id, department: principal?.department, roles: principal?.roles ?? [] },
    (target) => permit.permits(target) && isEgressAllowed(decision, { id: target.deployment, tier: tier(target) }),
  );
  permit.refuseEmptyPlan(alias.alias, plan);
  context.variant = plan.variant.variant;
  return plan;
}
