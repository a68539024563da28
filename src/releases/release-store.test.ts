import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../assembly/config-schema.js';
import { runMigrations } from '../storage/run-migrations.js';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import type { Storage } from '../storage/open-storage.js';
import { createSqlReleaseStore } from './sql-release-store.js';
import { postgresAvailability, postgresTarget, sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { snapshotRelease } from './release-content.js';
import { createReleaseRuntime } from './release-runtime.js';
import { createReleaseService, GateRefusedError } from './release-service.js';
import type { ReleaseEvent } from './release-store.js';

/**
 * The release store and service on both databases: immutable content-addressed releases,
 * state changes as numbered events, rollback, concurrent promotions, and a replica picking a
 * promotion up by polling — on SQLite and on a real PostgreSQL.
 */
function config(model: string, kbVersion = '1') {
  return configSchema.parse({
    deployments: [{ id: 'd1', tier: 'on-prem', provider: 'mock' }],
    models: [{ alias: 'chat', targets: [{ deployment: 'd1', model }] }],
    releases: {
      templates: [{ name: 'greet', version: '1', labels: ['production'], messages: [{ role: 'system', content: 'Hello {{name}}' }] }],
      knowledge_bases: [{ alias: 'chat', index: 'docs', version: kbVersion }],
    },
  });
}

const passed = { passed: true, failures: [] };
let clock = Date.parse('2026-11-05T03:00:00.000Z');
const now = () => new Date((clock += 1_000));

function suite(name: string, makeTarget: () => Promise<StorageTarget>) {
  describe(`releases on ${name}`, () => {
    let target: StorageTarget;
    let storage: Storage;
    beforeAll(async () => {
      target = await makeTarget();
      storage = await target.open();
      await runMigrations(storage.executor, ALL_MIGRATIONS);
    });
    afterAll(async () => {
      await storage?.close();
      await target?.dispose();
    });

    it('stores a release once per content, resolves prefixes and detects tampering', async () => {
      const audited: ReleaseEvent[] = [];
      const service = createReleaseService({ store: createSqlReleaseStore(storage.executor), now, audit: async (event) => void audited.push(event) });
      const first = await service.create({ content: snapshotRelease(config('m-v1')), author: 'alice', note: 'first' });
      expect(first.created).toBe(true);
      const again = await service.create({ content: snapshotRelease(config('m-v1')), author: 'bob' });
      expect(again).toMatchObject({ created: false, record: { id: first.record.id, author: 'alice' } });
      const shown = await service.show(first.record.id.slice(0, 8));
      expect(shown.content.aliases.chat?.knowledgeBase).toEqual({ index: 'docs', version: '1' });
      // The snapshot is kept in config_versions too, so an audit record's configVersion resolves.
      const [version] = await storage.executor.all('SELECT id FROM config_versions WHERE id = ?', [first.record.id]);
      expect(version?.id).toBe(first.record.id);
      await storage.executor.run("UPDATE config_versions SET source = replace(source, 'm-v1', 'm-evil') WHERE id = ?", [first.record.id]);
      await expect(service.show(first.record.id)).rejects.toThrow(/modified/);
      await storage.executor.run("UPDATE config_versions SET source = replace(source, 'm-evil', 'm-v1') WHERE id = ?", [first.record.id]);
      await expect(service.show('rel-ffffffffffff')).rejects.toThrow(/release list/);
    });

    it('promotes, runs a canary, rolls back, refuses without evidence, and numbers every change', async () => {
      const audited: ReleaseEvent[] = [];
      const store = createSqlReleaseStore(storage.executor);
      const service = createReleaseService({ store, now, audit: async (event) => void audited.push(event) });
      const a = (await service.create({ content: snapshotRelease(config('m-a')) })).record.id;
      const b = (await service.create({ content: snapshotRelease(config('m-b', '2')) })).record.id;
      await expect(service.promote({ release: a })).rejects.toThrow(/KPI gate/);
      await expect(service.promote({ release: a, verdict: { passed: false, failures: [{ kpi: 'pass_rate.security', actual: 0.5, limit: 1, message: 'm' }] } })).rejects.toBeInstanceOf(GateRefusedError);
      await expect(service.promote({ release: a, force: true })).rejects.toThrow(/--reason/);
      await expect(service.promote({ release: a, verdict: passed, knownDeployments: new Set(['other']) })).rejects.toThrow(/d1/);
      const start = (await service.state()).generation;
      await service.promote({ release: a, verdict: passed, actor: 'alice' });
      await service.promote({ release: b, verdict: passed, canaryPercent: 10, cohort: 'radiology', actor: 'bob' });
      expect(await service.state()).toMatchObject({ generation: start + 2, production: a, canary: { release: b, percent: 10, cohort: 'radiology' } });
      const list = await service.list();
      expect(list.find((row) => row.id === a)?.serving).toBe('production');
      expect(list.find((row) => row.id === b)?.serving).toBe('canary');
      expect((await service.rollback({ actor: 'carol' })).action).toBe('abort-canary');
      expect(await service.state()).toMatchObject({ production: a });
      expect((await service.state()).canary).toBeUndefined();
      await service.promote({ release: b, verdict: passed });
      const back = await service.rollback({ reason: 'worse today' });
      expect(back).toMatchObject({ action: 'rollback', release: b, production: a, reason: 'worse today' });
      const forced = await service.promote({ release: b, force: true, reason: 'hotfix', verdict: { passed: false, failures: [{ kpi: 'latency_p95_ms', actual: 9, limit: 1, message: 'slow' }] } });
      expect(forced).toMatchObject({ forced: true, reason: 'hotfix', detail: { forcedFailures: ['latency_p95_ms'] } });
      const events = await service.events(100);
      expect(events.map((event) => event.generation)).toEqual([...events.map((event) => event.generation)].sort((x, y) => y - x));
      expect(audited.map((event) => event.action)).toEqual(['promote', 'canary', 'abort-canary', 'promote', 'rollback', 'promote']);
      // Rollbacks walk back through the production history, never forward again.
      expect((await service.rollback({})).production).toBe(a);
      const last = await service.rollback({});
      expect(last.production).toBeUndefined();
      await expect(service.rollback({})).rejects.toThrow(/nothing to roll back/);
    });

    it('lets one of two concurrent promotions win; the other fails and changes nothing', async () => {
      const service = createReleaseService({ store: createSqlReleaseStore(storage.executor), now });
      const a = (await service.create({ content: snapshotRelease(config('m-c1')) })).record.id;
      const b = (await service.create({ content: snapshotRelease(config('m-c2')) })).record.id;
      const before = (await service.state()).generation;
      const results = await Promise.allSettled([service.promote({ release: a, verdict: passed }), service.promote({ release: b, verdict: passed })]);
      const won = results.filter((result) => result.status === 'fulfilled').length;
      const state = await service.state();
      expect(won).toBeGreaterThanOrEqual(1);
      expect(state.generation).toBe(before + won);
      expect((await service.events(won)).map((event) => event.generation)).toHaveLength(won);
    });

    it('keeps published evaluations and returns the newest per release', async () => {
      const store = createSqlReleaseStore(storage.executor);
      const stats = (passRate: number) => ({ items: 4, passRate, refusalCorrectness: 1, citationRate: null, piiLeaks: 0, latencyMs: { p50: 1, p95: 2 }, costPerItemUsd: 0 });
      const evaluation = (release: string, generatedAt: string, passRate: number) => ({ release, bankSha256: 'b'.repeat(64), generatedAt, target: `chat@${release}`, summary: { overall: stats(passRate), categories: { security: stats(passRate) } } });
      await store.saveEvaluation(evaluation('rel-e1', '2026-11-05T01:00:00.000Z', 0.5));
      await store.saveEvaluation(evaluation('rel-e1', '2026-11-05T02:00:00.000Z', 0.75));
      await store.saveEvaluation(evaluation('rel-e1', '2026-11-05T02:00:00.000Z', 0.75));
      await store.saveEvaluation(evaluation('rel-e2', '2026-11-05T01:30:00.000Z', 1));
      const latest = await store.latestEvaluations(10);
      expect(latest.map((entry) => [entry.release, entry.summary.overall.passRate])).toEqual([['rel-e1', 0.75], ['rel-e2', 1]]);
      expect(await store.latestEvaluations(1)).toHaveLength(1);
    });

    it('a replica picks a promotion up at its next poll; a failing store keeps the releases in force', async () => {
      const store = createSqlReleaseStore(storage.executor);
      const service = createReleaseService({ store, now });
      const base = snapshotRelease(config('m-base'));
      const target = (await service.create({ content: snapshotRelease(config('m-next')) })).record.id;
      const errors: unknown[] = [];
      let failing = false;
      const flaky = { ...store, state: () => (failing ? Promise.reject(new Error('database down')) : store.state()) };
      const runtime = await createReleaseRuntime({ store: flaky, base, pollIntervalMs: 60_000, onError: (error) => errors.push(error) });
      try {
        await service.promote({ release: target, verdict: passed });
        await runtime.refresh();
        expect((await runtime.choose({ userId: 'u1' })).release.id).toBe(target);
        failing = true;
        await expect(runtime.refresh()).rejects.toThrow('database down');
        expect((await runtime.choose({ userId: 'u1' })).release.id).toBe(target);
      } finally {
        runtime.close();
      }
    });
  });
}

suite('sqlite', async () => sqliteTarget());
const postgres = await postgresAvailability();
if (postgres.run) suite('postgres', postgresTarget);
else describe.skip(`releases on postgres (unreachable: ${postgres.reason})`, () => it('needs PostgreSQL at 127.0.0.1:5432', () => undefined));
