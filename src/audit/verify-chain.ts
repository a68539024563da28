import { mismatchedColumn, type AuditIndexColumns } from './audit-index-columns.js';
import type { SealedAuditBody } from './audit-record.js';
import {
  checkpointIsValid,
  GENESIS_HEAD,
  hmacOf,
  sameHash,
  type AuditCheckpoint,
  type ChainHead,
} from './hash-chain.js';

/** A record as the store holds it, in storage order (the `seq` column). */
export interface StoredAuditRow {
  seq: number;
  id: string;
  /** Canonical JSON of the sealed body. */
  body: string;
  hash: string;
  /** The store's query columns, when it has them; checked against the signed body. */
  columns?: AuditIndexColumns;
}

/**
 * `forged`: a checkpoint or anchor whose signature does not verify. `truncated`: records after
 * the last one an anchor outside the database vouches for are gone. `wiped`: the ledger is empty
 * but an anchor says it held records.
 */
export type ChainBreakKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'forged' | 'truncated' | 'wiped';

export interface ChainBreak {
  kind: ChainBreakKind;
  /** The first record that does not fit (for `deleted`: the one after the hole). */
  recordId: string;
  /** Its position (the storage `seq` column). */
  seq: number;
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBreak?: ChainBreak;
  /** The last record that verified. */
  head: ChainHead;
  /** Checkpoints whose signature does not verify: each is a break (`forged`), never just a warning. */
  invalidCheckpoints: number;
}

export interface VerifyOptions {
  secret: string | Buffer;
  /** Where the rows continue from: genesis, a retention checkpoint, or a periodic one for ranges. */
  anchor?: ChainHead;
  /** Signed checkpoints; one beyond the last row means the tail was cut off. */
  checkpoints?: readonly AuditCheckpoint[];
  /** False when verifying a range that deliberately stops before the end. */
  checkTail?: boolean;
}

function parse(row: StoredAuditRow): SealedAuditBody | undefined {
  try {
    const body = JSON.parse(row.body) as SealedAuditBody;
    return typeof body === 'object' && body !== null && typeof body.seq === 'number' ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The anchor to verify from: the newest valid retention checkpoint (records before it were
 * deleted on purpose), or for a range starting at seq `beforeSeq` the newest valid checkpoint
 * below it, so a range check does not re-read the whole history.
 */
export function chooseAnchor(
  secret: string | Buffer,
  checkpoints: readonly AuditCheckpoint[],
  beforeSeq?: number,
): ChainHead {
  const valid = checkpoints.filter((checkpoint) => checkpointIsValid(secret, checkpoint));
  const retention = valid.filter((checkpoint) => checkpoint.kind === 'retention').sort((a, b) => b.seq - a.seq)[0];
  let anchor: ChainHead = retention ? { seq: retention.seq, hash: retention.recordHash } : GENESIS_HEAD;
  if (beforeSeq !== undefined) {
    for (const checkpoint of valid) {
      if (checkpoint.seq < beforeSeq && checkpoint.seq > anchor.seq) anchor = { seq: checkpoint.seq, hash: checkpoint.recordHash };
    }
  }
  return anchor;
}

/**
 * Walks the rows once. Each record's HMAC covers its seq and its predecessor's hash, so:
 * - bad HMAC, and the next record links to the one before → a forged record was `inserted`;
 * - bad HMAC otherwise → the record was `edited` (content, seq, prevHash or hash changed);
 * - valid record whose seq was already passed → a copy was `inserted`;
 * - valid record that skips seqs → `reordered` if a skipped seq turns up later, else `deleted`;
 * - rows end before a signed checkpoint's seq → the tail was `deleted`;
 * - a query column (department, status, …) differs from the signed body → `edited`.
 * Only the first break is reported; the scan continues only to classify it.
 */
export async function verifyChain(
  rows: Iterable<StoredAuditRow> | AsyncIterable<StoredAuditRow>,
  options: VerifyOptions,
): Promise<ChainVerification> {
  const anchor = options.anchor ?? GENESIS_HEAD;
  const checkpoints = options.checkpoints ?? [];
  const validCheckpoints = checkpoints.filter((checkpoint) => checkpointIsValid(options.secret, checkpoint));
  const checkpointHash = new Map(validCheckpoints.map((checkpoint) => [checkpoint.seq, checkpoint.recordHash]));
  let expected = anchor;
  let checked = 0;
  let previousRow: { row: StoredAuditRow; body: SealedAuditBody | undefined } | undefined;
  let firstBreak: ChainBreak | undefined;
  // A gap waiting to be classified: reordered if a missing seq appears later, else deleted.
  let gap: { from: number; to: number; row: StoredAuditRow } | undefined;

  const broken = (kind: ChainBreakKind, row: StoredAuditRow, body: SealedAuditBody | undefined, detail: string): ChainBreak => ({
    kind,
    recordId: body?.id ?? row.id,
    seq: row.seq,
    detail,
  });

  // Classifies `current` once the row after it is known (a forged record is told apart from an
  // edited one by whether the next record still links past it).
  const judge = (current: StoredAuditRow, body: SealedAuditBody | undefined, next: SealedAuditBody | undefined): void => {
    checked += 1;
    const macOk = body !== undefined && sameHash(hmacOf(options.secret, body), current.hash);
    if (!macOk) {
      if (next !== undefined && next.prevHash === expected.hash && next.seq === expected.seq + 1) {
        firstBreak = broken('inserted', current, undefined, `record at position ${current.seq} is not part of the chain: the next record links to seq ${expected.seq}`);
      } else {
        // The body's own id cannot be trusted once its HMAC fails; the id column names it.
        firstBreak = broken('edited', current, undefined, `record at position ${current.seq} does not match its HMAC`);
      }
      return;
    }
    if (body.seq <= expected.seq) {
      firstBreak = broken('inserted', current, body, `seq ${body.seq} appears again after seq ${expected.seq}`);
      return;
    }
    if (body.seq > expected.seq + 1) {
      gap = { from: expected.seq + 1, to: body.seq - 1, row: current };
      const missing = body.seq - 1 === expected.seq + 1 ? `seq ${expected.seq + 1}` : `seq ${expected.seq + 1}–${body.seq - 1}`;
      firstBreak = broken('deleted', current, body, `${missing} missing before seq ${body.seq}`);
      return;
    }
    const knownHash = checkpointHash.get(body.seq);
    if (!sameHash(body.prevHash, expected.hash) || (knownHash !== undefined && !sameHash(knownHash, current.hash))) {
      firstBreak = broken('edited', current, body, `seq ${body.seq} does not link to the record before it`);
      return;
    }
    const column = current.columns ? mismatchedColumn(current.columns, body) : undefined;
    if (column !== undefined || current.id !== body.id) {
      firstBreak = broken('edited', current, body, `column ${column ?? 'id'} of seq ${body.seq} differs from the signed record`);
      return;
    }
    expected = { seq: body.seq, hash: current.hash };
  };

  for await (const row of rows) {
    const body = parse(row);
    if (firstBreak === undefined && previousRow) judge(previousRow.row, previousRow.body, body);
    if (firstBreak !== undefined) {
      // Only a pending gap still needs rows: does a skipped seq turn up later?
      if (gap && body && body.seq >= gap.from && body.seq <= gap.to && sameHash(hmacOf(options.secret, body), row.hash)) {
        firstBreak = { ...firstBreak, kind: 'reordered', detail: `seq ${body.seq} is stored after seq ${gap.to + 1}` };
        gap = undefined;
      }
      if (!gap) break;
      continue;
    }
    previousRow = { row, body };
  }
  if (firstBreak === undefined && previousRow) judge(previousRow.row, previousRow.body, undefined);

  if (firstBreak === undefined && options.checkTail !== false) {
    const beyond = validCheckpoints.filter((checkpoint) => checkpoint.seq > expected.seq).sort((a, b) => a.seq - b.seq)[0];
    if (beyond) {
      firstBreak = {
        kind: 'deleted',
        recordId: beyond.recordId,
        seq: expected.seq + 1,
        detail: `the chain ends at seq ${expected.seq} but checkpoint ${beyond.time} covers seq ${beyond.seq}`,
      };
    }
  }
  // A checkpoint that does not verify was forged or altered by someone without the key: tampering.
  const forged = checkpoints.find((checkpoint) => !checkpointIsValid(options.secret, checkpoint));
  if (firstBreak === undefined && forged) {
    firstBreak = {
      kind: 'forged',
      recordId: forged.recordId,
      seq: forged.seq,
      detail: `the ${forged.kind} checkpoint for seq ${forged.seq} (${forged.time}) has an invalid signature`,
    };
  }
  return {
    ok: firstBreak === undefined,
    checked,
    head: expected,
    invalidCheckpoints: checkpoints.length - validCheckpoints.length,
    ...(firstBreak ? { firstBreak } : {}),
  };
}
