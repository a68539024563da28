import type { CacheControl, CanonicalMessage } from './chat-message.js';
import type { JsonObject } from './json-value.js';

/** The canonical chat call every inbound API decodes into and every adapter encodes from. */

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JsonObject;
  strict?: boolean;
  cacheControl?: CacheControl;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonObject; strict?: boolean; description?: string };

/**
 * Request features some wires cannot express. A target that cannot honour one refuses the
 * request (`unsupported_parameter`) unless the alias lists it under `drop_unsupported`.
 */
export const REQUEST_FEATURES = ['n', 'seed', 'response_format', 'top_k', 'thinking', 'cache_control', 'document'] as const;
export type RequestFeature = (typeof REQUEST_FEATURES)[number];

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
  topK?: number;
  /** Extended thinking (Anthropic): the model reasons first, within `budgetTokens` of its output allowance. */
  thinking?: { type: 'enabled'; budgetTokens: number } | { type: 'disabled' };
  user?: string;
  stream: boolean;
  /** Always ask upstream for usage when streaming; the inbound layer decides what the client sees. */
  includeUsage?: boolean;
  /** A prompt template to render (`metadata.template`), resolved in the serving release; never sent upstream. */
  template?: { reference: string; variables: Record<string, string> };
  /**
   * Request features the serving alias lets the gateway drop for a target that cannot honour
   * them (`drop_unsupported`); anything else a target cannot honour is refused. Never sent upstream.
   */
  dropUnsupported?: readonly RequestFeature[];
}
