import { z } from 'zod';

/**
 * The `mock:` block of a `provider: mock` deployment: how the in-process mock answers, paces
 * and fails. Owned by the mock provider; the deployment schema picks it up from the provider list.
 */

const faultSchema = z
  .object({
    error_rate: z.number().min(0).max(1).default(0),
    error_status: z.number().int().min(400).max(599).default(500),
    rate_limit_rate: z.number().min(0).max(1).default(0),
    retry_after_seconds: z.number().nonnegative().default(1),
    reset_rate: z.number().min(0).max(1).default(0),
    hang_rate: z.number().min(0).max(1).default(0),
    stream_cut_rate: z.number().min(0).max(1).default(0),
    stream_cut_after_chunks: z.number().int().nonnegative().default(3),
  })
  .strict();

const isRegex = (source: string) => {
  try {
    new RegExp(source, 'iu');
    return true;
  } catch {
    return false;
  }
};

export const mockOptionsSchema = z
  .object({
    reply: z.enum(['echo', 'scripted', 'lorem']).default('echo'),
    script: z.array(z.string()).default([]),
    lorem_tokens: z.number().int().positive().default(32),
    ttft_ms: z.number().nonnegative().default(0),
    tokens_per_second: z.number().nonnegative().default(0),
    report_usage: z.boolean().default(true),
    embedding_dimensions: z.number().int().positive().max(4096).default(8),
    faults: faultSchema.default(() => faultSchema.parse({})),
    /** Seeds the fault draws so a run with fault rates is reproducible; unset = Math.random. */
    seed: z.number().int().optional(),
    /** How many recent requests the mock keeps for inspection (GET /__mock/requests); 0 = none. */
    request_log_size: z.number().int().nonnegative().max(100_000).default(100),
    /**
     * Canned answers, first match wins: `when` is a regex on the last user message, `models`
     * limits a rule to those model names (so two model versions can answer differently).
     */
    answers: z
      .array(z.object({ when: z.string().min(1).refine(isRegex, 'not a valid regular expression'), reply: z.string(), models: z.array(z.string()).default([]) }).strict())
      .default([]),
  })
  .strict();
export type MockOptions = z.infer<typeof mockOptionsSchema>;
