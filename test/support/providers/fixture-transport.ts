/**
 * Test-only HttpTransport that replays recorded wire fixtures and records what the adapter
 * sent. Bodies can be cut into small pseudo-random chunks (seeded, so a failure reproduces)
 * because real sockets split SSE frames anywhere, and cut short to simulate a dropped stream.
 * Imported only by tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpTransport, UpstreamHttpRequest, UpstreamHttpResponse } from '../../../src/providers/http-transport.js';

export interface FixtureReply {
  status?: number;
  headers?: Record<string, string>;
  body: string;
  /** Deliver the body in chunks of 1..maxChunkBytes bytes chosen by a seeded generator. */
  chunking?: { seed: number; maxChunkBytes: number };
  /** Deliver only the first `afterBytes`, then end cleanly or fail like a reset socket. */
  cut?: { afterBytes: number; mode: 'end' | 'error' };
  /** Fail the request itself (connection refused and the like). */
  fail?: Error;
}

export interface RecordedRequest extends UpstreamHttpRequest {
  /** The body parsed as JSON, or undefined when there was none. */
  json: unknown;
}

export class FixtureTransport implements HttpTransport {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: FixtureReply[] = [];
  closed = false;

  enqueue(...replies: FixtureReply[]): this {
    this.replies.push(...replies);
    return this;
  }

  async request(request: UpstreamHttpRequest): Promise<UpstreamHttpResponse> {
    this.requests.push({ ...request, json: request.body === undefined ? undefined : (JSON.parse(request.body) as unknown) });
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error(`FixtureTransport: no reply queued for ${request.method} ${request.path}`);
    if (reply.fail !== undefined) throw reply.fail;
    const chunks = splitBody(new TextEncoder().encode(reply.body), reply);
    const body = replayChunks(chunks, reply.cut?.mode === 'error');
    return {
      status: reply.status ?? 200,
      headers: { ...(reply.headers ?? {}) },
      body,
      async text() {
        const decoder = new TextDecoder();
        let text = '';
        for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
        return text + decoder.decode();
      },
    };
  }

  /** The single request recorded so far; fails loudly when there were more or none. */
  lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (last === undefined) throw new Error('FixtureTransport: no request was sent');
    return last;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function splitBody(bytes: Uint8Array, reply: FixtureReply): Uint8Array[] {
  const limit = reply.cut === undefined ? bytes.length : Math.min(reply.cut.afterBytes, bytes.length);
  const chunks: Uint8Array[] = [];
  if (reply.chunking === undefined) {
    chunks.push(bytes.slice(0, limit));
    return chunks;
  }
  const random = seededRandom(reply.chunking.seed);
  for (let offset = 0; offset < limit; ) {
    const size = 1 + Math.floor(random() * reply.chunking.maxChunkBytes);
    chunks.push(bytes.slice(offset, Math.min(limit, offset + size)));
    offset += size;
  }
  return chunks;
}

function replayChunks(chunks: Uint8Array[], failAtEnd: boolean): AsyncIterable<Uint8Array> {
  let consumed = false;
  return {
    async *[Symbol.asyncIterator]() {
      if (consumed) throw new Error('FixtureTransport: body already consumed');
      consumed = true;
      for (const chunk of chunks) {
        // Yield to the event loop between chunks, as a socket would.
        await new Promise<void>((resolve) => setImmediate(resolve));
        yield chunk;
      }
      if (failAtEnd) throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    },
  };
}

/** mulberry32: tiny, deterministic, good enough to vary chunk sizes. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads `__fixtures__/<name>` of a provider folder as text. */
export function readFixture(directory: string, name: string): string {
  return readFileSync(join(directory, name), 'utf8');
}
