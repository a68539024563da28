import { describe, expect, it } from 'vitest';
import { runSwitchyard, writeTempConfig } from './process-harness.js';

describe('switchyard config check', () => {
  it('accepts the quick-start config', async () => {
    const result = await runSwitchyard(['config', 'check', '--config', 'examples/quickstart.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok \(2 deployments, 2 model aliases, 1 keys\)/);
  });

  it('reports three mistakes with their line numbers in one run and exits 1', async () => {
    const path = writeTempConfig(`server:
  port: 8080
  colour: blue
deployments:
  - id: local
    tier: basement
    provider: mock
models:
  - alias: chat
    targets:
      - { deployment: missing, model: m }
`);
    const result = await runSwitchyard(['config', 'check', '--config', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 problems');
    expect(result.stderr).toContain('line 3, column 3: server.colour: unknown key');
    expect(result.stderr).toMatch(/line 6, column 11: deployments\[0\]\.tier: /);
    expect(result.stderr).toContain("line 11, column 23: models[0].targets[0].deployment: unknown deployment 'missing'");
  });

  it('never echoes a resolved secret', async () => {
    const path = writeTempConfig(
      `auth:\n  keys:\n    - { id: k, key: "\${env:E2E_SECRET_KEY}" }\ndeployments:\n  - { id: d, tier: on-prem, provider: mock }\nmodels:\n  - { alias: c, targets: [{ deployment: d, model: m }] }\n`,
    );
    const result = await runSwitchyard(['config', 'check', '--config', path], { E2E_SECRET_KEY: 'sy-very-secret-value' });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('sy-very-secret-value');
  });

  it('uses SWITCHYARD_CONFIG when --config is absent and names a missing variable', async () => {
    const path = writeTempConfig(
      `auth:\n  keys:\n    - { id: k, key: "\${env:E2E_NOT_SET}" }\ndeployments:\n  - { id: d, tier: on-prem, provider: mock }\nmodels:\n  - { alias: c, targets: [{ deployment: d, model: m }] }\n`,
    );
    const result = await runSwitchyard(['config', 'check'], { SWITCHYARD_CONFIG: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 3, column 21: auth.keys[0].key: environment variable E2E_NOT_SET is not set');
  });

  it('prints a JSON Schema', async () => {
    const result = await runSwitchyard(['config', 'schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(schema.properties).toHaveProperty('deployments');
  });
});
