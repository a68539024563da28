import { z } from 'zod';
import { EVAL_CATEGORIES } from '../releases/releases-config-schema.js';
import { EVAL_REPORT_SCHEMA } from './eval-report.js';

/**
 * The JSON report's schema, strict: `eval schema` prints it, the tests validate real reports
 * against it, and docs/releases-and-eval.md documents each field (a test checks they agree).
 */
const rate = z.number().min(0).max(1);

export const categoryStatsSchema = z
  .object({
    items: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    passRate: rate,
    refusalCorrectness: rate.nullable(),
    citationRate: rate.nullable(),
    piiLeaks: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    latencyMs: z.object({ p50: z.number().nonnegative(), p95: z.number().nonnegative() }).strict(),
    tokensPerItem: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict(),
    costPerItemUsd: z.number().nonnegative(),
    costUsd: z.number().nonnegative(),
  })
  .strict();

const checkSchema = z
  .object({
    check: z.enum(['contains', 'not_contains', 'regex', 'json_schema', 'must_refuse', 'must_cite', 'no_pii', 'judge']),
    passed: z.boolean(),
    skipped: z.boolean().optional(),
    detail: z.string().optional(),
  })
  .strict();

export const itemResultSchema = z
  .object({
    id: z.string(),
    category: z.enum(EVAL_CATEGORIES),
    passed: z.boolean(),
    status: z.number().int(),
    errorCode: z.string().optional(),
    release: z.string().optional(),
    latencyMs: z.number().nonnegative(),
    tokens: z.object({ input: z.number().int().nonnegative(), output: z.number().int().nonnegative() }).strict(),
    costUsd: z.number().nonnegative(),
    refused: z.boolean(),
    cited: z.boolean(),
    piiLeaks: z.array(z.string()),
    checks: z.array(checkSchema),
  })
  .strict();

const categoryMap = <T extends z.ZodType>(value: T) => z.object(Object.fromEntries(EVAL_CATEGORIES.map((category) => [category, value.optional()]))).strict();

export const evalReportSchema = z
  .object({
    schema: z.literal(EVAL_REPORT_SCHEMA),
    generatedAt: z.iso.datetime(),
    gateway: z.string(),
    bank: z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), items: z.number().int().positive(), categories: categoryMap(z.number().int().positive()) }).strict(),
    judge: z.string().nullable(),
    targets: z.array(
      z
        .object({
          target: z.string(),
          alias: z.string(),
          pinned: z.string().optional(),
          servedBy: z.array(z.string()),
          overall: categoryStatsSchema,
          categories: categoryMap(categoryStatsSchema),
          items: z.array(itemResultSchema),
        })
        .strict(),
    ),
  })
  .strict();

export function evalReportJsonSchema(): object {
  return z.toJSONSchema(evalReportSchema);
}
