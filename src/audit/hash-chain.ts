import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditRecord, AuditRecordInput, SealedAuditBody } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of record 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain continues from: the last record written (or a checkpoint, or genesis). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** HMAC-SHA-256 (hex) of any value's canonical JSON. */
export function hmacOf(secret: string | Buffer, value: unknown): string {
  return hmacOfText(secret, canonicalJson(value));
}

function hmacOfText(secret: string | Buffer, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/** The canonical JSON each freshly sealed record was hashed over (the store keeps the same text). */
const sealedText = new WeakMap<AuditRecord, string>();

/**
 * The canonical JSON of a record's body, as stored: the text `sealRecords` hashed when it made
 * this record (computed once per record, not again for the insert), else computed now.
 */
export function canonicalBodyOf(record: AuditRecord): string {
  return sealedText.get(record) ?? canonicalJson(bodyOf(record));
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The body exactly as hashed: an `AuditRecord` without its `hash`. */
export function bodyOf(record: AuditRecord): SealedAuditBody {
  const { hash: _hash, ...body } = record;
  return body;
}

/**
 * Gives each record its place after `head`: seq, prevHash, and the HMAC over the whole body.
 * Must run inside the store's append transaction so `head` is the real current head.
 */
export function sealRecords(
  secret: string | Buffer,
  head: ChainHead,
  inputs: readonly (AuditRecordInput & { id?: string })[],
): AuditRecord[] {
  let previous = head;
  return inputs.map((input) => {
    const body: SealedAuditBody = { ...input, id: input.id ?? randomUUID(), seq: previous.seq + 1, prevHash: previous.hash };
    const text = canonicalJson(body);
    const record: AuditRecord = { ...body, hash: hmacOfText(secret, text) };
    sealedText.set(record, text);
    previous = { seq: record.seq, hash: record.hash };
    return record;
  });
}

/**
 * A signed statement "record `seq` had hash `recordHash` at `time`". Periodic checkpoints let
 * verify notice a truncated tail and start a range check part-way; a `retention` checkpoint
 * is the anchor the chain continues from after old records were deleted on purpose.
 */
export interface AuditCheckpoint {
  seq: number;
  recordId: string;
  recordHash: string;
  time: string;
  kind: 'periodic' | 'retention';
  signature: string;
}

export function signCheckpoint(secret: string | Buffer, checkpoint: Omit<AuditCheckpoint, 'signature'>): AuditCheckpoint {
  return { ...checkpoint, signature: hmacOf(secret, { ...checkpoint, type: 'switchyard-audit-checkpoint' }) };
}

export function checkpointIsValid(secret: string | Buffer, checkpoint: AuditCheckpoint): boolean {
  const { signature, ...unsigned } = checkpoint;
  return sameHash(signature, hmacOf(secret, { ...unsigned, type: 'switchyard-audit-checkpoint' }));
}
