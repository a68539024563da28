import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallReply, InboundCall } from '../pipeline/inbound-call.js';
import { openSse } from './write-sse.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the pipeline serves this request: it publishes the request's summary itself. */
    servedByPipeline?: boolean;
    /** Work the pipeline left for after the response (rate-limit settlement). */
    afterResponse?: Array<() => Promise<void> | void>;
  }
}

/** The pipeline's view of a fastify request: the request as received, a way to stream, a way to defer work. */
export function inboundCall(request: FastifyRequest, reply: FastifyReply): InboundCall {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  request.servedByPipeline = true;
  return {
    requestId: request.id,
    headers: request.headers,
    clientAddress: request.ip,
    route: { method: request.method, url: request.routeOptions.url ?? request.url },
    body: request.body,
    signal: controller.signal,
    ...(request.drainDeadline ? { drainDeadline: request.drainDeadline } : {}),
    openStream: (headers) => openSse(reply, headers),
    afterResponse: (task) => (request.afterResponse ??= []).push(task),
  };
}

/** Sends what the pipeline answered (nothing when it streamed); an internal error's cause goes to the log. */
export function sendReply(request: FastifyRequest, reply: FastifyReply, answer: CallReply | undefined): FastifyReply {
  if (!answer) return reply;
  if (answer.error?.code === 'internal_error') request.log.error({ err: answer.error.cause ?? answer.error }, 'internal error');
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}
