import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { JSON_SCHEMA_WORDS } from '../json-schema-words.js';

/**
 * How a Gemini generateContent / batchEmbedContents body is read, for the data policy (see
 * model/outbound-request.ts). The vocabulary lists the words `encode-gemini-request.ts`
 * writes itself; everything else in the body is scanned.
 */

const PROTOCOL_WORDS: ReadonlySet<string> = new Set([
  'contents', 'role', 'parts', 'text', 'inlineData', 'mimeType', 'data', 'fileData', 'fileUri', 'functionCall', 'name', 'args',
  'functionResponse', 'response', 'systemInstruction', 'tools', 'functionDeclarations', 'description', 'parametersJsonSchema',
  'toolConfig', 'functionCallingConfig', 'mode', 'allowedFunctionNames', 'generationConfig', 'stopSequences', 'maxOutputTokens',
  'temperature', 'topP', 'topK', 'seed', 'candidateCount', 'responseMimeType', 'responseJsonSchema', 'requests', 'model', 'content',
  'outputDimensionality',
  'user', 'AUTO', 'NONE', 'ANY', 'application/json', 'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif',
  ...JSON_SCHEMA_WORDS,
]);

export function geminiChatLayout(model: string): WireLayout {
  return {
    vocabulary: protocolVocabulary(PROTOCOL_WORDS, model),
    joined: [{ path: ['contents', '*', 'parts'] }, { path: ['systemInstruction', 'parts'] }],
    jsonText: [],
    media: [{ path: ['contents', '*', 'parts', '*', 'inlineData', 'data'] }, { path: ['contents', '*', 'parts', '*', 'fileData', 'fileUri'] }],
  };
}

export function geminiEmbeddingLayout(model: string): WireLayout {
  return { vocabulary: protocolVocabulary(PROTOCOL_WORDS, model, `models/${model}`), joined: [], jsonText: [], media: [] };
}
