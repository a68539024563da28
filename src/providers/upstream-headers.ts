import type { ProviderDeployment } from './deployment-schema.js';

/**
 * Headers for an upstream JSON call. Order matters: the deployment's extra `headers` may
 * override defaults (e.g. a proxy wanting its own `user-agent`), but not the credentials the
 * adapter derives from `api_key` — a configured key always goes where the vendor expects it.
 */
export function upstreamHeaders(
  deployment: ProviderDeployment,
  authHeaders: Record<string, string>,
  options: { stream: boolean },
): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: options.stream ? 'text/event-stream' : 'application/json',
    ...lowerCaseKeys(deployment.headers),
    ...authHeaders,
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The model name this deployment knows a target model by (Azure: its deployment name). */
export function resolveUpstreamModel(deployment: ProviderDeployment, model: string): string {
  return deployment.models[model] ?? model;
}
