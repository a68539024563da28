import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createVertexAdapterWith } from './index.js';

const GEMINI_FIXTURES = fileURLToPath(new URL('./__fixtures__/gemini', import.meta.url));
const ANTHROPIC_FIXTURES = fileURLToPath(new URL('./__fixtures__/anthropic', import.meta.url));
const base = {
  tier: 'private-cloud',
  provider: 'vertex',
  base_url: 'https://europe-west4-aiplatform.googleapis.com/v1',
  vertex: { project: 'acme-genai-prod', location: 'europe-west4' },
};
const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
const token = async () => ({ value: 'ya29.test-access-token', expiresAt: NOW + 3600_000 });
const signal = new AbortController().signal;
const PREFIX = '/projects/acme-genai-prod/locations/europe-west4/publishers';

const geminiDeployment = deploymentSchema.parse({
  ...base,
  id: 'vertex-gemini',
  models: { 'test-model': 'gemini-2.0-flash', 'test-embedding-model': 'text-embedding-005', 'test-embed': 'text-multilingual-embedding-002' },
});
const createGemini = (transport: FixtureTransport) => createVertexAdapterWith({ deployment: geminiDeployment, apiKey: undefined, transport }, { accessToken: token, now: () => NOW });

runProviderConformance({
  name: 'vertex (gemini)',
  createAdapter: createGemini,
  fixtures: {
    directory: GEMINI_FIXTURES,
    paths: {
      chat: `${PREFIX}/google/models/gemini-2.0-flash:generateContent`,
      chatStream: `${PREFIX}/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse`,
      embeddings: `${PREFIX}/google/models/text-embedding-005:predict`,
    },
    headers: { authorization: 'Bearer ya29.test-access-token', 'content-type': 'application/json' },
  },
});

const claudeDeployment = deploymentSchema.parse({
  ...base,
  id: 'vertex-claude',
  headers: { 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
  models: { 'test-model': 'claude-sonnet-4@20250514', 'test-embedding-model': 'claude-sonnet-4@20250514' },
});
const createClaude = (transport: FixtureTransport) => createVertexAdapterWith({ deployment: claudeDeployment, apiKey: undefined, transport }, { accessToken: token, now: () => NOW });

runProviderConformance({
  name: 'vertex (anthropic)',
  createAdapter: createClaude,
  fixtures: {
    directory: ANTHROPIC_FIXTURES,
    paths: {
      chat: `${PREFIX}/anthropic/models/claude-sonnet-4%4020250514:rawPredict`,
      chatStream: `${PREFIX}/anthropic/models/claude-sonnet-4%4020250514:streamRawPredict`,
    },
    headers: { authorization: 'Bearer ya29.test-access-token', 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
  },
});

describe('vertex specifics', () => {
  it('sends no API key header and no anthropic-version header: the token and the body carry both', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(ANTHROPIC_FIXTURES, 'chat.response.json') });
    await createClaude(transport).chat(CONFORMANCE_REQUESTS.chat, { signal });
    const sent = transport.lastRequest();
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBeUndefined();
    expect(sent.json).toMatchObject({ anthropic_version: 'vertex-2023-10-16' });
    expect(sent.json).not.toHaveProperty('model');
  });

  it('fetches a token once and reuses it until five minutes before it expires', async () => {
    let now = NOW;
    let fetched = 0;
    const transport = new FixtureTransport();
    const adapter = createVertexAdapterWith(
      { deployment: geminiDeployment, apiKey: undefined, transport },
      { accessToken: async () => ({ value: `token-${++fetched}`, expiresAt: NOW + 3600_000 }), now: () => now },
    );
    for (const at of [0, 54 * 60_000, 55 * 60_000]) {
      now = NOW + at;
      transport.enqueue({ body: readFixture(GEMINI_FIXTURES, 'chat.response.json') });
      await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    }
    expect(transport.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('a token that cannot be fetched is upstream_auth_failed, and nothing is sent', async () => {
    const transport = new FixtureTransport();
    const adapter = createVertexAdapterWith(
      { deployment: geminiDeployment, apiKey: undefined, transport },
      { accessToken: () => Promise.reject(Object.assign(new Error('invalid_grant: key 1234 for sa@acme.iam revoked; assertion eyJhbGciOi...'), { code: '400' })), now: () => NOW },
    );
    const error = await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', status: 502 });
    expect((error as Error).message).not.toMatch(/eyJ|invalid_grant|sa@acme/);
    expect((error as Error).cause).toBeUndefined();
    expect(transport.requests).toHaveLength(0);
  });
});
