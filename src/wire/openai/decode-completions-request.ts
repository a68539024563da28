import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import { toInvalidRequest } from './decode-openai-client-request.js';

/**
 * Legacy `POST /v1/completions` → a canonical chat request with the prompt as the one user
 * message, so any chat deployment can serve it. What the translation cannot keep is refused by
 * name (`suffix`, `echo`, `logprobs`, `best_of`, token-array prompts, several prompts at once)
 * rather than dropped (docs/completions-api.md).
 */

/** OpenAI's documented default for this endpoint. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

const completionsRequestSchema = z
  .object({
    model: z.string().min(1),
    prompt: z.union([z.string(), z.array(z.unknown())]),
    max_tokens: z.number().int().min(0).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    n: z.number().int().min(1).max(128).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    seed: z.number().int().nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    user: z.string().nullish(),
    suffix: z.unknown().optional(),
    echo: z.unknown().optional(),
    logprobs: z.unknown().optional(),
    best_of: z.unknown().optional(),
    logit_bias: z.unknown().optional(),
    presence_penalty: z.unknown().optional(),
    frequency_penalty: z.unknown().optional(),
  })
  .strict();

/** Each refused parameter with its "off" value (which is accepted) and why it cannot be served. */
const REFUSED: Record<string, { off: (value: unknown) => boolean; why: string }> = {
  suffix: { off: (value) => value == null || value === '', why: 'insertion (suffix) needs a model trained for it; chat deployments cannot honour it' },
  echo: { off: (value) => value == null || value === false, why: 'echo returns the prompt inside the completion with its token log-probabilities, which chat deployments do not report' },
  logprobs: { off: (value) => value == null, why: 'token log-probabilities are not served on this endpoint' },
  best_of: { off: (value) => value == null || value === 1, why: 'best_of needs server-side candidate scoring; ask for n choices instead' },
  logit_bias: { off: (value) => value == null || (typeof value === 'object' && Object.keys(value as object).length === 0), why: 'logit_bias is tokenizer-specific and not every deployment accepts it' },
  presence_penalty: { off: (value) => value == null || value === 0, why: 'presence_penalty is not part of the canonical request every deployment serves' },
  frequency_penalty: { off: (value) => value == null || value === 0, why: 'frequency_penalty is not part of the canonical request every deployment serves' },
};

const unsupported = (param: string, why: string) =>
  new GatewayError('unsupported_feature', `'${param}' is not supported on /v1/completions: ${why}. Remove it (docs/completions-api.md).`, { param });

export interface DecodedCompletionsRequest {
  request: ChatRequest;
  clientWantsUsage: boolean;
}

export function decodeCompletionsRequest(body: unknown): DecodedCompletionsRequest {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const known = new Set(Object.keys(completionsRequestSchema.shape));
    for (const [key, value] of Object.entries(body)) {
      if (!known.has(key)) throw unsupported(key, 'the parameter is unknown to this gateway');
      const refused = REFUSED[key];
      if (refused && !refused.off(value)) throw unsupported(key, refused.why);
    }
  }
  const parsed = completionsRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error);
  const input = parsed.data;
  let prompt: string;
  if (typeof input.prompt === 'string') prompt = input.prompt;
  else {
    if (!input.prompt.every((item): item is string => typeof item === 'string')) {
      throw unsupported('prompt', 'token-id prompts depend on one tokenizer; send the prompt as text');
    }
    if (input.prompt.length !== 1) {
      throw unsupported('prompt', `a list of ${input.prompt.length} prompts is one completion per prompt, each metered and audited on its own; send one request per prompt`);
    }
    prompt = input.prompt[0]!;
  }
  const request: ChatRequest = {
    model: input.model,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    maxTokens: input.max_tokens ?? COMPLETIONS_DEFAULT_MAX_TOKENS,
    stream: input.stream === true,
    includeUsage: true,
  };
  if (request.maxTokens === 0) throw new GatewayError('invalid_request', "'max_tokens' must be at least 1 here (a zero-token completion only makes sense with echo, which is not served).", { param: 'max_tokens' });
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.top_p != null) request.topP = input.top_p;
  if (input.n != null) request.n = input.n;
  if (input.stop != null) request.stop = typeof input.stop === 'string' ? [input.stop] : input.stop;
  if (input.seed != null) request.seed = input.seed;
  if (input.user != null) request.user = input.user;
  return { request, clientWantsUsage: input.stream_options?.include_usage === true };
}
