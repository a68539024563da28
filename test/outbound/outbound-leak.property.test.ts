import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime } from '../../src/assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../../src/assembly/create-shared-services.js';
import { anthropicMessagesBody, embeddingsBody, openAIChatBody, plantInString, plantSplit, type Json } from './inbound-arbitraries.js';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';
import { restrictedValueArbitrary } from './restricted-values.js';
import { completionsBody, responsesBody } from './responses-arbitraries.js';

/**
 * The egress promise as a property, over the real inbound decoders, pipeline and adapters: plant
 * a restricted value (valid national ID or card number) anywhere in a generated request — any
 * string or key at any depth, or split across two adjacent text parts — send it through every
 * adapter (and a failover to a different one), and the bytes that reach the `api` tier never
 * contain it. Two policies: keep restricted data on-prem, and mask it on the way to the API.
 *
 * CI runs a fixed seed; `npm run test:deep` sets SWITCHYARD_DEEP=1 for a larger random run.
 */

const DEEP = process.env.SWITCHYARD_DEEP === '1';
const RUNS = DEEP ? 400 : 20;
const SEED = DEEP ? Date.now() : 1_212;

const KEY = 'sy-property-test-key-0123456789';
const CHAT_ALIASES = ['via-openai', 'via-azure', 'via-anthropic', 'via-gemini', 'via-failover'];
const EMBED_ALIASES = ['embed-openai', 'embed-azure', 'embed-gemini'];

const KEEP_ON_PREM = `
    - { name: restricted-on-prem, match: { data_class_at_least: restricted }, allow_tiers: [on-prem] }
    - { name: default, allow_tiers: [api, on-prem] }`;
const MASK_FOR_API = `
    - { name: unscanned-on-prem, match: { has_unscanned_content: true }, allow_tiers: [on-prem] }
    - { name: mask-for-api, mask: [TW_NATIONAL_ID, CREDIT_CARD], allow_tiers: [api, on-prem] }`;

// The generated OpenAI bodies use response_format, which Anthropic cannot honour: without
// drop_unsupported those requests would be routed to the on-prem mock and never reach Anthropic.
const DROP = ' drop_unsupported: [response_format, seed, n],';

function config(api: string, rules: string): string {
  const onPrem = (alias: string, deployment: string, model: string, type = '') =>
    `  - { alias: ${alias},${type} targets: [{ deployment: ${deployment}, model: ${model}, weight: 1 }, { deployment: onprem, model: local, weight: 0 }] }`;
  return `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: tester, key: "\${env:PROPERTY_KEY}" }
routing: { retry: { max_attempts: 3, base_backoff_ms: 1, max_backoff_ms: 2 } }
deployments:
  - { id: openai-api, tier: api, provider: openai-compatible, base_url: "${api}/v1" }
  - { id: azure-api, tier: api, provider: azure-openai, base_url: "${api}", api_version: "2024-10-21" }
  - { id: anthropic-api, tier: api, provider: anthropic, base_url: "${api}" }
  - { id: gemini-api, tier: api, provider: gemini, base_url: "${api}/v1beta" }
  - { id: broken-api, tier: api, provider: openai-compatible, base_url: "${api}/fail/v1" }
  - { id: onprem, tier: on-prem, provider: mock, mock: { embedding_dimensions: 4 } }
models:
${onPrem('via-openai', 'openai-api', 'gpt-4o-mini')}
${onPrem('via-azure', 'azure-api', 'gpt-4o')}
${onPrem('via-anthropic', 'anthropic-api', 'claude-sonnet', DROP)}
${onPrem('via-gemini', 'gemini-api', 'gemini-2.0-flash')}
  - { alias: via-failover,${DROP} strategy: priority, targets: [{ deployment: broken-api, model: gpt-4o-mini, priority: 1 }, { deployment: anthropic-api, model: claude-sonnet, priority: 2 }, { deployment: onprem, model: local, priority: 3 }] }
${onPrem('embed-openai', 'openai-api', 'text-embedding-3-small', ' type: embedding,')}
${onPrem('embed-azure', 'azure-api', 'text-embedding-3-small', ' type: embedding,')}
${onPrem('embed-gemini', 'gemini-api', 'text-embedding-004', ' type: embedding,')}
policy:
  rules:${rules}
`;
}

interface Gateway {
  app: GatewayApp;
  services: SharedServices;
}

let upstream: RecordingUpstream;
const gateways: Record<'keep' | 'mask', Gateway | undefined> = { keep: undefined, mask: undefined };

async function startGateway(rules: string): Promise<Gateway> {
  const loaded = parseConfigText(config(upstream.url, rules), 'property.yaml', { PROPERTY_KEY: KEY });
  const services = await createSharedServices(loaded);
  return { app: buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') }), services };
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateways.keep = await startGateway(KEEP_ON_PREM);
  gateways.mask = await startGateway(MASK_FOR_API);
});

afterAll(async () => {
  for (const gateway of Object.values(gateways)) {
    await gateway?.app.app.close();
    await gateway?.services.close();
  }
  await upstream?.close();
});

type Route = '/v1/chat/completions' | '/v1/messages' | '/v1/embeddings' | '/v1/responses' | '/v1/completions';

async function send(gateway: Gateway, route: Route, body: Json): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (route === '/v1/messages') Object.assign(headers, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
  else headers.authorization = `Bearer ${KEY}`;
  const response = await gateway.app.app.inject({ method: 'POST', url: route, headers, payload: JSON.stringify(body) });
  return response.statusCode;
}

/** What reached the API tier, and whether the value (or both halves of a split one) is in it. */
function leaks(value: string, halves?: [string, string]): string[] {
  const found: string[] = [];
  for (const request of upstream.requests) {
    const whole = request.body.includes(value);
    const split = halves !== undefined && request.body.includes(halves[0]) && request.body.includes(halves[1]);
    if (whole || split) found.push(`${request.path}: ${request.body.slice(0, 2000)}`);
  }
  return found;
}

function withModel(body: Json, model: string): Json {
  return { ...(body as { [key: string]: Json }), model };
}

/** Requests that reached the API tier and HTTP statuses seen, so a property that never sends is caught. */
const reached = { api: 0, ok: 0, total: 0 };

async function checkNoLeak(policy: 'keep' | 'mask', route: Route, aliases: string[], planted: { body: Json; site: string; halves?: [string, string] }, value: string): Promise<void> {
  const gateway = gateways[policy] as Gateway;
  for (const alias of aliases) {
    upstream.clear();
    const status = await send(gateway, route, withModel(planted.body, alias));
    const leaked = leaks(value, planted.halves);
    reached.api += upstream.requests.length;
    reached.total += 1;
    if (status === 200) reached.ok += 1;
    expect(leaked, `policy ${policy}, ${route} via ${alias}, value planted in ${planted.site} (HTTP ${status})`).toEqual([]);
  }
}

const placement = fc.record({ site: fc.nat(), at: fc.nat({ max: 40 }), split: fc.boolean(), cut: fc.nat() });

describe('nothing restricted reaches the api tier, wherever it is planted', () => {
  afterAll(() => {
    // Most planted requests are valid and answered; the API tier receives a good share of them
    // (masked, or the ones whose value landed where it is dropped).
    expect(reached.ok / reached.total).toBeGreaterThan(0.6);
    expect(reached.api / reached.total).toBeGreaterThan(0.3);
  });

  for (const policy of ['keep', 'mask'] as const) {
    it(`chat completions (policy: ${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(openAIChatBody, restrictedValueArbitrary, placement, async (body, { value }, where) => {
          const planted = where.split ? plantSplit(body, value, where.cut, where.site) : plantInString(body, value, where.site, where.at);
          await checkNoLeak(policy, '/v1/chat/completions', CHAT_ALIASES, planted, value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }, 600_000);

    it(`anthropic messages (policy: ${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(anthropicMessagesBody, restrictedValueArbitrary, placement, async (body, { value }, where) => {
          const planted = where.split ? plantSplit(body, value, where.cut, where.site) : plantInString(body, value, where.site, where.at);
          await checkNoLeak(policy, '/v1/messages', CHAT_ALIASES, planted, value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }, 600_000);

    it(`responses API (policy: ${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(responsesBody, restrictedValueArbitrary, placement, async (body, { value }, where) => {
          await checkNoLeak(policy, '/v1/responses', CHAT_ALIASES, plantInString(body, value, where.site, where.at), value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }, 600_000);

    it(`legacy completions (policy: ${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(completionsBody, restrictedValueArbitrary, placement, async (body, { value }, where) => {
          await checkNoLeak(policy, '/v1/completions', CHAT_ALIASES, plantInString(body, value, where.site, where.at), value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }, 600_000);

    it(`embeddings (policy: ${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(embeddingsBody, restrictedValueArbitrary, placement, async (body, { value }, where) => {
          await checkNoLeak(policy, '/v1/embeddings', EMBED_ALIASES, plantInString(body, value, where.site, where.at), value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }, 600_000);
  }

  it('the generators reach the api tier at all (a property that never sends proves nothing)', async () => {
    upstream.clear();
    const sample = fc.sample(openAIChatBody, { numRuns: 5, seed: SEED });
    for (const body of sample) for (const alias of CHAT_ALIASES) expect([alias, await send(gateways.keep as Gateway, '/v1/chat/completions', withModel(body, alias))]).toEqual([alias, 200]);
    expect(upstream.requests.length).toBeGreaterThanOrEqual(sample.length * 4);
  });

  it('the Responses and completions generators reach the api tier too', async () => {
    upstream.clear();
    const responses = fc.sample(responsesBody, { numRuns: 5, seed: SEED });
    const completions = fc.sample(completionsBody, { numRuns: 5, seed: SEED });
    for (const alias of CHAT_ALIASES) {
      for (const body of responses) expect([alias, await send(gateways.keep as Gateway, '/v1/responses', withModel(body, alias))]).toEqual([alias, 200]);
      for (const body of completions) expect([alias, await send(gateways.keep as Gateway, '/v1/completions', withModel(body, alias))]).toEqual([alias, 200]);
    }
    expect(upstream.requests.length).toBeGreaterThanOrEqual((responses.length + completions.length) * 4);
  });
});
