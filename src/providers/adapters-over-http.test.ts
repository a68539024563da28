/**
 * The adapters on the real transport: recorded fixtures served by a local HTTP server that
 * writes them in small pieces, so SSE frames really arrive split across TCP reads, and a
 * client abort really has to reach the upstream socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentSchema } from '../assembly/config-schema.js';
import type { StreamPart } from '../model/stream-part.js';
import { createAnthropicAdapter } from './anthropic/index.js';
import { CONFORMANCE_REQUESTS } from '../../test/support/providers/conformance-requests.js';
import { readFixture } from '../../test/support/providers/fixture-transport.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/index.js';
import type { AdapterFactory, ProviderAdapter } from './provider-adapter.js';
import { createUpstreamPool } from './upstream-pool.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes `body` in 16-byte pieces a few milliseconds apart. */
function trickle(response: ServerResponse, body: string, contentType: string): void {
  response.writeHead(200, { 'content-type': contentType });
  const bytes = Buffer.from(body);
  let offset = 0;
  const timer = setInterval(() => {
    if (response.destroyed) return clearInterval(timer);
    response.write(bytes.subarray(offset, offset + 16));
    offset += 16;
    if (offset >= bytes.length) {
      clearInterval(timer);
      response.end();
    }
  }, 1);
}

function adapterFor(factory: AdapterFactory, baseUrl: string, provider: 'openai-compatible' | 'anthropic'): ProviderAdapter {
  const deployment = deploymentSchema.parse({ id: 'local', tier: 'on-prem', provider, base_url: baseUrl });
  const adapter = factory({ deployment, apiKey: 'test-key', transport: createUpstreamPool(deployment) });
  cleanups.push(() => adapter.close());
  return adapter;
}

const cases = [
  { label: 'openai-compatible', factory: createOpenAICompatibleAdapter, provider: 'openai-compatible' as const, base: '/v1', path: '/v1/chat/completions', fixtures: './openai-compatible/__fixtures__' },
  { label: 'anthropic', factory: createAnthropicAdapter, provider: 'anthropic' as const, base: '', path: '/v1/messages', fixtures: './anthropic/__fixtures__' },
];

describe.each(cases)('$label adapter over HTTP', ({ factory, provider, base, path, fixtures }) => {
  const directory = fileURLToPath(new URL(fixtures, import.meta.url));

  it('streams the recorded reply through the keep-alive pool', async () => {
    const paths: string[] = [];
    const url = await serve((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => trickle(response, readFixture(directory, 'chat-stream.response.sse'), 'text/event-stream'));
    });
    const adapter = adapterFor(factory, `${url}${base}`, provider);
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal: new AbortController().signal })) {
      parts.push(part);
    }
    expect(paths).toEqual([path]);
    expect(parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('')).toBe('Hello! How can I help you today?');
    expect(parts.at(-1)?.type).toBe('usage');
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const url = await serve((request, response) => {
      request.resume();
      response.on('close', upstreamClosed);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // The first event only; the upstream then "thinks" forever.
      const body = readFixture(directory, 'chat-stream.response.sse');
      response.write(body.slice(0, body.indexOf('\n\n') + 2));
    });
    const client = new AbortController();
    const adapter = adapterFor(factory, `${url}${base}`, provider);
    const stream = await adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal: client.signal });
    const reason = new Error('client disconnected');
    const consumed = (async () => {
      for await (const part of stream) if (part.type === 'start') client.abort(reason);
    })();
    await expect(consumed).rejects.toBe(reason);
    await closed;
  });
});
