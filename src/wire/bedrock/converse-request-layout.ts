import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { JSON_SCHEMA_WORDS } from '../json-schema-words.js';

/**
 * How a Bedrock Converse body and a Bedrock embedding body (Titan, Cohere) are read, for the
 * data policy (see pipeline/outbound-request.ts). The vocabulary lists the words
 * `encode-converse-request.ts` and `bedrock-embeddings.ts` write themselves; everything else in
 * the body is scanned.
 */

const PROTOCOL_WORDS: ReadonlySet<string> = new Set([
  'messages', 'role', 'content', 'text', 'image', 'format', 'source', 'bytes', 's3Location', 'uri', 'toolUse', 'toolUseId',
  'name', 'input', 'toolResult', 'system', 'inferenceConfig', 'maxTokens', 'temperature', 'topP', 'stopSequences',
  'toolConfig', 'tools', 'toolSpec', 'description', 'inputSchema', 'json', 'toolChoice', 'auto', 'any', 'tool',
  'user', 'assistant', 'png', 'jpeg', 'gif', 'webp',
  // Embeddings: Titan and Cohere request fields.
  'inputText', 'dimensions', 'normalize', 'texts', 'input_type', 'search_document', 'truncate', 'NONE', 'END',
  ...JSON_SCHEMA_WORDS,
]);

export function converseRequestLayout(model: string): WireLayout {
  return {
    vocabulary: protocolVocabulary(PROTOCOL_WORDS, model),
    joined: [{ path: ['messages', '*', 'content'] }, { path: ['system'] }],
    jsonText: [{ path: ['messages', '*', 'content', '*', 'toolResult', 'content', '*', 'text'] }],
    media: [
      { path: ['messages', '*', 'content', '*', 'image', 'source', 'bytes'] },
      { path: ['messages', '*', 'content', '*', 'image', 'source', 's3Location', 'uri'] },
    ],
  };
}

export function bedrockEmbeddingLayout(model: string): WireLayout {
  return { vocabulary: protocolVocabulary(PROTOCOL_WORDS, model), joined: [], jsonText: [], media: [] };
}
