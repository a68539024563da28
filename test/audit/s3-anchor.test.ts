import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnchorPublisher } from '../../src/audit/anchor-publisher.js';
import { signAnchor } from '../../src/audit/chain-anchor.js';
import { sealRecords } from '../../src/audit/hash-chain.js';
import { createS3AnchorSink, readS3Anchors } from '../../src/audit/s3-anchor-sink.js';
import { openMigratedStorage } from '../../src/assembly/open-migrated-storage.js';
import { runTsChild } from '../support/run-ts-child.js';
import { createSqlAuditStore } from '../../src/audit/sql-audit-store.js';
import { sqliteTarget } from '../support/storage/storage-test-targets.js';
import { startS3StandIn, type S3StandIn } from '../support/s3-stand-in.js';
import { CLI_URL } from '../support/cli-entry.js';

/** Generous: these spawn real processes on a machine shared with other work. */
const TIMEOUT_MS = 120_000;

/**
 * The S3 anchor sink with the official AWS SDK client against a local stand-in that verifies
 * SigV4, payload hashes and Object Lock rules (test/support/s3-stand-in.ts).
 */

const SECRET = 'anchor-test-secret-0123456789';
const CLI = CLI_URL;
const verify = (url: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runTsChild(CLI, ['audit', 'verify', '--storage', url, ...extra], { env: { SWITCHYARD_AUDIT_SECRET: SECRET, ...env } });
const FIXED_NOW = () => new Date('2026-11-20T00:00:00.000Z');

describe('anchoring to an S3 bucket with Object Lock (local stand-in, SigV4 verified)', () => {
  let s3: S3StandIn;
  beforeAll(async () => {
    s3 = await startS3StandIn({ buckets: ['audit-anchors'], now: FIXED_NOW });
  }, TIMEOUT_MS);
  afterAll(async () => {
    await s3?.close();
  }, TIMEOUT_MS);

  it('writes each head as a locked object, reads back the newest, and refuses a bad signature', async () => {
    const options = { bucket: 'audit-anchors', prefix: 'prod/', region: s3.region, endpoint: s3.url, credentials: s3.credentials, now: FIXED_NOW };
    const sink = createS3AnchorSink({ ...options, objectLock: { mode: 'COMPLIANCE', retainDays: 7 } });
    for (const seq of [9, 10, 11]) {
      await sink.publish(signAnchor(SECRET, { seq, recordId: `r${seq}`, hash: String(seq).padStart(64, '0'), time: `2026-11-20T00:00:${seq}.000Z`, reason: 'interval' }));
    }
    sink.close();
    expect(s3.refusals).toEqual([]);
    const stored = [...s3.objects.entries()];
    expect(stored).toHaveLength(3);
    for (const [, object] of stored) expect(object).toMatchObject({ mode: 'COMPLIANCE', retainUntil: new Date('2026-11-27T00:00:00.000Z') });
    const newest = await readS3Anchors(options);
    expect(newest.map((statement) => statement.seq)).toEqual([11]);

    const forger = createS3AnchorSink({ ...options, credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'wrong-secret-key-0123456789abcdefghijkl' } });
    await expect(forger.publish(signAnchor(SECRET, { seq: 99, recordId: null, hash: '0'.repeat(64), time: '2026-11-20T01:00:00.000Z', reason: 'manual' }))).rejects.toThrow();
    forger.close();
    expect(s3.refusals.map((refusal) => refusal.code)).toContain('SignatureDoesNotMatch');
    expect(s3.objects.size).toBe(3);
  }, TIMEOUT_MS);

  it('audit verify --anchor s3://… detects the truncated tail the bucket vouches for', async () => {
    const target = sqliteTarget();
    const storage = await openMigratedStorage(target.url);
    try {
      const store = createSqlAuditStore(storage.executor);
      await store.append((head) => sealRecords(SECRET, head, Array.from({ length: 4 }, (_, index) => ({ time: `2026-11-1${index}T00:00:00.000Z`, requestId: `s3-${index}`, inbound: 'openai-chat' as const, status: 'ok' as const }))));
      const sink = createS3AnchorSink({ bucket: 'audit-anchors', prefix: 'verify/', region: s3.region, endpoint: s3.url, credentials: s3.credentials, objectLock: { mode: 'GOVERNANCE', retainDays: 1 }, now: FIXED_NOW });
      await createAnchorPublisher({ store, secret: SECRET, sinks: [sink], intervalMs: 3_600_000, now: FIXED_NOW }).close();
      sink.close();
      await storage.executor.run('DELETE FROM audit_records WHERE seq = 4');
      const env = { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: s3.region };
      const result = await verify(target.url, ['--anchor', 's3://audit-anchors/verify/', '--anchor-endpoint', s3.url], env);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toContain('BROKEN: truncated');
    } finally {
      await storage.close();
      await target.dispose();
    }
  }, TIMEOUT_MS);
});
