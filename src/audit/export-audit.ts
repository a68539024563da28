import type { AuditRecord } from './audit-record.js';
import type { AuditQuery, AuditStore } from './audit-store.js';

export type ExportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = [
  'seq', 'id', 'time', 'request_id', 'principal_id', 'department', 'team', 'inbound', 'alias', 'deployment', 'tier',
  'upstream_model', 'data_class', 'status', 'http_status', 'error_code', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'cache_write_input_tokens', 'tokens_estimated', 'cost_usd', 'latency_ms', 'ttft_ms', 'attempts', 'failed_attempts', 'tags', 'hash',
] as const;

/**
 * Upstream calls the request made: the failed ones on record, plus the one that answered when it
 * was served. 0 for a request refused before any call (auth, policy, budget).
 */
export function attemptCount(record: Pick<AuditRecord, 'attempts' | 'deployment' | 'status'>): number {
  return (record.attempts?.length ?? 0) + (record.status === 'ok' && record.deployment !== undefined ? 1 : 0);
}

/** `deployment:code` of each failed call, in order, `;`-separated: readable in a spreadsheet. */
function failedAttempts(record: Pick<AuditRecord, 'attempts'>): string | undefined {
  return record.attempts && record.attempts.length > 0 ? record.attempts.map((attempt) => `${attempt.deployment}:${attempt.code}`).join(';') : undefined;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quote anything a spreadsheet could misread; a leading = + - @ would be run as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(record: AuditRecord): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    seq: record.seq,
    id: record.id,
    time: record.time,
    request_id: record.requestId,
    principal_id: record.principal?.id,
    department: record.principal?.department,
    team: record.principal?.team,
    inbound: record.inbound,
    alias: record.alias,
    deployment: record.deployment,
    tier: record.tier,
    upstream_model: record.upstreamModel,
    data_class: record.dataClass,
    status: record.status,
    http_status: record.httpStatus,
    error_code: record.errorCode,
    input_tokens: record.tokens?.input,
    output_tokens: record.tokens?.output,
    cached_input_tokens: record.tokens?.cachedInput,
    cache_write_input_tokens: record.tokens?.cacheWriteInput,
    tokens_estimated: record.tokens?.estimated,
    cost_usd: record.costUsd,
    latency_ms: record.latencyMs,
    ttft_ms: record.ttftMs,
    attempts: attemptCount(record),
    failed_attempts: failedAttempts(record),
    tags: record.tags,
    hash: record.hash,
  };
  return CSV_COLUMNS.map((column) => csvCell(values[column])).join(',');
}

export function matchesQuery(record: AuditRecord, query: AuditQuery): boolean {
  return (
    (query.from === undefined || record.time >= query.from) &&
    (query.to === undefined || record.time <= query.to) &&
    (query.principal === undefined || record.principal?.id === query.principal) &&
    (query.department === undefined || record.principal?.department === query.department) &&
    (query.alias === undefined || record.alias === query.alias) &&
    (query.deployment === undefined || record.deployment === query.deployment) &&
    (query.tier === undefined || record.tier === query.tier) &&
    (query.dataClass === undefined || record.dataClass === query.dataClass) &&
    (query.status === undefined || record.status === query.status)
  );
}

/**
 * Streams matching records oldest first (chain order) as JSON lines (each record with its
 * seq, prevHash and hash, so an exported file can be verified on its own) or CSV.
 * Returns how many records were written.
 */
export async function exportAudit(
  store: AuditStore,
  query: AuditQuery,
  format: ExportFormat,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\n`);
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const rows = await store.readRows(afterSeq, 1_000);
    for (const row of rows) {
      const record = { ...(JSON.parse(row.body) as Omit<AuditRecord, 'hash'>), hash: row.hash } as AuditRecord;
      if (!matchesQuery(record, query)) continue;
      await write(format === 'csv' ? `${csvRow(record)}\n` : `${JSON.stringify(record)}\n`);
      count += 1;
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < 1_000) return count;
    afterSeq = last.seq;
  }
}
