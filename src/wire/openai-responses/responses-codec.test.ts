import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../model/chat-response.js';
import type { StreamPart } from '../../model/stream-part.js';
import { findOpenAISpecPath, loadOpenApiSpec, validateAgainstSchema, type OpenApiSpec } from '../../../test/support/openapi-validate.js';
import { RESPONSES_EVENT_SCHEMAS } from '../../../test/support/responses-event-schemas.js';
import { assembleResponsesChat, decodeResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse, type ResponsesHead } from './encode-responses-response.js';
import { createResponsesStreamEncoder } from './create-responses-stream-encoder.js';

const specPath = findOpenAISpecPath();
if (!specPath && process.env.CI === 'true') throw new Error('../shared/reference/openai-openapi/openapi.yaml is missing under CI=true');
const spec: OpenApiSpec | undefined = specPath ? loadOpenApiSpec(specPath) : undefined;
const expectValid = (schema: string, value: unknown) => {
  if (spec) expect(validateAgainstSchema(spec, schema, value)).toEqual([]);
};

const expectValidEvent = (event: Record<string, unknown>) => {
  const schema = RESPONSES_EVENT_SCHEMAS[String(event.type)];
  expect(schema, String(event.type)).toBeDefined();
  expectValid(schema!, event);
};

function ids() {
  let next = 0;
  return (prefix: string) => `${prefix}_${(next += 1)}`;
}

const weatherTool = { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true };

describe('decodeResponsesRequest', () => {
  it('reads a string input as one user message and keeps instructions apart', () => {
    const decoded = decodeResponsesRequest({ model: 'chat', input: 'hello', instructions: 'Be brief.', max_output_tokens: 64, temperature: 0.3, top_p: 0.9, metadata: { team: 'a' } });
    expect(decoded.turn).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
    const request = assembleResponsesChat(decoded, []);
    expect(request.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
    expect(request).toMatchObject({ model: 'chat', maxTokens: 64, temperature: 0.3, topP: 0.9, stream: false });
    expect(decoded.echo.metadata).toEqual({ team: 'a' });
    expect(decoded.store).toBe(true);
    if (spec) expectValid('CreateResponse', { model: 'chat', input: 'hello', instructions: 'Be brief.', max_output_tokens: 64 });
  });

  it('reads message, function_call and function_call_output items into one assistant turn with its calls', () => {
    const body = {
      model: 'chat',
      tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_weather' },
      input: [
        { role: 'developer', content: 'Use tools.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Taipei?' }, { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' }] },
        { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: [] }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Taipei"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      ],
    };
    // A user message with a list of parts matches both EasyInputMessage and InputMessage, which
    // the validator (it ignores discriminators) reports as a oneOf ambiguity: check the others.
    for (const [index, item] of body.input.entries()) if (index !== 1) expectValid('InputItem', item);
    for (const part of body.input[1]!.content as unknown[]) expectValid('InputContent', part);
    const request = assembleResponsesChat(decodeResponsesRequest(body), []);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Use tools.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Taipei?' }, { type: 'image', url: 'https://example.com/a.png', detail: 'low' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }], toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Taipei"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":21}' }] },
    ]);
    expect(request.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: weatherTool.parameters, strict: true }]);
    expect(request.toolChoice).toEqual({ name: 'get_weather' });
  });

  it('puts earlier turns between this call’s instructions and its input', () => {
    const decoded = decodeResponsesRequest({ model: 'chat', input: 'and now?', instructions: 'New rules.', previous_response_id: 'resp_1' });
    const earlier = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'first' }] },
      { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'answer' }] },
    ];
    expect(decoded.previousResponseId).toBe('resp_1');
    expect(assembleResponsesChat(decoded, earlier).messages.map((message) => message.content[0])).toEqual([
      { type: 'text', text: 'New rules.' },
      { type: 'text', text: 'first' },
      { type: 'text', text: 'answer' },
      { type: 'text', text: 'and now?' },
    ]);
  });

  it.each([
    [{ tools: [{ type: 'web_search' }] }, 'tools[0].type', 'web_search'],
    [{ tools: [{ type: 'file_search', vector_store_ids: ['v'] }] }, 'tools[0].type', 'file_search'],
    [{ background: true }, 'background', 'background'],
    [{ reasoning: { effort: 'high' } }, 'reasoning', 'reasoning'],
    [{ include: ['message.output_text.logprobs'] }, 'include', 'include'],
    [{ conversation: 'conv_1' }, 'conversation', 'conversation'],
    [{ input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }, 'input[0].type', 'reasoning items'],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', 'item references'],
    [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input[0].content[0].type', 'input_file'],
    [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }, 'input[0].content[0].file_id', 'file_id'],
    [{ tool_choice: { type: 'web_search_preview' } }, 'tool_choice', 'web_search_preview'],
    [{ text: { verbosity: 'low' } }, 'text.verbosity', 'verbosity'],
    [{ frobnicate: 1 }, 'frobnicate', 'frobnicate'],
  ])('refuses %j by name (400 unsupported_feature)', (extra, param, named) => {
    const attempt = () => decodeResponsesRequest({ model: 'chat', input: 'hi', ...extra });
    expect(attempt).toThrow(expect.objectContaining({ code: 'unsupported_feature', status: 400, param }));
    expect(attempt).toThrow(new RegExp(named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('accepts the off values of refused parameters', () => {
    expect(() => decodeResponsesRequest({ model: 'chat', input: 'hi', background: false, reasoning: null, include: [], truncation: 'disabled', service_tier: 'auto' })).not.toThrow();
  });

  it('reports a malformed item under its path', () => {
    expect(() => decodeResponsesRequest({ model: 'chat', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'input[0].call_id' }),
    );
    expect(() => decodeResponsesRequest({ model: 'chat' })).toThrow(expect.objectContaining({ param: 'input' }));
  });
});

const head = (overrides: Partial<ResponsesHead> = {}): ResponsesHead => ({
  id: 'resp_abc',
  createdAt: 1_700_000_000,
  model: 'mock-1',
  store: true,
  echo: decodeResponsesRequest({ model: 'chat', input: 'x', tools: [weatherTool], metadata: { k: 'v' } }).echo,
  ...overrides,
});

describe('encodeResponsesResponse', () => {
  it('encodes text, tool calls and usage as a spec-valid response object', () => {
    const response: ChatResponse = {
      id: 'chatcmpl-1',
      model: 'mock-1',
      created: 1,
      choices: [{ index: 0, message: { content: 'Let me look.', toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Taipei"}' }] }, finishReason: 'tool_calls' }],
      usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 2 },
    };
    const body = encodeResponsesResponse(head(), response, ids(), 1_700_000_001);
    expectValid('Response', body);
    expect(body).toMatchObject({
      id: 'resp_abc',
      object: 'response',
      status: 'completed',
      completed_at: 1_700_000_001,
      metadata: { k: 'v' },
      output: [
        { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Let me look.', annotations: [] }] },
        { type: 'function_call', id: 'fc_2', call_id: 'call_9', name: 'get_weather', arguments: '{"city":"Taipei"}', status: 'completed' },
      ],
      usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 2 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('marks a cut answer incomplete with the reason', () => {
    const response: ChatResponse = { id: 'x', model: 'm', created: 1, choices: [{ index: 0, message: { content: 'Partial' }, finishReason: 'length' }] };
    const body = encodeResponsesResponse(head(), response, ids(), 2);
    expectValid('Response', body);
    expect(body).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null });
  });
});

function events(sse: string): Array<Record<string, unknown>> {
  return sse
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown>;
      expect(eventLine).toBe(`event: ${String(data.type)}`);
      return data;
    });
}

describe('createResponsesStreamEncoder', () => {
  const parts: StreamPart[] = [
    { type: 'start', id: 'chatcmpl-1', model: 'mock-1', created: 1 },
    { type: 'text-delta', choice: 0, text: 'Hel' },
    { type: 'text-delta', choice: 0, text: 'lo' },
    { type: 'tool-call-delta', choice: 0, toolIndex: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '"Taipei"}' },
    { type: 'finish', choice: 0, finishReason: 'tool_calls' },
    { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
  ];

  it('emits the typed event sequence with consecutive sequence numbers, each valid against the spec', () => {
    const encoder = createResponsesStreamEncoder({ head: head(), newId: ids(), now: () => 1_700_000_009 });
    const all = events(parts.map((part) => encoder.encode(part)).join('') + encoder.end());
    expect(all.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    for (const event of all) expectValidEvent(event);
    const completed = all.at(-1)!.response as Record<string, unknown>;
    expect(completed).toMatchObject({ status: 'completed', usage: { total_tokens: 7 }, completed_at: 1_700_000_009 });
    expect(completed.output).toEqual([
      { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }] },
      { type: 'function_call', id: 'fc_2', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Taipei"}', status: 'completed' },
    ]);
    expect(all[12]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Taipei"}' });
    expect(encoder.complete()).toMatchObject({ status: 'completed', response: completed });
  });

  it('ends a cut stream with response.incomplete', () => {
    const encoder = createResponsesStreamEncoder({ head: head(), newId: ids(), now: () => 5 });
    const text =
      encoder.encode({ type: 'start', id: 'x', model: 'm', created: 1 }) +
      encoder.encode({ type: 'text-delta', choice: 0, text: 'Par' }) +
      encoder.encode({ type: 'finish', choice: 0, finishReason: 'length' }) +
      encoder.end();
    const last = events(text).at(-1)!;
    expectValidEvent(last);
    expect(last).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it('ends a broken stream with response.failed and an error event naming the gateway code', async () => {
    const { GatewayError } = await import('../../errors/gateway-error.js');
    const encoder = createResponsesStreamEncoder({ head: head(), newId: ids(), now: () => 5 });
    encoder.encode({ type: 'start', id: 'x', model: 'm', created: 1 });
    encoder.encode({ type: 'text-delta', choice: 0, text: 'Par' });
    const tail = events(encoder.error(new GatewayError('upstream_stream_interrupted', 'The upstream stream broke.')));
    for (const event of tail) expectValidEvent(event);
    expect(tail.map((event) => event.type)).toEqual(['response.failed', 'error']);
    expect(tail[0]).toMatchObject({ sequence_number: 5, response: { status: 'failed', error: { code: 'server_error', message: '[upstream_stream_interrupted] The upstream stream broke.' } } });
    expect(tail[1]).toMatchObject({ code: 'upstream_stream_interrupted' });
  });
});
