/**
 * The real HttpTransport: one undici keep-alive Pool per deployment. Timeouts map onto the
 * deployment's config — connect_ms (TCP+TLS), first_byte_ms (until response headers),
 * idle_ms (between body chunks) and total_ms (the whole exchange, body included). Every
 * failure leaves as an UpstreamError whose message names the deployment and the kind of
 * failure but never the URL, host or credentials (undici's own messages can contain them).
 *
 * undici checks first-byte and idle timeouts on a coarse (~0.5–1 s) timer wheel to stay cheap
 * under load, so they fire up to about a second late; total_ms uses a precise AbortSignal.
 */
import { readFileSync } from 'node:fs';
import { Pool, type Dispatcher } from 'undici';
import type { ProviderDeployment } from './deployment-schema.js';
import { UpstreamError } from '../errors/gateway-error.js';
import type { HttpTransport, UpstreamHttpRequest, UpstreamHttpResponse } from './http-transport.js';
import { upstreamNetworkError } from './upstream-network-error.js';

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

  return {
    async request(request: UpstreamHttpRequest): Promise<UpstreamHttpResponse> {
      const totalTimeout = AbortSignal.timeout(timeouts.total_ms);
      const signal = request.signal === undefined ? totalTimeout : AbortSignal.any([request.signal, totalTimeout]);
      const describe = (error: unknown): unknown => {
        // The client left: hand back its own reason so the pipeline does not blame the upstream.
        if (request.signal?.aborted === true) return request.signal.reason;
        if (totalTimeout.aborted) {
          return new UpstreamError('upstream_timeout', `Upstream deployment '${deployment.id}' exceeded its total timeout of ${timeouts.total_ms} ms.`, deployment.id, { cause: error });
        }
        return upstreamNetworkError(error, deployment.id);
      };

      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({
          method: request.method,
          path: joinPath(basePath, request.path, baseQuery),
          headers: request.headers,
          body: request.body ?? null,
          signal,
        });
      } catch (error) {
        throw describe(error);
      }
      const body = mapBodyErrors(response.body, describe);
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body,
        async text() {
          try {
            return await response.body.text();
          } catch (error) {
            throw describe(error);
          }
        },
      };
    },

    async close() {
      await pool.close();
    },
  };
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
function mapBodyErrors(body: AsyncIterable<Uint8Array>, describe: (error: unknown) => unknown): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        throw describe(error);
      }
    },
  };
}
