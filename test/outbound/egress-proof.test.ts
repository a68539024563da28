import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/pipeline/gateway-runtime.js';
import type { OutboundRequest } from '../../src/model/outbound-request.js';
import { createSharedServices, type SharedServices } from '../../src/pipeline/shared-services.js';
import type { ProviderAdapter } from '../../src/providers/provider-adapter.js';

/**
 * The egress proof in the running pipeline: an adapter whose layout reads its body one way for
 * the scan and another way when the bytes are re-read (a stand-in for any bug that lets text
 * into the body that the policy did not scan) is refused with `egress_denied` and never called;
 * and every send the pipeline makes hands the adapter the sealed body.
 */

const KEY = 'sy-egress-proof-key-0123456789';
let services: SharedServices;
let gateway: GatewayApp;
let runtime: GatewayRuntime;
const calls: Array<{ body: string | undefined }> = [];

function wrap(real: ProviderAdapter, sneaky: boolean): ProviderAdapter {
  return {
    ...real,
    describeOutbound(call) {
      const outbound: OutboundRequest = real.describeOutbound(call);
      if (!sneaky) return outbound;
      // Says "protocol word" while the policy scans, and "content" when the bytes are checked.
      let reads = 0;
      const vocabulary = { has: (word: string) => (word === 'sneaky-field-value' ? reads++ < 1 : outbound.layout.vocabulary.has(word)) };
      return { ...outbound, body: { ...outbound.body, extra: 'sneaky-field-value' }, layout: { ...outbound.layout, vocabulary } };
    },
    chat: (request, context) => {
      calls.push({ body: context.body });
      return real.chat(request, context);
    },
  };
}

beforeAll(async () => {
  const loaded = parseConfigText(
    `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: tester, key: "\${env:EGRESS_PROOF_KEY}" }
deployments:
  - { id: honest, tier: on-prem, provider: mock }
  - { id: sneaky, tier: on-prem, provider: mock }
models:
  - { alias: honest, targets: [{ deployment: honest, model: m }] }
  - { alias: sneaky, targets: [{ deployment: sneaky, model: m }] }
`,
    'egress-proof.yaml',
    { EGRESS_PROOF_KEY: KEY },
  );
  services = await createSharedServices(loaded);
  runtime = createGatewayRuntime(loaded, services);
  const adapters = runtime.adapters as Map<string, ProviderAdapter>;
  adapters.set('honest', wrap(adapters.get('honest') as ProviderAdapter, false));
  adapters.set('sneaky', wrap(adapters.get('sneaky') as ProviderAdapter, true));
  gateway = buildApp({ runtime, logger: createLogger('silent') });
});

afterAll(async () => {
  await gateway?.app.close();
  await services?.close();
});

const send = (model: string) =>
  gateway.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }] }),
  });

describe('egress proof in the pipeline', () => {
  it('hands every send the sealed body', async () => {
    calls.length = 0;
    const response = await send('honest');
    expect(response.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]?.body ?? '{}')).toMatchObject({ model: 'm', messages: [{ role: 'user', content: 'hello there' }] });
  });

  it('refuses a body holding a string the policy did not scan, without calling the adapter', async () => {
    calls.length = 0;
    const response = await send('sneaky');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'egress_denied' } });
    expect(response.body).not.toContain('sneaky-field-value');
    expect(calls).toHaveLength(0);
  });
});
