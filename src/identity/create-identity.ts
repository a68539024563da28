import type { StaticKeyConfig } from './identity-config-schema.js';
import { createAccessPolicy, type AccessPolicy } from './access-policy.js';
import { createApiKeyHasher } from './api-key-hasher.js';
import { createApiKeyService, type ApiKeyService } from './api-key-service.js';
import type { ApiKeyStore } from './api-key-store.js';
import { createAuthFailureLimiter, type AuthFailureLimiter } from './auth-failure-limiter.js';
import { createCompositeAuthenticator, type AuthenticationFailure, type RequestAuthenticator } from './composite-authenticator.js';
import type { IdentityConfig } from './identity-config-schema.js';
import { createOidcVerifier, type OidcVerifier } from './oidc-verifier.js';
import { createStaticKeyAuthenticator } from './static-key-authenticator.js';

/** Everything identity-related built from one config: the one call the composition root makes. */
export interface Identity {
  authenticator: RequestAuthenticator;
  policy: AccessPolicy;
  /** Present when `identity.key_store` is configured and a store was passed. */
  apiKeys: ApiKeyService | undefined;
  limiter: AuthFailureLimiter;
  oidc: OidcVerifier | undefined;
}

export interface CreateIdentityOptions {
  identity: IdentityConfig;
  /** `auth.keys` from the root config. */
  staticKeys: StaticKeyConfig[];
  /** Resolves `${env:…}`/`${file:…}` references (LoadedConfig.secret). */
  resolveSecret: (reference: string) => string;
  /** The virtual key store over the gateway's storage (SQLite or PostgreSQL). */
  apiKeyStore?: ApiKeyStore;
  now?: () => number;
  fetch?: typeof fetch;
  onFailure?: (failure: AuthenticationFailure) => void;
  /** `policy.data_classes` from the root config, lowest first; default public…restricted. */
  dataClasses?: readonly string[];
  /** Pass the previous runtime's limiter on reload, so a config reload does not reset abuse counters. */
  limiter?: AuthFailureLimiter;
}

export function createIdentity(options: CreateIdentityOptions): Identity {
  const { identity } = options;
  const now = options.now ?? Date.now;
  const settings = identity.key_store;
  const apiKeys =
    settings && options.apiKeyStore
      ? createApiKeyService({
          store: options.apiKeyStore,
          hasher: createApiKeyHasher(options.resolveSecret(settings.secret)),
          now,
          cacheTtlMs: settings.cache_ttl_seconds * 1000,
          rotationGraceMs: settings.rotation_grace_seconds * 1000,
        })
      : undefined;
  const oidc =
    identity.oidc.issuers.length > 0
      ? createOidcVerifier({ issuers: identity.oidc.issuers, now, ...(options.fetch ? { fetch: options.fetch } : {}) })
      : undefined;
  const limiter = options.limiter ?? createAuthFailureLimiter(identity.abuse_protection, { now });
  const authenticator = createCompositeAuthenticator({
    staticKeys: createStaticKeyAuthenticator(options.staticKeys, options.resolveSecret),
    limiter,
    ...(apiKeys ? { apiKeys } : {}),
    ...(oidc ? { oidc } : {}),
    ...(identity.bootstrap_admin_key ? { bootstrapAdminKey: options.resolveSecret(identity.bootstrap_admin_key) } : {}),
    ...(options.onFailure ? { onFailure: options.onFailure } : {}),
  });
  return { authenticator, policy: createAccessPolicy(identity.roles, options.dataClasses ? { dataClasses: options.dataClasses } : {}), apiKeys, limiter, oidc };
}
