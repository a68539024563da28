import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { encodeOpenAIError } from '../wire/openai/encode-openai-client-response.js';
import { encodeAnthropicError } from '../wire/anthropic/encode-anthropic-client-response.js';
import { policyResponseHeaders } from '../policy/policy-decision.js';
import { finishRequest } from '../pipeline/finish-request.js';

/** Which error dialect a route speaks; set per route in its `config`. */
export type WireDialect = 'openai' | 'anthropic';

/** Fastify's own failures (parsing, limits) expressed in the gateway's catalogue. */
function fromFastify(error: FastifyError): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('request_too_large', 'Request body is larger than the configured limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'The request body is empty; expected a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_request', 'Content-Length does not match the body.');
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return new GatewayError('invalid_json', `We could not parse the JSON body of your request: ${error.message}`);
      }
      return undefined;
  }
}

/** Turns anything thrown into a GatewayError; unknown errors keep their message private. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const fastifyError = error as FastifyError;
  if (typeof fastifyError?.code === 'string' || error instanceof SyntaxError) {
    const mapped = fromFastify(fastifyError);
    if (mapped) return mapped;
  }
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode === 400) {
    return new GatewayError('invalid_request', fastifyError.message);
  }
  return new GatewayError('internal_error', 'The gateway hit an internal error; the request id identifies it in the logs.', { cause: error });
}

/** The one place a GatewayError becomes a response body. */
export function serializeError(error: GatewayError, dialect: WireDialect): Record<string, unknown> {
  return dialect === 'anthropic' ? encodeAnthropicError(error) : encodeOpenAIError(error);
}

export function dialectOf(request: FastifyRequest): WireDialect {
  return (request.routeOptions.config as { dialect?: WireDialect } | undefined)?.dialect ?? 'openai';
}

/** 413 stating the limit in force and the setting that raises it. */
export function bodyTooLarge(limitBytes: number): GatewayError {
  const mib = limitBytes / (1024 * 1024);
  const readable = mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${Math.round(limitBytes / 1024)} KiB`;
  return new GatewayError(
    'request_too_large',
    `The request body is larger than this gateway's limit of ${limitBytes} bytes (${readable}). Send less (fewer or shorter messages, images by URL instead of inline base64), or ask an operator to raise server.body_limit_bytes.`,
  );
}

export async function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const isTooLarge = (error as FastifyError | undefined)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
  let gatewayError = isTooLarge ? bodyTooLarge(request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 1_048_576) : toGatewayError(error);
  const context = request.pipelineContext;
  if (context) {
    context.error = gatewayError;
    // Refusals and failures are audited too, before the client hears about them.
    const runtime = request.pipelineRuntime;
    if (runtime) {
      await finishRequest(runtime, context, gatewayError.status).catch((auditError: unknown) => {
        gatewayError = toGatewayError(auditError);
      });
    }
    // A refused request still tells the client how it was classified and which rule applied.
    if (context.policy) reply.headers(policyResponseHeaders(context.policy));
    if (context.responseHeaders) reply.headers(context.responseHeaders);
  }
  if (gatewayError.code === 'internal_error') request.log.error({ err: gatewayError.cause ?? error }, 'internal error');
  if (gatewayError.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(gatewayError.retryAfterSeconds)));
  await reply.status(gatewayError.status).send(serializeError(gatewayError, dialectOf(request)));
}
