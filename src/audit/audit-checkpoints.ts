import type { AuditStore } from './audit-store.js';
import { signCheckpoint, type AuditCheckpoint } from './hash-chain.js';
import { verifyAuditStore } from './verify-audit-store.js';

/** Signs the current head, so a later truncation of the tail is detectable. */
export async function writeCheckpoint(store: AuditStore, secret: string | Buffer, now = new Date()): Promise<AuditCheckpoint | undefined> {
  const last = await store.lastRecord();
  if (!last) return undefined;
  const checkpoint = signCheckpoint(secret, {
    seq: last.seq,
    recordId: last.id,
    recordHash: last.hash,
    time: now.toISOString(),
    kind: 'periodic',
  });
  await store.addCheckpoint(checkpoint);
  return checkpoint;
}

export interface RetentionResult {
  deleted: number;
  anchor?: AuditCheckpoint;
}

/**
 * Deletes records older than `retentionDays`, keeping a signed retention checkpoint at the
 * last deleted record so the rest of the chain still verifies from there. The chain is
 * verified first: retention must never quietly erase the evidence of a break.
 */
export async function applyRetention(
  store: AuditStore,
  secret: string | Buffer,
  retentionDays: number,
  now = new Date(),
): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  // Delete only a prefix that is entirely older than the cutoff: times are not monotonic in
  // seq, and a record newer than the cutoff must never go.
  const { first } = await store.seqBounds({ from: cutoff });
  const lastRecord = await store.lastRecord();
  const through = first === undefined ? lastRecord?.seq : first - 1;
  const last = through === undefined ? undefined : await store.recordAt(through);
  if (!last) return { deleted: 0 };
  const verification = await verifyAuditStore(store, secret);
  if (!verification.ok) {
    const broken = verification.firstBreak;
    throw new Error(`audit chain is broken (${broken?.kind} at ${broken?.recordId}); retention refused`);
  }
  const anchor = signCheckpoint(secret, {
    seq: last.seq,
    recordId: last.id,
    recordHash: last.hash,
    time: last.time,
    kind: 'retention',
  });
  return { deleted: await store.deleteThrough(last.seq, anchor), anchor };
}
