import { AllTargetsFailedError, GatewayError, type AttemptRecord } from '../errors/gateway-error.js';
import type { AliasTarget } from './order-targets.js';

export interface DispatchResult<T> {
  result: T;
  target: AliasTarget;
  attempts: AttemptRecord[];
}

/**
 * Tries targets in order until one succeeds. Only retryable failures (connection errors,
 * timeouts, 429, ≥ 500) move on to the next target: a 4xx from upstream means the request
 * itself is wrong, and sending it elsewhere would only repeat the failure at more cost.
 */
export async function dispatchWithFailover<T>(
  alias: string,
  targets: readonly AliasTarget[],
  call: (target: AliasTarget) => Promise<T>,
  signal?: AbortSignal,
): Promise<DispatchResult<T>> {
  const attempts: AttemptRecord[] = [];
  let last: GatewayError | undefined;
  for (const target of targets) {
    if (signal?.aborted) break;
    try {
      const result = await call(target);
      return { result, target, attempts };
    } catch (error) {
      const gatewayError =
        error instanceof GatewayError ? error : new GatewayError('upstream_error', 'The upstream call failed unexpectedly.', { cause: error });
      const attempt: AttemptRecord = { deployment: target.deployment, code: gatewayError.code, reason: gatewayError.message };
      const upstreamStatus = (gatewayError as { upstreamStatus?: number }).upstreamStatus;
      if (upstreamStatus !== undefined) attempt.status = upstreamStatus;
      attempts.push(attempt);
      last = gatewayError;
      if (!gatewayError.retryable) {
        // Pass a non-retryable upstream error through as itself, with the attempt trail attached.
        if (attempts.length === 1) throw gatewayError;
        throw new AllTargetsFailedError(alias, attempts, gatewayError);
      }
    }
  }
  throw new AllTargetsFailedError(alias, attempts, last);
}
