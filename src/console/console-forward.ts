import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleCaller } from './console-access.js';

/**
 * Console calls that are admin API calls: the console forwards them in-process (fastify inject)
 * with the session's credential, so the admin route's own validation, scope check and errors
 * apply unchanged — the console adds no second copy of any rule.
 */
export const FORWARDED_ROUTES = [
  { method: 'GET', path: '/console/api/keys', target: '/admin/keys' },
  { method: 'POST', path: '/console/api/keys', target: '/admin/keys' },
  { method: 'POST', path: '/console/api/keys/:id/rotate', target: '/admin/keys/:id/rotate' },
  { method: 'POST', path: '/console/api/keys/:id/revoke', target: '/admin/keys/:id/revoke' },
  { method: 'GET', path: '/console/api/spend', target: '/admin/spend' },
  { method: 'POST', path: '/console/api/policy/explain', target: '/v1/policy/explain' },
  { method: 'GET', path: '/console/api/releases', target: '/admin/releases' },
  { method: 'POST', path: '/console/api/releases', target: '/admin/releases' },
  { method: 'GET', path: '/console/api/releases/:id', target: '/admin/releases/:id' },
  { method: 'POST', path: '/console/api/releases/:id/promote', target: '/admin/releases/:id/promote' },
  { method: 'POST', path: '/console/api/releases/rollback', target: '/admin/releases/rollback' },
] as const;

/** The admin path with `:params` filled (encoded) and the caller's query string kept. */
export function targetUrl(target: string, request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string>;
  const path = target.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = request.url.indexOf('?');
  return query === -1 ? path : `${path}${request.url.slice(query)}`;
}

/** Runs an admin call as the caller and copies its status, body and cache headers back. */
export async function forward(app: FastifyInstance, caller: ConsoleCaller, request: FastifyRequest, reply: FastifyReply, target: string, body?: unknown): Promise<FastifyReply> {
  const payload = body ?? request.body;
  const response = await app.inject({
    method: request.method as 'GET' | 'POST',
    url: targetUrl(target, request),
    headers: {
      authorization: caller.authorization,
      'x-request-id': request.id,
      ...(payload === undefined || request.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    },
    remoteAddress: request.ip,
    ...(payload === undefined || request.method === 'GET' ? {} : { payload: JSON.stringify(payload) }),
  });
  const cacheControl = response.headers['cache-control'];
  if (typeof cacheControl === 'string') reply.header('cache-control', cacheControl);
  return reply.status(response.statusCode).type(String(response.headers['content-type'] ?? 'application/json')).send(response.body);
}
