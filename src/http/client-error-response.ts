import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { encodeOpenAIError } from '../wire/openai/encode-openai-client-response.js';

/**
 * Requests Node's HTTP parser rejects before any route runs (oversized headers, Content-Length
 * with Transfer-Encoding, a bare CR) are answered in the same OpenAI error shape as every other
 * error, saying what to change — not in Fastify's `{"statusCode","error","message"}`.
 */
export function clientErrorAsGatewayError(error: Error & { code?: string }, maxHeaderSize: number): GatewayError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError(
        'request_headers_too_large',
        `The request headers are larger than the gateway accepts (${maxHeaderSize} bytes in total). Send fewer or smaller headers (large cookies are the usual cause); an operator can raise the limit with NODE_OPTIONS=--max-http-header-size=<bytes>.`,
      );
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new GatewayError(
        'invalid_request',
        'The request has both Content-Length and Transfer-Encoding (or an unsupported Transfer-Encoding). Send exactly one of them; an HTTP client library does this for you, so check any proxy or hand-built request in between.',
      );
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_EOF_STATE':
      return new GatewayError(
        'invalid_request',
        `The request is not well-formed HTTP/1.1 (${error.message.replace(/^Parse Error: /, '')}): every request and header line must end with CR LF, and a bare CR or LF is not allowed. Send it with an HTTP client library, or fix the proxy that rewrote it.`,
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError('invalid_request', 'The request was not received completely in time. Send the whole request promptly, or check the network between client and gateway.', { status: 408 });
    default:
      return new GatewayError(
        'invalid_request',
        `The request could not be read as HTTP (${error.code ?? 'parse error'}). Send it with an HTTP client library, or fix the proxy in front of the gateway.`,
      );
  }
}

/** Fastify's `clientErrorHandler`: one raw HTTP/1.1 response, then close. */
export function createClientErrorHandler(maxHeaderSize: number) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset or half-written connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy(error);
      return;
    }
    const gatewayError = clientErrorAsGatewayError(error, maxHeaderSize);
    const body = JSON.stringify(encodeOpenAIError(gatewayError));
    socket.end(
      `HTTP/1.1 ${gatewayError.status} ${STATUS_CODES[gatewayError.status] ?? 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
