import { parseConfigText } from '../../src/assembly/load-config.js';
import { buildApp, type GatewayApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGatewayRuntime } from '../../src/assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../../src/assembly/create-shared-services.js';

/**
 * An in-process gateway for the Anthropic fidelity tests: Anthropic, OpenAI-compatible and mock
 * targets, aliases with and without `drop_unsupported`, a policy that keeps restricted data (and
 * anything the gateway cannot read) on-prem and masks phones and names for the API tier, and roles.
 */

export const KEYS = { dev: 'sy-anthropic-dev-key-0123456789', intern: 'sy-anthropic-intern-key-012345', admin: 'sy-anthropic-admin-key-0123456' };

export function gatewayConfig(upstream: string, extra = ''): string {
  return `${extra}
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: dev, key: "\${env:K_DEV}", roles: [dev] }
    - { id: intern, key: "\${env:K_INTERN}", roles: [intern] }
    - { id: admin, key: "\${env:K_ADMIN}", roles: [admin] }
identity:
  roles:
    dev: { models: ["*"], tiers: ["*"], max_data_class: restricted }
    intern: { models: ["*"], tiers: ["*"], max_data_class: internal }
    admin: { models: ["*"], tiers: ["*"], max_data_class: restricted, admin_scopes: ["*"] }
routing: { retry: { max_attempts: 2, base_backoff_ms: 1, max_backoff_ms: 2 } }
deployments:
  - { id: claude, tier: api, provider: anthropic, base_url: "${upstream}" }
  - { id: claude-down, tier: api, provider: anthropic, base_url: "${upstream}/down" }
  - { id: oai, tier: api, provider: openai-compatible, base_url: "${upstream}/v1" }
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: claude, targets: [{ deployment: claude, model: claude-sonnet-4-5 }] }
  - { alias: claude-down, targets: [{ deployment: claude-down, model: claude-sonnet-4-5 }] }
  - { alias: claude-lenient, drop_unsupported: [seed, n, response_format], targets: [{ deployment: claude, model: claude-sonnet-4-5 }] }
  - { alias: oai, targets: [{ deployment: oai, model: gpt-4o-mini }] }
  - { alias: oai-lenient, drop_unsupported: [thinking, cache_control, document, top_k], targets: [{ deployment: oai, model: gpt-4o-mini }] }
  - { alias: mixed, targets: [{ deployment: claude, model: claude-sonnet-4-5, weight: 1 }, { deployment: oai, model: gpt-4o-mini, weight: 1 }] }
  - { alias: local, targets: [{ deployment: local, model: mock-1 }] }
policy:
  unscanned_content_class: restricted
  rules:
    - { name: restricted-on-prem, match: { data_class_at_least: restricted }, allow_tiers: [on-prem] }
    - { name: pii-masked, match: { data_class: [confidential] }, allow_tiers: [api, on-prem], mask: [PHONE, PERSON] }
    - { name: default, allow_tiers: [api, on-prem] }
`;
}

export interface GatewayUnderTest {
  app: GatewayApp;
  services: SharedServices;
  close(): Promise<void>;
}

export async function startGatewayUnderTest(upstream: string, extra = ''): Promise<GatewayUnderTest> {
  const loaded = parseConfigText(gatewayConfig(upstream, extra), 'anthropic-fidelity.yaml', { K_DEV: KEYS.dev, K_INTERN: KEYS.intern, K_ADMIN: KEYS.admin });
  const services = await createSharedServices(loaded);
  const app = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
  return {
    app,
    services,
    close: async () => {
      await app.app.close();
      await services.close();
    },
  };
}

/** Headers of the Anthropic SDK (x-api-key) or the OpenAI SDK (Bearer). */
export function headersFor(wire: 'anthropic' | 'openai', key: string = KEYS.dev): Record<string, string> {
  return wire === 'anthropic' ? { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' } : { 'content-type': 'application/json', authorization: `Bearer ${key}` };
}
