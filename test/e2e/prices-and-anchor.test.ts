import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { runSwitchyard, startSwitchyard, writeTempConfig } from './process-harness.js';
import { waitFor } from './traffic-helpers.js';

/** Generous: these spawn real processes on a machine shared with other work. */
const TIMEOUT_MS = 180_000;

/** The price catalogue's commands and warnings, and a real gateway anchoring its chain to a file. */

const KEY = 'sy-e2e-anchor-key-0123456789';
const SECRET = 'e2e-anchor-audit-secret-0123456789';

describe('prices on the command line', () => {
  it('config check names every non-on-prem deployment without a price, and fails on a broken catalogue file', async () => {
    const config = `deployments:
  - { id: hosted, tier: api, provider: mock }
  - { id: cloud, tier: private-cloud, provider: mock }
  - { id: basement, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: hosted, model: house-model }, { deployment: cloud, model: gpt-4o-mini-2024-07-18 }, { deployment: basement, model: house-model }] }
  - { alias: other, targets: [{ deployment: cloud, model: secret-sauce }] }
`;
    const ok = await runSwitchyard(['config', 'check', '--config', writeTempConfig(config)]);
    expect(ok.code).toBe(0);
    const warnings = ok.stderr.trim().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("warning: deployment 'hosted' (model 'house-model', alias 'chat') has no price");
    expect(warnings[1]).toContain("deployment 'cloud' (model 'secret-sauce', alias 'other')");
    // Config prices silence it.
    const priced = await runSwitchyard(['config', 'check', '--config', writeTempConfig(`${config}metering:\n  prices:\n    - { deployment: hosted, input_per_million: 1, output_per_million: 2 }\n    - { deployment: cloud, model: secret-sauce, input_per_million: 1, output_per_million: 2 }\n`)]);
    expect([priced.code, priced.stderr]).toEqual([0, '']);
    const broken = writeTempConfig(`${config}metering:\n  price_catalogue: ./prices.json\n`, { 'prices.json': '{"schema": 1, "models": "no"}' });
    const refused = await runSwitchyard(['config', 'check', '--config', broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('metering.price_catalogue');
  }, TIMEOUT_MS);

  it('prices info prints the catalogue age; prices show finds a cloud model id', async () => {
    const [info, json, show, missing] = await Promise.all([
      runSwitchyard(['prices', 'info']),
      runSwitchyard(['prices', 'info', '--json']),
      runSwitchyard(['prices', 'show', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']),
      runSwitchyard(['prices', 'show', 'house-model']),
    ]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^price catalogue \S+ \(builtin\), compiled \d{4}-\d{2}-\d{2}: \d+ days? old/);
    const parsed = JSON.parse(json.stdout) as { ageDays: number; compiled: string; models: number };
    expect(parsed.ageDays).toBe(Math.max(0, Math.floor((Date.now() - Date.parse(`${parsed.compiled}T00:00:00Z`)) / 86_400_000)));
    expect(parsed.models).toBeGreaterThan(30);
    expect(JSON.parse(show.stdout)).toMatchObject({ model: 'claude-sonnet-4-5', input_per_million: 3, output_per_million: 15 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('metering.prices');
  }, TIMEOUT_MS);
});

describe('a gateway anchoring its audit chain to a file', () => {
  it('publishes the head at shutdown; verify --anchor passes, then catches a truncated tail', async () => {
    const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: anchored, key: "\${env:E2E_ANCHOR_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
audit:
  secret: "\${env:E2E_ANCHOR_SECRET}"
  anchor:
    interval_seconds: 3600
    sinks:
      - { type: file, path: "__DIR__/anchors/head.jsonl" }
`);
    const directory = dirname(path);
    const anchorFile = join(directory, 'anchors', 'head.jsonl');
    const storage = `sqlite:${join(directory, 'switchyard.db')}`;
    const environment = { E2E_ANCHOR_KEY: KEY, E2E_ANCHOR_SECRET: SECRET };
    const gateway = await startSwitchyard(['serve', '--config', path], environment);
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
      for (let index = 0; index < 4; index += 1) await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `hello ${index}` }] });
    } finally {
      await gateway.stop();
    }
    await waitFor('the anchor file', () => existsSync(anchorFile));
    const statements = readFileSync(anchorFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { seq: number; reason: string });
    expect(statements.at(-1)).toMatchObject({ seq: 4, reason: 'shutdown' });

    const env = { SWITCHYARD_AUDIT_SECRET: SECRET };
    const intact = await runSwitchyard(['audit', 'verify', '--storage', storage, '--anchor', anchorFile], env);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toContain('(seq 4) is present and matches');

    // Cut the tail together with every checkpoint, as someone with database access would.
    const database = new Database(storage.slice('sqlite:'.length));
    database.prepare('DELETE FROM audit_records WHERE seq > 2').run();
    database.prepare('DELETE FROM audit_checkpoints').run();
    database.close();
    const bare = await runSwitchyard(['audit', 'verify', '--storage', storage], env);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('cannot be detected');
    const caught = await runSwitchyard(['audit', 'verify', '--storage', storage, '--anchor', anchorFile], env);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('BROKEN: truncated');

    // Forging the anchor file does not help either.
    writeFileSync(anchorFile, readFileSync(anchorFile, 'utf8').replace(/"seq":4/g, '"seq":2'));
    const forged = await runSwitchyard(['audit', 'verify', '--storage', storage, '--anchor', anchorFile], env);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('BROKEN: forged');
  }, TIMEOUT_MS);
});
