import type { ServerResponse } from 'node:http';
import type { Counter, Histogram } from 'prom-client';
import { ERROR_CODES } from '../errors/error-codes.js';
import type { AttemptRecord } from '../errors/gateway-error.js';
import type { RequestSummary } from '../model/request-summary.js';
import { NONE_LABEL } from './label-domain.js';
import { GUARD_HIT_ACTIONS, GUARD_HIT_CATEGORIES, STATUS_CLASSES, type GatewayMetrics, type GuardSignal } from './metrics.js';

/**
 * Turns each finished request's summary (`switchyard:request:finish`) into metric updates. Runs
 * on every request, so the label children of each (alias, deployment, department) combination
 * are bound once and kept: the hot path does map lookups and additions, not label-object
 * allocations. Label values go through the configured domains first, so the caches are bounded
 * like the series.
 */

/** Same shape as `RequestObserver` in http/app.ts (kept structural: observability does not import http). */
export type MetricsObserver = (summary: RequestSummary | undefined, status: number, route: string | undefined) => void;

type CounterChild = Counter.Internal;
type HistogramChild = Histogram.Internal<string>;

interface AliasSeries {
  durationUnary: HistogramChild;
  durationStream: HistogramChild;
  timeToFirstToken: HistogramChild;
  tokensPerSecond: HistogramChild;
  retries: CounterChild;
  failovers: CounterChild;
  masked: CounterChild;
}

interface DepartmentSeries {
  tokensIn: CounterChild;
  tokensOut: CounterChild;
  cost: CounterChild;
}

interface RouteSeries {
  /** Index = first digit of the status − 1. */
  requests: CounterChild[];
  upstreamUnary: HistogramChild;
  upstreamStream: HistogramChild;
  byDepartment: Map<string, DepartmentSeries>;
  tier: string;
}

function isAuthFailure(code: string): boolean {
  return code === 'auth_throttled' || ERROR_CODES[code as keyof typeof ERROR_CODES]?.type === 'authentication_error';
}

export function createMetricsObserver(metrics: GatewayMetrics): MetricsObserver {
  const { families, domains } = metrics;
  const overheadUnary = families.gatewayOverhead.labels('unary');
  const overheadStream = families.gatewayOverhead.labels('stream');
  const aliasCache = new Map<string, AliasSeries>();
  const routeCache = new Map<string, Map<string, RouteSeries>>();

  const aliasSeries = (alias: string): AliasSeries => {
    let series = aliasCache.get(alias);
    if (!series) {
      series = {
        durationUnary: families.requestDuration.labels(alias, 'unary'),
        durationStream: families.requestDuration.labels(alias, 'stream'),
        timeToFirstToken: families.timeToFirstToken.labels(alias),
        tokensPerSecond: families.outputTokensPerSecond.labels(alias),
        retries: families.retries.labels(alias),
        failovers: families.failovers.labels(alias),
        masked: families.maskedRequests.labels(alias),
      };
      aliasCache.set(alias, series);
    }
    return series;
  };

  const routeSeries = (alias: string, deployment: string, tier: string | undefined): RouteSeries => {
    let byDeployment = routeCache.get(alias);
    if (!byDeployment) routeCache.set(alias, (byDeployment = new Map()));
    let series = byDeployment.get(deployment);
    if (!series) {
      const tierLabel = domains.tier.map(tier);
      series = {
        requests: STATUS_CLASSES.map((statusClass) => families.requests.labels(alias, deployment, tierLabel, statusClass)),
        upstreamUnary: families.upstreamDuration.labels(deployment, 'unary'),
        upstreamStream: families.upstreamDuration.labels(deployment, 'stream'),
        byDepartment: new Map(),
        tier: tierLabel,
      };
      byDeployment.set(deployment, series);
    }
    return series;
  };

  const departmentSeries = (route: RouteSeries, alias: string, deployment: string, department: string): DepartmentSeries => {
    let series = route.byDepartment.get(department);
    if (!series) {
      series = {
        tokensIn: families.tokens.labels('input', alias, deployment, route.tier, department),
        tokensOut: families.tokens.labels('output', alias, deployment, route.tier, department),
        cost: families.cost.labels(alias, deployment, route.tier, department),
      };
      route.byDepartment.set(department, series);
    }
    return series;
  };

  const countError = (alias: string, errorCode: string): void => {
    const code = domains.code.map(errorCode);
    families.errors.labels(alias, code).inc();
    if (isAuthFailure(errorCode)) families.authFailures.labels(code).inc();
  };

  const countAttempts = (alias: AliasSeries, attempts: readonly AttemptRecord[], served: string | undefined): void => {
    if (attempts.length === 0) return;
    for (const attempt of attempts) {
      const deployment = domains.deployment.map(attempt.deployment);
      families.upstreamFailures.labels(deployment, domains.code.map(attempt.code)).inc();
      if (attempt.code === 'upstream_timeout') families.upstreamTimeouts.labels(deployment).inc();
    }
    // Every failed attempt led to another one, except the last of a chain that gave up.
    alias.retries.inc(served === undefined ? attempts.length - 1 : attempts.length);
    if (served !== undefined && attempts[0]?.deployment !== served) alias.failovers.inc();
  };

  // Every request with a policy verdict counts its data class: bound once per class, like the caches above.
  const dataClassCache = new Map<string, CounterChild>();
  const dataClassSeries = (dataClass: string): CounterChild => {
    // Keyed by the mapped label, so a reload that changes the domain cannot leave a stale entry.
    const label = domains.dataClass.map(dataClass);
    let series = dataClassCache.get(label);
    if (!series) dataClassCache.set(label, (series = families.dataClassRequests.labels(label)));
    return series;
  };

  const countPolicy = (alias: AliasSeries, policy: NonNullable<RequestSummary['policy']>): void => {
    dataClassSeries(policy.dataClass).inc();
    if (policy.action === 'deny') families.policyDenials.labels(domains.rule.map(policy.rule)).inc();
    let maskedSomething = false;
    for (const type in policy.entities) {
      const count = policy.entities[type] ?? 0;
      if (count <= 0) continue;
      families.entityDetections.labels(domains.entityType.map(type)).inc(count);
      if (policy.maskedTypes.includes(type)) maskedSomething = true;
    }
    if (policy.action === 'allow' && maskedSomething) alias.masked.inc();
  };

  const guardCategories = new Set<string>(GUARD_HIT_CATEGORIES);
  const legacySignal: Record<string, GuardSignal> = { prompt_injection: 'prompt_injection', jailbreak: 'prompt_injection', privilege_escalation: 'privilege', data_exfiltration: 'exfiltration' };
  const countGuard = (guard: NonNullable<RequestSummary['guard']>): void => {
    for (const { category, action } of guard.input) {
      if (action === 'allow' || !guardCategories.has(category)) continue;
      families.guardHits.labels(category, action, 'input').inc();
      const legacy = legacySignal[category];
      if (legacy) metrics.recordGuardSignal(legacy);
    }
    for (const finding of guard.output) {
      if (!guardCategories.has(finding.category) || !(GUARD_HIT_ACTIONS.output as readonly string[]).includes(finding.action)) continue;
      families.guardHits.labels(finding.category, finding.action, 'output').inc();
    }
  };

  return (summary, status, route) => {
    const statusIndex = Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1;
    if (!summary) {
      // API requests that failed before the pipeline took them (unknown route, unparsable
      // body). Successful routes outside it (scrapes, health, feedback) are not model traffic.
      if (status >= 400 && (route === undefined || route.startsWith('/v1/'))) {
        routeSeries(NONE_LABEL, NONE_LABEL, undefined).requests[statusIndex]?.inc();
      }
      return;
    }
    const totalMs = summary.durationMs;
    const alias = domains.alias.map(summary.alias);
    const deployment = domains.deployment.map(summary.deployment);
    const byAlias = aliasSeries(alias);
    const byRoute = routeSeries(alias, deployment, summary.tier);
    byRoute.requests[statusIndex]?.inc();

    const streamed = summary.streamed;
    (streamed ? byAlias.durationStream : byAlias.durationUnary).observe(totalMs / 1000);
    const upstreamMs = summary.upstreamMs;
    if (upstreamMs !== undefined) {
      (streamed ? byRoute.upstreamStream : byRoute.upstreamUnary).observe(upstreamMs / 1000);
      if (!streamed) overheadUnary.observe(Math.max(totalMs - upstreamMs, 0) / 1000);
      else if (summary.ttftMs !== undefined) overheadStream.observe(Math.max(summary.ttftMs - upstreamMs, 0) / 1000);
    }
    if (summary.ttftMs !== undefined) byAlias.timeToFirstToken.observe(summary.ttftMs / 1000);

    const usage = summary.usage;
    const costUsd = summary.costUsd;
    if (usage || costUsd !== undefined) {
      const byDepartment = departmentSeries(byRoute, alias, deployment, domains.department.map(summary.department));
      if (usage) {
        if (usage.inputTokens > 0) byDepartment.tokensIn.inc(usage.inputTokens);
        if (usage.outputTokens > 0) {
          byDepartment.tokensOut.inc(usage.outputTokens);
          const generationMs = streamed ? (summary.ttftMs === undefined ? 0 : totalMs - summary.ttftMs) : (upstreamMs ?? 0);
          if (generationMs > 0) byAlias.tokensPerSecond.observe(usage.outputTokens / (generationMs / 1000));
        }
      }
      if (costUsd !== undefined && costUsd > 0) byDepartment.cost.inc(costUsd);
    }

    const errorCode = summary.errorCode ?? summary.streamErrorCode;
    if (errorCode !== undefined) countError(alias, errorCode);
    countAttempts(byAlias, summary.failedAttempts, summary.deployment);
    if (summary.policy) countPolicy(byAlias, summary.policy);
    if (summary.quality) metrics.recordResponseQuality(summary.alias, summary.quality);
    if (summary.guard) countGuard(summary.guard);
  };
}

/**
 * The in-flight gauge. `start`/`end` for callers that know both ends; `track(response)` for an
 * HTTP hook: it ends on the response's `close`, which fires for finished and aborted requests
 * alike (Fastify's onResponse does not run when the client goes away first).
 */
export interface InFlightTracker {
  start(): void;
  end(): void;
  track(response: ServerResponse): void;
}

export function createInFlightTracker(metrics: GatewayMetrics): InFlightTracker {
  const gauge = metrics.families.inFlight;
  // One shared listener, not a closure per request.
  const end = (): void => {
    gauge.dec();
  };
  return {
    start: () => gauge.inc(),
    end,
    track(response) {
      gauge.inc();
      response.on('close', end);
    },
  };
}
