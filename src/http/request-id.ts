import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Accepts a well-formed client `x-request-id`, otherwise mints one; never echoes arbitrary input. */
export function requestIdFrom(request: FastifyRequest): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
}
