import { UpstreamError } from '../errors/gateway-error.js';
import { createDeadlineQueue, type DeadlineQueue } from '../timers/deadline-queue.js';
import type { CircuitBreakerRegistry } from './circuit-breaker.js';
import { systemClock, type Clock } from './clock.js';
import type { RetryBudget } from './retry-budget.js';
import { classifyFailure } from './retry-policy.js';
import type { RoutableTarget } from './select-target.js';
import type { TargetStats } from './target-stats.js';

/**
 * Behaviour around ONE upstream call, composed as interceptors `(next) => (attempt) => …`
 * (the shape undici uses for dispatchers). Each concern — breaker admission, call accounting,
 * latency, timeouts — is one small function that can be tested, reordered or left out alone;
 * resilient-dispatch.ts runs the failover loop around the composed call.
 */
export interface AttemptContext<Target extends RoutableTarget = RoutableTarget> {
  alias: string;
  target: Target;
  /** 1 for the first upstream call of the request, 2 for the next, … */
  attemptNumber: number;
  /** Aborts when the client leaves or this attempt times out; pass it to the adapter. */
  signal: AbortSignal;
  /** The client's signal alone (a timeout does not abort it). */
  requestSignal: AbortSignal | undefined;
}

export type AttemptCall<Result, Target extends RoutableTarget = RoutableTarget> = (attempt: AttemptContext<Target>) => Promise<Result>;

export type CallInterceptor = <Result, Target extends RoutableTarget>(next: AttemptCall<Result, Target>) => AttemptCall<Result, Target>;

/** Applies interceptors outermost first: `[a, b]` runs a → b → call. */
export function composeInterceptors<Result, Target extends RoutableTarget>(
  interceptors: readonly CallInterceptor[],
  call: AttemptCall<Result, Target>,
): AttemptCall<Result, Target> {
  return interceptors.reduceRight<AttemptCall<Result, Target>>((next, interceptor) => interceptor(next), call);
}

/** Thrown instead of calling a deployment whose breaker is open; the loop moves on without charging a retry. */
export class CircuitOpenError extends UpstreamError {
  constructor(deployment: string) {
    super('upstream_unavailable', `Deployment '${deployment}' is not taking calls (circuit open).`, deployment);
    this.name = 'CircuitOpenError';
  }
}

function clientLeft(attempt: AttemptContext): boolean {
  return attempt.requestSignal?.aborted === true;
}

/** Asks the deployment's breaker for a permit and reports the call's outcome to it. */
export function circuitBreakerInterceptor(breakers: CircuitBreakerRegistry): CallInterceptor {
  return (next) => async (attempt) => {
    const permit = breakers.get(attempt.target.deployment).tryAcquire();
    if (!permit) throw new CircuitOpenError(attempt.target.deployment);
    try {
      const result = await next(attempt);
      permit.success();
      return result;
    } catch (error) {
      // A client leaving or a client error (4xx) says nothing about the deployment's health.
      if (clientLeft(attempt) || !classifyFailure(error).deploymentFault) permit.cancel();
      else permit.failure();
      throw error;
    }
  };
}

/** Counts each call that really goes out, as the base of the deployment's retry budget. */
export function retryBudgetInterceptor(budget: RetryBudget): CallInterceptor {
  return (next) => (attempt) => {
    budget.recordCall(attempt.target.deployment);
    return next(attempt);
  };
}

/**
 * Tracks calls in flight and the latency of successful calls. Failures are not latency samples:
 * a deployment answering 500 in 5 ms must not look like the fastest one.
 */
export function targetStatsInterceptor(stats: TargetStats, clock: Clock): CallInterceptor {
  return (next) => async (attempt) => {
    const started = clock.now();
    const end = stats.begin(attempt.target.deployment);
    try {
      const result = await next(attempt);
      end(clock.now() - started);
      return result;
    } catch (error) {
      end();
      throw error;
    }
  };
}

/**
 * Bounds one attempt: aborts the upstream call with `upstream_timeout` (retryable, so failover
 * follows) after `timeoutMs(target)`. For a stream the attempt ends at its first part, so this
 * is the time-to-first-byte limit; for a plain call it is the total limit. The attempt's signal
 * stays linked to the client's after success, so a client leaving mid-stream still aborts it.
 */
export function timeoutInterceptor(timeoutMs: (target: RoutableTarget) => number | undefined, clock: Clock): CallInterceptor {
  return <Result, Target extends RoutableTarget>(next: AttemptCall<Result, Target>): AttemptCall<Result, Target> => (attempt) => {
    const limit = timeoutMs(attempt.target);
    if (limit === undefined) return next(attempt);
    // One promise settled by whichever comes first, instead of an async function racing a second
    // promise: this runs on every upstream call.
    return new Promise<Result>((resolve, reject) => {
      const outer = attempt.signal;
      const controller = new AbortController();
      const forward = () => controller.abort(outer.reason);
      if (outer.aborted) forward();
      else outer.addEventListener('abort', forward, { once: true });
      let settled = false;
      const fail = (error: unknown) => {
        settled = true;
        timer.cancel();
        outer.removeEventListener('abort', forward);
        reject(error);
      };
      const timer = clock.setTimer(limit, () => {
        if (settled) return;
        // Built only when it fires: an error (and its stack) per request was measurable on the hot path.
        const timeoutError = new UpstreamError(
          'upstream_timeout',
          `Upstream deployment '${attempt.target.deployment}' did not answer within ${limit} ms.`,
          attempt.target.deployment,
        );
        controller.abort(timeoutError);
        // Adapters that ignore their signal must still lose the race.
        fail(timeoutError);
      });
      let call: Promise<Result>;
      try {
        call = next({ ...attempt, signal: controller.signal });
      } catch (error) {
        fail(error);
        return;
      }
      call.then(
        (result) => {
          if (settled) return;
          settled = true;
          timer.cancel();
          resolve(result);
        },
        (error: unknown) => {
          if (!settled) fail(error);
        },
      );
    });
  };
}

/**
 * Runs one attempt under guards; resilient-dispatch.ts calls it instead of a composed interceptor
 * chain when given (`ResilientDispatchOptions.guard`).
 */
export type AttemptGuard = <Result, Target extends RoutableTarget>(attempt: AttemptContext<Target>, call: AttemptCall<Result, Target>) => Promise<Result>;

export interface StandardGuardDependencies {
  breakers: CircuitBreakerRegistry;
  budget: RetryBudget;
  stats: TargetStats;
  clock: Clock;
  timeoutMs: (target: RoutableTarget) => number | undefined;
}

/**
 * The four interceptors traffic control uses — breaker → retry budget → stats → timeout — as ONE
 * function: one promise per attempt instead of four async layers, no interceptor chain composed per
 * request, and the attempt timeouts on one shared timer per limit (timers/deadline-queue.ts) instead of a
 * timer per call. Behaviour is that of `composeInterceptors([circuitBreakerInterceptor(breakers),
 * retryBudgetInterceptor(budget), targetStatsInterceptor(stats, clock), timeoutInterceptor(timeoutMs,
 * clock)], call)`, which call-interceptors.test.ts checks on generated attempts: the same result or
 * error, the same breaker outcome, budget count, in-flight and latency samples, the same abort of the
 * adapter's signal on a timeout, and the same link to the client's signal after success.
 */
export function standardAttemptGuard(dependencies: StandardGuardDependencies): AttemptGuard {
  const { breakers, budget, stats, clock, timeoutMs } = dependencies;
  // Every attempt with the same limit expires in the order it started: one queue (and timer) per limit.
  const queues = new Map<number, DeadlineQueue>();
  const queueFor = (limit: number): DeadlineQueue => {
    let queue = queues.get(limit);
    if (queue === undefined) {
      // The system clock's now() is the wall clock (Date.now), which steps (NTP, VM resume): due times
      // compared on it would fire early or hours late. Its timers run on monotonic time, so pair them
      // with performance.now(); an injected clock's now() and timers share one timeline already.
      const now = clock === systemClock ? () => performance.now() : () => clock.now();
      queue = createDeadlineQueue(limit, now, (ms, callback) => clock.setTimer(ms, callback));
      queues.set(limit, queue);
    }
    return queue;
  };

  return <Result, Target extends RoutableTarget>(attempt: AttemptContext<Target>, call: AttemptCall<Result, Target>): Promise<Result> => {
    const deployment = attempt.target.deployment;
    const permit = breakers.get(deployment).tryAcquire();
    if (!permit) return Promise.reject(new CircuitOpenError(deployment));
    budget.recordCall(deployment);
    const started = clock.now();
    const end = stats.begin(deployment);
    const succeeded = (result: Result): Result => {
      end(clock.now() - started);
      permit.success();
      return result;
    };
    const recordFailure = (error: unknown): void => {
      end();
      // A client leaving or a client error (4xx) says nothing about the deployment's health.
      if (clientLeft(attempt) || !classifyFailure(error).deploymentFault) permit.cancel();
      else permit.failure();
    };
    const failed = (error: unknown): never => {
      recordFailure(error);
      throw error;
    };
    const limit = timeoutMs(attempt.target);
    if (limit === undefined) {
      let pending: Promise<Result>;
      try {
        pending = call(attempt);
      } catch (error) {
        return Promise.reject(error).catch(failed);
      }
      return pending.then(succeeded, failed);
    }
    return new Promise<Result>((resolve, reject) => {
      const outer = attempt.signal;
      const controller = new AbortController();
      const forward = () => controller.abort(outer.reason);
      if (outer.aborted) forward();
      else outer.addEventListener('abort', forward, { once: true });
      let settled = false;
      const fail = (error: unknown) => {
        settled = true;
        deadline.clear();
        outer.removeEventListener('abort', forward);
        recordFailure(error);
        reject(error);
      };
      const deadline = queueFor(limit).add(() => {
        if (settled) return;
        // Built only when it fires: an error (and its stack) per request was measurable on the hot path.
        const timeoutError = new UpstreamError('upstream_timeout', `Upstream deployment '${deployment}' did not answer within ${limit} ms.`, deployment);
        controller.abort(timeoutError);
        // Adapters that ignore their signal must still lose the race.
        fail(timeoutError);
      });
      let pending: Promise<Result>;
      try {
        pending = call({ ...attempt, signal: controller.signal });
      } catch (error) {
        fail(error);
        return;
      }
      pending.then(
        (result) => {
          if (settled) return;
          settled = true;
          deadline.clear();
          // The signal stays linked to the client's: a client leaving mid-stream still aborts the call.
          resolve(succeeded(result));
        },
        (error: unknown) => {
          if (!settled) fail(error);
        },
      );
    });
  };
}
