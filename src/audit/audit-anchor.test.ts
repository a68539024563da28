import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlAuditStore } from './sql-audit-store.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import { runTsChild } from '../../test/support/run-ts-child.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { createFileAnchorSink } from './anchor-sinks.js';
import { createAnchorPublisher } from './anchor-publisher.js';
import { anchorIsValid } from './chain-anchor.js';
import { sealRecords, signCheckpoint } from './hash-chain.js';
import { CLI_URL } from '../../test/support/cli-entry.js';

/** Generous: these spawn real processes on a machine shared with other work. */
const TIMEOUT_MS = 120_000;

/**
 * `audit verify` must exit 1 for every way of hiding records: an edited record, a deleted middle
 * record, a forged checkpoint, and — given an anchor published outside the database — a wiped
 * ledger and a truncated tail. Each case gets its own database, tampered with plain SQL the way
 * an attacker with database access would.
 */

const SECRET = 'anchor-test-secret-0123456789';
const CLI = CLI_URL;
const verify = (url: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runTsChild(CLI, ['audit', 'verify', '--storage', url, ...extra], { env: { SWITCHYARD_AUDIT_SECRET: SECRET, ...env } });
const FIXED_NOW = () => new Date('2026-11-20T00:00:00.000Z');

interface Ledger {
  target: StorageTarget;
  anchorFile: string;
  run(sql: string, parameters?: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Six sealed records, a periodic checkpoint at seq 3, and the head (seq 6) anchored to a file. */
async function ledger(): Promise<Ledger> {
  const target = sqliteTarget();
  const storage = await openMigratedStorage(target.url);
  const store = createSqlAuditStore(storage.executor);
  const inputs = Array.from({ length: 6 }, (_, index) => ({
    time: `2026-11-0${index + 1}T08:00:00.000Z`,
    requestId: `req-${index}`,
    inbound: 'openai-chat' as const,
    status: 'ok' as const,
  }));
  const records = await store.append((head) => sealRecords(SECRET, head, inputs));
  const third = records[2]!;
  await store.addCheckpoint(signCheckpoint(SECRET, { seq: 3, recordId: third.id, recordHash: third.hash, time: '2026-11-03T09:00:00.000Z', kind: 'periodic' }));
  const anchorFile = join(mkdtempSync(join(tmpdir(), 'switchyard-anchor-')), 'anchors.jsonl');
  const publisher = createAnchorPublisher({ store, secret: SECRET, sinks: [createFileAnchorSink(anchorFile)], intervalMs: 3_600_000, now: FIXED_NOW });
  await publisher.close();
  return {
    target,
    anchorFile,
    run: async (sql, parameters = []) => {
      await storage.executor.run(sql, parameters);
    },
    close: async () => {
      await storage.close();
      await target.dispose();
    },
  };
}

describe('audit verify against tampering', () => {
  const ledgers: Ledger[] = [];
  const fresh = async () => {
    const created = await ledger();
    ledgers.push(created);
    return created;
  };
  afterAll(async () => {
    for (const created of ledgers) await created.close();
  });

  it('publishes a signed head that a file sink keeps as JSON lines', async () => {
    const { anchorFile } = await fresh();
    const [statement] = readFileSync(anchorFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(statement).toMatchObject({ type: 'switchyard-audit-anchor', seq: 6, reason: 'shutdown', time: '2026-11-20T00:00:00.000Z' });
    expect(anchorIsValid(SECRET, statement)).toBe(true);
    expect(anchorIsValid('another-secret-0123456789', statement)).toBe(false);
  }, TIMEOUT_MS);

  it('exits 1 for an edited record, a deleted middle record and a forged checkpoint', async () => {
    const [edited, deleted, forged] = await Promise.all([fresh(), fresh(), fresh()]);
    await edited.run(`UPDATE audit_records SET body = replace(body, '"status":"ok"', '"status":"denied"') WHERE seq = 2`);
    await deleted.run('DELETE FROM audit_records WHERE seq = 4');
    // A checkpoint claiming more records than exist, without the key to sign it.
    await forged.run(
      `INSERT INTO audit_checkpoints (seq, record_id, record_hash, time, kind, signature) VALUES (9, 'x', ?, '2026-11-09T00:00:00.000Z', 'periodic', ?)`,
      ['a'.repeat(64), 'b'.repeat(64)],
    );
    const results = await Promise.all([verify(edited.target.url), verify(deleted.target.url), verify(forged.target.url)]);
    expect(results.map((result) => result.code)).toEqual([1, 1, 1]);
    expect(results[0]!.stdout).toContain('BROKEN: edited');
    expect(results[1]!.stdout).toContain('BROKEN: deleted');
    expect(results[1]!.stdout).toContain('seq 4 missing');
    expect(results[2]!.stdout).toContain('BROKEN: forged');
    expect(results[2]!.stdout).toContain('invalid signature');
  }, TIMEOUT_MS);

  it('a wiped ledger and a truncated tail pass without an anchor (and verify says so), and exit 1 with one', async () => {
    const [wiped, truncated] = await Promise.all([fresh(), fresh()]);
    await wiped.run('DELETE FROM audit_records');
    await wiped.run('DELETE FROM audit_checkpoints');
    // Records after the last checkpoint (seq 3) are the ones the database alone cannot vouch for.
    await truncated.run('DELETE FROM audit_records WHERE seq > 4');
    const [wipedBare, truncatedBare, wipedAnchored, truncatedAnchored, missingAnchor, intact] = await Promise.all([
      verify(wiped.target.url),
      verify(truncated.target.url),
      verify(wiped.target.url, ['--anchor', wiped.anchorFile]),
      verify(truncated.target.url, ['--anchor', `file:${truncated.anchorFile}`]),
      verify(truncated.target.url, ['--anchor', join(tmpdir(), 'no-such-anchor.jsonl')]),
      fresh().then((ok) => verify(ok.target.url, ['--anchor', ok.anchorFile])),
    ]);
    for (const bare of [wipedBare, truncatedBare]) {
      expect(bare.code).toBe(0);
      expect(bare.stdout).toContain('a truncated tail');
      expect(bare.stdout).toContain('cannot be detected');
    }
    expect(wipedAnchored.code).toBe(1);
    expect(wipedAnchored.stdout).toContain('BROKEN: wiped');
    expect(truncatedAnchored.code).toBe(1);
    expect(truncatedAnchored.stdout).toContain('BROKEN: truncated');
    expect(truncatedAnchored.stdout).toContain('seq 5–6 were deleted');
    expect(missingAnchor.code).toBe(2);
    expect(missingAnchor.stderr).toContain('cannot read the anchor file');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('anchor: the head published at 2026-11-20T00:00:00.000Z (seq 6) is present and matches');
  }, TIMEOUT_MS);

  it('exits 1 for a forged anchor statement and for a chain rebuilt under an anchored seq', async () => {
    const [forgedAnchor, rebuilt] = await Promise.all([fresh(), fresh()]);
    const statement = JSON.parse(readFileSync(forgedAnchor.anchorFile, 'utf8').trim()) as Record<string, unknown>;
    writeFileSync(forgedAnchor.anchorFile, `${JSON.stringify({ ...statement, seq: 3 })}\n`);
    // Rebuilt: a consistent chain whose last record is not the one anchored (needs the key).
    await rebuilt.run('DELETE FROM audit_records WHERE seq = 6');
    const storage = await openMigratedStorage(rebuilt.target.url);
    const store = createSqlAuditStore(storage.executor);
    await store.append((head) => sealRecords(SECRET, head, [{ time: '2026-11-06T08:00:00.000Z', requestId: 'replacement', inbound: 'openai-chat', status: 'ok' }]));
    await storage.close();
    const [forged, replaced] = await Promise.all([
      verify(forgedAnchor.target.url, ['--anchor', forgedAnchor.anchorFile]),
      verify(rebuilt.target.url, ['--anchor', rebuilt.anchorFile]),
    ]);
    expect([forged.code, replaced.code]).toEqual([1, 1]);
    expect(forged.stdout).toContain('BROKEN: forged');
    expect(replaced.stdout).toContain('BROKEN: edited');
    expect(replaced.stdout).toContain('does not match the hash anchored');
  }, TIMEOUT_MS);
});

describe('the webhook anchor sink', () => {
  it('POSTs the statement as JSON with the configured authorization, and a non-2xx is a failed publish', async () => {
    const { createServer } = await import('node:http');
    const { createWebhookAnchorSink } = await import('./anchor-sinks.js');
    const { signAnchor } = await import('./chain-anchor.js');
    const received: Array<{ authorization?: string; body: string }> = [];
    let status = 202;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), body });
        response.writeHead(status);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const sink = createWebhookAnchorSink({ url: `http://127.0.0.1:${port}/collect`, authorization: 'Bearer siem-token' });
      const statement = signAnchor(SECRET, { seq: 5, recordId: 'r5', hash: 'c'.repeat(64), time: '2026-11-20T00:00:00.000Z', reason: 'interval' });
      await sink.publish(statement);
      expect(received).toEqual([{ authorization: 'Bearer siem-token', body: JSON.stringify(statement) }]);
      status = 500;
      await expect(sink.publish(statement)).rejects.toThrow('HTTP 500');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, TIMEOUT_MS);
});
