import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { HealthCheckConfig } from './routing-config-schema.js';
import { HEALTH, publish } from '../observability/channels.js';

/**
 * Optional active health checks: probe each enabled deployment every `interval_ms` (the caller
 * supplies the probe, e.g. `GET {base_url}/models` through the deployment's transport). A
 * deployment turns unhealthy after `unhealthy_after` failed probes in a row and healthy again
 * after `healthy_after` successes in a row; two thresholds so one lost packet does not flap it.
 *
 * Why active checks besides the circuit breaker: the breaker only learns from real traffic, so
 * a standby deployment that died at night fails the first requests of a failover. Probing also
 * finds a recovered deployment without sacrificing a client request to a half-open probe.
 */
export interface HealthChange {
  deployment: string;
  healthy: boolean;
  reason: string;
  at: number;
}

export type HealthProbe = (deployment: string, path: string, signal: AbortSignal) => Promise<void>;

export interface HealthChecker {
  /** Deployments start healthy (optimistic: serve before the first probe); unknown ones are healthy. */
  isHealthy(deployment: string): boolean;
  onChange(listener: (change: HealthChange) => void): () => void;
  /** Probes every deployment once now (the periodic loop does the same); resolves when all finished. */
  checkNow(): Promise<void>;
  stop(): void;
}

export interface HealthCheckerOptions {
  deployments: ReadonlyArray<{ id: string; health: HealthCheckConfig }>;
  probe: HealthProbe;
  clock?: Clock;
}

interface DeploymentHealth {
  id: string;
  config: HealthCheckConfig;
  healthy: boolean;
  failures: number;
  successes: number;
  running: boolean;
  timer?: TimerHandle;
}

export function createHealthChecker(options: HealthCheckerOptions): HealthChecker {
  const clock = options.clock ?? systemClock;
  const listeners = new Set<(change: HealthChange) => void>();
  const states = new Map<string, DeploymentHealth>();
  let stopped = false;

  const setHealthy = (state: DeploymentHealth, healthy: boolean, reason: string) => {
    if (state.healthy === healthy) return;
    state.healthy = healthy;
    const change = { deployment: state.id, healthy, reason, at: clock.now() };
    publish(HEALTH, () => change);
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A subscriber's bug must not stop health checking.
      }
    }
  };

  const probeOnce = async (state: DeploymentHealth) => {
    if (state.running || stopped) return;
    state.running = true;
    const controller = new AbortController();
    const timeout = clock.setTimer(state.config.timeout_ms, () => controller.abort(new Error(`probe timed out after ${state.config.timeout_ms} ms`)));
    let failure: string | undefined;
    try {
      await Promise.race([
        options.probe(state.id, state.config.path, controller.signal),
        // A probe that ignores its signal must still count as timed out.
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })),
      ]);
    } catch (error) {
      failure = error instanceof Error ? error.message : 'probe failed';
    } finally {
      timeout.cancel();
      state.running = false;
    }
    if (failure === undefined) {
      state.failures = 0;
      state.successes += 1;
      if (state.successes >= state.config.healthy_after) setHealthy(state, true, `${state.successes} successful probes`);
    } else {
      state.successes = 0;
      state.failures += 1;
      if (state.failures >= state.config.unhealthy_after) setHealthy(state, false, `${state.failures} failed probes (last: ${failure})`);
    }
  };

  const schedule = (state: DeploymentHealth) => {
    if (stopped) return;
    state.timer = clock.setTimer(state.config.interval_ms, () => {
      void probeOnce(state).finally(() => schedule(state));
    });
  };

  for (const deployment of options.deployments) {
    if (!deployment.health.enabled) continue;
    const state: DeploymentHealth = { id: deployment.id, config: deployment.health, healthy: true, failures: 0, successes: 0, running: false };
    states.set(deployment.id, state);
    schedule(state);
  }

  return {
    isHealthy: (deployment) => states.get(deployment)?.healthy ?? true,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async checkNow() {
      await Promise.all([...states.values()].map((state) => probeOnce(state)));
    },
    stop() {
      stopped = true;
      for (const state of states.values()) state.timer?.cancel();
    },
  };
}
