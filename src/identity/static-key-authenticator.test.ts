import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../errors/gateway-error.js';
import { createStaticKeyAuthenticator, keyedDigest } from './static-key-authenticator.js';

describe('static config keys', () => {
  it('accepts exactly the configured keys, whatever their text (the keyed digest is an equality test)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1 }).filter((key) => key.trim() === key && key.length > 0), { minLength: 1, maxLength: 4 }), fc.string({ unit: 'grapheme' }), (keys, other) => {
        const authenticator = createStaticKeyAuthenticator(
          keys.map((key, index) => ({ id: `k${index}`, key, roles: [], tags: {} })),
          (reference) => reference,
        );
        keys.forEach((key, index) => expect(authenticator.authenticate({ 'x-api-key': key }).id).toBe(`k${index}`));
        const presented = other.trim();
        if (presented !== '' && !keys.includes(presented)) {
          expect(() => authenticator.authenticate({ 'x-api-key': presented })).toThrow(AuthenticationError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('digests under a per-instance secret: the same key digests differently in two authenticators', () => {
    const first = keyedDigest();
    const second = keyedDigest();
    expect(first('sk-same')).toHaveLength(32);
    expect(first('sk-same').equals(first('sk-same'))).toBe(true);
    expect(first('sk-same').equals(second('sk-same'))).toBe(false);
    expect(first('sk-same').equals(first('sk-samf'))).toBe(false);
  });

  it('reads Bearer and x-api-key, and refuses a missing key', () => {
    const authenticator = createStaticKeyAuthenticator([{ id: 'bench', key: 'sk-bench', roles: [], tags: {} }], (reference) => reference);
    expect(authenticator.authenticate({ authorization: 'Bearer sk-bench' }).id).toBe('bench');
    expect(() => authenticator.authenticate({})).toThrow(AuthenticationError);
    expect(() => authenticator.authenticate({ authorization: 'Bearer sk-bencH' })).toThrow(AuthenticationError);
  });
});
