import { describe, expect, it } from 'vitest';
import { openAIChatLayout } from '../wire/openai/openai-request-layout.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { groupTexts, rewriteOutbound, takeInventory } from './outbound-inventory.js';

const layout = openAIChatLayout('gpt-4o-mini');

describe('takeInventory', () => {
  it('reads adjacent text parts as one text, joined with nothing, as the model does', () => {
    const body: JsonObject = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'ID A12345' }, { type: 'image_url', image_url: { url: 'https://x.example/a.png' } }, { type: 'text', text: '6789 ok' }] }],
    };
    const inventory = takeInventory({ body, layout });
    expect(groupTexts(inventory)).toContain('ID A123456789 ok');
    expect(inventory.unscanned).toBe(1);
    // The image URL is still scanned as text: it is sent, and URLs carry ids.
    expect(inventory.texts).toContain('https://x.example/a.png');
  });

  it('lists keys, numbers and decoded JSON text, and skips only protocol words', () => {
    const body: JsonObject = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"card":"4111\\u00201111","n":4111111111111111}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"holder":"王小明"}' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { A123456789: { type: 'string', enum: ['x'] } } } } }],
      max_tokens: 64,
    };
    const texts = takeInventory({ body, layout }).texts;
    expect(texts).toEqual(expect.arrayContaining(['call_1', 'lookup', 'card', '4111 1111', 'n', '4111111111111111', 'holder', '王小明', 'A123456789', 'x', '64']));
    for (const word of ['model', 'messages', 'role', 'assistant', 'tool_calls', 'function', 'object', 'string', 'properties', 'gpt-4o-mini']) expect(texts).not.toContain(word);
  });

  it('does not scan base64 image data but counts it as unscanned; text disguised as a data URL is scanned', () => {
    const body: JsonObject = {
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { type: 'image_url', image_url: { url: 'data:image/png;base64, A123456789 ' } }] },
      ],
    };
    const inventory = takeInventory({ body, layout });
    expect(inventory.unscanned).toBe(2);
    expect(inventory.texts).toEqual(['data:image/png;base64, A123456789 ']);
  });

  it('walks arbitrarily deep JSON without recursion', () => {
    let deep: JsonValue = 'bottom A123456789';
    for (let depth = 0; depth < 20_000; depth += 1) deep = { level: deep };
    const inventory = takeInventory({ body: { messages: [], extra: deep }, layout });
    expect(inventory.texts).toContain('bottom A123456789');
  });
});

describe('rewriteOutbound', () => {
  it('writes masked texts back into values, keys, numbers and JSON text, leaving the original untouched', () => {
    const body: JsonObject = {
      model: 'gpt-4o-mini',
      user: 'u A123456789',
      messages: [{ role: 'tool', tool_call_id: 't', content: '{"id":"A123456789"}' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { A123456789: { type: 'string' } }, enum: [4111111111111111] } } }],
    };
    const inventory = takeInventory({ body, layout });
    const masked = inventory.texts.map((text) => text.replace('A123456789', '[ID]').replace('4111111111111111', '[CARD]'));
    const rewritten = JSON.stringify(rewriteOutbound({ body, layout }, masked));
    expect(rewritten).not.toMatch(/A123456789|4111111111111111/);
    expect(rewritten).toContain('"user":"u [ID]"');
    expect(rewritten).toContain('{\\"id\\":\\"[ID]\\"}');
    expect(rewritten).toContain('"[ID]":{"type":"string"}');
    expect(rewritten).toContain('"enum":["[CARD]"]');
    expect(JSON.stringify(body)).toContain('A123456789');
  });

  it('refuses texts that do not match the body', () => {
    expect(() => rewriteOutbound({ body: { user: 'a' }, layout }, [])).toThrow(/do not match/);
  });
});
