import type { LoadRun } from '../../src/loadtest/run-load.js';
import type { CallRecord } from '../../src/loadtest/run-task.js';

export interface SyntheticOptions {
  calls: number;
  /** Every n-th call needed 2 attempts and was served by `secondary`. */
  retryEvery?: number;
  /** Every n-th call failed with a 503. */
  failEvery?: number;
  latencyMs?: (index: number) => number;
  callsPerSecond?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** A LoadRun with known answers, for testing the report without a gateway. */
export function syntheticRun(options: SyntheticOptions): LoadRun {
  const perSecond = options.callsPerSecond ?? 10;
  const calls: CallRecord[] = Array.from({ length: options.calls }, (_, index) => {
    const failed = options.failEvery !== undefined && index % options.failEvery === options.failEvery - 1;
    const retried = !failed && options.retryEvery !== undefined && index % options.retryEvery === options.retryEvery - 1;
    return {
      task: index,
      kind: 'single',
      step: 0,
      startMs: (index * 1000) / perSecond,
      latencyMs: options.latencyMs?.(index) ?? 100,
      ...(index % 2 === 0 ? { ttftMs: 20 } : {}),
      status: failed ? 503 : 200,
      ok: !failed,
      stream: index % 2 === 0,
      ...(failed ? { errorCode: 'upstream_unavailable' } : {}),
      attempts: failed ? 3 : retried ? 2 : 1,
      circuitSkips: 0,
      budgetExhausted: false,
      upstreamTimeout: false,
      ...(failed ? {} : { deployment: retried ? 'secondary' : 'primary' }),
      inputTokens: failed ? 0 : (options.inputTokens ?? 500),
      outputTokens: failed ? 0 : (options.outputTokens ?? 50),
      usageReported: !failed,
      contextTokens: failed ? 0 : 100,
    };
  });
  const seconds = options.calls / perSecond;
  return {
    calls,
    tasks: { started: options.calls, completed: calls.filter((call) => call.ok).length, failed: calls.filter((call) => !call.ok).length, dropped: 0, cut: 0 },
    sendingS: seconds,
    wallS: seconds + 0.1,
    targetTaskRps: perSecond,
    stoppedBy: 'duration',
  };
}
