import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI, runSwitchyard, startSwitchyard, type RunningProcess } from './process-harness.js';

/**
 * One source of truth: the gateway and every CLI command pointed at one config use one database,
 * one key-store secret, one audit key and one set of roles — from any working directory. The
 * config's relative paths (storage, ${file:} secrets) resolve against its own folder.
 */

const root = mkdtempSync(join(tmpdir(), 'switchyard-truth-'));
const configDirectory = join(root, 'etc');
const gatewayDirectory = join(root, 'gateway-cwd');
const operatorDirectory = join(root, 'operator-cwd');
for (const directory of [configDirectory, gatewayDirectory, operatorDirectory]) mkdirSync(directory);
const configPath = join(configDirectory, 'switchyard.yaml');
/** As an operator types it from their own directory. */
const relativeConfig = relative(operatorDirectory, configPath);

writeFileSync(join(configDirectory, 'key-store-secret.txt'), 'a-key-store-secret-of-at-least-thirty-two-chars\n');
writeFileSync(join(configDirectory, 'audit-secret.txt'), 'an-audit-secret-of-at-least-thirty-two-chars\n');
writeFileSync(
  configPath,
  `server: { host: 127.0.0.1, port: 0 }
storage: { url: "sqlite:./state/gateway.db" }
audit: { secret: "\${file:audit-secret.txt}" }
identity:
  key_store: { secret: "\${file:key-store-secret.txt}", cache_ttl_seconds: 0 }
  roles:
    analyst: { models: ["*"], tiers: ["*"], max_data_class: restricted }
deployments:
  - { id: local, tier: on-prem, provider: mock }
  # A provider whose credential is not set here: commands that send nothing must not need it.
  - { id: cloud, tier: api, provider: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: "\${env:E2E_TRUTH_PROVIDER_KEY}" }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
policy:
  keywords: [{ class: restricted, words: [Bluebird] }]
  detectors:
    custom: [{ kind: dictionary, id: clients, entity: CLIENT, file: clients.txt }]
`,
);
writeFileSync(join(configDirectory, 'clients.txt'), '# one per line\n台積電\n');

let gateway: RunningProcess;

beforeAll(async () => {
  // The gateway runs from yet another directory, with the provider credential it needs to start.
  gateway = await startSwitchyard(['serve', '--config', configPath], { E2E_TRUTH_PROVIDER_KEY: 'sk-not-used' }, 60_000, gatewayDirectory);
});
afterAll(async () => {
  await gateway?.stop();
});

/** The CLI from the operator's directory, without the provider's credential. */
const cli = (...args: string[]) => runSwitchyard(args, { SWITCHYARD_CONFIG: '', SWITCHYARD_KEY_SECRET: '', SWITCHYARD_STORAGE_URL: '' }, operatorDirectory);

describe('the CLI and the gateway share one config', () => {
  it('a key created from another directory works on the gateway, and both see one database', async () => {
    const created = await cli('keys', 'create', '--config', relativeConfig, '--owner', 'ops@example.com', '--role', 'analyst');
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sy-/);

    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello from the CLI key' }] });
    expect(completion.choices[0]?.message.content).toBe('hello from the CLI key');

    // The database is beside the config, not in either working directory.
    expect(existsSync(join(configDirectory, 'state', 'gateway.db'))).toBe(true);
    expect(readdirSync(operatorDirectory)).toEqual([]);
    expect(readdirSync(gatewayDirectory)).toEqual([]);

    const listed = await cli('keys', 'list', '--config', relativeConfig);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('ops@example.com');

    // The audit key comes from the config too; the request above is in the chain.
    const verified = await cli('audit', 'verify', '--config', relativeConfig);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/audit chain intact: [1-9]\d* records verified/);
  });

  it('refuses a role the config does not define, before touching the database', async () => {
    const refused = await cli('keys', 'create', '--config', relativeConfig, '--owner', 'x', '--role', 'superuser');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`switchyard: unknown role 'superuser': ${relativeConfig} defines analyst (identity.roles)`);
  });

  it('a flag overrides the config: --storage names another database, which must exist to be read', async () => {
    const missing = join(root, 'nowhere', 'other.db');
    const listed = await cli('keys', 'list', '--config', relativeConfig, '--storage', `sqlite:${missing}`);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`no database at ${missing}`);
    expect(listed.stderr).toContain('switchyard migrate');
    expect(existsSync(missing)).toBe(false);
  });

  it('a read-only command on a config whose database does not exist is an error, not a new empty file', async () => {
    const otherDirectory = join(root, 'fresh');
    mkdirSync(otherDirectory);
    const freshConfig = join(otherDirectory, 'switchyard.yaml');
    writeFileSync(freshConfig, 'deployments:\n  - { id: d, tier: on-prem, provider: mock }\nmodels:\n  - { alias: c, targets: [{ deployment: d, model: m }] }\n');
    for (const args of [
      ['keys', 'list'],
      ['audit', 'export', '--format', 'jsonl'],
      ['audit', 'verify'],
      ['spend', '--by', 'department', '--period', '2026-11'],
    ]) {
      const result = await cli(...args, '--config', freshConfig);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toContain(`no database at ${join(otherDirectory, 'data', 'switchyard.db')}`);
    }
    expect(readdirSync(otherDirectory)).toEqual(['switchyard.yaml']);
  });

  it('without any config, the message names --config and the quick start', async () => {
    for (const args of [['keys', 'list'], ['audit', 'export', '--format', 'jsonl'], ['spend', '--by', 'team', '--period', '2026-11'], ['policy', 'explain', 'hi']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toContain('--config');
      expect(result.stderr, args.join(' ')).toContain('examples/quickstart.yaml');
    }
    const created = await cli('keys', 'create', '--owner', 'x', '--storage', 'sqlite:./keys.db');
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('examples/key-store-secret.txt');
    expect(readdirSync(operatorDirectory)).toEqual([]);
  });

  it('scan uses the config\'s detectors (dictionary beside the config) and its keyword classes', async () => {
    const input = `${JSON.stringify({ id: 1, text: '台積電 meeting' })}\n${JSON.stringify({ id: 2, text: 'Project Bluebird ships' })}\n`;
    const child = spawn(process.execPath, [CLI, 'scan', '--config', relativeConfig], { cwd: operatorDirectory, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end(input);
    const code = await new Promise((done) => child.once('close', done));
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number; entities: Array<{ type: string; start: number; end: number }>; data_class: string });
    expect(lines[0]).toMatchObject({ id: 1, entities: [{ type: 'CLIENT', start: 0, end: 3 }] });
    // Keyword rules raise the class the way the gateway does, though no entity was found.
    expect(lines[1]).toMatchObject({ id: 2, entities: [], data_class: 'restricted' });
  });

  it('policy explain reads the config without the provider credentials it never uses', async () => {
    const explained = await cli('policy', 'explain', '--config', relativeConfig, '--json', 'my card is 4111 1111 1111 1111');
    expect(explained.code, explained.stderr).toBe(0);
    expect((JSON.parse(explained.stdout) as { data_class?: string; dataClass?: string }).dataClass ?? JSON.parse(explained.stdout).data_class).toBe('restricted');
  });
});
