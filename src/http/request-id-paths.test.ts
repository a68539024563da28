import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { createGatewayRuntime } from '../assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices } from '../assembly/create-shared-services.js';
import { createLogger } from '../observability/logger.js';
import { buildApp, type GatewayApp } from './app.js';

// x-request-id moved from an onSend hook to the first onRequest hook (df65c56): every reply path
// that used to pass the onSend hook must still carry it.
const CONFIG = `
storage: { url: "sqlite::memory:" }
server: { body_limit_bytes: 2048 }
auth:
  keys:
    - { id: demo, key: "\${env:RID_TEST_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: mock-1 }] }
`;

let gateway: GatewayApp;
let services: AssembledServices;
const auth = { authorization: 'Bearer rid-test-key' };

beforeAll(async () => {
  const loaded = parseConfigText(CONFIG, 'rid-test.yaml', { RID_TEST_KEY: 'rid-test-key' });
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
});
afterAll(async () => {
  await gateway.app.close();
  await services.close();
});

describe('x-request-id on error replies', () => {
  it('is on 413, 415 and 405 answers (a malformed URL, answered by the fastify router before any hook, had none before either)', async () => {
    const answers = await Promise.all([
      gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json', 'x-request-id': 'id-413' }, payload: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }) }),
      gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/xml', 'x-request-id': 'id-415' }, payload: '<a/>' }),
      gateway.app.inject({ method: 'DELETE', url: '/v1/chat/completions', headers: { ...auth, 'x-request-id': 'id-405' } }),
    ]);
    expect(answers.map((answer) => [answer.statusCode, answer.headers['x-request-id']])).toEqual([
      [413, 'id-413'],
      [415, 'id-415'],
      [405, 'id-405'],
    ]);
  });
});
