import type { DeploymentConfig, ModelAliasConfig } from '../config/config-schema.js';
import type { LoadedConfig } from '../config/load-config.js';
import { createStaticKeyAuthenticator, type Authenticator } from '../identity/static-key-authenticator.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { createAdapter } from '../providers/registry.js';
import { createPolicyRuntime, type PolicyRuntime } from '../policy/apply-policy.js';
import { createSharedServices, type SharedServices } from './shared-services.js';

/**
 * Everything built from one loaded config: authenticator, one adapter (and connection pool)
 * per deployment, alias lookup. Immutable; a reload builds a new runtime.
 */
export interface GatewayRuntime {
  loaded: LoadedConfig;
  authenticator: Authenticator;
  aliases: ReadonlyMap<string, ModelAliasConfig>;
  deployments: ReadonlyMap<string, DeploymentConfig>;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  policy: PolicyRuntime;
  /** Long-lived state shared with the runtimes before and after a reload. */
  services: SharedServices;
  /** Closes this runtime's connection pools (not the shared services). */
  close(): Promise<void>;
}

/** `services` defaults to fresh ones (tests); the server passes the long-lived set. */
export function createGatewayRuntime(loaded: LoadedConfig, services: SharedServices = createSharedServices(loaded)): GatewayRuntime {
  const { config } = loaded;
  const resolveSecret = (reference: string) => loaded.secret(reference);
  const adapters = new Map(config.deployments.map((deployment) => [deployment.id, createAdapter(deployment, resolveSecret)]));
  return {
    loaded,
    authenticator: createStaticKeyAuthenticator(config.auth.keys, resolveSecret),
    aliases: new Map(config.models.map((model) => [model.alias, model])),
    deployments: new Map(config.deployments.map((deployment) => [deployment.id, deployment])),
    adapters,
    policy: createPolicyRuntime(config.policy, { baseDir: loaded.baseDirectory, resolveSecret }),
    services,
    async close() {
      await Promise.allSettled([...adapters.values()].map((adapter) => adapter.close()));
    },
  };
}
