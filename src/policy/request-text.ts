import type { ChatRequest } from '../model/chat-request.js';
import type { ContentPart, ToolCall } from '../model/chat-message.js';
import type { JsonValue } from '../model/json-value.js';

/**
 * The text of a request that policy looks at and masking may rewrite: every text part of every
 * message (system, user, assistant, tool results), every tool call's arguments, and the `user`
 * field (an end-user id that is forwarded upstream and is often an e-mail address).
 *
 * JSON is walked, not treated as text: tool-call arguments and JSON tool results are parsed and
 * each string value is one segment. That decodes `\uXXXX` escapes before detection, and a
 * masked value is written back through `JSON.stringify`, so the JSON stays valid whatever the
 * replaced span contained. Text that is not JSON is one segment as it stands.
 */

export type SegmentLocation =
  | { kind: 'content'; message: number; part: number; jsonPath?: Array<string | number> }
  | { kind: 'tool-arguments'; message: number; call: number; jsonPath?: Array<string | number> }
  | { kind: 'user-field' };

export interface TextSegment {
  location: SegmentLocation;
  text: string;
}

type TextTransform = (text: string, location: SegmentLocation) => string;

function parseJsonContainer(text: string): JsonValue | undefined {
  const trimmed = text.trimStart();
  // Only objects and arrays: a bare JSON string like "\"hi\"" is more likely prose than data.
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function mapJsonStrings(value: JsonValue, path: Array<string | number>, transform: (text: string, path: Array<string | number>) => string): JsonValue {
  if (typeof value === 'string') return transform(value, path);
  if (Array.isArray(value)) return value.map((item, index) => mapJsonStrings(item, [...path, index], transform));
  if (value !== null && typeof value === 'object') {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) result[key] = mapJsonStrings(item, [...path, key], transform);
    return result;
  }
  return value;
}

/** Applies `transform` to JSON string values if `text` is a JSON container, else to the whole text. */
function mapTextOrJson(text: string, transform: (text: string, jsonPath?: Array<string | number>) => string): string {
  const parsed = parseJsonContainer(text);
  if (parsed === undefined) return transform(text);
  let changed = false;
  const mapped = mapJsonStrings(parsed, [], (value, path) => {
    const next = transform(value, path);
    if (next !== value) changed = true;
    return next;
  });
  // Untouched JSON keeps its original formatting byte for byte.
  return changed ? JSON.stringify(mapped) : text;
}

/**
 * Returns a copy of the request with `transform` applied to every text segment, visiting them
 * in a fixed order (the order `extractSegments` lists them in).
 */
export function mapRequestText(request: ChatRequest, transform: TextTransform): ChatRequest {
  const messages = request.messages.map((message, messageIndex) => {
    const content = message.content.map((part, partIndex): ContentPart => {
      if (part.type !== 'text') return part;
      const location = (jsonPath?: Array<string | number>): SegmentLocation =>
        jsonPath === undefined ? { kind: 'content', message: messageIndex, part: partIndex } : { kind: 'content', message: messageIndex, part: partIndex, jsonPath };
      // Tool results are often JSON; other roles' text is prose even when it looks like JSON.
      const text =
        message.role === 'tool'
          ? mapTextOrJson(part.text, (value, jsonPath) => transform(value, location(jsonPath)))
          : transform(part.text, location());
      return text === part.text ? part : { ...part, text };
    });
    const toolCalls = message.toolCalls?.map((call, callIndex): ToolCall => {
      const argumentsText = mapTextOrJson(call.arguments, (value, jsonPath) =>
        transform(value, jsonPath === undefined ? { kind: 'tool-arguments', message: messageIndex, call: callIndex } : { kind: 'tool-arguments', message: messageIndex, call: callIndex, jsonPath }),
      );
      return argumentsText === call.arguments ? call : { ...call, arguments: argumentsText };
    });
    return toolCalls === undefined ? { ...message, content } : { ...message, content, toolCalls };
  });
  if (request.user === undefined) return { ...request, messages };
  return { ...request, messages, user: transform(request.user, { kind: 'user-field' }) };
}

/** Every text segment of the request, in visiting order. */
export function extractSegments(request: ChatRequest): TextSegment[] {
  const segments: TextSegment[] = [];
  mapRequestText(request, (text, location) => {
    segments.push({ location, text });
    return text;
  });
  return segments;
}
