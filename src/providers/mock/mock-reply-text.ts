import type { MockOptions } from './mock-options-schema.js';
import type { ChatRequest } from '../../model/chat-request.js';
import { hashString } from './mock-random.js';
import { exampleForSchema } from './mock-schema-value.js';

/**
 * The text the mock answers with, by `reply` mode:
 *   echo     → the last user message's text, verbatim (text parts joined with "\n"), so tests
 *              can check what the upstream received after masking and what the client got back;
 *   scripted → `script[k % script.length]` where k is the number of assistant turns already in
 *              the conversation: a multi-turn test walks through the script in order, and the
 *              same conversation always gets the same line (an empty script falls back to echo);
 *   lorem    → `lorem_tokens` lorem-ipsum words, starting at a word chosen by a hash of the
 *              last user message (different prompts, different but stable text).
 * `response_format` overrides the mode: json_schema → an example value of the schema (see
 * mock-schema-value.ts); json_object → `{"reply": <the mode's text>}`.
 */

const LOREM = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore ' +
  'magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo ' +
  'consequat duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur ' +
  'excepteur sint occaecat cupidatat non proident sunt in culpa qui officia deserunt mollit anim id est laborum'
).split(' ');

/** Text of the last `user` message; '' when there is none. */
export function lastUserText(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index -= 1) {
    const message = request.messages[index];
    if (message?.role !== 'user') continue;
    // The common case (one text part) must not allocate: this runs on every request.
    if (message.content.length === 1 && message.content[0]?.type === 'text') return message.content[0].text;
    const texts: string[] = [];
    for (const part of message.content) if (part.type === 'text') texts.push(part.text);
    return texts.join('\n');
  }
  return '';
}

export function loremText(tokens: number, seed: number): string {
  const words: string[] = [];
  for (let index = 0; index < tokens; index += 1) words.push(LOREM[(seed + index) % LOREM.length] as string);
  const text = words.join(' ');
  return text === '' ? '' : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function modeText(request: ChatRequest, options: MockOptions, userText: string): string {
  switch (options.reply) {
    case 'lorem':
      return loremText(options.lorem_tokens, hashString(userText));
    case 'scripted': {
      if (options.script.length === 0) return userText;
      let turns = 0;
      for (const message of request.messages) if (message.role === 'assistant') turns += 1;
      return options.script[turns % options.script.length] as string;
    }
    default:
      return userText;
  }
}

const compiled = new Map<string, RegExp>();

/** The first canned answer whose model list admits this model and whose pattern matches. */
function cannedAnswer(request: ChatRequest, options: MockOptions, userText: string): string | undefined {
  for (const rule of options.answers) {
    if (rule.models.length > 0 && !rule.models.includes(request.model)) continue;
    let pattern = compiled.get(rule.when);
    if (!pattern) {
      pattern = new RegExp(rule.when, 'iu');
      compiled.set(rule.when, pattern);
    }
    if (pattern.test(userText)) return rule.reply;
  }
  return undefined;
}

export function replyText(request: ChatRequest, options: MockOptions, userText: string): string {
  const format = request.responseFormat;
  if (format?.type === 'json_schema') return JSON.stringify(exampleForSchema(format.schema, format.name));
  const text = cannedAnswer(request, options, userText) ?? modeText(request, options, userText);
  return format?.type === 'json_object' ? JSON.stringify({ reply: text }) : text;
}
