import { z } from 'zod';
import { auditConfigSchema } from '../audit/audit-config-schema.js';
import { defaultIdentityConfig, identityConfigSchema } from '../identity/identity-config-schema.js';
import { meteringConfigSchema } from '../metering/metering-config-schema.js';
import { inputLimitsSchema } from '../wire/input-limits.js';
import { defaultPolicy, policySchema } from '../policy/policy-config-schema.js';
import { storageConfigSchema } from '../storage/storage-config-schema.js';
import { releasesConfigSchema } from '../releases/releases-config-schema.js';
import { tracingConfigSchema } from '../observability/tracing-config-schema.js';
import { guardConfigSchema } from '../guard/guard-config-schema.js';
import { deploymentResilienceSchema, rateLimitsSchema, redisSchema, routingSchema } from '../routing/routing-config-schema.js';

import { shutdownSchema } from '../config/shutdown-schema.js';
import { providerDeploymentShape } from '../providers/deployment-schema.js';
import { modelAliasSchema } from '../routing/model-alias-schema.js';
import { staticKeySchema } from '../identity/identity-config-schema.js';

/**
 * The whole configuration, strict: an unknown key is an error, never silently dropped.
 * Each room owns its piece (and its defaults); this file only composes them. `switchyard config schema` prints this as JSON Schema.
 */


const serverSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    body_limit_bytes: z.number().int().positive().default(4 * 1024 * 1024),
    /** Trust X-Forwarded-For from a reverse proxy in front of the gateway. */
    trust_proxy: z.boolean().default(false),
    /** SIGTERM drain: readiness off, grace, then finish in-flight work up to a deadline. */
    shutdown: shutdownSchema.default(() => shutdownSchema.parse({})),
    /** Body shape limits checked at decode time (docs/input-limits.md). */
    input_limits: inputLimitsSchema.default(() => inputLimitsSchema.parse({})),
  })
  .strict();

const loggingSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export const deploymentSchema = z
  .object({
    ...providerDeploymentShape,
    /** Circuit breaker, retry budget and active health check of this deployment. */
    resilience: deploymentResilienceSchema.default(() => deploymentResilienceSchema.parse({})),
  })
  .strict();
export type DeploymentConfig = z.infer<typeof deploymentSchema>;

export const configSchema = z
  .object({
    version: z.literal(1).default(1),
    server: serverSchema.default(() => serverSchema.parse({})),
    logging: loggingSchema.default(() => loggingSchema.parse({})),
    auth: z
      .object({ keys: z.array(staticKeySchema).default([]) })
      .strict()
      .default({ keys: [] }),
    /** Virtual keys, single sign-on, roles, abuse protection (docs/identity.md). */
    identity: identityConfigSchema.default(defaultIdentityConfig),
    /** Where audit records, spend, budgets and virtual keys live (SQLite by default). */
    storage: storageConfigSchema.default(() => storageConfigSchema.parse({})),
    audit: auditConfigSchema.default(() => auditConfigSchema.parse({})),
    metering: meteringConfigSchema.default(() => meteringConfigSchema.parse({})),
    deployments: z.array(deploymentSchema).min(1),
    models: z.array(modelAliasSchema).min(1),
    /** Data classification, routing rules and masking; on by default (see docs/policy.md). */
    policy: policySchema.default(defaultPolicy),
    /** Prompt-injection, jailbreak, privilege, exfiltration and prompt-leak guard (docs/guard.md). */
    guard: guardConfigSchema.default(() => guardConfigSchema.parse({})),
    /** Retries, backoff and attempt limits (docs/resilience.md). */
    routing: routingSchema.default(() => routingSchema.parse({})),
    rate_limits: rateLimitsSchema.default(() => rateLimitsSchema.parse({})),
    /** Shared state for replicas: rate limits become global across gateways. */
    redis: redisSchema.optional(),
    /** Optional OpenTelemetry traces (OTLP/HTTP, GenAI conventions); off by default. */
    tracing: tracingConfigSchema.default(() => tracingConfigSchema.parse({})),
    /** Prompt templates, knowledge-base labels, tool allow-lists and the KPI gate of releases (docs/releases-and-eval.md). */
    releases: releasesConfigSchema.default(() => releasesConfigSchema.parse({})),
  })
  .strict();

export type SwitchyardConfig = z.infer<typeof configSchema>;

/** JSON Schema of the config file, for editor completion (`switchyard config schema`). */
export function configJsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
