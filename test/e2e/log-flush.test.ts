import { afterAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { logLines } from './traffic-helpers.js';

/**
 * The gateway logs through an asynchronous destination (observability/logger.ts). A graceful stop
 * must still write every line: each request's line and the last line of the shutdown.
 */
const KEY = 'sy-e2e-log-flush-key-0123456789';
const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0, shutdown: { grace_ms: 0, deadline_ms: 2000 } }
auth:
  keys:
    - { id: logger, key: "\${env:E2E_LOG_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
`);
let gateway: RunningProcess | undefined;

afterAll(async () => {
  await gateway?.stop();
});

describe('log lines on graceful stop', () => {
  it('writes every request line and the final "stopped" line before exiting on SIGTERM', async () => {
    gateway = await startSwitchyard(['serve', '--config', path], { E2E_LOG_KEY: KEY, NODE_ENV: 'production' });
    const ids = Array.from({ length: 40 }, (_, index) => `log-flush-${index}`);
    await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${gateway!.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': id },
          body: JSON.stringify({ model: 'chat', max_tokens: 5, messages: [{ role: 'user', content: 'hello' }] }),
        });
        expect(response.status).toBe(200);
        await response.text();
      }),
    );
    // Signal at once: the last request lines may still be in the logger's buffer.
    const closed = new Promise<number | null>((resolve) => gateway!.child.once('close', (code) => resolve(code)));
    gateway.child.kill('SIGTERM');
    expect(await closed).toBe(0);
    const lines = logLines(gateway);
    const logged = new Set(lines.filter((line) => line.msg === 'request').map((line) => line.request_id));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    expect(lines.at(-1)?.msg).toBe('stopped: audit and spend flushed');
  }, 60_000);
});
