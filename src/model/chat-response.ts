import type { ToolCall } from './chat-message.js';
import type { Usage } from './usage.js';

/** The canonical answer to a non-streaming chat call. */

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatChoice {
  index: number;
  message: {
    content: string | null;
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
