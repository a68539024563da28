import { describe, expect, it } from 'vitest';
import { createAuthFailureLimiter, exemptionsOf } from './auth-failure-limiter.js';
import { abuseProtectionSchema } from './identity-config-schema.js';
import { AuthThrottledError } from './identity-errors.js';

function setup(overrides: Record<string, unknown> = {}) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const config = abuseProtectionSchema.parse({
    delay_after_failures: 3,
    delay_ms: 100,
    max_delay_ms: 1_000,
    block_after_failures: 6,
    block_seconds: 60,
    window_seconds: 600,
    ...overrides,
  });
  const limiter = createAuthFailureLimiter(config, {
    now: () => clock,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
  });
  return { limiter, sleeps, advance: (milliseconds: number) => (clock += milliseconds) };
}

async function failTimes(limiter: ReturnType<typeof setup>['limiter'], address: string, times: number) {
  for (let index = 0; index < times; index += 1) {
    await limiter.admit(address);
    limiter.recordFailure(address);
  }
}

describe('authentication failure limiter', () => {
  it('does not slow an address below the threshold', async () => {
    const { limiter, sleeps } = setup();
    await failTimes(limiter, '10.0.0.1', 3);
    expect(sleeps).toEqual([]);
  });

  it('delays with doubling waits, then refuses with 429 and Retry-After', async () => {
    const { limiter, sleeps } = setup();
    await failTimes(limiter, '10.0.0.1', 6);
    expect(sleeps).toEqual([100, 200, 400]);
    const error = await limiter.admit('10.0.0.1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthThrottledError);
    expect(error).toMatchObject({ status: 429, code: 'auth_throttled', retryAfterSeconds: 60 });
    expect(limiter.counters()).toEqual({ failures: 6, delayed: 3, refused: 1, blocks: 1, trackedAddresses: 1 });
  });

  it('caps the delay', async () => {
    const { limiter, sleeps } = setup({ block_after_failures: 100 });
    await failTimes(limiter, '10.0.0.1', 10);
    expect(Math.max(...sleeps)).toBe(1_000);
  });

  it('lifts the block after block_seconds and forgets failures outside the window', async () => {
    const { limiter, sleeps, advance } = setup();
    await failTimes(limiter, '10.0.0.1', 6);
    advance(59_000);
    await expect(limiter.admit('10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 1 });
    advance(1_000);
    await expect(limiter.admit('10.0.0.1')).resolves.toBeUndefined();
    sleeps.length = 0;
    await failTimes(limiter, '10.0.0.2', 3);
    advance(600_000);
    await failTimes(limiter, '10.0.0.2', 1);
    expect(sleeps).toEqual([]);
  });

  it('keeps addresses apart and honours exemptions', async () => {
    const { limiter } = setup({ exempt_addresses: ['127.0.0.1'] });
    await failTimes(limiter, '10.0.0.1', 6);
    await expect(limiter.admit('10.0.0.9')).resolves.toBeUndefined();
    await failTimes(limiter, '127.0.0.1', 20);
    await expect(limiter.admit('127.0.0.1')).resolves.toBeUndefined();
  });

  it('bounds the number of tracked addresses', async () => {
    const { limiter } = setup({ max_tracked_addresses: 2 });
    for (const address of ['a', 'b', 'c']) limiter.recordFailure(address);
    expect(limiter.counters().trackedAddresses).toBe(2);
  });

  it('exempts loopback and trusted networks by default, and loopback only while exempt_loopback is on', async () => {
    const exempt = exemptionsOf(abuseProtectionSchema.parse({ trusted_networks: ['10.20.0.0/16', 'fd00::/8'] }));
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '10.20.255.1', '::ffff:10.20.0.9', 'fd12::1']) expect(exempt(address), address).toBe(true);
    for (const address of ['10.21.0.1', '192.0.2.1', 'fe80::1', '::ffff:192.0.2.1', 'not-an-ip']) expect(exempt(address), address).toBe(false);
    const strict = exemptionsOf(abuseProtectionSchema.parse({ exempt_loopback: false }));
    expect(strict('127.0.0.1')).toBe(false);
  });

  it('refuses a trusted network that is not CIDR', () => {
    expect(abuseProtectionSchema.safeParse({ trusted_networks: ['10.0.0.0'] }).success).toBe(false);
    expect(abuseProtectionSchema.safeParse({ trusted_networks: ['10.0.0.0/33'] }).success).toBe(false);
    expect(abuseProtectionSchema.safeParse({ trusted_networks: ['10.0.0.0/8'] }).success).toBe(true);
  });
});
