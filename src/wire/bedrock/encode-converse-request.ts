/**
 * Canonical → Bedrock Converse request body. The model travels in the URL, not the body.
 * Like Anthropic's Messages API, Converse keeps system text apart, wants alternating roles
 * (consecutive same-role turns are merged), carries tool results as `toolResult` blocks in a
 * user turn and rejects empty text blocks. Images go inline as base64 (`data:` URLs) or by S3
 * location; any other URL is passed as an S3 location so Bedrock itself refuses it with a 400
 * the client can read, rather than the gateway fetching URLs on a client's behalf.
 */
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, RequestFeature, ToolChoice } from '../../model/chat-request.js';
import { fitToWire } from '../feature-support.js';
import { parseToolArguments } from '../parse-tool-arguments.js';
import type { ConverseContentBlock, ConverseImageFormat, ConverseMessage, ConverseRequest, ConverseToolChoice } from './converse-types.js';

const IMAGE_FORMATS: Record<string, ConverseImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/**
 * Request features Converse can express as this encoder writes it: none of the optional ones.
 * seed, n > 1, response_format, top_k, thinking, cache points and documents are refused with
 * `unsupported_parameter` (or dropped where the alias lists them under drop_unsupported).
 */
export const BEDROCK_FEATURES: ReadonlySet<RequestFeature> = new Set();

export function encodeConverseRequest(asked: ChatRequest): ConverseRequest {
  const request = fitToWire(asked, BEDROCK_FEATURES, 'Bedrock');
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => textOf(message.content))
    .filter((text) => text !== '');
  const body: ConverseRequest = {
    messages: mergeSameRole(request.messages.filter((message) => message.role !== 'system').map(encodeMessage)),
  };
  if (system.length > 0) body.system = [{ text: system.join('\n\n') }];
  const inference: NonNullable<ConverseRequest['inferenceConfig']> = {};
  if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.toolConfig = {
      tools: request.tools.map((tool) => ({
        toolSpec: { name: tool.name, ...(tool.description !== undefined ? { description: tool.description } : {}), inputSchema: { json: tool.parameters } },
      })),
    };
    const choice = encodeToolChoice(request.toolChoice);
    if (choice !== undefined) body.toolConfig.toolChoice = choice;
  }
  // `user` has no Converse field; it is a routing/attribution hint, not a model feature.
  return body;
}

function encodeMessage(message: CanonicalMessage): ConverseMessage {
  if (message.role === 'tool') {
    return { role: 'user', content: [{ toolResult: { toolUseId: message.toolCallId ?? '', content: [{ text: textOf(message.content) }] } }] };
  }
  const blocks: ConverseContentBlock[] = message.content.flatMap(encodePart);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) blocks.push({ toolUse: { toolUseId: call.id, name: call.name, input: parseToolArguments(call.arguments) } });
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content: blocks };
}

function encodePart(part: ContentPart): ConverseContentBlock[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
  // fitToWire removed documents and reasoning (or refused them): only images remain.
  if (part.type !== 'image') return [];
  const inline = /^data:([^;,]+);base64,(.*)$/s.exec(part.url);
  const inlineFormat = inline === null ? undefined : IMAGE_FORMATS[(inline[1] ?? '').toLowerCase()];
  if (inline !== null && inlineFormat !== undefined) return [{ image: { format: inlineFormat, source: { bytes: inline[2] ?? '' } } }];
  return [{ image: { format: formatFromPath(part.url), source: { s3Location: { uri: part.url } } } }];
}

function formatFromPath(url: string): ConverseImageFormat {
  const extension = /\.([a-z]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return extension === 'jpg' || extension === 'jpeg' ? 'jpeg' : extension === 'gif' ? 'gif' : extension === 'webp' ? 'webp' : 'png';
}

/**
 * Converse has auto, any and a named tool, but no "none": for `none` the tools stay declared
 * (Bedrock requires a toolConfig when the history holds tool blocks) and no choice is sent.
 */
function encodeToolChoice(choice: ToolChoice | undefined): ConverseToolChoice | undefined {
  if (choice === undefined || choice === 'none') return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.name } };
}

function mergeSameRole(messages: ConverseMessage[]): ConverseMessage[] {
  const merged: ConverseMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous !== undefined && previous.role === message.role) previous.content.push(...message.content);
    else merged.push({ role: message.role, content: [...message.content] });
  }
  return merged;
}

function textOf(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
