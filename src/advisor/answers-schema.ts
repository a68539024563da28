import { z } from 'zod';
import { CRITERIA, type Criterion, type Weights } from './criteria.js';
import { MODES, type Mode } from './modes.js';
import { PRICE_KEYS, type PriceOverrides } from './prices.js';

/** The allowed values of each answer (issue 7, "Answers file keys"). */
export const ANSWER_OPTIONS = {
  data_egress: ['forbidden', 'isolated', 'allowed'],
  latency: ['realtime', 'interactive', 'batch'],
  traffic_volatility: ['low', 'medium', 'high'],
  ops_capability: ['none', 'basic', 'strong'],
  time_to_launch: ['weeks', 'months', 'longer'],
  resilience: ['not_needed', 'needed'],
} as const;

export interface Answers {
  data_egress: (typeof ANSWER_OPTIONS.data_egress)[number];
  audit_required: boolean;
  latency: (typeof ANSWER_OPTIONS.latency)[number];
  traffic_volatility: (typeof ANSWER_OPTIONS.traffic_volatility)[number];
  ops_capability: (typeof ANSWER_OPTIONS.ops_capability)[number];
  time_to_launch: (typeof ANSWER_OPTIONS.time_to_launch)[number];
  resilience: (typeof ANSWER_OPTIONS.resilience)[number];
  offline_required: boolean;
}

/** Order in which the answers are asked and shown. */
export const ANSWER_KEYS = [
  'data_egress',
  'audit_required',
  'latency',
  'traffic_volatility',
  'ops_capability',
  'time_to_launch',
  'resilience',
  'offline_required',
] as const satisfies readonly (keyof Answers)[];

/** Cost inputs; every key optional, defaults in traffic.ts. */
export interface TrafficInput {
  requests_per_day?: number;
  avg_input_tokens?: number;
  avg_output_tokens?: number;
  context_tokens?: number;
  peak_factor?: number;
  peak_hours_per_day?: number;
  retry_rate?: number;
  chained_calls?: number;
  cache_hit_rate?: number;
  days_per_month?: number;
  hybrid_inside_share?: number;
  multi_cloud_primary_share?: number;
}

/** The answers file as validated. `weights` are raw (before the 100 check / normalisation). */
export interface AnswersFile {
  answers: Answers;
  weights?: Partial<Weights>;
  scores?: Partial<Record<Mode, Partial<Record<Criterion, number>>>>;
  traffic?: TrafficInput;
  prices?: PriceOverrides;
}

const nonNegative = z.number().min(0);
const share = z.number().min(0).max(1);

const answersSchema = z
  .object({
    data_egress: z.enum(ANSWER_OPTIONS.data_egress),
    audit_required: z.boolean(),
    latency: z.enum(ANSWER_OPTIONS.latency),
    traffic_volatility: z.enum(ANSWER_OPTIONS.traffic_volatility),
    ops_capability: z.enum(ANSWER_OPTIONS.ops_capability),
    time_to_launch: z.enum(ANSWER_OPTIONS.time_to_launch),
    resilience: z.enum(ANSWER_OPTIONS.resilience),
    offline_required: z.boolean(),
  })
  .strict();

const criterionMap = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(CRITERIA.map((criterion) => [criterion, value.optional()])) as Record<Criterion, z.ZodOptional<T>>).strict();

const modeMap = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(MODES.map((mode) => [mode, value.optional()])) as Record<Mode, z.ZodOptional<T>>).strict();

/** Scores are 1–5 (decimals allowed, e.g. 3.5). */
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

const trafficSchema = z
  .object({
    requests_per_day: nonNegative.optional(),
    avg_input_tokens: nonNegative.optional(),
    avg_output_tokens: nonNegative.optional(),
    context_tokens: nonNegative.optional(),
    peak_factor: z.number().min(1).max(100).optional(),
    peak_hours_per_day: z.number().min(0).max(24).optional(),
    retry_rate: share.optional(),
    chained_calls: z.number().min(1).optional(),
    cache_hit_rate: share.optional(),
    days_per_month: z.number().min(1).max(31).optional(),
    hybrid_inside_share: share.optional(),
    multi_cloud_primary_share: share.optional(),
  })
  .strict();

const pricesSchema = z
  .object(
    Object.fromEntries(
      Object.entries(PRICE_KEYS).map(([group, keys]) => [
        group,
        z.object(Object.fromEntries(keys.map((key) => [key, nonNegative.optional()]))).strict().optional(),
      ]),
    ),
  )
  .strict();

/** Strict schema of the answers file: unknown keys are errors, never dropped. */
export const answersFileSchema = z
  .object({
    answers: answersSchema,
    weights: criterionMap(nonNegative).optional(),
    scores: modeMap(criterionMap(z.number().min(SCORE_MIN).max(SCORE_MAX))).optional(),
    traffic: trafficSchema.optional(),
    prices: pricesSchema.optional(),
  })
  .strict();
