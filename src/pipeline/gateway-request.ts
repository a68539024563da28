/**
 * Canonical request, response and stream-part types. Inbound APIs (OpenAI, Anthropic) translate
 * into these; provider adapters translate out of them. Nothing here knows a wire format, so an
 * Anthropic client can be served by an OpenAI-compatible deployment and vice versa.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image by URL; `data:` URLs carry inline base64 content. */
export interface ImagePart {
  type: 'image';
  url: string;
  detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments exactly as JSON text, as models produce them (may be invalid JSON). */
  arguments: string;
}

export interface CanonicalMessage {
  role: MessageRole;
  content: ContentPart[];
  /** Assistant messages: the tool calls the model made. */
  toolCalls?: ToolCall[];
  /** Tool messages: which call this is the result of. */
  toolCallId?: string;
  /** Optional participant name (OpenAI `name`). */
  name?: string;
}

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

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** True when counted by the gateway's tokenizer because the provider reported none. */
  estimated?: boolean;
}

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
  | { type: 'finish'; choice: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  user?: string;
}

export interface EmbeddingResponse {
  model: string;
  embeddings: number[][];
  usage: { inputTokens: number };
}

/** Which inbound API a request arrived on (audit, metrics and error serialisation use it). */
export type InboundApi = 'openai-chat' | 'openai-embeddings' | 'anthropic-messages';
