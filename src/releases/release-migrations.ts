import type { Migration } from '../storage/migration.js';

/**
 * Releases use ids 0400–0499. The content itself lives in `config_versions` (the table every
 * configuration the gateway ran is kept in), so an audit record's `configVersion` — the release
 * id — resolves to the exact snapshot; `releases` adds who made it and why.
 */
const tables = (real: string) => `
  CREATE TABLE IF NOT EXISTS releases (id TEXT PRIMARY KEY, digest TEXT NOT NULL, created_at TEXT NOT NULL, author TEXT, note TEXT);
  CREATE INDEX IF NOT EXISTS releases_created ON releases (created_at);
  CREATE TABLE IF NOT EXISTS release_state (scope TEXT PRIMARY KEY, generation INTEGER NOT NULL, production TEXT, canary TEXT,
    canary_percent ${real}, canary_cohort TEXT, updated_at TEXT, updated_by TEXT);
  CREATE TABLE IF NOT EXISTS release_events (generation INTEGER PRIMARY KEY, time TEXT NOT NULL, action TEXT NOT NULL, release_id TEXT,
    production TEXT, canary TEXT, canary_percent ${real}, canary_cohort TEXT, actor TEXT, reason TEXT, forced INTEGER NOT NULL, detail TEXT);`;

/** Published evaluation summaries (eval run --publish): the quality dashboard's per-release KPIs. */
const evaluations = `CREATE TABLE IF NOT EXISTS release_evaluations (release_id TEXT NOT NULL, bank_sha256 TEXT NOT NULL, generated_at TEXT NOT NULL,
    target TEXT NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (release_id, bank_sha256, generated_at, target));
  CREATE INDEX IF NOT EXISTS release_evaluations_time ON release_evaluations (generated_at);`;

export const releaseMigrations: Migration[] = [
  { id: '0400-releases', sqlite: tables('REAL'), postgres: tables('DOUBLE PRECISION') },
  { id: '0401-release-evaluations', sqlite: evaluations, postgres: evaluations },
];
