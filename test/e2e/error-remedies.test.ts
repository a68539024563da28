import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runSwitchyard, startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * Every error says what to do, in the OpenAI error shape — also the ones Node's HTTP parser
 * raises before a route runs. One test per case; each asserts the message names the remedy.
 */

const KEY = 'sy-e2e-remedy-key-0123456789';
const ADMIN = 'sy-e2e-remedy-admin-0123456789';
let gateway: RunningProcess;
let host: string;
let port: number;

beforeAll(async () => {
  const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0, body_limit_bytes: 2048 }
auth:
  keys:
    - { id: caller, key: "\${env:E2E_REMEDY_KEY}" }
identity:
  bootstrap_admin_key: "\${env:E2E_REMEDY_ADMIN}"
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
  - { alias: embed, type: embedding, targets: [{ deployment: local, model: e }] }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_REMEDY_KEY: KEY, E2E_REMEDY_ADMIN: ADMIN });
  const url = new URL(gateway.url);
  host = url.hostname;
  port = Number(url.port);
});
afterAll(async () => {
  await gateway?.stop();
});

interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

function expectOpenAIShape(body: unknown): OpenAIErrorBody['error'] {
  expect(body).toEqual({ error: { message: expect.any(String), type: expect.any(String), code: expect.any(String), param: expect.toSatisfy((value) => value === null || typeof value === 'string') } });
  return (body as OpenAIErrorBody).error;
}

const post = (path: string, body: unknown, key = KEY) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Sends raw bytes (what a fetch client would never produce) and returns the raw response. */
function sendRaw(raw: string): Promise<{ status: number; headers: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(raw));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = response.split('\r\n\r\n');
      try {
        resolve({ status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(body) });
      } catch (error) {
        reject(new Error(`not a JSON error response: ${JSON.stringify(response)} (${(error as Error).message})`));
      }
    });
  });
}

describe('HTTP errors name the remedy', () => {
  it('413 states the limit and the setting that raises it', async () => {
    const response = await post('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(5_000) }] });
    expect(response.status).toBe(413);
    const error = expectOpenAIShape(await response.json());
    expect(error.code).toBe('request_too_large');
    expect(error.message).toContain('2048 bytes');
    expect(error.message).toContain('server.body_limit_bytes');
  });

  it('a wrong method on a route that exists is 405 naming the method, not 404', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
    const error = expectOpenAIShape(await response.json());
    expect(error.code).toBe('method_not_allowed');
    expect(error.message).toBe('GET is not allowed on /v1/chat/completions; use POST.');
    // A route that really does not exist stays a 404.
    expect((await fetch(`${gateway.url}/v1/nothing-here`)).status).toBe(404);
  });

  it('an embedding alias sent to chat says which endpoint it belongs to', async () => {
    const response = await post('/v1/chat/completions', { model: 'embed', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(400);
    const error = expectOpenAIShape(await response.json());
    expect(error.param).toBe('model');
    expect(error.message).toContain('embedding model');
    expect(error.message).toContain('/v1/embeddings');
    const back = await post('/v1/embeddings', { model: 'chat', input: 'hi' });
    expect(expectOpenAIShape(await back.json()).message).toContain('/v1/chat/completions');
  });

  it('/v1/policy/scan names the missing field and shows the body shape', async () => {
    const response = await post('/v1/policy/scan', { id: 'a', txt: 'typo' }, ADMIN);
    expect(response.status).toBe(400);
    const error = expectOpenAIShape(await response.json());
    expect(error.message).toContain("'txt'");
    expect(error.message).toContain('{"id": "1", "text": "…"}');
    const missing = expectOpenAIShape(await (await post('/v1/policy/scan', [{ id: 1 }], ADMIN)).json());
    expect(missing.message).toContain("Missing field '0.text'");
    expect(error.message).toMatch(/^Missing field 'text'; unknown field 'txt'\./);
    const ok = await post('/v1/policy/scan', { id: 'b', text: 'call 0912-345-678' }, ADMIN);
    expect(((await ok.json()) as { entities: Array<{ type: string }> }).entities.map((entity) => entity.type)).toEqual(['PHONE']);
  });
});

describe('framing errors Node raises before a route runs are in the OpenAI shape', () => {
  it('431 for oversized headers, naming the limit and how to raise it', async () => {
    const response = await sendRaw(`GET /health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(response.status).toBe(431);
    const error = expectOpenAIShape(response.body);
    expect(error.code).toBe('request_headers_too_large');
    expect(error.message).toContain('smaller headers');
    expect(error.message).toContain('--max-http-header-size');
  });

  it('400 for Content-Length together with Transfer-Encoding, saying to send one', async () => {
    const response = await sendRaw(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    expect(response.status).toBe(400);
    const error = expectOpenAIShape(response.body);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Send exactly one of them');
  });

  it('400 for a bare CR in the request head, saying lines must end with CR LF', async () => {
    const response = await sendRaw(`GET /health HTTP/1.1\r\nHost: x\rX-Other: y\r\n\r\n`);
    expect(response.status).toBe(400);
    const error = expectOpenAIShape(response.body);
    expect(error.message).toContain('must end with CR LF');
  });
});

describe('CLI errors name the remedy', () => {
  it('serve without --config names --config and the quick-start file', async () => {
    const result = await runSwitchyard(['serve'], { SWITCHYARD_CONFIG: '' }, '/');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--config');
    expect(result.stderr).toContain('examples/quickstart.yaml');
  });

  it('a port in use hints at --port', async () => {
    const result = await runSwitchyard(['serve', '--config', 'examples/quickstart.yaml', '--port', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('--port <n>');
  });

  it('`config schema | head` ends quietly when the reader closes the pipe', async () => {
    const child = spawn(process.execPath, [CLI, 'config', 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Read one chunk, then close the pipe like `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', (exit) => resolve(exit)));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
