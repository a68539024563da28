import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A local OpenID provider for tests: discovery, JWKS, an authorization endpoint that signs the
 * configured user in at once, and a token endpoint that enforces PKCE (S256) like a real one.
 * Keys are made per instance; nothing leaves 127.0.0.1.
 */
export interface OidcIssuerStandIn {
  issuer: string;
  jwksUri: string;
  /** Claims of the user the next /authorize signs in (sub, groups, department, …). */
  user: Record<string, unknown>;
  /** Token requests refused so far, with the reason (for assertions). */
  refusals: string[];
  close(): Promise<void>;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
}

export async function startOidcIssuerStandIn(options: { clientId: string; user?: Record<string, unknown> }): Promise<OidcIssuerStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const refusals: string[] = [];
  let issuer = '';

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, code_challenge_methods_supported: ['S256'] });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const parameter = (name: string) => url.searchParams.get(name) ?? '';
      if (parameter('client_id') !== options.clientId || parameter('code_challenge_method') !== 'S256' || parameter('response_type') !== 'code') {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { clientId: parameter('client_id'), redirectUri: parameter('redirect_uri'), challenge: parameter('code_challenge'), nonce: parameter('nonce') });
      const back = new URL(parameter('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', parameter('state'));
      response.writeHead(302, { location: back.toString() });
      return response.end();
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? ''); // one use only
        const verifier = form.get('code_verifier') ?? '';
        const refuse = (reason: string) => {
          refusals.push(reason);
          json(400, { error: 'invalid_grant', error_description: reason });
        };
        if (!issued) return refuse('unknown code');
        if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return refuse('PKCE verifier does not match');
        if (form.get('redirect_uri') !== issued.redirectUri || form.get('client_id') !== issued.clientId) return refuse('redirect_uri or client_id differs');
        void new SignJWT({ ...standIn.user, nonce: issued.nonce })
          .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
          .setIssuer(issuer)
          .setAudience(issued.clientId)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey)
          .then((idToken) => json(200, { id_token: idToken, access_token: 'unused', token_type: 'Bearer', expires_in: 600 }));
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const standIn: OidcIssuerStandIn = {
    issuer,
    jwksUri: `${issuer}/jwks`,
    user: options.user ?? { sub: 'alice', groups: ['sy-admins'], dept: 'security' },
    refusals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return standIn;
}
