import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { JSON_SCHEMA_WORDS } from '../json-schema-words.js';

/**
 * How an OpenAI Chat Completions / Embeddings request body is read, for the data policy (see
 * model/outbound-request.ts). The vocabulary lists the words `encode-openai-request.ts`
 * writes itself; everything else in the body is scanned.
 */

const PROTOCOL_WORDS: ReadonlySet<string> = new Set([
  // fields
  'model', 'messages', 'role', 'content', 'name', 'tool_calls', 'id', 'type', 'function', 'arguments', 'tool_call_id',
  'tools', 'description', 'parameters', 'strict', 'tool_choice', 'parallel_tool_calls', 'response_format', 'json_schema',
  'schema', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'n', 'user', 'stream',
  'stream_options', 'include_usage', 'text', 'image_url', 'url', 'detail', 'input', 'encoding_format', 'dimensions',
  // values
  'system', 'assistant', 'tool', 'auto', 'none', 'required', 'low', 'high', 'json_object', 'float',
  ...JSON_SCHEMA_WORDS,
]);

const CHAT = {
  joined: [{ path: ['messages', '*', 'content'] }],
  jsonText: [{ path: ['messages', '*', 'tool_calls', '*', 'function', 'arguments'] }, { path: ['messages', '*', 'content'], when: { key: 'role', equals: 'tool' } }],
  media: [{ path: ['messages', '*', 'content', '*', 'image_url', 'url'] }],
};

export function openAIChatLayout(model: string): WireLayout {
  return { vocabulary: protocolVocabulary(PROTOCOL_WORDS, model), ...CHAT };
}

export function openAIEmbeddingLayout(model: string): WireLayout {
  return { vocabulary: protocolVocabulary(PROTOCOL_WORDS, model), joined: [], jsonText: [], media: [] };
}
