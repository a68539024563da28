import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * The built console (web/dist, made by `npm run build`) served under /console. The files are
 * read once at start: a fixed, small set, so no request can name a path outside it.
 */
export const DEFAULT_ASSET_DIRECTORY = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Scripts and styles only from this origin; no framing (clickjacking), no referrer. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function readAssets(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      else files.set(`${prefix}${entry.name}`, readFileSync(join(folder, entry.name)));
    }
  };
  if (existsSync(directory)) walk(directory, '');
  return files;
}

export function registerConsoleAssets(app: FastifyInstance, directory = DEFAULT_ASSET_DIRECTORY): void {
  const files = readAssets(directory);
  const index = files.get('index.html');

  app.get('/console', async (_request, reply) => reply.redirect('/console/', 302));
  app.get('/console/', async (_request, reply) => {
    if (!index) throw new GatewayError('not_found', 'The console is not built: run `npm run build` (it builds web/ into web/dist).');
    // The page names hashed asset files; it must never be cached past a deploy.
    return reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store' }).type(TYPES['.html'] as string).send(index);
  });
  app.get<{ Params: { '*': string } }>('/console/assets/*', async (request, reply) => {
    const name = `assets/${request.params['*']}`;
    const body = files.get(name);
    if (!body) throw new GatewayError('not_found', `No console asset '${name}'.`);
    // Vite puts a content hash in every asset name, so a name always means the same bytes.
    return reply
      .headers({ ...SECURITY_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' })
      .type(TYPES[extname(name)] ?? 'application/octet-stream')
      .send(body);
  });
}
