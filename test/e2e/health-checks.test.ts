import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { logLines, requestLogLine, waitFor } from './traffic-helpers.js';

/**
 * Active health checks: a primary whose server dies is found by its probes and taken out of
 * rotation before a client request has to fail on it; when it comes back it is probed back in.
 */

const KEY = 'sy-e2e-health-key-0123456789';
let primary: RunningProcess;
let secondary: RunningProcess;
let gateway: RunningProcess;
let client: OpenAI;
let primaryPort: string;

beforeAll(async () => {
  primary = await startSwitchyard(['mock-upstream', '--port', '0', '--name', 'primary']);
  secondary = await startSwitchyard(['mock-upstream', '--port', '0', '--name', 'secondary']);
  primaryPort = new URL(primary.url).port;
  const path = writeTempConfig(`
server: { port: 0 }
auth: { keys: [{ id: k, key: "\${env:E2E_HEALTH_KEY}" }] }
deployments:
  - id: p
    tier: on-prem
    provider: openai-compatible
    base_url: "${primary.url}/v1"
    timeouts: { connect_ms: 300 }
    resilience: { health_check: { enabled: true, interval_ms: 150, timeout_ms: 300, unhealthy_after: 1, healthy_after: 1 } }
  - { id: s, tier: on-prem, provider: openai-compatible, base_url: "${secondary.url}/v1" }
models:
  - alias: chat
    strategy: priority
    targets: [{ deployment: p, model: m, priority: 0 }, { deployment: s, model: m, priority: 1 }]
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_HEALTH_KEY: KEY });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await primary?.stop();
  await secondary?.stop();
});

async function servedBy(requestId: string): Promise<{ deployment: unknown; attempts: unknown }> {
  await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: requestId }] }, { headers: { 'x-request-id': requestId } });
  const line = await requestLogLine(gateway, requestId);
  return { deployment: line.deployment, attempts: line.attempts };
}

describe('active health checks', () => {
  it('serves from the healthy primary', async () => {
    expect(await servedBy('health-before')).toEqual({ deployment: 'p', attempts: 1 });
  });

  it('takes a dead primary out before any request fails on it, and probes it back in', async () => {
    await primary.stop();
    await waitFor('primary marked unhealthy', () => logLines(gateway).find((line) => line.msg === 'upstream health change' && (line.health as { healthy?: boolean })?.healthy === false));
    // One attempt, on the secondary: the unhealthy primary was skipped, not tried and failed.
    expect(await servedBy('health-during')).toEqual({ deployment: 's', attempts: 1 });

    primary = await startSwitchyard(['mock-upstream', '--port', primaryPort, '--name', 'primary']);
    await waitFor('primary healthy again', () => logLines(gateway).find((line) => line.msg === 'upstream health change' && (line.health as { healthy?: boolean })?.healthy === true), 5_000);
    expect(await servedBy('health-after')).toEqual({ deployment: 'p', attempts: 1 });
  });
});
