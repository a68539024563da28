import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/error-handler.js';
import { registerConsoleAssets } from './console-assets.js';

describe('console assets', () => {
  let directory: string;
  let app: FastifyInstance;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'sy-console-assets-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(directory, 'secret.txt'), 'not an asset');
    app = Fastify();
    app.setErrorHandler(errorHandler);
    registerConsoleAssets(app, directory);
  });
  afterAll(async () => {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves the page uncached with a strict CSP, and hashed assets as immutable', async () => {
    expect((await app.inject('/console')).headers.location).toBe('/console/');
    const page = await app.inject('/console/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = await app.inject('/console/assets/index-abc123.js');
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it('serves nothing outside assets/, whatever the path says', async () => {
    for (const url of ['/console/assets/../secret.txt', '/console/assets/%2e%2e/secret.txt', '/console/assets/..%2Fsecret.txt', '/console/assets/nope.js']) {
      const response = await app.inject(url);
      expect(response.body, url).not.toContain('not an asset');
      expect(response.statusCode, url).toBe(404);
    }
    expect((await app.inject('/console/assets/nope.js')).json().error.code).toBe('not_found');
  });
});
