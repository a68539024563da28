import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentCli, spawnCli, type CliProcess } from './spawn-cli.js';

/** Base first-token delay of the mocks, so the latency numbers are not all zero. */
export const MOCK_BASE_TTFT_MS = 5;
export const MOCK_ALIAS = 'chat';
export const MOCK_PRIMARY = 'primary';
export const MOCK_SECONDARY = 'secondary';

export interface MockStack {
  gatewayUrl: string;
  apiKey: string;
  upstreams: { primary: string; secondary: string };
  configPath: string;
  primaryDeployment: string;
  stop(): Promise<void>;
}

/**
 * The gateway config --with-mock writes: one alias on two mock upstreams, priority failover,
 * tight timeouts (so injected hangs become timeouts within the run), a breaker that opens after
 * five failures in a row and a retry budget, so the report shows all of them at work.
 */
export function mockGatewayConfig(primaryUrl: string, secondaryUrl: string, directory: string): string {
  const resilience = 'resilience: { circuit_breaker: { consecutive_failures: 5, cooldown_ms: 1000 }, retry_budget: { ratio: 0.3, min_retries: 10, window_ms: 10000 } }';
  const timeouts = 'timeouts: { connect_ms: 1000, first_byte_ms: 1000, idle_ms: 2000, total_ms: 3000 }';
  return `# Written by switchyard loadtest --with-mock; deleted after the run.
version: 1
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: loadtest, key: "\${env:SWITCHYARD_LOADTEST_KEY}" }
routing:
  retry: { max_attempts: 3, base_backoff_ms: 10, max_backoff_ms: 50, max_retry_after_ms: 200 }
deployments:
  - { id: ${MOCK_PRIMARY}, tier: on-prem, provider: openai-compatible, base_url: "${primaryUrl}/v1", ${timeouts}, ${resilience} }
  - { id: ${MOCK_SECONDARY}, tier: on-prem, provider: openai-compatible, base_url: "${secondaryUrl}/v1", ${timeouts}, ${resilience} }
models:
  - alias: ${MOCK_ALIAS}
    strategy: priority
    targets:
      - { deployment: ${MOCK_PRIMARY}, model: mock-1, priority: 0 }
      - { deployment: ${MOCK_SECONDARY}, model: mock-1, priority: 1 }
storage: { url: "sqlite:${join(directory, 'switchyard.db')}" }
`;
}

/** Starts two `switchyard mock-upstream` processes and a `switchyard serve` in front of them, all on loopback. */
export async function startMockStack(cli = currentCli()): Promise<MockStack> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-loadtest-'));
  const started: CliProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((process) => process.stop()));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    // Seeded fault draws: the same scenario injects the same faults into the same requests' slots.
    const mockArgs = (name: string, seed: number) => ['mock-upstream', '--port', '0', '--host', '127.0.0.1', '--name', name, '--reply', 'lorem', '--lorem-tokens', '48', '--ttft-ms', String(MOCK_BASE_TTFT_MS), '--request-log-size', '0', '--seed', String(seed)];
    const [primary, secondary] = await Promise.all([spawnCli(mockArgs(MOCK_PRIMARY, 1), {}, cli), spawnCli(mockArgs(MOCK_SECONDARY, 2), {}, cli)]);
    started.push(primary, secondary);
    const configPath = join(directory, 'switchyard.yaml');
    writeFileSync(configPath, mockGatewayConfig(primary.url, secondary.url, directory));
    const apiKey = `sy-loadtest-${randomBytes(16).toString('hex')}`;
    const gateway = await spawnCli(['serve', '--config', configPath], { SWITCHYARD_LOADTEST_KEY: apiKey }, cli);
    started.push(gateway);
    return {
      gatewayUrl: gateway.url,
      apiKey,
      upstreams: { primary: primary.url, secondary: secondary.url },
      configPath,
      primaryDeployment: MOCK_PRIMARY,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
