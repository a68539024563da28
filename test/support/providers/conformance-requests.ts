/**
 * The canonical requests the conformance suite sends through every adapter. Each provider's
 * `__fixtures__/<case>.request.json` records the exact body these must become on its wire.
 * Test-only.
 */
import type { ChatRequest, ToolDefinition } from '../../../src/model/chat-request.js';
import type { EmbeddingRequest } from '../../../src/model/embedding.js';

const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string', description: 'City name, e.g. Paris' } },
    required: ['location'],
  },
};

/** A 1×1 transparent PNG. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export const CONFORMANCE_REQUESTS: {
  chat: ChatRequest;
  toolCall: ChatRequest;
  toolResult: ChatRequest;
  multimodal: ChatRequest;
  embeddings: EmbeddingRequest;
} = {
  chat: {
    model: 'test-model',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Say hello.' }] },
    ],
    temperature: 0.2,
    topP: 0.9,
    maxTokens: 64,
    stop: ['END'],
    stream: false,
  },
  toolCall: {
    model: 'test-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] }],
    tools: [weatherTool],
    toolChoice: 'auto',
    stream: false,
  },
  toolResult: {
    model: 'test-model',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] },
      {
        role: 'assistant',
        content: [],
        toolCalls: [{ id: 'call_abc123', name: 'get_weather', arguments: '{"location":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 'call_abc123', content: [{ type: 'text', text: '{"temperature_c":18,"sky":"clear"}' }] },
      { role: 'user', content: [{ type: 'text', text: 'Answer in one sentence.' }] },
    ],
    tools: [weatherTool],
    toolChoice: { name: 'get_weather' },
    stream: false,
  },
  multimodal: {
    model: 'test-model',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this image?' },
          { type: 'image', url: PIXEL },
        ],
      },
    ],
    stream: false,
  },
  embeddings: { model: 'test-embedding-model', input: ['The food was delicious.', 'The waiter was friendly.'] },
};
