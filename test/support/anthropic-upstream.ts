import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/**
 * A stand-in Anthropic (and OpenAI-compatible) upstream that records the exact body bytes it
 * receives and answers from the providers' recorded fixtures: /v1/messages with thinking
 * blocks and prompt-cache usage (streamed or not), /v1/messages/count_tokens, and
 * /v1/chat/completions. Paths under /down/ answer 503. Test support only.
 */

export interface RecordedCall {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface AnthropicUpstream {
  url: string;
  calls: RecordedCall[];
  clear(): void;
  close(): Promise<void>;
}

const FIXTURES = resolve(import.meta.dirname, '../../src/providers');
const fixture = (provider: string, name: string) => readFileSync(resolve(FIXTURES, provider, '__fixtures__', name), 'utf8');

function send(response: ServerResponse, status: number, body: string, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function answer(path: string, body: string, response: ServerResponse): void {
  if (path.startsWith('/down/')) return send(response, 503, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
  let stream = false;
  try {
    stream = (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return send(response, 400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad json' } }));
  }
  if (path.endsWith('/v1/messages/count_tokens')) return send(response, 200, fixture('anthropic', 'count-tokens.response.json'));
  if (path.endsWith('/v1/messages')) {
    return stream ? send(response, 200, fixture('anthropic', 'thinking-stream.response.sse'), 'text/event-stream') : send(response, 200, fixture('anthropic', 'thinking.response.json'));
  }
  if (path.endsWith('/chat/completions')) {
    return stream ? send(response, 200, fixture('openai-compatible', 'chat-stream.response.sse'), 'text/event-stream') : send(response, 200, fixture('openai-compatible', 'chat.response.json'));
  }
  send(response, 404, JSON.stringify({ error: { message: `no route ${path}` } }));
}

export async function startAnthropicUpstream(): Promise<AnthropicUpstream> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      if (request.method !== 'POST') return send(response, 200, '{}');
      calls.push({ path, headers: request.headers, body });
      answer(path, body, response);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    clear: () => void calls.splice(0),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
