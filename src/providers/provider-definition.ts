import type { z } from 'zod';
import type { AdapterFactory } from './provider-adapter.js';

/**
 * What a provider folder exports about itself: everything the gateway needs to know to accept
 * `provider: <id>` in a deployment and to build its adapter. The config schema's provider list,
 * the vendor fields of a deployment and the default base URLs all derive from the list of these
 * in `provider-list.ts`, so adding a provider is one folder plus one line there.
 */
export interface ProviderDefinition<Id extends string = string, Options extends z.ZodRawShape = z.ZodRawShape> {
  /** The `provider:` value in a deployment. */
  readonly id: Id;
  /**
   * Deployment fields only this vendor reads (Azure's `api_version`, the mock's `mock:` block),
   * each optional; they are merged into the one strict deployment schema.
   */
  readonly options: Options;
  /**
   * Used when a deployment gives no `base_url`; without one a networked provider requires it.
   * A function when the public endpoint depends on the deployment (a cloud region or location);
   * it sees the deployment as parsed and reads its own options from it.
   */
  readonly defaultBaseUrl?: string | ((deployment: Readonly<Record<string, unknown>>) => string | undefined);
  /**
   * Checks of this provider's fields together that one schema per field cannot express (a
   * cloud provider's required block, `auth: entra` needing its `entra` block). Sees the raw
   * deployment; paths are relative to it. Each field's own shape is the schema's job.
   */
  readonly checkDeployment?: (deployment: Readonly<Record<string, unknown>>) => Array<{ path: string[]; message: string }>;
  /** False for providers that never open a socket (the in-process mock): they get no connection pool. */
  readonly usesNetwork: boolean;
  readonly create: AdapterFactory;
}

/** Keeps the literal id and option shape in the definition's type, so derived lists stay precise. */
export function defineProvider<const Id extends string, const Options extends z.ZodRawShape>(
  definition: ProviderDefinition<Id, Options>,
): ProviderDefinition<Id, Options> {
  return definition;
}

/** True when a deployment of this provider must name its `base_url` (no default, and it calls out). */
export function requiresBaseUrl(definition: ProviderDefinition): boolean {
  return definition.usesNetwork && definition.defaultBaseUrl === undefined;
}

/** The default base URL of a provider for one deployment, if it has one. */
export function defaultBaseUrlOf(definition: ProviderDefinition, deployment: Readonly<Record<string, unknown>>): string | undefined {
  const fallback = definition.defaultBaseUrl;
  return typeof fallback === 'function' ? fallback(deployment) : fallback;
}
