import { request } from 'undici';
import type { FaultStep } from './scenario-schema.js';

/** The mock-upstream options a fault sets while it is active (PUT /__mock/options, src/providers/mock/README.md). */
export function faultPatch(fault: FaultStep): Record<string, unknown> {
  switch (fault.kind) {
    case 'timeout':
      return { faults: { hang_rate: fault.rate } };
    case 'rate_limit_storm':
      return { faults: { rate_limit_rate: fault.rate, retry_after_seconds: 0 } };
    case 'error_storm':
      return { faults: { error_rate: fault.rate, error_status: fault.status } };
    case 'refusal':
      // The connection is dropped without an answer: what a crashed or refusing upstream looks like to the gateway.
      return { faults: { reset_rate: fault.rate } };
    case 'stream_cut':
      return { faults: { stream_cut_rate: fault.rate, stream_cut_after_chunks: 0 } };
    case 'slow_first_token':
      return { ttft_ms: fault.ms ?? 1_000 };
    case 'latency_jitter':
      return { ttft_ms: 0 };
  }
}

/** What turns a fault off again. */
export function healPatch(fault: FaultStep, baseTtftMs: number): Record<string, unknown> {
  switch (fault.kind) {
    case 'timeout':
      return { faults: { hang_rate: 0 } };
    case 'rate_limit_storm':
      return { faults: { rate_limit_rate: 0 } };
    case 'error_storm':
      return { faults: { error_rate: 0 } };
    case 'refusal':
      return { faults: { reset_rate: 0 } };
    case 'stream_cut':
      return { faults: { stream_cut_rate: 0 } };
    case 'slow_first_token':
    case 'latency_jitter':
      return { ttft_ms: baseTtftMs };
  }
}

export interface AppliedFault extends FaultStep {
  /** Seconds after the run's start at which the fault was switched on and off (measured). */
  applied_at_s?: number;
  healed_at_s?: number;
  injected: boolean;
  /** Why the mock refused the change, when it did (the fault then did not happen). */
  error?: string;
}

async function patch(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await request(`${url}/__mock/options`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`mock upstream refused options ${JSON.stringify(body)}: HTTP ${response.statusCode}`);
}

/**
 * Switches faults on and off on the mock upstreams at the scheduled times, relative to the run's
 * start. Latency jitter re-draws the first-token delay every 100 ms, uniform in [0, ms].
 * `stop()` heals everything, so the next scenario starts on healthy upstreams.
 */
export function startFaultSchedule(
  faults: readonly FaultStep[],
  upstreams: Record<FaultStep['target'], string>,
  options: { runStart: number; now: () => number; baseTtftMs: number; random: () => number },
): { applied: AppliedFault[]; stop: () => Promise<void> } {
  const applied: AppliedFault[] = faults.map((fault) => ({ ...fault, injected: true }));
  const timers: NodeJS.Timeout[] = [];
  const pending: Promise<void>[] = [];
  const elapsed = () => (options.now() - options.runStart) / 1000;
  const track = (promise: Promise<void>) => pending.push(promise.catch(() => undefined));
  const at = (seconds: number, action: () => void) => {
    timers.push(setTimeout(action, Math.max(0, seconds * 1000 - (options.now() - options.runStart))));
  };
  for (const fault of applied) {
    const url = upstreams[fault.target];
    at(fault.at_s, () => {
      fault.applied_at_s = elapsed();
      pending.push(
        patch(url, faultPatch(fault)).catch((error: unknown) => {
          fault.injected = false;
          fault.error = error instanceof Error ? error.message : String(error);
        }),
      );
      if (fault.kind === 'latency_jitter') {
        const jitter = setInterval(() => track(patch(url, { ttft_ms: Math.round(options.random() * (fault.ms ?? 100)) })), 100);
        timers.push(jitter);
        at(fault.at_s + fault.for_s, () => clearInterval(jitter));
      }
    });
    at(fault.at_s + fault.for_s, () => {
      fault.healed_at_s = elapsed();
      track(patch(url, healPatch(fault, options.baseTtftMs)));
    });
  }
  return {
    applied,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(pending);
      // Heal all, whatever ran: a fault that outlived the run must not leak into the next scenario.
      for (const url of new Set(Object.values(upstreams))) {
        await patch(url, { ttft_ms: options.baseTtftMs, faults: { hang_rate: 0, rate_limit_rate: 0, error_rate: 0, reset_rate: 0, stream_cut_rate: 0 } });
      }
    },
  };
}
