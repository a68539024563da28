/** One metered request, as spend reports need it. */
export interface SpendEvent {
  id: string;
  time: string;
  requestId: string;
  principalId?: string;
  team?: string;
  department?: string;
  alias?: string;
  deployment?: string;
  tier?: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** Of `inputTokens`, written to the provider's prompt cache. */
  cacheWriteInputTokens?: number;
  estimated: boolean;
  costMicros: number;
  /** No price was known for the deployment and model: `costMicros` is 0 but not free. */
  unpriced?: boolean;
  /** Attribution tags: department, team, application, feature and free tags. */
  tags: Record<string, string>;
}

export const SPEND_DIMENSIONS = ['department', 'team', 'key', 'tag', 'deployment', 'tier', 'alias'] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

export interface SpendReportRow {
  /** The group (`key=value` for tags); null for requests without one. */
  group: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** Requests in the group served without a known price (their cost is missing, not zero). */
  unpricedRequests?: number;
}

export interface SpendStore {
  record(event: SpendEvent): Promise<void>;
  /** Several events in one transaction (group commit). */
  recordMany(events: readonly SpendEvent[]): Promise<void>;
  /** Grouped totals for [from, to) ISO times, most expensive first. */
  report(by: SpendDimension, from: string, to: string): Promise<SpendReportRow[]>;
}
