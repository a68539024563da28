import { z } from 'zod';
import { secretReferenceSchema } from '../model/secret-reference.js';

/**
 * The `console:` section: the web console at /console (docs/console.md). On by default, so the
 * quick start serves it; sign-in is always required (admin key or OIDC).
 */
const consoleOidcSchema = z
  .object({
    /** The `identity.oidc.issuers[].id` whose users may sign in; its `audience` must include `client_id`. */
    issuer: z.string().min(1),
    client_id: z.string().min(1),
    /** Confidential clients only; a public client relies on PKCE alone. */
    client_secret: secretReferenceSchema.optional(),
    scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']),
    /** Where the issuer sends the browser back; default: <this gateway>/console/api/oidc/callback. */
    redirect_uri: z.url().optional(),
  })
  .strict();

export const consoleConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** `auto`: Secure cookies when the request arrived over TLS (x-forwarded-proto with trust_proxy). */
    secure_cookies: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    /** A session ends this long after sign-in (and never later than the OIDC token's expiry). */
    session_ttl_minutes: z.number().int().min(5).max(7 * 24 * 60).default(8 * 60),
    /** Signed-in sessions kept per replica; the oldest is dropped beyond this. */
    max_sessions: z.number().int().min(1).max(100_000).default(1_000),
    oidc: consoleOidcSchema.optional(),
    /** The dashboards' time series, kept in storage. */
    rollup: z
      .object({
        /** One row per bucket and department. */
        bucket_seconds: z.number().int().min(60).max(86_400).default(300),
        /** Rows older than this are deleted (hourly). */
        retention_days: z.number().int().min(1).max(800).default(35),
        /** How often buffered counts are written to storage. */
        flush_seconds: z.number().int().min(1).max(600).default(10),
      })
      .strict()
      .default(() => ({ bucket_seconds: 300, retention_days: 35, flush_seconds: 10 })),
  })
  .strict();

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
