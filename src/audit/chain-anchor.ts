import { hmacOf, sameHash } from './hash-chain.js';

/**
 * A signed statement of the chain head — "record `seq` (id, hash) was the last one at `time`" —
 * published OUTSIDE the database (a file on another volume, a webhook, an object-locked bucket).
 * Checkpoints inside the database cannot reveal a truncated tail or a wiped ledger to someone
 * who can delete them too; an anchor they cannot reach can.
 */
export interface AnchorStatement {
  type: 'switchyard-audit-anchor';
  seq: number;
  /** Null for an empty ledger (seq 0). */
  recordId: string | null;
  /** The HMAC of record `seq` (the genesis hash for seq 0). */
  hash: string;
  time: string;
  reason: 'interval' | 'shutdown' | 'manual';
  signature: string;
}

export type UnsignedAnchor = Omit<AnchorStatement, 'signature' | 'type'>;

export function signAnchor(secret: string | Buffer, anchor: UnsignedAnchor): AnchorStatement {
  const body = { type: 'switchyard-audit-anchor' as const, ...anchor };
  return { ...body, signature: hmacOf(secret, body) };
}

export function anchorIsValid(secret: string | Buffer, statement: AnchorStatement): boolean {
  const { signature, ...body } = statement;
  return typeof signature === 'string' && sameHash(signature, hmacOf(secret, body));
}

function isStatement(value: unknown): value is AnchorStatement {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.type === 'switchyard-audit-anchor' &&
    typeof candidate.seq === 'number' &&
    Number.isInteger(candidate.seq) &&
    candidate.seq >= 0 &&
    typeof candidate.hash === 'string' &&
    typeof candidate.time === 'string' &&
    typeof candidate.signature === 'string'
  );
}

/**
 * Statements from a sink's content: JSON lines (the file sink), a JSON array, or one object.
 * Anything that is not a statement is an error: an anchor source must not be quietly ignored.
 */
export function parseAnchorStatements(text: string, origin: string): AnchorStatement[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let values: unknown[];
  if (trimmed.startsWith('[')) values = JSON.parse(trimmed) as unknown[];
  else values = trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
  return values.map((value, index) => {
    if (!isStatement(value)) throw new Error(`${origin}: entry ${index + 1} is not a Switchyard audit anchor statement`);
    return value;
  });
}
