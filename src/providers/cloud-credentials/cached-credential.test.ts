import { describe, expect, it } from 'vitest';
import { createCachedCredential, type Expiring } from './cached-credential.js';

function setup(fetch: () => Promise<Expiring<string>>) {
  let now = 1_000_000;
  const cache = createCachedCredential({ fetch, now: () => now, refreshMarginMs: 5 * 60_000 });
  return { cache, advance: (ms: number) => (now += ms), now: () => now };
}

describe('createCachedCredential', () => {
  it('shares one fetch between concurrent callers', async () => {
    let calls = 0;
    let release: (value: Expiring<string>) => void = () => undefined;
    const { cache } = setup(() => {
      calls += 1;
      return new Promise((resolve) => (release = resolve));
    });
    const both = Promise.all([cache.get(), cache.get()]);
    release({ value: 'one', expiresAt: Number.MAX_SAFE_INTEGER });
    expect(await both).toEqual(['one', 'one']);
    expect(calls).toBe(1);
  });

  it('never refetches a credential without expiry until invalidated', async () => {
    let calls = 0;
    const { cache, advance } = setup(async () => ({ value: `static-${++calls}` }));
    await cache.get();
    advance(365 * 24 * 3600_000);
    expect(await cache.get()).toBe('static-1');
    cache.invalidate();
    expect(await cache.get()).toBe('static-2');
  });

  it('keeps a still-valid credential when the refresh fails, and throws once it expired', async () => {
    let fail = false;
    const { cache, advance, now } = setup(async () => {
      if (fail) throw new Error('identity endpoint down');
      return { value: 'token', expiresAt: now() + 3600_000 };
    });
    await cache.get();
    fail = true;
    advance(58 * 60_000);
    expect(await cache.get()).toBe('token');
    advance(3 * 60_000);
    await expect(cache.get()).rejects.toThrow('identity endpoint down');
  });
});
