/**
 * Canonical chat messages. Inbound APIs (OpenAI, Anthropic) translate into these; provider
 * adapters translate out of them. Nothing here knows a wire format, so an Anthropic client can
 * be served by an OpenAI-compatible deployment and vice versa.
 */

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
