import { createHash } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import { sameToken, token } from './console-session.js';

/**
 * OIDC authorization code flow with PKCE (RFC 7636, S256) for console sign-in. This file only
 * obtains the ID token; the gateway's own OIDC verifier (identity.oidc.issuers) checks its
 * signature, issuer, audience and expiry when the session uses it, exactly as for API calls.
 */
export interface ConsoleOidcSettings {
  /** The issuer URL (`iss`), from identity.oidc.issuers[].issuer. */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: readonly string[];
}

interface PendingLogin {
  verifier: string;
  nonce: string;
  redirectUri: string;
  createdAt: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** A login has this long to come back from the issuer. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1_000;

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export interface ConsoleOidcClient {
  /** The issuer's authorization URL to send the browser to, and the state to bind to it. */
  start(redirectUri: string): Promise<{ url: string; state: string }>;
  /** Exchanges the code for an ID token; `cookieState` is the state the browser's cookie carries. */
  finish(parameters: { code?: string; state?: string; error?: string }, cookieState: string | undefined): Promise<{ idToken: string; expiresAt?: number }>;
}

export function createConsoleOidcClient(settings: ConsoleOidcSettings, options: { now?: () => number; fetch?: typeof fetch } = {}): ConsoleOidcClient {
  const now = options.now ?? Date.now;
  const http = options.fetch ?? fetch;
  const pending = new Map<string, PendingLogin>();
  let discovery: Promise<Discovery> | undefined;

  const discover = (): Promise<Discovery> => {
    discovery ??= (async () => {
      const response = await http(`${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const body = (await response.json()) as Partial<Discovery>;
      if (typeof body.authorization_endpoint !== 'string' || typeof body.token_endpoint !== 'string') throw new Error('discovery lacks authorization_endpoint or token_endpoint');
      return { authorization_endpoint: body.authorization_endpoint, token_endpoint: body.token_endpoint };
    })().catch((error: unknown) => {
      discovery = undefined; // try again on the next sign-in
      throw new GatewayError('upstream_unavailable', `The sign-in issuer could not be reached (${(error as Error).message}); check console.oidc and the issuer.`, { status: 502 });
    });
    return discovery;
  };

  const sweep = () => {
    for (const [state, login] of pending) if (now() - login.createdAt > PENDING_TTL_MS || pending.size > MAX_PENDING) pending.delete(state);
  };

  return {
    async start(redirectUri) {
      const endpoints = await discover();
      sweep();
      const state = token();
      const login: PendingLogin = { verifier: token(), nonce: token(), redirectUri, createdAt: now() };
      pending.set(state, login);
      const url = new URL(endpoints.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: settings.scopes.join(' '),
        state,
        nonce: login.nonce,
        code_challenge: s256(login.verifier),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), state };
    },

    async finish(parameters, cookieState) {
      if (parameters.error) throw new GatewayError('invalid_request', `The issuer refused the sign-in: ${parameters.error.slice(0, 100)}.`, { status: 401 });
      const state = parameters.state ?? '';
      const login = pending.get(state);
      pending.delete(state);
      // The state must be one we issued, to this browser (login CSRF), and recent.
      if (!login || !sameToken(cookieState, state) || now() - login.createdAt > PENDING_TTL_MS) {
        throw new GatewayError('invalid_request', 'This sign-in link is unknown or expired; start again from /console.', { status: 401 });
      }
      if (!parameters.code) throw new GatewayError('invalid_request', "The issuer's answer has no 'code'.", { status: 401 });
      const endpoints = await discover();
      const form = new URLSearchParams({ grant_type: 'authorization_code', code: parameters.code, redirect_uri: login.redirectUri, client_id: settings.clientId, code_verifier: login.verifier });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (settings.clientSecret !== undefined) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`;
      const response = await http(endpoints.token_endpoint, { method: 'POST', headers, body: form.toString(), signal: AbortSignal.timeout(10_000) });
      const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
      if (!response.ok || typeof body.id_token !== 'string') {
        throw new GatewayError('invalid_request', `The issuer did not exchange the code (${typeof body.error === 'string' ? body.error.slice(0, 100) : response.status}); start again from /console.`, { status: 401 });
      }
      // jose is imported on first sign-in: a gateway whose console has no OIDC never loads it.
      const { decodeJwt } = await import('jose');
      const claims = decodeJwt(body.id_token);
      // The nonce ties the token to this login; the verifier checks everything else.
      if (claims.nonce !== login.nonce) throw new GatewayError('invalid_request', 'The ID token is not for this sign-in (nonce mismatch).', { status: 401 });
      return { idToken: body.id_token, ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}) };
    },
  };
}
