import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, InvalidRequestError } from '../errors/gateway-error.js';
import type { ConsoleRuntime } from './console-runtime.js';
import { authorizeConsole, SESSION_COOKIE } from './console-access.js';
import type { ConsoleConfig } from './console-config-schema.js';
import type { ConsoleOidcClient } from './console-oidc.js';
import { readCookie, serializeCookie, type ConsoleSession, type SessionStore } from './console-session.js';

const LOGIN_COOKIE = 'sy_console_login';
const LOGIN_COOKIE_PATH = '/console/api/oidc';

export interface SignInDependencies {
  runtime: () => ConsoleRuntime;
  sessions: SessionStore;
  /** Undefined without `console.oidc`. */
  oidc: ConsoleOidcClient | undefined;
  now: () => number;
}

const signInBody = z.object({ key: z.string().min(1).max(4_096) }).strict();

const consoleConfig = (runtime: ConsoleRuntime): ConsoleConfig => runtime.loaded.config.console;

/** Secure cookies behind TLS (or when configured): `auto` reads the request's protocol (trust_proxy honours x-forwarded-proto). */
function secure(runtime: ConsoleRuntime, request: FastifyRequest): boolean {
  const setting = consoleConfig(runtime).secure_cookies;
  return setting === 'auto' ? request.protocol === 'https' : setting;
}

function setSessionCookie(runtime: ConsoleRuntime, request: FastifyRequest, reply: FastifyReply, session: ConsoleSession, now: number): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, session.id, { path: '/console', maxAgeSeconds: (session.expiresAt - now) / 1000, secure: secure(runtime, request), sameSite: 'Strict' }));
}

function describe(session: ConsoleSession, principal: { id: string; kind: string; department?: string }, scopes: Iterable<string>) {
  return {
    principal: { id: principal.id, kind: principal.kind, ...(principal.department !== undefined ? { department: principal.department } : {}) },
    scopes: [...scopes].sort(),
    method: session.method,
    csrf_token: session.csrfToken,
    expires_at: new Date(session.expiresAt).toISOString(),
  };
}

/** Sign-in (admin key or OIDC), the session's description, and sign-out. */
export function registerConsoleSignIn(app: FastifyInstance, dependencies: SignInDependencies): void {
  const { sessions, now } = dependencies;

  // Lets the page ask "am I signed in?" without a 401 logged in the browser console.
  app.get('/console/api/info', async (request) => ({
    sign_in: { admin_key: true, oidc: dependencies.oidc !== undefined },
    signed_in: sessions.get(readCookie(request.headers.cookie, SESSION_COOKIE)) !== undefined,
  }));

  app.post('/console/api/session', async (request, reply) => {
    const runtime = dependencies.runtime();
    const parsed = signInBody.safeParse(request.body);
    if (!parsed.success) throw new InvalidRequestError('Send {"key": "<admin key>"}: the bootstrap admin key or a key whose roles grant an admin scope.', 'key');
    const principal = await runtime.identity.authenticator.authenticate({ headers: { authorization: `Bearer ${parsed.data.key}` }, clientAddress: request.ip });
    const scopes = runtime.identity.policy.scopesOf(principal);
    // A key for model calls only has nothing to do in the console.
    if (scopes.size === 0) throw new GatewayError('access_denied_admin_scope', 'This key holds no admin scope; sign in with the bootstrap admin key or a key whose roles grant admin_scopes.');
    const session = sessions.create({ credential: parsed.data.key, principalId: principal.id, method: 'admin_key' });
    setSessionCookie(runtime, request, reply, session, now());
    return describe(session, principal, scopes);
  });

  app.get('/console/api/session', async (request) => {
    const caller = await authorizeConsole(dependencies.runtime(), sessions, request);
    return describe(caller.session, caller.principal, caller.scopes);
  });

  app.delete('/console/api/session', async (request, reply) => {
    const runtime = dependencies.runtime();
    const caller = await authorizeConsole(runtime, sessions, request);
    sessions.delete(caller.session.id);
    reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { path: '/console', maxAgeSeconds: 0, secure: secure(runtime, request), sameSite: 'Strict' }));
    return reply.status(204).send();
  });

  app.get('/console/api/oidc/start', async (request, reply) => {
    const runtime = dependencies.runtime();
    if (!dependencies.oidc) throw new GatewayError('not_found', 'Single sign-on is not configured for the console (console.oidc); sign in with an admin key.');
    const redirectUri = consoleConfig(runtime).oidc?.redirect_uri ?? `${request.protocol}://${request.host}/console/api/oidc/callback`;
    const { url, state } = await dependencies.oidc.start(redirectUri);
    // Lax, not Strict: the issuer's redirect back is a cross-site navigation that must carry it.
    reply.header('set-cookie', serializeCookie(LOGIN_COOKIE, state, { path: LOGIN_COOKIE_PATH, maxAgeSeconds: 600, secure: secure(runtime, request), sameSite: 'Lax' }));
    return reply.redirect(url, 302);
  });

  app.get('/console/api/oidc/callback', async (request, reply) => {
    const runtime = dependencies.runtime();
    if (!dependencies.oidc) throw new GatewayError('not_found', 'Single sign-on is not configured for the console (console.oidc).');
    const query = request.query as { code?: string; state?: string; error?: string };
    const { idToken, expiresAt } = await dependencies.oidc.finish(query, readCookie(request.headers.cookie, LOGIN_COOKIE));
    // The gateway's OIDC verifier checks signature, issuer, audience and expiry, as for API calls.
    const principal = await runtime.identity.authenticator.authenticate({ headers: { authorization: `Bearer ${idToken}` }, clientAddress: request.ip });
    const scopes = runtime.identity.policy.scopesOf(principal);
    if (scopes.size === 0) throw new GatewayError('access_denied_admin_scope', `Signed in as ${principal.id}, but no role of yours grants an admin scope; ask for one (identity.oidc.issuers[].group_roles).`);
    const session = sessions.create({ credential: idToken, principalId: principal.id, method: 'oidc', ...(expiresAt !== undefined ? { expiresAt } : {}) });
    setSessionCookie(runtime, request, reply, session, now());
    reply.header('set-cookie', serializeCookie(LOGIN_COOKIE, '', { path: LOGIN_COOKIE_PATH, maxAgeSeconds: 0, secure: secure(runtime, request), sameSite: 'Lax' }));
    // A same-site page load, not a redirect: a SameSite=Strict cookie set during a cross-site
    // navigation is not sent on its redirects, but is on a navigation this page starts.
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'")
      .type('text/html; charset=utf-8')
      .send('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/console/"><title>Switchyard</title><a href="/console/">Continue / 繼續</a>');
  });
}
