import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createCircuitBreaker, createCircuitBreakerRegistry, type CircuitStateChange } from './circuit-breaker.js';
import { circuitBreakerSchema } from './routing-config-schema.js';

const config = circuitBreakerSchema.parse({
  consecutive_failures: 5,
  minimum_requests: 10,
  failure_rate_threshold: 0.5,
  window_ms: 10_000,
  cooldown_ms: 30_000,
});

function setup(overrides: Partial<typeof config> = {}) {
  const clock = createManualClock(0);
  const changes: CircuitStateChange[] = [];
  const breaker = createCircuitBreaker({ deployment: 'd1', config: () => ({ ...config, ...overrides }), clock, onStateChange: (change) => changes.push(change) });
  const call = (outcome: 'success' | 'failure') => {
    const permit = breaker.tryAcquire();
    if (!permit) return false;
    permit[outcome]();
    return true;
  };
  return { clock, changes, breaker, call };
}

describe('createCircuitBreaker', () => {
  it('opens after 5 consecutive failures and half-opens after the cooldown', async () => {
    const { clock, changes, breaker, call } = setup();
    for (let index = 0; index < 4; index++) call('failure');
    expect(breaker.state()).toBe('closed');
    call('failure');
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    await clock.advance(29_999);
    expect(breaker.state()).toBe('open');
    await clock.advance(1);
    expect(changes.map((change) => [change.from, change.to, change.reason])).toEqual([
      ['closed', 'open', '5 consecutive failures'],
      ['open', 'half_open', 'cooldown elapsed'],
    ]);
  });

  it('a success resets the consecutive count', () => {
    const { breaker, call } = setup();
    for (let index = 0; index < 4; index++) call('failure');
    call('success');
    for (let index = 0; index < 4; index++) call('failure');
    expect(breaker.state()).toBe('closed');
  });

  it('opens on the failure rate once minimum_requests calls are in the window', () => {
    const { breaker, call, changes } = setup({ consecutive_failures: 100 });
    // Alternating: 50% failures, but only 9 calls so far → not trusted yet.
    for (let index = 0; index < 9; index++) call(index % 2 === 0 ? 'success' : 'failure');
    expect(breaker.state()).toBe('closed');
    call('failure');
    expect(breaker.state()).toBe('open');
    expect(changes[0]?.reason).toBe('failure rate 50% over 10 calls');
  });

  it('does not count failures that slid out of the window', async () => {
    const { breaker, call, clock } = setup({ consecutive_failures: 100 });
    for (let index = 0; index < 5; index++) call('failure');
    await clock.advance(10_001);
    // 4 of these 10 fail (40%); counting the 5 old failures too would make 9 of 15 (60%).
    for (let index = 0; index < 6; index++) call('success');
    for (let index = 0; index < 4; index++) call('failure');
    expect(breaker.state()).toBe('closed');
  });

  it('lets one probe through while half-open, closes on its success', async () => {
    const { breaker, call, clock } = setup();
    for (let index = 0; index < 5; index++) call('failure');
    await clock.advance(30_000);
    const probe = breaker.tryAcquire();
    expect(probe).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.isAvailable()).toBe(false);
    probe?.success();
    expect(breaker.state()).toBe('closed');
  });

  it('re-opens when the probe fails and waits a full cooldown again', async () => {
    const { breaker, call, clock, changes } = setup();
    for (let index = 0; index < 5; index++) call('failure');
    await clock.advance(30_000);
    call('failure');
    expect(breaker.state()).toBe('open');
    await clock.advance(29_000);
    expect(breaker.state()).toBe('open');
    await clock.advance(1_000);
    expect(breaker.state()).toBe('half_open');
    expect(changes.map((change) => change.to)).toEqual(['open', 'half_open', 'open', 'half_open']);
  });

  it('frees the probe slot when the probe call is cancelled (client left)', async () => {
    const { breaker, call, clock } = setup();
    for (let index = 0; index < 5; index++) call('failure');
    await clock.advance(30_000);
    breaker.tryAcquire()?.cancel();
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it('ignores outcomes of calls admitted before the state changed', () => {
    const { breaker, call } = setup();
    const slow = breaker.tryAcquire();
    for (let index = 0; index < 5; index++) call('failure');
    slow?.success();
    expect(breaker.state()).toBe('open');
  });

  it('counts streams that broke after their first part towards opening', () => {
    const { breaker, call } = setup();
    // Five streams start fine (permit success), then each breaks mid-way.
    for (let index = 0; index < 5; index++) call('success');
    for (let index = 0; index < 4; index++) breaker.recordLateFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordLateFailure();
    expect(breaker.state()).toBe('open');
    // While open, late reports from older streams change nothing.
    breaker.recordLateFailure();
    expect(breaker.state()).toBe('open');
  });

  it('never opens when disabled', () => {
    const { breaker, call } = setup({ enabled: false });
    for (let index = 0; index < 50; index++) call('failure');
    expect(breaker.state()).toBe('closed');
  });
});

describe('createCircuitBreakerRegistry', () => {
  it('emits every breaker state change to subscribers until they unsubscribe', () => {
    const registry = createCircuitBreakerRegistry({ clock: createManualClock(0), configFor: () => ({ ...config, consecutive_failures: 1 }) });
    const seen: string[] = [];
    const unsubscribe = registry.onStateChange((change) => seen.push(`${change.deployment}:${change.to}`));
    registry.get('a').tryAcquire()?.failure();
    unsubscribe();
    registry.get('b').tryAcquire()?.failure();
    expect(seen).toEqual(['a:open']);
    expect(registry.states()).toEqual({ a: 'open', b: 'open' });
    registry.dispose();
  });
});
