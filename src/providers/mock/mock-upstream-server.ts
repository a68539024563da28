import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { mockOptionsSchema, type MockOptions } from './mock-options-schema.js';
import { createMockEngine, type MockEngine } from './mock-engine.js';
import { handleChat, handleEmbeddings, sendJson, sendVendorError } from './mock-http-handlers.js';
import type { RandomSource } from './mock-random.js';
import { createMockRequestLog, type MockRequestLog } from './mock-request-log.js';
import { authErrorMessage, hasValidKey, type MockDialect } from './mock-wire-errors.js';

/**
 * The mock upstream as a real HTTP server (node:http: the cheapest server Node has, and the
 * benchmark needs the mock to be far faster than anything it measures). Routes:
 *   OpenAI     POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models
 *   Azure      POST /openai/deployments/{name}/chat/completions?api-version=…  (and /embeddings),
 *              POST /openai/v1/chat/completions (the v1 API, no api-version)
 *   Anthropic  POST /v1/messages (GET /v1/models answers Anthropic's shape when the request
 *              carries `anthropic-version`)
 *   Control    GET|DELETE /__mock/requests (request log), GET|PUT /__mock/options (change
 *              reply/pacing/faults at runtime, e.g. to heal an upstream mid-test), GET /healthz
 */

export type MockOptionsInput = z.input<typeof mockOptionsSchema>;

export interface MockUpstreamServerOptions {
  port?: number;
  host?: string;
  options?: MockOptionsInput;
  /** When set, every vendor route requires this key where that vendor's SDK sends it. */
  apiKey?: string;
  /** Instance name that `@target` fault specs match; default "mock". */
  name?: string;
  /** Model ids GET /v1/models lists. */
  models?: string[];
  /** Forces fault draws (tests); default: PRNG seeded by options.seed, else Math.random. */
  random?: RandomSource;
}

export interface MockUpstream {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4010 (append /v1 for OpenAI SDKs). */
  url: string;
  port: number;
  requests: MockRequestLog;
  engine: MockEngine;
  /** Merges a partial options object (faults merged key by key) and applies it to new requests. */
  setOptions(patch: MockOptionsInput): MockOptions;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_MODELS = ['mock-chat', 'mock-embedding'];

export function mergeMockOptions(current: MockOptions, patch: MockOptionsInput): MockOptions {
  return mockOptionsSchema.parse({ ...current, ...patch, faults: { ...current.faults, ...(patch.faults ?? {}) } });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Which vendor route a path is, and the Azure deployment name when there is one. */
function routeOf(path: string): { dialect: MockDialect; kind: 'chat' | 'embeddings'; deployment?: string } | undefined {
  switch (path) {
    case '/v1/chat/completions':
      return { dialect: 'openai', kind: 'chat' };
    case '/v1/embeddings':
      return { dialect: 'openai', kind: 'embeddings' };
    case '/v1/messages':
      return { dialect: 'anthropic', kind: 'chat' };
    case '/openai/v1/chat/completions':
      return { dialect: 'azure', kind: 'chat' };
    case '/openai/v1/embeddings':
      return { dialect: 'azure', kind: 'embeddings' };
  }
  if (!path.startsWith('/openai/deployments/')) return undefined;
  const rest = path.slice('/openai/deployments/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const deployment = decodeURIComponent(rest.slice(0, slash));
  const operation = rest.slice(slash);
  if (operation === '/chat/completions') return { dialect: 'azure', kind: 'chat', deployment };
  if (operation === '/embeddings') return { dialect: 'azure', kind: 'embeddings', deployment };
  return undefined;
}

export async function startMockUpstream(serverOptions: MockUpstreamServerOptions = {}): Promise<MockUpstream> {
  let options = mockOptionsSchema.parse(serverOptions.options ?? {});
  const engine = createMockEngine({ options, name: serverOptions.name ?? 'mock', ...(serverOptions.random ? { random: serverOptions.random } : {}) });
  const requests = createMockRequestLog(options.request_log_size);
  const models = serverOptions.models ?? DEFAULT_MODELS;
  const apiKey = serverOptions.apiKey;

  const setOptions = (patch: MockOptionsInput): MockOptions => {
    options = mergeMockOptions(options, patch);
    engine.setOptions(options);
    return options;
  };

  async function handleControl(method: string, path: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    if (path === '/__mock/requests') {
      if (method === 'DELETE') {
        requests.clear();
        response.writeHead(204).end();
      } else {
        sendJson(response, 200, { data: requests.entries() });
      }
      return true;
    }
    if (path === '/__mock/options') {
      if (method === 'PUT' || method === 'POST') {
        try {
          sendJson(response, 200, setOptions(JSON.parse(await readBody(request)) as MockOptionsInput));
        } catch (error) {
          sendJson(response, 400, { error: { message: error instanceof Error ? error.message : 'invalid options' } });
        }
      } else {
        sendJson(response, 200, options);
      }
      return true;
    }
    if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return true;
    }
    return false;
  }

  function listModels(request: IncomingMessage, response: ServerResponse): void {
    if (request.headers['anthropic-version'] !== undefined) {
      const data = models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2024-01-01T00:00:00Z' }));
      sendJson(response, 200, { data, has_more: false, first_id: models[0] ?? null, last_id: models[models.length - 1] ?? null });
      return;
    }
    sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'switchyard-mock' })) });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
    const method = request.method ?? 'GET';
    if (path.startsWith('/__mock/') || path === '/healthz') {
      if (await handleControl(method, path, request, response)) return;
    }
    const dialectOfModels: MockDialect = request.headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
    if (method === 'GET' && (path === '/v1/models' || path === '/openai/v1/models')) {
      if (apiKey !== undefined && !hasValidKey(dialectOfModels, request.headers, apiKey)) return sendVendorError(response, dialectOfModels, 401, authErrorMessage(dialectOfModels));
      return listModels(request, response);
    }
    const route = routeOf(path);
    if (!route) return sendVendorError(response, 'openai', 404, `Unknown mock route ${method} ${path}`);
    if (method !== 'POST') return sendVendorError(response, route.dialect, 405, `Method ${method} not allowed.`);
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    requests.record({ api: route.dialect, method, path: url, headers: request.headers, body });
    if (apiKey !== undefined && !hasValidKey(route.dialect, request.headers, apiKey)) {
      return sendVendorError(response, route.dialect, 401, authErrorMessage(route.dialect));
    }
    if (typeof body !== 'object' || body === null) {
      return sendVendorError(response, route.dialect, 400, 'We could not parse the JSON body of your request.');
    }
    if (route.dialect === 'azure' && route.deployment !== undefined) {
      if (queryAt < 0 || !url.includes('api-version=', queryAt)) {
        return sendJson(response, 404, { error: { code: '404', message: 'Resource not found' } });
      }
      // Azure bodies may omit `model`: the deployment in the URL decides it.
      if (!('model' in body)) body = { ...body, model: route.deployment };
    }
    const call = { dialect: route.dialect, engine, request, response, body };
    await (route.kind === 'chat' ? handleChat(call) : handleEmbeddings(call));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendVendorError(response, 'openai', 500, 'mock upstream internal error');
      else response.destroy();
    });
  });
  // Load generators and gateways keep connections alive; do not close them under their feet.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(serverOptions.port ?? 0, serverOptions.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    engine,
    setOptions,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging and stalled requests never finish by themselves.
        server.closeAllConnections();
      }),
  };
}
