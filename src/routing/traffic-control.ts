import type { AttemptRecord } from '../errors/gateway-error.js';
import { standardAttemptGuard, type AttemptContext, type AttemptGuard } from './call-interceptors.js';
import { assignVariant, splitByVariant, type CanaryAssignment, type CanarySubject } from './canary.js';
import { createCircuitBreakerRegistry, type CircuitBreakerRegistry } from './circuit-breaker.js';
import { systemClock, type Clock } from './clock.js';
import { resilientDispatch, type AttemptEvent, type DispatchResult } from './resilient-dispatch.js';
import { createRetryBudget, type RetryBudget } from './retry-budget.js';
import type { CanaryConfig, DeploymentResilienceConfig, RetryPolicyConfig, RoutingConfig, Strategy } from './routing-config-schema.js';
import { selectTargets, type RoutableTarget } from './select-target.js';
import { createTargetStats, type TargetStats } from './target-stats.js';

/**
 * Traffic control as one long-lived object: per-deployment breakers, retry budgets and latency
 * stats, plus the two calls the pipeline makes per request — plan() (canary variant, policy
 * filter, breaker/health filter, strategy order) and dispatch() (the resilient failover loop).
 *
 * Create it once at startup, not per runtime: a config reload calls update(), and the state
 * of every deployment that still exists carries over, so a reload never closes an open circuit.
 */
export interface TrafficSettings {
  routing: RoutingConfig;
  deployments: ReadonlyArray<{
    id: string;
    resilience: DeploymentResilienceConfig;
    timeouts: { first_byte_ms: number; total_ms: number };
  }>;
  /** Active health checks, when enabled (see health-checker.ts). */
  isHealthy?: (deployment: string) => boolean;
}

/** The routing fields of a model alias (the config's alias object satisfies it once extended). */
export interface AliasRouting<Target extends RoutableTarget> {
  alias: string;
  targets: readonly Target[];
  strategy?: Strategy | undefined;
  canary?: CanaryConfig | undefined;
  retry?: RetryPolicyConfig | undefined;
}

export interface RoutePlan<Target extends RoutableTarget> {
  /** The order to try: assigned variant first (strategy-ordered), then the other variant. */
  targets: Target[];
  /** Left-out targets as attempt records, so an all-failed error explains them too. */
  excluded: AttemptRecord[];
  /** Record on the request for audit and metrics. */
  variant: CanaryAssignment;
}

export interface DispatchOptions {
  /** A stream's attempt ends at its first part (first_byte_ms); a plain call at its end (total_ms). */
  mode: 'stream' | 'unary';
  onAttempt?: (event: AttemptEvent) => void;
}

export interface TrafficControl {
  readonly breakers: CircuitBreakerRegistry;
  readonly budget: RetryBudget;
  readonly stats: TargetStats;
  update(settings: TrafficSettings): void;
  plan<Target extends RoutableTarget>(
    alias: AliasRouting<Target>,
    subject: CanarySubject,
    isAllowed?: (target: Target) => boolean,
  ): RoutePlan<Target>;
  dispatch<Result, Target extends RoutableTarget>(
    alias: AliasRouting<Target>,
    plan: RoutePlan<Target>,
    call: (target: Target, attempt: AttemptContext<Target>) => Promise<Result>,
    signal: AbortSignal | undefined,
    options: DispatchOptions,
  ): Promise<DispatchResult<Result, Target>>;
  /** A stream from this deployment broke after its first part: counts against its breaker. */
  reportStreamFailure(deployment: string): void;
  dispose(): void;
}

export interface TrafficControlOptions {
  clock?: Clock;
  random?: () => number;
}

export function createTrafficControl(initial: TrafficSettings, options: TrafficControlOptions = {}): TrafficControl {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  let settings = initial;
  let byId = indexDeployments(initial);
  const breakers = createCircuitBreakerRegistry({ clock, configFor: (deployment) => byId.get(deployment)?.resilience.circuit_breaker });
  const budget = createRetryBudget({ clock, configFor: (deployment) => byId.get(deployment)?.resilience.retry_budget });
  const stats = createTargetStats({ alpha: initial.routing.latency_ewma_alpha });

  // Built once, not per request: they read the current settings through `byId` on every call.
  // Breaker, retry budget, stats and timeout in that order (see standardAttemptGuard): the breaker
  // decides first; only calls that go out count for the budget and the stats; the timeout is
  // innermost so a timed-out call is a breaker failure.
  const guardFor = (mode: DispatchOptions['mode']): AttemptGuard =>
    standardAttemptGuard({
      breakers,
      budget,
      stats,
      clock,
      timeoutMs: (target: RoutableTarget) => {
        const timeouts = byId.get(target.deployment)?.timeouts;
        if (!timeouts) return undefined;
        return mode === 'stream' ? timeouts.first_byte_ms : timeouts.total_ms;
      },
    });
  const streamGuard = guardFor('stream');
  const unaryGuard = guardFor('unary');

  const isAvailable = (deployment: string) => breakers.get(deployment).isAvailable() && (settings.isHealthy?.(deployment) ?? true);

  return {
    breakers,
    budget,
    stats,
    update(next) {
      settings = next;
      byId = indexDeployments(next);
    },
    plan(alias, subject, isAllowed) {
      const variant = assignVariant(alias.alias, alias.canary, subject, random);
      const { preferred, fallback } = splitByVariant(alias.targets, variant.variant, alias.canary);
      const strategy = alias.strategy ?? settings.routing.default_strategy;
      const select = (targets: typeof preferred) => selectTargets(targets, { strategy, stats, random, isAvailable, ...(isAllowed ? { isAllowed } : {}) });
      const first = select(preferred);
      const second = select(fallback);
      const excluded = [...first.excluded, ...second.excluded].map(({ target, reason }) => ({
        deployment: target.deployment,
        code: 'upstream_unavailable' as const,
        reason: reason === 'not_allowed' ? 'Not allowed by the data policy for this request.' : 'Not taking calls (circuit open or failing health checks).',
      }));
      return { targets: [...first.ordered, ...second.ordered], excluded, variant };
    },
    dispatch(alias, plan, call, signal, dispatchOptions) {
      return resilientDispatch(alias.alias, plan.targets, call, signal, {
        retry: alias.retry ?? settings.routing.retry,
        budget,
        guard: dispatchOptions.mode === 'stream' ? streamGuard : unaryGuard,
        excluded: plan.excluded,
        clock,
        random,
        ...(dispatchOptions.onAttempt ? { onAttempt: dispatchOptions.onAttempt } : {}),
      });
    },
    reportStreamFailure(deployment) {
      breakers.get(deployment).recordLateFailure();
    },
    dispose() {
      breakers.dispose();
    },
  };
}

function indexDeployments(settings: TrafficSettings) {
  return new Map(settings.deployments.map((deployment) => [deployment.id, deployment]));
}
