import { describe, expect, it } from 'vitest';
import { AllTargetsFailedError, GatewayError, UpstreamError } from '../errors/gateway-error.js';
import { circuitBreakerInterceptor, retryBudgetInterceptor, timeoutInterceptor } from './call-interceptors.js';
import { createCircuitBreakerRegistry } from './circuit-breaker.js';
import { createManualClock } from './clock.js';
import { createRetryBudget } from './retry-budget.js';
import { resilientDispatch, RetryBudgetExhaustedError, type AttemptEvent } from './resilient-dispatch.js';
import { circuitBreakerSchema, retryBudgetSchema, retryPolicySchema } from './routing-config-schema.js';

const primary = { deployment: 'primary', model: 'm', weight: 1 };
const secondary = { deployment: 'secondary', model: 'm', weight: 1 };
const retry = retryPolicySchema.parse({ max_attempts: 3, base_backoff_ms: 100, max_backoff_ms: 1_000, max_retry_after_ms: 5_000 });
const http = (status: number, deployment: string, retryAfterSeconds?: number) =>
  new UpstreamError(status === 429 ? 'upstream_rate_limited' : status >= 500 ? 'upstream_error' : 'upstream_bad_request', `HTTP ${status}`, deployment, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });

describe('resilientDispatch', () => {
  it('fails over from a 500 to the secondary and records the attempt', async () => {
    const outcome = await resilientDispatch('chat', [primary, secondary], async (target) => {
      if (target.deployment === 'primary') throw http(500, 'primary');
      return 'ok';
    }, undefined, { retry });
    expect(outcome.target.deployment).toBe('secondary');
    expect(outcome.attempts).toEqual([{ deployment: 'primary', status: 500, code: 'upstream_error', reason: 'HTTP 500' }]);
  });

  it('passes a client 4xx through as itself without trying elsewhere', async () => {
    const called: string[] = [];
    const failure = resilientDispatch('chat', [primary, secondary], async (target) => {
      called.push(target.deployment);
      throw http(422, target.deployment);
    }, undefined, { retry });
    await expect(failure).rejects.toMatchObject({ code: 'upstream_bad_request', upstreamStatus: 422 });
    expect(called).toEqual(['primary']);
  });

  it('retries a single deployment after the Retry-After of its 429, not before', async () => {
    const clock = createManualClock(0);
    const calledAt: number[] = [];
    const outcome = resilientDispatch('chat', [primary], async () => {
      calledAt.push(clock.now());
      if (calledAt.length === 1) throw http(429, 'primary', 2);
      return 'ok';
    }, undefined, { retry, clock });
    await clock.advance(1_999);
    expect(calledAt).toEqual([0]);
    await clock.advance(1);
    await expect(outcome).resolves.toMatchObject({ result: 'ok' });
    expect(calledAt).toEqual([0, 2_000]);
  });

  it('caps an excessive Retry-After at max_retry_after_ms', async () => {
    const clock = createManualClock(0);
    const calledAt: number[] = [];
    const outcome = resilientDispatch('chat', [primary], async () => {
      calledAt.push(clock.now());
      if (calledAt.length === 1) throw http(429, 'primary', 3_600);
      return 'ok';
    }, undefined, { retry, clock });
    await clock.advance(5_000);
    await outcome;
    expect(calledAt).toEqual([0, 5_000]);
  });

  it('backs off with full jitter between tries of the same deployment', async () => {
    const clock = createManualClock(0);
    const calledAt: number[] = [];
    const failure = resilientDispatch('chat', [primary], async () => {
      calledAt.push(clock.now());
      throw http(503, 'primary');
    }, undefined, { retry, clock, random: () => 0.5 }).catch((error: unknown) => error);
    await clock.advance(10_000);
    // Retry 1 waits 0.5 × 100, retry 2 waits 0.5 × 200.
    expect(calledAt).toEqual([0, 50, 150]);
    expect(await failure).toBeInstanceOf(AllTargetsFailedError);
  });

  it('stops at max_attempts and reports every attempt with deployment, status and reason', async () => {
    const clock = createManualClock(0);
    const failure = resilientDispatch('chat', [primary, secondary], async (target) => {
      throw http(500, target.deployment);
    }, undefined, { retry, clock, random: () => 0 }).catch((error: unknown) => error);
    await clock.advance(1_000);
    const error = (await failure) as GatewayError;
    expect(error.status).toBe(503);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.attempts?.map((attempt) => `${attempt.deployment}:${attempt.status}`)).toEqual(['primary:500', 'secondary:500', 'primary:500']);
  });

  it('fails over on refused credentials but never retries that deployment', async () => {
    const called: string[] = [];
    const failure = resilientDispatch('chat', [primary], async (target) => {
      called.push(target.deployment);
      throw new UpstreamError('upstream_auth_failed', 'HTTP 401', target.deployment, { upstreamStatus: 401 });
    }, undefined, { retry });
    await expect(failure).rejects.toBeInstanceOf(AllTargetsFailedError);
    expect(called).toEqual(['primary']);
  });

  it('fails fast with upstream_unavailable when the retry budget of the failing deployment is exhausted', async () => {
    const budget = createRetryBudget({ configFor: () => retryBudgetSchema.parse({ ratio: 0, min_retries: 1 }), clock: createManualClock(0) });
    const interceptors = [retryBudgetInterceptor(budget)];
    const failing = async (target: typeof primary) => {
      if (target.deployment === 'primary') throw http(500, 'primary');
      return 'ok';
    };
    await expect(resilientDispatch('chat', [primary, secondary], failing, undefined, { retry, budget, interceptors })).resolves.toMatchObject({ result: 'ok' });
    const error = await resilientDispatch('chat', [primary, secondary], failing, undefined, { retry, budget, interceptors }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryBudgetExhaustedError);
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 503 });
    expect((error as GatewayError).attempts).toHaveLength(1);
  });

  it('skips a deployment whose circuit is open without spending an attempt', async () => {
    const breakers = createCircuitBreakerRegistry({ clock: createManualClock(0), configFor: () => circuitBreakerSchema.parse({ consecutive_failures: 1 }) });
    breakers.get('primary').tryAcquire()?.failure();
    const called: string[] = [];
    const events: AttemptEvent[] = [];
    const outcome = await resilientDispatch('chat', [primary, secondary], async (target) => {
      called.push(target.deployment);
      return 'ok';
    }, undefined, { retry: { ...retry, max_attempts: 1 }, interceptors: [circuitBreakerInterceptor(breakers)], onAttempt: (event) => events.push(event) });
    expect(called).toEqual(['secondary']);
    expect(outcome.attempts[0]?.reason).toContain('circuit open');
    expect(events.map((event) => `${event.deployment}:${event.outcome}`)).toEqual(['primary:skipped', 'secondary:success']);
  });

  it('times out a slow first byte and fails over, aborting the slow call', async () => {
    const clock = createManualClock(0);
    let slowSignal: AbortSignal | undefined;
    const outcome = resilientDispatch('chat', [primary, secondary], (target, attempt) => {
      if (target.deployment === 'secondary') return Promise.resolve('fast');
      slowSignal = attempt.signal;
      return new Promise<string>(() => undefined);
    }, undefined, { retry, clock, interceptors: [timeoutInterceptor(() => 1_000, clock)] });
    await clock.advance(1_000);
    const result = await outcome;
    expect(result.target.deployment).toBe('secondary');
    expect(result.attempts[0]).toMatchObject({ deployment: 'primary', code: 'upstream_timeout' });
    expect(slowSignal?.aborted).toBe(true);
  });

  it('stops and rethrows the abort reason when the client leaves during a backoff', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    let calls = 0;
    const failure = resilientDispatch('chat', [primary], async () => {
      calls += 1;
      throw http(500, 'primary');
    }, controller.signal, { retry, clock, random: () => 0.9 }).catch((error: unknown) => error);
    await clock.advance(10);
    controller.abort(new Error('client disconnected'));
    expect(((await failure) as Error).message).toBe('client disconnected');
    expect(calls).toBe(1);
  });

  it('lists targets the caller excluded in the error when nothing could be tried', async () => {
    const excluded = [{ deployment: 'public-api', code: 'upstream_unavailable' as const, reason: 'not allowed by the data policy' }];
    const error = await resilientDispatch('chat', [], async () => 'never', undefined, { excluded }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    expect((error as GatewayError).attempts).toEqual(excluded);
  });
});
