import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import builtinCatalogueFile from './price-catalogue.json' with { type: 'json' };

/**
 * The maintained price list shipped in the package: list prices of the common hosted models
 * (OpenAI, Azure OpenAI, Anthropic, Gemini/Vertex, Bedrock, Mistral), each row with its source
 * and date. It is what makes a new `api` deployment cost money without any `metering.prices`;
 * config prices always win. `switchyard prices info` prints its age.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const price = z.number().nonnegative();

const modelRowSchema = z
  .object({
    model: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    vendors: z.array(z.string().min(1)).min(1),
    kind: z.enum(['chat', 'embedding']),
    input_per_million: price,
    output_per_million: price,
    cached_input_per_million: price.optional(),
    /** Prompt-cache writes: the 5-minute lifetime, and the 1-hour one. */
    cache_write_per_million: price.optional(),
    cache_write_1h_per_million: price.optional(),
    /** A charge per upstream request (search models that always search, grounding). */
    per_call_usd: price.optional(),
    /** Rates for the whole request once its input passes a threshold. */
    long_context: z.object({ above_input_tokens: z.number().int().positive(), input_per_million: price, output_per_million: price }).strict().optional(),
    source: z.string().min(1),
    as_of: isoDate,
    confidence: z.enum(['O', 'S']),
    note: z.string().optional(),
  })
  .strict();

const toolRowSchema = z
  .object({
    vendor: z.string().min(1),
    tool: z.string().min(1),
    per_call_usd: price,
    source: z.string().min(1),
    as_of: isoDate,
    confidence: z.enum(['O', 'S']),
    note: z.string().optional(),
  })
  .strict();

export const priceCatalogueSchema = z
  .object({
    schema: z.literal(1),
    version: z.string().min(1),
    compiled: isoDate,
    currency: z.literal('USD'),
    unit: z.string(),
    confidence_key: z.record(z.string(), z.string()).optional(),
    models: z.array(modelRowSchema),
    tools: z.array(toolRowSchema).default([]),
  })
  .strict()
  .superRefine((catalogue, context) => {
    const seen = new Map<string, string>();
    for (const [index, row] of catalogue.models.entries()) {
      for (const name of [row.model, ...(row.aliases ?? [])]) {
        const key = normaliseModelName(name);
        const owner = seen.get(key);
        if (owner !== undefined && owner !== row.model) context.addIssue({ code: 'custom', path: ['models', index], message: `'${name}' is already priced by '${owner}'` });
        seen.set(key, row.model);
      }
    }
  });

export type PriceCatalogueFile = z.infer<typeof priceCatalogueSchema>;
export type CatalogueModel = PriceCatalogueFile['models'][number];

export interface PriceCatalogue {
  readonly version: string;
  readonly compiled: string;
  /** `builtin` or the file it was read from. */
  readonly origin: string;
  readonly file: PriceCatalogueFile;
  /** The row pricing this upstream model name, tolerant of dated, versioned and region-prefixed ids. */
  lookup(model: string): CatalogueModel | undefined;
  /** Whole days since `compiled`. */
  ageDays(now?: Date): number;
}

/**
 * Upstream ids carry decorations the list price does not depend on: Bedrock region and vendor
 * prefixes (`us.anthropic.claude-…-v1:0`), Vertex versions (`…@20240620`), dates
 * (`-20250929`, `-2024-07-18`), `models/` (Gemini). Lookups try the name, then peel these.
 */
export function normaliseModelName(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^models\//, '')
    .replace(/^(?:us|eu|apac|global|us-gov|jp|au)\./, '')
    .replace(/^(?:anthropic|amazon|mistral|meta|cohere)\./, '');
}

function candidates(model: string): string[] {
  const names = [normaliseModelName(model)];
  const peel = [/@[\w.-]+$/, /:\d+$/, /-v\d+$/, /-\d{8}$/, /-\d{4}-\d{2}-\d{2}$/, /-latest$/, /-\d{4}$/];
  let current = names[0]!;
  for (const pattern of peel) {
    const next = current.replace(pattern, '');
    if (next !== current && next !== '') {
      names.push(next);
      current = next;
    }
  }
  return names;
}

export function createPriceCatalogue(file: PriceCatalogueFile, origin: string): PriceCatalogue {
  const byName = new Map<string, CatalogueModel>();
  for (const row of file.models) for (const name of [row.model, ...(row.aliases ?? [])]) byName.set(normaliseModelName(name), row);
  return {
    version: file.version,
    compiled: file.compiled,
    origin,
    file,
    lookup(model) {
      for (const name of candidates(model)) {
        const row = byName.get(name);
        if (row) return row;
      }
      return undefined;
    },
    ageDays: (now = new Date()) => Math.max(0, Math.floor((now.getTime() - Date.parse(`${file.compiled}T00:00:00Z`)) / 86_400_000)),
  };
}

let builtin: PriceCatalogue | undefined;

/** The catalogue shipped in the package (validated once; a broken build fails loudly). */
export function builtinPriceCatalogue(): PriceCatalogue {
  builtin ??= createPriceCatalogue(priceCatalogueSchema.parse(builtinCatalogueFile), 'builtin');
  return builtin;
}

/**
 * `metering.price_catalogue`: `builtin` (default), `none` (only config prices), or the path of a
 * JSON file in the same format (relative to the config file), e.g. a copy your finance team keeps.
 * Throws an Error naming the file and the first problem.
 */
export function loadPriceCatalogue(setting: string, baseDirectory: string): PriceCatalogue | undefined {
  if (setting === 'builtin') return builtinPriceCatalogue();
  if (setting === 'none') return undefined;
  const path = isAbsolute(setting) ? setting : resolve(baseDirectory, setting);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`metering.price_catalogue: cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = priceCatalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`metering.price_catalogue: ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return createPriceCatalogue(parsed.data, path);
}
