/**
 * Canonical → Gemini generateContent / batchEmbedContents bodies. Gemini names things
 * differently (assistant is "model", system text is `systemInstruction`, tool calls and
 * results are `functionCall` / `functionResponse` parts) and identifies a tool result by the
 * function's *name*, so results are matched to their calls through the conversation.
 */
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, RequestFeature } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import type { JsonObject } from '../../model/json-value.js';
import { fitToWire } from '../feature-support.js';
import { parseToolArguments } from '../parse-tool-arguments.js';
import type {
  GeminiBatchEmbedContentsRequest,
  GeminiContent,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiToolConfig,
} from './gemini-types.js';

/** What generateContent can express of the optional features (thinking, cache markers and documents are not mapped). */
export const GEMINI_FEATURES: ReadonlySet<RequestFeature> = new Set(['n', 'seed', 'response_format', 'top_k']);

export function encodeGeminiRequest(asked: ChatRequest): GeminiGenerateContentRequest {
  const request = fitToWire(asked, GEMINI_FEATURES, 'Gemini');
  const toolNames = new Map<string, string>();
  for (const message of request.messages) for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);

  const system = request.messages.filter((message) => message.role === 'system').map((message) => textOf(message.content));
  const contents = mergeSameRole(
    request.messages.filter((message) => message.role !== 'system').map((message) => encodeMessage(message, toolNames)),
  );
  const body: GeminiGenerateContentRequest = { contents };
  if (system.some((text) => text !== '')) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          // parametersJsonSchema takes the JSON Schema clients send; `parameters` rejects
          // common keywords such as additionalProperties.
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
    if (request.toolChoice !== undefined) body.toolConfig = encodeToolChoice(request.toolChoice);
  }
  const generationConfig = encodeGenerationConfig(request);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function encodeMessage(message: CanonicalMessage, toolNames: Map<string, string>): GeminiContent {
  if (message.role === 'tool') {
    const callId = message.toolCallId ?? '';
    return {
      role: 'user',
      parts: [{ functionResponse: { name: toolNames.get(callId) ?? callId, response: toolResponse(textOf(message.content)) } }],
    };
  }
  const parts: GeminiPart[] = message.content.flatMap(encodePart);
  for (const call of message.toolCalls ?? []) parts.push({ functionCall: { name: call.name, args: parseToolArguments(call.arguments) } });
  return { role: message.role === 'assistant' ? 'model' : 'user', parts };
}

/** `response` must be an object: a JSON object result is passed as is, anything else wrapped. */
function toolResponse(text: string): JsonObject {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // plain text result
  }
  return { content: text };
}

function encodePart(part: ContentPart): GeminiPart[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
  // fitToWire removed documents and reasoning (or refused them): only images remain.
  if (part.type !== 'image') return [];
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.url);
  if (match !== null) return [{ inlineData: { mimeType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' } }];
  return [{ fileData: { mimeType: guessImageType(part.url), fileUri: part.url } }];
}

function guessImageType(url: string): string {
  const extension = /\.(png|jpe?g|webp|gif|heic|heif)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
  if (extension === undefined) return 'image/jpeg';
  return `image/${extension === 'jpg' ? 'jpeg' : extension}`;
}

function mergeSameRole(contents: GeminiContent[]): GeminiContent[] {
  const merged: GeminiContent[] = [];
  for (const content of contents) {
    const previous = merged.at(-1);
    if (previous !== undefined && previous.role === content.role) previous.parts.push(...content.parts);
    else merged.push({ role: content.role, parts: [...content.parts] } as GeminiContent);
  }
  return merged;
}

function encodeToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): GeminiToolConfig {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function encodeGenerationConfig(request: ChatRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.n !== undefined && request.n > 1) config.candidateCount = request.n;
  const format = request.responseFormat;
  if (format !== undefined && format.type !== 'text') {
    config.responseMimeType = 'application/json';
    if (format.type === 'json_schema') config.responseJsonSchema = format.schema;
  }
  return config;
}

function textOf(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export function encodeGeminiEmbeddingRequest(request: EmbeddingRequest, model: string): GeminiBatchEmbedContentsRequest {
  return {
    requests: request.input.map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    })),
  };
}
