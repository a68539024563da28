import { systemClock, type Clock } from './clock.js';
import { retryBudgetSchema, type RetryBudgetConfig } from './routing-config-schema.js';

/**
 * A retry budget per deployment (after Finagle's RetryBudget and gRPC retry throttling).
 *
 * Per-request attempt limits alone do not stop a retry storm: during an outage every request
 * makes `max_attempts` calls, multiplying load (and cost, for calls that time out after
 * generating) exactly when the provider is weakest. The budget caps retries *caused by a
 * deployment's failures* at `ratio` of the calls sent to that deployment over a sliding window,
 * plus `min_retries` so that a quiet deployment can still retry at all.
 *
 * The budget is charged to the deployment that failed, not to the one retried on: a healthy
 * secondary that only receives failover traffic must not have its failovers throttled.
 */
export interface RetryBudget {
  /** Counts one call sent to the deployment (first attempts and retries alike). */
  recordCall(deployment: string): void;
  /** Asks to retry after `deployment` failed; counts the retry when allowed. */
  tryRetry(deployment: string): boolean;
  snapshot(deployment: string): RetryBudgetSnapshot;
}

export interface RetryBudgetSnapshot {
  calls: number;
  retries: number;
  /** Retries the window allows in total (min_retries + ratio × calls). */
  allowance: number;
}

export interface RetryBudgetOptions {
  /** The budget settings of a deployment; read on every call so a config reload applies at once. */
  configFor?: (deployment: string) => RetryBudgetConfig | undefined;
  clock?: Clock;
}

/** Slots per window: the window slides in steps of window/SLOTS. */
const SLOTS = 10;
const DEFAULT_CONFIG = retryBudgetSchema.parse({});

interface Slot {
  start: number;
  calls: number;
  retries: number;
}

export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const clock = options.clock ?? systemClock;
  const windows = new Map<string, Slot[]>();
  const configOf = (deployment: string) => options.configFor?.(deployment) ?? DEFAULT_CONFIG;

  /** The live slots of a deployment, expired ones dropped, and the current one. */
  const slotsOf = (deployment: string) => {
    const { window_ms: windowMs } = configOf(deployment);
    const slotMs = Math.max(1, Math.floor(windowMs / SLOTS));
    const now = clock.now();
    const start = now - (now % slotMs);
    const slots = (windows.get(deployment) ?? []).filter((slot) => slot.start > now - windowMs);
    let current = slots[slots.length - 1];
    if (!current || current.start !== start) {
      current = { start, calls: 0, retries: 0 };
      slots.push(current);
    }
    windows.set(deployment, slots);
    return { slots, current };
  };

  const snapshot = (deployment: string): RetryBudgetSnapshot => {
    const config = configOf(deployment);
    const { slots } = slotsOf(deployment);
    const calls = slots.reduce((sum, slot) => sum + slot.calls, 0);
    const retries = slots.reduce((sum, slot) => sum + slot.retries, 0);
    return { calls, retries, allowance: config.min_retries + config.ratio * calls };
  };

  return {
    recordCall(deployment) {
      slotsOf(deployment).current.calls += 1;
    },
    tryRetry(deployment) {
      const config = configOf(deployment);
      if (!config.enabled) return true;
      const state = snapshot(deployment);
      if (state.retries + 1 > state.allowance) return false;
      slotsOf(deployment).current.retries += 1;
      return true;
    },
    snapshot,
  };
}
