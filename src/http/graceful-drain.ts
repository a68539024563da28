import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ShutdownSettings } from '../config/shutdown-schema.js';
import { GatewayError } from '../errors/gateway-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Aborts at the drain deadline; an open SSE stream then ends with an explicit error event. */
    drainDeadline?: AbortSignal;
  }
}

/** What a drain did, for the log line and the tests. */
export interface DrainReport {
  /** Requests (streams included) still open when the deadline came. */
  openAtDeadline: number;
  /** Connections destroyed because even the error event could not be delivered in time. */
  forcedClosed: number;
  elapsedMs: number;
}

export interface DrainOptions {
  /** Overrides `grace_ms` (SIGINT from a terminal uses 0: there is no balancer to notice). */
  graceMs?: number;
}

export interface GracefulDrain {
  readonly draining: boolean;
  /** Adds the in-flight count, the refusal after the grace, and `connection: close` while draining. */
  register(app: FastifyInstance): void;
  /** Runs once; later calls return the same promise. Resolves when no request is open any more. */
  drain(options?: DrainOptions): Promise<DrainReport>;
  /** A second signal: skip what is left of the grace and of the wait, and go to the deadline now. */
  hurry(): void;
}

/** After the deadline, how long open streams get to write their error event and audit record. */
const FINAL_EVENT_MS = 5_000;

/**
 * SIGTERM, the way a balancer or Kubernetes needs it: readiness goes false at once; the listener
 * keeps accepting for `grace_ms` (endpoint lists and health checks lag the signal); then new
 * connections are refused and requests arriving on kept-alive ones get 503
 * `server_shutting_down`; in-flight requests and streams may finish until `deadline_ms` after the
 * signal; streams still open then get an explicit error event instead of a silent cut. Flushing
 * the audit and spend buffers is the caller's close(), after this resolves.
 */
export function createGracefulDrain(settings: () => ShutdownSettings, logger: Logger): GracefulDrain {
  let draining = false;
  let refusing = false;
  let inFlight = 0;
  let running: Promise<DrainReport> | undefined;
  let app: FastifyInstance | undefined;
  const deadline = new AbortController();
  // One listener per open stream: thousands may wait on this signal.
  setMaxListeners(0, deadline.signal);
  const hurried = new AbortController();
  setMaxListeners(0, hurried.signal);
  const idleWaiters = new Set<() => void>();

  // The responses not yet ended, so a drain can ask the ones in flight to close their connection.
  const open = new Set<ServerResponse>();
  // One shared listener (`this` is the response), not a closure per request; `on`, not `once`
  // (no wrapper per request): a second 'close' of the same response finds it gone and counts nothing.
  const settle = function (this: ServerResponse): void {
    if (!open.delete(this)) return;
    inFlight -= 1;
    if (inFlight === 0) for (const wake of idleWaiters) wake();
  };
  /** Resolves after `ms`, when nothing is in flight (if `untilIdle`), or when hurried (if `hurryable`). */
  const wait = (ms: number, untilIdle: boolean, hurryable = true) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || (hurryable && hurried.signal.aborted) || (untilIdle && inFlight === 0)) return resolve();
      const done = () => {
        clearTimeout(timer);
        idleWaiters.delete(done);
        hurried.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (untilIdle) idleWaiters.add(done);
      if (hurryable) hurried.signal.addEventListener('abort', done, { once: true });
    });

  const run = async (options: DrainOptions): Promise<DrainReport> => {
    const started = performance.now();
    const { grace_ms, deadline_ms } = settings();
    const graceMs = options.graceMs ?? grace_ms;
    draining = true;
    // Requests already in flight answer with `connection: close` too (those arriving from now on
    // get the header in onRequest); node's writeHead adds it when keep-alive is off.
    for (const response of open) if (!response.headersSent) response.shouldKeepAlive = false;
    logger.info({ grace_ms: graceMs, deadline_ms, in_flight: inFlight }, 'draining: readiness reports not ready; still accepting during the grace period');
    await wait(graceMs, false);
    refusing = true;
    // Stops listening (new connections are refused) and closes idle kept-alive connections.
    app?.server.close();
    logger.info({ in_flight: inFlight }, 'draining: no longer accepting connections; waiting for in-flight requests and streams');
    await wait(deadline_ms - (performance.now() - started), true);
    const openAtDeadline = inFlight;
    let forcedClosed = 0;
    if (openAtDeadline > 0) {
      logger.warn({ open: openAtDeadline }, 'drain deadline reached: ending open streams with a server_shutting_down error event');
      deadline.abort(new GatewayError('server_shutting_down', 'This gateway replica is shutting down and ended the stream at its drain deadline. Retry the request.'));
      // Not skipped by a second signal: the error events and audit records are what the drain is for.
      await wait(FINAL_EVENT_MS, true, false);
      forcedClosed = inFlight;
      if (forcedClosed > 0) {
        logger.warn({ connections: forcedClosed }, 'drain: closing connections whose requests did not end');
        app?.server.closeAllConnections();
      }
    }
    const report = { openAtDeadline, forcedClosed, elapsedMs: Math.round(performance.now() - started) };
    logger.info({ drain: report }, 'drained: flushing audit and spend, then exiting');
    return report;
  };

  return {
    get draining() {
      return draining;
    },
    register(instance) {
      app = instance;
      // Callback-style hooks (here and in app.ts): they run on every request, and an async hook
      // costs a promise and a microtask turn each.
      instance.addHook('onRequest', (request, reply, done) => {
        if (refusing) {
          reply.header('connection', 'close');
          done(
            new GatewayError('server_shutting_down', 'This gateway replica is shutting down and takes no new requests. Retry: the request will reach another replica.', {
              retryAfterSeconds: 1,
            }),
          );
          return;
        }
        // While draining, do not keep connections alive: the client's next request opens a new
        // one, which the balancer sends to a replica that is staying. Set here and, for requests
        // already in flight when the drain starts, in run() above: no onSend hook, so fastify
        // skips its onSend runner on every reply.
        if (draining) reply.header('connection', 'close');
        inFlight += 1;
        request.drainDeadline = deadline.signal;
        open.add(reply.raw);
        reply.raw.on('close', settle);
        done();
      });
    },
    drain(options = {}) {
      running ??= run(options);
      return running;
    },
    hurry() {
      hurried.abort();
    },
  };
}
