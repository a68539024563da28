import { GatewayError } from '../../errors/gateway-error.js';
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../model/chat-request.js';
import { toInvalidRequest } from '../openai/decode-openai-client-request.js';
import type { z } from 'zod';
import {
  functionCallItem,
  functionCallOutputItem,
  functionTool,
  inputItemSchema,
  messageItem,
  partSchemas,
  responsesRequestSchema,
  UNSUPPORTED_PARAMETERS,
  type ResponsesContentPart,
  type ResponsesInputItem,
  type ResponsesRequestBody,
} from './responses-request-schema.js';

/**
 * `POST /v1/responses` body → the canonical chat request. The conversation of this turn
 * (`input`) is kept apart from `instructions` and from any stored earlier turns, because the
 * Responses API carries earlier input and output forward under `previous_response_id` but not
 * earlier instructions; `assembleResponsesChat` joins them once the earlier turns are loaded.
 */

/** What the client asked for, echoed back on the response object. */
export interface ResponsesEcho {
  instructions: string | null;
  maxOutputTokens: number | null;
  metadata: Record<string, string>;
  parallelToolCalls: boolean;
  previousResponseId: string | null;
  temperature: number | null;
  topP: number | null;
  format: ResponseFormat;
  toolChoice: ToolChoice;
  tools: ToolDefinition[];
  user: string | null;
  safetyIdentifier: string | null;
  promptCacheKey: string | null;
}

export interface DecodedResponsesRequest {
  /** Everything but `messages`, ready for the pipeline. */
  base: Omit<ChatRequest, 'messages'>;
  instructions: string | null;
  /** This turn's input items as canonical messages. */
  turn: CanonicalMessage[];
  previousResponseId: string | null;
  /** The client asked for storage (the Responses default is true). */
  store: boolean;
  stream: boolean;
  echo: ResponsesEcho;
}

const unsupported = (param: string, what: string) =>
  new GatewayError('unsupported_feature', `The gateway's Responses API does not support ${what}. Remove '${param}' from the request (docs/responses-api.md lists what is served).`, { param });

/** An "off" value: absent, null, false or empty, which changes nothing and is accepted. */
function isOff(value: unknown): boolean {
  return value === undefined || value === null || value === false || (Array.isArray(value) && value.length === 0);
}

function checkParameters(body: Record<string, unknown>): void {
  const known = new Set(Object.keys(responsesRequestSchema.shape));
  for (const key of Object.keys(body)) {
    if (!known.has(key)) throw unsupported(key, `the parameter '${key}'`);
    const what = UNSUPPORTED_PARAMETERS[key];
    if (what !== undefined && !isOff(body[key])) throw unsupported(key, what);
  }
}

/** Parses one part of the body with its own schema, reporting issues under the part's path. */
function parseAt<T>(schema: z.ZodType<T>, value: unknown, param: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [param, ...(issue?.path ?? []).map(String)].join('.');
  throw new GatewayError('invalid_request', `Invalid value for '${path}': ${issue?.message ?? 'invalid'}`, { param: path });
}

function toParts(content: string | ResponsesContentPart[], param: string): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index): ContentPart => {
    const at = `${param}[${index}]`;
    switch (part.type) {
      case 'input_text':
        return { type: 'text', text: parseAt(partSchemas.input_text, part, at).text };
      case 'output_text':
        return { type: 'text', text: parseAt(partSchemas.output_text, part, at).text };
      case 'refusal':
        return { type: 'text', text: parseAt(partSchemas.refusal, part, at).refusal };
      case 'input_image': {
        const image = parseAt(partSchemas.input_image, part, at);
        if (!image.image_url) throw unsupported(`${at}.file_id`, 'images by file_id (the Files API); send image_url (an https: or data: URL)');
        return { type: 'image', url: image.image_url, ...(image.detail ? { detail: image.detail } : {}) };
      }
      default:
        throw unsupported(`${at}.type`, `content parts of type '${part.type}' (input_text, input_image, output_text and refusal are served)`);
    }
  });
}

const SERVED_ITEMS = 'messages, function_call and function_call_output items are served';

function toMessages(items: ResponsesInputItem[]): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  items.forEach((item, index) => {
    const param = `input[${index}]`;
    const type = item.type ?? 'message';
    if (type === 'message') {
      const message = parseAt(messageItem, item, param);
      const role = message.role === 'developer' ? 'system' : message.role;
      messages.push({ role, content: toParts(message.content, `${param}.content`) });
      return;
    }
    if (type === 'function_call') {
      const functionCall = parseAt(functionCallItem, item, param);
      const call = { id: functionCall.call_id, name: functionCall.name, arguments: functionCall.arguments };
      const last = messages.at(-1);
      // A model turn's text and its calls are one assistant message on every chat wire.
      if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
      else messages.push({ role: 'assistant', content: [], toolCalls: [call] });
      return;
    }
    if (type === 'function_call_output') {
      const output = parseAt(functionCallOutputItem, item, param);
      messages.push({ role: 'tool', toolCallId: output.call_id, content: toParts(output.output, `${param}.output`) });
      return;
    }
    if (type === 'reasoning') throw unsupported(`${param}.type`, `reasoning items (their encrypted content only the vendor that made them can read); ${SERVED_ITEMS}`);
    if (type === 'item_reference') throw unsupported(`${param}.type`, `item references; send the item itself or use previous_response_id`);
    throw unsupported(`${param}.type`, `input items of type '${type}'; ${SERVED_ITEMS}`);
  });
  return messages;
}

function toTools(tools: NonNullable<ResponsesRequestBody['tools']>): ToolDefinition[] {
  return tools.map((tool, index) => {
    if (tool.type !== 'function') {
      throw unsupported(`tools[${index}].type`, `the built-in tool '${tool.type}' (only function tools are served; run the tool yourself and pass its result as a function_call_output)`);
    }
    const fn = parseAt(functionTool, tool, `tools[${index}]`);
    return {
      name: fn.name,
      parameters: fn.parameters ?? { type: 'object', properties: {} },
      ...(fn.description != null ? { description: fn.description } : {}),
      ...(fn.strict != null ? { strict: fn.strict } : {}),
    };
  });
}

function toToolChoice(choice: NonNullable<ResponsesRequestBody['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && typeof choice.name === 'string' && choice.name !== '') return { name: choice.name };
  throw unsupported('tool_choice', `tool_choice of type '${choice.type}' (use 'auto', 'none', 'required' or a function)`);
}

function toFormat(text: ResponsesRequestBody['text']): ResponseFormat {
  if (text?.verbosity != null && text.verbosity !== 'medium') throw unsupported('text.verbosity', 'text.verbosity other than medium');
  const format = text?.format;
  if (!format || format.type !== 'json_schema') return { type: format?.type ?? 'text' };
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema,
    ...(format.strict != null ? { strict: format.strict } : {}),
    ...(format.description != null ? { description: format.description } : {}),
  };
}

export function decodeResponsesRequest(body: unknown): DecodedResponsesRequest {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) checkParameters(body as Record<string, unknown>);
  const parsed = responsesRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error);
  const input = parsed.data;
  if (input.input === undefined && !input.previous_response_id) {
    throw new GatewayError('invalid_request', "Missing required parameter: 'input'. Send a string or a list of input items.", { param: 'input' });
  }
  const turn = input.input === undefined ? [] : typeof input.input === 'string' ? [{ role: 'user' as const, content: [{ type: 'text' as const, text: input.input }] }] : toMessages(input.input);
  const tools = input.tools ? toTools(input.tools) : [];
  const toolChoice = input.tool_choice != null ? toToolChoice(input.tool_choice) : 'auto';
  const format = toFormat(input.text);
  const user = input.safety_identifier ?? input.user ?? null;
  const base: Omit<ChatRequest, 'messages'> = { model: input.model, stream: input.stream === true, includeUsage: true };
  if (tools.length > 0) base.tools = tools;
  if (input.tool_choice != null) base.toolChoice = toolChoice;
  if (input.parallel_tool_calls != null) base.parallelToolCalls = input.parallel_tool_calls;
  if (format.type !== 'text') base.responseFormat = format;
  if (input.temperature != null) base.temperature = input.temperature;
  if (input.top_p != null) base.topP = input.top_p;
  if (input.max_output_tokens != null) base.maxTokens = input.max_output_tokens;
  if (user !== null) base.user = user;
  return {
    base,
    instructions: input.instructions ?? null,
    turn,
    previousResponseId: input.previous_response_id ?? null,
    store: input.store !== false,
    stream: input.stream === true,
    echo: {
      instructions: input.instructions ?? null,
      maxOutputTokens: input.max_output_tokens ?? null,
      metadata: input.metadata ?? {},
      parallelToolCalls: input.parallel_tool_calls ?? true,
      previousResponseId: input.previous_response_id ?? null,
      temperature: input.temperature ?? null,
      topP: input.top_p ?? null,
      format,
      toolChoice,
      tools,
      user: input.user ?? null,
      safetyIdentifier: input.safety_identifier ?? null,
      promptCacheKey: input.prompt_cache_key ?? null,
    },
  };
}

/** Output items (as the client received them) → canonical messages, for the next turn of a chain. */
export function outputItemsToMessages(items: readonly Record<string, unknown>[]): CanonicalMessage[] {
  return toMessages(items.map((item) => inputItemSchema.parse(item)));
}

/**
 * The request the pipeline runs: this call's instructions, then the stored conversation of
 * earlier turns (their input and output, never their instructions), then this turn's input.
 * The policy and guard then see exactly this, i.e. exactly what leaves.
 */
export function assembleResponsesChat(decoded: DecodedResponsesRequest, earlier: readonly CanonicalMessage[]): ChatRequest {
  const system: CanonicalMessage[] = decoded.instructions !== null ? [{ role: 'system', content: [{ type: 'text', text: decoded.instructions }] }] : [];
  const messages = [...system, ...earlier, ...decoded.turn];
  if (messages.length === 0) throw new GatewayError('invalid_request', "The request has no input: send 'input' (a string or items).", { param: 'input' });
  return { ...decoded.base, messages };
}
