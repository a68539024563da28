import type { FinishReason } from './chat-response.js';
import type { StreamPart } from './stream-part.js';

/**
 * Upstream SSE events a stream relay writes to the client byte for byte (issue 16: streams that
 * relay instead of re-encode), with what the gateway must still know of them. The adapter's relay
 * decoder read them by the same rules as the canonical decoder; only events its client dialect
 * would encode to the same thing go out as is.
 */
export interface RelayedEvents {
  type: 'relay';
  /**
   * Whole SSE events, each `data: …\n\n`, to write unchanged: their text, or the upstream's own
   * bytes (UTF-8) when they came as a read of nothing but such events.
   */
  sse: string | Uint8Array;
  /** Choice 0's text in these events: the audit capture, the quality signals, the token estimate when no usage comes. */
  text: string;
  /** Some event carried output (text or a tool call): the first one marks the time to first token. */
  output: boolean;
  /** Choice 0's finish reason, when one of these events finished it. */
  finish?: FinishReason;
}

/**
 * What a relayed stream yields: relayed events, and canonical parts for everything the client's
 * encoder still writes itself (`start` and `usage`, which it keeps for its last event; events it
 * would have rewritten; the finish of a choice the upstream left open).
 */
export type RelayPart = StreamPart | RelayedEvents;
