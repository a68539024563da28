import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import type { SseSink } from '../pipeline/inbound-call.js';

/**
 * Takes the socket from fastify and starts a server-sent-event response. The pipeline writes the
 * events (it decides when, and what the last one is); this only knows HTTP: headers, back-pressure,
 * a client that went away.
 */
export function openSse(reply: FastifyReply, headers: Record<string, string>): SseSink {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return {
    async write(text) {
      if (text.length === 0 || raw.destroyed) return;
      if (!raw.write(text)) await once(raw, 'drain');
    },
    get closed() {
      return raw.destroyed;
    },
    end: () => raw.end(),
  };
}
