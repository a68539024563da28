/**
 * Canonical request, response and stream-part types. Inbound APIs (OpenAI, Anthropic) translate
 * into these; provider adapters translate out of them. Nothing here knows a wire format, so an
 * Anthropic client can be served by an OpenAI-compatible deployment and vice versa.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/**
 * A prompt-cache breakpoint (Anthropic `cache_control`): the prefix up to and including the
 * marked part may be cached upstream. Only wires with prompt caching by marker can honour it.
 */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** An image by URL; `data:` URLs carry inline base64 content. */
export interface ImagePart {
  type: 'image';
  url: string;
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

/** Where a document's content is: inline binary (a PDF), inline plain text, or a URL the upstream fetches. */
export type DocumentSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'text'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

/** A document the model reads (Anthropic `document` block). */
export interface DocumentPart {
  type: 'document';
  source: DocumentSource;
  title?: string;
  context?: string;
  /** Ask the model to cite passages of this document. */
  citations?: boolean;
  cacheControl?: CacheControl;
}

/**
 * The model's own reasoning from an earlier turn (assistant history only), passed back with the
 * upstream's signature so the upstream can check it was not altered.
 */
export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature: string;
}

/** Reasoning the upstream returned encrypted; passed back as the opaque `data` it gave. */
export interface RedactedThinkingPart {
  type: 'redacted-thinking';
  data: string;
}

export type ContentPart = TextPart | ImagePart | DocumentPart | ThinkingPart | RedactedThinkingPart;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments exactly as JSON text, as models produce them (may be invalid JSON). */
  arguments: string;
  /** A cache breakpoint on this call (assistant history). */
  cacheControl?: CacheControl;
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
  /** Tool messages: a cache breakpoint on the tool result. */
  cacheControl?: CacheControl;
}

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

export interface Usage {
  /** Every input token, cache reads and writes included. */
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, read from the provider's prompt cache (billed at the cache-read price). */
  cachedInputTokens?: number;
  /** Of `inputTokens`, written to the provider's prompt cache (billed at the cache-write price). */
  cacheWriteInputTokens?: number;
  /** Of `cacheWriteInputTokens`, written with the 1-hour lifetime (a dearer write price). */
  cacheWrite1hInputTokens?: number;
  /** True when counted by the gateway's tokenizer because the provider reported none. */
  estimated?: boolean;
}

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
export type InboundApi = 'openai-chat' | 'openai-embeddings' | 'anthropic-messages' | 'anthropic-count-tokens';
