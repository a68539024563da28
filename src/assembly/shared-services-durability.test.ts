import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';
import { createSharedServices } from './create-shared-services.js';

const config = (database: string, audit: string) => `
storage: { url: "sqlite:${database}" }
audit: ${audit}
auth: { keys: [{ id: k, key: "\${env:KEY}" }] }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m1 }] }
`;

describe('audit.durability decides the SQLite commit mode', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  // PRAGMA synchronous: 1 = NORMAL (no fsync per commit), 2 = FULL (fsync per commit).
  it.each([
    ['{ enabled: true, secret: "${env:KEY}" }', 'process', 1],
    ['{ enabled: true, secret: "${env:KEY}", durability: process }', 'process', 1],
    ['{ enabled: true, secret: "${env:KEY}", durability: power-loss }', 'power-loss', 2],
  ] as const)('audit %s → %s, synchronous=%i', async (audit, durability, synchronous) => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-durability-'));
    const loaded = parseConfigText(config(join(directory, 'gateway.db'), audit), 'durability.yaml', { KEY: 'durability-key-0123456789' });
    expect(loaded.config.audit.durability).toBe(durability);
    const services = await createSharedServices(loaded);
    try {
      expect(services.storage.sqlite?.pragma('synchronous', { simple: true })).toBe(synchronous);
    } finally {
      await services.close();
    }
  });
});
