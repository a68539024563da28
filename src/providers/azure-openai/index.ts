/**
 * `azure-openai`: Azure OpenAI Service. The wire body is OpenAI's, so this is the shared
 * OpenAI base with Azure's dialect: the model travels in the URL as a *deployment name*
 * (`deployment.models` maps target model → deployment name), the version is pinned by the
 * `api-version` query parameter, and the credential is either an `api-key` header or, with
 * `auth: entra`, a Microsoft Entra ID bearer token (many tenants disable key auth).
 * Private-endpoint hosts are just a different base_url.
 */
import type { TokenCredential, TokenCredentialOptions } from '@azure/identity';
import type { AdapterFactory, AdapterFactoryOptions, ProviderAdapter } from '../provider-adapter.js';
import { createOpenAIStyleAdapter } from '../openai-compatible/openai-compatible-base.js';
import { createBearerToken } from '../cloud-credentials/bearer-token.js';
import { requireSecretResolver } from '../cloud-credentials/require-secret-resolver.js';
import { entraAccessToken, entraCredential, entraSourceName } from './entra-token.js';
import { z } from 'zod';
import { defineProvider } from '../provider-definition.js';
import { entraOptionsSchema } from './entra-options-schema.js';

/** The GA version that has stream_options.include_usage and max_completion_tokens. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export interface AzureTestHooks {
  /** Replaces the credential built from the `entra` block. */
  credential?: TokenCredential;
  /** Library options for the credential built from config (authority host, TLS trust). */
  credentialOptions?: TokenCredentialOptions;
  now?: () => number;
}

export const createAzureOpenAIAdapter: AdapterFactory = (options) => createAzureOpenAIAdapterWith(options);

export function createAzureOpenAIAdapterWith(options: AdapterFactoryOptions, hooks: AzureTestHooks = {}): ProviderAdapter {
  const { deployment } = options;
  const apiVersion = encodeURIComponent(deployment.api_version ?? DEFAULT_AZURE_API_VERSION);
  const entra = deployment.auth === 'entra' ? deployment.entra : undefined;
  if (deployment.auth === 'entra' && entra === undefined) throw new Error(`deployment '${deployment.id}': auth: entra needs an 'entra' block`);
  const bearer =
    entra === undefined
      ? undefined
      : createBearerToken({
          deploymentId: deployment.id,
          source: entraSourceName(entra),
          fetch: entraAccessToken(async () => hooks.credential ?? entraCredential(entra, requireSecretResolver(options), hooks.credentialOptions)),
          ...(hooks.now !== undefined ? { now: hooks.now } : {}),
        });
  return createOpenAIStyleAdapter(options, {
    path: (operation, deploymentName) =>
      `/openai/deployments/${encodeURIComponent(deploymentName)}/${operation}?api-version=${apiVersion}`,
    authHeaders: (apiKey): Record<string, string> => (apiKey === undefined ? {} : { 'api-key': apiKey }),
    // Azure's reasoning deployments (o1, o3…) reject max_tokens; every current version knows the new name.
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
    ...(bearer !== undefined ? { bearer } : {}),
  });
}

/** Azure OpenAI; each resource has its own host, so there is no default base URL. */
export const azureOpenAIProvider = defineProvider({
  id: 'azure-openai',
  options: {
    /** Azure OpenAI `api-version` query parameter. */
    api_version: z.string().optional(),
    /** How the deployment authenticates: its `api_key` (default), or an Entra ID token (`entra`). */
    auth: z.enum(['api-key', 'entra']).optional(),
    /** The Entra ID identity for `auth: entra`. */
    entra: entraOptionsSchema.optional(),
  },
  checkDeployment: checkAzureAuth,
  usesNetwork: true,
  create: createAzureOpenAIAdapter,
});

/** `auth: entra` and its `entra` block go together, and exclude an api_key. */
function checkAzureAuth(deployment: Readonly<Record<string, unknown>>): Array<{ path: string[]; message: string }> {
  if (deployment.auth === 'entra') {
    return [
      ...(deployment.entra === undefined ? [{ path: ['auth'], message: "auth: entra needs an 'entra' block (credential: client-secret, workload-identity, managed-identity or default)" }] : []),
      ...(deployment.api_key !== undefined ? [{ path: ['api_key'], message: 'auth: entra sends an Entra ID token; remove api_key' }] : []),
    ];
  }
  return deployment.entra !== undefined ? [{ path: ['entra'], message: "an 'entra' block needs auth: entra" }] : [];
}
