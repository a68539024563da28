import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { JSON_SCHEMA_WORDS } from '../json-schema-words.js';

/**
 * How an Anthropic Messages request body is read, for the data policy (see
 * model/outbound-request.ts). The vocabulary lists the words `encode-anthropic-request.ts`
 * writes itself; everything else in the body is scanned.
 */

const PROTOCOL_WORDS: ReadonlySet<string> = new Set([
  'model', 'max_tokens', 'messages', 'role', 'content', 'type', 'text', 'source', 'media_type', 'data', 'url', 'id', 'name',
  'input', 'tool_use_id', 'system', 'temperature', 'top_p', 'stop_sequences', 'tools', 'description', 'input_schema',
  'tool_choice', 'disable_parallel_tool_use', 'metadata', 'user_id', 'stream',
  'user', 'assistant', 'image', 'base64', 'tool_use', 'tool_result', 'auto', 'any', 'none', 'tool',
  'image/jpeg', 'image/png', 'image/gif', 'image/webp',
  ...JSON_SCHEMA_WORDS,
]);

export function anthropicRequestLayout(model: string): WireLayout {
  return {
    vocabulary: protocolVocabulary(PROTOCOL_WORDS, model),
    joined: [{ path: ['messages', '*', 'content'] }],
    jsonText: [{ path: ['messages', '*', 'content', '*', 'content'], when: { key: 'type', equals: 'tool_result' } }],
    media: [{ path: ['messages', '*', 'content', '*', 'source', 'data'] }, { path: ['messages', '*', 'content', '*', 'source', 'url'] }],
  };
}
