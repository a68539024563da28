import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createHealthChecker, type HealthChange } from './health-checker.js';
import { healthCheckSchema } from './routing-config-schema.js';

const health = healthCheckSchema.parse({ enabled: true, interval_ms: 1_000, timeout_ms: 200, unhealthy_after: 2, healthy_after: 2 });

describe('createHealthChecker', () => {
  it('marks a deployment unhealthy after consecutive failed probes and healthy again after successes', async () => {
    const clock = createManualClock(0);
    let up = true;
    const probed: string[] = [];
    const changes: HealthChange[] = [];
    const checker = createHealthChecker({
      deployments: [{ id: 'd1', health }, { id: 'off', health: { ...health, enabled: false } }],
      clock,
      probe: async (deployment, path) => {
        probed.push(`${deployment}${path}`);
        if (!up) throw new Error('connection refused');
      },
    });
    checker.onChange((change) => changes.push(change));
    await clock.advance(1_000);
    expect(probed).toEqual(['d1/models']);
    up = false;
    await clock.advance(1_000);
    expect(checker.isHealthy('d1')).toBe(true);
    await clock.advance(1_000);
    expect(checker.isHealthy('d1')).toBe(false);
    up = true;
    await clock.advance(2_000);
    expect(checker.isHealthy('d1')).toBe(true);
    expect(changes.map((change) => `${change.healthy}:${change.reason}`)).toEqual([
      'false:2 failed probes (last: connection refused)',
      'true:2 successful probes',
    ]);
    expect(checker.isHealthy('off')).toBe(true);
    checker.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('counts a probe that hangs past timeout_ms as failed and aborts it', async () => {
    const clock = createManualClock(0);
    const signals: AbortSignal[] = [];
    const checker = createHealthChecker({
      deployments: [{ id: 'd1', health: { ...health, unhealthy_after: 1 } }],
      clock,
      probe: (_deployment, _path, signal) => {
        signals.push(signal);
        return new Promise<void>(() => undefined);
      },
    });
    const check = checker.checkNow();
    await clock.advance(200);
    await check;
    expect(checker.isHealthy('d1')).toBe(false);
    expect(signals[0]?.aborted).toBe(true);
    checker.stop();
  });
});
