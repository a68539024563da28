import type { AuditRecord } from './audit-record.js';
import type { AuditCheckpoint, ChainHead } from './hash-chain.js';
import type { StoredAuditRow } from './verify-chain.js';

/** Filters for `GET /admin/audit` and `switchyard audit export`; all optional, combined with AND. */
export interface AuditQuery {
  /** Inclusive ISO time bounds. */
  from?: string;
  to?: string;
  principal?: string;
  department?: string;
  alias?: string;
  deployment?: string;
  tier?: string;
  dataClass?: string;
  status?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  /** Pass back to get the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/**
 * What the audit room needs from a database. The store never sees the HMAC secret: `append`
 * hands the current head to `seal` inside its transaction, so concurrent writers (two gateway
 * replicas on one PostgreSQL) can never fork the chain.
 */
export interface AuditStore {
  append(seal: (head: ChainHead) => AuditRecord[]): Promise<AuditRecord[]>;
  /** Which of these record ids are already stored (spool replay skips them). */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  /** Rows with `seq` column > `afterSeq` (and ≤ `throughSeq`), ascending, at most `limit`. */
  readRows(afterSeq: number, limit: number, throughSeq?: number): Promise<StoredAuditRow[]>;
  /**
   * Times are not monotonic in seq (replicas and batches interleave), so time ranges become seq
   * ranges: `first` = lowest seq with time ≥ from, `last` = highest seq with time ≤ to.
   */
  seqBounds(range: { from?: string; to?: string }): Promise<{ first?: number; last?: number }>;
  /** Newest first, cursor-paginated. */
  query(filters: AuditQuery, limit: number, cursor?: string): Promise<AuditPage>;
  /** The last stored record, if any. */
  lastRecord(): Promise<{ seq: number; id: string; hash: string; time: string } | undefined>;
  recordAt(seq: number): Promise<{ seq: number; id: string; hash: string; time: string } | undefined>;
  checkpoints(): Promise<AuditCheckpoint[]>;
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /**
   * Deletes records with seq ≤ `seq` and checkpoints below it, after storing `anchor`, in one
   * transaction: the chain is never left without the checkpoint it continues from.
   */
  deleteThrough(seq: number, anchor: AuditCheckpoint): Promise<number>;
}
