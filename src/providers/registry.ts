import type { ProviderDeployment } from './deployment-schema.js';
import type { ProviderAdapter } from './provider-adapter.js';
import type { HttpTransport } from './http-transport.js';
import { findProvider } from './provider-list.js';
import { createUpstreamPool } from './upstream-pool.js';

/** A transport for providers that never open a socket (the in-process mock). */
const NO_TRANSPORT: HttpTransport = {
  request: () => Promise.reject(new Error('the mock provider makes no HTTP calls')),
  close: () => Promise.resolve(),
};

/** Builds the adapter of one deployment from its provider's definition (see provider-list.ts). */
export function createAdapter(deployment: ProviderDeployment, resolveSecret: (reference: string) => string): ProviderAdapter {
  const provider = findProvider(deployment.provider);
  // The config schema only accepts listed ids, so this is a programming error, not bad input.
  if (provider === undefined) throw new Error(`no provider '${deployment.provider}' in providers/provider-list.ts`);
  const baseUrl = deployment.base_url ?? provider.defaultBaseUrl;
  const withBase: ProviderDeployment = baseUrl === undefined ? deployment : { ...deployment, base_url: baseUrl };
  return provider.create({
    deployment: withBase,
    apiKey: deployment.api_key === undefined ? undefined : resolveSecret(deployment.api_key),
    transport: provider.usesNetwork ? createUpstreamPool(withBase) : NO_TRANSPORT,
  });
}
