import type { ShutdownSettings } from '../config/shutdown-schema.js';
import type { GuardConfig } from '../guard/guard-config-schema.js';
import type { Identity } from '../identity/create-identity.js';
import type { MeteringConfig } from '../metering/metering-config-schema.js';
import type { PolicyConfig } from '../policy/policy-config-schema.js';
import type { PolicyRuntime } from '../policy/apply-policy.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { ProviderDeployment } from '../providers/deployment-schema.js';
import type { ReleasesConfig } from '../releases/releases-config-schema.js';
import type { ResponsesConfig } from '../responses/responses-config-schema.js';
import type { HealthChecker } from '../routing/health-checker.js';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import type { DeploymentResilienceConfig, RateLimitsConfig, RoutingConfig } from '../routing/routing-config-schema.js';
import type { InputLimits } from '../wire/input-limits.js';
import type { SharedServices } from './shared-services.js';

/** A deployment as the stages read it: the provider's piece plus routing's resilience. */
export type RuntimeDeployment = ProviderDeployment & { resilience: DeploymentResilienceConfig };

/**
 * The loaded config as the stages and routes read it, typed by the rooms' own pieces. The
 * assembly's LoadedConfig fits it structurally; the pipeline never names the root schema
 * (docs/adr/0002-layering.md: only main.ts and cli/ use the assembly).
 */
export interface RuntimeConfig {
  config: {
    guard: GuardConfig;
    rate_limits: RateLimitsConfig;
    metering: MeteringConfig;
    releases: ReleasesConfig;
    responses: ResponsesConfig;
    routing: RoutingConfig;
    policy: PolicyConfig;
    models: ModelAliasConfig[];
    deployments: RuntimeDeployment[];
    server: { body_limit_bytes: number; trust_proxy: boolean; shutdown: ShutdownSettings; input_limits: InputLimits };
  };
  source: string;
  /** Directory relative paths in the config (secret files, models) resolve against. */
  baseDirectory: string;
}

/**
 * Everything built from one loaded config: identity, one adapter (and connection pool) per
 * deployment, alias lookup, the policy. Immutable; a reload builds a new runtime around the same
 * shared services, and requests in flight keep the runtime they started with. Built by
 * assembly/create-gateway-runtime.ts.
 */
export interface GatewayRuntime {
  loaded: RuntimeConfig;
  identity: Identity;
  /** Roles are enforced once any role is configured; without roles, keys carry their own limits. */
  rolesEnforced: boolean;
  aliases: ReadonlyMap<string, ModelAliasConfig>;
  deployments: ReadonlyMap<string, RuntimeDeployment>;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  policy: PolicyRuntime;
  services: SharedServices;
  /** Active health checks, when any deployment enables them. */
  health: HealthChecker | undefined;
  /** Closes this runtime's connection pools and probes (not the shared services). */
  close(): Promise<void>;
}
