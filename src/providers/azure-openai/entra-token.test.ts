import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential, WorkloadIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { entraOptionsSchema } from './entra-options-schema.js';
import { entraAccessToken, entraCredential } from './entra-token.js';

describe('entraCredential', () => {
  it.each([
    [{ credential: 'client-secret', tenant_id: 'contoso.onmicrosoft.com', client_id: 'app', client_secret: '${env:SECRET}' }, ClientSecretCredential],
    [{ credential: 'workload-identity', tenant_id: 'contoso.onmicrosoft.com', client_id: 'app', token_file: '/var/run/secrets/azure/tokens/azure-identity-token' }, WorkloadIdentityCredential],
    [{ credential: 'managed-identity' }, ManagedIdentityCredential],
    [{ credential: 'managed-identity', client_id: 'user-assigned' }, ManagedIdentityCredential],
    [{ credential: 'default' }, DefaultAzureCredential],
  ])('%o builds a %o (without any network call)', async (options, type) => {
    const resolved: string[] = [];
    const credential = await entraCredential(entraOptionsSchema.parse(options), (reference) => {
      resolved.push(reference);
      return 'client-secret-value';
    });
    expect(credential).toBeInstanceOf(type);
    expect(resolved).toEqual(options.credential === 'client-secret' ? ['${env:SECRET}'] : []);
  });

  it('asks for the Azure OpenAI scope and builds the credential once', async () => {
    let built = 0;
    const scopes: unknown[] = [];
    const fetch = entraAccessToken(async () => {
      built += 1;
      return { getToken: async (scope: string | string[]) => (scopes.push(scope), { token: 't', expiresOnTimestamp: 2, refreshAfterTimestamp: 1 }) };
    });
    expect(await fetch()).toEqual({ value: 't', expiresAt: 2, refreshAt: 1 });
    await fetch();
    expect(built).toBe(1);
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default', 'https://cognitiveservices.azure.com/.default']);
  });
});
