import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../errors/gateway-error.js';
import {
  circuitBreakerInterceptor,
  composeInterceptors,
  retryBudgetInterceptor,
  standardAttemptGuard,
  targetStatsInterceptor,
  timeoutInterceptor,
  type AttemptCall,
  type AttemptContext,
} from './call-interceptors.js';
import type { CircuitBreaker, CircuitBreakerRegistry } from './circuit-breaker.js';
import { createManualClock } from './clock.js';
import type { RetryBudget } from './retry-budget.js';
import type { RoutableTarget } from './select-target.js';
import type { TargetStats } from './target-stats.js';

/** What one attempt does, generated: the fused guard must behave as the composed interceptors. */
interface Scenario {
  circuitOpen: boolean;
  limit: number | undefined;
  outcome: { kind: 'resolve' | 'reject-5xx' | 'reject-4xx' | 'hang'; at: number } | { kind: 'throw' };
  clientLeavesAt: number | undefined;
  /** After the attempt settled: does the client leave then (the link to its signal must hold after success)? */
  leaveAfter: boolean;
}

const scenarios = fc.record<Scenario>({
  circuitOpen: fc.boolean(),
  limit: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  outcome: fc.oneof(
    fc.record({ kind: fc.constantFrom('resolve' as const, 'reject-5xx' as const, 'reject-4xx' as const, 'hang' as const), at: fc.integer({ min: 0, max: 60 }) }),
    fc.constant({ kind: 'throw' as const }),
  ),
  clientLeavesAt: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  leaveAfter: fc.boolean(),
});

const target: RoutableTarget = { deployment: 'd', model: 'm', weight: 1 };

async function run(scenario: Scenario, fused: boolean): Promise<string[]> {
  const log: string[] = [];
  const clock = createManualClock(0);
  const breaker = {
    tryAcquire: () =>
      scenario.circuitOpen
        ? undefined
        : { success: () => log.push(`permit success @${clock.now()}`), failure: () => log.push(`permit failure @${clock.now()}`), cancel: () => log.push(`permit cancel @${clock.now()}`) },
  } as Partial<CircuitBreaker> as CircuitBreaker;
  const breakers = { get: () => breaker } as Partial<CircuitBreakerRegistry> as CircuitBreakerRegistry;
  const budget = { recordCall: (deployment: string) => log.push(`budget call ${deployment}`) } as Partial<RetryBudget> as RetryBudget;
  const stats = {
    begin: (deployment: string) => {
      log.push(`stats begin ${deployment} @${clock.now()}`);
      return (latency?: number) => log.push(`stats end ${latency ?? '-'}`);
    },
  } as Partial<TargetStats> as TargetStats;
  const timeoutMs = () => scenario.limit;

  let adapterSignal: AbortSignal | undefined;
  const call: AttemptCall<string> = (attempt) => {
    adapterSignal = attempt.signal;
    attempt.signal.addEventListener('abort', () => log.push(`adapter aborted @${clock.now()}: ${String((attempt.signal.reason as Error).message)}`));
    const { outcome } = scenario;
    if (outcome.kind === 'throw') throw new Error('synchronous failure');
    return new Promise<string>((resolve, reject) => {
      if (outcome.kind === 'hang') return;
      clock.setTimer(outcome.at, () => {
        if (outcome.kind === 'resolve') resolve('answer');
        else reject(new UpstreamError(outcome.kind === 'reject-5xx' ? 'upstream_error' : 'upstream_bad_request', 'failed', 'd', { upstreamStatus: outcome.kind === 'reject-5xx' ? 500 : 400 }));
      });
    });
  };

  const client = new AbortController();
  const attempt: AttemptContext = { alias: 'a', target, attemptNumber: 1, signal: client.signal, requestSignal: client.signal };
  if (scenario.clientLeavesAt !== undefined) clock.setTimer(scenario.clientLeavesAt, () => client.abort(new Error('client left')));
  const running = fused
    ? standardAttemptGuard({ breakers, budget, stats, clock, timeoutMs })(attempt, call)
    : composeInterceptors(
        [circuitBreakerInterceptor(breakers), retryBudgetInterceptor(budget), targetStatsInterceptor(stats, clock), timeoutInterceptor(timeoutMs, clock)],
        call,
      )(attempt);
  running.then(
    (result) => log.push(`resolved ${result} @${clock.now()}`),
    (error: unknown) => log.push(`rejected ${error instanceof Error ? `${error.name} ${error.message}` : String(error)} @${clock.now()}`),
  );
  await clock.advance(100);
  if (scenario.leaveAfter && !client.signal.aborted) {
    client.abort(new Error('client left late'));
    await clock.advance(1);
  }
  log.push(`adapter signal aborted at end: ${String(adapterSignal?.aborted)}`);
  return log;
}

describe('standardAttemptGuard', () => {
  it('behaves as breaker → budget → stats → timeout interceptors composed, on generated attempts', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        expect(await run(scenario, true)).toEqual(await run(scenario, false));
      }),
      { numRuns: 300 },
    );
  });

  it('times an attempt out through the shared deadline: the adapter is aborted and the breaker told', async () => {
    const log = await run({ circuitOpen: false, limit: 10, outcome: { kind: 'hang', at: 0 }, clientLeavesAt: undefined, leaveAfter: false }, true);
    expect(log).toContain('permit failure @10');
    expect(log.some((line) => line.startsWith('rejected UpstreamError') && line.endsWith('@10'))).toBe(true);
    expect(log).toContain("adapter aborted @10: Upstream deployment 'd' did not answer within 10 ms.");
  });
});
