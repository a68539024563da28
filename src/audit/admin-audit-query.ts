import { InvalidRequestError } from '../errors/gateway-error.js';
import type { AuditRecord } from './audit-record.js';
import type { AuditQuery, AuditStore } from './audit-store.js';

const FILTERS = ['principal', 'department', 'alias', 'deployment', 'tier', 'status'] as const;

function time(value: string, param: string): string {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new InvalidRequestError(`'${param}' must be an ISO 8601 time.`, param);
  return new Date(parsed).toISOString();
}

/**
 * `GET /admin/audit?from=&to=&principal=&department=&alias=&deployment=&tier=&data_class=&status=&limit=&cursor=`
 * → `{ data: AuditRecord[], next_cursor: string | null }`, newest first.
 */
export async function queryAuditForAdmin(
  store: AuditStore,
  params: Record<string, string | undefined>,
): Promise<{ data: AuditRecord[]; next_cursor: string | null }> {
  const query: AuditQuery = {};
  if (params.from) query.from = time(params.from, 'from');
  if (params.to) query.to = time(params.to, 'to');
  for (const key of FILTERS) if (params[key]) query[key] = params[key];
  if (params.data_class) query.dataClass = params.data_class;
  const limit = params.limit === undefined ? 100 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new InvalidRequestError("'limit' must be a whole number from 1 to 1000.", 'limit');
  if (params.cursor !== undefined && !/^[A-Za-z0-9_-]{1,200}$/.test(params.cursor)) throw new InvalidRequestError("'cursor' is not a cursor this endpoint returned.", 'cursor');
  try {
    const page = await store.query(query, limit, params.cursor);
    return { data: page.records, next_cursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof Error && error.message === 'invalid audit cursor') throw new InvalidRequestError("'cursor' is not a cursor this endpoint returned.", 'cursor');
    throw error;
  }
}
