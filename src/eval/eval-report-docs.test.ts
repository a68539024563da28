import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { categoryStatsSchema, evalReportSchema, itemResultSchema } from './eval-report-schema.js';

/** docs/releases-and-eval.md documents the JSON report; every field of the schema must be there, and nothing more. */
const docs = readFileSync(new URL('../../docs/releases-and-eval.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('### JSON report'), docs.indexOf('## The KPI gate'));
const documented = new Set([...section.matchAll(/^\| ([^|]+) \|/gm)].flatMap((match) => [...(match[1] ?? '').matchAll(/`([\w.[\]]+)`/g)].map((field) => field[1] as string)));

const keys = (schema: z.ZodObject) => Object.keys(schema.shape);
/** Arrays are documented as `name[]`. */
const has = (field: string) => documented.has(field) || documented.has(`${field}[]`);
const targetSchema = (evalReportSchema.shape.targets as unknown as z.ZodArray<z.ZodObject>).element;

describe('eval report documentation', () => {
  it('documents every top-level, target, statistics and item field', () => {
    for (const key of keys(evalReportSchema)) expect(has(key), key).toBe(true);
    for (const key of keys(targetSchema)) expect(has(`targets[].${key}`), `targets[].${key}`).toBe(true);
    for (const key of keys(categoryStatsSchema)) expect(has(key), key).toBe(true);
    for (const key of keys(itemResultSchema)) expect(has(key), key).toBe(true);
  });

  it('documents no field the schema does not have', () => {
    const known = new Set([
      ...keys(evalReportSchema),
      ...keys(targetSchema).map((key) => `targets[].${key}`),
      'targets[]',
      'targets[].items[]',
      ...keys(categoryStatsSchema),
      ...keys(itemResultSchema),
      'checks[]',
    ]);
    for (const field of documented) if (!field.startsWith('field')) expect(known, field).toContain(field);
  });
});
