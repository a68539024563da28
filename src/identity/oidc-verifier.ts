import type { JWTPayload } from 'jose';
import { GatewayError } from '../errors/gateway-error.js';
import type { OidcIssuerConfig } from './identity-config-schema.js';
import { TokenRejectedError } from './identity-errors.js';
import { createJwksCache, type JwksCache } from './jwks-cache.js';
import { loadJose, type Jose } from './load-jose.js';
import type { Principal } from '../model/principal.js';

/**
 * Verifies bearer JWTs from the configured OIDC issuers and maps their claims to a Principal.
 * Every refusal is a TokenRejectedError with a specific code (see docs/errors.md).
 */
export interface OidcVerifier {
  verify(token: string): Promise<Principal>;
  /** JWKS fetch attempts per issuer id (tests, metrics). */
  jwksFetches(issuerId: string): number;
}

export interface OidcVerifierOptions {
  issuers: OidcIssuerConfig[];
  now?: () => number;
  fetch?: typeof fetch;
}

interface IssuerEntry {
  config: OidcIssuerConfig;
  jwks: JwksCache;
}

/** Reads `a.b.c` from the claims; IdPs nest roles (Keycloak: realm_access.roles). */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function stringClaim(payload: JWTPayload, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const value = claimAt(payload, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function groupsOf(payload: JWTPayload, path: string): string[] {
  const value = claimAt(payload, path);
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function principalFromClaims(config: OidcIssuerConfig, payload: JWTPayload): Principal {
  const id = stringClaim(payload, config.claims.user_id);
  if (id === undefined) throw new TokenRejectedError('token_invalid', `The token has no '${config.claims.user_id}' claim to identify the user.`);
  const roles = new Set(config.default_roles);
  for (const group of groupsOf(payload, config.claims.groups)) {
    for (const role of config.group_roles[group] ?? []) roles.add(role);
  }
  const principal: Principal = { id, kind: 'user', roles: [...roles].sort(), tags: { issuer: config.id } };
  const department = stringClaim(payload, config.claims.department);
  const team = stringClaim(payload, config.claims.team);
  if (department !== undefined) principal.department = department;
  if (team !== undefined) principal.team = team;
  return principal;
}

/** jose's error classes → our stable codes. Messages stay generic: they reach the client. */
function rejection(error: unknown, { errors }: Jose): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('token_expired', 'The token has expired.', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return new TokenRejectedError('token_not_yet_valid', 'The token is not valid yet.', error);
      case 'aud':
        return new TokenRejectedError('token_audience_mismatch', 'The token was not issued for this gateway (audience).', error);
      case 'iss':
        return new TokenRejectedError('token_issuer_mismatch', 'The token issuer is not trusted.', error);
      default:
        return new TokenRejectedError('token_invalid', `The token's '${error.claim}' claim is missing or invalid.`, error);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenRejectedError('token_algorithm_not_allowed', 'The token algorithm is not allowed.', error);
  if (error instanceof errors.JWKSNoMatchingKey) return new TokenRejectedError('token_unknown_key', 'The token was signed with a key the issuer does not publish.', error);
  return new TokenRejectedError('token_invalid', 'The token is malformed or its signature does not verify.', error);
}

export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const now = options.now ?? Date.now;
  const byIssuer = new Map<string, IssuerEntry>();
  const byId = new Map<string, IssuerEntry>();
  for (const config of options.issuers) {
    const jwks = createJwksCache({
      uri: config.jwks_uri,
      cacheMs: config.jwks_cache_seconds * 1000,
      minRefreshIntervalMs: config.jwks_refresh_min_interval_seconds * 1000,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const entry = { config, jwks };
    byIssuer.set(config.issuer, entry);
    byId.set(config.id, entry);
  }

  return {
    jwksFetches: (issuerId) => byId.get(issuerId)?.jwks.fetches ?? 0,
    async verify(token) {
      // Outside the try: jose failing to load is the gateway's fault (500), not the token's.
      const jose = await loadJose();
      const { decodeJwt, decodeProtectedHeader, jwtVerify } = jose;
      let entry: IssuerEntry | undefined;
      try {
        // Unverified reads, only to pick the issuer and refuse bad algorithms before any key lookup.
        const header = decodeProtectedHeader(token);
        const claimedIssuer = decodeJwt(token).iss;
        entry = claimedIssuer === undefined ? undefined : byIssuer.get(claimedIssuer);
        if (!entry) throw new TokenRejectedError('token_issuer_mismatch', 'The token issuer is not trusted.');
        const algorithms: readonly string[] = entry.config.algorithms;
        if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
          throw new TokenRejectedError('token_algorithm_not_allowed', 'The token algorithm is not allowed.');
        }
        const { payload } = await jwtVerify(token, entry.jwks.getKey, {
          issuer: entry.config.issuer,
          audience: entry.config.audience,
          algorithms: [...entry.config.algorithms],
          clockTolerance: entry.config.clock_skew_seconds,
          currentDate: new Date(now()),
          requiredClaims: ['exp'],
        });
        return principalFromClaims(entry.config, payload);
      } catch (error) {
        // identity_provider_unavailable is the gateway's problem, not the token's: keep its 503.
        if (error instanceof GatewayError && !(error instanceof TokenRejectedError)) throw error;
        throw rejection(error, jose);
      }
    },
  };
}
