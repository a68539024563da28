import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../src/assembly/config-schema.js';
import { createAzureOpenAIAdapterWith } from '../../src/providers/azure-openai/index.js';
import { createUpstreamPool } from '../../src/providers/upstream-pool.js';
import { CONFORMANCE_REQUESTS } from '../support/providers/conformance-requests.js';
import { FEDERATION_AUDIENCE, startTokenStandIn, type TokenStandIn } from './token-stand-in.js';

/**
 * Azure OpenAI with Entra workload identity and managed identity against the loopback stand-ins
 * (token-stand-in.ts). @azure/identity does the real work — WorkloadIdentityCredential's
 * client-assertion grant with the federated token file, ManagedIdentityCredential's App Service
 * source (selected by IDENTITY_ENDPOINT + IDENTITY_HEADER) — and the API verifies the JWT it gets
 * against the stand-in's JWKS. Its own file because MSAL keeps the managed identity source and
 * its token cache in static fields: one process per file keeps that state to these tests.
 */
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/${path}`, import.meta.url)), 'utf8');
const SUBJECT = 'system:serviceaccount:ai:switchyard';
const IDENTITY_HEADER = 'standin-identity-header-5f1c9e7a';
const ENTRA = { tenant: 'standin-tenant', clientId: '6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d', clientSecret: 'unused', federatedSubject: SUBJECT, identityHeader: IDENTITY_HEADER };
const signal = new AbortController().signal;
const chat = { ...CONFORMANCE_REQUESTS.chat, model: 'chat' };
// Variables that would select another managed identity source (or the AKS token exchange) than App Service.
const MANAGED_IDENTITY_VARIABLES = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_AUTHORITY_HOST'];

let standIn: TokenStandIn;
const directory = mkdtempSync(join(tmpdir(), 'entra-identities-'));

beforeAll(async () => {
  standIn = await startTokenStandIn({ googleAudience: 'unused', entra: ENTRA, replies: { vertex: '{}', azure: fixture('azure-openai/__fixtures__/chat.response.json') } });
});
afterAll(() => standIn.close());

function adapterFor(entra: Record<string, unknown>) {
  const deployment = deploymentSchema.parse({
    id: 'azure-entra-standin',
    tier: 'private-cloud',
    provider: 'azure-openai',
    base_url: `${standIn.httpUrl}/azure`,
    auth: 'entra',
    entra,
    models: { chat: 'gpt-4o-mini-prod' },
  });
  return createAzureOpenAIAdapterWith(
    { deployment, apiKey: undefined, transport: createUpstreamPool(deployment), resolveSecret: () => '' },
    // Only the trust for the stand-in's certificate and skipping Microsoft's instance discovery are test-specific.
    { credentialOptions: { tlsOptions: { ca: standIn.certificate }, disableInstanceDiscovery: true } as never },
  );
}

describe('azure-openai with Entra workload identity (federated token file → local authority)', () => {
  const workloadAdapter = (token: string, name: string) => {
    const tokenFile = join(directory, `${name}.jwt`);
    writeFileSync(tokenFile, token);
    return adapterFor({ credential: 'workload-identity', tenant_id: ENTRA.tenant, client_id: ENTRA.clientId, token_file: tokenFile, authority_host: standIn.httpsUrl });
  };

  it('presents the federated token as client assertion; the authority checks it and the API verifies the token it issued', async () => {
    const adapter = workloadAdapter(await standIn.workloadToken({ audience: FEDERATION_AUDIENCE, subject: SUBJECT }), 'good');
    const response = await adapter.chat(chat, { signal });
    expect(response.choices[0]?.message.content).toBeTruthy();
    expect(standIn.issued.at(-1)).toEqual({ kind: 'entra-federated', subject: SUBJECT });
    expect(standIn.accepted.at(-1)?.route).toBe('azure');
    await adapter.close();
  });

  const refused = [
    ['expired', () => standIn.workloadToken({ audience: FEDERATION_AUDIENCE, subject: SUBJECT, expiresInSeconds: -60 }), 'ERR_JWT_EXPIRED'],
    ['for another subject', () => standIn.workloadToken({ audience: FEDERATION_AUDIENCE, subject: 'system:serviceaccount:ai:intruder' }), 'no_matching_federated_credential'],
    ['forged', async () => `${(await standIn.workloadToken({ audience: FEDERATION_AUDIENCE, subject: SUBJECT })).slice(0, -8)}AAAAAAAA`, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
  ] as const;
  it.each(refused)('an %s federated token is upstream_auth_failed naming Entra, never the token', async (name, token, reason) => {
    const federated = await token();
    const adapter = workloadAdapter(federated, name.replaceAll(' ', '-'));
    const before = standIn.accepted.length;
    const error = await adapter.chat(chat, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', status: 502, message: expect.stringContaining('Entra ID (workload-identity)') });
    expect((error as Error).message).not.toContain(federated.split('.')[1]);
    expect((error as Error).message).not.toContain('AADSTS');
    expect(standIn.refusals.at(-1)).toEqual({ route: 'entra-token', reason });
    expect(standIn.accepted.length).toBe(before);
    await adapter.close();
  });
});

describe('azure-openai with Entra managed identity (App Service endpoint → local stand-in)', () => {
  const saved = new Map<string, string | undefined>();
  beforeAll(() => {
    for (const name of MANAGED_IDENTITY_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.IDENTITY_ENDPOINT = `${standIn.httpUrl}/msi/token`;
    process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  });
  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  // MSAL caches the source (with the header it read) and its tokens process-wide, so the refusal
  // runs first, by the endpoint no longer accepting the header the gateway sends.
  it('a header the endpoint does not accept is upstream_auth_failed naming Entra, never the header', async () => {
    standIn.rotateIdentityHeader('rotated-identity-header-0000');
    try {
      const adapter = adapterFor({ credential: 'managed-identity' });
      const before = standIn.accepted.length;
      const error = await adapter.chat(chat, { signal }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'upstream_auth_failed', status: 502, message: expect.stringContaining('Entra ID (managed-identity)') });
      expect((error as Error).message).not.toContain(IDENTITY_HEADER);
      expect(standIn.refusals.at(-1)).toEqual({ route: 'managed-identity', reason: 'bad_identity_header' });
      expect(standIn.accepted.length).toBe(before);
      await adapter.close();
    } finally {
      standIn.rotateIdentityHeader(IDENTITY_HEADER);
    }
  });

  it('sends the identity header and the resource; the API verifies the token the endpoint returned', async () => {
    const adapter = adapterFor({ credential: 'managed-identity' });
    const response = await adapter.chat(chat, { signal });
    expect(response.choices[0]?.message.content).toBeTruthy();
    expect(standIn.issued.at(-1)).toEqual({ kind: 'managed-identity', subject: 'system-assigned' });
    expect(standIn.accepted.at(-1)?.route).toBe('azure');
    await adapter.close();
  });
});
