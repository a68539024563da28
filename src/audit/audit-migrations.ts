import type { Migration } from '../storage/migration.js';

/**
 * The audit room's schema (ids 0100–0199). `body` is the canonical JSON the HMAC covers; the
 * other columns copy fields out of it only so queries can filter with an index.
 */
const recordColumns = (seqType: string) => `
  seq ${seqType} PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL,
  request_id TEXT NOT NULL,
  principal_id TEXT,
  department TEXT,
  alias TEXT,
  deployment TEXT,
  tier TEXT,
  data_class TEXT,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  hash TEXT NOT NULL`;

const indexes = `
  CREATE INDEX IF NOT EXISTS audit_records_time ON audit_records (time);
  CREATE INDEX IF NOT EXISTS audit_records_principal ON audit_records (principal_id, seq);
  CREATE INDEX IF NOT EXISTS audit_records_department ON audit_records (department, seq);
  CREATE INDEX IF NOT EXISTS audit_records_request ON audit_records (request_id);`;

const checkpoints = (seqType: string) => `
  CREATE TABLE IF NOT EXISTS audit_checkpoints (
    seq ${seqType} NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    time TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (seq, kind)
  );`;

const feedback = `
  CREATE TABLE IF NOT EXISTS audit_feedback (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    reviewer_verdict TEXT,
    comment TEXT,
    submitted_by TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_feedback_request ON audit_feedback (request_id);`;

export const auditMigrations: Migration[] = [
  {
    id: '0100-audit-records',
    sqlite: `CREATE TABLE IF NOT EXISTS audit_records (${recordColumns('INTEGER')});${indexes}`,
    postgres: `CREATE TABLE IF NOT EXISTS audit_records (${recordColumns('BIGINT')});${indexes}`,
  },
  {
    id: '0101-audit-checkpoints',
    sqlite: checkpoints('INTEGER'),
    postgres: checkpoints('BIGINT'),
  },
  {
    // Ratings arrive after the record is sealed, so they sit beside it, keyed by request id.
    id: '0102-audit-feedback',
    sqlite: feedback,
    postgres: feedback,
  },
];
