/**
 * `openai-compatible`: OpenAI itself and every server that copies its API (vLLM, Ollama,
 * TGI, llama.cpp server, LM Studio). They differ by `base_url` and key only — configuration,
 * not code — so this is the default dialect of the shared base and nothing more.
 */
import type { AdapterFactory } from '../provider-adapter.js';
import { createOpenAIStyleAdapter } from './openai-compatible-base.js';
import { defineProvider } from '../provider-definition.js';

export const createOpenAICompatibleAdapter: AdapterFactory = (options) => {
  const host = hostOf(options.deployment.base_url);
  return createOpenAIStyleAdapter(options, {
    path: (operation) => `/${operation}`,
    // Local servers usually need no key; sending "Bearer undefined" would confuse some.
    authHeaders: (apiKey): Record<string, string> => (apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    // OpenAI's reasoning models reject max_tokens; most compatible servers only know max_tokens.
    maxTokensField: host === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens',
    embeddings: true,
  });
};

function hostOf(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(baseUrl).hostname;
  } catch {
    return undefined;
  }
}

/** OpenAI and every server that copies its API; no default base URL (each server has its own). */
export const openAICompatibleProvider = defineProvider({
  id: 'openai-compatible',
  options: {},
  usesNetwork: true,
  create: createOpenAICompatibleAdapter,
});
