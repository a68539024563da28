import { z } from 'zod';

/**
 * `responses:` in the config — the OpenAI Responses API's server-side state
 * (docs/responses-api.md). Storage is off by default: a stored conversation is personal data
 * kept on the gateway, and an operator turns it on knowingly.
 */
export const responsesConfigSchema = z
  .object({
    store: z
      .object({
        /** Keep responses for `previous_response_id`, `GET` and `DELETE /v1/responses/{id}`. */
        enabled: z.boolean().default(false),
        /** How long a stored response can be chained or read; expired ones are deleted as new ones are stored. */
        retention_hours: z.number().int().min(1).max(24 * 90).default(24),
      })
      .strict()
      .default({ enabled: false, retention_hours: 24 }),
  })
  .strict();
export type ResponsesConfig = z.infer<typeof responsesConfigSchema>;
export const RESPONSES_STORE_SETTING = 'responses.store.enabled';
