import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * What a gateway that does not use OIDC, tracing, Redis or PostgreSQL must not load (memory and
 * start-up; docs in BENCHMARKS.md "Memory"): the packages are imported only when configured.
 */
const HOOK = resolve(import.meta.dirname, '../support/record-imports.mjs');
const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: k, key: "\${env:E2E_GRAPH_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
`);
let gateway: RunningProcess | undefined;

afterAll(async () => {
  await gateway?.stop();
});

describe('serve loads only what the config uses', () => {
  it('does not import jose (no OIDC), the OpenTelemetry SDK, ioredis, postgres, the advisor or the CLI commands it does not run', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'switchyard-imports-')), 'imports.txt');
    gateway = await startSwitchyard(['serve', '--config', path], { E2E_GRAPH_KEY: 'graph-key-0123456789', RECORD_IMPORTS_FILE: file, NODE_OPTIONS: `--import ${HOOK}` });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer graph-key-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', max_tokens: 5, messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    const imported = readFileSync(file, 'utf8').split('\n');
    // The hook works: the gateway's own modules are there.
    expect(imported).toContain('./serve.js');
    for (const unused of ['jose', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', 'ioredis', 'postgres', './advise.js', './questionnaire.js', './criteria.js', './scan.js', './mock-upstream.js']) {
      expect(imported, unused).not.toContain(unused);
    }
    // The console's advisor entry is a small shim that imports the advisor on the first wizard
    // call; nothing else of the advisor loads with `serve`.
    expect(imported.filter((specifier) => specifier.includes('/advisor/'))).toEqual(['./advisor/console-advisor.js']);
  }, 60_000);
});
