/**
 * The real HttpTransport: one undici keep-alive Pool per deployment. Timeouts map onto the
 * deployment's config — connect_ms (TCP+TLS), first_byte_ms (until response headers),
 * idle_ms (between body chunks) and total_ms (the whole exchange, body included). Every
 * failure leaves as an UpstreamError whose message names the deployment and the kind of
 * failure but never the URL, host or credentials (undici's own messages can contain them).
 *
 * undici checks first-byte and idle timeouts on a coarse (~0.5–1 s) timer wheel to stay cheap
 * under load, so they fire up to about a second late; total_ms is precise, and shares one timer
 * per pool (timers/deadline-queue.ts) instead of a timer, `AbortSignal.timeout` and `AbortSignal.any`
 * per call. A body read whole (`read: 'text'`) is collected through undici's dispatch API; a
 * streamed one goes through `pool.request`.
 */
import { readFileSync } from 'node:fs';
import { Pool, type Dispatcher } from 'undici';
import type { ProviderDeployment } from './deployment-schema.js';
import { UpstreamError } from '../errors/gateway-error.js';
import type { HttpTransport, UpstreamHttpRequest, UpstreamHttpResponse } from './http-transport.js';
import { upstreamNetworkError } from './upstream-network-error.js';
import { createDeadlineQueue, type Deadline, type DeadlineQueue } from '../timers/deadline-queue.js';

export function createUpstreamPool(deployment: ProviderDeployment): HttpTransport {
  if (deployment.base_url === undefined) {
    throw new Error(`deployment '${deployment.id}': base_url is required for an HTTP upstream`);
  }
  const base = new URL(deployment.base_url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseQuery = base.search.slice(1);
  const { timeouts } = deployment;

  const pool = new Pool(base.origin, {
    connections: deployment.max_connections,
    headersTimeout: timeouts.first_byte_ms,
    bodyTimeout: timeouts.idle_ms,
    connect: { timeout: timeouts.connect_ms, ...tlsOptions(deployment) },
  });

  const deadlines = createDeadlineQueue(timeouts.total_ms);

  return {
    async request(request: UpstreamHttpRequest): Promise<UpstreamHttpResponse> {
      const path = joinPath(basePath, request.path, baseQuery);
      if (request.read === 'text') {
        const exchange = new BufferedExchange(deployment.id, timeouts.total_ms, request.signal).begin(deadlines);
        pool.dispatch({ method: request.method, path, headers: request.headers, body: request.body ?? null }, exchange);
        return exchange.response;
      }
      const call = new StreamedCall(deployment.id, timeouts.total_ms, request.signal).begin(deadlines);
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({ method: request.method, path, headers: request.headers, body: request.body ?? null, signal: call.controller.signal });
      } catch (error) {
        call.end();
        throw call.describe(error);
      }
      const body = mapBodyErrors(response.body, call);
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body,
        async text() {
          try {
            return await response.body.text();
          } catch (error) {
            throw call.describe(error);
          } finally {
            call.end();
          }
        },
      };
    },

    async close() {
      deadlines.close();
      await pool.close();
    },
  };
}

/**
 * One exchange's abort wiring: the caller's signal and the pool's total deadline both cancel it.
 * Classes, not closures: one is built on every upstream call.
 */
abstract class UpstreamCall {
  private deadline: Deadline | undefined;
  private onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly deploymentId: string,
    private readonly totalMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {}

  /** Starts the total deadline and follows the caller's signal (after construction: `cancel` uses subclass fields). */
  begin(deadlines: DeadlineQueue): this {
    this.deadline = deadlines.add(this.onTimeout);
    const signal = this.callerSignal;
    if (signal === undefined) return this;
    if (signal.aborted) this.cancel(signal.reason);
    else {
      this.onCallerAbort = () => this.cancel(signal.reason);
      signal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    return this;
  }

  /** Stops the exchange; undici fails it with `reason`. */
  protected abstract cancel(reason: unknown): void;

  readonly onTimeout = (): void => this.cancel(new Error('total timeout'));

  /** The exchange is over (body read, failed or abandoned): drop the deadline and the listener. */
  end(): void {
    this.deadline?.clear();
    if (this.onCallerAbort) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  describe(error: unknown): unknown {
    // The client left: hand back its own reason so the pipeline does not blame the upstream.
    if (this.callerSignal?.aborted === true) return this.callerSignal.reason;
    if (this.deadline?.expired === true) {
      return new UpstreamError('upstream_timeout', `Upstream deployment '${this.deploymentId}' exceeded its total timeout of ${this.totalMs} ms.`, this.deploymentId, { cause: error });
    }
    return upstreamNetworkError(error, this.deploymentId);
  }
}

/** A response whose body the caller reads as it arrives (streams): undici's request API, aborted through a signal. */
class StreamedCall extends UpstreamCall {
  private abortController: AbortController | undefined;

  get controller(): AbortController {
    return (this.abortController ??= new AbortController());
  }

  protected cancel(reason: unknown): void {
    this.controller.abort(reason);
  }
}

/**
 * A response the caller reads whole (`read: 'text'`: every JSON call), through undici's dispatch
 * API with the body collected in place. Unlike `pool.request` there is no body stream, async
 * resource or AbortController per call, and this path carries every non-stream request. Same
 * timeouts, same error mapping, same bytes.
 */
class BufferedExchange extends UpstreamCall implements Dispatcher.DispatchHandler {
  readonly response: Promise<UpstreamHttpResponse>;
  private settleResponse: { resolve: (response: UpstreamHttpResponse) => void; reject: (error: unknown) => void } | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private pendingReason: Error | undefined;
  private started = false;
  private chunks: Buffer[] = [];
  private finished = false;
  private failure: unknown;
  private waiter: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined;

  constructor(deploymentId: string, totalMs: number, callerSignal: AbortSignal | undefined) {
    super(deploymentId, totalMs, callerSignal);
    this.response = new Promise<UpstreamHttpResponse>((resolve, reject) => (this.settleResponse = { resolve, reject }));
  }

  protected cancel(reason: unknown): void {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    // Until undici hands over its controller the reason waits; undici then aborts before writing.
    if (this.controller) this.controller.abort(error);
    else this.pendingReason ??= error;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingReason !== undefined) controller.abort(this.pendingReason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // 1xx informational: the real response follows
    this.started = true;
    this.settleResponse?.resolve({ status: statusCode, headers: flattenHeaders(headers), body: { [Symbol.asyncIterator]: () => this.bodyChunks() }, text: () => this.text() });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finished = true;
    this.end();
    this.waiter?.resolve(this.decode());
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.end();
    const described = this.describe(error);
    if (!this.started) {
      this.settleResponse?.reject(described);
      return;
    }
    this.failure = described;
    this.finished = true;
    this.waiter?.reject(described);
  }

  private text(): Promise<string> {
    if (this.finished) return this.failure !== undefined ? Promise.reject(this.failure) : Promise.resolve(this.decode());
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** UTF-8 with a leading byte-order mark dropped, as undici's `body.text()` decodes. */
  private decode(): string {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [];
    const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return bytes.toString('utf8', start);
  }

  private async *bodyChunks(): AsyncGenerator<Uint8Array> {
    const text = await this.text();
    if (text !== '') yield Buffer.from(text, 'utf8');
  }
}

/** `/v1` + `/chat/completions?x=1` (+ a query given in base_url, e.g. a proxy's token-free flag). */
export function joinPath(basePath: string, path: string, baseQuery: string): string {
  const joined = `${basePath}${path.startsWith('/') ? path : `/${path}`}`;
  if (baseQuery === '') return joined;
  return `${joined}${joined.includes('?') ? '&' : '?'}${baseQuery}`;
}

/** Read once at startup: a missing CA or key file is a configuration error, not a request error. */
function tlsOptions(deployment: ProviderDeployment): Record<string, unknown> {
  const tls = deployment.tls;
  if (tls === undefined) return {};
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`deployment '${deployment.id}': cannot read tls.${what} (${path})`, { cause: error });
    }
  };
  return {
    rejectUnauthorized: tls.reject_unauthorized,
    ...(tls.ca_file !== undefined ? { ca: read(tls.ca_file, 'ca_file') } : {}),
    ...(tls.cert_file !== undefined ? { cert: read(tls.cert_file, 'cert_file') } : {}),
    ...(tls.key_file !== undefined ? { key: read(tls.key_file, 'key_file') } : {}),
    ...(tls.server_name !== undefined ? { servername: tls.server_name } : {}),
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Body errors (idle timeout, reset, total timeout) must follow the same rules as request errors. */
function mapBodyErrors(body: AsyncIterable<Uint8Array>, call: UpstreamCall): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        throw call.describe(error);
      } finally {
        call.end();
      }
    },
  };
}
