import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAuditSecretPath, loadOrCreateAuditSecret } from './default-audit-secret.js';

describe('loadOrCreateAuditSecret', () => {
  it('creates the key (and its folder) once, owner-only, and returns the same key afterwards', () => {
    const path = defaultAuditSecretPath(join(mkdtempSync(join(tmpdir(), 'audit-key-')), 'not-yet', 'switchyard.db'));
    const first = loadOrCreateAuditSecret(path);
    expect(first.created).toBe(true);
    expect(first.secret.length).toBeGreaterThanOrEqual(40);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAuditSecret(path)).toEqual({ secret: first.secret, created: false });
  });
});
