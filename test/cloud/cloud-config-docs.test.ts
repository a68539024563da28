import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { parseConfigText } from '../../src/assembly/load-config.js';
import { createAdapter } from '../../src/providers/registry.js';

/**
 * The Bedrock, Vertex and Entra ID snippets of docs/configuration.md are real configs: each is
 * loaded as written (wrapped with a model alias per deployment), and the registry builds its
 * adapter without touching the network (identity libraries are only used on the first call).
 * The cross-field rules the docs state are enforced by config loading.
 */
const docs = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
const section = docs.slice(docs.indexOf('### Private-cloud identities'), docs.indexOf('## `models`'));
const snippets = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const ENVIRONMENT = { AZURE_OPENAI_CLIENT_SECRET: 'entra-secret-value' };

function configWith(deployments: unknown[]): string {
  const aliases = deployments.map((deployment) => {
    const { id, models } = deployment as { id: string; models: Record<string, string> };
    return { alias: `${id}-chat`, targets: [{ deployment: id, model: Object.keys(models)[0] }] };
  });
  return stringify({ storage: { url: 'sqlite::memory:' }, deployments, models: aliases });
}

function problemsOf(deployment: Record<string, unknown>): string[] {
  try {
    parseConfigText(configWith([{ models: { m: 'm' }, ...deployment }]), 'cloud.yaml', ENVIRONMENT);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('docs/configuration.md private-cloud snippets', () => {
  it('has the Bedrock, Vertex and Entra ID examples', () => {
    expect(snippets.map((snippet) => /provider: (\S+)/.exec(snippet)?.[1])).toEqual(['bedrock', 'vertex', 'azure-openai']);
  });

  it.each(snippets.map((snippet, index) => [index, snippet] as const))('snippet %i loads and its adapter builds', async (_index, snippet) => {
    const { deployments } = parse(snippet) as { deployments: unknown[] };
    const loaded = parseConfigText(configWith(deployments), 'cloud.yaml', ENVIRONMENT);
    for (const deployment of loaded.config.deployments) {
      const adapter = createAdapter(deployment, (reference) => loaded.secret(reference));
      expect(adapter.deploymentId).toBe(deployment.id);
      await adapter.close();
    }
  });
});

describe('cloud identity config rules', () => {
  const bedrock = { id: 'b', tier: 'private-cloud', provider: 'bedrock' };
  const azure = { id: 'a', tier: 'private-cloud', provider: 'azure-openai', base_url: 'https://contoso.openai.azure.com' };
  const entra = { credential: 'managed-identity' };

  it('bedrock and vertex need their block', () => {
    expect(problemsOf(bedrock)).toContainEqual(expect.stringContaining("provider 'bedrock' needs a 'bedrock' block"));
    expect(problemsOf({ id: 'v', tier: 'private-cloud', provider: 'vertex' })).toContainEqual(expect.stringContaining("provider 'vertex' needs a 'vertex' block"));
  });

  it('a vendor block on another provider is reported', () => {
    expect(problemsOf({ ...azure, api_key: '${env:AZURE_OPENAI_CLIENT_SECRET}', bedrock: { region: 'eu-central-1' } })).toContainEqual(
      expect.stringContaining("'bedrock' applies to provider 'bedrock' only"),
    );
  });

  it('auth: entra needs an entra block and no api_key; an entra block needs auth: entra', () => {
    expect(problemsOf({ ...azure, auth: 'entra' })).toContainEqual(expect.stringContaining("auth: entra needs an 'entra' block"));
    expect(problemsOf({ ...azure, auth: 'entra', entra, api_key: '${env:AZURE_OPENAI_CLIENT_SECRET}' })).toContainEqual(expect.stringContaining('remove api_key'));
    expect(problemsOf({ ...azure, entra })).toContainEqual(expect.stringContaining("an 'entra' block needs auth: entra"));
    expect(problemsOf({ ...azure, auth: 'entra', entra })).toEqual([]);
  });

  it('static AWS keys must be secret references, and the region must look like one', () => {
    const problems = problemsOf({ ...bedrock, bedrock: { region: 'Frankfurt', credentials: { source: 'static', access_key_id: 'AKIA123', secret_access_key: 'plain' } } });
    expect(problems.join('\n')).toMatch(/region/);
    expect(problems.join('\n')).toMatch(/secret reference/);
  });
});
