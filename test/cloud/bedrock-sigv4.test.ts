import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema, type DeploymentConfig } from '../../src/assembly/config-schema.js';
import type { HttpTransport } from '../../src/providers/http-transport.js';
import { createBedrockAdapterWith } from '../../src/providers/bedrock/index.js';
import { createAdapter } from '../../src/providers/registry.js';
import { createUpstreamPool } from '../../src/providers/upstream-pool.js';
import type { StreamPart } from '../../src/model/stream-part.js';
import { CONFORMANCE_REQUESTS } from '../support/providers/conformance-requests.js';
import { startBedrockStandIn, type BedrockStandIn } from './bedrock-stand-in.js';

/**
 * The Bedrock adapter against a loopback stand-in that verifies SigV4 exactly as AWS does
 * (bedrock-stand-in.ts): the signature is recomputed from the received request, so a wrong
 * secret, a body changed after signing and a stale signing date are all refused.
 */
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/bedrock/__fixtures__/${name}`, import.meta.url)), 'utf8');
const KEY = { accessKeyId: 'AKIASTANDIN0000BEDRK', secretAccessKey: 'stand-in/bedrock/secret+key/0123456789abcd' };
const TEMPORARY = { accessKeyId: 'ASIASTANDIN0000TEMP1', secretAccessKey: 'temporary/secret/0123456789abcdefghijklmn', sessionToken: 'IQoJb3JpZ2luX2VjEStandInSessionToken1' };
const signal = new AbortController().signal;

let standIn: BedrockStandIn;
let now = Date.now();

beforeAll(async () => {
  standIn = await startBedrockStandIn({
    region: 'eu-central-1',
    keys: [KEY, { ...TEMPORARY, expiresAt: Date.now() + 3600_000 }],
    replies: { converse: fixture('chat.response.json'), 'converse-stream': fixture('chat-stream.response.events.json'), invoke: fixture('embeddings.response.json') },
    now: () => now,
  });
});
afterAll(() => standIn.close());

function deploymentWith(credentials: Record<string, unknown>): DeploymentConfig {
  return deploymentSchema.parse({
    id: 'bedrock-standin',
    tier: 'private-cloud',
    provider: 'bedrock',
    base_url: standIn.url,
    bedrock: { region: 'eu-central-1', credentials },
    models: { chat: 'anthropic.claude-3-5-haiku-20241022-v1:0', embed: 'cohere.embed-english-v3' },
  });
}

const staticKeys = { source: 'static', access_key_id: '${env:KEY_ID}', secret_access_key: '${env:SECRET}' };
const secrets = (values: Record<string, string>) => (reference: string) => {
  const name = /^\$\{env:([^}]+)\}$/.exec(reference)?.[1] ?? '';
  const value = values[name];
  if (value === undefined) throw new Error(`environment variable ${name} is not set`);
  return value;
};

describe('bedrock against a SigV4-verifying stand-in', () => {
  it('chat, stream and embeddings succeed with static keys from the config (through the registry and a real pool)', async () => {
    const adapter = createAdapter(deploymentWith(staticKeys), secrets({ KEY_ID: KEY.accessKeyId, SECRET: KEY.secretAccessKey }));
    const chat = await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal });
    expect(chat.choices[0]?.message.content).toBe('Hello.');
    expect(chat.id).toMatch(/^standin-/);
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, model: 'chat', stream: true }, { signal })) parts.push(part);
    expect(parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('')).toBe('Hello there.');
    const embedded = await adapter.embed({ model: 'embed', input: ['a', 'b'] }, { signal });
    expect(embedded.embeddings).toHaveLength(2);
    expect(standIn.accepted.map((request) => request.path)).toEqual([
      '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
      '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream',
      '/model/cohere.embed-english-v3/invoke',
    ]);
    await adapter.close();
  });

  it('a wrong secret is refused by the signature check and surfaces as upstream_auth_failed without the secret', async () => {
    const wrong = 'stand-in/bedrock/WRONG+key/0123456789abcd';
    const adapter = createAdapter(deploymentWith(staticKeys), secrets({ KEY_ID: KEY.accessKeyId, SECRET: wrong }));
    const error = await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 403, message: expect.stringContaining('signature we calculated does not match') });
    expect(JSON.stringify(error) + String(error)).not.toContain(wrong);
    expect(standIn.refusals.at(-1)?.type).toBe('InvalidSignatureException');
    await adapter.close();
  });

  it('a body changed after signing is refused', async () => {
    const deployment = deploymentWith(staticKeys);
    const pool = createUpstreamPool(deployment);
    // The tamperer even fixes up the payload-hash header: only the signature can catch it.
    const tampering: HttpTransport = {
      request: (request) => {
        const body = (request.body ?? '').replace('Say hello.', 'Say goodbye.');
        return pool.request({ ...request, body, headers: { ...request.headers, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') } });
      },
      close: () => pool.close(),
    };
    const adapter = createBedrockAdapterWith({ deployment, apiKey: undefined, transport: tampering, resolveSecret: secrets({ KEY_ID: KEY.accessKeyId, SECRET: KEY.secretAccessKey }) });
    await expect(adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 403 });
    expect(standIn.refusals.at(-1)).toMatchObject({ type: 'InvalidSignatureException', message: expect.stringContaining('signature we calculated does not match') });
    await adapter.close();
  });

  it('a signing date more than five minutes off is refused as expired', async () => {
    const deployment = deploymentWith(staticKeys);
    const adapter = createBedrockAdapterWith(
      { deployment, apiKey: undefined, transport: createUpstreamPool(deployment), resolveSecret: secrets({ KEY_ID: KEY.accessKeyId, SECRET: KEY.secretAccessKey }) },
      { now: () => now - 6 * 60_000 },
    );
    await expect(adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed', message: expect.stringContaining('Signature expired') });
    await adapter.close();
  });

  it('temporary credentials carry their session token; they are refreshed before they expire', async () => {
    const deployment = deploymentWith({ source: 'default' });
    let clock = now;
    const fetched: string[] = [];
    const adapter = createBedrockAdapterWith(
      { deployment, apiKey: undefined, transport: createUpstreamPool(deployment) },
      {
        now: () => clock,
        // Stands in for the default chain (IMDS / IRSA): temporary keys valid for one hour.
        credentials: async () => {
          fetched.push(new Date(clock).toISOString());
          return { ...TEMPORARY, expiration: new Date(clock + 3600_000) };
        },
      },
    );
    await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal });
    clock += 56 * 60_000;
    now = clock;
    await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal });
    expect(fetched).toHaveLength(2);
    now = Date.now();
    await adapter.close();
  });

  it('a credential source that fails is upstream_auth_failed naming the source, and nothing is sent', async () => {
    const deployment = deploymentWith({ source: 'instance-metadata' });
    const before = standIn.accepted.length + standIn.refusals.length;
    const adapter = createBedrockAdapterWith(
      { deployment, apiKey: undefined, transport: createUpstreamPool(deployment) },
      { credentials: () => Promise.reject(Object.assign(new Error('Could not load credentials from http://169.254.169.254 token=abc'), { name: 'CredentialsProviderError' })) },
    );
    const error = await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', message: expect.stringContaining("AWS credential source 'instance-metadata' (CredentialsProviderError)") });
    expect((error as Error).message).not.toMatch(/169\.254|token=abc/);
    expect(standIn.accepted.length + standIn.refusals.length).toBe(before);
    await adapter.close();
  });
});
