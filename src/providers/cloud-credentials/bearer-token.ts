/**
 * An OAuth bearer token for an upstream (Vertex AI's Google token, Azure OpenAI's Entra ID
 * token): cached and refreshed before expiry (cached-credential.ts), failures turned into
 * `upstream_auth_failed` (credential-failure.ts), and every token handed out recorded in
 * `secrets`, so error messages built from upstream replies never echo it.
 */
import { UpstreamError } from '../../errors/gateway-error.js';
import { createCachedCredential, type Expiring } from './cached-credential.js';
import { credentialFailure } from './credential-failure.js';

/** Refresh five minutes early: requests in flight keep a token that is still valid on arrival. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface BearerTokenOptions {
  deploymentId: string;
  /** Names the credential source in error messages (never a value). */
  source: string;
  fetch(): Promise<Expiring<string>>;
  now?: () => number;
}

export interface BearerToken {
  /** `{ authorization: 'Bearer …' }`; throws `upstream_auth_failed` when no token can be had. */
  headers(): Promise<Record<string, string>>;
  /** The upstream refused the token: fetch a new one next time. */
  invalidate(): void;
  /** Values to keep out of messages (the current token). */
  readonly secrets: string[];
}

export function createBearerToken(options: BearerTokenOptions): BearerToken {
  const secrets: string[] = [];
  const cache = createCachedCredential<string>({
    now: options.now ?? Date.now,
    refreshMarginMs: TOKEN_REFRESH_MARGIN_MS,
    async fetch() {
      try {
        const token = await options.fetch();
        secrets.splice(0, secrets.length, token.value);
        return token;
      } catch (error) {
        throw credentialFailure(options.deploymentId, options.source, error);
      }
    },
  });
  return {
    secrets,
    async headers() {
      return { authorization: `Bearer ${await cache.get()}` };
    },
    invalidate: () => cache.invalidate(),
  };
}

/** Runs an upstream call; a refused token (401/403) is dropped so the next call fetches anew. */
export async function withTokenReset<T>(token: { invalidate(): void }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'upstream_auth_failed') token.invalidate();
    throw error;
  }
}
