import type { GatewayError } from '../errors/gateway-error.js';

/**
 * What http hands the pipeline for one API call, and the little it needs back from http: a way
 * to open a stream and a way to run work after the response. The pipeline does everything else
 * (authenticate, decode, …, encode) and answers with a CallReply, or by streaming.
 */
export interface InboundCall {
  requestId: string;
  headers: Record<string, string | string[] | undefined>;
  clientAddress?: string;
  /** The HTTP method and route pattern (for the request log line). */
  route?: { method: string; url: string };
  /** The JSON body as parsed, not yet decoded (the dialect decodes it after authentication). */
  body: unknown;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Aborted at the drain deadline: a stream still running then ends with an error event. */
  drainDeadline?: AbortSignal;
  /** Opens a 200 server-sent-event response with these headers (only once the first part is ready). */
  openStream(headers: Record<string, string>): SseSink;
  /** Work to do once the response is finished (settling rate-limit reservations); failures are logged, not sent. */
  afterResponse(task: () => Promise<void> | void): void;
}

/** The open SSE response. */
export interface SseSink {
  /** Resolves when the text (or UTF-8 bytes) is handed to the socket (waits for `drain` under back-pressure). */
  write(text: string | Uint8Array): Promise<void>;
  /** True once the client went away. */
  readonly closed: boolean;
  end(): void;
}

/** A complete JSON answer: the pipeline chose the status, headers and the dialect's body. */
export interface CallReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set for refusals and failures (http logs an internal error's cause). */
  error?: GatewayError;
}
