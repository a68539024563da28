import { z } from 'zod';
import { GatewayError, InvalidRequestError } from '../../errors/gateway-error.js';
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, ResponseFormat, ToolChoice } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import type { JsonObject } from '../../model/json-value.js';

/**
 * Inbound OpenAI Chat Completions / Embeddings bodies → canonical requests. Validation is
 * lenient where OpenAI itself is (unknown top-level fields are ignored, as the SDKs send new
 * ones first) and strict where a wrong value would change meaning.
 */

const jsonObject = z.record(z.string(), z.unknown()) as unknown as z.ZodType<JsonObject>;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });
const contentSchema = z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart, refusalPart]))]);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content: contentSchema, name: z.string().optional() }),
  z.object({
    role: z.literal('assistant'),
    content: contentSchema.nullish(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    refusal: z.string().nullish(),
  }),
  z.object({ role: z.literal('tool'), content: contentSchema, tool_call_id: z.string() }),
]);

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: jsonObject.optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: jsonObject.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const openAIChatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  user: z.string().optional(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
});
export type OpenAIClientChatRequest = z.infer<typeof openAIChatRequestSchema>;

export const openAIEmbeddingRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

/** Turns the first zod issue into an OpenAI-style 400 naming the parameter. */
export function toInvalidRequest(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  const message = issue ? `Invalid value for '${param ?? 'body'}': ${issue.message}` : 'Invalid request body.';
  return new InvalidRequestError(message, param);
}

function toContentParts(content: z.infer<typeof contentSchema> | null | undefined): ContentPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): ContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'refusal') return { type: 'text', text: part.refusal };
    return {
      type: 'image',
      url: part.image_url.url,
      ...(part.image_url.detail ? { detail: part.image_url.detail } : {}),
    };
  });
}

function toMessage(message: z.infer<typeof messageSchema>): CanonicalMessage {
  switch (message.role) {
    case 'developer':
      // The developer role is OpenAI's newer name for system instructions.
      return { role: 'system', content: toContentParts(message.content) };
    case 'tool':
      return { role: 'tool', content: toContentParts(message.content), toolCallId: message.tool_call_id };
    case 'assistant': {
      const result: CanonicalMessage = { role: 'assistant', content: toContentParts(message.content) };
      if (message.tool_calls && message.tool_calls.length > 0) {
        result.toolCalls = message.tool_calls.map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        }));
      }
      if (message.name) result.name = message.name;
      return result;
    }
    default: {
      const result: CanonicalMessage = { role: message.role, content: toContentParts(message.content) };
      if (message.name) result.name = message.name;
      return result;
    }
  }
}

function toToolChoice(choice: z.infer<typeof toolChoiceSchema>): ToolChoice {
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}

function toResponseFormat(format: z.infer<typeof responseFormatSchema>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    name: format.json_schema.name,
    schema: format.json_schema.schema ?? {},
    ...(format.json_schema.strict != null ? { strict: format.json_schema.strict } : {}),
    ...(format.json_schema.description ? { description: format.json_schema.description } : {}),
  };
}

/** Result of decoding: the canonical request plus what the client asked to see. */
export interface DecodedOpenAIChat {
  request: ChatRequest;
  /** The client asked for the usage chunk; the gateway always asks upstream for it. */
  clientWantsUsage: boolean;
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown): boolean => value === undefined || value === null;
const numberIn = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
const safeInteger = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/** Known fields the plain-request check does not vouch for: any of them present sends the body to zod. */
const GENERAL_ONLY = ['tools', 'tool_choice', 'parallel_tool_calls', 'response_format'] as const;

function plainMessage(message: unknown): boolean {
  if (!isFields(message)) return false;
  if ('name' in message && message.name !== undefined && typeof message.name !== 'string') return false;
  switch (message.role) {
    case 'system':
    case 'developer':
    case 'user':
      return typeof message.content === 'string';
    case 'assistant':
      return (absent(message.content) || typeof message.content === 'string') && message.tool_calls === undefined && (absent(message.refusal) || typeof message.refusal === 'string');
    default:
      return false;
  }
}

/**
 * The body as zod would return it, when it is a plain chat request — text messages from system,
 * developer, user and assistant (no tool calls), scalar options and `stream_options` — checked by hand: the zod
 * parse of every request was ~1.3 % of the pure proxy's CPU. The checks are those of
 * `openAIChatRequestSchema` for these fields; whatever they do not cover (tools, content parts, a
 * tool message, a value out of range, …) returns undefined and goes through zod, which also words
 * every error. Unknown fields are ignored by both (zod strips them; the mapping below reads known
 * fields only). decode-openai-client-request.test.ts checks on generated bodies that both paths
 * decode alike.
 */
function plainChatRequest(body: unknown): OpenAIClientChatRequest | undefined {
  if (!isFields(body)) return undefined;
  if (typeof body.model !== 'string' || body.model === '') return undefined;
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  for (const field of GENERAL_ONLY) if (body[field] !== undefined) return undefined;
  for (const message of messages as unknown[]) if (!plainMessage(message)) return undefined;
  const { temperature, top_p, max_tokens, max_completion_tokens, stop, seed, n, user, stream } = body;
  if (!absent(temperature) && !numberIn(temperature, 0, 2)) return undefined;
  if (!absent(top_p) && !numberIn(top_p, 0, 1)) return undefined;
  if (!absent(max_tokens) && !safeInteger(max_tokens, 1)) return undefined;
  if (!absent(max_completion_tokens) && !safeInteger(max_completion_tokens, 1)) return undefined;
  if (!absent(stop) && typeof stop !== 'string') return undefined;
  if (!absent(seed) && !safeInteger(seed, Number.MIN_SAFE_INTEGER)) return undefined;
  if (!absent(n) && !safeInteger(n, 1, 128)) return undefined;
  if (user !== undefined && typeof user !== 'string') return undefined;
  if (!absent(stream) && typeof stream !== 'boolean') return undefined;
  const streamOptions = body.stream_options;
  if (!absent(streamOptions) && !(isFields(streamOptions) && (streamOptions.include_usage === undefined || typeof streamOptions.include_usage === 'boolean'))) return undefined;
  return body as OpenAIClientChatRequest;
}

function parseChatRequest(body: unknown): OpenAIClientChatRequest {
  const parsed = openAIChatRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error);
  return parsed.data;
}

export function decodeOpenAIClientChatRequest(body: unknown, options: { general?: boolean } = {}): DecodedOpenAIChat {
  const input = (options.general === true ? undefined : plainChatRequest(body)) ?? parseChatRequest(body);
  const maxTokens = input.max_completion_tokens ?? input.max_tokens;
  const request: ChatRequest = {
    model: input.model,
    messages: input.messages.map(toMessage),
    stream: input.stream === true,
    includeUsage: true,
  };
  if (input.tools) {
    request.tools = input.tools.map((tool) => ({
      name: tool.function.name,
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      ...(tool.function.strict != null ? { strict: tool.function.strict } : {}),
    }));
  }
  if (input.tool_choice !== undefined) request.toolChoice = toToolChoice(input.tool_choice);
  if (input.parallel_tool_calls !== undefined) request.parallelToolCalls = input.parallel_tool_calls;
  if (input.response_format) request.responseFormat = toResponseFormat(input.response_format);
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.top_p != null) request.topP = input.top_p;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (input.stop != null) request.stop = typeof input.stop === 'string' ? [input.stop] : input.stop;
  if (input.seed != null) request.seed = input.seed;
  if (input.n != null) request.n = input.n;
  if (input.user !== undefined) request.user = input.user;
  return { request, clientWantsUsage: input.stream_options?.include_usage === true };
}

export interface DecodedOpenAIEmbedding {
  request: EmbeddingRequest;
  encodingFormat: 'float' | 'base64';
}

export function decodeOpenAIClientEmbeddingRequest(body: unknown): DecodedOpenAIEmbedding {
  const parsed = openAIEmbeddingRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error);
  const input = parsed.data;
  const request: EmbeddingRequest = {
    model: input.model,
    input: typeof input.input === 'string' ? [input.input] : input.input,
  };
  if (input.dimensions !== undefined) request.dimensions = input.dimensions;
  if (input.user !== undefined) request.user = input.user;
  return { request, encodingFormat: input.encoding_format ?? 'float' };
}
