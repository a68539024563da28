import fc from 'fast-check';

/**
 * Inbound request bodies as clients send them (OpenAI chat, Anthropic messages, OpenAI
 * embeddings), covering every field the gateway forwards plus fields it must drop, and a way to
 * plant a value anywhere in them: inside any string (values and object keys alike, at any depth:
 * names, ids, descriptions, schemas, stop sequences, tool arguments, image URLs) or split across
 * two adjacent text parts. Test support only.
 *
 * Prose comes from a vocabulary without digits or the context words that lower a detector's
 * confidence (order, serial, account…), so a planted value is the only number in the request.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const WORDS = ['weather', 'report', 'summary', 'please', 'check', 'status', 'today', 'hello', 'draft', 'review', 'notes', 'plan', 'team', 'budget', '天氣', '報告', '請確認', '進度', '摘要', '會議', '客戶', '說明'];

const word = fc.constantFrom(...WORDS);
const prose = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
const identifier = fc.array(fc.constantFrom('get', 'lookup', 'weather', 'status', 'note', 'plan'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('_'));
const httpImage = word.map((name) => ({ type: 'image_url', image_url: { url: `https://images.example.com/${encodeURIComponent(name)}.png`, detail: 'low' } }));
const dataImage = fc.constant({ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } });
const openAITextPart = prose.map((text) => ({ type: 'text', text }));

const jsonSchema: fc.Arbitrary<Json> = fc
  .tuple(identifier, prose, fc.array(prose, { minLength: 1, maxLength: 3 }), prose)
  .map(([key, description, choices, title]): Json => ({
    type: 'object',
    title,
    properties: { [key]: { type: 'string', description, enum: choices }, extra: { type: 'array', items: { type: 'string', description } } },
    required: [key],
  }));

const toolArguments = fc.tuple(identifier, prose).map(([key, value]) => JSON.stringify({ [key]: value, nested: { items: [value] } }));

const openAIMessages: fc.Arbitrary<Json[]> = fc
  .tuple(
    fc.option(fc.tuple(fc.constantFrom('system', 'developer'), fc.oneof(prose, fc.array(openAITextPart, { minLength: 1, maxLength: 3 })), fc.option(identifier, { nil: undefined }))),
    fc.oneof(prose, fc.array(fc.oneof(openAITextPart, openAITextPart, httpImage, dataImage), { minLength: 1, maxLength: 4 })),
    fc.option(identifier, { nil: undefined }),
    fc.option(fc.tuple(identifier, identifier, toolArguments, fc.option(prose, { nil: null }), fc.oneof(prose, toolArguments))),
  )
  .map(([system, userContent, userName, toolTurn]) => {
    const messages: Json[] = [];
    if (system) messages.push({ role: system[0], content: system[1], ...(system[2] ? { name: system[2] } : {}) });
    messages.push({ role: 'user', content: userContent, ...(userName ? { name: userName } : {}) });
    if (toolTurn) {
      const [id, name, args, text, result] = toolTurn;
      messages.push({ role: 'assistant', content: text, tool_calls: [{ id: `call_${id}`, type: 'function', function: { name, arguments: args } }] });
      messages.push({ role: 'tool', tool_call_id: `call_${id}`, content: result });
      messages.push({ role: 'user', content: 'thanks' });
    }
    return messages;
  });

export const openAIChatBody: fc.Arbitrary<Json> = fc
  .tuple(
    openAIMessages,
    fc.option(fc.array(fc.tuple(identifier, prose, jsonSchema), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    fc.option(fc.tuple(identifier, prose, jsonSchema), { nil: undefined }),
    fc.option(fc.array(prose, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(prose, { nil: undefined }),
    fc.boolean(),
    prose,
  )
  .map(([messages, tools, format, stop, user, stream, unknown]) => {
    const body: { [key: string]: Json } = { model: 'MODEL', messages, max_tokens: 64, stream };
    if (tools) body.tools = tools.map(([name, description, parameters]) => ({ type: 'function', function: { name, description, parameters } }));
    if (format) body.response_format = { type: 'json_schema', json_schema: { name: format[0], description: format[1], schema: format[2] } };
    if (stop) body.stop = stop;
    if (user !== undefined) body.user = user;
    // Fields the gateway does not forward: they must be dropped, whatever they hold.
    body.metadata = { note: unknown };
    body.x_unlisted = { text: unknown };
    return body;
  });

const anthropicImage = fc.oneof(
  fc.constant({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } }),
  word.map((name) => ({ type: 'image', source: { type: 'url', url: `https://images.example.com/${encodeURIComponent(name)}.jpg` } })),
);
const anthropicText = prose.map((text) => ({ type: 'text', text }));

export const anthropicMessagesBody: fc.Arbitrary<Json> = fc
  .tuple(
    fc.option(fc.oneof(prose, fc.array(anthropicText, { minLength: 1, maxLength: 2 })), { nil: undefined }),
    fc.oneof(prose, fc.array(fc.oneof(anthropicText, anthropicText, anthropicImage), { minLength: 1, maxLength: 4 })),
    fc.option(fc.tuple(identifier, identifier, identifier, prose, prose, fc.oneof(prose, fc.array(anthropicText, { minLength: 1, maxLength: 2 })))),
    fc.option(fc.array(fc.tuple(identifier, prose, jsonSchema), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    fc.option(fc.array(prose, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(prose, { nil: undefined }),
    fc.boolean(),
    prose,
  )
  .map(([system, content, toolTurn, tools, stop, userId, stream, unknown]) => {
    const messages: Json[] = [{ role: 'user', content }];
    if (toolTurn) {
      const [id, name, key, value, text, result] = toolTurn;
      messages.push({ role: 'assistant', content: [{ type: 'text', text }, { type: 'tool_use', id: `toolu_${id}`, name, input: { [key]: value, list: [value] } }] });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${id}`, content: result }, { type: 'text', text: 'thanks' }] });
    }
    const body: { [key: string]: Json } = { model: 'MODEL', max_tokens: 64, messages, stream };
    if (system !== undefined) body.system = system;
    if (tools) body.tools = tools.map(([name, description, input_schema]) => ({ name, description, input_schema }));
    if (stop) body.stop_sequences = stop;
    body.metadata = { ...(userId !== undefined ? { user_id: userId } : {}), note: unknown };
    body.x_unlisted = unknown;
    return body;
  });

export const embeddingsBody: fc.Arbitrary<Json> = fc
  .tuple(fc.oneof(prose, fc.array(prose, { minLength: 1, maxLength: 4 })), fc.option(prose, { nil: undefined }), prose)
  .map(([input, user, unknown]) => ({ model: 'MODEL', input, ...(user !== undefined ? { user } : {}), x_unlisted: unknown }));

type PathStep = string | number;
interface StringSite {
  path: PathStep[];
  /** True when the site is an object key rather than a string value. */
  key: boolean;
}

/** Every string value and object key of a JSON tree, iteratively (no recursion depth limit). */
export function stringSites(root: Json): StringSite[] {
  const sites: StringSite[] = [];
  const stack: Array<{ value: Json; path: PathStep[] }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: Json; path: PathStep[] };
    if (typeof value === 'string') sites.push({ path, key: false });
    else if (Array.isArray(value)) value.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
    else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) {
        sites.push({ path: [...path, name], key: true });
        stack.push({ value: item, path: [...path, name] });
      }
    }
  }
  return sites;
}

function parentOf(root: Json, path: PathStep[]): { [key: string]: Json } | Json[] {
  let node: Json = root;
  for (const step of path.slice(0, -1)) node = (node as { [key: string]: Json })[step as string] as Json;
  return node as { [key: string]: Json } | Json[];
}

function insertAt(text: string, at: number, value: string): string {
  const offset = Math.min(text.length, Math.max(0, at));
  return `${text.slice(0, offset)} ${value} ${text.slice(offset)}`;
}

/** A copy of `body` with ` value ` inserted into site `index % sites` at offset `at`. */
export function plantInString(body: Json, value: string, index: number, at: number): { body: Json; site: string } {
  const copy = structuredClone(body);
  const sites = stringSites(copy).filter((site) => !(site.key === false && site.path.at(-1) === 'model' && site.path.length === 1));
  const site = sites[index % sites.length] as StringSite;
  const parent = parentOf(copy, site.path);
  const last = site.path.at(-1) as PathStep;
  if (site.key) {
    const object = parent as { [key: string]: Json };
    const renamed: { [key: string]: Json } = {};
    for (const [name, item] of Object.entries(object)) renamed[name === last ? insertAt(name, at, value) : name] = item;
    for (const name of Object.keys(object)) delete object[name];
    Object.assign(object, renamed);
  } else {
    const current = (parent as { [key: string]: Json })[last as string] as string;
    (parent as { [key: string]: Json })[last as string] = insertAt(current, at, value);
  }
  return { body: copy, site: `${site.key ? 'key' : 'value'} ${site.path.join('.')}` };
}

/**
 * A copy of `body` with the value split in two adjacent text parts of some content array (the
 * first message's content becomes an array when it was a string). `cut` picks the split point.
 */
export function plantSplit(body: Json, value: string, cut: number, position: number): { body: Json; site: string; halves: [string, string] } {
  const copy = structuredClone(body) as { [key: string]: Json };
  const messages = copy.messages as Array<{ [key: string]: Json }> | undefined;
  const split = 4 + (cut % Math.max(1, value.length - 7));
  const halves: [string, string] = [value.slice(0, split), value.slice(split)];
  if (messages === undefined) throw new Error('plantSplit needs a body with messages');
  const target = messages.find((message) => message.role === 'user') as { [key: string]: Json };
  const content = typeof target.content === 'string' ? [{ type: 'text', text: target.content }] : (target.content as Json[]);
  const at = position % (content.length + 1);
  content.splice(at, 0, { type: 'text', text: `please ${halves[0]}` }, { type: 'text', text: `${halves[1]} today` });
  target.content = content;
  return { body: copy, site: `messages user content[${at}] (split)`, halves };
}
