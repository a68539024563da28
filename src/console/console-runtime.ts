import type { IdentityConfig } from '../identity/identity-config-schema.js';
import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';
import type { ConsoleConfig } from './console-config-schema.js';

/**
 * The runtime as the console reads it: the pipeline's runtime plus the config pieces only the
 * console needs (its own settings, the OIDC issuers it signs in against) and secret resolution.
 * The assembly's runtime fits it structurally; the console never names the root schema.
 */
export type ConsoleRuntime = GatewayRuntime & {
  loaded: GatewayRuntime['loaded'] & { config: { console: ConsoleConfig; identity: IdentityConfig }; secret(reference: string): string };
};
