import { describe, expect, it } from 'vitest';
import { UpstreamError, type GatewayError } from '../errors/gateway-error.js';
import { createManualClock } from './clock.js';
import { circuitBreakerSchema, deploymentResilienceSchema, routingSchema, canarySchema } from './routing-config-schema.js';
import { createTrafficControl, type TrafficSettings } from './traffic-control.js';

const resilience = deploymentResilienceSchema.parse({
  circuit_breaker: circuitBreakerSchema.parse({ consecutive_failures: 3, cooldown_ms: 10_000 }),
  retry_budget: { ratio: 1, min_retries: 100 },
});
const settings = (overrides: Partial<TrafficSettings> = {}): TrafficSettings => ({
  routing: routingSchema.parse({ default_strategy: 'priority', retry: { max_attempts: 2 } }),
  deployments: ['primary', 'secondary', 'canary-box'].map((id) => ({ id, resilience, timeouts: { first_byte_ms: 500, total_ms: 5_000 } })),
  ...overrides,
});
const alias = {
  alias: 'chat',
  targets: [
    { deployment: 'primary', model: 'm', weight: 1, priority: 0, variant: 'stable' },
    { deployment: 'secondary', model: 'm', weight: 1, priority: 1, variant: 'stable' },
  ],
};

describe('createTrafficControl', () => {
  it('500 storm: fails over, opens the circuit, skips the primary, then half-opens and closes', async () => {
    const clock = createManualClock(0);
    const control = createTrafficControl(settings(), { clock, random: () => 0 });
    const transitions: string[] = [];
    control.breakers.onStateChange((change) => transitions.push(`${change.deployment}:${change.to}`));
    let primaryUp = false;
    const called: string[] = [];
    const request = async () => {
      const plan = control.plan(alias, {});
      return control.dispatch(alias, plan, async (target) => {
        called.push(target.deployment);
        if (target.deployment === 'primary' && !primaryUp) throw new UpstreamError('upstream_error', 'HTTP 500', 'primary', { upstreamStatus: 500 });
        return target.deployment;
      }, undefined, { mode: 'unary' });
    };

    for (let index = 0; index < 3; index++) expect((await request()).result).toBe('secondary');
    expect(transitions).toEqual(['primary:open']);
    called.length = 0;
    expect((await request()).result).toBe('secondary');
    expect(called).toEqual(['secondary']);

    await clock.advance(10_000);
    expect(transitions).toEqual(['primary:open', 'primary:half_open']);
    primaryUp = true;
    expect((await request()).result).toBe('primary');
    expect(transitions).toEqual(['primary:open', 'primary:half_open', 'primary:closed']);
    control.dispose();
  });

  it('with default settings, a hard outage opens the circuit before the retry budget refuses any failover', async () => {
    const defaults = deploymentResilienceSchema.parse({});
    const control = createTrafficControl(
      settings({ deployments: ['primary', 'secondary'].map((id) => ({ id, resilience: defaults, timeouts: { first_byte_ms: 500, total_ms: 5_000 } })) }),
      { clock: createManualClock(0), random: () => 0 },
    );
    const served: string[] = [];
    for (let index = 0; index < 50; index++) {
      const outcome = await control.dispatch(alias, control.plan(alias, {}), async (target) => {
        if (target.deployment === 'primary') throw new UpstreamError('upstream_error', 'HTTP 500', 'primary', { upstreamStatus: 500 });
        return target.deployment;
      }, undefined, { mode: 'unary' });
      served.push(outcome.result);
    }
    expect(served.every((deployment) => deployment === 'secondary')).toBe(true);
    expect(control.budget.snapshot('primary').calls).toBe(defaults.circuit_breaker.consecutive_failures);
    control.dispose();
  });

  it('slow first byte: times out the stream attempt and fails over', async () => {
    const clock = createManualClock(0);
    const control = createTrafficControl(settings(), { clock, random: () => 0 });
    const outcome = control.dispatch(alias, control.plan(alias, {}), (target) =>
      target.deployment === 'primary' ? new Promise<string>(() => undefined) : Promise.resolve('secondary'),
    undefined, { mode: 'stream' });
    await clock.advance(500);
    const result = await outcome;
    expect(result.result).toBe('secondary');
    expect(result.attempts).toMatchObject([{ deployment: 'primary', code: 'upstream_timeout' }]);
  });

  it('never offers a target the policy check refuses, and says so when nothing is left', async () => {
    const control = createTrafficControl(settings(), { clock: createManualClock(0) });
    const plan = control.plan(alias, {}, () => false);
    expect(plan.targets).toEqual([]);
    const error = (await control.dispatch(alias, plan, async () => 'never', undefined, { mode: 'unary' }).catch((caught: unknown) => caught)) as GatewayError;
    expect(error.status).toBe(503);
    expect(error.attempts?.map((attempt) => attempt.reason)).toEqual([
      'Not allowed by the data policy for this request.',
      'Not allowed by the data policy for this request.',
    ]);
  });

  it('routes a cohort to the canary variant first, keeps stable as fallback, and reports the variant', () => {
    const control = createTrafficControl(settings(), { clock: createManualClock(0), random: () => 0 });
    const withCanary = {
      ...alias,
      canary: canarySchema.parse({ departments: ['research'] }),
      targets: [...alias.targets, { deployment: 'canary-box', model: 'm2', weight: 1, priority: 0, variant: 'canary' }],
    };
    const plan = control.plan(withCanary, { department: 'research' });
    expect(plan.variant).toEqual({ variant: 'canary', reason: 'cohort' });
    expect(plan.targets.map((target) => target.deployment)).toEqual(['canary-box', 'primary', 'secondary']);
    expect(control.plan(withCanary, { department: 'sales' }).targets.map((target) => target.deployment)).toEqual(['primary', 'secondary', 'canary-box']);
  });

  it('keeps breaker state across a config reload', () => {
    const clock = createManualClock(0);
    const control = createTrafficControl(settings(), { clock });
    for (let index = 0; index < 3; index++) control.breakers.get('primary').tryAcquire()?.failure();
    control.update(settings());
    expect(control.breakers.get('primary').state()).toBe('open');
    expect(control.plan(alias, {}).excluded.map((entry) => entry.deployment)).toEqual(['primary']);
    control.dispose();
  });

  it('leaves out deployments failing active health checks', () => {
    const control = createTrafficControl(settings({ isHealthy: (deployment) => deployment !== 'primary' }), { clock: createManualClock(0) });
    expect(control.plan(alias, {}).targets.map((target) => target.deployment)).toEqual(['secondary']);
  });
});
