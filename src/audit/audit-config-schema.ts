import { z } from 'zod';
import { secretReferenceSchema } from '../model/secret-reference.js';
import { CAPTURE_MODES } from './audit-record.js';

/** Same rule as the root schema: secrets are references, never literals in YAML. */

const queueSchema = z
  .object({
    max_records: z.number().int().positive().default(10_000),
    batch_size: z.number().int().positive().max(5_000).default(200),
    /** How long a record may wait for others before its group commit. */
    linger_ms: z.number().int().nonnegative().max(1_000).default(5),
  })
  .strict();

const anchorSinkSchema = z.discriminatedUnion('type', [
  /** Append-only JSON lines; put it on another volume than the database. */
  z.object({ type: z.literal('file'), path: z.string().min(1) }).strict(),
  /** POST each statement as JSON (a SIEM collector, a syslog bridge). */
  z.object({ type: z.literal('webhook'), url: z.url(), authorization: secretReferenceSchema.optional(), timeout_ms: z.number().int().positive().default(10_000) }).strict(),
  /** One object per statement in an S3 (or S3-compatible) bucket with Object Lock. */
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().min(3),
      prefix: z.string().default('switchyard-audit-anchors/'),
      region: z.string().min(1).default('us-east-1'),
      endpoint: z.url().optional(),
      force_path_style: z.boolean().optional(),
      access_key_id: secretReferenceSchema.optional(),
      secret_access_key: secretReferenceSchema.optional(),
      object_lock: z
        .object({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('COMPLIANCE'), retain_days: z.number().int().positive().default(2_557) })
        .strict()
        .optional(),
    })
    .strict()
    .refine((sink) => (sink.access_key_id === undefined) === (sink.secret_access_key === undefined), {
      message: 'give both access_key_id and secret_access_key, or neither (the AWS default credential chain)',
    }),
]);

const anchorSchema = z
  .object({
    /** How often the signed chain head is published (when it moved); also at shutdown. */
    interval_seconds: z.number().int().positive().default(300),
    sinks: z.array(anchorSinkSchema).default([]),
  })
  .strict();
export type AnchorConfig = z.infer<typeof anchorSchema>;

/** `audit:` in the config file. */
export const auditConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /**
     * HMAC key for the hash chain; losing it means old records can no longer be verified. Keep it
     * away from the database (a reference to a secret manager or mounted file). When absent on
     * SQLite, a random key is created once beside the database file (fine for one machine);
     * PostgreSQL requires it, since every replica must share it.
     */
    secret: secretReferenceSchema.optional(),
    /** Data class → what content to keep. Classes not listed use `default_capture`. */
    capture: z.record(z.string(), z.enum(CAPTURE_MODES)).default({}),
    default_capture: z.enum(CAPTURE_MODES).default('hash'),
    /** `reject`: new requests get 503 while the store is down. `spool`: fall back to a local file. */
    on_failure: z.enum(['reject', 'spool']).default('reject'),
    spool_path: z.string().min(1).default('./data/audit-spool.jsonl'),
    queue: queueSchema.default(() => queueSchema.parse({})),
    /** A signed checkpoint every this many records (and at shutdown). */
    checkpoint_every: z.number().int().positive().default(1_000),
    /** Delete records older than this many days (a signed checkpoint keeps the rest verifiable). */
    retention_days: z.number().int().positive().optional(),
    /**
     * Publish the signed chain head outside the database, so `audit verify --anchor` can detect
     * a truncated tail or a wiped ledger (docs/audit.md).
     */
    anchor: anchorSchema.default(() => anchorSchema.parse({})),
    /** How long a request waits for its audit record to be durable before failing with 503. */
    durable_timeout_ms: z.number().int().positive().default(5_000),
  })
  .strict();
export type AuditConfig = z.infer<typeof auditConfigSchema>;
