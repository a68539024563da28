import { z } from 'zod';
import costDefaultsFile from './data/cost-defaults.json' with { type: 'json' };

/** The price keys per group; the data file must define exactly these. */
export const PRICE_KEYS = {
  api: [
    'input_per_mtok',
    'output_per_mtok',
    'cached_input_per_mtok',
    'peak_price_multiplier',
    'long_context_threshold_tokens',
    'long_context_input_multiplier',
    'long_context_output_multiplier',
  ],
  private_cloud: [
    'region_multiplier',
    'network_isolation_monthly',
    'monitoring_logging_monthly',
    'key_management_monthly',
    'storage_retrieval_per_1k_requests',
  ],
  on_prem: [
    'capex_per_gpu',
    'infra_overhead',
    'amortisation_years',
    'kw_per_gpu',
    'pue',
    'electricity_per_kwh',
    'colocation_per_kw_month',
    'ops_fte',
    'fte_loaded_annual',
    'licence_per_gpu_year',
    'output_tps_per_gpu',
    'gpus_per_replica',
    'min_replicas',
    'target_utilisation',
    'input_compute_weight',
    'hours_per_month',
  ],
} as const;

export type PriceGroup = keyof typeof PRICE_KEYS;
export type PriceKey<G extends PriceGroup> = (typeof PRICE_KEYS)[G][number];

/** Numbers only, as the cost formulas use them. */
export type Prices = { [G in PriceGroup]: Record<PriceKey<G>, number> };
/** What an answers file may override. */
export type PriceOverrides = { [G in PriceGroup]?: Partial<Record<PriceKey<G>, number>> };

/** One documented default: value, unit, where it came from and when. */
export interface PriceEntry {
  value: number;
  unit: string;
  source: string;
  asOf: string;
  confidence: 'O' | 'S' | 'C' | 'A';
}

/** A price as used in a report: the entry plus whether the answers file overrode it. */
export interface ResolvedPriceEntry extends PriceEntry {
  group: PriceGroup;
  key: string;
  overridden: boolean;
}

const entrySchema = z
  .object({
    value: z.number(),
    unit: z.string(),
    source: z.string().min(1),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    confidence: z.enum(['O', 'S', 'C', 'A']),
  })
  .strict();

const groupSchema = (keys: readonly string[]) =>
  z.object(Object.fromEntries(keys.map((key) => [key, entrySchema]))).strict();

const defaultsFileSchema = z.object({
  compiled: z.string(),
  reference: z.string(),
  confidence_key: z.record(z.string(), z.string()),
  prices: z
    .object({
      api: groupSchema(PRICE_KEYS.api),
      private_cloud: groupSchema(PRICE_KEYS.private_cloud),
      on_prem: groupSchema(PRICE_KEYS.on_prem),
    })
    .strict(),
});

/** Parsed once; a malformed data file fails loudly at import, not with NaN in a report. */
const defaultsFile = defaultsFileSchema.parse(costDefaultsFile);

export const COST_DEFAULTS_COMPILED = defaultsFile.compiled;

/** Every default price entry, in data-file order. */
export function defaultPriceEntries(): ResolvedPriceEntry[] {
  const entries: ResolvedPriceEntry[] = [];
  for (const group of Object.keys(PRICE_KEYS) as PriceGroup[]) {
    for (const [key, entry] of Object.entries(defaultsFile.prices[group])) {
      entries.push({ ...(entry as PriceEntry), group, key, overridden: false });
    }
  }
  return entries;
}

/** Default prices with the answers file's overrides applied. */
export function resolvePrices(overrides: PriceOverrides = {}): { prices: Prices; entries: ResolvedPriceEntry[] } {
  const entries = defaultPriceEntries().map((entry) => {
    const groupOverrides = overrides[entry.group] as Record<string, number | undefined> | undefined;
    const override = groupOverrides?.[entry.key];
    return override === undefined
      ? entry
      : { ...entry, value: override, source: 'answers file override', asOf: 'n/a', overridden: true };
  });
  const prices = { api: {}, private_cloud: {}, on_prem: {} } as Record<PriceGroup, Record<string, number>>;
  for (const entry of entries) prices[entry.group][entry.key] = entry.value;
  return { prices: prices as Prices, entries };
}
