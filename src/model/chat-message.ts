/**
 * Canonical chat messages. Inbound APIs (OpenAI, Anthropic) translate into these; provider
 * adapters translate out of them. Nothing here knows a wire format, so an Anthropic client can
 * be served by an OpenAI-compatible deployment and vice versa.
 */

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
