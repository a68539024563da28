import { createSqlConfigVersionStore } from '../storage/config-version-store.js';
import { toNumber, type SqlExecutor, type SqlRow } from '../storage/sql-executor.js';
import { releaseDigest, type ReleaseContent } from './release-content.js';
import {
  ReleaseNotFoundError,
  type ReleaseAction,
  type ReleaseEvaluation,
  type ReleaseEvent,
  type ReleaseRecord,
  type ReleaseState,
  type ReleaseStore,
  type ReleaseSummary,
} from './release-store.js';
import { stableJson } from './stable-json.js';

/** One fleet, one state row; the key leaves room for several independent fleets later. */
const SCOPE = 'default';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function summary(row: SqlRow): ReleaseSummary {
  const author = text(row.author);
  const note = text(row.note);
  return { id: String(row.id), digest: String(row.digest), createdAt: String(row.created_at), ...(author ? { author } : {}), ...(note ? { note } : {}) };
}

function stateFrom(row: SqlRow | undefined): ReleaseState {
  if (!row) return { generation: 0 };
  const production = text(row.production);
  const canary = text(row.canary);
  const cohort = text(row.canary_cohort);
  const updatedAt = text(row.updated_at);
  const updatedBy = text(row.updated_by);
  return {
    generation: toNumber(row.generation),
    ...(production ? { production } : {}),
    ...(canary ? { canary: { release: canary, percent: toNumber(row.canary_percent), ...(cohort ? { cohort } : {}) } } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    ...(updatedBy ? { updatedBy } : {}),
  };
}

function eventFrom(row: SqlRow): ReleaseEvent {
  const state = stateFrom(row);
  const optional = { release: text(row.release_id), actor: text(row.actor), reason: text(row.reason) };
  const detail = text(row.detail);
  return {
    generation: toNumber(row.generation),
    time: String(row.time),
    action: String(row.action) as ReleaseAction,
    forced: toNumber(row.forced) === 1,
    ...(state.production ? { production: state.production } : {}),
    ...(state.canary ? { canary: state.canary } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(detail ? { detail: JSON.parse(detail) as Record<string, unknown> } : {}),
  };
}

export function createSqlReleaseStore(executor: SqlExecutor): ReleaseStore {
  const versions = createSqlConfigVersionStore(executor);

  async function resolveId(reference: string): Promise<string | undefined> {
    const exact = await executor.all('SELECT id FROM releases WHERE id = ?', [reference]);
    if (exact.length > 0) return reference;
    if (!/^[a-z0-9-]+$/i.test(reference)) return undefined;
    const matches = await executor.all('SELECT id FROM releases WHERE id LIKE ? ORDER BY id LIMIT 2', [`${reference}%`]);
    if (matches.length > 1) throw new ReleaseNotFoundError(reference, 'the prefix matches more than one release; give more characters');
    return matches[0] ? String(matches[0].id) : undefined;
  }

  return {
    async save(record) {
      return executor.transaction(async (transaction) => {
        await createSqlConfigVersionStore(transaction).save({
          id: record.id,
          createdAt: record.createdAt,
          source: stableJson(record.content),
          ...(record.author ? { author: record.author } : {}),
        });
        const { changes } = await transaction.run(
          'INSERT INTO releases (id, digest, created_at, author, note) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [record.id, record.digest, record.createdAt, record.author ?? null, record.note ?? null],
        );
        return { created: changes > 0 };
      });
    },
    async get(reference) {
      const id = await resolveId(reference);
      if (id === undefined) return undefined;
      const [row] = await executor.all('SELECT * FROM releases WHERE id = ?', [id]);
      const version = await versions.get(id);
      if (!row || !version) return undefined;
      const content = JSON.parse(version.source) as ReleaseContent;
      const head = summary(row);
      // Immutability is checked, not assumed: an edited row no longer matches its digest.
      if (releaseDigest(content) !== head.digest) throw new Error(`release ${id} was modified in the store: its content no longer matches digest ${head.digest}`);
      return { ...head, content };
    },
    async list(limit) {
      const rows = await executor.all('SELECT * FROM releases ORDER BY created_at DESC, id LIMIT ?', [limit]);
      return rows.map(summary);
    },
    async state() {
      const [row] = await executor.all('SELECT * FROM release_state WHERE scope = ?', [SCOPE]);
      return stateFrom(row);
    },
    async transition(decide, time) {
      return executor.transaction(async (transaction) => {
        const [row] = await transaction.all('SELECT * FROM release_state WHERE scope = ?', [SCOPE]);
        const current = stateFrom(row);
        const change = decide(current);
        const generation = current.generation + 1;
        const { production, canary } = change.next;
        const stateValues = [production ?? null, canary?.release ?? null, canary?.percent ?? null, canary?.cohort ?? null];
        if (row) {
          const { changes } = await transaction.run(
            'UPDATE release_state SET generation = ?, production = ?, canary = ?, canary_percent = ?, canary_cohort = ?, updated_at = ?, updated_by = ? WHERE scope = ? AND generation = ?',
            [generation, ...stateValues, time, change.actor ?? null, SCOPE, current.generation],
          );
          if (changes !== 1) throw new Error('the release state changed meanwhile; run the command again');
        } else {
          await transaction.run(
            'INSERT INTO release_state (scope, generation, production, canary, canary_percent, canary_cohort, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [SCOPE, generation, ...stateValues, time, change.actor ?? null],
          );
        }
        await transaction.run(
          'INSERT INTO release_events (generation, time, action, release_id, production, canary, canary_percent, canary_cohort, actor, reason, forced, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [generation, time, change.action, change.release ?? null, ...stateValues, change.actor ?? null, change.reason ?? null, change.forced ? 1 : 0, change.detail ? JSON.stringify(change.detail) : null],
        );
        const [after] = await transaction.all('SELECT * FROM release_events WHERE generation = ?', [generation]);
        const state: ReleaseState = { ...stateFrom({ ...after, generation }), updatedAt: time, ...(change.actor ? { updatedBy: change.actor } : {}) };
        return { state, event: eventFrom(after ?? {}) };
      });
    },
    async saveEvaluation(evaluation) {
      await executor.run(
        'INSERT INTO release_evaluations (release_id, bank_sha256, generated_at, target, summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [evaluation.release, evaluation.bankSha256, evaluation.generatedAt, evaluation.target, JSON.stringify(evaluation.summary)],
      );
    },
    async latestEvaluations(releases) {
      const rows = await executor.all('SELECT * FROM release_evaluations ORDER BY generated_at DESC LIMIT ?', [releases * 20]);
      const newest = new Map<string, ReleaseEvaluation>();
      for (const row of rows) {
        const release = String(row.release_id);
        if (newest.has(release) || newest.size >= releases) continue;
        newest.set(release, {
          release,
          bankSha256: String(row.bank_sha256),
          generatedAt: String(row.generated_at),
          target: String(row.target),
          summary: JSON.parse(String(row.summary)) as ReleaseEvaluation['summary'],
        });
      }
      return [...newest.values()];
    },
    async events(limit) {
      const rows = await executor.all('SELECT * FROM release_events ORDER BY generation DESC LIMIT ?', [limit]);
      return rows.map(eventFrom);
    },
  };
}
