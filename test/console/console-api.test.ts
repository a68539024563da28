import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAdvise } from '../../src/advisor/run-advise.js';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { consoleConfigSchema } from '../../src/console/console-config-schema.js';
import type { ConsoleRuntime } from '../../src/console/console-runtime.js';
import { createConsoleAdvisor } from '../../src/advisor/console-advisor.js';
import { registerConsole } from '../../src/console/register-console.js';
import { createRollupStore } from '../../src/console/rollup-store.js';
import { createRollupSubscriber, type RollupSubscriber } from '../../src/console/rollup-subscriber.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime, type AssembledRuntime } from '../../src/assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../../src/assembly/create-shared-services.js';
import { startOidcIssuerStandIn, type OidcIssuerStandIn } from '../support/oidc-issuer-stand-in.js';

/**
 * The console's HTTP contract, in process: sign-in (admin key and OIDC + PKCE against a local
 * issuer), cookie attributes, CSRF, scopes, forwarded admin calls, dashboards and the advisor.
 */
const ADMIN = 'admin-key-for-console-tests-0123456789';
const CLIENT_ID = 'switchyard-console';
const ADVISOR_EXAMPLE = new URL('../../examples/advisor/hospital-group-resilience.yaml', import.meta.url);

let issuer: OidcIssuerStandIn;
let services: SharedServices;
let gateway: GatewayApp<AssembledRuntime>;
let rollup: RollupSubscriber;
const consoleRoutes: Array<{ method: string; url: string }> = [];

function config(issuerUrl: string): string {
  return `
storage: { url: "sqlite::memory:" }
identity:
  bootstrap_admin_key: \${env:ADMIN}
  key_store: { secret: "\${env:KEY_SECRET}" }
  oidc:
    issuers:
      - id: corp
        issuer: ${issuerUrl}
        audience: ${CLIENT_ID}
        jwks_uri: ${issuerUrl}/jwks
        claims: { department: dept }
        group_roles: { sy-admins: [console-admin], sy-auditors: [auditor] }
  roles:
    console-admin: { admin_scopes: ["*"] }
    auditor: { admin_scopes: [audit:read] }
    key-reader: { admin_scopes: [keys:read] }
    user: { models: ["*"], tiers: ["*"], max_data_class: restricted }
console:
  oidc: { issuer: corp, client_id: ${CLIENT_ID} }
deployments:
  - { id: local, tier: on-prem, provider: mock, mock: { reply: echo } }
models:
  - { alias: chat, targets: [{ deployment: local, model: mock-1 }] }
`;
}

beforeAll(async () => {
  issuer = await startOidcIssuerStandIn({ clientId: CLIENT_ID });
  const loaded = parseConfigText(config(issuer.issuer), 'console-test.yaml', { ADMIN, KEY_SECRET: 'k'.repeat(40) });
  services = await createSharedServices(loaded);
  const store = createRollupStore(services.storage.executor);
  rollup = createRollupSubscriber({ store, bucketSeconds: 300, retentionDays: 7, flushSeconds: 0 });
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent'), observers: [rollup.observe] });
  gateway.app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/console/api/')) for (const method of [route.method].flat()) if (method !== 'HEAD') consoleRoutes.push({ method, url: route.url });
  });
  registerConsole(gateway.app, { runtime: () => gateway.holder.current, rollup: store, advisor: createConsoleAdvisor() });
});
afterAll(async () => {
  await gateway?.app.close();
  await services?.close();
  await issuer?.close();
});

/** Signs in with a key; returns the cookie header to send and the CSRF token. */
async function signIn(key: string): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const response = await gateway.app.inject({ method: 'POST', url: '/console/api/session', payload: { key } });
  expect(response.statusCode, response.body).toBe(200);
  const setCookie = String(response.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0] as string, csrf: response.json().csrf_token as string, setCookie };
}

describe('console sign-in with an admin key', () => {
  it('sets an httpOnly, SameSite=Strict session cookie scoped to /console, Secure only behind TLS', async () => {
    const { setCookie } = await signIn(ADMIN);
    expect(setCookie).toMatch(/^sy_console=[\w-]{43}; Path=\/console; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain('Secure');
    expect(setCookie).not.toContain(ADMIN);
  });

  it('refuses a key without admin scopes, and calls without a session, with OpenAI-style errors', async () => {
    const created = await gateway.app.inject({ method: 'POST', url: '/admin/keys', headers: { authorization: `Bearer ${ADMIN}` }, payload: { owner: 'app', roles: ['user'] } });
    const refused = await gateway.app.inject({ method: 'POST', url: '/console/api/session', payload: { key: created.json().key } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('access_denied_admin_scope');
    const anonymous = await gateway.app.inject({ method: 'GET', url: '/console/api/dashboards' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'console_session_required', type: 'authentication_error' } });
  });

  it('needs the CSRF token on writes; with it, creates a key shown once that then serves a real request', async () => {
    const { cookie, csrf } = await signIn(ADMIN);
    const without = await gateway.app.inject({ method: 'POST', url: '/console/api/keys', headers: { cookie }, payload: { owner: 'team-a' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_token_invalid');
    const crossOrigin = await gateway.app.inject({ method: 'POST', url: '/console/api/keys', headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example', host: 'localhost' }, payload: { owner: 'team-a' } });
    expect(crossOrigin.statusCode).toBe(403);

    const created = await gateway.app.inject({ method: 'POST', url: '/console/api/keys', headers: { cookie, 'x-csrf-token': csrf }, payload: { owner: 'team-a', department: 'claims', roles: ['user'] } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = created.json().key as string;
    const listed = await gateway.app.inject({ method: 'GET', url: '/console/api/keys', headers: { cookie } });
    expect(listed.body).not.toContain(key);

    const chat = await gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: { model: 'chat', messages: [{ role: 'user', content: 'hello console' }] } });
    expect(chat.statusCode, chat.body).toBe(200);
    await rollup.flush();
    const dashboards = await gateway.app.inject({ method: 'GET', url: '/console/api/dashboards?range=1h&department=claims', headers: { cookie } });
    expect(dashboards.statusCode).toBe(200);
    expect(dashboards.json().totals).toMatchObject({ requests: 1, ok: 1, success_rate: 1 });
    expect(dashboards.json().departments.map((entry: { department: string }) => entry.department)).toContain('claims');
  });

  it('holds every page to its admin scope, and a revoked key ends its session', async () => {
    const admin = await signIn(ADMIN);
    const created = await gateway.app.inject({ method: 'POST', url: '/console/api/keys', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { owner: 'reader', roles: ['key-reader'] } });
    const reader = await signIn(created.json().key);
    expect((await gateway.app.inject({ method: 'GET', url: '/console/api/keys', headers: { cookie: reader.cookie } })).statusCode).toBe(200);
    for (const url of ['/console/api/dashboards', '/console/api/audit', '/console/api/budgets', '/console/api/releases']) {
      const response = await gateway.app.inject({ method: 'GET', url, headers: { cookie: reader.cookie } });
      expect([url, response.statusCode, response.json().error.code]).toEqual([url, 403, 'access_denied_admin_scope']);
    }
    const write = await gateway.app.inject({ method: 'POST', url: '/console/api/keys', headers: { cookie: reader.cookie, 'x-csrf-token': reader.csrf }, payload: { owner: 'x' } });
    expect(write.statusCode).toBe(403);

    await gateway.app.inject({ method: 'POST', url: `/console/api/keys/${created.json().id}/revoke`, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await gateway.app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: reader.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('signs out: the session is gone on the server', async () => {
    const { cookie, csrf } = await signIn(ADMIN);
    const out = await gateway.app.inject({ method: 'DELETE', url: '/console/api/session', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await gateway.app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('console sign-in with OIDC (authorization code + PKCE)', () => {
  async function startLogin(): Promise<{ callback: URL; loginCookie: string }> {
    const start = await gateway.app.inject({ method: 'GET', url: '/console/api/oidc/start', headers: { host: 'console.test' } });
    expect(start.statusCode).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://console.test/console/api/oidc/callback');
    const loginCookie = String(start.headers['set-cookie']);
    expect(loginCookie).toContain('SameSite=Lax');
    const issued = await fetch(authorize, { redirect: 'manual' });
    return { callback: new URL(String(issued.headers.get('location'))), loginCookie: loginCookie.split(';')[0] as string };
  }

  it('signs a user in through the issuer, maps groups to roles, and keeps the token server-side', async () => {
    issuer.user = { sub: 'alice', groups: ['sy-auditors'], dept: 'security' };
    const { callback, loginCookie } = await startLogin();
    const back = await gateway.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { cookie: loginCookie } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('url=/console/');
    const session = String(back.headers['set-cookie']);
    expect(session).toMatch(/sy_console=[\w-]+; Path=\/console;.*HttpOnly; SameSite=Strict/);
    const cookie = session.split(';')[0] as string;
    const me = await gateway.app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie } });
    expect(me.json()).toMatchObject({ principal: { id: 'alice', kind: 'user', department: 'security' }, scopes: ['audit:read'], method: 'oidc' });
    expect(me.body).not.toMatch(/eyJ/); // no token reaches the browser
    expect((await gateway.app.inject({ method: 'GET', url: '/console/api/audit', headers: { cookie } })).statusCode).toBe(200);
    expect((await gateway.app.inject({ method: 'GET', url: '/console/api/keys', headers: { cookie } })).statusCode).toBe(403);
  });

  it('refuses a callback without the browser-bound state, and a replayed code', async () => {
    issuer.user = { sub: 'mallory', groups: ['sy-admins'] };
    const { callback, loginCookie } = await startLogin();
    const noCookie = await gateway.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    expect(noCookie.statusCode).toBe(401);
    // The state is single-use: the same link cannot be completed afterwards either.
    const replay = await gateway.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { cookie: loginCookie } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toContain('unknown or expired');
  });
});

describe('console advisor', () => {
  it('produces the same JSON report as `switchyard advise --format json` for the same answers', async () => {
    const { cookie, csrf } = await signIn(ADMIN);
    const file = parseYaml(readFileSync(ADVISOR_EXAMPLE, 'utf8')) as Record<string, unknown>;
    for (const lang of ['en', 'zh-TW'] as const) {
      const response = await gateway.app.inject({ method: 'POST', url: '/console/api/advisor', headers: { cookie, 'x-csrf-token': csrf }, payload: { ...file, lang } });
      expect(response.statusCode, response.body).toBe(200);
      let printed = '';
      const stdout = new Writable({ write: (chunk: Buffer, _encoding, done) => ((printed += chunk.toString('utf8')), done()) });
      const code = await runAdvise({ answers: ADVISOR_EXAMPLE.pathname, format: 'json', lang }, { stdin: process.stdin, stdout, stderr: stdout });
      expect(code).toBe(0);
      expect(response.json().report).toEqual(JSON.parse(printed));
    }
    const bad = await gateway.app.inject({ method: 'POST', url: '/console/api/advisor', headers: { cookie, 'x-csrf-token': csrf }, payload: { answers: { data_egress: 'sometimes' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('data_egress');
  });
});

describe('docs/console.md', () => {
  const documentation = readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
  const apiTable = documentation.slice(documentation.indexOf("## The console's API"));

  it('documents every console API route, and nothing else', () => {
    expect(consoleRoutes.length).toBeGreaterThan(15);
    for (const route of consoleRoutes) expect(apiTable, `${route.method} ${route.url}`).toContain(route.url);
    const documented = [...apiTable.matchAll(/`(?:[A-Z]+(?:`\/`[A-Z]+)? )?(\/console\/api\/[\w/:]+)/g)].map((match) => match[1]);
    expect(documented.length).toBeGreaterThan(15);
    for (const url of documented) expect(consoleRoutes.map((route) => route.url), url).toContain(url);
  });

  it('serves no console at all with console.enabled: false', async () => {
    const app = Fastify();
    // A stand-in with only what the console reads; a whole runtime would need storage and identity.
    const runtime = { loaded: { config: { console: { enabled: false } } } } as unknown as ConsoleRuntime;
    registerConsole(app, { runtime: () => runtime, rollup: {} as never, advisor: createConsoleAdvisor() });
    expect((await app.inject('/console/')).statusCode).toBe(404);
    expect((await app.inject('/console/api/info')).statusCode).toBe(404);
    await app.close();
  });
});

describe('console cookies behind TLS', () => {
  it('marks the session cookie Secure when the request came over TLS (secure_cookies: auto)', async () => {
    const app = Fastify({ trustProxy: true });
    const principal = { id: 'ops', kind: 'key' as const, roles: [], tags: {} };
    const runtime = {
      loaded: { config: { console: consoleConfigSchema.parse({}), identity: { oidc: { issuers: [] } } } },
      identity: { authenticator: { authenticate: async () => principal }, policy: { scopesOf: () => new Set(['audit:read']) } },
    } as unknown as ConsoleRuntime; // only the fields sign-in reads, as above
    registerConsole(app, { runtime: () => runtime, rollup: {} as never, advisor: createConsoleAdvisor(), assetDirectory: '/nonexistent' });
    const overTls = await app.inject({ method: 'POST', url: '/console/api/session', headers: { 'x-forwarded-proto': 'https' }, payload: { key: 'any' } });
    expect(String(overTls.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const plain = await app.inject({ method: 'POST', url: '/console/api/session', payload: { key: 'any' } });
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
    await app.close();
  });
});
