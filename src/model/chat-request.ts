import type { CanonicalMessage } from './chat-message.js';
import type { JsonObject } from './json-value.js';

/** The canonical chat call every inbound API decodes into and every adapter encodes from. */

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JsonObject;
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonObject; strict?: boolean; description?: string };

export interface ChatRequest {
  /** Upstream model name once resolved; the client's alias before routing. */
  model: string;
  messages: CanonicalMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  n?: number;
  user?: string;
  stream: boolean;
  /** Always ask upstream for usage when streaming; the inbound layer decides what the client sees. */
  includeUsage?: boolean;
  /** A prompt template to render (`metadata.template`), resolved in the serving release; never sent upstream. */
  template?: { reference: string; variables: Record<string, string> };
}
