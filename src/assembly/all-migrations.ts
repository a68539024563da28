import { auditMigrations } from '../audit/audit-migrations.js';
import { identityMigrations } from '../identity/api-key-migrations.js';
import { meteringMigrations } from '../metering/metering-migrations.js';
import { configVersionMigrations } from '../storage/config-version-store.js';
import { releaseMigrations } from '../releases/release-migrations.js';
import type { Migration } from '../storage/migration.js';

/**
 * Every room's schema; the runner sorts by id (storage 0001–0099, audit 0100–0199, metering
 * 0200–0299, identity 0300–0399, releases 0400–0499). A room adds its list here — one line — and both
 * `switchyard migrate` and startup pick it up.
 */
export const ALL_MIGRATIONS: readonly (readonly Migration[])[] = [
  configVersionMigrations,
  auditMigrations,
  meteringMigrations,
  identityMigrations,
  releaseMigrations,
];
