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
import { REQUEST_FEATURES } from '../model/chat-request.js';
import {
  aliasRoutingShape,
  deploymentResilienceSchema,
  rateLimitsSchema,
  redisSchema,
  routingSchema,
  targetRoutingShape,
} from '../routing/routing-config-schema.js';

/**
 * The whole configuration, strict: an unknown key is an error, never silently dropped.
 * Defaults live here and nowhere else. `switchyard config schema` prints this as JSON Schema.
 */

import { TIERS } from '../model/tiers.js';
import { secretReferenceSchema } from '../model/secret-reference.js';
import { identifierSchema } from '../model/identifier.js';
import { shutdownSchema } from './shutdown-schema.js';

export const PROVIDER_IDS = ['openai-compatible', 'azure-openai', 'anthropic', 'gemini', 'mock'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];


const timeoutsSchema = z
  .object({
    connect_ms: z.number().int().positive().default(5_000),
    first_byte_ms: z.number().int().positive().default(60_000),
    idle_ms: z.number().int().positive().default(30_000),
    total_ms: z.number().int().positive().default(600_000),
  })
  .strict();

const tlsSchema = z
  .object({
    ca_file: z.string().optional(),
    cert_file: z.string().optional(),
    key_file: z.string().optional(),
    /** Only for lab setups; a private endpoint should present a certificate the CA bundle trusts. */
    reject_unauthorized: z.boolean().default(true),
    server_name: z.string().optional(),
  })
  .strict()
  .refine((tls) => (tls.cert_file === undefined) === (tls.key_file === undefined), {
    message: 'cert_file and key_file must be given together (mTLS)',
  });

const faultSchema = z
  .object({
    error_rate: z.number().min(0).max(1).default(0),
    error_status: z.number().int().min(400).max(599).default(500),
    rate_limit_rate: z.number().min(0).max(1).default(0),
    retry_after_seconds: z.number().nonnegative().default(1),
    reset_rate: z.number().min(0).max(1).default(0),
    hang_rate: z.number().min(0).max(1).default(0),
    stream_cut_rate: z.number().min(0).max(1).default(0),
    stream_cut_after_chunks: z.number().int().nonnegative().default(3),
  })
  .strict();

const isRegex = (source: string) => {
  try {
    new RegExp(source, 'iu');
    return true;
  } catch {
    return false;
  }
};

export const mockOptionsSchema = z
  .object({
    reply: z.enum(['echo', 'scripted', 'lorem']).default('echo'),
    script: z.array(z.string()).default([]),
    lorem_tokens: z.number().int().positive().default(32),
    ttft_ms: z.number().nonnegative().default(0),
    tokens_per_second: z.number().nonnegative().default(0),
    report_usage: z.boolean().default(true),
    embedding_dimensions: z.number().int().positive().max(4096).default(8),
    faults: faultSchema.default(() => faultSchema.parse({})),
    /** Seeds the fault draws so a run with fault rates is reproducible; unset = Math.random. */
    seed: z.number().int().optional(),
    /** How many recent requests the mock keeps for inspection (GET /__mock/requests); 0 = none. */
    request_log_size: z.number().int().nonnegative().max(100_000).default(100),
    /**
     * Canned answers, first match wins: `when` is a regex on the last user message, `models`
     * limits a rule to those model names (so two model versions can answer differently).
     */
    answers: z
      .array(z.object({ when: z.string().min(1).refine(isRegex, 'not a valid regular expression'), reply: z.string(), models: z.array(z.string()).default([]) }).strict())
      .default([]),
  })
  .strict();
export type MockOptions = z.infer<typeof mockOptionsSchema>;

export const deploymentSchema = z
  .object({
    id: identifierSchema,
    tier: z.enum(TIERS),
    provider: z.enum(PROVIDER_IDS),
    base_url: z.url().optional(),
    api_key: secretReferenceSchema.optional(),
    /** Azure OpenAI `api-version` query parameter. */
    api_version: z.string().optional(),
    region: z.string().optional(),
    jurisdiction: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    tls: tlsSchema.optional(),
    timeouts: timeoutsSchema.default(() => timeoutsSchema.parse({})),
    max_connections: z.number().int().positive().default(64),
    /** Model name used by targets → the name this deployment knows it by (Azure: deployment name). */
    models: z.record(z.string(), z.string()).default({}),
    mock: mockOptionsSchema.optional(),
    /** Circuit breaker, retry budget and active health check of this deployment. */
    resilience: deploymentResilienceSchema.default(() => deploymentResilienceSchema.parse({})),
  })
  .strict();
export type DeploymentConfig = z.infer<typeof deploymentSchema>;

const targetSchema = z
  .object({
    deployment: identifierSchema,
    model: z.string().min(1),
    weight: z.number().nonnegative().default(1),
    ...targetRoutingShape,
  })
  .strict();

export const modelAliasSchema = z
  .object({
    alias: z.string().min(1),
    type: z.enum(['chat', 'embedding']).default('chat'),
    description: z.string().optional(),
    targets: z.array(targetSchema).min(1),
    /**
     * Request features a target of this alias may drop when it cannot honour them (e.g. `seed`
     * and `n` for an Anthropic target). Unlisted ones are refused with `unsupported_parameter`.
     */
    drop_unsupported: z.array(z.enum(REQUEST_FEATURES)).default([]),
    ...aliasRoutingShape,
  })
  .strict();
export type ModelAliasConfig = z.infer<typeof modelAliasSchema>;

const staticKeySchema = z
  .object({
    id: identifierSchema,
    key: secretReferenceSchema,
    owner: z.string().optional(),
    team: z.string().optional(),
    department: z.string().optional(),
    roles: z.array(z.string()).default([]),
    /** Aliases this key may use; omitted means every alias. */
    models: z.array(z.string()).optional(),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type StaticKeyConfig = z.infer<typeof staticKeySchema>;

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
