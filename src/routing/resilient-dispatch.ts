import { AllTargetsFailedError, GatewayError, type AttemptRecord } from '../errors/gateway-error.js';
import { retryDelayMs } from './backoff.js';
import { composeInterceptors, CircuitOpenError, type AttemptCall, type AttemptContext, type AttemptGuard, type CallInterceptor } from './call-interceptors.js';
import { systemClock, type Clock } from './clock.js';
import type { RetryBudget } from './retry-budget.js';
import { classifyFailure, type FailureClassification } from './retry-policy.js';
import { retryPolicySchema, type RetryPolicyConfig } from './routing-config-schema.js';
import type { RoutableTarget } from './select-target.js';

/**
 * The failover loop around the intercepted upstream call: a drop-in successor of
 * dispatchWithFailover (same inputs and result, plus options).
 *
 * Targets are tried in the given order; a target whose failure is retryable goes to the back
 * of the queue, so a second try of the same deployment only happens after the others had
 * their turn — and then after a backoff (its Retry-After when it gave one). Every call after
 * the first must be granted by the retry budget of the deployment whose failure caused it.
 */
export interface DispatchResult<Result, Target extends RoutableTarget> {
  result: Result;
  target: Target;
  /** The failed attempts before the successful one (skips of open circuits included). */
  attempts: AttemptRecord[];
}

export interface AttemptEvent {
  alias: string;
  deployment: string;
  attemptNumber: number;
  outcome: 'success' | 'failure' | 'skipped';
  durationMs: number;
  failure?: FailureClassification;
}

export interface ResilientDispatchOptions {
  retry?: RetryPolicyConfig;
  budget?: RetryBudget;
  /** Around each upstream call, outermost first (see call-interceptors.ts). */
  interceptors?: readonly CallInterceptor[];
  /** Runs each attempt instead of `interceptors` (traffic control's fused guard, see call-interceptors.ts). */
  guard?: AttemptGuard;
  /** Targets the caller already left out (policy, health), listed in the error details when all fail. */
  excluded?: readonly AttemptRecord[];
  clock?: Clock;
  random?: () => number;
  /** One event per attempt, for metrics, logs and the audit record. */
  onAttempt?: (event: AttemptEvent) => void;
}

const DEFAULT_RETRY = retryPolicySchema.parse({});

/** Raised when the retry budget refuses: fail fast rather than add to an outage. */
export class RetryBudgetExhaustedError extends GatewayError {
  constructor(alias: string, deployment: string, attempts: AttemptRecord[]) {
    super(
      'upstream_unavailable',
      `Not retrying '${alias}': the retry budget of deployment '${deployment}' is exhausted after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}.`,
      { attempts },
    );
    this.name = 'RetryBudgetExhaustedError';
  }
}

export async function resilientDispatch<Result, Target extends RoutableTarget>(
  alias: string,
  targets: readonly Target[],
  call: (target: Target, attempt: AttemptContext<Target>) => Promise<Result>,
  signal?: AbortSignal,
  options: ResilientDispatchOptions = {},
): Promise<DispatchResult<Result, Target>> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const direct: AttemptCall<Result, Target> = (attempt) => call(attempt.target, attempt);
  const guard = options.guard;
  const intercepted: AttemptCall<Result, Target> = guard ? (attempt) => guard(attempt, direct) : composeInterceptors(options.interceptors ?? [], direct);
  const requestSignal = signal ?? new AbortController().signal;

  const attempts: AttemptRecord[] = [];
  const queue = [...targets];
  // Only a failure needs these: the common request (first try answers) allocates neither.
  let triesOf: Map<string, number> | undefined;
  let retryAfterOf: Map<string, number | undefined> | undefined;
  let calls = 0;
  let realFailures = 0;
  let failedDeployment: string | undefined;
  let last: GatewayError | undefined;

  const withExcluded = () => [...(options.excluded ?? []), ...attempts];

  for (let next = queue.shift(); next !== undefined && calls < retry.max_attempts; next = queue.shift()) {
    const target = next;
    if (requestSignal.aborted) throw requestSignal.reason;
    // A call after a real failure is a retry, charged to the deployment that failed.
    if (failedDeployment !== undefined && options.budget && !options.budget.tryRetry(failedDeployment)) {
      throw new RetryBudgetExhaustedError(alias, failedDeployment, withExcluded());
    }
    failedDeployment = undefined;
    const tries = triesOf?.get(target.deployment) ?? 0;
    if (tries > 0) {
      const delay = retryDelayMs(tries, retryAfterOf?.get(target.deployment), retry, random);
      if (delay > 0) await clock.sleep(delay, requestSignal);
    }

    const attemptNumber = calls + 1;
    const started = clock.now();
    const report = (outcome: AttemptEvent['outcome'], failure?: FailureClassification) =>
      options.onAttempt?.({ alias, deployment: target.deployment, attemptNumber, outcome, durationMs: clock.now() - started, ...(failure ? { failure } : {}) });
    try {
      const result = await intercepted({ alias, target, attemptNumber, signal: requestSignal, requestSignal });
      calls += 1;
      report('success');
      return { result, target, attempts };
    } catch (error) {
      // The client left: nothing to fail over for, and nothing to report as an upstream failure.
      if (requestSignal.aborted) throw requestSignal.reason;
      if (error instanceof CircuitOpenError) {
        // No call went out: record the skip, charge neither an attempt nor the retry budget.
        attempts.push({ deployment: target.deployment, code: error.code, reason: error.message });
        report('skipped');
        continue;
      }
      calls += 1;
      realFailures += 1;
      (triesOf ??= new Map()).set(target.deployment, tries + 1);
      const failure = classifyFailure(error);
      report('failure', failure);
      attempts.push(attemptRecord(target.deployment, failure));
      last = failure.error;
      if (failure.kind === 'fatal') {
        // A client error goes back as itself when it is the whole story; with history, with its trail.
        if (realFailures === 1 && attempts.length === 1) throw failure.error;
        throw new AllTargetsFailedError(alias, withExcluded(), failure.error);
      }
      failedDeployment = target.deployment;
      (retryAfterOf ??= new Map()).set(target.deployment, failure.retryAfterMs);
      if (failure.kind === 'retryable') queue.push(target);
    }
  }
  if (requestSignal.aborted) throw requestSignal.reason;
  throw new AllTargetsFailedError(alias, withExcluded(), last);
}

function attemptRecord(deployment: string, failure: FailureClassification): AttemptRecord {
  const record: AttemptRecord = { deployment, code: failure.code, reason: failure.error.message };
  if (failure.status !== undefined) record.status = failure.status;
  return record;
}
