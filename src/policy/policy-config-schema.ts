import { z } from 'zod';
import { secretReferenceSchema } from '../model/secret-reference.js';
import { identifierSchema } from '../model/identifier.js';
import { TIERS } from '../model/tiers.js';
import { DEFAULT_DATA_CLASSES } from '../model/data-classes.js';
import { checkPolicyStructure } from './check-policy.js';
import { customDetectorSchema } from './detectors/custom-detectors.js';
import { BUILTIN_DETECTOR_DEFINITIONS } from './detectors/index.js';

/**
 * The `policy:` section of the gateway config: data classes, how a request is classified, and
 * the ordered routing rules that decide where each class may go. Strict like the rest of the
 * config; defaults live here. A parsed policy is internally consistent (every class it names
 * exists, the last rule is a default rule) because the schema runs `checkPolicyStructure`.
 */

const className = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, "_" or "-"');
/** Entity names appear inside placeholders (`[PERSON_1]`), so they are upper snake case. */
export const entityName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use upper-case letters, digits and "_", e.g. PROJECT_CODE');
const ruleName = identifierSchema;
const nonEmpty = z.string().min(1);

export const MASK_MODES = ['reversible', 'redact', 'hash'] as const;
export type MaskMode = (typeof MASK_MODES)[number];

/** Detected entity type (with at least `min_count` occurrences in one request) implies a class. */
const entityClassSchema = z
  .object({ entity: entityName, class: className, min_count: z.number().int().positive().default(1) })
  .strict();

const keywordRuleSchema = z
  .object({
    class: className,
    words: z.array(nonEmpty).min(1),
    case_sensitive: z.boolean().default(false),
  })
  .strict();

const detectorsSchema = z
  .object({
    /** Spans scored below this are ignored. */
    min_score: z.number().min(0).max(1).default(0.5),
    /** Built-in detector ids or entity types to switch off. */
    disable: z.array(nonEmpty).default([]),
    /**
     * Custom detectors (regex, keywords, dictionary file), passed to `createScanner` as they are;
     * the detectors' own schema validates them, and the scanner compiles them once at load.
     */
    custom: z.array(customDetectorSchema).default([]),
  })
  .strict();

const scanSchema = z
  .object({
    /** A scan slower than this counts as failed. Detectors are linear; this guards against bugs. */
    timeout_ms: z.number().int().positive().max(60_000).default(250),
    /**
     * What a failed scan means. Both fail closed: `highest` classifies the request as the highest
     * class (so only rules for that class can send it anywhere); `deny` refuses it.
     */
    on_failure: z.enum(['highest', 'deny']).default('highest'),
    /** Text above this many UTF-8 bytes is scanned on a worker thread, not on the event loop. */
    offload_above_bytes: z.number().int().min(0).default(262_144),
    /** Worker threads for offloaded scans; default: cores − 1 (1 to 4). */
    workers: z.number().int().min(1).max(64).optional(),
    /** Per-request cap on scanned bytes; a request above it is not scanned and counts as a failed scan (fail closed). */
    max_bytes: z.number().int().positive().default(33_554_432),
  })
  .strict();

/** All conditions must hold (AND); within a list, any value matches (OR). No conditions = matches all. */
const matchSchema = z
  .object({
    data_class: z.array(className).min(1).optional(),
    data_class_at_least: className.optional(),
    data_class_at_most: className.optional(),
    /** Any of these entity types was detected. */
    entities: z.array(entityName).min(1).optional(),
    /** The request carries content the gateway cannot scan (images, binary parts) — or does not. */
    has_unscanned_content: z.boolean().optional(),
    department: z.array(nonEmpty).min(1).optional(),
    /** The principal has any of these roles. */
    role: z.array(nonEmpty).min(1).optional(),
    /** Principal id (API key id or user id). */
    user: z.array(nonEmpty).min(1).optional(),
    /** Model alias the client asked for. */
    model: z.array(nonEmpty).min(1).optional(),
    /** Every listed tag is present with one of the listed values. */
    tags: z.record(nonEmpty, z.union([nonEmpty, z.array(nonEmpty).min(1)])).optional(),
  })
  .strict();
export type RuleMatch = z.infer<typeof matchSchema>;

/**
 * One rule; its action is exactly one of: allow (`allow_tiers` and/or `allow_deployments`,
 * optionally `mask`), `deny` (the message the client sees) or `log_only` (records the match and
 * goes on to the next rule, like a firewall LOG target).
 */
const ruleSchema = z
  .object({
    name: ruleName,
    description: z.string().optional(),
    match: matchSchema.optional(),
    allow_tiers: z.array(z.enum(TIERS)).min(1).optional(),
    allow_deployments: z.array(nonEmpty).min(1).optional(),
    mask: z.array(entityName).min(1).optional(),
    mask_mode: z.enum(MASK_MODES).optional(),
    deny: nonEmpty.optional(),
    log_only: z.literal(true).optional(),
  })
  .strict();
export type PolicyRuleConfig = z.infer<typeof ruleSchema>;

/**
 * The default `entity_classes`: every built-in detector's default class, highest class first
 * (then in detector order), derived from the detector list so no second table names entities.
 */
const classRank = (name: string): number => (DEFAULT_DATA_CLASSES as readonly string[]).indexOf(name);
const DEFAULT_ENTITY_CLASSES: z.input<typeof entityClassSchema>[] = BUILTIN_DETECTOR_DEFINITIONS.map((definition) => ({
  entity: definition.detector.entity,
  class: definition.defaultClass,
})).sort((left, right) => classRank(right.class) - classRank(left.class));

/** Without a `policy:` section: restricted data stays on-prem, confidential stays off public APIs. */
const DEFAULT_RULES: PolicyRuleConfig[] = [
  { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
  { name: 'confidential-private', match: { data_class_at_least: 'confidential' }, allow_tiers: ['on-prem', 'private-cloud'] },
  { name: 'default', allow_tiers: ['on-prem', 'private-cloud', 'api'] },
];

export const policySchema = z
  .object({
    /** Switching the policy off skips classification; every tier is allowed. */
    enabled: z.boolean().default(true),
    data_classes: z.array(className).min(1).default([...DEFAULT_DATA_CLASSES]),
    /** Class of a request nothing else raises; defaults to the lowest class. */
    default_class: className.optional(),
    entity_classes: z.array(entityClassSchema).default(() => DEFAULT_ENTITY_CLASSES.map((entry) => entityClassSchema.parse(entry))),
    keywords: z.array(keywordRuleSchema).default([]),
    /** Principal department → its minimum class. */
    departments: z.record(nonEmpty, className).default({}),
    /**
     * The class a request with content the gateway cannot scan (images, binary parts) is raised
     * to. Default: `confidential` when that class exists, else the highest class.
     */
    unscanned_content_class: className.optional(),
    /** Honour `x-switchyard-data-class` from clients. It can only raise the class, never lower it. */
    class_header: z.boolean().default(true),
    detectors: detectorsSchema.default(() => detectorsSchema.parse({})),
    scan: scanSchema.default(() => scanSchema.parse({})),
    /** Key for `mask_mode: hash` (HMAC-SHA-256), so the same value hashes alike across requests. */
    hash_key: secretReferenceSchema.optional(),
    rules: z.array(ruleSchema).min(1).default(() => DEFAULT_RULES.map((rule) => ruleSchema.parse(rule))),
  })
  .strict()
  .superRefine((policy, context) => {
    for (const issue of checkPolicyStructure(policy)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type PolicyConfig = z.infer<typeof policySchema>;

/** The policy a config without a `policy:` section gets. */
export function defaultPolicy(): PolicyConfig {
  return policySchema.parse({});
}
