import { timingSafeEqual } from 'node:crypto';
import { AuthenticationError, GatewayError } from '../errors/gateway-error.js';
import { BOOTSTRAP_ADMIN_ROLE } from './access-policy.js';
import { isWellFormedApiKey } from './api-key-format.js';
import type { ApiKeyRejection, ApiKeyService } from './api-key-service.js';
import type { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TokenRejectedError } from './identity-errors.js';
import type { OidcVerifier } from './oidc-verifier.js';
import type { Principal } from '../model/principal.js';
import { keyedDigest, presentedKey, type Authenticator } from './static-key-authenticator.js';
import { AUTH_FAILURE, publish } from '../observability/channels.js';

/** What authentication needs from a request; `clientAddress` feeds abuse protection. */
export interface AuthenticationRequest {
  headers: Record<string, string | string[] | undefined>;
  clientAddress?: string;
}

/** The asynchronous authenticator the HTTP layer calls: virtual keys and JWTs need I/O. */
export interface RequestAuthenticator {
  authenticate(request: AuthenticationRequest): Promise<Principal>;
}

/** Why a credential was refused, for logs and audit (clients see only the error code). */
export interface AuthenticationFailure {
  clientAddress: string | undefined;
  method: 'api_key' | 'jwt' | 'bootstrap';
  code: string;
  detail?: ApiKeyRejection;
}

export interface CompositeAuthenticatorOptions {
  apiKeys?: ApiKeyService;
  staticKeys?: Authenticator;
  oidc?: OidcVerifier;
  limiter?: AuthFailureLimiter;
  /** Resolved bootstrap admin key; authenticates as a principal holding every admin scope and no model. */
  bootstrapAdminKey?: string;
  onFailure?: (failure: AuthenticationFailure) => void;
}

export const BOOTSTRAP_ADMIN_ID = 'bootstrap-admin';

/** A JWS compact token has exactly two dots; virtual and config keys never do. */
export const looksLikeJwt = (credential: string): boolean => credential.split('.').length === 3;

/**
 * Resolves a request to a Principal: `Bearer <JWT>` → OIDC; otherwise the bootstrap admin key,
 * then the virtual key store, then the keys listed in config. Every refusal counts against
 * the client address; a missing credential does not (it is a client bug, not a guess).
 */
export function createCompositeAuthenticator(options: CompositeAuthenticatorOptions): RequestAuthenticator {
  const bootstrapDigest = keyedDigest();
  const bootstrap = options.bootstrapAdminKey === undefined ? undefined : bootstrapDigest(options.bootstrapAdminKey);

  // The limiter is consulted only once a credential has failed: a valid one is never slowed or
  // refused, whatever its address did before. A blocked address gets 429 instead of 401.
  const fail = async (request: AuthenticationRequest, failure: Omit<AuthenticationFailure, 'clientAddress'>, error: GatewayError): Promise<never> => {
    const reported: AuthenticationFailure = { clientAddress: request.clientAddress, ...failure };
    publish(AUTH_FAILURE, () => reported);
    options.onFailure?.(reported);
    await options.limiter?.admit(request.clientAddress);
    options.limiter?.recordFailure(request.clientAddress);
    throw error;
  };
  const invalidKey = () => new AuthenticationError('invalid_api_key', 'Incorrect API key provided.');

  return {
    async authenticate(request) {
      const credential = presentedKey(request.headers);
      if (credential === undefined) {
        throw new AuthenticationError('missing_api_key', 'You did not provide an API key. Send it as "Authorization: Bearer <key>" or "x-api-key".');
      }

      if (looksLikeJwt(credential)) {
        if (!options.oidc) return fail(request, { method: 'jwt', code: 'token_issuer_mismatch' }, new TokenRejectedError('token_issuer_mismatch', 'No token issuer is configured.'));
        try {
          return await options.oidc.verify(credential);
        } catch (error) {
          if (error instanceof TokenRejectedError) return fail(request, { method: 'jwt', code: error.code }, error);
          throw error; // identity provider unavailable: not the client's fault
        }
      }

      // Hashing first makes the comparison constant-time even for keys of other lengths.
      if (bootstrap && timingSafeEqual(bootstrap, bootstrapDigest(credential))) {
        return { id: BOOTSTRAP_ADMIN_ID, kind: 'key', roles: [BOOTSTRAP_ADMIN_ROLE], tags: {}, allowedModels: [], allowedTiers: [] };
      }

      if (options.apiKeys && isWellFormedApiKey(credential)) {
        const verdict = await options.apiKeys.verify(credential);
        if (verdict.ok) return verdict.principal;
        // Only a key the store has never seen may still be a config key; a revoked one may not.
        if (verdict.reason !== 'unknown') return fail(request, { method: 'api_key', code: 'invalid_api_key', detail: verdict.reason }, invalidKey());
      }

      if (options.staticKeys) {
        try {
          return options.staticKeys.authenticate(request.headers);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
        }
      }
      return fail(request, { method: 'api_key', code: 'invalid_api_key', detail: 'unknown' }, invalidKey());
    },
  };
}
