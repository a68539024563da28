import type { DeploymentConfig, ProviderId } from '../config/config-schema.js';
import type { AdapterFactory, ProviderAdapter } from './provider-adapter.js';
import type { HttpTransport } from './http-transport.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/index.js';
import { createAzureOpenAIAdapter } from './azure-openai/index.js';
import { createAnthropicAdapter } from './anthropic/index.js';
import { createGeminiAdapter } from './gemini/index.js';
import { createMockAdapter } from './mock/index.js';
import { createUpstreamPool } from './upstream-pool.js';

/** The only file that knows every vendor: provider id → adapter factory. */
const FACTORIES: Record<ProviderId, AdapterFactory> = {
  'openai-compatible': createOpenAICompatibleAdapter,
  'azure-openai': createAzureOpenAIAdapter,
  anthropic: createAnthropicAdapter,
  gemini: createGeminiAdapter,
  mock: createMockAdapter,
};

const DEFAULT_BASE_URLS: Partial<Record<ProviderId, string>> = {
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

/** A transport for the in-process mock, which never opens a socket. */
const NO_TRANSPORT: HttpTransport = {
  request: () => Promise.reject(new Error('the mock provider makes no HTTP calls')),
  close: () => Promise.resolve(),
};

export function createAdapter(deployment: DeploymentConfig, resolveSecret: (reference: string) => string): ProviderAdapter {
  const baseUrl = deployment.base_url ?? DEFAULT_BASE_URLS[deployment.provider];
  const withBase: DeploymentConfig = baseUrl === undefined ? deployment : { ...deployment, base_url: baseUrl };
  return FACTORIES[deployment.provider]({
    deployment: withBase,
    apiKey: deployment.api_key === undefined ? undefined : resolveSecret(deployment.api_key),
    transport: deployment.provider === 'mock' ? NO_TRANSPORT : createUpstreamPool(withBase),
  });
}
