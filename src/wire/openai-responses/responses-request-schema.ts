import { z } from 'zod';
import type { JsonObject } from '../../model/json-value.js';

/**
 * The body of `POST /v1/responses` as far as the gateway serves it. Parameters the gateway
 * cannot honour on every deployment (built-in tools, background mode, reasoning controls, …)
 * are listed in UNSUPPORTED_PARAMETERS and refused by name; unknown parameters are refused too,
 * because a silently dropped option changes what the caller gets (docs/responses-api.md).
 */

const jsonObject = z.record(z.string(), z.unknown()) as unknown as z.ZodType<JsonObject>;

export const inputText = z.object({ type: z.literal('input_text'), text: z.string() });
export const inputImage = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
});
const outputText = z.object({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.unknown()).optional(), logprobs: z.array(z.unknown()).optional() });
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });
/** Parts, items and tools are read loosely first, so the decoder can refuse an unknown type by name. */
const typed = z.object({ type: z.string() }).loose();
export const partSchemas = { input_text: inputText, input_image: inputImage, output_text: outputText, refusal } as const;
export type ResponsesContentPart = z.infer<typeof typed>;

export const messageItem = z.object({
  type: z.literal('message').optional(),
  id: z.string().optional(),
  status: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(typed)]),
});

export const functionCallItem = z.object({
  type: z.literal('function_call'),
  id: z.string().optional(),
  status: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});

export const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  status: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(typed)]),
});

export const inputItemSchema = z.object({ type: z.string().optional() }).loose();
export type ResponsesInputItem = z.infer<typeof inputItemSchema>;

export const functionTool = z.object({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: jsonObject.nullish(),
  strict: z.boolean().nullish(),
});
export const toolSchema = typed;

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  typed,
]);

const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: jsonObject,
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

/** Parameters that exist in the Responses API but change behaviour the gateway cannot reproduce. */
export const UNSUPPORTED_PARAMETERS: Record<string, string> = {
  background: 'background responses (send the request and keep the connection, or stream)',
  conversation: 'server-side conversations (use previous_response_id or send the items in input)',
  prompt: 'stored prompt references (use a release template or send the text)',
  include: 'include (extra output data such as logprobs or built-in tool results)',
  context_management: 'context management',
  moderation: 'moderation parameters (the gateway applies its own guard and data policy)',
  top_logprobs: 'top_logprobs',
  reasoning: 'reasoning controls (the gateway cannot pass reasoning effort to every target)',
  max_tool_calls: 'max_tool_calls (it limits built-in tools, which the gateway does not run)',
};

export const responsesRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
    instructions: z.string().nullish(),
    previous_response_id: z.string().min(1).nullish(),
    tools: z.array(toolSchema).nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z.object({ format: textFormat.optional(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).strict().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_output_tokens: z.number().int().min(1).nullish(),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((value) => Object.keys(value).length <= 16, 'at most 16 keys')
      .nullish(),
    store: z.boolean().nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_obfuscation: z.boolean().optional() }).strict().nullish(),
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    /** A cache-routing hint to OpenAI; meaningless elsewhere and harmless to ignore. */
    prompt_cache_key: z.string().nullish(),
    service_tier: z.enum(['auto', 'default']).nullish(),
    truncation: z.enum(['disabled']).nullish(),
    // Refused by name in the decoder when set to anything but their "off" value.
    background: z.unknown().optional(),
    conversation: z.unknown().optional(),
    prompt: z.unknown().optional(),
    include: z.unknown().optional(),
    context_management: z.unknown().optional(),
    moderation: z.unknown().optional(),
    top_logprobs: z.unknown().optional(),
    reasoning: z.unknown().optional(),
    max_tool_calls: z.unknown().optional(),
  })
  .strict();
export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
