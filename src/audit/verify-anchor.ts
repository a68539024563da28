import type { AuditStore } from './audit-store.js';
import { anchorIsValid, type AnchorStatement } from './chain-anchor.js';
import { sameHash } from './hash-chain.js';
import type { ChainBreak, ChainVerification } from './verify-chain.js';

/**
 * Holds an intact chain against the newest head published outside the database:
 * - an anchor whose signature fails → `forged`;
 * - the ledger is empty but the anchor covers records → `wiped`;
 * - the chain ends before the anchored seq → `truncated` (records, and any checkpoints that
 *   would have shown it, were deleted from the end);
 * - the anchored record is there but with another hash → `edited` (the chain was rebuilt).
 * Returns the break, or undefined when the anchor agrees.
 */
export async function checkAgainstAnchors(
  store: AuditStore,
  secret: string | Buffer,
  verification: ChainVerification,
  anchors: readonly AnchorStatement[],
): Promise<ChainBreak | undefined> {
  const forged = anchors.find((anchor) => !anchorIsValid(secret, anchor));
  if (forged) {
    return { kind: 'forged', recordId: forged.recordId ?? '-', seq: forged.seq, detail: `the anchor statement for seq ${forged.seq} (${forged.time}) has an invalid signature` };
  }
  const newest = [...anchors].sort((a, b) => b.seq - a.seq || (a.time < b.time ? 1 : -1))[0];
  if (!newest || newest.seq === 0) return undefined;
  const head = verification.head;
  if (newest.seq > head.seq) {
    const last = await store.lastRecord();
    if (last === undefined) {
      return {
        kind: 'wiped',
        recordId: newest.recordId ?? '-',
        seq: newest.seq,
        detail: `the ledger holds no records, but the anchor published at ${newest.time} shows it held ${newest.seq}`,
      };
    }
    return {
      kind: 'truncated',
      recordId: newest.recordId ?? '-',
      seq: head.seq + 1,
      detail: `the chain ends at seq ${head.seq}, but the anchor published at ${newest.time} covers seq ${newest.seq}: seq ${head.seq + 1}–${newest.seq} were deleted`,
    };
  }
  const anchored = await store.recordAt(newest.seq);
  // Retention may have deleted it on purpose (a signed retention checkpoint vouches for the rest).
  if (anchored && !sameHash(anchored.hash, newest.hash)) {
    return { kind: 'edited', recordId: anchored.id, seq: newest.seq, detail: `seq ${newest.seq} does not match the hash anchored at ${newest.time}: the chain was rewritten` };
  }
  return undefined;
}
