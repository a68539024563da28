import { z } from 'zod';
import { GUARD_CATEGORIES, type GuardCategory } from './guard-categories.js';

/**
 * The `guard:` section of the gateway config. On by default with conservative actions:
 * a category at or above `block_at` is refused, at or above `flag_at` it is flagged (audited
 * and counted) and the request goes on. Per-role overrides change the action for principals
 * holding that role (e.g. a red team that may send attacks, flagged rather than blocked).
 */

const inputAction = z.enum(['allow', 'flag', 'block', 'route_on_prem']);
const outputAction = z.enum(['allow', 'flag', 'mask', 'cut']);

const categorySchema = z
  .object({
    flag_at: z.number().min(0).max(1).default(0.5),
    block_at: z.number().min(0).max(1).default(0.75),
    /** What happens at or above `block_at`. */
    action: inputAction.default('block'),
    /** What happens between `flag_at` and `block_at`. */
    below_block: inputAction.default('flag'),
  })
  .strict()
  .refine((category) => category.flag_at <= category.block_at, { message: 'flag_at must not be above block_at' });
export type GuardCategoryConfig = z.infer<typeof categorySchema>;

const categoriesShape = Object.fromEntries(GUARD_CATEGORIES.map((category) => [category, categorySchema.default(() => categorySchema.parse({}))])) as Record<
  GuardCategory,
  z.ZodDefault<typeof categorySchema>
>;

const outputSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Inject a random canary token into system prompts; its appearance in an answer is a leak. */
    canary: z.boolean().default(true),
    /** Share of the system prompt's 12-character shingles an answer may repeat before it is a leak. */
    leak_overlap: z.number().min(0.05).max(1).default(0.35),
    system_prompt_leak: outputAction.default('cut'),
    /** Credentials (API keys, tokens, private keys) in answers. */
    secrets: outputAction.default('mask'),
    /** Entity types only some roles may see in answers (e.g. TW_NATIONAL_ID for claims staff). */
    restricted: z
      .object({
        entities: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).default([]),
        visible_to_roles: z.array(z.string()).default([]),
        action: outputAction.default('mask'),
      })
      .strict()
      .default({ entities: [], visible_to_roles: [], action: 'mask' }),
  })
  .strict();

const classifierSchema = z
  .object({
    /** Path to a local ONNX text-classification model; nothing is downloaded. */
    model_path: z.string().min(1).optional(),
    /** Weight of the model's probability next to the heuristics (noisy-or). */
    weight: z.number().min(0).max(1).default(0.6),
  })
  .strict();

export const guardConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    categories: z.object(categoriesShape).strict().default(() => z.object(categoriesShape).parse({})),
    /** Per role: category → action, overriding the category's actions for principals holding the role. */
    roles: z.record(z.string(), z.partialRecord(z.enum(GUARD_CATEGORIES), inputAction)).default({}),
    /** Roles whose holders may truthfully say "I am the administrator". */
    privileged_roles: z.array(z.string()).default(['admin']),
    /** Hosts links and images in prompts may point at (subdomains included); others are an exfiltration signal. */
    allowed_link_hosts: z.array(z.string()).default([]),
    output: outputSchema.default(() => outputSchema.parse({})),
    classifier: classifierSchema.optional(),
  })
  .strict();

export type GuardConfig = z.infer<typeof guardConfigSchema>;
export type GuardInputAction = z.infer<typeof inputAction>;
export type GuardOutputAction = z.infer<typeof outputAction>;

export function defaultGuardConfig(): GuardConfig {
  return guardConfigSchema.parse({});
}
