import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime } from '../../src/assembly/create-gateway-runtime.js';
import type { GatewayRuntime } from '../../src/pipeline/gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../../src/assembly/create-shared-services.js';
import type { HealthChange } from '../../src/routing/health-checker.js';
import { startBedrockStandIn, type BedrockStandIn } from './bedrock-stand-in.js';
import { startTokenStandIn, type TokenStandIn } from './token-stand-in.js';

/**
 * The whole gateway, in process, with a Bedrock deployment whose secret key is wrong and a
 * Vertex deployment whose workload token is forged, both against loopback stand-ins that quote
 * the offending values back in their error bodies (as real identity services partly do). The
 * client gets upstream_auth_failed, health checks mark both deployments unhealthy, and no
 * credential — secret key, session token, signature, JWT — appears in the response bodies, the
 * health reasons or any log line (captured at trace level).
 */
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/${path}`, import.meta.url)), 'utf8');
const POOL_AUDIENCE = '//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/switchyard/providers/standin';
const RIGHT = { accessKeyId: 'AKIASTANDIN00REDACT1', secretAccessKey: 'right/secret/key/0123456789abcdefghijklmn' };
const WRONG_SECRET = 'wrong/SECRET/key/ZYXWVUTSRQPONMLKJIHGFEDCBA';
const CLIENT_KEY = 'sk-redaction-client-key-0123456789';

let bedrock: BedrockStandIn;
let tokens: TokenStandIn;
let services: SharedServices;
let runtime: GatewayRuntime;
let gateway: GatewayApp;
let forgedToken = '';
const logLines: string[] = [];
const healthChanges: HealthChange[] = [];

beforeAll(async () => {
  bedrock = await startBedrockStandIn({ region: 'eu-west-1', keys: [RIGHT], replies: { converse: fixture('bedrock/__fixtures__/chat.response.json'), 'converse-stream': '[]' } });
  tokens = await startTokenStandIn({ googleAudience: POOL_AUDIENCE, entra: { tenant: 't', clientId: 'c', clientSecret: 's' }, replies: { vertex: '{}', azure: '{}' } });
  const directory = mkdtempSync(join(tmpdir(), 'redaction-'));
  const genuine = await tokens.workloadToken({ audience: POOL_AUDIENCE, subject: 'system:serviceaccount:ai:switchyard' });
  forgedToken = `${genuine.slice(0, -10)}AAAAAAAAAA`;
  writeFileSync(join(directory, 'subject.jwt'), forgedToken);
  const keyFile = join(directory, 'workload-identity.json');
  writeFileSync(
    keyFile,
    JSON.stringify({ type: 'external_account', audience: POOL_AUDIENCE, subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_url: `${tokens.httpUrl}/google/v1/token`, credential_source: { file: join(directory, 'subject.jwt') } }),
  );
  const config = `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: client, key: "\${env:CLIENT_KEY}" }
deployments:
  - id: bedrock-eu
    tier: private-cloud
    provider: bedrock
    base_url: ${bedrock.url}
    bedrock:
      region: eu-west-1
      credentials: { source: static, access_key_id: "\${env:AWS_KEY_ID}", secret_access_key: "\${env:AWS_SECRET}" }
    resilience: { health_check: { enabled: true, interval_ms: 600000, path: /model/x/converse, unhealthy_after: 1 } }
  - id: vertex-eu
    tier: private-cloud
    provider: vertex
    base_url: ${tokens.httpUrl}/vertex/v1
    vertex: { project: acme-genai-prod, location: europe-west4, credentials: { source: key-file, path: ${keyFile} } }
    resilience: { health_check: { enabled: true, interval_ms: 600000, path: /models, unhealthy_after: 1 } }
models:
  - { alias: claude, targets: [{ deployment: bedrock-eu, model: anthropic.claude-3-5-haiku-20241022-v1:0 }] }
  - { alias: gemini, targets: [{ deployment: vertex-eu, model: gemini-2.0-flash }] }
`;
  const loaded = parseConfigText(config, 'redaction.yaml', { CLIENT_KEY, AWS_KEY_ID: RIGHT.accessKeyId, AWS_SECRET: WRONG_SECRET });
  services = await createSharedServices(loaded);
  runtime = createGatewayRuntime(loaded, services);
  runtime.health?.onChange((change) => healthChanges.push(change));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  gateway = buildApp({ runtime, logger: createLogger('trace', sink) });
});

afterAll(async () => {
  await gateway.app.close();
  await runtime.close();
  await services.close();
  await Promise.all([bedrock.close(), tokens.close()]);
});

function expectNoCredential(text: string): void {
  expect(text).not.toContain(WRONG_SECRET);
  expect(text).not.toContain(RIGHT.secretAccessKey);
  expect(text).not.toContain(forgedToken.slice(0, 40));
  expect(text).not.toContain(forgedToken.slice(-30));
  expect(text).not.toContain(CLIENT_KEY);
  expect(text).not.toMatch(/AWS4-HMAC-SHA256|Signature=[0-9a-f]{16}|eyJ[A-Za-z0-9_-]{10,}/);
}

describe('cloud credential failures through the gateway', () => {
  for (const [alias, what] of [
    ['claude', 'a wrong AWS secret key'],
    ['gemini', 'a forged workload identity token'],
  ] as const) {
    it(`${what}: the client gets upstream_auth_failed with no credential in the body`, async () => {
      const response = await gateway.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
        payload: { model: alias, messages: [{ role: 'user', content: 'hello' }] },
      });
      expect(response.statusCode).toBe(502);
      expect(response.json()).toMatchObject({ error: { code: 'upstream_auth_failed' } });
      expectNoCredential(response.body);
    });
  }

  it('health checks mark both deployments unhealthy, with reasons free of credentials', async () => {
    await runtime.health?.checkNow();
    expect(runtime.health?.isHealthy('bedrock-eu')).toBe(false);
    expect(runtime.health?.isHealthy('vertex-eu')).toBe(false);
    expect(healthChanges.map((change) => change.deployment).sort()).toEqual(['bedrock-eu', 'vertex-eu']);
    for (const change of healthChanges) expectNoCredential(change.reason);
    expect(healthChanges.find((change) => change.deployment === 'vertex-eu')?.reason).toMatch(/could not obtain credentials .*(invalid_grant|HTTP 400)/);
  });

  it('no log line carries a credential (the stand-ins quoted them back)', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expectNoCredential(logLines.join('\n'));
    // The stand-ins did see (and quote) the offending values, so the test would notice a leak.
    expect(bedrock.refusals.length).toBeGreaterThan(0);
    expect(tokens.refusals.some((refusal) => refusal.route === 'google-sts')).toBe(true);
  });
});
