import { existsSync, readFileSync } from 'node:fs';
import { parseStorageUrl } from '../storage/storage-url.js';
import { defaultAuditSecretPath } from './default-audit-secret.js';

/**
 * The HMAC secret from an environment variable. Too short a secret makes forging a chain a
 * brute-force job, so anything under 16 characters is refused.
 */
export function resolveAuditSecret(variable: string, environment: NodeJS.ProcessEnv = process.env): string {
  const value = environment[variable];
  if (value === undefined || value === '') throw new Error(`the audit secret is not set: export ${variable}=<secret>`);
  if (value.length < 16) throw new Error(`the audit secret in ${variable} is shorter than 16 characters`);
  return value;
}

/**
 * What the CLI verifies with: the variable when set, else (SQLite) the key the gateway created
 * beside the database when no `audit.secret` was configured.
 */
export function resolveCliAuditSecret(variable: string, storageUrl: string, environment: NodeJS.ProcessEnv = process.env): string {
  if (environment[variable]) return resolveAuditSecret(variable, environment);
  const location = parseStorageUrl(storageUrl);
  if (location.kind === 'sqlite' && location.path !== ':memory:') {
    const path = defaultAuditSecretPath(location.path);
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  }
  return resolveAuditSecret(variable, environment);
}
