import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The audit HMAC key for a single-machine SQLite setup that configured none: created once,
 * beside the database, readable by the owner only. It survives restarts, so the chain keeps
 * verifying; production configs set `audit.secret` to a reference kept away from the database.
 */
export function defaultAuditSecretPath(sqlitePath: string): string {
  return join(dirname(resolve(sqlitePath)), 'audit-secret');
}

export function loadOrCreateAuditSecret(path: string): { secret: string; created: boolean } {
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), created: false };
  const secret = randomBytes(32).toString('base64url');
  // The key is resolved before the database is opened, so its folder may not exist yet.
  mkdirSync(dirname(path), { recursive: true });
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, created: true };
  } catch {
    return { secret: readFileSync(path, 'utf8').trim(), created: false };
  }
}
