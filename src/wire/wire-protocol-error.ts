/**
 * Raised by wire decoders when upstream bytes do not follow the vendor's protocol: invalid
 * JSON, a missing field, an `error` event mid-stream, a stream that ended before its
 * terminator. Codecs stay free of deployment knowledge; adapters turn this into an
 * `UpstreamError` with the right code for where it happened.
 */
export class WireProtocolError extends Error {
  /** True when the upstream itself reported the failure (an error event), not a broken frame. */
  readonly reportedByUpstream: boolean;

  constructor(message: string, options: { reportedByUpstream?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WireProtocolError';
    this.reportedByUpstream = options.reportedByUpstream ?? false;
  }
}

/** JSON.parse that reports bad input as a protocol error naming what was being read. */
export function parseWireJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WireProtocolError(`The upstream sent ${what} that is not valid JSON.`, { cause: error });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
