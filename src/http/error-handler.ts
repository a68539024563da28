import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import type { AnyDialect } from '../wire/dialect.js';
import { openAIChatDialect } from '../wire/openai/openai-chat-dialect.js';

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

/** The dialect a route speaks (set in its `config` by the route table); OpenAI's for every other route. */
export function dialectOf(request: FastifyRequest): AnyDialect {
  return (request.routeOptions.config as { dialect?: AnyDialect } | undefined)?.dialect ?? openAIChatDialect;
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

/**
 * Failures outside the pipeline (body parsing and limits, admin and tool routes). The pipeline
 * answers its own refusals, audited, through its dialect; nothing here finishes a request.
 */
export async function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const isTooLarge = (error as FastifyError | undefined)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
  const gatewayError = isTooLarge ? bodyTooLarge(request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 1_048_576) : toGatewayError(error);
  if (gatewayError.code === 'internal_error') request.log.error({ err: gatewayError.cause ?? error }, 'internal error');
  if (gatewayError.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(gatewayError.retryAfterSeconds)));
  await reply.status(gatewayError.status).send(dialectOf(request).encodeError(gatewayError));
}
