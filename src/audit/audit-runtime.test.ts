import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllTargetsFailedError, GatewayError } from '../errors/gateway-error.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { queryAuditForAdmin } from './admin-audit-query.js';
import { auditConfigSchema } from './audit-config-schema.js';
import { createAuditRuntime, type AuditRuntime } from './audit-runtime.js';
import { buildAuditRecord } from './build-audit-record.js';
import { verifyAuditStore } from './verify-audit-store.js';

describe('audit runtime, record builder and admin query', () => {
  let target: StorageTarget;
  let storage: Storage;
  let runtime: AuditRuntime;
  const SECRET = 'runtime-secret-0123456789';

  beforeAll(async () => {
    target = sqliteTarget();
    storage = await openMigratedStorage(target.url);
    runtime = createAuditRuntime({ storage, secret: SECRET, config: auditConfigSchema.parse({ capture: { restricted: 'none' } }) });
  });
  afterAll(async () => {
    await runtime.close();
    await storage.close();
    await target.dispose();
  });

  it('builds denied, failed and successful records and pages them newest first', async () => {
    const principal = { id: 'k1', kind: 'key' as const, department: 'finance', roles: ['user'], tags: {} };
    const facts = { requestId: 'a', inbound: 'openai-chat' as const, principal, alias: 'chat', dataClass: 'restricted' };
    const failed = new AllTargetsFailedError('chat', [{ deployment: 'd1', status: 503, code: 'upstream_unavailable', reason: 'down' }], undefined);
    const records = [
      buildAuditRecord(facts, { startedAt: 1_000, endedAt: 1_250, httpStatus: 429, error: new GatewayError('budget_exceeded', 'no') }, 'hash'),
      buildAuditRecord({ ...facts, requestId: 'b' }, { startedAt: 2_000, endedAt: 2_100, httpStatus: 503, error: failed }, 'hash'),
      buildAuditRecord({ ...facts, requestId: 'c', deployment: 'd2' }, {
        startedAt: 3_000, endedAt: 3_900, firstByteAt: 3_200, httpStatus: 200, usage: { inputTokens: 3, outputTokens: 4, estimated: true },
        costUsd: 0.01, content: { request: 'secret text' }, attempts: [{ deployment: 'd1', code: 'upstream_timeout', reason: 'slow' }],
      }, runtime.captureModeFor('restricted')),
    ];
    expect(records.map((record) => [record.status, record.errorCode])).toEqual([['denied', 'budget_exceeded'], ['error', 'upstream_unavailable'], ['ok', undefined]]);
    expect(records[1]!.attempts).toEqual([{ deployment: 'd1', status: 503, code: 'upstream_unavailable', reason: 'down' }]);
    expect(records[2]!.attempts).toEqual([{ deployment: 'd1', code: 'upstream_timeout', reason: 'slow' }]);
    expect(records[0]!.attempts).toBeUndefined();
    expect(records[2]).toMatchObject({ latencyMs: 900, ttftMs: 200, tokens: { input: 3, output: 4, estimated: true }, content: { mode: 'none' } });
    expect(JSON.stringify(records[2])).not.toContain('secret text');

    await Promise.all(records.map((record) => runtime.writer.appendDurable(record)));
    runtime.assertHealthy();
    const first = await queryAuditForAdmin(runtime.store, { department: 'finance', limit: '2' });
    expect(first.data.map((record) => record.requestId)).toEqual(['c', 'b']);
    const second = await queryAuditForAdmin(runtime.store, { department: 'finance', limit: '2', cursor: first.next_cursor! });
    expect([second.data.map((record) => record.requestId), second.next_cursor]).toEqual([['a'], null]);
    await expect(queryAuditForAdmin(runtime.store, { cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid_request', param: 'cursor' });
    await expect(queryAuditForAdmin(runtime.store, { from: 'yesterday' })).rejects.toMatchObject({ param: 'from' });
    expect((await verifyAuditStore(runtime.store, SECRET)).ok).toBe(true);
  });
});
