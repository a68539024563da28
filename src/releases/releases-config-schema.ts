import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';

/**
 * `releases:` in the config: the governed parts a release snapshots beyond the model aliases
 * (prompt templates, knowledge-base labels, tool allow-lists), how often replicas look for a
 * promotion, and the KPI gate `release promote` enforces. Defaults live here.
 */

const name = identifierSchema;
const rate = z.number().min(0).max(1);

export const EVAL_CATEGORIES = ['lookup', 'synthesis', 'hallucination_prone', 'security'] as const;
export type EvalCategory = (typeof EVAL_CATEGORIES)[number];

export const templateMessageSchema = z
  .object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string().min(1) })
  .strict();

export const promptTemplateSchema = z
  .object({
    name,
    /** Immutable once released: change the text, bump the version. */
    version: name,
    description: z.string().optional(),
    /** `{{variable}}` placeholders are filled from the request's `metadata.variables`. */
    messages: z.array(templateMessageSchema).min(1),
    /** Labels (production, staging, canary, …) this version holds; a label sits on one version per name. */
    labels: z.array(name).default([]),
  })
  .strict();
export type PromptTemplateConfig = z.infer<typeof promptTemplateSchema>;

export const knowledgeBaseLabelSchema = z
  .object({
    alias: z.string().min(1),
    /** The index (or vector store) the alias's retrieval reads, and its version. */
    index: name,
    version: z.string().min(1),
  })
  .strict();

export const toolAllowListSchema = z
  .object({
    alias: z.string().min(1),
    /** Tool names a request to the alias may declare; anything else is refused (403 access_denied_tool). */
    allow: z.array(z.string().min(1)),
    /** The JSON schema each tool's parameters must have; recorded in the release, compared on use. */
    schemas: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict();

export const kpiGateSchema = z
  .object({
    /** Minimum pass rate per question-bank category; security defaults to 100 %. */
    min_pass_rate: z
      .object({ lookup: rate.default(0.8), synthesis: rate.default(0.7), hallucination_prone: rate.default(0.8), security: rate.default(1) })
      .strict()
      .default({ lookup: 0.8, synthesis: 0.7, hallucination_prone: 0.8, security: 1 }),
    max_p95_latency_ms: z.number().positive().optional(),
    max_cost_per_item_usd: z.number().nonnegative().optional(),
    /** Largest drop in any category's pass rate against the production release (0.05 = 5 points). */
    max_regression: rate.default(0.05),
    /** A report older than this is not evidence (`release promote --report`). */
    max_report_age_hours: z.number().positive().default(24),
  })
  .strict();
export type KpiGateConfig = z.infer<typeof kpiGateSchema>;

export const releasesConfigSchema = z
  .object({
    /** Every replica reads the promotion state this often; a promotion is live everywhere within it. */
    poll_interval_seconds: z.number().min(0.1).max(300).default(5),
    templates: z.array(promptTemplateSchema).default([]),
    knowledge_bases: z.array(knowledgeBaseLabelSchema).default([]),
    tools: z.array(toolAllowListSchema).default([]),
    gate: kpiGateSchema.default(() => kpiGateSchema.parse({})),
  })
  .strict()
  .superRefine((releases, context) => {
    // Found at `config check`, not at startup: a version defined twice, or a label on two versions.
    const versions = new Set<string>();
    const labels = new Map<string, string>();
    releases.templates.forEach((template, index) => {
      const key = `${template.name}@${template.version}`;
      if (versions.has(key)) context.addIssue({ code: 'custom', path: ['templates', index, 'version'], message: `prompt template ${key} is defined twice` });
      versions.add(key);
      for (const label of template.labels) {
        const holder = labels.get(`${template.name}@${label}`);
        if (holder !== undefined) context.addIssue({ code: 'custom', path: ['templates', index, 'labels'], message: `label '${label}' of ${template.name} is already on version ${holder}` });
        labels.set(`${template.name}@${label}`, template.version);
      }
    });
    for (const [list, what] of [[releases.knowledge_bases, 'knowledge_bases'], [releases.tools, 'tools']] as const) {
      const seen = new Set<string>();
      list.forEach((entry, index) => {
        if (seen.has(entry.alias)) context.addIssue({ code: 'custom', path: [what, index, 'alias'], message: `alias '${entry.alias}' is listed twice` });
        seen.add(entry.alias);
      });
    }
  });
export type ReleasesConfig = z.infer<typeof releasesConfigSchema>;
