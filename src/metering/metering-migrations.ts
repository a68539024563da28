import type { Migration } from '../storage/migration.js';

/** The metering room's schema (ids 0200–0299). Money is BIGINT micro-dollars. */
const budgetTables = `
  CREATE TABLE IF NOT EXISTS budget_usage (
    budget_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    spent_micros BIGINT NOT NULL DEFAULT 0,
    reserved_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_id, period_key)
  );
  CREATE TABLE IF NOT EXISTS budget_reservations (
    reservation_id TEXT NOT NULL,
    budget_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    amount_micros BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (reservation_id, budget_id, period_key)
  );
  CREATE INDEX IF NOT EXISTS budget_reservations_created ON budget_reservations (created_at);`;

const spendTables = `
  CREATE TABLE IF NOT EXISTS spend_events (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    request_id TEXT NOT NULL,
    principal_id TEXT,
    team TEXT,
    department TEXT,
    alias TEXT,
    deployment TEXT,
    tier TEXT,
    model TEXT,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL DEFAULT 0,
    estimated INTEGER NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX IF NOT EXISTS spend_events_time ON spend_events (time);
  CREATE TABLE IF NOT EXISTS spend_event_tags (
    event_id TEXT NOT NULL,
    time TEXT NOT NULL,
    tag TEXT NOT NULL,
    cost_micros BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    PRIMARY KEY (event_id, tag)
  );
  CREATE INDEX IF NOT EXISTS spend_event_tags_time ON spend_event_tags (time);`;

/** Traffic on a deployment without a price is marked, so reports never show it as $0. */
const unpricedColumns = `
  ALTER TABLE spend_events ADD COLUMN unpriced INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE spend_event_tags ADD COLUMN unpriced INTEGER NOT NULL DEFAULT 0;`;

/** Prompt-cache writes are priced apart from reads (Anthropic: 1.25× input for 5 minutes, 2× for an hour). */
const cacheWriteColumn = `
  ALTER TABLE spend_events ADD COLUMN cache_write_input_tokens BIGINT NOT NULL DEFAULT 0;`;

export const meteringMigrations: Migration[] = [
  { id: '0200-budget-ledger', sqlite: budgetTables, postgres: budgetTables },
  { id: '0201-spend-events', sqlite: spendTables, postgres: spendTables },
  { id: '0202-spend-unpriced', sqlite: unpricedColumns, postgres: unpricedColumns },
  { id: '0203-spend-cache-writes', sqlite: cacheWriteColumn, postgres: cacheWriteColumn },
];
