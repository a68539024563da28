import { z } from 'zod';
import { toInvalidRequest } from '../openai/decode-openai-client-request.js';
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, ToolChoice } from '../../model/chat-request.js';
import type { JsonObject } from '../../model/json-value.js';

/** Inbound Anthropic Messages bodies → canonical requests, servable by any backend. */

const jsonObject = z.record(z.string(), z.unknown()) as unknown as z.ZodType<JsonObject>;

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: z.unknown().optional() });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.union([
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
  ]),
  cache_control: z.unknown().optional(),
});
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: z.unknown().optional(),
});
const contentBlock = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock]);

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
    .array(z.object({ name: z.string().min(1), description: z.string().optional(), input_schema: jsonObject }))
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('none') }),
      z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
    ])
    .optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
});

type Block = z.infer<typeof contentBlock>;

function imageUrl(block: z.infer<typeof imageBlock>): string {
  return block.source.type === 'base64' ? `data:${block.source.media_type};base64,${block.source.data}` : block.source.url;
}

function partsOf(blocks: Array<z.infer<typeof textBlock> | z.infer<typeof imageBlock>>): ContentPart[] {
  return blocks.map((block) => (block.type === 'text' ? { type: 'text', text: block.text } : { type: 'image', url: imageUrl(block) }));
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
        typeof block.content === 'string' ? [{ type: 'text', text: block.content }] : partsOf(block.content ?? []);
      out.push({ role: 'tool', toolCallId: block.tool_use_id, content });
      continue;
    }
    current ??= { role: message.role, content: [] };
    if (block.type === 'tool_use') {
      current.toolCalls ??= [];
      current.toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    } else if (block.type === 'text') {
      current.content.push({ type: 'text', text: block.text });
    } else {
      current.content.push({ type: 'image', url: imageUrl(block) });
    }
  }
  flush();
  return out;
}

export function decodeAnthropicClientRequest(body: unknown): ChatRequest {
  const parsed = anthropicMessagesRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error);
  const input = parsed.data;
  const messages: CanonicalMessage[] = [];
  if (input.system !== undefined) {
    // System blocks stay separate parts, read as one text like any content blocks: inserting a
    // separator here would make the gateway send something other than what the client wrote.
    const content: ContentPart[] = typeof input.system === 'string' ? [{ type: 'text', text: input.system }] : input.system.map((block) => ({ type: 'text', text: block.text }));
    messages.push({ role: 'system', content });
  }
  for (const message of input.messages) messages.push(...toMessages(message));
  const request: ChatRequest = { model: input.model, messages, maxTokens: input.max_tokens, stream: input.stream === true, includeUsage: true };
  if (input.tools) {
    request.tools = input.tools.map((tool) => ({
      name: tool.name,
      parameters: tool.input_schema,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
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
  if (input.stop_sequences) request.stop = input.stop_sequences;
  if (input.metadata?.user_id) request.user = input.metadata.user_id;
  return request;
}
