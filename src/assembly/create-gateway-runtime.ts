import type { LoadedConfig } from './load-config.js';
import { createIdentity } from '../identity/create-identity.js';
import type { AuthenticationFailure } from '../identity/composite-authenticator.js';
import { createPolicyRuntime } from '../policy/apply-policy.js';
import { createAdapter } from '../providers/registry.js';
import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';
import type { SharedServices } from '../pipeline/shared-services.js';
import { createHealthChecker } from '../routing/health-checker.js';

/** A runtime as the composition root holds it: the stages' view plus the whole loaded config. */
export type AssembledRuntime = GatewayRuntime & { loaded: LoadedConfig };

export interface RuntimeOptions {
  /** The runtime being replaced: its abuse counters carry over. */
  previous?: GatewayRuntime;
  onAuthenticationFailure?: (failure: AuthenticationFailure) => void;
}

/**
 * Builds everything from one loaded config: identity, one adapter (and connection pool) per
 * deployment, alias lookup, the policy. A reload builds a new runtime around the same shared
 * services; requests in flight keep the runtime they started with.
 */
export function createGatewayRuntime(loaded: LoadedConfig, services: SharedServices, options: RuntimeOptions = {}): AssembledRuntime {
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
