import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { circuitBreakerSchema, type CircuitBreakerConfig } from './routing-config-schema.js';
import { CIRCUIT, publish } from '../observability/channels.js';

/**
 * A circuit breaker per deployment: closed → open after an error-rate or consecutive-failure
 * threshold → half-open after a cooldown, letting a few probe calls through → closed after
 * enough probes succeed (or open again when one fails).
 *
 * Why: a failing deployment costs every request that tries it a timeout or an error before
 * failover; skipping it while it is known to be down keeps latency flat during an outage and
 * gives the upstream room to recover. State changes are events so metrics and logs subscribe
 * instead of the breaker knowing about them.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitStateChange {
  deployment: string;
  from: CircuitState;
  to: CircuitState;
  /** Human-readable cause, e.g. "5 consecutive failures" or "cooldown elapsed". */
  reason: string;
  at: number;
}

export type CircuitStateListener = (change: CircuitStateChange) => void;

/** Admission to make one call; report its outcome exactly once (or cancel it). */
export interface CircuitPermit {
  success(): void;
  /** The call failed in a way that speaks against the deployment (see retry-policy.ts). */
  failure(): void;
  /** The call ended without saying anything about the deployment (client left, 4xx). */
  cancel(): void;
}

export interface CircuitBreaker {
  readonly deployment: string;
  state(): CircuitState;
  /** A permit when the breaker lets a call through now, undefined when it is open (or probes are taken). */
  tryAcquire(): CircuitPermit | undefined;
  /** Whether a call would be let through, without reserving a probe slot. */
  isAvailable(): boolean;
  /**
   * Counts a failure noticed after the call's permit was settled — a stream that broke after its
   * first part. Only a closed breaker counts it; open and half-open ones decide on probes alone.
   */
  recordLateFailure(): void;
  /** Stops the cooldown timer (on shutdown or when the deployment is removed). */
  dispose(): void;
}

export interface CircuitBreakerOptions {
  deployment: string;
  /** Read on every decision so a config reload applies without resetting state. */
  config?: () => CircuitBreakerConfig;
  clock?: Clock;
  onStateChange?: CircuitStateListener;
}

const SLOTS = 10;
const DEFAULT_CONFIG = circuitBreakerSchema.parse({});

interface Slot {
  start: number;
  successes: number;
  failures: number;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const clock = options.clock ?? systemClock;
  const configOf = options.config ?? (() => DEFAULT_CONFIG);
  let current: CircuitState = 'closed';
  /** Bumped on every transition; outcomes of calls admitted under an older state are ignored. */
  let generation = 0;
  let slots: Slot[] = [];
  let consecutiveFailures = 0;
  let openedAt = 0;
  let probesInFlight = 0;
  let probeSuccesses = 0;
  let cooldownTimer: TimerHandle | undefined;

  const transition = (to: CircuitState, reason: string) => {
    const from = current;
    if (from === to) return;
    current = to;
    generation += 1;
    cooldownTimer?.cancel();
    cooldownTimer = undefined;
    slots = [];
    consecutiveFailures = 0;
    probesInFlight = 0;
    probeSuccesses = 0;
    if (to === 'open') {
      openedAt = clock.now();
      // A timer, not only a lazy check, so the half-open event (and its metric) is on time.
      cooldownTimer = clock.setTimer(configOf().cooldown_ms, () => transition('half_open', 'cooldown elapsed'));
    }
    options.onStateChange?.({ deployment: options.deployment, from, to, reason, at: clock.now() });
  };

  /** Lazy cooldown check, in case the timer has not fired yet (a busy event loop). */
  const refresh = () => {
    if (current === 'open' && clock.now() - openedAt >= configOf().cooldown_ms) transition('half_open', 'cooldown elapsed');
  };

  const currentSlot = (): Slot => {
    const config = configOf();
    const now = clock.now();
    const slotMs = Math.max(1, Math.floor(config.window_ms / SLOTS));
    const start = now - (now % slotMs);
    slots = slots.filter((slot) => slot.start > now - config.window_ms);
    let slot = slots[slots.length - 1];
    if (!slot || slot.start !== start) {
      slot = { start, successes: 0, failures: 0 };
      slots.push(slot);
    }
    return slot;
  };

  const onClosedFailure = () => {
    const config = configOf();
    currentSlot().failures += 1;
    consecutiveFailures += 1;
    if (consecutiveFailures >= config.consecutive_failures) {
      transition('open', `${consecutiveFailures} consecutive failures`);
      return;
    }
    const failures = slots.reduce((sum, slot) => sum + slot.failures, 0);
    const total = failures + slots.reduce((sum, slot) => sum + slot.successes, 0);
    if (total >= config.minimum_requests && failures / total >= config.failure_rate_threshold) {
      transition('open', `failure rate ${Math.round((failures / total) * 100)}% over ${total} calls`);
    }
  };

  const permitFor = (probe: boolean): CircuitPermit => {
    const admittedIn = generation;
    let settled = false;
    const settle = (outcome: 'success' | 'failure' | 'cancel') => {
      if (settled) return;
      settled = true;
      if (!configOf().enabled || admittedIn !== generation) return;
      if (probe) {
        probesInFlight = Math.max(0, probesInFlight - 1);
        if (outcome === 'failure') transition('open', 'half-open probe failed');
        else if (outcome === 'success' && ++probeSuccesses >= configOf().close_after_successes) transition('closed', 'probes succeeded');
        return;
      }
      if (outcome === 'failure') onClosedFailure();
      else if (outcome === 'success') {
        currentSlot().successes += 1;
        consecutiveFailures = 0;
      }
    };
    return { success: () => settle('success'), failure: () => settle('failure'), cancel: () => settle('cancel') };
  };

  return {
    deployment: options.deployment,
    state() {
      refresh();
      return current;
    },
    isAvailable() {
      if (!configOf().enabled) return true;
      refresh();
      if (current === 'closed') return true;
      return current === 'half_open' && probesInFlight < configOf().half_open_probes;
    },
    tryAcquire() {
      if (!configOf().enabled) return permitFor(false);
      refresh();
      if (current === 'closed') return permitFor(false);
      if (current === 'half_open' && probesInFlight < configOf().half_open_probes) {
        probesInFlight += 1;
        return permitFor(true);
      }
      return undefined;
    },
    recordLateFailure() {
      if (configOf().enabled && current === 'closed') onClosedFailure();
    },
    dispose() {
      cooldownTimer?.cancel();
      cooldownTimer = undefined;
    },
  };
}

/** One breaker per deployment, created on first use, with one place to subscribe to changes. */
export interface CircuitBreakerRegistry {
  get(deployment: string): CircuitBreaker;
  /** Subscribes to every breaker's state changes; returns the unsubscribe function. */
  onStateChange(listener: CircuitStateListener): () => void;
  states(): Record<string, CircuitState>;
  dispose(): void;
}

export interface CircuitBreakerRegistryOptions {
  configFor?: (deployment: string) => CircuitBreakerConfig | undefined;
  clock?: Clock;
}

export function createCircuitBreakerRegistry(options: CircuitBreakerRegistryOptions = {}): CircuitBreakerRegistry {
  const breakers = new Map<string, CircuitBreaker>();
  const listeners = new Set<CircuitStateListener>();
  const emit = (change: CircuitStateChange) => {
    publish(CIRCUIT, () => change);
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A broken subscriber (a metrics bug) must not break routing.
      }
    }
  };
  return {
    get(deployment) {
      let breaker = breakers.get(deployment);
      if (!breaker) {
        breaker = createCircuitBreaker({
          deployment,
          config: () => options.configFor?.(deployment) ?? DEFAULT_CONFIG,
          ...(options.clock ? { clock: options.clock } : {}),
          onStateChange: emit,
        });
        breakers.set(deployment, breaker);
      }
      return breaker;
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    states() {
      return Object.fromEntries([...breakers].map(([deployment, breaker]) => [deployment, breaker.state()]));
    },
    dispose() {
      for (const breaker of breakers.values()) breaker.dispose();
    },
  };
}
