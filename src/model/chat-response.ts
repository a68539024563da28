import type { ToolCall } from './chat-message.js';
import type { Usage } from './usage.js';

/** The canonical answer to a non-streaming chat call. */

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Reasoning returned with an answer, in order: shown to clients that speak a wire with thinking blocks. */
export type ThinkingBlock = { type: 'thinking'; text: string; signature: string } | { type: 'redacted-thinking'; data: string };

export interface ChatChoice {
  index: number;
  message: {
    content: string | null;
    thinking?: ThinkingBlock[];
    toolCalls?: ToolCall[];
    refusal?: string | null;
  };
  finishReason: FinishReason;
}

export interface ChatResponse {
  id: string;
  /** The model version that actually answered, as the upstream reports it. */
  model: string;
  created: number;
  choices: ChatChoice[];
  usage?: Usage;
  systemFingerprint?: string;
}
