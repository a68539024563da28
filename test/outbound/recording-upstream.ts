import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/**
 * A stand-in upstream that speaks every wire the adapters use (OpenAI, Azure OpenAI, Anthropic,
 * Gemini), records the exact bytes of every request body it receives and answers with the
 * providers' recorded conformance fixtures. Paths under `/fail/` answer 500, so a deployment
 * pointed there forces failover. Test support only.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The body bytes exactly as received (UTF-8). */
  body: string;
}

export interface RecordingUpstream {
  url: string;
  requests: RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

const FIXTURES = resolve(import.meta.dirname, '../../src/providers');
const fixture = (provider: string, name: string) => readFileSync(resolve(FIXTURES, provider, '__fixtures__', name), 'utf8');

const REPLIES = {
  openaiChat: fixture('openai-compatible', 'chat.response.json'),
  openaiStream: fixture('openai-compatible', 'chat-stream.response.sse'),
  anthropicChat: fixture('anthropic', 'chat.response.json'),
  anthropicStream: fixture('anthropic', 'chat-stream.response.sse'),
  geminiChat: fixture('gemini', 'chat.response.json'),
  geminiStream: fixture('gemini', 'chat-stream.response.sse'),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    request.on('error', fail);
  });
}

function send(response: ServerResponse, status: number, body: string, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function countOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 1;
}

function reply(url: string, parsed: Record<string, unknown>, response: ServerResponse): void {
  const path = url.split('?')[0] ?? url;
  const stream = parsed.stream === true || path.includes(':streamGenerateContent');
  if (path.startsWith('/fail/')) return send(response, 500, JSON.stringify({ error: { message: 'forced failure', type: 'server_error' } }));
  if (path.endsWith('/chat/completions')) return stream ? send(response, 200, REPLIES.openaiStream, 'text/event-stream') : send(response, 200, REPLIES.openaiChat);
  if (path.endsWith('/messages')) return stream ? send(response, 200, REPLIES.anthropicStream, 'text/event-stream') : send(response, 200, REPLIES.anthropicChat);
  if (path.endsWith('/embeddings')) {
    const data = Array.from({ length: countOf(parsed.input) }, (_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3, 0.4] }));
    return send(response, 200, JSON.stringify({ object: 'list', data, model: 'embed', usage: { prompt_tokens: 3, total_tokens: 3 } }));
  }
  if (path.includes(':batchEmbedContents')) {
    const embeddings = Array.from({ length: countOf(parsed.requests) }, () => ({ values: [0.1, 0.2, 0.3, 0.4] }));
    return send(response, 200, JSON.stringify({ embeddings }));
  }
  if (path.includes(':streamGenerateContent')) return send(response, 200, REPLIES.geminiStream, 'text/event-stream');
  if (path.includes(':generateContent')) return send(response, 200, REPLIES.geminiChat);
  send(response, 404, JSON.stringify({ error: { message: `no route ${path}` } }));
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const method = request.method ?? 'GET';
    if (method !== 'POST') return send(response, 200, '{}');
    readBody(request).then(
      (body) => {
        requests.push({ method, path, body });
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(body) as Record<string, unknown>;
        } catch {
          return send(response, 400, JSON.stringify({ error: { message: 'bad json' } }));
        }
        reply(path, parsed, response);
      },
      () => send(response, 500, '{}'),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clear: () => void requests.splice(0),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
