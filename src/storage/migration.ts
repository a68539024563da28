/**
 * One versioned schema change, written for both stores. Each room (audit, metering, identity,
 * config versions) exports its own list; the migration runner applies every list in id order
 * and records what it applied, so rooms never edit each other's SQL.
 */
export interface Migration {
  /** Globally unique and sortable, e.g. `0100-audit-records`; never renamed once released. */
  id: string;
  sqlite: string;
  postgres: string;
}
