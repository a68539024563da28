import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';
import { secretReferenceSchema } from '../model/secret-reference.js';
import { TIERS } from '../model/tiers.js';
import { PROVIDER_IDS, VENDOR_OPTIONS_SHAPE } from './provider-list.js';

/**
 * The providers' piece of a `deployments:` entry: where the upstream is, how to reach it
 * (TLS, timeouts, pool size), which provider speaks to it and the fields only that provider reads.
 * The root schema (assembly/config-schema.ts) adds routing's `resilience` block.
 */

export const timeoutsSchema = z
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

export const providerDeploymentShape = {
  id: identifierSchema,
  tier: z.enum(TIERS),
  provider: z.enum(PROVIDER_IDS),
  base_url: z.url().optional(),
  api_key: secretReferenceSchema.optional(),
  region: z.string().optional(),
  jurisdiction: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  tls: tlsSchema.optional(),
  timeouts: timeoutsSchema.default(() => timeoutsSchema.parse({})),
  max_connections: z.number().int().positive().default(64),
  /** Model name used by targets → the name this deployment knows it by (Azure: deployment name). */
  models: z.record(z.string(), z.string()).default({}),
  /** Fields only one vendor reads (Azure `api_version`, the mock's `mock:`), from each provider's definition. */
  ...VENDOR_OPTIONS_SHAPE,
};

/** A deployment as the providers read it (the assembly adds routing's `resilience`). */
export const providerDeploymentSchema = z.object(providerDeploymentShape).strict();
export type ProviderDeployment = z.infer<typeof providerDeploymentSchema>;
