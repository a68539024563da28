import fc from 'fast-check';
import type { Json } from './inbound-arbitraries.js';

/**
 * Inbound bodies of the OpenAI Responses API and legacy completions, covering every field the
 * gateway forwards (instructions, message / function_call / function_call_output items, function
 * tools, json_schema format, stop, user) and `metadata`, which is echoed but never forwarded.
 * Unknown parameters are refused by these APIs, so none are generated. Test support only.
 */

const WORDS = ['weather', 'report', 'summary', 'please', 'check', 'status', 'today', 'hello', 'draft', '天氣', '報告', '請確認', '進度', '摘要'];
const prose = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
const identifier = fc.array(fc.constantFrom('get', 'lookup', 'weather', 'status', 'note'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('_'));
const schema = fc.tuple(identifier, prose).map(([key, description]): Json => ({ type: 'object', properties: { [key]: { type: 'string', description } }, required: [key] }));
const inputText = prose.map((text): Json => ({ type: 'input_text', text }));

export const responsesBody: fc.Arbitrary<Json> = fc
  .tuple(
    fc.option(prose, { nil: undefined }),
    fc.oneof(prose, fc.array(inputText, { minLength: 1, maxLength: 3 })),
    fc.option(fc.tuple(identifier, identifier, prose, prose, prose)),
    fc.option(fc.array(fc.tuple(identifier, prose, schema), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    fc.option(fc.tuple(identifier, schema), { nil: undefined }),
    fc.option(prose, { nil: undefined }),
    fc.boolean(),
    prose,
  )
  .map(([instructions, content, toolTurn, tools, format, user, stream, note]) => {
    const input: Json[] = [{ role: 'user', content }];
    if (toolTurn) {
      const [id, name, key, value, result] = toolTurn;
      input.push({ type: 'function_call', call_id: `call_${id}`, name, arguments: JSON.stringify({ [key]: value }) });
      input.push({ type: 'function_call_output', call_id: `call_${id}`, output: result });
      input.push({ role: 'user', content: 'thanks' });
    }
    const body: { [key: string]: Json } = { model: 'MODEL', input, max_output_tokens: 64, stream, metadata: { note } };
    if (instructions !== undefined) body.instructions = instructions;
    if (tools) body.tools = tools.map(([name, description, parameters]) => ({ type: 'function', name, description, parameters }));
    if (format) body.text = { format: { type: 'json_schema', name: format[0], schema: format[1] } };
    if (user !== undefined) body.user = user;
    return body;
  });

export const completionsBody: fc.Arbitrary<Json> = fc
  .tuple(fc.oneof(prose, prose.map((text): Json => [text])), fc.option(fc.array(prose, { minLength: 1, maxLength: 3 }), { nil: undefined }), fc.option(prose, { nil: undefined }), fc.boolean())
  .map(([prompt, stop, user, stream]) => ({ model: 'MODEL', prompt, max_tokens: 64, stream, ...(stop ? { stop } : {}), ...(user !== undefined ? { user } : {}) }));
