import { describe, expect, it } from 'vitest';
import type { AuditRecord, AuditRecordInput } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';
import { bodyOf, GENESIS_HEAD, hmacOf, sealRecords, signCheckpoint } from './hash-chain.js';
import { chooseAnchor, verifyChain, type StoredAuditRow } from './verify-chain.js';

const SECRET = 'test-secret';

function input(index: number): AuditRecordInput {
  return {
    time: new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString(),
    requestId: `req-${index}`,
    principal: { id: `key-${index % 3}`, department: 'finance', roles: ['user'] },
    inbound: 'openai-chat',
    alias: 'chat',
    deployment: 'azure-east',
    tier: 'private-cloud',
    status: index % 4 === 0 ? 'error' : 'ok',
    tokens: { input: 10 + index, output: 5, estimated: false },
    costUsd: 0.001 * index,
    attempts: [{ deployment: 'primary', status: 503, code: 'upstream_unavailable', reason: 'down' }],
    tags: { application: 'bot' },
    content: { mode: 'hash', requestSha256: 'ab'.repeat(32) },
  };
}

function toRow(record: AuditRecord, position = record.seq): StoredAuditRow {
  return { seq: position, id: record.id, body: canonicalJson(bodyOf(record)), hash: record.hash };
}

const records = sealRecords(SECRET, GENESIS_HEAD, Array.from({ length: 8 }, (_, index) => input(index + 1)));
const rows = () => records.map((record) => toRow(record));

/** Every leaf path of a JSON value, so each field of each record can be edited. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, member]) => leafPaths(member, [...prefix, Array.isArray(value) ? Number(key) : key]));
  }
  return [prefix];
}

function mutate(body: Record<string, unknown>, path: (string | number)[]): void {
  let target: Record<string | number, unknown> = body;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const old = target[last];
  target[last] = typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : `${String(old)}x`;
}

describe('verifyChain', () => {
  it('accepts an intact chain', async () => {
    const result = await verifyChain(rows(), { secret: SECRET });
    expect(result).toMatchObject({ ok: true, checked: 8, head: { seq: 8, hash: records[7]!.hash } });
  });

  it('reports edited for a change to any field of any record', async () => {
    let cases = 0;
    for (const [index, record] of records.entries()) {
      for (const path of leafPaths(bodyOf(record))) {
        const tampered = rows();
        const body = JSON.parse(tampered[index]!.body) as Record<string, unknown>;
        mutate(body, path);
        tampered[index] = { ...tampered[index]!, body: canonicalJson(body) };
        const result = await verifyChain(tampered, { secret: SECRET });
        expect(result.firstBreak, `record ${index} field ${path.join('.')}`).toMatchObject({ kind: 'edited', recordId: record.id });
        cases += 1;
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  it('reports edited when only the stored hash changes', async () => {
    const tampered = rows();
    tampered[3] = { ...tampered[3]!, hash: 'f'.repeat(64) };
    expect((await verifyChain(tampered, { secret: SECRET })).firstBreak).toMatchObject({ kind: 'edited', recordId: records[3]!.id });
  });

  it.each([0, 3, 7])('reports deleted when record %i is removed', async (index) => {
    const tampered = rows().filter((_, position) => position !== index);
    const result = await verifyChain(tampered, {
      secret: SECRET,
      checkpoints: [signCheckpoint(SECRET, { seq: 8, recordId: records[7]!.id, recordHash: records[7]!.hash, time: records[7]!.time, kind: 'periodic' })],
    });
    expect(result.firstBreak?.kind).toBe('deleted');
    // A deleted tail record is only noticed thanks to the checkpoint that covered it.
    expect(result.firstBreak?.recordId).toBe(index === 7 ? records[7]!.id : records[index + 1]!.id);
  });

  it('reports inserted for a forged record and for a replayed copy', async () => {
    const forgedBody = { ...bodyOf(records[4]!), id: 'forged', seq: 5, prevHash: records[3]!.hash, requestId: 'evil' };
    const forged: StoredAuditRow = { seq: 5, id: 'forged', body: canonicalJson(forgedBody), hash: hmacOf('wrong-secret', forgedBody) };
    const withForged = [...rows().slice(0, 4), forged, ...rows().slice(4)];
    expect((await verifyChain(withForged, { secret: SECRET })).firstBreak).toMatchObject({ kind: 'inserted', recordId: 'forged' });

    const withCopy = [...rows().slice(0, 6), rows()[2]!, ...rows().slice(6)];
    expect((await verifyChain(withCopy, { secret: SECRET })).firstBreak).toMatchObject({ kind: 'inserted', recordId: records[2]!.id });
  });

  it.each([
    [2, 3],
    [1, 6],
    [0, 7],
  ])('reports reordered when records %i and %i swap places', async (a, b) => {
    const tampered = rows();
    [tampered[a], tampered[b]] = [tampered[b]!, tampered[a]!];
    const result = await verifyChain(tampered, { secret: SECRET });
    expect(result.firstBreak).toMatchObject({ kind: 'reordered', recordId: records[b]!.id });
  });

  it('continues from a retention checkpoint, and still catches deletions after it', async () => {
    const anchorRecord = records[2]!;
    const retention = signCheckpoint(SECRET, { seq: 3, recordId: anchorRecord.id, recordHash: anchorRecord.hash, time: anchorRecord.time, kind: 'retention' });
    const remaining = rows().slice(3);
    const anchor = chooseAnchor(SECRET, [retention]);
    expect((await verifyChain(remaining, { secret: SECRET, anchor, checkpoints: [retention] })).ok).toBe(true);
    const cut = rows().slice(4);
    expect((await verifyChain(cut, { secret: SECRET, anchor, checkpoints: [retention] })).firstBreak?.kind).toBe('deleted');
    // Without the (signed) checkpoint the same rows are a deletion from genesis.
    expect((await verifyChain(remaining, { secret: SECRET })).firstBreak?.kind).toBe('deleted');
    const forgedAnchor = { ...retention, seq: 4, signature: '0'.repeat(64) };
    expect(chooseAnchor(SECRET, [forgedAnchor])).toEqual(GENESIS_HEAD);
  });
});
