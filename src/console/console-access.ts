import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { AccessDeniedError } from '../identity/identity-errors.js';
import type { AdminScope } from '../identity/identity-config-schema.js';
import type { Principal } from '../model/principal.js';
import type { ConsoleRuntime } from './console-runtime.js';
import { readCookie, sameToken, type ConsoleSession, type SessionStore } from './console-session.js';

export const SESSION_COOKIE = 'sy_console';

/** What a console call runs as: the session, its principal, and the headers to act with. */
export interface ConsoleCaller {
  session: ConsoleSession;
  principal: Principal;
  scopes: ReadonlySet<AdminScope>;
  /** `Authorization: Bearer <credential>`, for calls the console forwards to the admin API. */
  authorization: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session from the cookie, re-authenticated now (a revoked key or expired token fails here),
 * with CSRF checked on every write: the `x-csrf-token` header must equal the session's token, and
 * an Origin header, when sent, must be this host. With `scope`, that admin scope is required.
 */
export async function authorizeConsole(runtime: ConsoleRuntime, sessions: SessionStore, request: FastifyRequest, scope?: AdminScope): Promise<ConsoleCaller> {
  const session = sessions.get(readCookie(request.headers.cookie, SESSION_COOKIE));
  if (!session) throw new GatewayError('console_session_required', 'Sign in to the console first: POST /console/api/session with an admin key, or use single sign-on.');
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (!sameToken(typeof header === 'string' ? header : undefined, session.csrfToken)) {
      throw new GatewayError('csrf_token_invalid', "Send the session's csrf_token (GET /console/api/session) in the x-csrf-token header.");
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null' && new URL(origin).host !== request.headers.host) {
      throw new GatewayError('csrf_token_invalid', `Cross-origin writes are refused (Origin ${origin}).`);
    }
  }
  const authorization = `Bearer ${session.credential}`;
  let principal: Principal;
  try {
    principal = await runtime.identity.authenticator.authenticate({ headers: { authorization }, clientAddress: request.ip });
  } catch (error) {
    // The credential behind the session stopped working: the session ends with it.
    if (error instanceof GatewayError && error.status === 401) sessions.delete(session.id);
    throw error;
  }
  const scopes = runtime.identity.policy.scopesOf(principal);
  if (scope !== undefined) {
    const decision = runtime.identity.policy.decide(principal, { adminScope: scope });
    if (!decision.allowed) throw new AccessDeniedError(decision);
  }
  return { session, principal, scopes, authorization };
}
