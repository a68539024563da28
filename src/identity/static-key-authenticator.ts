import * as crypto from 'node:crypto';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StaticKeyConfig } from './identity-config-schema.js';
import { AuthenticationError } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';

/**
 * Authenticates the API keys listed in config (`auth.keys`). Keys are held only as keyed digests
 * under a per-process secret (see `keyedDigest`) and compared in constant time, so neither memory
 * dumps of the lookup table nor response timing reveal a key.
 */
export interface Authenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Principal;
}

interface Entry {
  digest: Buffer;
  principal: Principal;
}

/** Pulls the presented key from `Authorization: Bearer` (OpenAI SDK) or `x-api-key` (Anthropic SDK). */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
}

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'buffer') => Buffer;
/** `crypto.hash` (Node >= 20.12, not in the typings yet): one call, no Hash/Hmac object per digest. */
const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;

/**
 * A digest function keyed by a fresh random 256-bit secret: SHA-256(secret-hex ‖ value). It runs
 * on every request with a config key, and the one-shot form costs about half of
 * `createHmac(...).update().digest()` (two objects and two hash passes per call).
 *
 * Why this is as good as the HMAC it replaced, for what it is used for (equality of a presented key
 * with a stored one): the prefix has a fixed length (64 characters), so prefix ‖ value is
 * unambiguous; without the secret the stored digests are preimages of SHA-256 over 256 unknown
 * bits plus the key; and SHA-256's length extension only yields digests of *other, longer* inputs,
 * never a value that matches a stored digest. Comparison stays `timingSafeEqual` over fixed-size
 * digests, so the time taken does not depend on how much of a key was right.
 */
export function keyedDigest(): (value: string) => Buffer {
  const prefix = randomBytes(32).toString('hex');
  if (oneShotHash) {
    const hash = oneShotHash;
    return (value) => hash('sha256', prefix + value, 'buffer');
  }
  return (value) => crypto.createHash('sha256').update(prefix).update(value).digest();
}

export function createStaticKeyAuthenticator(
  keys: StaticKeyConfig[],
  resolveSecret: (reference: string) => string,
): Authenticator {
  const hash = keyedDigest();
  const entries: Entry[] = keys.map((key) => {
    const principal: Principal = { id: key.id, kind: 'key', roles: key.roles, tags: key.tags };
    if (key.team !== undefined) principal.team = key.team;
    if (key.department !== undefined) principal.department = key.department;
    if (key.models !== undefined) principal.allowedModels = key.models;
    return { digest: hash(resolveSecret(key.key)), principal };
  });

  return {
    authenticate(headers) {
      const key = presentedKey(headers);
      if (key === undefined) {
        throw new AuthenticationError('missing_api_key', 'You did not provide an API key. Send it as "Authorization: Bearer <key>" or "x-api-key".');
      }
      const digest = hash(key);
      // Compare against every entry so the time taken does not depend on which key matched.
      let match: Principal | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, digest)) match ??= entry.principal;
      }
      if (!match) throw new AuthenticationError('invalid_api_key', 'Incorrect API key provided.');
      return match;
    },
  };
}
