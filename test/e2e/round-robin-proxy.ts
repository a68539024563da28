import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small load balancer for the multi-replica tests, behaving like nginx or a Kubernetes Service
 * with readiness: round-robin over the backends that answered their last `/readyz` with 200
 * (polled every `readinessEveryMs`); a connection refused before anything was sent is retried on
 * the next backend (nothing reached the gateway, so it is safe, as nginx's `proxy_next_upstream
 * error` does); a connection lost after the request was sent answers 502 `proxy_upstream_lost`
 * (or, mid-stream, cuts the client connection), because the gateway may have acted on it.
 */

export interface ProxyBackend {
  url: string;
  /** Last readiness answer; a refused connection marks it not ready until the next poll. */
  ready: boolean;
  /** Requests sent to it, and how many of those lost their connection. */
  sent: number;
  lost: number;
}

export interface RoundRobinProxy {
  url: string;
  backends: ProxyBackend[];
  /** Adds a backend (e.g. a replacement replica); it takes traffic once ready. */
  add(url: string): ProxyBackend;
  /** The backend that served a request id (set when the request is sent). */
  servedBy: Map<string, string>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(urls: string[], readinessEveryMs = 100): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const backends: ProxyBackend[] = [];
  const servedBy = new Map<string, string>();
  let next = 0;
  const add = (url: string): ProxyBackend => {
    const backend: ProxyBackend = { url, ready: false, sent: 0, lost: 0 };
    backends.push(backend);
    return backend;
  };
  for (const url of urls) add(url);

  const poll = async () => {
    await Promise.all(
      backends.map(async (backend) => {
        try {
          const response = await fetch(`${backend.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
          await response.arrayBuffer();
          backend.ready = response.status === 200;
        } catch (error) {
          // A slow answer on a starved machine is not a failure (like a probe's failureThreshold);
          // a refused connection is.
          if (!(error instanceof DOMException && error.name === 'TimeoutError')) backend.ready = false;
        }
      }),
    );
  };
  await poll();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await new Promise((resolve) => setTimeout(resolve, readinessEveryMs));
      await poll();
    }
  })();

  const pick = (exclude: Set<ProxyBackend>): ProxyBackend | undefined => {
    for (let tries = 0; tries < backends.length; tries += 1) {
      const backend = backends[next++ % backends.length]!;
      if (backend.ready && !exclude.has(backend)) return backend;
    }
    return undefined;
  };

  const refuse = (response: ServerResponse, status: number, code: string, message: string) => {
    if (response.headersSent) return void response.destroy();
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message, type: 'proxy_error' } }));
  };

  const forward = (incoming: IncomingMessage, response: ServerResponse, body: Buffer, tried: Set<ProxyBackend>, waitedMs = 0): void => {
    const backend = pick(tried);
    if (!backend) {
      // Like a balancer's queue: wait a little for a replica to become ready before giving up.
      if (waitedMs < 10_000) {
        setTimeout(() => forward(incoming, response, body, new Set(), waitedMs + 100), 100);
        return;
      }
      return refuse(response, 503, 'proxy_no_backend', 'no ready backend');
    }
    tried.add(backend);
    const target = new URL(incoming.url ?? '/', backend.url);
    const requestId = incoming.headers['x-request-id'];
    const upstream = httpRequest(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host }, agent });
    let sent = false;
    upstream.on('socket', (socket) => {
      const onConnect = () => {
        sent = true;
        backend.sent += 1;
        if (typeof requestId === 'string') servedBy.set(requestId, backend.url);
      };
      if (socket.connecting) socket.once('connect', onConnect);
      else onConnect();
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.on('error', () => response.destroy());
      answer.on('aborted', () => {
        backend.lost += 1;
        response.destroy();
      });
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (!sent && (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET')) {
        backend.ready = false;
        return forward(incoming, response, body, tried, waitedMs);
      }
      if (!response.headersSent) backend.lost += 1;
      refuse(response, 502, 'proxy_upstream_lost', `lost the connection to ${backend.url}: ${error.code ?? error.message}`);
    });
    upstream.end(body);
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, response, Buffer.concat(chunks), new Set()));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    add,
    servedBy,
    async close() {
      polling = false;
      await poller;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
