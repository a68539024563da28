import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { StreamPart } from '../../model/stream-part.js';
import { createAnthropicStreamEncoder, encodeAnthropicResponse } from '../../wire/anthropic/encode-anthropic-client-response.js';
import { decodeAnthropicClientRequest } from '../../wire/anthropic/decode-anthropic-client-request.js';
import { decodeOpenAIClientChatRequest, decodeOpenAIClientEmbeddingRequest } from '../../wire/openai/decode-openai-client-request.js';
import {
  createOpenAIStreamEncoder,
  encodeOpenAIChatResponse,
  encodeOpenAIEmbeddingResponse,
} from '../../wire/openai/encode-openai-client-response.js';
import type { MockEngine } from './mock-engine.js';
import type { MockFault } from './mock-faults.js';
import { MockStreamCutError, pacedBatches, sleep, type StreamPlan } from './mock-pacing.js';
import { lastUserText } from './mock-reply-text.js';
import { vendorErrorBody, type MockDialect } from './mock-wire-errors.js';

/**
 * Chat and embedding endpoints of the standalone mock: vendor wire → canonical (the gateway's
 * own inbound decoders) → engine → vendor wire (the gateway's own encoders), with every fault
 * applied on the real socket: reset and cut destroy it, hang and stall just never write again.
 */

export function sendJson(response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function sendVendorError(response: ServerResponse, dialect: MockDialect, status: number, message?: string, headers?: Record<string, string>): void {
  sendJson(response, status, vendorErrorBody(dialect, status, message), headers);
}

/** Aborts when the client goes away, so paced waits and hangs stop holding timers. */
function clientGone(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * Applies the faults that end a request before any reply. Returns true when the request was
 * dealt with (error sent, socket destroyed, or left hanging).
 */
function answeredByFault(fault: MockFault, dialect: MockDialect, request: IncomingMessage, response: ServerResponse): boolean {
  switch (fault.kind) {
    case 'error':
      sendVendorError(response, dialect, fault.status);
      return true;
    case 'rate_limit': {
      const seconds = fault.retryAfterSeconds;
      sendVendorError(response, dialect, 429, undefined, {
        'retry-after': String(Math.ceil(seconds)),
        'retry-after-ms': String(Math.round(seconds * 1000)),
      });
      return true;
    }
    case 'reset':
      request.socket.destroy();
      return true;
    case 'hang':
      // Never answer; the socket stays open until the client aborts or the server closes.
      return true;
    default:
      return false;
  }
}

/** A non-streaming body cut half-way: full content-length announced, half written, socket destroyed. */
function sendTruncated(response: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.write(text.slice(0, Math.floor(text.length / 2)));
  destroyWhenFlushed(response);
}

export interface ChatCall {
  dialect: MockDialect;
  engine: MockEngine;
  request: IncomingMessage;
  response: ServerResponse;
  body: unknown;
}

export async function handleChat(call: ChatCall): Promise<void> {
  const { dialect, engine, request, response } = call;
  let chatRequest: ChatRequest;
  let clientWantsUsage = false;
  try {
    if (dialect === 'anthropic') {
      chatRequest = decodeAnthropicClientRequest(call.body);
    } else {
      const decoded = decodeOpenAIClientChatRequest(call.body);
      chatRequest = decoded.request;
      clientWantsUsage = decoded.clientWantsUsage;
    }
  } catch (error) {
    sendVendorError(response, dialect, 400, isGatewayError(error) ? error.message : 'Invalid request body.');
    return;
  }
  const header = request.headers['x-mock-fault'];
  const fault = engine.decideFault({ header: typeof header === 'string' ? header : undefined, text: lastUserText(chatRequest), streaming: chatRequest.stream });
  if (answeredByFault(fault, dialect, request, response)) return;
  const reply = engine.chat(chatRequest, dialect === 'anthropic' ? 'anthropic' : 'openai');
  const { ttftMs, intervalMs } = engine.timing(fault);
  const paced = ttftMs > 0 || intervalMs > 0 || fault.kind === 'stall';
  const signal = paced ? clientGone(response) : undefined;
  try {
    if (!chatRequest.stream) {
      await sleep(ttftMs + reply.pieces.length * intervalMs, signal);
      if (fault.kind === 'stall') return; // never answers, like hang
      const body = dialect === 'anthropic' ? encodeAnthropicResponse(reply.response) : encodeOpenAIChatResponse(reply.response);
      if (fault.kind === 'stream_cut') sendTruncated(response, body);
      else sendJson(response, 200, body);
      return;
    }
    await sleep(ttftMs, signal);
    const encoder = dialect === 'anthropic' ? createAnthropicStreamEncoder() : createOpenAIStreamEncoder({ includeUsage: clientWantsUsage });
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const plan: StreamPlan = { intervalMs };
    if (fault.kind === 'stream_cut') plan.cutAfterChunks = fault.afterChunks;
    if (fault.kind === 'stall') {
      plan.stallAfterChunks = fault.afterChunks;
      // Headers must reach the client even if no chunk ever follows.
      response.flushHeaders();
    }
    await writeStream(response, encoder, engine.streamParts(reply), plan, signal);
  } catch (error) {
    // The client went away during a wait: nothing left to answer.
    if (signal?.aborted) return;
    throw error;
  }
}

interface PartEncoder {
  encode(part: StreamPart): string;
  end(): string;
}

/**
 * Destroys the socket once everything written so far has been handed to the kernel, so the
 * client receives exactly the pre-cut chunks and then a broken connection. (http corks the
 * socket until the next tick after each write, so the callback of an empty socket write is
 * the reliable "flushed" signal; `drain` only fires after a write returned false.)
 */
function destroyWhenFlushed(response: ServerResponse): void {
  const socket = response.socket;
  if (!socket) return;
  socket.write('', () => setImmediate(() => socket.destroy()));
}

async function writeStream(response: ServerResponse, encoder: PartEncoder, parts: StreamPart[], plan: StreamPlan, signal: AbortSignal | undefined): Promise<void> {
  // Unpaced, fault-free streams are one batch: buffer it and send it with the closing events
  // in a single write. Otherwise each batch is written as soon as it is due.
  const immediate = plan.intervalMs > 0 || plan.cutAfterChunks !== undefined || plan.stallAfterChunks !== undefined;
  let pending = '';
  let wrote = false;
  try {
    for await (const batch of pacedBatches(parts, plan, signal)) {
      let text = '';
      for (const part of batch) text += encoder.encode(part);
      if (!immediate) pending += text;
      else if (text !== '') wrote = response.write(text) || true;
    }
    response.end(pending + encoder.end());
  } catch (error) {
    if (!(error instanceof MockStreamCutError)) throw error;
    // Cut: no [DONE] / message_stop, just a broken connection after the chunks so far.
    // (`headersSent` is already true after writeHead, so track real writes ourselves.)
    if (!wrote) response.flushHeaders();
    destroyWhenFlushed(response);
  }
}

export function handleEmbeddings(call: ChatCall): void | Promise<void> {
  const { dialect, engine, request, response } = call;
  let decoded: ReturnType<typeof decodeOpenAIClientEmbeddingRequest>;
  try {
    decoded = decodeOpenAIClientEmbeddingRequest(call.body);
  } catch (error) {
    sendVendorError(response, dialect, 400, isGatewayError(error) ? error.message : 'Invalid request body.');
    return;
  }
  const header = request.headers['x-mock-fault'];
  const fault = engine.decideFault({ header: typeof header === 'string' ? header : undefined, text: decoded.request.input[0] ?? '', streaming: false });
  if (answeredByFault(fault, dialect, request, response)) return;
  const answer = () => {
    const body = encodeOpenAIEmbeddingResponse(engine.embed(decoded.request), decoded.encodingFormat);
    if (fault.kind === 'stream_cut') sendTruncated(response, body);
    else if (fault.kind !== 'stall') sendJson(response, 200, body);
  };
  const { ttftMs } = engine.timing(fault);
  if (ttftMs <= 0) return answer();
  return sleep(ttftMs, clientGone(response)).then(answer, () => undefined);
}
