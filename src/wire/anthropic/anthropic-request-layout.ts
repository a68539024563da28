import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { JSON_SCHEMA_WORDS } from '../json-schema-words.js';

/**
 * How an Anthropic Messages request body is read, for the data policy (see
 * model/outbound-request.ts). The vocabulary lists the words `encode-anthropic-request.ts`
 * writes itself; everything else in the body is scanned — thinking text and signatures too,
 * since a client can put anything in the history it sends back. Inline base64 (images, PDFs)
 * and URLs the upstream fetches are content the gateway cannot read: counted as unscanned. A
 * plain-text document's `data` is text and is scanned like any other.
 */

const PROTOCOL_WORDS: ReadonlySet<string> = new Set([
  'model', 'max_tokens', 'messages', 'role', 'content', 'type', 'text', 'source', 'media_type', 'data', 'url', 'id', 'name',
  'input', 'tool_use_id', 'system', 'temperature', 'top_p', 'stop_sequences', 'tools', 'description', 'input_schema',
  'tool_choice', 'disable_parallel_tool_use', 'metadata', 'user_id', 'stream', 'top_k',
  'user', 'assistant', 'image', 'base64', 'tool_use', 'tool_result', 'auto', 'any', 'none', 'tool',
  'image/jpeg', 'image/png', 'image/gif', 'image/webp',
  // extended thinking, prompt caching, documents
  'thinking', 'enabled', 'disabled', 'budget_tokens', 'signature', 'redacted_thinking', 'cache_control', 'ephemeral', 'ttl', '5m', '1h',
  'document', 'title', 'context', 'citations', 'application/pdf', 'text/plain',
  ...JSON_SCHEMA_WORDS,
]);

export function anthropicRequestLayout(model: string): WireLayout {
  return {
    vocabulary: protocolVocabulary(PROTOCOL_WORDS, model),
    joined: [{ path: ['messages', '*', 'content'] }],
    jsonText: [{ path: ['messages', '*', 'content', '*', 'content'], when: { key: 'type', equals: 'tool_result' } }],
    media: [
      { path: ['messages', '*', 'content', '*', 'source', 'data'], when: { key: 'type', equals: 'base64' } },
      { path: ['messages', '*', 'content', '*', 'source', 'url'], when: { key: 'type', equals: 'url' } },
    ],
  };
}
