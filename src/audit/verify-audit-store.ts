import type { AuditStore } from './audit-store.js';
import type { AnchorStatement } from './chain-anchor.js';
import { checkAgainstAnchors } from './verify-anchor.js';
import { chooseAnchor, verifyChain, type ChainVerification, type StoredAuditRow } from './verify-chain.js';

export interface VerifyRange {
  /** ISO times; records are chained by seq, so these are turned into a seq range first. */
  from?: string;
  to?: string;
}

const PAGE = 1_000;

async function* pages(store: AuditStore, afterSeq: number, throughSeq: number | undefined): AsyncIterable<StoredAuditRow> {
  let cursor = afterSeq;
  for (;;) {
    const rows = await store.readRows(cursor, PAGE, throughSeq);
    yield* rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    cursor = last.seq;
  }
}

/**
 * Verifies the stored chain, or the part of it covering [from, to]. A range starts at the
 * newest signed checkpoint below its first record (or the retention anchor), so it checks at
 * least the range and never trusts an unsigned starting point; without `to` it also checks the
 * tail against the newest checkpoint.
 */
export async function verifyAuditStore(
  store: AuditStore,
  secret: string | Buffer,
  range: VerifyRange = {},
  /** Statements read from an anchor sink outside the database (see verify-anchor.ts). */
  anchors?: readonly AnchorStatement[],
): Promise<ChainVerification> {
  const checkpoints = await store.checkpoints();
  const bounds = await store.seqBounds(range);
  const anchor = chooseAnchor(secret, checkpoints, range.from === undefined ? undefined : (bounds.first ?? Number.MAX_SAFE_INTEGER));
  // A `to` before every record leaves nothing to check after the anchor.
  const through = range.to === undefined ? undefined : (bounds.last ?? anchor.seq);
  const verification = await verifyChain(pages(store, anchor.seq, through), {
    secret,
    anchor,
    checkpoints,
    checkTail: range.to === undefined,
  });
  if (!verification.ok || anchors === undefined || range.to !== undefined) return verification;
  const broken = await checkAgainstAnchors(store, secret, verification, anchors);
  return broken ? { ...verification, ok: false, firstBreak: broken } : verification;
}
