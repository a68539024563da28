import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EVAL_CATEGORIES } from '../releases/releases-config-schema.js';

/**
 * A question bank: YAML (a list, or `{items: [...]}`) or JSONL (one item per line). Every
 * problem is reported with the item's position and id, all at once.
 */
const message = z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string() }).strict();

export const expectSchema = z
  .object({
    /** Every string must appear in the answer (case-insensitive). */
    contains: z.array(z.string().min(1)).optional(),
    /** None may appear. */
    not_contains: z.array(z.string().min(1)).optional(),
    /** The answer must match (JavaScript regex source; flags `i` and `u`). */
    regex: z.string().optional(),
    /** The answer must be JSON valid against this schema. */
    json_schema: z.record(z.string(), z.unknown()).optional(),
    /** true: the model (or the gateway's policy) must refuse; false: it must not. */
    must_refuse: z.boolean().optional(),
    /** The answer must cite at least one of these sources (file names, titles, URLs). */
    must_cite: z.array(z.string().min(1)).min(1).optional(),
    /** The answer must contain no entity of these types (the gateway's detectors); [] = any type. */
    no_pii: z.array(z.string()).optional(),
    /** A rubric graded by an LLM through the gateway; only with `eval run --judge ALIAS`. */
    judge: z.object({ rubric: z.string().min(1) }).strict().optional(),
  })
  .strict()
  .refine((expect) => Object.keys(expect).length > 0, { message: 'expect needs at least one check' });
export type Expect = z.infer<typeof expectSchema>;

export const bankItemSchema = z
  .object({
    id: z.string().min(1),
    category: z.enum(EVAL_CATEGORIES),
    input: z
      .object({
        messages: z.array(message).default([]),
        /** `name@version` or `name@label`, rendered by the gateway from the serving release. */
        template: z.string().optional(),
        variables: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .refine((input) => input.messages.length > 0 || input.template !== undefined, { message: 'input needs messages or a template' }),
    expect: expectSchema,
    tags: z.array(z.string()).default([]),
  })
  .strict();
export type BankItem = z.infer<typeof bankItemSchema>;

export class BankError extends Error {}

export function parseBank(text: string, source: string): BankItem[] {
  let raw: unknown[];
  try {
    if (/\.jsonl$/i.test(source)) {
      raw = text.split('\n').flatMap((line) => (line.trim() === '' ? [] : [JSON.parse(line) as unknown]));
    } else {
      const document = parseYaml(text) as unknown;
      raw = Array.isArray(document) ? document : ((document as { items?: unknown[] } | null)?.items ?? []);
    }
  } catch (error) {
    throw new BankError(`${source}: cannot be parsed: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new BankError(`${source}: no items; give a list of {id, category, input, expect}`);
  const problems: string[] = [];
  const items: BankItem[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const parsed = bankItemSchema.safeParse(entry);
    const id = (entry as { id?: unknown } | null)?.id;
    const where = `item ${index + 1}${typeof id === 'string' ? ` (${id})` : ''}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || '(item)'}: ${issue.message}`);
      return;
    }
    if (seen.has(parsed.data.id)) problems.push(`${where}: duplicate id`);
    seen.add(parsed.data.id);
    if (parsed.data.expect.regex !== undefined) {
      try {
        new RegExp(parsed.data.expect.regex, 'iu');
      } catch (error) {
        problems.push(`${where}: expect.regex: ${(error as Error).message}`);
      }
    }
    items.push(parsed.data);
  });
  if (problems.length > 0) throw new BankError(`${source}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  return items;
}

export function loadBank(path: string): { items: BankItem[]; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new BankError(`${path}: the question bank cannot be read`);
  }
  return { items: parseBank(text, path), text };
}
