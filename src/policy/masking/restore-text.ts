import type { ChatResponse } from '../../model/chat-response.js';
import { PLACEHOLDER_LIKE, type PlaceholderVault } from './placeholder-vault.js';

/**
 * Puts original values back where the model repeated a placeholder. Placeholders the vault did
 * not mint (`[PERSON_99]`, or text that merely looks like one) pass through unchanged.
 */

export interface RestoreOptions {
  /**
   * The text is JSON (tool-call arguments): restored values are JSON-string-escaped, so a value
   * holding `"` or a newline keeps the arguments valid. Placeholders only ever appear inside
   * JSON strings when the model keeps them intact, which is the case this serves.
   */
  json?: boolean;
}

export function restoreText(text: string, vault: PlaceholderVault, options: RestoreOptions = {}): string {
  if (vault.size === 0 || !text.includes('[')) return text;
  return text.replace(PLACEHOLDER_LIKE, (placeholder) => {
    const original = vault.originalOf(placeholder);
    if (original === undefined) return placeholder;
    return options.json ? JSON.stringify(original).slice(1, -1) : original;
  });
}

/** A copy of the response with placeholders restored in content, refusals and tool-call arguments. */
export function restoreChatResponse(response: ChatResponse, vault: PlaceholderVault): ChatResponse {
  if (vault.size === 0) return response;
  return {
    ...response,
    choices: response.choices.map((choice) => {
      const message = { ...choice.message, content: choice.message.content === null ? null : restoreText(choice.message.content, vault) };
      if (typeof choice.message.refusal === 'string') message.refusal = restoreText(choice.message.refusal, vault);
      if (choice.message.toolCalls) {
        message.toolCalls = choice.message.toolCalls.map((call) => ({ ...call, arguments: restoreText(call.arguments, vault, { json: true }) }));
      }
      return { ...choice, message };
    }),
  };
}
