import { z } from 'zod';
import { secretReferenceSchema } from '../model/secret-reference.js';
import { identifierSchema, scopedIdentifierSchema } from '../model/identifier.js';
import { isIP } from 'node:net';

function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  const bits = Number(prefix);
  return rest.length === 0 && family !== 0 && prefix !== undefined && /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * The `identity:` section of the config: virtual key store settings, bootstrap admin key,
 * OIDC issuers, roles and abuse protection. Strict like the rest: an unknown key is an error.
 */

export const ADMIN_SCOPES = ['keys:read', 'keys:write', 'audit:read', 'config:read', 'policy:test', 'spend:read', 'releases:read', 'releases:write', 'releases:evaluate'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/** JWKS issuers publish public keys, so only asymmetric algorithms make sense; `none` and HS* never do. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const name = scopedIdentifierSchema;
/** A list where "*" means every value. */
const grantList = <T extends z.ZodType<string>>(item: T) => z.array(z.union([z.literal('*'), item])).default([]);

export const roleGrantSchema = z
  .object({
    description: z.string().optional(),
    /** Model aliases this role may use ("*" = all). */
    models: grantList(z.string().min(1)),
    /** Deployment tiers this role may reach ("*" = all); the root config checks the names. */
    tiers: grantList(z.string().min(1)),
    /** Most sensitive data class this role may send anywhere; omitted: the lowest class only. */
    max_data_class: z.string().min(1).optional(),
    /** Tool/function names this role may declare ("*" = all). */
    tools: grantList(z.string().min(1)),
    admin_scopes: grantList(z.enum(ADMIN_SCOPES)),
  })
  .strict();
export type RoleGrant = z.infer<typeof roleGrantSchema>;

const claimMappingSchema = z
  .object({
    /** Claim holding the user id; dotted paths reach nested claims. */
    user_id: z.string().min(1).default('sub'),
    department: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    /** Claim holding groups or app roles: `groups` (Entra), `realm_access.roles` (Keycloak). */
    groups: z.string().min(1).default('groups'),
  })
  .strict();

export const oidcIssuerSchema = z
  .object({
    id: name,
    /** Exact `iss` value, e.g. https://login.microsoftonline.com/<tenant>/v2.0 */
    issuer: z.url(),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    jwks_uri: z.url(),
    algorithms: z
      .array(z.enum(JWT_ALGORITHMS, { error: 'must be one of RS*, PS*, ES*, EdDSA; "none" and HS* are never accepted' }))
      .min(1)
      .default(['RS256']),
    /** Tolerated clock difference for exp/nbf; bounded so a typo cannot accept day-old tokens. */
    clock_skew_seconds: z.number().int().min(0).max(300).default(60),
    /** How long a fetched JWKS is used before it is fetched again. */
    jwks_cache_seconds: z.number().int().min(30).max(86_400).default(600),
    /** Minimum time between refetches triggered by an unknown `kid`, so forged kids cannot hammer the IdP. */
    jwks_refresh_min_interval_seconds: z.number().int().min(1).max(3_600).default(30),
    claims: claimMappingSchema.default(() => claimMappingSchema.parse({})),
    /** IdP group (or app role) → gateway roles. Groups not listed grant nothing. */
    group_roles: z.record(z.string(), z.array(name)).default({}),
    /** Roles every user of this issuer gets. */
    default_roles: z.array(name).default([]),
  })
  .strict();
export type OidcIssuerConfig = z.infer<typeof oidcIssuerSchema>;

export const keyStoreSettingsSchema = z
  .object({
    /** HMAC-SHA-256 secret for virtual keys (≥ 32 characters). Changing it invalidates every key. */
    secret: secretReferenceSchema,
    /** How long an authentication lookup is reused; also the longest a revocation takes on other instances. */
    cache_ttl_seconds: z.number().min(0).max(300).default(10),
    /** Default time the old key keeps working after `keys rotate`. */
    rotation_grace_seconds: z.number().int().min(0).max(30 * 86_400).default(86_400),
  })
  .strict();
export type KeyStoreSettings = z.infer<typeof keyStoreSettingsSchema>;

export const abuseProtectionSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Failures older than this are forgotten. */
    window_seconds: z.number().int().positive().default(600),
    /** From this many failures in the window on, each attempt waits before being answered. */
    delay_after_failures: z.number().int().positive().default(5),
    delay_ms: z.number().int().nonnegative().default(250),
    max_delay_ms: z.number().int().nonnegative().max(30_000).default(5_000),
    /** From this many failures in the window on, the address is refused with 429 for `block_seconds`. */
    block_after_failures: z.number().int().positive().default(20),
    block_seconds: z.number().int().positive().default(900),
    /** Bounds memory under a spray from many addresses; the least recently seen is forgotten first. */
    max_tracked_addresses: z.number().int().positive().default(100_000),
    /** Addresses never throttled, e.g. a health checker. */
    exempt_addresses: z.array(z.string()).default([]),
    /**
     * Networks never throttled, as CIDR (`10.20.0.0/16`, `fd00::/8`): the operators' own hosts and
     * the internal apps behind one address. A throttled address can only lose noise and cost, never
     * a valid credential (see docs/identity.md), so exempting trusted sources costs little.
     */
    trusted_networks: z
      .array(
        z.string().refine((value) => isCidr(value), 'must be a network in CIDR form, e.g. 10.0.0.0/8 or fd00::/8'),
      )
      .default([]),
    /** Loopback (127.0.0.0/8, ::1) is exempt unless this is false: the operator at the console must not lock themselves out. */
    exempt_loopback: z.boolean().default(true),
  })
  .strict()
  .refine((value) => value.block_after_failures > value.delay_after_failures, {
    message: 'block_after_failures must be greater than delay_after_failures',
  });
export type AbuseProtectionConfig = z.infer<typeof abuseProtectionSchema>;

export const identityConfigSchema = z
  .object({
    key_store: keyStoreSettingsSchema.optional(),
    /** Admin key for first start, e.g. ${env:SWITCHYARD_BOOTSTRAP_ADMIN_KEY}; holds every admin scope. */
    bootstrap_admin_key: secretReferenceSchema.optional(),
    oidc: z
      .object({ issuers: z.array(oidcIssuerSchema).default([]) })
      .strict()
      .default({ issuers: [] }),
    roles: z.record(name, roleGrantSchema).default({}),
    abuse_protection: abuseProtectionSchema.default(() => abuseProtectionSchema.parse({})),
  })
  .strict()
  .superRefine((identity, context) => {
    const issuerIds = new Set<string>();
    const issuerUrls = new Set<string>();
    for (const [index, issuer] of identity.oidc.issuers.entries()) {
      if (issuerIds.has(issuer.id)) {
        context.addIssue({ code: 'custom', path: ['oidc', 'issuers', index, 'id'], message: `duplicate issuer id '${issuer.id}'` });
      }
      // Tokens are matched to their issuer entry by `iss`; two entries for one `iss` would be ambiguous.
      if (issuerUrls.has(issuer.issuer)) {
        context.addIssue({ code: 'custom', path: ['oidc', 'issuers', index, 'issuer'], message: `issuer '${issuer.issuer}' is configured twice` });
      }
      issuerIds.add(issuer.id);
      issuerUrls.add(issuer.issuer);
      // A role named by an issuer but never defined would silently grant nothing; say so at load.
      const named = [
        ...issuer.default_roles.map((role) => ({ role, path: ['default_roles'] })),
        ...Object.entries(issuer.group_roles).flatMap(([group, roles]) => roles.map((role) => ({ role, path: ['group_roles', group] }))),
      ];
      for (const { role, path } of named) {
        if (!(role in identity.roles)) {
          context.addIssue({ code: 'custom', path: ['oidc', 'issuers', index, ...path], message: `unknown role '${role}'` });
        }
      }
    }
  });
export type IdentityConfig = z.infer<typeof identityConfigSchema>;

/** The section with every default, for a config that has no `identity:` key. */
export const defaultIdentityConfig = (): IdentityConfig => identityConfigSchema.parse({});

/** `auth.keys`: keys written in the config (each a secret reference), checked by the static-key authenticator. */
export const staticKeySchema = z
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
