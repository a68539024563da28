/**
 * Deployment config → a Microsoft Entra ID token source for Azure OpenAI, via @azure/identity
 * (which runs MSAL: client-credential grants, the workload-identity token exchange, the managed
 * identity endpoints). `extra` passes library options through (tests point the authority at a
 * local stand-in and trust its certificate). The library is loaded on first use, so configs
 * without Entra never pay for it.
 */
import type { TokenCredential, TokenCredentialOptions } from '@azure/identity';
import type { Expiring } from '../cloud-credentials/cached-credential.js';
import { AZURE_OPENAI_SCOPE, type EntraOptions } from './entra-options-schema.js';

export async function entraCredential(options: EntraOptions, resolveSecret: (reference: string) => string, extra: TokenCredentialOptions = {}): Promise<TokenCredential> {
  const { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential, WorkloadIdentityCredential } = await import('@azure/identity');
  switch (options.credential) {
    case 'client-secret':
      return new ClientSecretCredential(options.tenant_id, options.client_id, resolveSecret(options.client_secret), {
        ...extra,
        ...(options.authority_host !== undefined ? { authorityHost: options.authority_host } : {}),
      });
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        ...extra,
        ...(options.tenant_id !== undefined ? { tenantId: options.tenant_id } : {}),
        ...(options.client_id !== undefined ? { clientId: options.client_id } : {}),
        ...(options.token_file !== undefined ? { tokenFilePath: options.token_file } : {}),
        ...(options.authority_host !== undefined ? { authorityHost: options.authority_host } : {}),
      });
    case 'managed-identity':
      return options.client_id === undefined ? new ManagedIdentityCredential(extra) : new ManagedIdentityCredential(options.client_id, extra);
    case 'default':
      return new DefaultAzureCredential(extra);
  }
}

/** Fetches a token for Azure OpenAI's scope; `refreshAt` follows Entra's refresh_in hint when given. */
export function entraAccessToken(credential: () => Promise<TokenCredential>): () => Promise<Expiring<string>> {
  let built: Promise<TokenCredential> | undefined;
  return async () => {
    built ??= credential();
    const token = await (await built).getToken(AZURE_OPENAI_SCOPE);
    if (token === null) throw Object.assign(new Error('no token'), { name: 'NoAccessToken' });
    return {
      value: token.token,
      expiresAt: token.expiresOnTimestamp,
      ...(token.refreshAfterTimestamp !== undefined ? { refreshAt: token.refreshAfterTimestamp } : {}),
    };
  };
}

export const entraSourceName = (options: EntraOptions) => `Entra ID (${options.credential})`;
