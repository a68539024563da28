import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../assembly/config-schema.js';
import { PROVIDER_IDS, PROVIDERS } from './provider-list.js';
import { createAdapter } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Provider folders: a directory under providers/ with an index.ts (its definition). */
const providerFolders = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

describe('provider list', () => {
  it('lists every provider folder exactly once, under the folder name', () => {
    expect([...PROVIDER_IDS].sort()).toEqual(providerFolders);
    expect(new Set(PROVIDER_IDS).size).toBe(PROVIDER_IDS.length);
  });

  it.each(providerFolders)('%s: its folder exports the listed definition and its test runs a conformance suite', async (folder) => {
    const module = (await import(/* @vite-ignore */ pathToFileURL(join(here, folder, 'index.ts')).href)) as Record<string, unknown>;
    const listed = PROVIDERS.find((provider) => provider.id === folder);
    expect(Object.values(module)).toContain(listed);
    const testFile = join(here, folder, 'index.test.ts');
    expect(existsSync(testFile), `${folder}/index.test.ts is missing`).toBe(true);
    expect(readFileSync(testFile, 'utf8')).toMatch(/run(Provider|Outbound)Conformance\(/);
  });

  it.each(PROVIDERS.map((provider) => [provider.id, provider] as const))('%s: the deployment schema accepts it and the registry builds it', async (id, provider) => {
    const deployment = deploymentSchema.parse({ id: 'd1', tier: 'on-prem', provider: id, base_url: provider.usesNetwork ? 'http://127.0.0.1:9/v1' : undefined });
    const adapter = createAdapter(deployment, () => 'secret');
    expect(adapter.deploymentId).toBe('d1');
    await adapter.close();
  });

  it('merges each vendor option field into the deployment schema and nowhere else', () => {
    const shape = deploymentSchema.shape;
    for (const provider of PROVIDERS) {
      for (const field of Object.keys(provider.options)) expect(shape).toHaveProperty(field);
    }
    expect(() => deploymentSchema.parse({ id: 'd1', tier: 'api', provider: 'unknown-vendor' })).toThrow();
  });
});
