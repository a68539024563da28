import type { GatewayError } from '../../errors/gateway-error.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../model/chat-request.js';
import type { ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { Usage } from '../../model/usage.js';
import type { ResponsesEcho } from './decode-responses-request.js';

/**
 * Canonical responses → the Responses API `response` object. One canonical choice (the
 * Responses API has no `n`) becomes an assistant `message` item (text or refusal) followed by
 * one `function_call` item per tool call, in the order the model made them.
 */

export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

/** What every response object of one call repeats: identity and the request's echoed settings. */
export interface ResponsesHead {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  echo: ResponsesEcho;
  /** Whether this response is actually stored (false when storage is off or the policy forbids it). */
  store: boolean;
}

export type OutputItem = Record<string, unknown> & { type: string; id: string };

/** How a finish reason reads in the Responses API: a cut answer is `incomplete` with a reason. */
export function statusOf(finishReason: FinishReason | undefined): { status: ResponseStatus; incompleteDetails: { reason: 'max_output_tokens' | 'content_filter' } | null } {
  if (finishReason === 'length') return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}

export function encodeResponsesUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0, cache_write_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function encodeTool(tool: ToolDefinition): Record<string, unknown> {
  return { type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.parameters, strict: tool.strict ?? null };
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function encodeFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema,
    strict: format.strict ?? null,
    ...(format.description !== undefined ? { description: format.description } : {}),
  };
}

/** A Responses error `code` is a closed list; the gateway's own code goes in the message. */
function responseErrorCode(error: GatewayError): string {
  return error.code === 'rate_limited' || error.code === 'upstream_rate_limited' ? 'rate_limit_exceeded' : 'server_error';
}

export interface ResponseState {
  status: ResponseStatus;
  output: OutputItem[];
  usage?: Usage;
  incompleteDetails?: { reason: 'max_output_tokens' | 'content_filter' } | null;
  error?: GatewayError;
  /** Unix seconds, for completed responses. */
  completedAt?: number;
}

export function encodeResponseObject(head: ResponsesHead, state: ResponseState): Record<string, unknown> {
  const { echo } = head;
  return {
    id: head.id,
    object: 'response',
    created_at: head.createdAt,
    status: state.status,
    completed_at: state.status === 'completed' ? (state.completedAt ?? head.createdAt) : null,
    error: state.error ? { code: responseErrorCode(state.error), message: `[${state.error.code}] ${state.error.message}` } : null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: echo.instructions,
    max_output_tokens: echo.maxOutputTokens,
    model: head.model,
    output: state.output,
    parallel_tool_calls: echo.parallelToolCalls,
    previous_response_id: echo.previousResponseId,
    reasoning: null,
    service_tier: 'default',
    store: head.store,
    temperature: echo.temperature,
    text: { format: encodeFormat(echo.format) },
    tool_choice: encodeToolChoice(echo.toolChoice),
    tools: echo.tools.map(encodeTool),
    top_p: echo.topP,
    truncation: 'disabled',
    ...(state.usage ? { usage: encodeResponsesUsage(state.usage) } : {}),
    ...(echo.user !== null ? { user: echo.user } : {}),
    ...(echo.safetyIdentifier !== null ? { safety_identifier: echo.safetyIdentifier } : {}),
    ...(echo.promptCacheKey !== null ? { prompt_cache_key: echo.promptCacheKey } : {}),
    metadata: echo.metadata,
  };
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed' | 'incomplete', refusal = false): OutputItem {
  const content = refusal ? { type: 'refusal', refusal: text } : { type: 'output_text', text, annotations: [], logprobs: [] };
  return { type: 'message', id, status, role: 'assistant', content: status === 'in_progress' ? [] : [content] };
}

export function functionCallItem(id: string, call: ToolCall, status: 'in_progress' | 'completed' | 'incomplete'): OutputItem {
  return { type: 'function_call', id, call_id: call.id, name: call.name, arguments: call.arguments, status };
}

/** The output items of one finished canonical choice. */
export function outputItemsOf(response: ChatResponse, newId: (prefix: string) => string): OutputItem[] {
  const choice = response.choices[0];
  if (!choice) return [];
  const { status } = statusOf(choice.finishReason);
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
  const items: OutputItem[] = [];
  const calls = choice.message.toolCalls ?? [];
  if (choice.message.refusal) items.push(messageItem(newId('msg'), choice.message.refusal, itemStatus, true));
  else if ((choice.message.content ?? '') !== '' || calls.length === 0) items.push(messageItem(newId('msg'), choice.message.content ?? '', itemStatus));
  for (const call of calls) items.push(functionCallItem(newId('fc'), call, 'completed'));
  return items;
}

export function encodeResponsesResponse(head: ResponsesHead, response: ChatResponse, newId: (prefix: string) => string, completedAt: number): Record<string, unknown> {
  const { status, incompleteDetails } = statusOf(response.choices[0]?.finishReason);
  return encodeResponseObject(head, {
    status,
    output: outputItemsOf(response, newId),
    incompleteDetails,
    completedAt,
    ...(response.usage ? { usage: response.usage } : {}),
  });
}
