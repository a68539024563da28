import { z } from 'zod';
import { toInvalidRequest } from '../openai/decode-openai-client-request.js';
import type { CacheControl, CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, ToolChoice } from '../../model/chat-request.js';
import type { JsonObject } from '../../model/json-value.js';

/** Inbound Anthropic Messages bodies → canonical requests, servable by any backend. */

const jsonObject = z.record(z.string(), z.unknown()) as unknown as z.ZodType<JsonObject>;

/** A prompt-cache breakpoint, forwarded to Anthropic targets (any other target refuses or drops it). */
const cacheControl = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).strict();
const cacheField = { cache_control: cacheControl.nullish() };

const textBlock = z.object({ type: z.literal('text'), text: z.string(), ...cacheField });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.union([
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
  ]),
  ...cacheField,
});
const documentBlock = z.object({
  type: z.literal('document'),
  // PDFs inline or by URL (content the gateway cannot read) and plain text (scanned like any text).
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('text'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
  ]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.object({ enabled: z.boolean().optional() }).nullish(),
  ...cacheField,
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown(), ...cacheField });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  ...cacheField,
});
const contentBlock = z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, thinkingBlock, redactedThinkingBlock, toolUseBlock, toolResultBlock]);

const messageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

export const anthropicMessagesRequestSchema = z.object({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(messageSchema).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z
    .array(z.object({ name: z.string().min(1), description: z.string().optional(), input_schema: jsonObject, ...cacheField }))
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('none') }),
      z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
    ])
    .optional(),
  // Anthropic's minimum thinking budget is 1,024 tokens; the upstream checks it against max_tokens.
  thinking: z
    .discriminatedUnion('type', [z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }), z.object({ type: z.literal('disabled') })])
    .optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
});

/** POST /v1/messages/count_tokens takes a Messages body without the generation settings. */
export const anthropicCountTokensRequestSchema = anthropicMessagesRequestSchema.extend({ max_tokens: z.number().int().positive().optional() });

type Block = z.infer<typeof contentBlock>;

/**
 * A content block that fails is reported through the string-or-blocks union as "invalid input";
 * the branch that got furthest names the real problem (e.g. `...content.0.cache_control.type`).
 */
function invalidRequest(error: z.ZodError) {
  const first = error.issues[0];
  if (first?.code === 'invalid_union') {
    const branches = (first as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
    const deepest = branches.flat().sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest !== undefined) return toInvalidRequest(new z.ZodError([{ ...deepest, path: [...first.path, ...deepest.path] }]));
  }
  return toInvalidRequest(error);
}

function imageUrl(block: z.infer<typeof imageBlock>): string {
  return block.source.type === 'base64' ? `data:${block.source.media_type};base64,${block.source.data}` : block.source.url;
}

function cacheOf(marker: z.infer<typeof cacheControl> | null | undefined): { cacheControl?: CacheControl } {
  if (marker === null || marker === undefined) return {};
  return { cacheControl: marker.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: marker.ttl } };
}

function partOf(block: z.infer<typeof textBlock> | z.infer<typeof imageBlock>): ContentPart {
  return block.type === 'text' ? { type: 'text', text: block.text, ...cacheOf(block.cache_control) } : { type: 'image', url: imageUrl(block), ...cacheOf(block.cache_control) };
}

function documentOf(block: z.infer<typeof documentBlock>): ContentPart {
  const source = block.source;
  return {
    type: 'document',
    source: source.type === 'url' ? { kind: 'url', url: source.url } : { kind: source.type, mediaType: source.media_type, data: source.data },
    ...(block.title != null ? { title: block.title } : {}),
    ...(block.context != null ? { context: block.context } : {}),
    ...(block.citations?.enabled !== undefined ? { citations: block.citations.enabled } : {}),
    ...cacheOf(block.cache_control),
  };
}

/**
 * One Anthropic message may hold text, tool uses and tool results together; canonically a tool
 * result is its own `tool` message, so a user turn can become several canonical messages.
 */
function toMessages(message: z.infer<typeof messageSchema>): CanonicalMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: [{ type: 'text', text: message.content }] }];
  const out: CanonicalMessage[] = [];
  let current: CanonicalMessage | undefined;
  const flush = () => {
    if (current && (current.content.length > 0 || (current.toolCalls?.length ?? 0) > 0)) out.push(current);
    current = undefined;
  };
  for (const block of message.content as Block[]) {
    if (block.type === 'tool_result') {
      flush();
      const content: ContentPart[] =
        typeof block.content === 'string' ? [{ type: 'text', text: block.content }] : (block.content ?? []).map(partOf);
      out.push({ role: 'tool', toolCallId: block.tool_use_id, content, ...cacheOf(block.cache_control) });
      continue;
    }
    current ??= { role: message.role, content: [] };
    switch (block.type) {
      case 'tool_use':
        current.toolCalls ??= [];
        current.toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}), ...cacheOf(block.cache_control) });
        break;
      case 'text':
      case 'image':
        current.content.push(partOf(block));
        break;
      case 'document':
        current.content.push(documentOf(block));
        break;
      case 'thinking':
        current.content.push({ type: 'thinking', text: block.thinking, signature: block.signature });
        break;
      case 'redacted_thinking':
        current.content.push({ type: 'redacted-thinking', data: block.data });
        break;
    }
  }
  flush();
  return out;
}

export function decodeAnthropicClientRequest(body: unknown): ChatRequest {
  const parsed = anthropicMessagesRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return toChatRequest(parsed.data);
}

/** A count_tokens body → the canonical request it counts (never generated: no output cap). */
export function decodeAnthropicCountTokensRequest(body: unknown): ChatRequest {
  const parsed = anthropicCountTokensRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  const { max_tokens: maxTokens, ...rest } = parsed.data;
  const request = toChatRequest({ ...rest, max_tokens: maxTokens ?? 1, stream: false });
  delete request.maxTokens;
  return request;
}

function toChatRequest(input: z.infer<typeof anthropicMessagesRequestSchema>): ChatRequest {
  const messages: CanonicalMessage[] = [];
  if (input.system !== undefined) {
    // System blocks stay separate parts, read as one text like any content blocks: inserting a
    // separator here would make the gateway send something other than what the client wrote.
    const content: ContentPart[] = typeof input.system === 'string' ? [{ type: 'text', text: input.system }] : input.system.map((block) => ({ type: 'text', text: block.text, ...cacheOf(block.cache_control) }));
    messages.push({ role: 'system', content });
  }
  for (const message of input.messages) messages.push(...toMessages(message));
  const request: ChatRequest = { model: input.model, messages, maxTokens: input.max_tokens, stream: input.stream === true, includeUsage: true };
  if (input.tools) {
    request.tools = input.tools.map((tool) => ({
      name: tool.name,
      parameters: tool.input_schema,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...cacheOf(tool.cache_control),
    }));
  }
  if (input.tool_choice) {
    const choice = input.tool_choice;
    const mapped: ToolChoice =
      choice.type === 'auto' ? 'auto' : choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : { name: choice.name };
    request.toolChoice = mapped;
    if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use !== undefined) {
      request.parallelToolCalls = !choice.disable_parallel_tool_use;
    }
  }
  if (input.temperature !== undefined) request.temperature = input.temperature;
  if (input.top_p !== undefined) request.topP = input.top_p;
  if (input.top_k !== undefined) request.topK = input.top_k;
  if (input.thinking !== undefined) {
    request.thinking = input.thinking.type === 'enabled' ? { type: 'enabled', budgetTokens: input.thinking.budget_tokens } : { type: 'disabled' };
  }
  if (input.stop_sequences) request.stop = input.stop_sequences;
  if (input.metadata?.user_id) request.user = input.metadata.user_id;
  return request;
}
