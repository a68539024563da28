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
  /** Used when a deployment gives no `base_url`; without one a networked provider requires it. */
  readonly defaultBaseUrl?: string;
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
