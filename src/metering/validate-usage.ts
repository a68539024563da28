import type { Usage } from '../model/usage.js';

/** What the reservation allowed: the request's worst case, in tokens. */
export interface UsageAllowance {
  inputTokens: number;
  /** Every choice's output cap together (n × max_tokens). */
  outputTokens: number;
}

export type UsageField = 'input' | 'output' | 'cachedInput' | 'cacheWriteInput' | 'cacheWrite1hInput';
export type UsageAnomalyReason = 'not_a_number' | 'negative' | 'not_integer' | 'above_cap';

/** One count the upstream reported that could not be true; kept in the audit record. */
export interface UsageAnomaly {
  field: UsageField;
  /** As reported (a string, so NaN, Infinity and 1e300 survive canonical JSON). */
  reported: string;
  /** What was stored and charged instead. */
  used: number;
  reason: UsageAnomalyReason;
}

/** A short, safe rendering: upstream JSON can hold anything, and objects must not run code here. */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 32));
  return `(${Array.isArray(value) ? 'array' : typeof value})`;
}

function check(field: UsageField, value: unknown, cap: number, anomalies: UsageAnomaly[]): number {
  let reason: UsageAnomalyReason | undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) reason = 'not_a_number';
  else if (value < 0) reason = 'negative';
  else if (value > cap) reason = 'above_cap';
  else if (!Number.isInteger(value)) reason = 'not_integer';
  if (reason === undefined) return value as number;
  // Anything unbelievable is replaced by what the reservation allowed: the budget was held for
  // exactly that, and a negative count must never refund spend.
  anomalies.push({ field, reported: describe(value), used: cap, reason });
  return cap;
}

/**
 * Upstream usage is untrusted input: negative, fractional, non-numeric or absurd counts (above
 * what the request's caps allow) are clamped to the allowance and reported, never stored as is.
 */
export function validateUsage(usage: Usage, allowance: UsageAllowance): { usage: Usage; anomalies: UsageAnomaly[] } {
  const anomalies: UsageAnomaly[] = [];
  const inputTokens = check('input', usage.inputTokens, allowance.inputTokens, anomalies);
  const outputTokens = check('output', usage.outputTokens, allowance.outputTokens, anomalies);
  const result: Usage = { inputTokens, outputTokens, ...(usage.estimated ? { estimated: true } : {}) };
  if (usage.cachedInputTokens !== undefined) result.cachedInputTokens = check('cachedInput', usage.cachedInputTokens, inputTokens, anomalies);
  if (usage.cacheWriteInputTokens !== undefined) {
    // Reads and writes are both parts of the input: together they cannot exceed it.
    const write = check('cacheWriteInput', usage.cacheWriteInputTokens, inputTokens - (result.cachedInputTokens ?? 0), anomalies);
    result.cacheWriteInputTokens = write;
    if (usage.cacheWrite1hInputTokens !== undefined) result.cacheWrite1hInputTokens = check('cacheWrite1hInput', usage.cacheWrite1hInputTokens, write, anomalies);
  }
  return { usage: result, anomalies };
}
