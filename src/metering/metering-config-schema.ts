import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';

/**
 * `metering:` in the config file. Strict like the root schema: an unknown key is an error.
 * Prices are USD per 1M tokens; a fixed monthly cost is amortised per hour in reports.
 */
const nonNegative = z.number().nonnegative();

const priceSchema = z
  .object({
    deployment: z.string().min(1),
    /** Omitted: the price of every model on the deployment without a more specific entry. */
    model: z.string().min(1).optional(),
    input_per_million: nonNegative,
    output_per_million: nonNegative,
    cached_input_per_million: nonNegative.optional(),
    /** Prompt-cache writes (Anthropic 5-minute lifetime); omitted: the input price. */
    cache_write_per_million: nonNegative.optional(),
    /** Prompt-cache writes with the 1-hour lifetime; omitted: `cache_write_per_million`. */
    cache_write_1h_per_million: nonNegative.optional(),
    /** USD per upstream request on top of tokens: per-call tool, search or retrieval charges. */
    per_call_usd: nonNegative.optional(),
  })
  .strict();

const fixedCostSchema = z.object({ deployment: z.string().min(1), monthly_usd: nonNegative }).strict();

const scopeSchema = z
  .object({
    key: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    department: z.string().min(1).optional(),
    /** `name=value`, e.g. `application=chatbot`. */
    tag: z.string().regex(/^[a-z][a-z0-9_.-]*=.+$/, 'use name=value').optional(),
  })
  .strict()
  .refine((scope) => Object.values(scope).filter((value) => value !== undefined).length === 1, {
    message: 'a budget scope names exactly one of key, team, department or tag',
  });

export const budgetSchema = z
  .object({
    id: identifierSchema,
    scope: scopeSchema,
    period: z.enum(['day', 'week', 'month']),
    limit_usd: z.number().positive(),
    /** Fractions of the limit that emit a `budget-threshold` event when crossed, e.g. [0.8]. */
    soft_thresholds: z.array(z.number().gt(0).lt(1)).default([0.8]),
  })
  .strict();
export type BudgetConfig = z.infer<typeof budgetSchema>;

const tagLimitsSchema = z
  .object({
    max_count: z.number().int().min(0).max(32).default(8),
    max_key_length: z.number().int().min(1).max(64).default(32),
    max_value_length: z.number().int().min(1).max(256).default(64),
  })
  .strict();

export const meteringConfigSchema = z
  .object({
    prices: z.array(priceSchema).default([]),
    /**
     * Prices for deployments `prices` does not cover: `builtin` (the catalogue shipped with
     * Switchyard, see docs/prices.md), `none`, or a JSON file in the same format.
     */
    price_catalogue: z.string().min(1).default('builtin'),
    fixed_costs: z.array(fixedCostSchema).default([]),
    tags: tagLimitsSchema.default(() => tagLimitsSchema.parse({})),
    /** Calendar periods for budgets and `switchyard spend --period` are in this zone. */
    time_zone: z
      .string()
      .default('Asia/Taipei')
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'not an IANA time zone'),
    budgets: z.array(budgetSchema).default([]),
    /** Output allowance reserved when a request sets no max_tokens. */
    default_max_output_tokens: z.number().int().positive().default(4_096),
    /** Reservations older than this are released (their process died mid-request). */
    reservation_timeout_seconds: z.number().int().positive().default(900),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    for (const [index, budget] of config.budgets.entries()) {
      if (seen.has(budget.id)) context.addIssue({ code: 'custom', path: ['budgets', index, 'id'], message: `duplicate budget id '${budget.id}'` });
      seen.add(budget.id);
    }
  });
export type MeteringConfig = z.infer<typeof meteringConfigSchema>;
