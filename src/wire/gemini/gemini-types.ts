/**
 * Gemini (Generative Language API v1beta) wire shapes for generateContent,
 * streamGenerateContent?alt=sse and batchEmbedContents, from the public API reference.
 */
import type { JsonObject } from '../../model/json-value.js';

export type GeminiPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType?: string; fileUri: string } }
  | { functionCall: { id?: string; name: string; args?: JsonObject }; thoughtSignature?: string }
  | { functionResponse: { id?: string; name: string; response: JsonObject } }
  | { executableCode: { language: string; code: string } }
  | { codeExecutionResult: { outcome: string; output?: string } };

export interface GeminiContent {
  /** "user" or "model"; omitted for systemInstruction. */
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** OpenAPI-subset schema; rejects JSON Schema keywords such as additionalProperties. */
  parameters?: JsonObject;
  /** Full JSON Schema, mutually exclusive with `parameters`. */
  parametersJsonSchema?: JsonObject;
}

export interface GeminiTool {
  functionDeclarations?: GeminiFunctionDeclaration[];
  googleSearch?: JsonObject;
  codeExecution?: JsonObject;
}

export interface GeminiToolConfig {
  functionCallingConfig: {
    mode: 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED';
    allowedFunctionNames?: string[];
  };
}

export interface GeminiGenerationConfig {
  stopSequences?: string[];
  responseMimeType?: 'text/plain' | 'application/json' | 'text/x.enum';
  responseSchema?: JsonObject;
  responseJsonSchema?: JsonObject;
  candidateCount?: number;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseLogprobs?: boolean;
  logprobs?: number;
  thinkingConfig?: { includeThoughts?: boolean; thinkingBudget?: number };
}

export interface GeminiSafetySetting {
  category: string;
  threshold: string;
}

/** Body of models/{model}:generateContent and :streamGenerateContent. */
export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: GeminiSafetySetting[];
  cachedContent?: string;
}

export type GeminiFinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'UNEXPECTED_TOOL_CALL';

export interface GeminiSafetyRating {
  category: string;
  probability: string;
  blocked?: boolean;
}

export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: GeminiFinishReason;
  safetyRatings?: GeminiSafetyRating[];
  citationMetadata?: JsonObject;
  tokenCount?: number;
  avgLogprobs?: number;
  index?: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  toolUsePromptTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: Array<{ modality: string; tokenCount: number }>;
}

/** generateContent response, and each `data:` payload of streamGenerateContent?alt=sse. */
export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; safetyRatings?: GeminiSafetyRating[] };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

/** One entry of models/{model}:batchEmbedContents. */
export interface GeminiEmbedContentRequest {
  /** "models/{model}", must match the model in the URL. */
  model: string;
  content: GeminiContent;
  taskType?: string;
  title?: string;
  outputDimensionality?: number;
}

export interface GeminiBatchEmbedContentsRequest {
  requests: GeminiEmbedContentRequest[];
}

export interface GeminiBatchEmbedContentsResponse {
  embeddings: Array<{ values: number[] }>;
}

/** google.rpc.Status as the API returns it. */
export interface GeminiErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: Array<JsonObject & { '@type': string }>;
  };
}
