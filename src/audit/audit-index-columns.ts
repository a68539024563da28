import type { AuditRecordInput } from './audit-record.js';

/**
 * The copies of record fields the store keeps as plain columns so queries can use an index.
 * They are outside the HMAC, so verify compares them with the signed body: editing a column to
 * hide a record from `GET /admin/audit` is caught like editing the record itself.
 */
export interface AuditIndexColumns {
  time: string;
  request_id: string;
  principal_id: string | null;
  department: string | null;
  alias: string | null;
  deployment: string | null;
  tier: string | null;
  data_class: string | null;
  status: string;
}

export function indexColumnsOf(record: AuditRecordInput): AuditIndexColumns {
  return {
    time: record.time,
    request_id: record.requestId,
    principal_id: record.principal?.id ?? null,
    department: record.principal?.department ?? null,
    alias: record.alias ?? null,
    deployment: record.deployment ?? null,
    tier: record.tier ?? null,
    data_class: record.dataClass ?? null,
    status: record.status,
  };
}

export const INDEX_COLUMN_NAMES = Object.keys(indexColumnsOf({ time: '', requestId: '', inbound: 'openai-chat', status: 'ok' })) as (keyof AuditIndexColumns)[];

/** The first column whose stored value differs from the signed body, if any. */
export function mismatchedColumn(stored: AuditIndexColumns, record: AuditRecordInput): keyof AuditIndexColumns | undefined {
  const expected = indexColumnsOf(record);
  return INDEX_COLUMN_NAMES.find((name) => (stored[name] ?? null) !== expected[name]);
}
