import { auditMigrations } from '../audit/audit-migrations.js';
import { meteringMigrations } from '../metering/metering-migrations.js';
import { configVersionMigrations } from './config-version-store.js';
import type { Migration } from './migration.js';

/**
 * Every room's schema, in the order the runner needs nothing from (it sorts by id).
 * A room adds its list here — one line — and `switchyard migrate` and startup pick it up.
 */
export const ALL_MIGRATIONS: readonly (readonly Migration[])[] = [configVersionMigrations, auditMigrations, meteringMigrations];
