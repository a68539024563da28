import type { ChatRequest, ToolDefinition } from '../../model/chat-request.js';
import type { ToolCall } from '../../model/chat-message.js';
import { hashString } from './mock-random.js';
import { exampleForSchema } from './mock-schema-value.js';

/**
 * When the mock answers with tool calls instead of text:
 *   - never when the request has no tools or `tool_choice` is 'none';
 *   - `tool_choice: {name}` → one call to that tool;
 *   - `tool_choice: 'required'` → the tools named by `call:<tool>` markers, else the first tool;
 *   - otherwise ('auto') → only when the conversation ends with a user message containing
 *     `call:<tool>` markers naming defined tools (one call per marker, in order). Requiring the
 *     last message to be the user's means a tool result is answered with text, so agent loops
 *     in tests terminate.
 * `parallel_tool_calls: false` keeps only the first call. Arguments are an example value of the
 * tool's parameter schema (mock-schema-value.ts), as compact JSON.
 */

const MARKER = /call:([A-Za-z0-9_.-]+)/g;

function markedTools(text: string, tools: ToolDefinition[]): ToolDefinition[] {
  if (!text.includes('call:')) return [];
  const found: ToolDefinition[] = [];
  for (const match of text.matchAll(MARKER)) {
    const tool = tools.find((candidate) => candidate.name === match[1]);
    if (tool) found.push(tool);
  }
  return found;
}

function toCall(tool: ToolDefinition, index: number, seedText: string, idPrefix: string): ToolCall {
  const id = `${idPrefix}${hashString(`${index}:${tool.name}:${seedText}`).toString(36).padStart(7, '0')}${index}`;
  return { id, name: tool.name, arguments: JSON.stringify(exampleForSchema(tool.parameters, tool.name)) };
}

export function decideToolCalls(request: ChatRequest, userText: string, idPrefix: string): ToolCall[] | undefined {
  const tools = request.tools;
  const choice = request.toolChoice;
  if (!tools || tools.length === 0 || choice === 'none') return undefined;
  let selected: ToolDefinition[];
  if (typeof choice === 'object') {
    selected = [tools.find((tool) => tool.name === choice.name) ?? { name: choice.name, parameters: { type: 'object' } }];
  } else if (choice === 'required') {
    const marked = markedTools(userText, tools);
    selected = marked.length > 0 ? marked : [tools[0] as ToolDefinition];
  } else {
    if (request.messages[request.messages.length - 1]?.role !== 'user') return undefined;
    selected = markedTools(userText, tools);
  }
  if (selected.length === 0) return undefined;
  if (request.parallelToolCalls === false) selected = selected.slice(0, 1);
  return selected.map((tool, index) => toCall(tool, index, userText, idPrefix));
}
