/**
 * `azure-openai`: Azure OpenAI Service. The wire body is OpenAI's, so this is the shared
 * OpenAI base with Azure's dialect: the model travels in the URL as a *deployment name*
 * (`deployment.models` maps target model → deployment name), the version is pinned by the
 * `api-version` query parameter, and the key goes in an `api-key` header. Private-endpoint
 * hosts are just a different base_url.
 */
import type { AdapterFactory } from '../provider-adapter.js';
import { createOpenAIStyleAdapter } from '../openai-compatible/openai-compatible-base.js';
import { z } from 'zod';
import { defineProvider } from '../provider-definition.js';

/** The GA version that has stream_options.include_usage and max_completion_tokens. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export const createAzureOpenAIAdapter: AdapterFactory = (options) => {
  const apiVersion = encodeURIComponent(options.deployment.api_version ?? DEFAULT_AZURE_API_VERSION);
  return createOpenAIStyleAdapter(options, {
    path: (operation, deploymentName) =>
      `/openai/deployments/${encodeURIComponent(deploymentName)}/${operation}?api-version=${apiVersion}`,
    authHeaders: (apiKey): Record<string, string> => (apiKey === undefined ? {} : { 'api-key': apiKey }),
    // Azure's reasoning deployments (o1, o3…) reject max_tokens; every current version knows the new name.
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
  });
};

/** Azure OpenAI; each resource has its own host, so there is no default base URL. */
export const azureOpenAIProvider = defineProvider({
  id: 'azure-openai',
  options: {
    /** Azure OpenAI `api-version` query parameter. */
    api_version: z.string().optional(),
  },
  usesNetwork: true,
  create: createAzureOpenAIAdapter,
});
