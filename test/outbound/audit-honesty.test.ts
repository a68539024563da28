import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime } from '../../src/pipeline/gateway-runtime.js';
import { createSharedServices, type SharedServices } from '../../src/pipeline/shared-services.js';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';
import { taiwanNationalId } from './restricted-values.js';

/**
 * The audit record tells the truth about what the outbound scan found: a value that the old
 * request view missed (split across parts, in a stop sequence, in a tool description) makes the
 * record `restricted` with its entity counted, and the capture mode of that class applies — so
 * it can no longer be stored in clear under the `public` mode.
 */

const KEY = 'sy-audit-honesty-key-0123456789';
const ID = taiwanNationalId('K', 1, [2, 7, 1, 8, 2, 8, 1]);

let upstream: RecordingUpstream;
let gateway: GatewayApp;
let services: SharedServices;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const loaded = parseConfigText(
    `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: tester, key: "\${env:AUDIT_HONESTY_KEY}" }
audit:
  secret: "\${env:AUDIT_HONESTY_SECRET}"
  capture: { public: full, internal: full, confidential: masked, restricted: hash }
deployments:
  - { id: cloud, tier: api, provider: openai-compatible, base_url: "${upstream.url}/v1" }
  - { id: onprem, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: cloud, model: gpt-4o-mini, weight: 1 }, { deployment: onprem, model: local, weight: 0 }] }
`,
    'audit-honesty.yaml',
    { AUDIT_HONESTY_KEY: KEY, AUDIT_HONESTY_SECRET: 'audit-honesty-secret-0123456789abcdef' },
  );
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
});

afterAll(async () => {
  await gateway?.app.close();
  await services?.close();
  await upstream?.close();
});

async function lastRecord(body: unknown) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(response.statusCode).toBe(200);
  const audit = services.audit;
  if (!audit) throw new Error('audit is not enabled');
  await audit.writer.flush();
  const page = await audit.store.query({}, 1);
  return page.records[0];
}

describe('audit records come from the outbound scan', () => {
  const cases: Array<[string, unknown]> = [
    ['split across text parts', { model: 'chat', messages: [{ role: 'user', content: [{ type: 'text', text: `ID ${ID.slice(0, 5)}` }, { type: 'text', text: `${ID.slice(5)} thanks` }] }] }],
    ['in a stop sequence', { model: 'chat', messages: [{ role: 'user', content: 'hello' }], stop: [`end ${ID}`] }],
    ['in a tool description', { model: 'chat', messages: [{ role: 'user', content: 'hello' }], tools: [{ type: 'function', function: { name: 'f', description: `for ${ID}`, parameters: { type: 'object', properties: {} } } }] }],
  ];
  for (const [name, body] of cases) {
    it(`a national ID ${name}: class restricted, entity counted, hash capture, value nowhere in the record`, async () => {
      const record = await lastRecord(body);
      expect(record?.dataClass).toBe('restricted');
      expect(record?.entities).toMatchObject({ TW_NATIONAL_ID: 1 });
      expect(record?.tier).toBe('on-prem');
      expect(record?.content?.mode).toBe('hash');
      expect(JSON.stringify(record)).not.toContain(ID.slice(5));
    });
  }

  it('public text is captured in full, as the text that was sent', async () => {
    const record = await lastRecord({ model: 'chat', messages: [{ role: 'user', content: 'Summarise unit testing.' }], user: 'analyst-7' });
    expect(record?.dataClass).toBe('public');
    expect(record?.content).toMatchObject({ mode: 'full' });
    expect(JSON.stringify(record?.content)).toContain('Summarise unit testing.');
  });
});
