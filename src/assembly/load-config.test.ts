import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { configJsonSchema } from './config-schema.js';
import { loadConfigFile, parseConfigText } from './load-config.js';

const VALID = `
deployments:
  - id: local
    tier: on-prem
    provider: mock
  - id: cloud
    tier: api
    provider: openai-compatible
    base_url: https://api.example.test/v1
    api_key: \${env:CLOUD_KEY}
models:
  - alias: chat
    targets:
      - { deployment: local, model: m1 }
`;

function problemsOf(text: string, environment: NodeJS.ProcessEnv = {}): ConfigError['problems'] {
  try {
    parseConfigText(text, 'test.yaml', environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('applies defaults and keeps secrets beside the config', () => {
    const loaded = parseConfigText(VALID, 'test.yaml', { CLOUD_KEY: 'sk-test-123' });
    expect(loaded.config.server.port).toBe(8080);
    expect(loaded.config.server.body_limit_bytes).toBe(4 * 1024 * 1024);
    expect(loaded.config.deployments[1]?.api_key).toBe('${env:CLOUD_KEY}');
    expect(loaded.secret('${env:CLOUD_KEY}')).toBe('sk-test-123');
    expect(JSON.stringify(loaded.config)).not.toContain('sk-test-123');
  });

  it('reports three mistakes at once, each with its path, line and column', () => {
    const problems = problemsOf(`deployments:
  - id: a
    tier: moon
    provider: mock
    colour: blue
models:
  - alias: x
    targets:
      - deployment: nope
        model: m
`);
    expect(problems).toEqual([
      expect.objectContaining({ path: 'deployments[0].tier', line: 3, column: 11 }),
      expect.objectContaining({ path: 'deployments[0].colour', message: 'unknown key', line: 5, column: 5 }),
      expect.objectContaining({ path: 'models[0].targets[0].deployment', line: 9, column: 21 }),
    ]);
  });

  it('names a missing secret reference without echoing any value', () => {
    const problems = problemsOf(VALID, {});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'deployments[1].api_key', line: 10 });
    expect(problems[0]?.message).toContain('CLOUD_KEY');
  });

  it('refuses credentials written inline instead of by reference', () => {
    const problems = problemsOf(VALID.replace('${env:CLOUD_KEY}', 'sk-live-abc'), {});
    expect(problems[0]).toMatchObject({ path: 'deployments[1].api_key', line: 10 });
    expect(problems[0]?.message).toMatch(/secret reference/);
  });

  it('reports YAML syntax errors with a position', () => {
    const problems = problemsOf('deployments: [\n  - id: a\n');
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('requires base_url for OpenAI-compatible deployments and unique ids', () => {
    const problems = problemsOf(`deployments:
  - { id: a, tier: on-prem, provider: openai-compatible }
  - { id: a, tier: on-prem, provider: mock }
models:
  - { alias: c, targets: [{ deployment: a, model: m }] }
`);
    expect(problems.map((problem) => problem.message)).toEqual([
      "provider 'openai-compatible' needs a base_url",
      "duplicate deployment id 'a'",
    ]);
  });

  it('resolves ${file:…} relative to the config file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
    writeFileSync(join(directory, 'key.txt'), 'sy-file-key\n');
    writeFileSync(
      join(directory, 'switchyard.yaml'),
      `auth:\n  keys:\n    - { id: k, key: "\${file:key.txt}" }\n${VALID.replace('${env:CLOUD_KEY}', '${file:key.txt}')}`,
    );
    const loaded = loadConfigFile(join(directory, 'switchyard.yaml'), {});
    expect(loaded.secret('${file:key.txt}')).toBe('sy-file-key');
  });
});

describe('policy problems in config check', () => {
  it('reports every unsafe or invalid custom detector pattern with its line', () => {
    const problems = problemsOf(`deployments:
  - { id: d, tier: on-prem, provider: mock }
models:
  - { alias: c, targets: [{ deployment: d, model: m }] }
policy:
  detectors:
    custom:
      - { kind: regex, id: nested, entity: PROJECT, pattern: "(a+)+$" }
      - { kind: regex, id: broken, entity: PROJECT, pattern: "([a-z" }
`);
    expect(problems.map((problem) => [problem.path, problem.line])).toEqual([
      ['policy.detectors.custom[0]', 8],
      ['policy.detectors.custom[1]', 9],
    ]);
    expect(problems[0]?.message).toMatch(/nested quantifiers/);
  });

  it('reports a rule naming an unknown deployment', () => {
    const problems = problemsOf(`deployments:
  - { id: d, tier: on-prem, provider: mock }
models:
  - { alias: c, targets: [{ deployment: d, model: m }] }
policy:
  rules:
    - { name: only-x, allow_deployments: [x] }
`);
    expect(problems).toEqual([expect.objectContaining({ path: 'policy.rules[0].allow_deployments[0]', line: 7, message: "unknown deployment 'x'" })]);
  });
});

describe('configJsonSchema', () => {
  it('describes the top-level keys for editors', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['server', 'auth', 'deployments', 'models']));
    expect(schema.additionalProperties).toBe(false);
  });
});
