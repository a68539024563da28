import { MIN_SECRET_LENGTH } from '../identity/api-key-hasher.js';
import type { SwitchyardConfig } from './config-schema.js';

/** The audit HMAC key's floor (as `resolveAuditSecret` enforces for the CLI). */
const MIN_AUDIT_SECRET_LENGTH = 16;

export interface SecretIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * Checks on resolved secret values that `serve` would otherwise trip over later, or never notice:
 * too-short HMAC secrets, two static keys with one value (requests cannot tell them apart), a
 * static key equal to the bootstrap admin key. Runs inside config loading, so `config check` and
 * `serve` refuse the same configs. Messages name paths, never values. `resolved(reference)`
 * answers undefined for references that were not resolved (deferred, or missing).
 */
export function checkSecrets(config: SwitchyardConfig, resolved: (reference: string) => string | undefined): SecretIssue[] {
  const issues: SecretIssue[] = [];
  const keyStore = config.identity.key_store?.secret;
  const keyStoreValue = keyStore === undefined ? undefined : resolved(keyStore);
  if (keyStoreValue !== undefined && keyStoreValue.length < MIN_SECRET_LENGTH) {
    issues.push({
      path: ['identity', 'key_store', 'secret'],
      message: `the key-store secret is ${keyStoreValue.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. \`openssl rand -base64 48\`)`,
    });
  }
  const audit = config.audit.secret === undefined ? undefined : resolved(config.audit.secret);
  if (audit !== undefined && audit.length < MIN_AUDIT_SECRET_LENGTH) {
    issues.push({ path: ['audit', 'secret'], message: `the audit secret is ${audit.length} characters; use at least ${MIN_AUDIT_SECRET_LENGTH} (e.g. \`openssl rand -base64 48\`)` });
  }
  const bootstrap = config.identity.bootstrap_admin_key === undefined ? undefined : resolved(config.identity.bootstrap_admin_key);
  const seen = new Map<string, number>();
  config.auth.keys.forEach((key, index) => {
    const value = resolved(key.key);
    if (value === undefined) return;
    const first = seen.get(value);
    if (first !== undefined) {
      issues.push({
        path: ['auth', 'keys', index, 'key'],
        message: `has the same value as auth.keys[${first}] ('${config.auth.keys[first]!.id}'); every key needs its own value, or requests cannot be told apart`,
      });
    } else {
      seen.set(value, index);
    }
    if (bootstrap !== undefined && value === bootstrap) {
      issues.push({
        path: ['auth', 'keys', index, 'key'],
        message: 'has the same value as identity.bootstrap_admin_key; give the bootstrap admin key its own value',
      });
    }
  });
  return issues;
}
