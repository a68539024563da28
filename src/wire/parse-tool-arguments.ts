import type { JsonObject } from '../model/json-value.js';

/**
 * Tool-call arguments are JSON text in canonical form (as OpenAI models emit them) but a JSON
 * object on the Anthropic and Gemini wires. Models occasionally emit invalid JSON; wrapping the
 * raw text in an object keeps the conversation valid without silently dropping it.
 */
export function parseToolArguments(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
    return { value: parsed as JsonObject[keyof JsonObject] };
  } catch {
    return { _raw_arguments: text };
  }
}
