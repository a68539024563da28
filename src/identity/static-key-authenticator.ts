import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StaticKeyConfig } from './identity-config-schema.js';
import { AuthenticationError } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';

/**
 * Authenticates the API keys listed in config (`auth.keys`). Keys are held only as HMACs under
 * a per-process secret and compared in constant time, so neither memory dumps of the lookup
 * table nor response timing reveal a key.
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

export function createStaticKeyAuthenticator(
  keys: StaticKeyConfig[],
  resolveSecret: (reference: string) => string,
): Authenticator {
  const secret = randomBytes(32);
  const hash = (value: string): Buffer => createHmac('sha256', secret).update(value).digest();
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
