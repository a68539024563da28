/**
 * OpenAI Chat Completions and Embeddings wire shapes, written from the official OpenAPI
 * description (schemas named in each comment). Shared by the adapter direction (what we send
 * to OpenAI-compatible upstreams) and the inbound direction (what clients send us), so fields
 * we do not translate are still typed: the inbound layer must recognise them to reject or
 * ignore them deliberately.
 */
import type { JsonObject } from '../../model/json-value.js';

// ---------------------------------------------------------------- request: content parts

/** ChatCompletionRequestMessageContentPartText */
export interface OpenAITextPart {
  type: 'text';
  text: string;
}

/** ChatCompletionRequestMessageContentPartImage */
export interface OpenAIImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** ChatCompletionRequestMessageContentPartAudio */
export interface OpenAIInputAudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}

/** ChatCompletionRequestMessageContentPartFile */
export interface OpenAIFilePart {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
}

/** ChatCompletionRequestMessageContentPartRefusal */
export interface OpenAIRefusalPart {
  type: 'refusal';
  refusal: string;
}

export type OpenAIUserContentPart = OpenAITextPart | OpenAIImagePart | OpenAIInputAudioPart | OpenAIFilePart;
export type OpenAIAssistantContentPart = OpenAITextPart | OpenAIRefusalPart;

// ---------------------------------------------------------------- request: messages

/** ChatCompletionMessageToolCall (function variant) */
export interface OpenAIFunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** ChatCompletionMessageCustomToolCall */
export interface OpenAICustomToolCall {
  id: string;
  type: 'custom';
  custom: { name: string; input: string };
}

export type OpenAIToolCall = OpenAIFunctionToolCall | OpenAICustomToolCall;

/** ChatCompletionRequestDeveloperMessage */
export interface OpenAIDeveloperMessage {
  role: 'developer';
  content: string | OpenAITextPart[];
  name?: string;
}

/** ChatCompletionRequestSystemMessage */
export interface OpenAISystemMessage {
  role: 'system';
  content: string | OpenAITextPart[];
  name?: string;
}

/** ChatCompletionRequestUserMessage */
export interface OpenAIUserMessage {
  role: 'user';
  content: string | OpenAIUserContentPart[];
  name?: string;
}

/** ChatCompletionRequestAssistantMessage */
export interface OpenAIAssistantMessage {
  role: 'assistant';
  content?: string | OpenAIAssistantContentPart[] | null;
  refusal?: string | null;
  name?: string;
  audio?: { id: string } | null;
  tool_calls?: OpenAIToolCall[];
  /** Deprecated by OpenAI in favour of tool_calls. */
  function_call?: { name: string; arguments: string } | null;
}

/** ChatCompletionRequestToolMessage */
export interface OpenAIToolMessage {
  role: 'tool';
  content: string | OpenAITextPart[];
  tool_call_id: string;
}

/** ChatCompletionRequestFunctionMessage (deprecated) */
export interface OpenAIFunctionMessage {
  role: 'function';
  content: string | null;
  name: string;
}

/** ChatCompletionRequestMessage */
export type OpenAIMessage =
  | OpenAIDeveloperMessage
  | OpenAISystemMessage
  | OpenAIUserMessage
  | OpenAIAssistantMessage
  | OpenAIToolMessage
  | OpenAIFunctionMessage;

// ---------------------------------------------------------------- request: tools and formats

/** FunctionObject */
export interface OpenAIFunctionDefinition {
  name: string;
  description?: string;
  /** FunctionParameters: a JSON Schema object. */
  parameters?: JsonObject;
  strict?: boolean | null;
}

/** ChatCompletionTool */
export interface OpenAIFunctionTool {
  type: 'function';
  function: OpenAIFunctionDefinition;
}

/** CustomToolChatCompletions */
export interface OpenAICustomTool {
  type: 'custom';
  custom: { name: string; description?: string; format?: JsonObject };
}

export type OpenAITool = OpenAIFunctionTool | OpenAICustomTool;

/** ChatCompletionNamedToolChoice */
export interface OpenAINamedToolChoice {
  type: 'function';
  function: { name: string };
}

/** ChatCompletionAllowedToolsChoice */
export interface OpenAIAllowedToolsChoice {
  type: 'allowed_tools';
  allowed_tools: { mode: 'auto' | 'required'; tools: JsonObject[] };
}

/** ChatCompletionNamedToolChoiceCustom */
export interface OpenAINamedCustomToolChoice {
  type: 'custom';
  custom: { name: string };
}

/** ChatCompletionToolChoiceOption */
export type OpenAIToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | OpenAINamedToolChoice
  | OpenAIAllowedToolsChoice
  | OpenAINamedCustomToolChoice;

/** ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema */
export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: JsonObject; strict?: boolean | null };
    };

/** ChatCompletionStreamOptions */
export interface OpenAIStreamOptions {
  include_usage?: boolean;
  include_obfuscation?: boolean;
}

/** CreateChatCompletionRequest (fields of ModelResponseProperties included). */
export interface OpenAIChatCompletionRequest {
  model: string;
  messages: OpenAIMessage[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIResponseFormat;
  temperature?: number | null;
  top_p?: number | null;
  /** Deprecated by OpenAI but still what most compatible servers understand. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  n?: number | null;
  user?: string;
  safety_identifier?: string | null;
  stream?: boolean | null;
  stream_options?: OpenAIStreamOptions | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  service_tier?: OpenAIServiceTier | null;
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | null;
  verbosity?: 'low' | 'medium' | 'high' | null;
  modalities?: Array<'text' | 'audio'> | null;
  audio?: { voice: string | { id: string }; format: 'wav' | 'aac' | 'mp3' | 'flac' | 'opus' | 'pcm16' } | null;
  prediction?: { type: 'content'; content: string | OpenAITextPart[] } | null;
  prompt_cache_key?: string | null;
  web_search_options?: JsonObject;
  /** Deprecated function-calling fields. */
  functions?: OpenAIFunctionDefinition[];
  function_call?: 'none' | 'auto' | { name: string };
}

export type OpenAIServiceTier = 'auto' | 'default' | 'flex' | 'scale' | 'priority' | 'fast';

// ---------------------------------------------------------------- response

/** CompletionUsage */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    cached_tokens?: number;
    audio_tokens?: number;
    text_tokens?: number;
    image_tokens?: number;
    cache_write_tokens?: number;
  } | null;
  completion_tokens_details?: {
    reasoning_tokens?: number;
    audio_tokens?: number;
    text_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
  } | null;
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** ChatCompletionTokenLogprob */
export interface OpenAITokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] | null }>;
}

export interface OpenAILogprobs {
  content: OpenAITokenLogprob[] | null;
  refusal: OpenAITokenLogprob[] | null;
}

/** ChatCompletionResponseMessage */
export interface OpenAIResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: OpenAIToolCall[];
  annotations?: Array<{
    type: 'url_citation';
    url_citation: { start_index: number; end_index: number; url: string; title: string };
  }>;
  function_call?: { name: string; arguments: string };
  audio?: { id: string; expires_at: number; data: string; transcript: string } | null;
}

export interface OpenAIChoice {
  index: number;
  message: OpenAIResponseMessage;
  finish_reason: OpenAIFinishReason;
  logprobs: OpenAILogprobs | null;
}

/** CreateChatCompletionResponse */
export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: OpenAIChoice[];
  usage?: OpenAIUsage;
  system_fingerprint?: string;
  service_tier?: OpenAIServiceTier | null;
}

// ---------------------------------------------------------------- stream

/** ChatCompletionMessageToolCallChunk */
export interface OpenAIToolCallChunk {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** ChatCompletionStreamResponseDelta */
export interface OpenAIChunkDelta {
  role?: 'developer' | 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCallChunk[];
  function_call?: { name?: string; arguments?: string };
}

export interface OpenAIChunkChoice {
  index: number;
  delta: OpenAIChunkDelta;
  finish_reason: OpenAIFinishReason | null;
  logprobs?: OpenAILogprobs | null;
}

/** CreateChatCompletionStreamResponse: one `data:` payload of a stream. */
export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: OpenAIChunkChoice[];
  /** Present (non-null) only on the final chunk when stream_options.include_usage is set. */
  usage?: OpenAIUsage | null;
  system_fingerprint?: string;
  service_tier?: OpenAIServiceTier | null;
  obfuscation?: string;
}

// ---------------------------------------------------------------- embeddings

/** CreateEmbeddingRequest */
export interface OpenAIEmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}

/** Embedding; `embedding` is a base64 string when encoding_format was "base64". */
export interface OpenAIEmbedding {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

/** CreateEmbeddingResponse */
export interface OpenAIEmbeddingResponse {
  object: 'list';
  model: string;
  data: OpenAIEmbedding[];
  usage: { prompt_tokens: number; total_tokens: number };
}

// ---------------------------------------------------------------- errors

/** ErrorResponse / Error */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}
