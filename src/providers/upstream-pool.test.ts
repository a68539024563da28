import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema, type DeploymentConfig } from '../assembly/config-schema.js';
import type { HttpTransport } from './http-transport.js';
import { createUpstreamPool, joinPath } from './upstream-pool.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function deployment(baseUrl: string, overrides: Record<string, unknown> = {}): DeploymentConfig {
  return deploymentSchema.parse({ id: 'private-llm', tier: 'on-prem', provider: 'openai-compatible', base_url: baseUrl, ...overrides });
}

function pool(config: DeploymentConfig): HttpTransport {
  const transport = createUpstreamPool(config);
  cleanups.push(() => transport.close());
  return transport;
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString('utf8');
  return text;
}

async function startHttp(handler: Handler): Promise<{ port: number; connections: () => number }> {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  return { port: await listen(server), connections: () => connections };
}

describe('joinPath', () => {
  it('joins the base path, the request path and a base query', () => {
    expect(joinPath('/v1', '/chat/completions', '')).toBe('/v1/chat/completions');
    expect(joinPath('', '/openai/x?api-version=1', 'tenant=a')).toBe('/openai/x?api-version=1&tenant=a');
  });
});

describe('createUpstreamPool over HTTP', () => {
  it('sends method, joined path, headers and body, and reuses the keep-alive connection', async () => {
    const seen: Array<{ url: string | undefined; auth: string | undefined; body: string }> = [];
    const server = await startHttp((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ url: request.url, auth: request.headers.authorization, body });
        response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end('{"ok":true}');
      });
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}/v1/`));
    for (let round = 0; round < 3; round++) {
      const response = await transport.request({ method: 'POST', path: '/chat/completions', headers: { authorization: 'Bearer k' }, body: '{"a":1}' });
      expect(response.status).toBe(201);
      expect(response.headers['x-request-id']).toBe('req_1');
      expect(await response.text()).toBe('{"ok":true}');
      // undici frees the connection just after the body ends; a request racing that opens another.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen[0]).toEqual({ url: '/v1/chat/completions', auth: 'Bearer k', body: '{"a":1}' });
    expect(server.connections()).toBe(1);
  });

  it('streams body chunks as they arrive', async () => {
    const server = await startHttp((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let count = 0;
      const timer = setInterval(() => {
        response.write(`data: ${count}\n\n`);
        if (++count === 3) {
          clearInterval(timer);
          response.end();
        }
      }, 10);
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`));
    const response = await transport.request({ method: 'GET', path: '/stream', headers: {} });
    expect(await drain(response.body)).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\n');
  });

  it('maps a refused connection to upstream_unavailable without the address', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await pool(deployment(`http://127.0.0.1:${port}`))
      .request({ method: 'GET', path: '/', headers: {} })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_unavailable', deployment: 'private-llm' });
    expect((error as Error).message).not.toMatch(/127\.0\.0\.1|:\d{3,5}|http/);
  });

  it('maps a missing first byte to upstream_timeout (first_byte_ms)', async () => {
    const server = await startHttp(() => undefined);
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`, { timeouts: { first_byte_ms: 100 } }));
    await expect(transport.request({ method: 'GET', path: '/', headers: {} })).rejects.toMatchObject({
      code: 'upstream_timeout',
      message: expect.stringContaining('first-byte'),
    });
  });

  it('maps an idle gap mid-body to upstream_timeout (idle_ms)', async () => {
    const server = await startHttp((_request, response) => {
      response.writeHead(200);
      response.write('data: first\n\n');
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`, { timeouts: { idle_ms: 150 } }));
    const response = await transport.request({ method: 'GET', path: '/', headers: {} });
    await expect(drain(response.body)).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('idle') });
  });

  it('bounds the whole exchange by total_ms even while chunks keep flowing', async () => {
    const server = await startHttp((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('data: tick\n\n'), 20);
      response.on('close', () => clearInterval(timer));
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`, { timeouts: { total_ms: 250, idle_ms: 1000 } }));
    const response = await transport.request({ method: 'GET', path: '/', headers: {} });
    await expect(drain(response.body)).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('total') });
  });

  it('re-throws the caller abort reason and stops the upstream request', async () => {
    let closed: () => void = () => undefined;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = await startHttp((request) => request.socket.on('close', closed));
    const controller = new AbortController();
    const pending = pool(deployment(`http://127.0.0.1:${server.port}`)).request({ method: 'GET', path: '/', headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client disconnected')), 50);
    await expect(pending).rejects.toThrow('client disconnected');
    await upstreamClosed;
  });

  it('maps a connection reset mid-body to upstream_unavailable', async () => {
    const server = await startHttp((request, response) => {
      response.writeHead(200);
      response.write('data: partial\n\n');
      setTimeout(() => request.socket.destroy(), 20);
    });
    const response = await pool(deployment(`http://127.0.0.1:${server.port}`)).request({ method: 'GET', path: '/', headers: {} });
    await expect(drain(response.body)).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});

describe('createUpstreamPool, a body read whole (read: text)', () => {
  const whole = { read: 'text' as const };

  it('sends the request, answers status, headers and text, and reuses the keep-alive connection', async () => {
    const seen: Array<{ url: string | undefined; auth: string | undefined; body: string }> = [];
    const server = await startHttp((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ url: request.url, auth: request.headers.authorization, body });
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
        // Split across writes, a multi-byte character cut in two.
        const bytes = Buffer.from('{"text":"台北 ok"}', 'utf8');
        response.write(bytes.subarray(0, 10));
        setTimeout(() => response.end(bytes.subarray(10)), 5);
      });
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}/v1/`));
    for (let round = 0; round < 3; round++) {
      const response = await transport.request({ method: 'POST', path: '/chat/completions', headers: { authorization: 'Bearer k' }, body: '{"a":1}', ...whole });
      expect(response.status).toBe(201);
      expect(response.headers['x-request-id']).toBe('req_1');
      expect(response.headers['set-cookie']).toBe('a=1, b=2');
      expect(await response.text()).toBe('{"text":"台北 ok"}');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen[0]).toEqual({ url: '/v1/chat/completions', auth: 'Bearer k', body: '{"a":1}' });
    expect(server.connections()).toBe(1);
  });

  it('drops a byte-order mark as undici does, keeps an error status readable and still offers the body as chunks', async () => {
    const server = await startHttp((_request, response) => {
      response.writeHead(503, { 'retry-after': '2' }).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"error":"busy"}')]));
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`));
    const response = await transport.request({ method: 'GET', path: '/', headers: {}, ...whole });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(await response.text()).toBe('{"error":"busy"}');
    const again = await transport.request({ method: 'GET', path: '/', headers: {}, ...whole });
    expect(await drain(again.body)).toBe('{"error":"busy"}');
  });

  it('maps a refused connection to upstream_unavailable without the address', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await pool(deployment(`http://127.0.0.1:${port}`))
      .request({ method: 'GET', path: '/', headers: {}, ...whole })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_unavailable', deployment: 'private-llm' });
    expect((error as Error).message).not.toMatch(/127\.0\.0\.1|:\d{3,5}|http/);
  });

  it('maps a missing first byte to upstream_timeout (first_byte_ms)', async () => {
    const server = await startHttp(() => undefined);
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`, { timeouts: { first_byte_ms: 100 } }));
    await expect(transport.request({ method: 'GET', path: '/', headers: {}, ...whole })).rejects.toMatchObject({
      code: 'upstream_timeout',
      message: expect.stringContaining('first-byte'),
    });
  });

  it('maps an idle gap mid-body to upstream_timeout (idle_ms)', async () => {
    const server = await startHttp((_request, response) => {
      response.writeHead(200);
      response.write('{"partial":');
    });
    const transport = pool(deployment(`http://127.0.0.1:${server.port}`, { timeouts: { idle_ms: 150 } }));
    const response = await transport.request({ method: 'GET', path: '/', headers: {}, ...whole });
    await expect(response.text()).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('idle') });
  });

  it('bounds the whole exchange by total_ms, before and after the headers', async () => {
    const trickle = await startHttp((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    });
    const transport = pool(deployment(`http://127.0.0.1:${trickle.port}`, { timeouts: { total_ms: 250, idle_ms: 1000 } }));
    const response = await transport.request({ method: 'GET', path: '/', headers: {}, ...whole });
    await expect(response.text()).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('total') });
    const silent = await startHttp(() => undefined);
    const before = pool(deployment(`http://127.0.0.1:${silent.port}`, { timeouts: { total_ms: 150, first_byte_ms: 5000 } }));
    await expect(before.request({ method: 'GET', path: '/', headers: {}, ...whole })).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('total') });
  });

  it('re-throws the caller abort reason and stops the upstream request, before and after the headers', async () => {
    let closed: () => void = () => undefined;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = await startHttp((request) => request.socket.on('close', closed));
    const controller = new AbortController();
    const pending = pool(deployment(`http://127.0.0.1:${server.port}`)).request({ method: 'GET', path: '/', headers: {}, signal: controller.signal, ...whole });
    setTimeout(() => controller.abort(new Error('client disconnected')), 50);
    await expect(pending).rejects.toThrow('client disconnected');
    await upstreamClosed;

    const midBody = await startHttp((_request, response) => {
      response.writeHead(200);
      response.write('{"partial":');
    });
    const later = new AbortController();
    const response = await pool(deployment(`http://127.0.0.1:${midBody.port}`)).request({ method: 'GET', path: '/', headers: {}, signal: later.signal, ...whole });
    setTimeout(() => later.abort(new Error('client left mid-body')), 20);
    await expect(response.text()).rejects.toThrow('client left mid-body');

    const already = new AbortController();
    already.abort(new Error('gone before sending'));
    await expect(pool(deployment(`http://127.0.0.1:${midBody.port}`)).request({ method: 'GET', path: '/', headers: {}, signal: already.signal, ...whole })).rejects.toThrow('gone before sending');
  });

  it('maps a connection reset mid-body to upstream_unavailable', async () => {
    const server = await startHttp((request, response) => {
      response.writeHead(200);
      response.write('{"partial":');
      setTimeout(() => request.socket.destroy(), 20);
    });
    const response = await pool(deployment(`http://127.0.0.1:${server.port}`)).request({ method: 'GET', path: '/', headers: {}, ...whole });
    await expect(response.text()).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('createUpstreamPool over HTTPS with a private CA', () => {
  let directory = '';
  const file = (name: string) => join(directory, name);

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Switchyard Test CA');
    for (const [name, extension] of [
      ['server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
      ['client', 'extendedKeyUsage=clientAuth\n'],
    ] as const) {
      writeFileSync(file(`${name}.ext`), extension);
      openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name === 'server' ? 'localhost' : 'switchyard'}`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
    }
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function startHttps(requireClientCert: boolean): Promise<number> {
    const server = createHttpsServer(
      {
        key: readFileSync(file('server.key')),
        cert: readFileSync(file('server.crt')),
        ca: readFileSync(file('ca.crt')),
        requestCert: requireClientCert,
        rejectUnauthorized: requireClientCert,
      },
      (request, response) => {
        const peer = (request.socket as import('node:tls').TLSSocket).getPeerCertificate();
        response.end(JSON.stringify({ client: peer.subject?.CN ?? null }));
      },
    );
    return listen(server as unknown as Server);
  }

  it('trusts the deployment CA bundle and verifies the server name', async () => {
    const port = await startHttps(false);
    const transport = pool(deployment(`https://127.0.0.1:${port}`, { tls: { ca_file: file('ca.crt'), server_name: 'localhost' } }));
    const response = await transport.request({ method: 'GET', path: '/', headers: {} });
    expect(await response.text()).toBe('{"client":null}');
  });

  it('refuses a server the CA bundle does not vouch for, as upstream_unavailable', async () => {
    const port = await startHttps(false);
    const error = await pool(deployment(`https://127.0.0.1:${port}`))
      .request({ method: 'GET', path: '/', headers: {} })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('TLS') });
  });

  it('presents the client certificate for mTLS', async () => {
    const port = await startHttps(true);
    const tls = { ca_file: file('ca.crt'), cert_file: file('client.crt'), key_file: file('client.key') };
    const response = await pool(deployment(`https://localhost:${port}`, { tls })).request({ method: 'GET', path: '/', headers: {} });
    expect(await response.text()).toBe('{"client":"switchyard"}');
    const refused = await pool(deployment(`https://localhost:${port}`, { tls: { ca_file: file('ca.crt') } }))
      .request({ method: 'GET', path: '/', headers: {} })
      .catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'upstream_unavailable' });
  });

  it('fails at creation, naming the setting, when a TLS file is missing', () => {
    expect(() => createUpstreamPool(deployment('https://localhost', { tls: { ca_file: file('nope.crt') } }))).toThrow('tls.ca_file');
  });
});
