import { z } from 'zod';
import { InvalidRequestError } from '../errors/gateway-error.js';

/**
 * Limits on the shape of a request body, checked at decode time — before any walker (policy,
 * masking, token counting, encoders) sees it — so a hostile body is a 400 naming the limit,
 * never a stack overflow or a 500. Documented in docs/input-limits.md; every limit is tested
 * at limit + 1.
 */
export const inputLimitsSchema = z
  .object({
    /** Nesting of the body, and of JSON carried inside strings (tool-call arguments, tool results). */
    max_json_depth: z.number().int().min(8).max(1_000).default(64),
    max_messages: z.number().int().positive().default(2_048),
    /** Content parts (text, image, tool result blocks) in one message or system prompt. */
    max_content_parts: z.number().int().positive().default(1_024),
    max_tools: z.number().int().positive().default(256),
    /** Strings in an embeddings `input` array. */
    max_embedding_inputs: z.number().int().positive().default(2_048),
    /** Characters in any one string (3 Mi: room for an inline image as a base64 data URL). */
    max_string_length: z.number().int().positive().default(3 * 1024 * 1024),
  })
  .strict();
export type InputLimits = z.infer<typeof inputLimitsSchema>;
export const DEFAULT_INPUT_LIMITS: InputLimits = inputLimitsSchema.parse({});

const SETTING = 'server.input_limits';

/**
 * The deepest nesting of `[` and `{` in JSON text, outside strings; stops counting once past
 * `limit` (returns limit + 1). One pass, no recursion: safe on any input, valid or not.
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth = Math.max(0, depth - 1);
  }
  return deepest;
}


interface Node {
  value: unknown;
  parent: Node | undefined;
  key: string | number | undefined;
  /** Nesting of this value when it is an array or object: the body itself is 1. */
  depth: number;
}

function pathOf(node: Node): string {
  const keys: Array<string | number> = [];
  for (let current: Node | undefined = node; current?.key !== undefined; current = current.parent) keys.push(current.key);
  return keys
    .reverse()
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

function tooMany(what: string, count: number, limit: number, param: string, setting: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' has ${count} ${what}; at most ${limit} are allowed (limit ${SETTING}.${setting}).`, param);
}

function bodyTooDeep(limits: InputLimits): InvalidRequestError {
  return new InvalidRequestError(`The request body nests JSON deeper than ${limits.max_json_depth} levels; flatten it (limit ${SETTING}.max_json_depth).`, null);
}

/**
 * Walks a parsed body once, iteratively: the body's own nesting (JSON.parse is iterative in V8,
 * so the raw text needs no separate pass before it), every string's length, JSON-looking strings' nesting
 * (what the policy walker will parse: tool-call arguments, JSON tool results), and the counts
 * of messages, content parts, tools and embedding inputs. Throws InvalidRequestError naming
 * the parameter and the limit.
 */
export function checkInputLimits(body: unknown, limits: InputLimits): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const top = body as Record<string, unknown>;
  const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  if (count(top.messages) > limits.max_messages) throw tooMany('messages', count(top.messages), limits.max_messages, 'messages', 'max_messages');
  if (count(top.tools) > limits.max_tools) throw tooMany('tools', count(top.tools), limits.max_tools, 'tools', 'max_tools');
  // `input` is a list of strings on /v1/embeddings and a list of items (messages) on /v1/responses.
  const inputItems = Array.isArray(top.input) && top.input.some((item) => typeof item === 'object' && item !== null) ? (top.input as unknown[]) : undefined;
  if (inputItems) {
    if (inputItems.length > limits.max_messages) throw tooMany('items', inputItems.length, limits.max_messages, 'input', 'max_messages');
    for (const [index, item] of inputItems.entries()) {
      const content = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).content : undefined;
      if (count(content) > limits.max_content_parts) throw tooMany('content parts', count(content), limits.max_content_parts, `input[${index}].content`, 'max_content_parts');
    }
  } else if (count(top.input) > limits.max_embedding_inputs) throw tooMany('inputs', count(top.input), limits.max_embedding_inputs, 'input', 'max_embedding_inputs');
  if (count(top.system) > limits.max_content_parts) throw tooMany('content parts', count(top.system), limits.max_content_parts, 'system', 'max_content_parts');
  if (Array.isArray(top.messages)) {
    for (const [index, message] of top.messages.entries()) {
      const content = typeof message === 'object' && message !== null ? (message as Record<string, unknown>).content : undefined;
      if (count(content) > limits.max_content_parts) throw tooMany('content parts', count(content), limits.max_content_parts, `messages[${index}].content`, 'max_content_parts');
    }
  }
  const stack: Node[] = [{ value: body, parent: undefined, key: undefined, depth: 1 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.length > limits.max_string_length) {
        const param = pathOf(node);
        throw new InvalidRequestError(`'${param}' is ${value.length} characters long; at most ${limits.max_string_length} are allowed (limit ${SETTING}.max_string_length).`, param);
      }
      const first = value.trimStart().charCodeAt(0);
      if ((first === 0x5b || first === 0x7b) && jsonNestingDepth(value, limits.max_json_depth) > limits.max_json_depth) {
        const param = pathOf(node);
        throw new InvalidRequestError(`'${param}' holds JSON nested deeper than ${limits.max_json_depth} levels; flatten it (limit ${SETTING}.max_json_depth).`, param);
      }
    } else if (Array.isArray(value)) {
      if (node.depth > limits.max_json_depth) throw bodyTooDeep(limits);
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push({ value: value[index], parent: node, key: index, depth: node.depth + 1 });
    } else if (typeof value === 'object' && value !== null) {
      if (node.depth > limits.max_json_depth) throw bodyTooDeep(limits);
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (key.length > limits.max_string_length) throw new InvalidRequestError(`A key in '${pathOf(node) || 'body'}' is too long (limit ${SETTING}.max_string_length).`, pathOf(node) || null);
        stack.push({ value: (value as Record<string, unknown>)[key], parent: node, key, depth: node.depth + 1 });
      }
    }
  }
}
