import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { SseSink } from '../pipeline/inbound-call.js';

/**
 * Unsent bytes a stream may leave with the socket before it waits for `drain`: with the upstream
 * read it is writing (undici reads at most 64 KiB), a client that reads slowly holds at most
 * ~128 KiB of its stream in the gateway.
 */
export const SSE_UNSENT_BYTES = 64 * 1024;

/**
 * Resolves on 'drain', or on 'close': a response whose client left emits no 'drain' (nor 'error'),
 * and `once(raw, 'drain')` would then never settle — the stream's relay, its upstream body, audit
 * record and finish event would hang with it.
 */
function drainOrClose(raw: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

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
    // Not keep-alive when the connection is to close (graceful drain: the response was in flight
    // when the drain started, or it arrived during the grace): an explicit keep-alive header would
    // override both, and node would keep the connection.
    connection: raw.shouldKeepAlive && reply.getHeader('connection') !== 'close' ? 'keep-alive' : 'close',
    'x-accel-buffering': 'no',
  });
  return {
    async write(text) {
      if (text.length === 0 || raw.destroyed) return;
      // Back-pressure past SSE_UNSENT_BYTES, not at the socket's 16 KiB mark: a relayed read of a
      // whole answer (~25 KiB) would otherwise wait a turn for `drain`, and the stream's last event,
      // written then, would take a socket write of its own.
      if (!raw.write(text) && raw.writableLength > SSE_UNSENT_BYTES && !raw.destroyed) await drainOrClose(raw);
    },
    get closed() {
      return raw.destroyed;
    },
    end: () => raw.end(),
  };
}
