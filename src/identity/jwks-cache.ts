import type { createLocalJWKSet, JSONWebKeySet, JWSHeaderParameters, FlattenedJWSInput } from 'jose';
import { loadJose } from './load-jose.js';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * One issuer's JWKS: fetched on first use, reused for `cacheMs`, refetched early when a token
 * names a `kid` we do not have (the issuer rotated keys) — but at most once per
 * `minRefreshIntervalMs`, so tokens with invented kids cannot make us hammer the IdP.
 * A failed refetch keeps the last good set.
 */
type LocalSet = ReturnType<typeof createLocalJWKSet>;

export interface JwksCache {
  /** Key resolver for jose's jwtVerify. */
  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): ReturnType<LocalSet>;
  /** Number of fetch attempts so far (tests, metrics). */
  readonly fetches: number;
}

export interface JwksCacheOptions {
  uri: string;
  cacheMs: number;
  minRefreshIntervalMs: number;
  now: () => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const fetchImpl = options.fetch ?? fetch;
  let set: LocalSet | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let fetches = 0;

  const download = async (): Promise<void> => {
    fetches += 1;
    attemptedAt = options.now();
    try {
      const response = await fetchImpl(options.uri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
      const body = (await response.json()) as JSONWebKeySet;
      set = (await loadJose()).createLocalJWKSet(body);
      fetchedAt = options.now();
    } catch (error) {
      // Serve the last good set through an IdP outage; only fail when we never had one.
      if (set) return;
      throw new GatewayError('identity_provider_unavailable', 'The identity provider\'s signing keys cannot be fetched right now.', {
        cause: error,
      });
    }
  };

  // Concurrent requests share one fetch instead of each starting their own.
  const refresh = (): Promise<void> => {
    inFlight ??= download().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    get fetches() {
      return fetches;
    },
    async getKey(header, token) {
      const stale = options.now() - fetchedAt >= options.cacheMs;
      if (!set || (stale && options.now() - attemptedAt >= options.minRefreshIntervalMs)) await refresh();
      try {
        return await (set as LocalSet)(header, token);
      } catch (error) {
        if (!(error instanceof (await loadJose()).errors.JWKSNoMatchingKey)) throw error;
        if (options.now() - attemptedAt < options.minRefreshIntervalMs) throw error;
        await refresh();
        return (set as LocalSet)(header, token);
      }
    },
  };
}
