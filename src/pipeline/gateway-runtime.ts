import type { DeploymentConfig } from '../assembly/config-schema.js';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import type { LoadedConfig } from '../assembly/load-config.js';
import { createIdentity, type Identity } from '../identity/create-identity.js';
import type { AuthenticationFailure } from '../identity/composite-authenticator.js';
import { createPolicyRuntime, type PolicyRuntime } from '../policy/apply-policy.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { createAdapter } from '../providers/registry.js';
import type { SharedServices } from './shared-services.js';
import { createHealthChecker, type HealthChecker } from '../routing/health-checker.js';

/**
 * Everything built from one loaded config: identity, one adapter (and connection pool) per
 * deployment, alias lookup, the policy. Immutable; a reload builds a new runtime around the same
 * shared services, and requests in flight keep the runtime they started with.
 */
export interface GatewayRuntime {
  loaded: LoadedConfig;
  identity: Identity;
  /** Roles are enforced once any role is configured; without roles, keys carry their own limits. */
  rolesEnforced: boolean;
  aliases: ReadonlyMap<string, ModelAliasConfig>;
  deployments: ReadonlyMap<string, DeploymentConfig>;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  policy: PolicyRuntime;
  services: SharedServices;
  /** Active health checks, when any deployment enables them. */
  health: HealthChecker | undefined;
  /** Closes this runtime's connection pools and probes (not the shared services). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** The runtime being replaced: its abuse counters carry over. */
  previous?: GatewayRuntime;
  onAuthenticationFailure?: (failure: AuthenticationFailure) => void;
}

export function createGatewayRuntime(loaded: LoadedConfig, services: SharedServices, options: RuntimeOptions = {}): GatewayRuntime {
  const { config } = loaded;
  const resolveSecret = (reference: string) => loaded.secret(reference);
  const adapters = new Map(config.deployments.map((deployment) => [deployment.id, createAdapter(deployment, resolveSecret)]));
  const identity = createIdentity({
    identity: config.identity,
    staticKeys: config.auth.keys,
    resolveSecret,
    apiKeyStore: services.apiKeyStore,
    dataClasses: config.policy.data_classes,
    ...(options.previous ? { limiter: options.previous.identity.limiter } : {}),
    ...(options.onAuthenticationFailure ? { onFailure: options.onAuthenticationFailure } : {}),
  });
  const probed = config.deployments.filter((deployment) => deployment.resilience.health_check.enabled);
  const health =
    probed.length > 0
      ? createHealthChecker({
          deployments: probed.map((deployment) => ({ id: deployment.id, health: deployment.resilience.health_check })),
          probe: async (deployment, path, signal) => {
            const adapter = adapters.get(deployment);
            if (!adapter) throw new Error(`no adapter for deployment ${deployment}`);
            await adapter.probe(path, signal);
          },
        })
      : undefined;
  return {
    loaded,
    identity,
    health,
    rolesEnforced: Object.keys(config.identity.roles).length > 0,
    aliases: new Map(config.models.map((model) => [model.alias, model])),
    deployments: new Map(config.deployments.map((deployment) => [deployment.id, deployment])),
    adapters,
    policy: createPolicyRuntime(config.policy, { baseDir: loaded.baseDirectory, resolveSecret }),
    services,
    async close() {
      health?.stop();
      await Promise.allSettled([...adapters.values()].map((adapter) => adapter.close()));
    },
  };
}
