import type { FinishReason } from './chat-response.js';
import type { Usage } from './usage.js';

/**
 * A stream is a sequence of parts: exactly one `start`, deltas per choice, one `finish` per
 * choice, optionally one `usage`. An upstream failure after `start` is thrown from the iterator.
 */
export type StreamPart =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text-delta'; choice: number; text: string }
  | {
      type: 'tool-call-delta';
      choice: number;
      /** Position of this call among the choice's tool calls. */
      toolIndex: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  /** Reasoning text; a `thinking-signature` ends the reasoning block it belongs to. */
  | { type: 'thinking-delta'; choice: number; text: string }
  | { type: 'thinking-signature'; choice: number; signature: string }
  | { type: 'redacted-thinking'; choice: number; data: string }
  | { type: 'finish'; choice: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };
