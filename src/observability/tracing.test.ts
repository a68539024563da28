import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { buildApp, type GatewayApp } from '../http/app.js';
import { createGatewayRuntime } from '../pipeline/gateway-runtime.js';
import { createSharedServices, type SharedServices } from '../pipeline/shared-services.js';
import { createLogger } from './logger.js';

/** Traces leave over OTLP/HTTP to a real (local) collector endpoint, with the GenAI attributes. */

interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  parentSpanId?: string;
  spanId: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

let collector: Server;
const bodies: string[] = [];
let services: SharedServices;
let gateway: GatewayApp;

const config = (endpoint: string, enabled: boolean) => `
storage: { url: "sqlite::memory:" }
tracing: { enabled: ${enabled}, endpoint: "${endpoint}" }
auth: { keys: [{ id: k, key: "\${env:TRACE_KEY}" }] }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m1 }] }
`;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
  const loaded = parseConfigText(config(endpoint, true), 'tracing-test.yaml', { TRACE_KEY: 'trace-key' });
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
});

afterAll(async () => {
  await gateway.app.close();
  await services.close();
  collector.close();
});

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
}

describe('tracing', () => {
  it('is off by default: no tracer is built', async () => {
    const loaded = parseConfigText(config('http://127.0.0.1:9/v1/traces', false).replace(/^tracing:.*$/m, ''), 'off.yaml', { TRACE_KEY: 'k' });
    const off = await createSharedServices(loaded);
    expect(off.tracing).toBeUndefined();
    await off.close();
  });

  it('exports a request span with policy and upstream-attempt children and gen_ai attributes', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer trace-key', 'content-type': 'application/json' },
      payload: { model: 'chat', max_tokens: 50, messages: [{ role: 'user', content: 'trace me 王小明' }] },
    });
    expect(response.statusCode).toBe(200);
    await services.tracing?.flush();
    const spans = bodies
      .flatMap((body) => (JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
      .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
    const root = spans.find((span) => span.name === 'chat chat');
    const policy = spans.find((span) => span.name === 'switchyard.policy');
    const attempt = spans.find((span) => span.name === 'chat m1');
    expect(root && policy && attempt).toBeTruthy();
    expect(policy?.parentSpanId).toBe(root?.spanId);
    expect(attempt?.parentSpanId).toBe(root?.spanId);
    expect(attribute(root!, 'gen_ai.operation.name')).toBe('chat');
    expect(Number(attribute(root!, 'gen_ai.request.max_tokens'))).toBe(50);
    expect(Number(attribute(root!, 'gen_ai.usage.output_tokens'))).toBeGreaterThan(0);
    expect(attribute(root!, 'switchyard.data_class')).toBe('confidential');
    expect(attribute(attempt!, 'gen_ai.provider.name')).toBe('mock');
    // Prompt text never goes into a span.
    expect(bodies.join('')).not.toContain('王小明');
  });
});
