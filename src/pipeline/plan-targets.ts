import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import { GatewayError } from '../errors/gateway-error.js';
import { permitPrincipalTiers } from '../identity/principal-tiers.js';
import { allowedTargets, isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { OutboundDrafts } from './outbound-drafts.js';
import type { RequestContext } from './request-context.js';

export type AliasTarget = ModelAliasConfig['targets'][number];

/** The tier of a configured deployment. */
export function tierOf(runtime: GatewayRuntime, deployment: string): string | undefined {
  return runtime.deployments.get(deployment)?.tier;
}

/**
 * The order to try targets in: canary variant first, only deployments the policy decision lets
 * this data reach and the principal's tiers allow (identity's rule), open circuits left out. No
 * allowed target at all is a policy refusal. With `drafts`, targets whose wire cannot honour a
 * feature of the request are left out too (see honouringTargets).
 */
export function planTargets(runtime: GatewayRuntime, context: RequestContext, alias: ModelAliasConfig, decision: PolicyDecision, user: string | undefined, drafts?: OutboundDrafts): RoutePlan<AliasTarget> {
  const tier = (target: AliasTarget) => tierOf(runtime, target.deployment);
  const principal = context.principal;
  const policyAllowed = allowedTargets(decision, alias.targets, (deployment) => tierOf(runtime, deployment), `'${alias.alias}'`);
  const fits = honouringTargets(policyAllowed, drafts);
  const permit = permitPrincipalTiers(principal, policyAllowed, tier, runtime.rolesEnforced ? runtime.identity.policy : undefined);
  const plan = runtime.services.traffic.plan(
    alias,
    { userId: user ?? principal?.id, department: principal?.department, roles: principal?.roles ?? [] },
    (target) => permit.permits(target) && fits(target) && isEgressAllowed(decision, { id: target.deployment, tier: tier(target) }),
  );
  permit.refuseEmptyPlan(alias.alias, plan);
  context.variant = plan.variant.variant;
  return plan;
}

/**
 * Targets whose wire cannot honour a feature of the request (`unsupported_parameter`, e.g. `seed`
 * on an Anthropic target) are left out while another allowed target can honour it; when none
 * can, the request is refused naming the feature — it is never sent without it silently.
 */
export function honouringTargets(allowed: readonly AliasTarget[], drafts: OutboundDrafts | undefined): (target: AliasTarget) => boolean {
  if (drafts === undefined) return () => true;
  const unfit = (target: AliasTarget) => {
    const index = drafts.indexOf(target);
    return index instanceof GatewayError && index.code === 'unsupported_parameter' ? index : undefined;
  };
  const first = allowed.length > 0 && allowed.every((target) => unfit(target) !== undefined) ? unfit(allowed[0] as AliasTarget) : undefined;
  if (first !== undefined) throw first;
  return (target) => unfit(target) === undefined;
}
